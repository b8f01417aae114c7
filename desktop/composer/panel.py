"""The Compose panel: case details, the three key questions, the reply and its findings.

Built as ``ComposerPanel(kb, tasks, settings)``. Every knowledge-base call runs through
``tasks`` (reads on the reader pool, draft saves on the one writer). The pieces live in
their own modules: ``editor`` (underlines, tooltips, context menu), ``findings`` (the list
model and view), ``checker`` (debounced checks), ``drafting`` (autosave), ``questions``,
``drafts_dialog``, ``copying`` (Copy reply) and ``inserting`` (snippets and recipes, as
mixins); this module lays them out and wires them together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kb.drafts import Draft
from kb.lint import finding_key

from desktop import theme
from desktop.composer import analysis
from desktop.composer.analysis import CheckResult
from desktop.composer.checker import LiveChecker
from desktop.composer.copying import CopyActions
from desktop.composer.drafting import DraftKeeper
from desktop.composer.editor import ReplyEditor
from desktop.composer.findings import FindingDetails, FindingsModel, FindingsView
from desktop.composer.inserting import SnippetActions
from desktop.composer.questions import QuestionsPanel

if TYPE_CHECKING:
    # kb.models (a dozen dataclasses, ~5 ms) arrives with the knowledge base, which opens
    # on a worker thread once the window is up; start-up does not wait for it.
    from kb.models import Changes, Finding

    from desktop.composer.drafts_dialog import RecentDraftsDialog

STATUS_MS = 5000


def _button(text: str, tip: str, name: str, slot: Any) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.setAccessibleName(name)
    button.clicked.connect(lambda _checked=False: slot())
    return button


class ComposerPanel(CopyActions, SnippetActions, QWidget):
    """Write a reply with live phrasing checks; it is saved as a draft while you type."""

    open_article_requested = Signal(str)
    changes_made = Signal(object)  # kb.models.Changes
    draft_loaded = Signal(object)  # the Draft now shown (None: a new, empty reply)
    findings_updated = Signal()
    copied = Signal(str)

    def __init__(self, kb: Any, tasks: Any, settings: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kb, self.tasks, self.settings = kb, tasks, settings
        self.setObjectName("composerPanel")
        self.setAccessibleName("Compose a reply")
        self._values: dict[str, str] = {}
        self._ignored: list[str] = []
        self._recipe: str | None = None
        self._loading = False
        self._touched = False
        self.restore_done = False
        self._guide: Any = None
        self._build()
        self.keeper = DraftKeeper(kb, tasks, settings, self._snapshot, self)
        self.keeper.failed.connect(lambda message: self._say(f"Couldn't save the draft: {message}", "error"))
        self.checker = LiveChecker(kb, tasks, settings, self.editor, lambda: self._ignored, self)
        self.checker.checked.connect(self._apply_check)
        self.editor.textChanged.connect(self._edited)
        self.case_ref.textEdited.connect(lambda _t: self._edited())
        self.customer.textEdited.connect(self._customer_edited)
        self.questions.changed.connect(self._edited)
        settings.changed.connect(self._setting_changed)
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.timeout.connect(lambda: self._say(""))
        tasks.read(lambda: kb.drafts.latest_open(), on_done=self._restore,
                   on_error=lambda e: self._restore(None))

    # -- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        self.new_button = _button("&New", "Start a new reply (Ctrl+N)", "New reply", self.new_reply)
        self.drafts_button = _button("&Drafts…", "Return to a reply you were writing (Ctrl+O)",
                                     "Recent drafts", self.show_recent_drafts)
        self.snippet_button = _button("&Snippet…", "Insert a vetted snippet at the cursor (Ctrl+I)",
                                      "Insert snippet", self.choose_snippet)
        self.recipe_button = _button("Reci&pe…", "Start from a reply recipe for the situation (Ctrl+Shift+R)",
                                     "Start from a recipe", self.choose_recipe)
        self.case_ref = QLineEdit()
        self.case_ref.setObjectName("caseRef")
        self.case_ref.setPlaceholderText("Case reference")
        self.case_ref.setAccessibleName("Case reference")
        self.case_ref.setToolTip("The ticket or case number, so you can find this draft again")
        self.customer = QLineEdit()
        self.customer.setObjectName("customerName")
        self.customer.setPlaceholderText("Customer name")
        self.customer.setAccessibleName("Customer name")
        self.customer.setToolTip("Used for {customer_name} when you insert a snippet")
        case_label, customer_label = QLabel("Cas&e:"), QLabel("C&ustomer:")
        case_label.setBuddy(self.case_ref)
        customer_label.setBuddy(self.customer)
        # Containers join their parent before they are filled: under the app style sheet a
        # finished subtree added to a splitter is polished again at every level it moves.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        tools = QHBoxLayout()
        layout.addLayout(tools)
        for button in (self.new_button, self.drafts_button, self.snippet_button, self.recipe_button):
            tools.addWidget(button)
        tools.addStretch(1)
        header = QHBoxLayout()
        layout.addLayout(header)
        header.addWidget(case_label)
        header.addWidget(self.case_ref, 2)
        header.addWidget(customer_label)
        header.addWidget(self.customer, 3)

        self.questions = QuestionsPanel(self)
        layout.addWidget(self.questions)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)

        self.editor = ReplyEditor()
        self.editor.suggestion_chosen.connect(self._replace)
        self.editor.ignore_chosen.connect(self._ignore)
        self.editor.article_chosen.connect(self.open_article_requested)
        self.editor.cursorPositionChanged.connect(self._follow_cursor)
        self.splitter.addWidget(self.editor)

        side = QWidget()
        side.setObjectName("findingsSide")
        self.splitter.addWidget(side)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        self.findings_title = QLabel("Phrasing")
        self.findings_title.setProperty("role", "heading")
        side_layout.addWidget(self.findings_title)
        self.model = FindingsModel(self)
        self.findings_view = FindingsView()
        self.findings_view.setModel(self.model)
        self.findings_view.apply_requested.connect(self._apply_row)
        self.findings_view.selectionModel().currentChanged.connect(self._row_changed)
        self.findings_view.clicked.connect(lambda index: self._select_row(index.row()))
        side_layout.addWidget(self.findings_view, 3)
        self.details = FindingDetails(side)
        self.details.apply_clicked.connect(lambda: self._apply_row(self.findings_view.currentIndex().row()))
        self.details.ignore_clicked.connect(lambda: self._ignore(self.findings_view.currentIndex().row()))
        self.details.article_clicked.connect(self.open_article_requested)
        side_layout.addWidget(self.details, 2)

        self.guide_box = QWidget()
        self.guide_box.setObjectName("recipeGuideBox")
        self.guide_layout = QVBoxLayout(self.guide_box)
        self.guide_layout.setContentsMargins(0, 0, 0, 0)
        self.splitter.addWidget(self.guide_box)
        self.guide_box.hide()
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setStretchFactor(2, 2)

        self.status = QLabel()
        self.status.setObjectName("composerStatus")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Composer status")
        self.status.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.status)
        self.words = QLabel("0 words")
        self.words.setAccessibleName("Word count")
        self.words.setProperty("role", "muted")
        self.readability = QLabel()
        self.readability.setAccessibleName("Readability")
        self.readability.setProperty("role", "muted")
        self.copy_button = _button("&Copy reply", "Copy the reply as plain text (Ctrl+Enter)",
                                   "Copy reply", self.copy_reply)
        self.copy_button.setProperty("primary", True)
        status_row = QHBoxLayout()
        status_row.setSpacing(18)
        layout.addLayout(status_row)
        status_row.addWidget(self.words)
        status_row.addWidget(self.readability)
        status_row.addStretch(1)
        status_row.addWidget(self.copy_button)
        self._show_stats(CheckResult(text=""))
        self._show_details(None)
        chain = [self.new_button, self.drafts_button, self.snippet_button, self.recipe_button,
                 self.case_ref, self.customer, *self.questions.widgets_in_order(), self.editor,
                 self.findings_view, self.details.apply, self.details.ignore, self.details.why,
                 self.copy_button]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    # -- small helpers -----------------------------------------------------------------

    def _say(self, message: str, kind: str = "", *, timeout: int | None = None) -> None:
        self.status.setText(message)
        theme.set_role(self.status, kind if kind in ("error", "muted") else "")
        self._fit_status()
        if timeout:
            self._status_timer.start(timeout)
        else:
            self._status_timer.stop()

    def _fit_status(self) -> None:
        """Reserve room for every line of the status message (a wrapped label can be squeezed)."""
        width = self.status.width() if self.status.width() > 50 else max(200, self.width() - 16)
        lines = self.status.heightForWidth(width) if self.status.text() else -1
        self.status.setMinimumHeight(max(lines, self.status.fontMetrics().lineSpacing()))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_status()

    def status_text(self) -> str:
        return self.status.text()

    def _known_values(self) -> dict[str, str]:
        known = dict(self._values)
        if self.customer.text().strip():
            known["customer_name"] = self.customer.text().strip()
        return known

    def _snapshot(self) -> Draft:
        return Draft(
            case_ref=self.case_ref.text().strip(),
            customer=self.customer.text().strip(),
            body=self.editor.toPlainText(),
            questions=self.questions.answers(),
            values=dict(self._values),
            ignored=list(self._ignored),
            recipe=self._recipe,
        )

    def _edited(self) -> None:
        if self._loading:
            return
        self._touched = True
        self.keeper.mark_changed()

    def _customer_edited(self, text: str) -> None:
        if text.strip():
            self._values["customer_name"] = text.strip()
        else:
            self._values.pop("customer_name", None)
        self._edited()

    # -- drafts ------------------------------------------------------------------------

    def _restore(self, draft: Draft | None) -> None:
        self.restore_done = True
        if draft is None or draft.is_empty:
            self.draft_loaded.emit(None)
            return
        if self._touched:
            # The rep started typing before the old draft came back: keep both.
            self._say("Your previous reply is in Recent drafts (Ctrl+O).", "muted", timeout=STATUS_MS * 2)
            return
        self._load(draft)
        from desktop.composer.drafts_dialog import when

        self._say(f"Restored your unsaved reply from {when(draft.updated_at)}.", timeout=STATUS_MS * 2)

    def _load(self, draft: Draft | None) -> None:
        """Show ``draft`` (None: an empty reply) and save to its row from now on."""
        draft = draft or Draft()
        self._loading = True
        try:
            self.case_ref.setText(draft.case_ref)
            self.customer.setText(draft.customer)
            self.questions.set_answers(draft.questions)
            self._values = dict(draft.values)
            if draft.customer and "customer_name" not in self._values:
                self._values["customer_name"] = draft.customer
            self._ignored = list(draft.ignored)
            self._recipe = draft.recipe
            self.editor.setPlainText(draft.body)
            self.editor.moveCursor(QTextCursor.MoveOperation.End)
        finally:
            self._loading = False
        self._touched = False
        self.keeper.start(draft.id)
        self.editor.set_findings([])
        self.model.set_findings([])
        self._show_details(None)
        self._show_stats(CheckResult(text=draft.body, words=analysis.count_words(draft.body)))
        self.guide_box.hide()
        if draft.recipe:
            self._restore_guide(draft.recipe)
        if draft.body.strip():
            self.checker.check_now()
        self.draft_loaded.emit(draft if draft.id is not None else None)

    def save_now(self) -> None:
        """Save the reply now (also done automatically while typing and on close)."""
        if self.editor.toPlainText() or self.keeper.draft_id is not None or self._touched:
            self.keeper.save_now()

    def new_reply(self) -> None:
        """Close the current draft (it stays in Recent drafts) and start an empty reply."""
        had_draft = self.keeper.draft_id is not None or not self._snapshot().is_empty
        self.keeper.close_current()
        self._load(None)
        self._say("New reply. The previous one is in Recent drafts (Ctrl+O)." if had_draft else "New reply.",
                  "muted", timeout=STATUS_MS)
        if had_draft:
            self._drafts_changed()
            kb = self.kb
            self.tasks.write(lambda: kb.drafts.prune())  # keep the newest 200 closed drafts
        self.editor.setFocus()

    def show_recent_drafts(self) -> "RecentDraftsDialog | None":
        """List recent drafts (loaded in the background) and open the one chosen."""
        self.save_now()
        current = self.keeper.draft_id

        def recent() -> list[Draft]:
            return [d for d in self.kb.drafts.recent(50) if d.id != current and not d.is_empty]

        self.tasks.read(recent, on_done=self._open_drafts_dialog)
        return None

    def _open_drafts_dialog(self, drafts: list[Draft]) -> None:
        from desktop.composer.drafts_dialog import RecentDraftsDialog

        dialog = RecentDraftsDialog(drafts, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open_requested.connect(self.open_draft)
        dialog.delete_requested.connect(self._delete_draft)
        self.drafts_dialog = dialog
        dialog.open()

    def open_draft(self, draft_id: int) -> None:
        """Close the current reply (kept in the list) and carry on with draft ``draft_id``."""
        if draft_id == self.keeper.draft_id:
            return
        if self.editor.toPlainText().strip() or self.keeper.draft_id is not None:
            self.keeper.close_current()
        self.tasks.read(lambda: self.kb.drafts.get(draft_id), on_done=self._reopen,
                        on_error=lambda e: self._say(str(e), "error"))

    def _reopen(self, draft: Draft) -> None:
        draft.closed_at = None
        self._load(draft)
        self.keeper.save_now()  # open again, so a restart brings this one back
        from desktop.composer.drafts_dialog import when

        self._say(f"Opened the draft from {when(draft.updated_at)}.", timeout=STATUS_MS)
        self.editor.setFocus()
        self._drafts_changed()

    def _delete_draft(self, draft_id: int) -> None:
        self.tasks.write(lambda: self.kb.drafts.delete(draft_id), on_done=lambda _r: self._drafts_changed())

    def _drafts_changed(self) -> None:
        from kb.models import Changes  # not at the top: see the note on the imports

        self.changes_made.emit(Changes(drafts=True))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self.save_now()
        super().closeEvent(event)

    # -- phrasing checks -----------------------------------------------------------------

    def _strictness(self) -> str:
        return str(self.settings.get("checks/strictness"))

    def _apply_check(self, result: CheckResult) -> None:
        ignored = set(self._ignored)
        shown = [f for f in analysis.shown(result.findings, self._strictness())
                 if finding_key(f) not in ignored]
        self.editor.set_findings(shown, result.text)
        self.model.set_findings(shown)
        self._show_stats(result)
        self._show_details(None)
        self._follow_cursor()
        self.findings_updated.emit()

    def _show_stats(self, result: CheckResult) -> None:
        self.words.setText(f"{result.words} word{'' if result.words == 1 else 's'}")
        label, tip = analysis.grade_label(result.grade)
        self.readability.setText(label)
        self.readability.setToolTip(tip)
        self.readability.setAccessibleDescription(tip)
        count = len(self.editor.findings())
        self.findings_title.setText("Phrasing" if not count else f"Phrasing ({count})")

    def _show_details(self, finding: Finding | None) -> None:
        if self.editor.findings():
            empty = "Select a finding (F8) to see why it matters and how to fix it."
        elif self.editor.toPlainText().strip():
            empty = "Nothing to flag so far."
        else:
            empty = "Phrasing findings appear here as you type."
        self.details.set_finding(finding, empty_text=empty)

    def findings(self) -> list[Finding]:
        """The findings underlined now, in text order."""
        return self.editor.findings()

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_details(self.model.finding(current.row()))

    def _select_row(self, row: int) -> None:
        if 0 <= row < len(self.editor.findings()):
            self.editor.select_finding(row)

    def _follow_cursor(self) -> None:
        """Keep the list's current row on the finding under the cursor."""
        if not self.editor.findings():
            return
        index = self.editor.index_at(self.editor.textCursor().selectionStart(), inclusive_end=True)
        if index is not None and index != self.findings_view.currentIndex().row():
            self.findings_view.setCurrentIndex(self.model.index(index))

    def _removed(self, indices: set[int]) -> None:
        self.editor.remove_findings(indices)
        self.model.set_findings(self.editor.findings())
        self._show_details(None)
        self._show_stats(self.checker.latest or CheckResult(text=""))

    def _replace(self, index: int, replacement: str) -> None:
        if self.editor.replace_finding(index, replacement):
            self.model.set_findings(self.editor.findings())
            self._show_details(None)
            self._say(f"Replaced with “{replacement}”. Ctrl+Z undoes it.", "muted", timeout=STATUS_MS)

    def _apply_row(self, row: int) -> None:
        finding = self.model.finding(row)
        if finding is None:
            return
        if not finding.suggestions:
            self._select_row(row)
            self.editor.setFocus()
            self._say("No suggested wording for this one; rewrite it in your own words.", "muted",
                      timeout=STATUS_MS)
            return
        self._replace(row, finding.suggestions[0])

    def _ignore(self, index: int) -> None:
        findings = self.editor.findings()
        if not 0 <= index < len(findings):
            return
        key = finding_key(findings[index])
        if key not in self._ignored:
            self._ignored.append(key)
        self._removed({i for i, f in enumerate(findings) if finding_key(f) == key})
        self._say("Ignored in this reply.", "muted", timeout=STATUS_MS)
        self.keeper.save_now()
        self.checker.check_now()

    def next_finding(self) -> None:
        """Select the next phrasing finding after the cursor (F8)."""
        self._step(forward=True)

    def previous_finding(self) -> None:
        """Select the previous phrasing finding before the cursor (Shift+F8)."""
        self._step(forward=False)

    def _step(self, *, forward: bool) -> None:
        cursor = self.editor.textCursor()
        index = self.editor.next_index(cursor.selectionEnd() if forward else cursor.selectionStart(),
                                       forward=forward)
        if index is None:
            self._say("No phrasing findings.", "muted", timeout=STATUS_MS)
            return
        self.editor.select_finding(index)
        self.editor.setFocus()
        self._say(self.editor.findings()[index].message, "muted", timeout=STATUS_MS)

    def quick_fix(self) -> None:
        """Apply the first suggestion of the finding at (or after) the cursor (Ctrl+.)."""
        findings = self.editor.findings()
        if not findings:
            self._say("Nothing to fix.", "muted", timeout=STATUS_MS)
            return
        position = self.editor.textCursor().selectionStart()
        index = self.editor.index_at(position, inclusive_end=True)
        if index is None:
            after = sorted((self.editor.range_of(i)[0], i) for i, f in enumerate(findings)
                           if f.suggestions and self.editor.range_of(i)[0] >= position)
            before = sorted((self.editor.range_of(i)[0], i) for i, f in enumerate(findings) if f.suggestions)
            candidates = after or before
            index = candidates[0][1] if candidates else None
        if index is None:
            self._say("No suggested wording here.", "muted", timeout=STATUS_MS)
            return
        self._apply_row(index)

    def on_changes(self, changes: Changes) -> None:
        """Another part of the app wrote something; re-check when the rules changed."""
        if getattr(changes, "rules", False):
            self.checker.check_now()

    def _setting_changed(self, name: str) -> None:
        if name == "checks/strictness":
            self.checker.check_now()
        elif name == "checks/delay_ms":
            self.checker.apply_settings()
        elif name == "drafts/autosave_seconds":
            self.keeper.apply_settings()

    # -- focus -------------------------------------------------------------------------

    def focus_questions(self) -> None:
        """Jump to the three key questions (Ctrl+Shift+Q)."""
        self.questions.show()
        self.questions.focus_first()

    def focus_editor(self) -> None:
        """Jump to the reply (Ctrl+E)."""
        self.editor.setFocus()
