"""The main window: Find on the left, Compose on the right, menus for every action.

The window shows immediately with a short "opening" page while the knowledge base opens
on a background thread; the panels are built once it is ready (they take the facade in
their constructors). Writes broadcast a ``Changes`` record and each panel decides what to
refresh.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kb.paths import DataPaths

from desktop import theme
from desktop.settings import Settings, State
from desktop.tasks import Tasks

if TYPE_CHECKING:
    from kb.models import Changes

log = logging.getLogger("tactful")


class LoadingPage(QWidget):
    """What the window shows while the knowledge base opens (and seeds on first start)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = QLabel("Opening your playbook…")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setProperty("role", "heading")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setMinimumWidth(320)
        self.bar.setMaximumWidth(420)
        self.bar.setAccessibleName("Opening progress")
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.message)
        layout.addWidget(self.bar, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)

    def show_progress(self, done: int, total: int, message: str) -> None:
        if message:
            self.message.setText(message)
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(done)


class PendingKnowledgeBase:
    """Stands in for the ``KnowledgeBase`` while it opens, so the panels can be built at once.

    Panels only use the knowledge base from background jobs (``desktop.tasks``); there,
    any attribute waits until the real one is open, then behaves exactly like it. If
    opening failed, it raises the same error, which the job reports like any other.
    """

    def __init__(self) -> None:
        self._opened = threading.Event()
        self._kb: Any = None
        self._error: BaseException | None = None

    @property
    def opened(self) -> Any:
        """The knowledge base if it has opened, else None (never waits)."""
        return self._kb if self._opened.is_set() else None

    @property
    def failed(self) -> bool:
        return self._opened.is_set() and self._error is not None

    def resolve(self, kb: Any) -> None:
        self._kb = kb
        self._opened.set()

    def fail(self, error: BaseException) -> None:
        self._error = error
        self._opened.set()

    def __getattr__(self, name: str) -> Any:
        if not self._opened.is_set() and threading.current_thread() is threading.main_thread():
            log.warning("the GUI thread waited for the knowledge base to open (%s)", name)
        self._opened.wait()
        if self._error is not None:
            raise self._error
        return getattr(self._kb, name)


