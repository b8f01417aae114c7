"""Small helpers the editor pages share: messages, progress dialogs, list fields."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLabel, QLineEdit, QMessageBox, QProgressDialog, QWidget

from kb.errors import Cancelled, KbError

STATUS_LABELS = {"draft": "Draft", "in-review": "In review", "vetted": "Vetted", "retired": "Retired"}


def author() -> str:
    """Who is saving: the login name, for revision history."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some locked-down machines
        return "Editor"


def today() -> str:
    return dt.date.today().isoformat()


def error_text(error: object) -> str:
    """A message the user can act on (``KbError`` text); never a traceback."""
    if isinstance(error, KbError):
        return str(error)
    return f"Something went wrong: {error}"


def show_error(parent: QWidget | None, error: object, title: str = "Tactful editor") -> None:
    QMessageBox.warning(parent, title, error_text(error))


def confirm(parent: QWidget | None, title: str, text: str, yes: str = "OK") -> bool:
    answer = QMessageBox.question(
        parent, title, text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def split_list(text: str) -> list[str]:
    """``"a, b ,c"`` → ``["a", "b", "c"]`` (empty items and duplicates dropped)."""
    seen: dict[str, None] = {}
    for part in text.split(","):
        part = part.strip()
        if part:
            seen.setdefault(part, None)
    return list(seen)


def join_list(items: list[str]) -> str:
    return ", ".join(items)


class ListCompleter(QCompleter):
    """Completes the last item of a comma-separated list in a ``QLineEdit``."""

    def __init__(self, line: QLineEdit) -> None:
        self._model = QStringListModel()
        super().__init__(self._model, line)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchStartsWith)
        self._line = line
        line.setCompleter(self)

    def set_words(self, words: list[str]) -> None:
        self._model.setStringList(sorted(set(words), key=str.lower))

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 - Qt API
        return [path.split(",")[-1].strip()]

    def pathFromIndex(self, index: Any) -> str:  # noqa: N802 - Qt API
        head = self._line.text().rsplit(",", 1)
        prefix = (head[0] + ", ") if len(head) > 1 else ""
        return prefix + str(index.data())


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "heading")
    return label


def muted(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "muted")
    label.setWordWrap(True)
    return label


def run_long(
    parent: QWidget,
    tasks: Any,
    fn: Callable[..., Any],
    *args: Any,
    title: str,
    on_done: Callable[[Any], None],
    on_error: Callable[[Any], None] | None = None,
    **kwargs: Any,
) -> Any:
    """Run ``fn`` with ``tasks.long`` behind a progress dialog whose Cancel stops it."""
    dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setAccessibleName(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setMinimumWidth(380)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    closed = [False]

    def close() -> None:
        if not closed[0]:
            closed[0] = True
            dialog.reset()
            dialog.close()
            dialog.deleteLater()

    def finish(callback: Callable[[Any], None] | None, value: Any) -> None:
        close()
        if callback is not None:
            callback(value)

    def failed(error: Any) -> None:
        if isinstance(error, Cancelled):
            return  # the user asked for it; nothing was changed
        show_error(parent, error)

    task = tasks.long(
        fn, *args,
        on_done=lambda result: finish(on_done, result),
        on_error=lambda err: finish(on_error or failed, err),
        **kwargs,
    )

    def progressed(done: int, total: int, message: str) -> None:
        if total > 0:
            dialog.setRange(0, total)
            dialog.setValue(min(done, total))
        if message:
            dialog.setLabelText(message)

    task.progressed.connect(progressed)
    task.failed.connect(lambda _error: close())  # bugs go to the crash dialog
    dialog.canceled.connect(task.cancel)
    task.dialog = dialog  # type: ignore[attr-defined] - for tests and callers
    return task


def list_view(model, name: str):  # noqa: ANN001, ANN201 - a QAbstractTableModel; returns QTableView
    """The read-only, one-row-at-a-time table the editor's lists use (title stretches)."""
    from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setShowGrid(False)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    return view


def refill_slugs(combo, slugs) -> None:  # noqa: ANN001 - a QComboBox and article slugs
    """Offer ``slugs`` (after a blank "none") and keep what was chosen, without change signals."""
    chosen = combo.currentText()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem("")
    combo.addItems(list(slugs))
    combo.setCurrentText(chosen)
    combo.blockSignals(False)
