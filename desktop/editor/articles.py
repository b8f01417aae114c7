"""The Articles page: the list on the left, the form, source and live preview on the right."""

from __future__ import annotations

import copy
from collections.abc import Callable

from PySide6.QtCore import QTimer, QUrl, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kb.errors import InvalidInput
from kb.models import STATUSES, Article, is_valid_slug, slugify
from kb.render import ARTICLE_URL_PREFIX

from desktop.editor.article_list import ArticleList, due_slugs
from desktop.editor.checked_text import CheckedTextEdit, summary
from desktop.editor.common import (
    STATUS_LABELS,
    ListCompleter,
    author,
    join_list,
    muted,
    show_error,
    split_list,
    today,
)
from desktop.theme import set_role


def blank_article() -> Article:
    return Article(slug="", title="", status="draft")


class ArticlesPage(QWidget):
    """Edit articles. ``changes_made`` after each save; ``history_requested(kind, slug)``."""

    changes_made = Signal(object)
    history_requested = Signal(str, str)
    status_message = Signal(str)

    def __init__(self, kb, tasks, settings, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.kb, self.tasks, self.settings = kb, tasks, settings
        self._slug: str | None = None  # the saved article being edited; None for a new one
        self._loaded = blank_article()
        self._slug_touched = False
        self._saving = False
        self._loading = False
        self._pending_review = False

        self.list = ArticleList()
        self.list.chosen.connect(self._chosen)
        self.list.new_requested.connect(self.new_article)

        self.title = QLineEdit()
        self.title.setAccessibleName("Title")
        self.slug = QLineEdit()
        self.slug.setAccessibleName("Slug")
        self.slug.setPlaceholderText("made-from-the-title")
        self.slug_note = muted()
        self.summary = QLineEdit()
        self.summary.setAccessibleName("Summary")
        self.summary.setPlaceholderText("One plain sentence saying what the article helps with")
        self.tags = QLineEdit()
        self.tags.setAccessibleName("Tags")
        self.tags.setPlaceholderText("Comma-separated, for example: refund, delivery")
        self.tag_completer = ListCompleter(self.tags)
        self.status = QComboBox()
        self.status.setAccessibleName("Status")
        for status in STATUSES:
            self.status.addItem(STATUS_LABELS[status], status)
        self.reviewed = muted()
        self.mark_reviewed = QPushButton("Mark reviewed &today")
        self.mark_reviewed.setToolTip("Record that the article was checked today (saved with the article)")
        self.mark_reviewed.clicked.connect(self._mark_reviewed)

        self.source = CheckedTextEdit(kb, tasks, settings, name="Article text (markdown)",
                                      placeholder="Write the article in markdown…")
        self.source.setTabChangesFocus(True)
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        self.preview.setOpenExternalLinks(False)
        self.preview.setAccessibleName("Preview")
        self.preview.anchorClicked.connect(self._link_clicked)
        self.findings = muted()
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        set_role(self.problem, "error")
        self.problem.hide()
        self.state = muted()
        self.save_button = QPushButton("&Save")
        self.save_button.setProperty("primary", True)
        self.save_button.setToolTip("Save a new revision (Ctrl+S)")
        self.save_button.clicked.connect(lambda: self.save())
        self.revert_button = QPushButton("&Revert")
        self.revert_button.setToolTip("Throw away the changes since the last save")
        self.revert_button.clicked.connect(self.revert)
        self.history_button = QPushButton("&History…")
        self.history_button.clicked.connect(lambda: self._slug and self.history_requested.emit("article", self._slug))

        self._build_layout()
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(300)
        self._preview_timer.timeout.connect(self.render_preview)
        for line in (self.title, self.slug, self.summary, self.tags):
            line.textChanged.connect(self._edited)
        self.slug.textEdited.connect(self._slug_edited)
        self.title.textChanged.connect(self._title_changed)
        self.status.currentIndexChanged.connect(self._edited)
        self.source.textChanged.connect(self._edited)
        self.source.textChanged.connect(self._preview_timer.start)
        self.title.textChanged.connect(self._preview_timer.start)
        self.source.checked.connect(lambda found: self.findings.setText(summary(found)))
        self._show(blank_article(), None)

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Title", self.title)
        form.addRow("S&lug", self.slug)
        form.addRow("", self.slug_note)
        form.addRow("Su&mmary", self.summary)
        form.addRow("T&ags", self.tags)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status)
        status_row.addWidget(self.reviewed, 1)
        status_row.addWidget(self.mark_reviewed)
        form.addRow("Stat&us", status_row)
        for field, label in ((self.title, "&Title"), (self.slug, "S&lug"), (self.summary, "Su&mmary"),
                             (self.tags, "T&ags"), (self.status, "Stat&us")):
            buddy = form.labelForField(field) or form.labelForField(status_row)
            if isinstance(buddy, QLabel):
                buddy.setBuddy(field)
        texts = QSplitter(Qt.Orientation.Horizontal)
        texts.setChildrenCollapsible(False)
        texts.addWidget(self.source)
        texts.addWidget(self.preview)
        buttons = QHBoxLayout()
        buttons.addWidget(self.state, 1)
        buttons.addWidget(self.history_button)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        editor = QWidget()
        right = QVBoxLayout(editor)
        right.setContentsMargins(0, 0, 0, 0)
        right.addLayout(form)
        right.addWidget(self.problem)
        right.addWidget(texts, 1)
        right.addWidget(self.findings)
        right.addLayout(buttons)
        outer = QSplitter(Qt.Orientation.Horizontal)
        outer.setChildrenCollapsible(False)
        outer.addWidget(self.list)
        outer.addWidget(editor)
        outer.setStretchFactor(0, 2)
        outer.setStretchFactor(1, 5)
        outer.setSizes([340, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(outer)
        order = [self.list.search, self.list.status, self.list.tag, self.list.view, self.list.new_button,
                 self.title, self.slug, self.summary, self.tags, self.status, self.mark_reviewed,
                 self.source, self.preview, self.history_button, self.revert_button, self.save_button]
        for first, second in zip(order, order[1:]):
            QWidget.setTabOrder(first, second)

    # -- loading ---------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the list (all statuses), the due-for-review set and the tags."""
        kb, days = self.kb, int(self.settings.get("editor/review_after_days"))

        def load():
            articles = kb.articles(None)
            if hasattr(kb, "due_for_review"):
                due = {getattr(a, "slug", a) for a in kb.due_for_review(days)}
            else:
                due = due_slugs(articles, days)
            return articles, due, kb.tags(None)

        self.tasks.read(load, key="editor-articles", on_done=self._loaded_list)

    def _loaded_list(self, result) -> None:  # noqa: ANN001
        articles, due, tags = result
        self.list.set_articles(articles, due, tags)
        self.tag_completer.set_words([name for name, _ in tags])
        self.list.select(self._slug)
        self._validate()

    def open_article(self, slug: str) -> None:
        """Open ``slug`` (asking first about unsaved changes)."""
        self.maybe_leave(lambda: self._load(slug), lambda: self.list.select(self._slug))

    def _chosen(self, slug: str) -> None:
        if slug != self._slug:
            self.open_article(slug)

    def _load(self, slug: str) -> None:
        self.tasks.read(self.kb.article, slug, key="editor-open-article",
                        on_done=lambda article: self._show(article, article.slug),
                        on_error=lambda err: show_error(self, err))

    def _show(self, article: Article, slug: str | None) -> None:
        self._loading = True
        self._slug, self._loaded = slug, copy.deepcopy(article)
        self._slug_touched = slug is not None
        self.title.setText(article.title)
        self.slug.setText(article.slug)
        self.summary.setText(article.summary)
        self.tags.setText(join_list(article.tags))
        self.status.setCurrentIndex(max(0, self.status.findData(article.status)))
        self.source.set_text(article.body)
        self._loading = False
        self._adopt(article, slug)
        self.render_preview()

    def _adopt(self, article: Article, slug: str | None) -> None:
        """Make ``article`` the saved state the form is compared with."""
        self._slug, self._loaded = slug, copy.deepcopy(article)
        self.slug.setReadOnly(slug is not None)
        if slug is None:
            self.slug_note.setText("Made from the title; you can change it until the first save.")
            self.slug.setToolTip("")
        else:
            self.slug_note.setText("A saved article keeps its slug: links, snippets and packs rely on it.")
            self.slug.setToolTip("To use another slug, create a new article and retire this one.")
        self._show_reviewed()
        self.history_button.setEnabled(slug is not None)
        self.list.select(slug)
        self._validate()

    def new_article(self) -> None:
        def start() -> None:
            self._show(blank_article(), None)
            self.title.setFocus(Qt.FocusReason.OtherFocusReason)

        self.maybe_leave(start)

    # -- editing state ---------------------------------------------------------------

    def current_slug(self) -> str | None:
        return self._slug

    def current_article(self) -> Article:
        article = copy.deepcopy(self._loaded)
        article.title = self.title.text().strip()
        article.slug = self.slug.text().strip()
        article.summary = self.summary.text().strip()
        article.tags = split_list(self.tags.text())
        article.status = self.status.currentData()
        article.body = self.source.toPlainText()
        return article

    def is_dirty(self) -> bool:
        return self._pending_review or self.current_article().content() != self._loaded.content()

    def slug_problem(self) -> str | None:
        slug = self.slug.text().strip()
        if self._slug is not None:
            return None
        if not slug:
            return "Give the article a slug (it is made from the title as you type)."
        if not is_valid_slug(slug):
            return (f"The slug '{slug}' is not URL-safe: use lowercase letters, digits and single "
                    "hyphens, for example late-delivery.")
        if slug in self.list.slugs():
            return f"An article with the slug '{slug}' already exists. Choose another slug."
        return None

    def problem_text(self) -> str | None:
        if not self.title.text().strip():
            return "Give the article a title." if self.is_dirty() else None
        return self.slug_problem()

    def _validate(self) -> str | None:
        problem = self.problem_text()
        self.problem.setText(problem or "")
        self.problem.setVisible(bool(problem))
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty and problem is None and not self._saving)
        self.revert_button.setEnabled(dirty)
        self.state.setText("Unsaved changes" if dirty else ("Saved" if self._slug else "New article"))
        return problem

    def _edited(self) -> None:
        if not self._loading:
            self._validate()

    def _title_changed(self, text: str) -> None:
        if self._slug is None and not self._slug_touched and not self._loading:
            self.slug.setText(slugify(text))

    def _slug_edited(self, text: str) -> None:
        self._slug_touched = bool(text)

    def _show_reviewed(self) -> None:
        when = self._loaded.reviewed
        self.reviewed.setText(f"Last reviewed {when}" if when else "Not reviewed yet")

    def _mark_reviewed(self) -> None:
        self._pending_review = True
        self.reviewed.setText(f"Reviewed {today()} (save to keep)")
        self._validate()

    # -- saving ----------------------------------------------------------------------

    def save(self, then: Callable[[], None] | None = None) -> bool:
        """Save a new revision in the background; ``then`` runs after it landed."""
        problem = self._validate()
        if problem is not None:
            self.problem.setText(problem)
            self.problem.show()
            return False
        review = self._pending_review
        if self._saving or not self.is_dirty():
            if then is not None and not self._saving:
                then()
            return not self._saving
        article = self.current_article()
        was = self._loaded.status
        if review or (article.status == "vetted" and was != "vetted"):
            article.reviewed = today()
        is_new, kb = self._slug is None, self.kb
        note = "Created in the editor" if is_new else (
            f"Status {was} → {article.status}" if was != article.status else "Edited in the editor")

        def write():
            if is_new and kb.slug_exists(article.slug):
                raise InvalidInput(f"An article with the slug '{article.slug}' already exists. Choose another slug.")
            changes = kb.save_article(article, author=author(), note=note)
            return changes, kb.article(article.slug)

        self._saving = True
        self._validate()
        self.tasks.write(write, on_done=lambda result: self._saved(result, then),
                        on_error=self._save_failed)
        return True

    def _saved(self, result, then: Callable[[], None] | None) -> None:  # noqa: ANN001
        changes, article = result
        self._saving = False
        self._pending_review = False
        self._adopt(article, article.slug)  # text typed meanwhile stays, still unsaved
        self.status_message.emit(f"Saved “{article.title}”.")
        self.changes_made.emit(changes)
        self.refresh()
        if then is not None:
            then()

    def _save_failed(self, error) -> None:  # noqa: ANN001
        self._saving = False
        self._validate()
        show_error(self, error)

    def revert(self) -> None:
        self._pending_review = False
        self._show(self._loaded, self._slug)

    def maybe_leave(self, proceed: Callable[[], None], cancel: Callable[[], None] | None = None) -> None:
        """Run ``proceed`` once unsaved changes are saved or dropped (the user chooses)."""
        if not self.is_dirty():
            proceed()
            return
        name = self.title.text().strip() or "the new article"
        answer = QMessageBox.question(
            self, "Unsaved changes", f"Save your changes to “{name}”?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            if not self.save(then=proceed) and cancel is not None:
                cancel()
        elif answer == QMessageBox.StandardButton.Discard:
            self._pending_review = False
            self._show(self._loaded, self._slug)
            proceed()
        elif cancel is not None:
            cancel()

    # -- preview ---------------------------------------------------------------------

    def render_preview(self) -> None:
        self._preview_timer.stop()
        body, title = self.source.toPlainText(), self.title.text().strip() or None
        self.tasks.read(self.kb.render_markdown, body, title=title, key="editor-preview",
                        on_done=self._show_preview)

    def _show_preview(self, html: str) -> None:
        bar = self.preview.verticalScrollBar()
        where = bar.value()
        self.preview.setHtml(html)
        bar.setValue(where)

    def _link_clicked(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith(ARTICLE_URL_PREFIX):
            self.open_article(text[len(ARTICLE_URL_PREFIX):].strip("/"))
        else:
            self.status_message.emit(f"Links to {url.scheme() or 'other'} pages open from the reader, not the editor.")

    # -- outside changes -------------------------------------------------------------

    def on_changes(self, changes) -> None:  # noqa: ANN001 - kb.models.Changes
        if changes.rules:
            self.source.check_now()
        if changes.articles or changes.index:
            self.refresh()
            if self._slug in changes.articles and not self.is_dirty() and not self._saving:
                self._load(self._slug)