class MainWindow(QMainWindow):
    changes_applied = Signal(object)  # kb.models.Changes
    ready = Signal()
    """The window accepts typing (search field focused)."""
    kb_opened = Signal()
    """The knowledge base is open (the search index and rules then warm up)."""

    def __init__(self, paths: DataPaths, settings: Settings, state: State, tasks: Tasks) -> None:
        super().__init__()
        self.paths, self.settings, self.state, self.tasks = paths, settings, state, tasks
        self.kb = None
        self.find = None
        self.composer = None
        self.editor = None
        self.editor_action: QAction | None = None
        self._open_failed = False
        self._pending: PendingKnowledgeBase | None = None
        self.setWindowTitle("Tactful")
        self.setAccessibleName("Tactful")
        self.resize(1280, 820)
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self._loading: LoadingPage | None = None
        self.index_progress = QProgressBar()
        self.index_progress.setMaximumWidth(220)
        self.index_progress.setAccessibleName("Search index progress")
        self.index_progress.hide()
        self.statusBar().addPermanentWidget(self.index_progress)
        self._actions: dict[str, QAction] = {}
        # The menus (40 actions and their shortcuts) are built on the first turn of the
        # event loop, after the window already accepts typing.
        QTimer.singleShot(0, self._build_menus)
        geometry = state.get("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        tasks.user_error.connect(self.show_user_error)
        settings.changed.connect(self._setting_changed)
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(lambda _scheme: self._setting_changed("appearance/theme"))

    @property
    def loading(self) -> LoadingPage:
        """The progress page of a first start, also where an open that failed says why.

        Built on demand: an ordinary start goes straight to the panels.
        """
        if self._loading is None:
            self._loading = LoadingPage(self.stack)
            self.stack.addWidget(self._loading)
        return self._loading

    # -- start-up --------------------------------------------------------------------

    def start(self) -> None:
        """Open the knowledge base in the background and get the rep typing as soon as possible.

        First start (no database yet): a progress page while the bundled playbook is
        seeded, then the panels. Every later start: the panels are built at once on a
        ``PendingKnowledgeBase`` so the search field and the reply accept typing while the
        database opens; their background jobs simply wait the few milliseconds it takes.
        """
        home = self.paths.home
        first_start = not self.paths.db.exists()

        def open_kb(progress, cancel):
            from kb.facade import KnowledgeBase

            return KnowledgeBase.open(home, progress=progress)

        if first_start:
            task = self.tasks.long(open_kb, on_done=self._kb_ready, on_error=self._kb_failed)
            task.progressed.connect(self.loading.show_progress)
            self.stack.setCurrentWidget(self.loading)
            return
        pending = self._pending = PendingKnowledgeBase()

        def open_for_pending(progress, cancel):
            # Resolved on this thread, not when the result reaches the GUI thread: jobs
            # waiting on it must never depend on the event loop (say, while closing).
            try:
                kb = open_kb(progress, cancel)
            except BaseException as exc:
                pending.fail(exc)
                raise
            pending.resolve(kb)
            return kb

        # Panels first, and the open only once the window is up: it runs Python on
        # another thread, and sharing the GIL with it would delay the moment the rep can type.
        self._build_panels(pending)
        QTimer.singleShot(0, lambda: self.tasks.long(
            open_for_pending, on_done=lambda kb: self._kb_ready(kb, pending),
            on_error=lambda error: self._kb_failed(error, pending)))

    def _kb_failed(self, error: Exception, pending: "PendingKnowledgeBase | None" = None) -> None:
        if pending is not None:
            self._open_failed = True
            self._update_actions()
        self.loading.bar.hide()
        self.loading.message.setText(str(error))
        self.loading.message.setWordWrap(True)
        theme.set_role(self.loading.message, "error")
        self.stack.setCurrentWidget(self.loading)

    def _kb_ready(self, kb, pending: "PendingKnowledgeBase | None" = None) -> None:  # noqa: ANN001
        self.kb = kb
        if pending is None:
            self._build_panels(kb)
        self._update_actions()
        self._warm_up()
        self._start_shared_folder_checks()
        self.kb_opened.emit()

    def _build_panels(self, kb) -> None:  # noqa: ANN001 - a KnowledgeBase or a PendingKnowledgeBase
        from desktop.composer.panel import ComposerPanel
        from desktop.search.panel import FindPanel

        # The splitter joins the window before the panels are built into it: under a style
        # sheet a finished subtree added to a shown window is polished all over again.
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.stack.addWidget(self.splitter)
        self.stack.setCurrentWidget(self.splitter)
        self.find = FindPanel(kb, self.tasks, self.settings, self.splitter)
        self.splitter.addWidget(self.find)
        self.composer = ComposerPanel(kb, self.tasks, self.settings, self.splitter)
        self.splitter.addWidget(self.composer)
        self.find.insert_snippet_requested.connect(self.composer.insert_snippet)
        self.composer.open_article_requested.connect(self._open_article)
        for panel in (self.find, self.composer):
            if hasattr(panel, "changes_made"):
                panel.changes_made.connect(self.broadcast)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 5)
        sizes = self.state.get("window/splitter")
        if isinstance(sizes, QByteArray):
            self.splitter.restoreState(sizes)
        self._update_actions()
        self.setTabOrder(self.find, self.composer)
        self.find.focus_search()
        # Announced from the event loop, so "ready" always means shown and accepting input.
        QTimer.singleShot(0, self.ready.emit)

    # -- shared folder (small offices) ------------------------------------------------

    def _start_shared_folder_checks(self) -> None:
        """Check the editors' shared folder now and every few minutes; reps never write there."""
        if not hasattr(self, "_share_timer"):
            self._share_timer = QTimer(self)
            self._share_timer.timeout.connect(self.check_shared_folder)
        self._share_timer.start(max(1, int(self.settings.get("sharing/check_minutes"))) * 60_000)
        self.check_shared_folder()

    def check_shared_folder(self) -> None:
        folder = str(self.settings.get("sharing/folder") or "").strip()
        if self.kb is None or not folder or getattr(self, "_share_task", None) is not None:
            return
        kb = self.kb

        def check(progress, cancel):
            return kb.check_shared_folder(folder, progress=progress, cancel=cancel)

        def done(result) -> None:  # noqa: ANN001 - kb.sharing.SharedFolderResult
            self._share_task = None
            if result.imported:
                self.statusBar().showMessage(result.message, 15_000)
                if result.summary is not None and result.summary.changes:
                    self.broadcast(result.summary.changes)
            elif result.status in ("unreachable", "refused"):
                log.info("shared folder: %s", result.message)
                self.statusBar().showMessage(result.message, 8_000)

        def failed(error: Exception) -> None:
            self._share_task = None
            self.statusBar().showMessage(f"Shared folder not checked: {error}", 8_000)

        self._share_task = self.tasks.long(check, on_done=done, on_error=failed)

    def _warm_up(self) -> None:
        """Build the search index and load the phrasing rules before the rep needs them."""
        kb = self.kb

        def ensure_index(progress, cancel):
            return kb.ensure_index(progress=progress, cancel=cancel)

        task = self.tasks.long(ensure_index, on_done=self._index_ready)
        task.progressed.connect(self._index_progress)
        def load_checker() -> None:
            from kb.lint import learned, readability

            linter = kb.linter  # loads the bundled and team rules
            readability.warm_up()  # textstat's dictionary: ~0.6 s, better now than on the first reply
            if linter.uses_learned_model():
                learned.available()  # only when a team switched it on: numpy and a 0.5 MB file

        self.tasks.read(load_checker)

    def _index_progress(self, done: int, total: int, message: str) -> None:
        if total:
            self.index_progress.show()
            self.index_progress.setRange(0, total)
            self.index_progress.setValue(done)
            self.statusBar().showMessage(message or "Building the search index…")

    def _index_ready(self, outcome: str) -> None:
        self.index_progress.hide()
        if outcome == "rebuilt":
            self.statusBar().showMessage("Search index ready.", 4000)
        else:
            self.statusBar().clearMessage()

    # -- menus -----------------------------------------------------------------------

    def _action(self, key: str, text: str, slot: Callable[[], object], shortcut=None,
                tip: str = "", needs_kb: bool = True) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        if needs_kb:
            self._actions[key] = action
            action.setEnabled(self._action_allowed(key))
        self.addAction(action)
        return action

    def _action_allowed(self, key: str) -> bool:
        if self._open_failed or self.find is None:
            return False
        return key != "editor" or self.kb is not None  # the editor needs the opened database

    def _update_actions(self) -> None:
        for key, action in self._actions.items():
            action.setEnabled(self._action_allowed(key))

    def _panel(self, name: str, method: str) -> Callable[[], object]:
        def call() -> object:
            panel = getattr(self, name)
            return getattr(panel, method)() if panel is not None else None

        return call

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self._action("new", "&New reply", self._panel("composer", "new_reply"),
                                         QKeySequence.StandardKey.New, "Start a new reply"))
        file_menu.addAction(self._action("drafts", "Recent &drafts…", self._panel("composer", "show_recent_drafts"),
                                         "Ctrl+O", "Return to a reply you were writing"))
        file_menu.addSeparator()
        file_menu.addAction(self._action("settings", "&Settings…", self.show_settings, "Ctrl+,",
                                         "Theme, text size, check strictness and more", needs_kb=False))
        file_menu.addSeparator()
        file_menu.addAction(self._action("quit", "&Quit", self.close, QKeySequence.StandardKey.Quit,
                                         needs_kb=False))

        reply = bar.addMenu("&Reply")
        reply.addAction(self._action("copy", "&Copy reply", self._panel("composer", "copy_reply"),
                                     ["Ctrl+Return", "Ctrl+Enter"], "Copy the reply as plain text"))
        reply.addAction(self._action("snippet", "&Insert snippet…", self._panel("composer", "choose_snippet"),
                                     "Ctrl+I", "Insert a vetted snippet"))
        reply.addAction(self._action("recipe", "Start from a &recipe…", self._panel("composer", "choose_recipe"),
                                     "Ctrl+Shift+R", "Build a reply plan for the situation"))
        reply.addAction(self._action("questions", "Three key &questions", self._panel("composer", "focus_questions"),
                                     "Ctrl+Shift+Q", "Note why they are upset, what they want, how you can help"))
        reply.addSeparator()
        reply.addAction(self._action("next_finding", "&Next phrasing finding", self._panel("composer", "next_finding"),
                                     "F8"))
        reply.addAction(self._action("prev_finding", "&Previous phrasing finding",
                                     self._panel("composer", "previous_finding"), "Shift+F8"))
        reply.addAction(self._action("quick_fix", "Apply &suggestion", self._panel("composer", "quick_fix"),
                                     "Ctrl+.", "Replace the phrase at the cursor with the suggested wording"))

        view = bar.addMenu("&View")
        view.addAction(self._action("search", "&Search the playbook", self._panel("find", "focus_search"),
                                    "Ctrl+K", "Jump to the search field"))
        view.addAction(self._action("composer", "&Go to the reply", self._panel("composer", "focus_editor"),
                                    "Ctrl+E", "Jump to the reply you are writing"))
        view.addSeparator()
        view.addAction(self._action("back", "&Back", self._panel("find", "back"), QKeySequence.StandardKey.Back))
        view.addAction(self._action("forward", "&Forward", self._panel("find", "forward"),
                                    QKeySequence.StandardKey.Forward))
        view.addSeparator()
        view.addAction(self._action("zoom_in", "Zoom &in", self._panel("find", "zoom_in"),
                                    [QKeySequence.StandardKey.ZoomIn, "Ctrl+="]))
        view.addAction(self._action("zoom_out", "Zoom &out", self._panel("find", "zoom_out"),
                                    QKeySequence.StandardKey.ZoomOut))
        view.addAction(self._action("zoom_reset", "&Actual size", self._panel("find", "zoom_reset"), "Ctrl+0"))

        self.kb_menu = bar.addMenu("&Knowledge base")
        self.editor_action = self._action("editor", "&Edit articles and snippets…", self.show_editor,
                                          "Ctrl+Shift+E", "Write, review and publish the playbook")
        self.kb_menu.addAction(self.editor_action)
        self.kb_menu.menuAction().setVisible(bool(self.settings.get("editor/enabled")))
        QTimer.singleShot(0, self._report_policy_problems)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("playbook", "&Playbook: the three key questions",
                                         lambda: self._open_article("three-key-questions"), "F1"))
        help_menu.addAction(self._action("shortcuts", "&Keyboard shortcuts", self.show_shortcuts,
                                         "Ctrl+/", needs_kb=False))
        help_menu.addAction(self._action("about", "&About Tactful", self.show_about, needs_kb=False))

    # -- actions ---------------------------------------------------------------------

    def _open_article(self, slug: str) -> None:
        if self.find is not None:
            self.find.open_article(slug)

    def broadcast(self, changes: Changes) -> None:
        """Tell every panel what a write changed; each decides whether to refresh."""
        if not changes:
            return
        for panel in (self.find, self.composer):
            if panel is not None and hasattr(panel, "on_changes"):
                panel.on_changes(changes)
        if self.editor is not None and self.sender() is not self.editor:
            self.editor.on_changes(changes)
        self.changes_applied.emit(changes)

    def show_editor(self) -> None:
        """The editors' window (editor mode): one per main window, raised if already open."""
        if self.kb is None:
            return
        reason = self.settings.locked_reason("editor/enabled")
        if reason is not None and not self.settings.get("editor/enabled"):
            self.statusBar().showMessage(f"Editor mode is turned off on this computer: {reason}", 10_000)
            return
        if self.editor is None:
            from desktop.editor.window import EditorWindow

            self.editor = EditorWindow(self.kb, self.tasks, self.settings, self)
            self.editor.changes_made.connect(self.broadcast)
        self.editor.show()
        self.editor.raise_()
        self.editor.activateWindow()

    def show_user_error(self, message: str) -> None:
        if self._open_failed or (self._pending is not None and self._pending.failed):
            return  # the window says (or is about to say) why the knowledge base could not open
        from PySide6.QtWidgets import QMessageBox  # kept off the start-up path

        QMessageBox.warning(self, "Tactful", message)

    def _report_policy_problems(self) -> None:
        """A policy file IT got wrong never stops the app: say so where the rep will see it."""
        policy = self.settings.policy
        if policy is not None and policy.problems:
            count = len(policy.problems)
            self.statusBar().showMessage(
                f"The organisation's policy file has {count} problem{'s' if count > 1 else ''}; "
                "the rest of it applies. Details: Settings (Ctrl+,).", 20_000
            )

    def show_settings(self) -> None:
        from desktop.dialogs.settings_dialog import SettingsDialog

        SettingsDialog(self.settings, self).exec()

    def show_about(self) -> None:
        from desktop.dialogs.about import AboutDialog

        AboutDialog(self.paths.home, self).exec()

    def show_shortcuts(self) -> None:
        rows = []
        for action in self.findChildren(QAction):
            keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())
            if keys and action.text():
                rows.append(f"<tr><td>{action.text().replace('&', '')}</td><td><b>{keys}</b></td></tr>")
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(
            self, "Keyboard shortcuts", "<table cellspacing='6'>" + "".join(sorted(set(rows))) + "</table>"
        )

    def _setting_changed(self, name: str) -> None:
        if name in ("sharing/folder", "sharing/check_minutes") and self.kb is not None:
            self._start_shared_folder_checks()
        if name == "editor/enabled" and hasattr(self, "kb_menu"):
            enabled = bool(self.settings.get("editor/enabled"))
            self.kb_menu.menuAction().setVisible(enabled)
            if not enabled and self.editor is not None:
                self.editor.close()
        if name in ("appearance/theme", "appearance/text_size"):
            from PySide6.QtWidgets import QApplication

            theme.apply(QApplication.instance(), self.settings.get("appearance/theme"),
                        self.settings.get("appearance/text_size"))
            if self.find is not None and self.composer is not None:
                self.find.viewer.restyle()  # pages and underlines carry the theme's colours
                self.composer.editor.restyle()

    # -- closing ---------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if self.editor is not None and self.editor.isVisible() and not self.editor.close():
            event.ignore()  # the editor has unsaved changes and the editor kept them open
            return
        if self.composer is not None and hasattr(self.composer, "save_now"):
            self.composer.save_now()
        self.state.set("window/geometry", self.saveGeometry())
        if hasattr(self, "splitter"):
            self.state.set("window/splitter", self.splitter.saveState())
        self.state.sync()
        self.tasks.shutdown()
        kb = self.kb if self.kb is not None else (self._pending.opened if self._pending else None)
        if kb is not None:
            kb.close()
        super().closeEvent(event)

