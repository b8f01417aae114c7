"""``EditorWindow``: the editor mode in its own window, one tab per job.

Shortcuts avoid the keys the main window registers as application-wide (Ctrl+N, Ctrl+O,
Ctrl+I, Ctrl+E, Ctrl+K, F8, ...), which would otherwise be ambiguous here.

Built with the facade, the task runner and the settings (STYLE.md #2); every write goes
through ``tasks`` and is announced once with ``changes_made(Changes)``, which the main
window broadcasts to its panels. ``on_changes`` takes the main window's broadcasts back.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QTabWidget, QWidget

from desktop.editor.articles import ArticlesPage
from desktop.editor.history import HistoryPage
from desktop.editor.publishing import PublishingPage
from desktop.editor.rules import TeamRulesPage
from desktop.editor.snippets import SnippetsPage


class EditorWindow(QMainWindow):
    changes_made = Signal(object)  # kb.models.Changes

    def __init__(self, kb, tasks, settings, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.kb, self.tasks, self.settings = kb, tasks, settings
        self.setWindowTitle("Tactful editor")
        self.setAccessibleName("Tactful editor")
        self.resize(1240, 800)
        self.articles = ArticlesPage(kb, tasks, settings)
        self.history = HistoryPage(kb, tasks)
        self.snippets = SnippetsPage(kb, tasks, settings)
        self.rules = TeamRulesPage(kb, tasks)
        self.publishing = PublishingPage(kb, tasks, settings)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Editor sections")
        for page, label in ((self.articles, "&Articles"), (self.history, "&History"),
                            (self.snippets, "S&nippets"), (self.rules, "&Team rules"),
                            (self.publishing, "&Import and publish")):
            self.tabs.addTab(page, label)
            page.changes_made.connect(self._changed)
            if hasattr(page, "status_message"):
                page.status_message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.setCentralWidget(self.tabs)
        self.articles.history_requested.connect(self.show_history)
        self.snippets.history_requested.connect(self.show_history)
        self._build_menus()
        self.statusBar().showMessage("Editor mode: changes are saved as revisions.", 4000)
        self.refresh()

    # -- menus -----------------------------------------------------------------------

    def _add(self, menu, text: str, slot, shortcut=None, tip: str = "") -> QAction:  # noqa: ANN001
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.new_article_action = self._add(file_menu, "&New article", self.new_article, "Ctrl+Shift+N")
        self.new_snippet_action = self._add(file_menu, "New &snippet", self.new_snippet, "Ctrl+Alt+N")
        self.save_action = self._add(file_menu, "&Save", self.save, QKeySequence.StandardKey.Save,
                                     "Save the article or snippet being edited as a new revision")
        file_menu.addSeparator()
        pub = self.publishing
        self._add(file_menu, "&Import markdown folder…", pub.import_folder, "Ctrl+Shift+I")
        self._add(file_menu, "&Export markdown folder…", pub.export_folder, "Ctrl+Shift+E")
        self._add(file_menu, "Import &pack…", pub.import_pack_file)
        self._add(file_menu, "Export p&ack…", pub.export_pack_file)
        self._add(file_menu, "&Roll back the last pack import…", pub.rollback)
        file_menu.addSeparator()
        self._add(file_menu, "Import saved &replies…", self.import_saved_replies,
                  tip="Bring replies from CSV, espanso, Zendesk, Text Blaze or TextExpander in as drafts")
        self._add(file_menu, "Export &vetted snippets…", self.export_snippets,
                  tip="Write the vetted snippets as an espanso match file or a CSV")
        file_menu.addSeparator()
        self._add(file_menu, "&Close editor", self.close, QKeySequence.StandardKey.Close)
        view = bar.addMenu("&View")
        for number, name in enumerate(("Articles", "History", "Snippets", "Team rules", "Import and publish"), 1):
            self._add(view, f"&{number} {name}", lambda n=number: self.tabs.setCurrentIndex(n - 1), f"Alt+{number}")
        view.addSeparator()
        self._add(view, "Articles &due for review", self.show_due, "Ctrl+Shift+D",
                  "List vetted articles not reviewed for the configured number of days")
        self._add(view, "&Filter articles", self.articles.list.search.setFocus, "Ctrl+F")

    # -- actions ---------------------------------------------------------------------

    def refresh(self) -> None:
        self.articles.refresh()
        self.snippets.refresh()
        self.rules.refresh()
        self.history.refresh_items()

    def save(self) -> None:
        page = self.tabs.currentWidget()
        if page is self.snippets:
            self.snippets.save()
        else:
            self.articles.save()

    def import_saved_replies(self, path: str | None = None):  # noqa: ANN201 - the dialog, for tests
        from desktop.editor.snippet_import_dialog import SnippetImportDialog

        dialog = SnippetImportDialog(self.kb, self.tasks, self)
        dialog.changes_made.connect(self._imported)
        if path:
            dialog.open_file(path)
            dialog.show()
            return dialog
        dialog.show()
        dialog.choose_file()
        return dialog

    def _imported(self, changes) -> None:  # noqa: ANN001
        if changes:
            self.on_changes(changes)
            self.changes_made.emit(changes)

    def export_snippets(self) -> None:
        from desktop.editor.snippet_import_dialog import export_vetted_snippets

        export_vetted_snippets(self, self.kb, self.tasks, lambda text: self.statusBar().showMessage(text, 8000))

    def new_article(self) -> None:
        self.tabs.setCurrentWidget(self.articles)
        self.articles.new_article()

    def new_snippet(self) -> None:
        self.tabs.setCurrentWidget(self.snippets)
        self.snippets.new_snippet()

    def open_article(self, slug: str) -> None:
        """Show ``slug`` in the article editor (asks about unsaved changes first)."""
        self.tabs.setCurrentWidget(self.articles)
        self.articles.open_article(slug)

    def show_history(self, kind: str, slug: str) -> None:
        self.tabs.setCurrentWidget(self.history)
        self.history.show_item(kind, slug)

    def show_due(self) -> None:
        self.tabs.setCurrentWidget(self.articles)
        self.articles.list.set_status_filter("due")

    def _changed(self, changes) -> None:  # noqa: ANN001
        if not changes:
            return
        self.on_changes(changes, origin=self.sender())
        self.changes_made.emit(changes)

    def on_changes(self, changes, origin=None) -> None:  # noqa: ANN001
        """A write happened (here or elsewhere in the app): let each page decide what to reload."""
        for page in (self.articles, self.history, self.snippets, self.rules, self.publishing):
            if page is not origin and hasattr(page, "on_changes"):
                page.on_changes(changes)

    # -- closing ---------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        for page, tab in ((self.articles, self.articles), (self.snippets, self.snippets)):
            if page.is_dirty():
                event.ignore()
                self.tabs.setCurrentWidget(tab)
                page.maybe_leave(lambda: QTimer.singleShot(0, self.close))  # not from inside closeEvent
                return
        super().closeEvent(event)
