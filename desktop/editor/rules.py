"""The Team rules page: "avoid this phrase, say this instead", applied at once."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kb.models import CATEGORIES, SEVERITIES

from desktop.editor.common import confirm, heading, muted, refill_slugs, show_error
from desktop.editor.models import RowsModel
from desktop.theme import set_role

SEPARATOR = "|"


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(SEPARATOR) if part.strip()]


def _join(items: list[str]) -> str:
    return f" {SEPARATOR} ".join(items)


class TeamRulesPage(QWidget):
    changes_made = Signal(object)
    status_message = Signal(str)

    def __init__(self, kb, tasks, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.kb, self.tasks = kb, tasks
        self._rule_id = ""  # the rule in the form; "" for a new one
        self.model = RowsModel([
            ("Phrases to avoid", lambda r: _join(r.phrases)),
            ("Category", lambda r: r.category),
            ("Severity", lambda r: r.severity),
            ("Say instead", lambda r: _join(r.suggestions)),
            ("Article", lambda r: r.article or ""),
            ("On", lambda r: "yes" if r.enabled else "no"),
        ], self, tooltip=lambda r: r.message or r.rule_id)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Team rules")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().currentRowChanged.connect(lambda current, _p: self._show(self.model.row_data(current.row())))

        self.phrases = QLineEdit()
        self.phrases.setAccessibleName("Phrases to avoid")
        self.phrases.setPlaceholderText("per my last email   (several: separate with |)")
        self.category = QComboBox()
        self.category.setAccessibleName("Category")
        self.category.addItems(list(CATEGORIES))
        self.severity = QComboBox()
        self.severity.setAccessibleName("Severity")
        self.severity.addItems(list(SEVERITIES))
        self.severity.setCurrentText("warning")
        self.message = QLineEdit()
        self.message.setAccessibleName("Message")
        self.message.setPlaceholderText("Shown with the underline; %s is the phrase found (optional)")
        self.suggestions = QLineEdit()
        self.suggestions.setAccessibleName("Say instead")
        self.suggestions.setPlaceholderText("as I mentioned   (several: separate with |)")
        self.article = QComboBox()
        self.article.setEditable(True)
        self.article.setAccessibleName("Article")
        self.article.setToolTip("The playbook article that explains why (optional)")
        self.enabled = QCheckBox("&Check for this rule")
        self.enabled.setChecked(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        set_role(self.problem, "error")
        self.problem.hide()
        self.new_button = QPushButton("&New rule")
        self.new_button.clicked.connect(lambda: self._show(None))
        self.delete_button = QPushButton("&Delete rule…")
        self.delete_button.clicked.connect(self.delete_rule)
        self.save_button = QPushButton("&Save rule")
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save_rule)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Avoid", self.phrases)
        pair = QHBoxLayout()
        pair.addWidget(self.category, 1)
        pair.addWidget(QLabel("Se&verity"))
        pair.addWidget(self.severity)
        pair.itemAt(1).widget().setBuddy(self.severity)
        form.addRow("Cate&gory", pair)
        form.addRow("&Message", self.message)
        form.addRow("Say &instead", self.suggestions)
        form.addRow("A&rticle", self.article)
        form.addRow("", self.enabled)
        for widget in (self.phrases, self.category, self.message, self.suggestions, self.article):
            label = form.labelForField(widget) if widget is not self.category else form.labelForField(pair)
            if isinstance(label, QLabel):
                label.setBuddy(widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(muted("Rules the checker applies on top of the bundled ones, as soon as you save. "
                               "They travel with content packs."))
        layout.addWidget(self.view, 2)
        layout.addWidget(heading("Rule"))
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        order = [self.view, self.phrases, self.category, self.severity, self.message, self.suggestions,
                 self.article, self.enabled, self.new_button, self.delete_button, self.save_button]
        for first, second in zip(order, order[1:]):
            QWidget.setTabOrder(first, second)
        self._show(None)

    def refresh(self) -> None:
        kb = self.kb
        self.tasks.read(lambda: (kb.team_rules(), sorted(a.slug for a in kb.articles(None))),
                        key="editor-team-rules", on_done=self._loaded)

    def _loaded(self, result) -> None:  # noqa: ANN001
        rules, slugs = result
        refill_slugs(self.article, slugs)
        current = self._rule_id
        self.model.set_rows(rules)
        for row, rule in enumerate(rules):
            if rule.rule_id == current:
                self.view.selectRow(row)

    def _show(self, rule) -> None:  # noqa: ANN001 - kb.team_rules.TeamRule | None
        self.problem.hide()
        self._rule_id = rule.rule_id if rule is not None else ""
        if rule is None:
            self.view.clearSelection()
        self.phrases.setText(_join(rule.phrases) if rule else "")
        self.category.setCurrentText(rule.category if rule else CATEGORIES[0])
        self.severity.setCurrentText(rule.severity if rule else "warning")
        self.message.setText(rule.message if rule else "")
        self.suggestions.setText(_join(rule.suggestions) if rule else "")
        self.article.setCurrentText((rule.article or "") if rule else "")
        self.enabled.setChecked(rule.enabled if rule else True)
        self.delete_button.setEnabled(rule is not None)
        self.save_button.setText("&Save rule" if rule else "&Add rule")

    def current_rule(self):  # noqa: ANN201 - kb.team_rules.TeamRule
        from kb.team_rules import TeamRule

        return TeamRule(
            rule_id=self._rule_id,
            phrases=_split(self.phrases.text()),
            category=self.category.currentText(),
            severity=self.severity.currentText(),
            message=self.message.text().strip(),
            suggestions=_split(self.suggestions.text()),
            article=self.article.currentText().strip() or None,
            enabled=self.enabled.isChecked(),
        )

    def save_rule(self) -> None:
        rule = self.current_rule()
        if not rule.phrases:
            self._problem("Write the phrase to avoid.")
            return
        kb = self.kb
        self.tasks.write(lambda: (kb.save_team_rule(rule), rule.rule_id),
                         on_done=self._saved, on_error=lambda err: self._problem(str(err)))

    def _saved(self, result) -> None:  # noqa: ANN001
        changes, rule_id = result
        self._rule_id = rule_id
        self.problem.hide()
        self.delete_button.setEnabled(True)
        self.save_button.setText("&Save rule")
        self.status_message.emit("Team rule saved; the checker uses it now.")
        self.changes_made.emit(changes)
        self.refresh()

    def delete_rule(self) -> None:
        rule_id = self._rule_id
        if not rule_id or not confirm(self, "Delete team rule",
                                      f"Delete the rule about “{self.phrases.text()}”?", "Delete"):
            return
        kb = self.kb
        self.tasks.write(kb.delete_team_rule, rule_id, on_done=self._deleted,
                         on_error=lambda err: show_error(self, err))

    def _deleted(self, changes) -> None:  # noqa: ANN001
        self._show(None)
        self.status_message.emit("Team rule deleted.")
        self.changes_made.emit(changes)
        self.refresh()

    def _problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def on_changes(self, changes) -> None:  # noqa: ANN001
        if changes.rules or changes.articles:
            self.refresh()
