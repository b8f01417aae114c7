"""The Snippets page: list, form, checked text, fill-in field declarations and a preview
filled with sample values. A snippet cannot be saved as vetted while its text has
error-level findings."""

from __future__ import annotations

import copy
from collections.abc import Callable

from PySide6.QtCore import QTimer, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kb.errors import InvalidInput, NotFound
from kb.models import STAGE_TITLES, STAGES, STATUSES, Snippet, is_valid_slug, slugify

from desktop.composer.analysis import PLACEHOLDER
from desktop.editor.checked_text import CheckedTextEdit, summary
from desktop.editor.common import (
    STATUS_LABELS,
    ListCompleter,
    author,
    heading,
    join_list,
    muted,
    refill_slugs,
    show_error,
    split_list,
)
from desktop.editor.models import FieldsModel
from desktop.editor.snippet_list import SnippetList
from desktop.theme import set_role


def blank_snippet() -> Snippet:
    return Snippet(slug="", title="", text="", stage=STAGES[0], status="draft")


def _exists(kb, slug: str) -> bool:  # noqa: ANN001
    try:
        kb.snippet(slug)
    except NotFound:
        return False
    return True


def vetting_problem(errors: list) -> str:
    named = "; ".join(f"“{f.match}” – {f.message}" for f in errors[:3])
    more = f" and {len(errors) - 3} more" if len(errors) > 3 else ""
    return (f"This snippet can't be marked vetted while its text has {len(errors)} error-level "
            f"finding{'s' if len(errors) != 1 else ''}: {named}{more}. Reword it, or save it as "
            "a draft or in review.")


