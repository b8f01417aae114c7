"""Find: search the playbook as you type, read an article, insert its snippets.

Every knowledge-base call runs through ``Tasks.read`` with a key, so typing never waits
for a search and only the newest answer is shown. Results stay on screen while the next
search runs; "Searching…" appears only if an answer takes noticeably long.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import theme
from desktop.search.history import History
from desktop.search.jobs import ArticlePage, FindResult, empty_text, load_article, run_search, status_text
from desktop.search.results import ResultDelegate, ResultsModel
from desktop.search.viewer import ArticleView

if TYPE_CHECKING:
    from kb.models import Changes

DEBOUNCE_MS = 120
BUSY_AFTER_MS = 300
TEXT_SIZE = "appearance/text_size"
ZOOM_STEP = 10


# -- widgets ------------------------------------------------------------------------------


class SearchField(QLineEdit):
    """The search box: Down moves into the results, Escape clears."""

    down_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
            self.down_pressed.emit()
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class ResultsView(QListView):
    """The list: Enter opens, Up from the first row (or Escape) returns to the search box."""

    open_requested = Signal(QModelIndex)
    leave_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.currentIndex().isValid():
                self.open_requested.emit(self.currentIndex())
            return
        if key == Qt.Key.Key_Escape or (key == Qt.Key.Key_Up and self.currentIndex().row() <= 0):
            self.leave_requested.emit()
            return
        super().keyPressEvent(event)


class FindPanel(QWidget):
    """Search field, results and the article view, side by side with a splitter."""

    insert_snippet_requested = Signal(str)  # snippet slug
    changes_made = Signal(object)  # kb.models.Changes (Find itself never writes)
    results_shown = Signal()  # after each search answer is on screen
    article_shown = Signal(str)  # slug, after an article (or its "not found") is on screen

    def __init__(self, kb, tasks, settings, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.kb, self.tasks, self.settings = kb, tasks, settings
        self.history = History()
        self._submitted: tuple[str, str | None] | None = None
        self._last: FindResult | None = None
        self._open_when_ready = False
        self._base_point_size = _base_point_size()
        self.setAccessibleName("Find")

        self.field = SearchField()
        self.field.setObjectName("searchField")
        self.field.setPlaceholderText("Search the playbook (Ctrl+K)")
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName("Search the playbook")
        self.field.setAccessibleDescription("Results appear as you type. Press Down to move into them.")

        self.tag_filter = QComboBox()
        self.tag_filter.setAccessibleName("Filter by topic")
        self.tag_filter.setToolTip("Show only articles about one topic")
        self.tag_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.tag_filter.setMinimumContentsLength(12)
        self.tag_filter.addItem("All topics", None)

        self.status = QLabel()
        self.status.setProperty("role", "muted")
        self.status.setAccessibleName("Search status")
        self.status.setWordWrap(True)
        self.suggestion_button = QPushButton()
        self.suggestion_button.setFlat(True)
        self.suggestion_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.suggestion_button.setObjectName("suggestionLink")  # styled as a link in app.qss
        self.suggestion_button.hide()
        self.suggestion_button.clicked.connect(self._use_suggestion)
        self._suggestion: str | None = None

        # Containers join their parent before they are filled: under the app style sheet a
        # finished subtree added to a splitter or a stack is polished again at every level.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addWidget(self.field)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)
        results_pane = QWidget()
        self.splitter.addWidget(results_pane)
        results_layout = QVBoxLayout(results_pane)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.setSpacing(4)
        status_row = QHBoxLayout()
        status_row.setSpacing(6)
        results_layout.addLayout(status_row)
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.tag_filter, 0, Qt.AlignmentFlag.AlignTop)
        # "Did you mean" gets a line of its own: beside the count it squeezed the status
        # into a column of single words.
        suggestion_row = QHBoxLayout()
        suggestion_row.setContentsMargins(0, 0, 0, 0)
        results_layout.addLayout(suggestion_row)
        suggestion_row.addWidget(self.suggestion_button)
        suggestion_row.addStretch(1)
        self.result_stack = QStackedWidget()
        results_layout.addWidget(self.result_stack, 1)

        self.model = ResultsModel(self)
        self.results = ResultsView()
        self.results.setModel(self.model)
        self.results.setItemDelegate(ResultDelegate(self.results))
        self.results.setAccessibleName("Search results")
        self.results.setUniformItemSizes(False)
        self.results.setResizeMode(QListView.ResizeMode.Adjust)
        self.results.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.results.clicked.connect(self._open_index)
        self.results.open_requested.connect(self._open_index)
        self.results.leave_requested.connect(self.focus_search)
        self.result_stack.addWidget(self.results)

        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty.setProperty("role", "muted")
        self.empty.setContentsMargins(16, 24, 16, 16)
        self.empty.setAccessibleName("No results")
        self.result_stack.addWidget(self.empty)

        self.viewer = ArticleView(self.splitter)
        self.splitter.addWidget(self.viewer)
        self.viewer.article_link_clicked.connect(self.open_article)
        self.viewer.insert_snippet_requested.connect(self.insert_snippet_requested)
        self.viewer.back_requested.connect(self.back)
        self.viewer.forward_requested.connect(self.forward)
        self.viewer.zoom_in_requested.connect(self.zoom_in)
        self.viewer.zoom_out_requested.connect(self.zoom_out)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)

        QWidget.setTabOrder(self.field, self.suggestion_button)
        QWidget.setTabOrder(self.suggestion_button, self.tag_filter)
        QWidget.setTabOrder(self.tag_filter, self.results)
        QWidget.setTabOrder(self.results, self.viewer.back_button)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._search)
        self._busy = QTimer(self)
        self._busy.setSingleShot(True)
        self._busy.setInterval(BUSY_AFTER_MS)
        self._busy.timeout.connect(lambda: self.status.setText("Searching…"))

        self.field.textChanged.connect(lambda _text: self._debounce.start())
        self.field.returnPressed.connect(self._open_from_field)
        self.field.down_pressed.connect(self._enter_results)
        self.tag_filter.currentIndexChanged.connect(lambda _i: self._search())
        settings.changed.connect(self._setting_changed)

        self._apply_text_size()
        self._load_tags()
        self._search()

    # -- what the main window calls -------------------------------------------------------

    def focus_search(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def open_article(self, slug: str, fragment: str = "") -> None:
        """Show an article and add it to the history (links, menus, the composer's "Why?")."""
        from kb.models import is_valid_slug  # not at the top: kb.models loads with the KB, after start-up

        if not is_valid_slug(slug):
            return
        current = self.history.current
        if current is not None and current.slug == slug:
            if fragment:
                self.viewer.browser.scrollToAnchor(fragment)
            elif self.viewer.slug != slug:
                self._load(slug)
            return
        self._remember_scroll()
        self.history.visit(slug)
        self._history_changed()
        self._select_slug(slug)
        self._load(slug, fragment=fragment)

    def back(self) -> None:
        self._remember_scroll()
        visit = self.history.back()
        if visit is not None:
            self._history_changed()
            self._select_slug(visit.slug)
            self._load(visit.slug, scroll=visit.scroll)

    def forward(self) -> None:
        self._remember_scroll()
        visit = self.history.forward()
        if visit is not None:
            self._history_changed()
            self._select_slug(visit.slug)
            self._load(visit.slug, scroll=visit.scroll)

    def zoom_in(self) -> None:
        self.settings.set(TEXT_SIZE, self.settings.get(TEXT_SIZE) + ZOOM_STEP)

    def zoom_out(self) -> None:
        self.settings.set(TEXT_SIZE, self.settings.get(TEXT_SIZE) - ZOOM_STEP)

    def zoom_reset(self) -> None:
        self.settings.set(TEXT_SIZE, 100)

    def on_changes(self, changes: Changes) -> None:
        """Refresh what a write touched: the list and topics for articles, the open article."""
        if changes.articles or changes.index:
            self._load_tags()
            self._search(force=True)
        current = self.viewer.slug
        if current and (current in changes.articles or changes.snippets):
            self._load(current, scroll=self.viewer.scroll_position())

    # -- searching ------------------------------------------------------------------------

    @property
    def last_result(self) -> FindResult | None:
        """The answer on screen (``None`` until the first one arrives)."""
        return self._last

    def current_tag(self) -> str | None:
        return self.tag_filter.currentData()

    def _search(self, force: bool = False) -> None:
        self._debounce.stop()
        query = " ".join(self.field.text().split())
        request = (query, self.current_tag())
        if request == self._submitted and not force:
            return
        self._submitted = request
        if not self._busy.isActive():
            self._busy.start()
        self.tasks.read(run_search, self.kb, query, request[1], key=f"find-search-{id(self)}",
                        on_done=self._show_results, on_error=self._search_failed)

    def _show_results(self, result: FindResult) -> None:
        self._busy.stop()
        previous = self._last
        self._last = result
        keep = self.model.slug_at(self.results.currentIndex().row())
        self.model.set_rows(result.rows)
        if result.rows:
            self.result_stack.setCurrentWidget(self.results)
            same_question = previous is not None and (previous.query, previous.tag) == (result.query, result.tag)
            if same_question:
                # A refresh (content changed): stay where the rep was.
                row = self.model.row_of(keep) if keep else -1
                if row < 0 and self.viewer.slug:
                    row = self.model.row_of(self.viewer.slug)
                if row >= 0:
                    self._set_current_row(row)
            else:
                # A new question: the best match is what matters, at the top and in view.
                self.results.scrollToTop()
        else:
            self.result_stack.setCurrentWidget(self.empty)
            self.empty.setText(empty_text(result))
        self.status.setText(status_text(result))
        self._set_suggestion(result.suggestion if (result.fuzzy or not result.rows) else None)
        if self._open_when_ready:
            self._open_when_ready = False
            if (result.query, result.tag) == self._submitted and result.rows:
                self.open_article(result.rows[0].slug)
        self.results_shown.emit()

    def _search_failed(self, error: Exception) -> None:
        self._busy.stop()
        self._open_when_ready = False
        self.status.setText(str(error))
        self.results_shown.emit()

    def _set_suggestion(self, suggestion: str | None) -> None:
        self._suggestion = suggestion
        if suggestion:
            text = f"Did you mean “{suggestion}”?"
            # A pasted subject line can be long: elide it to the pane, the tooltip has it all.
            room = max(200, self.width() - 40)
            shown = self.suggestion_button.fontMetrics().elidedText(text, Qt.TextElideMode.ElideMiddle, room)
            self.suggestion_button.setText(shown)
            self.suggestion_button.setToolTip(text if shown != text else "")
            self.suggestion_button.setAccessibleName(f"Search for {suggestion} instead")
            self.suggestion_button.show()
        else:
            self.suggestion_button.hide()

    def _use_suggestion(self) -> None:
        if self._suggestion:
            self.field.setText(self._suggestion)
            self._search()
            self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _load_tags(self) -> None:
        self.tasks.read(lambda: self.kb.tags(), key=f"find-tags-{id(self)}", on_done=self._show_tags)

    def _show_tags(self, tags: list[tuple[str, int]]) -> None:
        keep = self.current_tag()
        self.tag_filter.blockSignals(True)
        try:
            self.tag_filter.clear()
            self.tag_filter.addItem("All topics", None)
            for tag, count in tags:
                self.tag_filter.addItem(f"{tag} ({count})", tag)
            found = self.tag_filter.findData(keep) if keep else 0
            self.tag_filter.setCurrentIndex(max(0, found))
        finally:
            self.tag_filter.blockSignals(False)
        if keep and self.current_tag() != keep:
            self._search()  # the topic went away: show everything again

    # -- results and keyboard -------------------------------------------------------------

    def _enter_results(self) -> None:
        if self.model.rowCount() == 0:
            return
        self.results.setFocus(Qt.FocusReason.TabFocusReason)
        if not self.results.currentIndex().isValid():
            self._set_current_row(0)

    def _open_from_field(self) -> None:
        query = " ".join(self.field.text().split())
        if self._last is None or (self._last.query, self._last.tag) != (query, self.current_tag()):
            self._open_when_ready = True  # Enter before the answer came: open it on arrival
            self._search()
            return
        row = self.results.currentIndex().row()
        slug = self.model.slug_at(row if row >= 0 else 0)
        if slug:
            self.open_article(slug)

    def _open_index(self, index: QModelIndex) -> None:
        slug = self.model.slug_at(index.row())
        if slug:
            self.open_article(slug)

    def _set_current_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.results.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.results.scrollTo(index)

    def _select_slug(self, slug: str) -> None:
        row = self.model.row_of(slug)
        if row >= 0:
            self._set_current_row(row)

    # -- the article ---------------------------------------------------------------------

    def _load(self, slug: str, *, scroll: int = 0, fragment: str = "") -> None:
        def shown(page: ArticlePage) -> None:
            if self.history.current is None or self.history.current.slug != page.article.slug:
                return  # the reader moved on meanwhile
            self.viewer.show_article(page.article, page.body_html, page.snippets,
                                     scroll=scroll, fragment=fragment)
            self.article_shown.emit(slug)

        def failed(error: Exception) -> None:
            self.viewer.show_message(f"This article is not in the playbook any more. ({error})")
            self.article_shown.emit(slug)

        self.tasks.read(load_article, self.kb, slug, key=f"find-article-{id(self)}",
                        on_done=shown, on_error=failed)

    def _remember_scroll(self) -> None:
        current = self.history.current
        if current is not None and self.viewer.slug == current.slug:
            current.scroll = self.viewer.scroll_position()

    def _history_changed(self) -> None:
        self.viewer.set_history_state(self.history.can_go_back, self.history.can_go_forward)

    # -- text size -----------------------------------------------------------------------

    def _setting_changed(self, name: str) -> None:
        if name == TEXT_SIZE:
            self._apply_text_size()

    def _apply_text_size(self) -> None:
        percent = self.settings.get(TEXT_SIZE)
        font = QFont(self.font())
        font.setPointSizeF(self._base_point_size * percent / 100)
        self.setFont(font)
        # With an application style sheet Qt stops passing a parent's font on to its
        # children, so the reading widgets get theirs explicitly.
        self.results.setFont(font)
        self.viewer.browser.setFont(font)
        self.results.doItemsLayout()
        self.viewer.zoom_in_button.setEnabled(percent < 200)
        self.viewer.zoom_out_button.setEnabled(percent > 80)


def _base_point_size() -> float:
    """The unscaled application font size (the theme scales the app font by text size too)."""
    return theme.base_point_size()