class SnippetsPage(QWidget):
    changes_made = Signal(object)
    history_requested = Signal(str, str)
    status_message = Signal(str)

    def __init__(self, kb, tasks, settings, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.kb, self.tasks, self.settings = kb, tasks, settings
        self._slug: str | None = None
        self._loaded = blank_snippet()
        self._saving = self._loading = False
        self._slug_touched = False
        self._build()
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(300)
        self._preview_timer.timeout.connect(self.render_preview)
        for line in (self.title, self.slug, self.situations, self.tags):
            line.textChanged.connect(self._edited)
        self.slug.textEdited.connect(lambda text: setattr(self, "_slug_touched", bool(text)))
        self.title.textChanged.connect(self._title_changed)
        for combo in (self.stage, self.status):
            combo.currentIndexChanged.connect(self._edited)
        self.article.currentTextChanged.connect(self._edited)
        self.text.textChanged.connect(self._edited)
        self.fields.dataChanged.connect(self._edited)
        self.fields.rowsInserted.connect(self._edited)
        self.fields.rowsRemoved.connect(self._edited)
        self.fields.modelReset.connect(self._edited)
        self.text.checked.connect(self._checked)
        self._show(blank_snippet(), None)

    # -- building --------------------------------------------------------------------

    def _line(self, name: str, placeholder: str = "") -> QLineEdit:
        line = QLineEdit()
        line.setAccessibleName(name)
        line.setPlaceholderText(placeholder)
        return line

    def _build(self) -> None:
        self.list = SnippetList()
        self.list.chosen.connect(self.open_snippet)
        self.list.new_requested.connect(self.new_snippet)

        self.title = self._line("Title")
        self.slug = self._line("Slug", "made-from-the-title")
        self.stage = QComboBox()
        self.stage.setAccessibleName("Stage")
        for stage in STAGES:
            self.stage.addItem(STAGE_TITLES[stage], stage)
        self.situations = self._line("Situations", "Comma-separated, for example: late-delivery")
        self.situation_completer = ListCompleter(self.situations)
        self.tags = self._line("Tags", "Comma-separated")
        self.tag_completer = ListCompleter(self.tags)
        self.article = QComboBox()
        self.article.setEditable(True)
        self.article.setAccessibleName("Article")
        self.article.setToolTip("The playbook article this snippet puts into practice (optional)")
        self.status = QComboBox()
        self.status.setAccessibleName("Status")
        for status in STATUSES:
            self.status.addItem(STATUS_LABELS[status], status)
        self.text = CheckedTextEdit(self.kb, self.tasks, self.settings, name="Snippet text",
                                    placeholder="Write the snippet; {name} is a fill-in field.",
                                    keep=self._keep_finding)
        self.text.setMinimumHeight(90)
        self.fields = FieldsModel(self)
        self.fields_view = QTableView()
        self.fields_view.setModel(self.fields)
        self.fields_view.setAccessibleName("Fill-in fields")
        self.fields_view.verticalHeader().hide()
        self.fields_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.fields_view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.fields_view.setMinimumHeight(90)
        self.add_field = QPushButton("Add &field")
        self.add_field.clicked.connect(lambda: self._add_field(""))
        self.remove_field = QPushButton("Remo&ve field")
        self.remove_field.clicked.connect(self._remove_field)
        self.declare = QPushButton("&Declare fields used in the text")
        self.declare.setToolTip("Add a row for every {name} in the text that has no declaration yet")
        self.declare.clicked.connect(self.declare_fields)
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        self.preview.setAccessibleName("Preview with sample values")
        self.preview.setMinimumHeight(70)
        self.findings = muted()
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        set_role(self.problem, "error")
        self.problem.hide()
        self.state = muted()
        self.save_button = QPushButton("&Save")
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(lambda: self.save())
        self.revert_button = QPushButton("&Revert")
        self.revert_button.clicked.connect(lambda: self._show(self._loaded, self._slug))
        self.history_button = QPushButton("&History…")
        self.history_button.clicked.connect(lambda: self._slug and self.history_requested.emit("snippet", self._slug))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, widget in (("&Title", self.title), ("S&lug", self.slug), ("Sta&ge", self.stage),
                              ("Situati&ons", self.situations), ("T&ags", self.tags),
                              ("Arti&cle", self.article), ("Stat&us", self.status)):
            form.addRow(label, widget)
        field_buttons = QHBoxLayout()
        field_buttons.addWidget(self.declare)
        field_buttons.addStretch(1)
        field_buttons.addWidget(self.add_field)
        field_buttons.addWidget(self.remove_field)
        buttons = QHBoxLayout()
        buttons.addWidget(self.state, 1)
        buttons.addWidget(self.history_button)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(form)
        right_layout.addWidget(self.problem)
        right_layout.addWidget(heading("Text"))
        right_layout.addWidget(self.text, 2)
        right_layout.addWidget(self.findings)
        right_layout.addWidget(heading("Fill-in fields"))
        right_layout.addWidget(self.fields_view, 2)
        right_layout.addLayout(field_buttons)
        right_layout.addWidget(heading("Preview with sample values"))
        right_layout.addWidget(self.preview, 1)
        right_layout.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(self.list)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 5)
        split.setSizes([340, 900])
        QVBoxLayout(self).addWidget(split)
        order = [self.list.search, self.list.status, self.list.view, self.list.new_button, self.title, self.slug, self.stage,
                 self.situations, self.tags, self.article, self.status, self.text, self.fields_view, self.declare,
                 self.add_field, self.remove_field, self.preview, self.history_button, self.revert_button,
                 self.save_button]
        for first, second in zip(order, order[1:]):
            QWidget.setTabOrder(first, second)

    # -- list ------------------------------------------------------------------------

    def refresh(self) -> None:
        kb = self.kb
        self.tasks.read(lambda: (kb.snippets(None), sorted(a.slug for a in kb.articles(None))),
                        key="editor-snippets", on_done=self._listed)

    def _listed(self, result) -> None:  # noqa: ANN001
        snippets, slugs = result
        self.list.set_snippets(snippets)
        self.tag_completer.set_words([t for s in snippets for t in s.tags])
        self.situation_completer.set_words([t for s in snippets for t in s.situations])
        refill_slugs(self.article, slugs)
        self.list.select(self._slug)

    def open_snippet(self, slug: str) -> None:
        self.maybe_leave(lambda: self.tasks.read(self.kb.snippet, slug, key="editor-open-snippet",
                                                 on_done=lambda s: self._show(s, s.slug),
                                                 on_error=lambda err: show_error(self, err)),
                         lambda: self.list.select(self._slug))

    def new_snippet(self) -> None:
        def start() -> None:
            self._show(blank_snippet(), None)
            self.title.setFocus(Qt.FocusReason.OtherFocusReason)

        self.maybe_leave(start)

    # -- the form --------------------------------------------------------------------

    def _show(self, snippet: Snippet, slug: str | None) -> None:
        self._loading = True
        self.title.setText(snippet.title)
        self.slug.setText(snippet.slug)
        self.stage.setCurrentIndex(max(0, self.stage.findData(snippet.stage)))
        self.situations.setText(join_list(snippet.situations))
        self.tags.setText(join_list(snippet.tags))
        self.article.setCurrentText(snippet.article or "")
        self.status.setCurrentIndex(max(0, self.status.findData(snippet.status)))
        self.fields.set_fields(snippet.fields)
        self.text.set_text(snippet.text)
        self._loading = False
        self._adopt(snippet, slug)
        self.render_preview()

    def _adopt(self, snippet: Snippet, slug: str | None) -> None:
        self._slug, self._loaded = slug, copy.deepcopy(snippet)
        self._slug_touched = slug is not None
        self.slug.setReadOnly(slug is not None)
        self.slug.setToolTip("A saved snippet keeps its slug: recipes and packs rely on it." if slug else
                             "Made from the title; you can change it until the first save.")
        self.history_button.setEnabled(slug is not None)
        self.list.select(slug)
        self._validate()

    def current_snippet(self) -> Snippet:
        snippet = copy.deepcopy(self._loaded)
        snippet.title = self.title.text().strip()
        snippet.slug = self.slug.text().strip()
        snippet.stage = self.stage.currentData()
        snippet.situations = split_list(self.situations.text())
        snippet.tags = split_list(self.tags.text())
        snippet.article = self.article.currentText().strip() or None
        snippet.status = self.status.currentData()
        snippet.text = self.text.toPlainText()
        snippet.fields = self.fields.fields()
        return snippet

    def is_dirty(self) -> bool:
        return self.current_snippet().content() != self._loaded.content()

    def problem_text(self) -> str | None:
        if not self.is_dirty():
            return None
        snippet = self.current_snippet()
        if not snippet.title:
            return "Give the snippet a title."
        if self._slug is None:
            if not is_valid_slug(snippet.slug):
                return (f"The slug '{snippet.slug}' is not URL-safe: use lowercase letters, digits and "
                        "single hyphens.")
            if snippet.slug in self.list.slugs():
                return f"A snippet with the slug '{snippet.slug}' already exists. Choose another slug."
        if not snippet.text.strip():
            return "Write the snippet's text."
        if snippet.status == "vetted":
            errors = [f for f in self.text.all_findings() if f.severity == "error"]
            if errors:
                return vetting_problem(errors)
        return None

    def _validate(self) -> str | None:
        problem = self.problem_text()
        self.problem.setText(problem or "")
        self.problem.setVisible(bool(problem))
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty and problem is None and not self._saving)
        self.revert_button.setEnabled(dirty)
        self.state.setText("Unsaved changes" if dirty else ("Saved" if self._slug else "New snippet"))
        return problem

    def _edited(self, *_args) -> None:  # noqa: ANN002
        if not self._loading:
            self._validate()
            self._preview_timer.start()

    def _title_changed(self, text: str) -> None:
        if self._slug is None and not self._slug_touched and not self._loading:
            self.slug.setText(slugify(text))

    def _keep_finding(self, finding, _text: str) -> bool:  # noqa: ANN001
        """Declared fields are not "unfilled placeholders" in a snippet's source text."""
        if finding.category != PLACEHOLDER:
            return True
        names = {f.name for f in self.fields.fields()}
        return finding.match.strip("{}[]<> ") not in names

    def _checked(self, findings: list) -> None:
        self.findings.setText(summary(findings))
        self._validate()

    def _add_field(self, name: str) -> None:
        row = self.fields.add(name, name.replace("_", " ").capitalize() if name else "")
        self.fields_view.setCurrentIndex(self.fields.index(row, 0))
        if not name:
            self.fields_view.edit(self.fields.index(row, 0))

    def _remove_field(self) -> None:
        self.fields.remove(self.fields_view.currentIndex().row())

    def declare_fields(self) -> None:
        from kb.snippets import placeholders

        declared = {f.name for f in self.fields.fields()}
        for name in placeholders(self.text.toPlainText()):
            if name not in declared:
                self._add_field(name)
        self.text.check_now()

    # -- preview ---------------------------------------------------------------------

    def render_preview(self) -> None:
        self._preview_timer.stop()
        snippet = self.current_snippet()

        def render() -> str:
            from kb import snippets as snippet_io

            try:
                return snippet_io.render(snippet, snippet_io.sample_values(snippet))
            except (InvalidInput, ValueError) as exc:
                return f"(No preview: {exc})"

        self.tasks.read(render, key="editor-snippet-preview", on_done=self.preview.setPlainText)

    # -- saving ----------------------------------------------------------------------

    def save(self, then: Callable[[], None] | None = None) -> bool:
        problem = self._validate()
        if problem is not None:
            self.problem.show()
            return False
        if self._saving or not self.is_dirty():
            if then is not None and not self._saving:
                then()
            return not self._saving
        snippet, is_new, kb, was = self.current_snippet(), self._slug is None, self.kb, self._loaded.status
        note = "Created in the editor" if is_new else (
            f"Status {was} → {snippet.status}" if was != snippet.status else "Edited in the editor")

        def write():
            if is_new and _exists(kb, snippet.slug):
                raise InvalidInput(f"A snippet with the slug '{snippet.slug}' already exists. Choose another slug.")
            if snippet.status == "vetted":
                errors = kb.vetting_findings(snippet)
                if errors:
                    raise InvalidInput(vetting_problem(errors))
            changes = kb.save_snippet(snippet, author=author(), note=note)
            return changes, kb.snippet(snippet.slug)

        self._saving = True
        self._validate()
        self.tasks.write(write, on_done=lambda result: self._saved(result, then), on_error=self._failed)
        return True

    def _saved(self, result, then) -> None:  # noqa: ANN001
        changes, snippet = result
        self._saving = False
        self._adopt(snippet, snippet.slug)
        self.status_message.emit(f"Saved “{snippet.title}”.")
        self.changes_made.emit(changes)
        self.refresh()
        if then is not None:
            then()

    def _failed(self, error) -> None:  # noqa: ANN001
        self._saving = False
        self._validate()
        self.problem.setText(str(error))
        self.problem.show()
        show_error(self, error)

    def maybe_leave(self, proceed: Callable[[], None], cancel: Callable[[], None] | None = None) -> None:
        if not self.is_dirty():
            proceed()
            return
        name = self.title.text().strip() or "the new snippet"
        answer = QMessageBox.question(
            self, "Unsaved changes", f"Save your changes to “{name}”?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            if not self.save(then=proceed) and cancel is not None:
                cancel()
        elif answer == QMessageBox.StandardButton.Discard:
            self._show(self._loaded, self._slug)
            proceed()
        elif cancel is not None:
            cancel()

    def on_changes(self, changes) -> None:  # noqa: ANN001
        if changes.snippets or changes.articles:
            self.refresh()
            if self._slug in changes.snippets and not self.is_dirty() and not self._saving:
                self.open_snippet(self._slug)
        if changes.rules:
            self.text.check_now()
