"""The reply editor: plain text with phrasing findings underlined by severity.

Underlines are extra selections held by ``QTextCursor`` objects, so they move with the
text while the rep keeps typing until the next check replaces them. Hovering a finding
shows its message, why it matters and the suggested wording; right-clicking one offers
the suggestions, "Ignore here" and "Why?". The editor only reports those choices; the
panel decides what they do.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Signal
from PySide6.QtGui import QColor, QContextMenuEvent, QHelpEvent, QTextCursor
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QTextEdit, QToolTip, QWidget

from desktop import theme
from desktop.composer.analysis import PLACEHOLDER, Positions, match_case

if TYPE_CHECKING:
    from kb.models import Finding

SEVERITY_LABELS = {"error": "Error", "warning": "Warning", "suggestion": "Suggestion"}


def severity_colour(severity: str) -> QColor:
    colours = theme.current()
    return QColor(getattr(colours, severity, colours.suggestion))


def tooltip_html(finding: Finding) -> str:
    """Message, why and suggestions of a finding, as a small rich-text tooltip."""
    parts = [f"<b>{html.escape(SEVERITY_LABELS.get(finding.severity, finding.severity))}:</b> "
             f"{html.escape(finding.message)}"]
    if finding.why:
        parts.append(html.escape(finding.why))
    if finding.suggestions:
        tries = " or ".join(f"“{html.escape(s)}”" for s in finding.suggestions[:3])
        parts.append(f"<i>Try:</i> {tries}")
    if finding.suggestions or finding.article:
        hints = []
        if finding.suggestions:
            hints.append("Ctrl+. applies the first suggestion")
        hints.append("right-click for more")
        parts.append(f"<span style='font-size:small'>{'; '.join(hints)}.</span>")
    return "<p style='white-space:pre-wrap; max-width:28em'>" + "<br><br>".join(parts) + "</p>"


class _HoverTips(QObject):
    """Shows the message, why and suggestion of the finding under a resting pointer."""

    def __init__(self, editor: ReplyEditor) -> None:
        super().__init__(editor)
        self.editor = editor

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            self.editor.show_tooltip(event)
            return True
        return False


class ReplyEditor(QPlainTextEdit):
    """``QPlainTextEdit`` that underlines findings and offers their fixes."""

    suggestion_chosen = Signal(int, str)  # finding index, replacement text
    ignore_chosen = Signal(int)  # finding index
    article_chosen = Signal(str)  # article slug

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replyEditor")
        self.setAccessibleName("Reply")
        self.setAccessibleDescription("The reply you are writing. Phrasing findings are underlined.")
        self.setPlaceholderText("Write your reply here, or start from a snippet (Ctrl+I) or a recipe (Ctrl+Shift+R).")
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self._marks: list[tuple[Finding, QTextCursor]] = []
        # Hovering happens over the viewport. Its filter goes in with the first underline:
        # the first event PySide6 passes to Python as a bare QEvent makes it build some
        # fifty event classes (~3 ms), which the window's start need not wait for.
        self._hover: _HoverTips | None = None

    # -- findings ------------------------------------------------------------------------

    def set_findings(self, findings: list[Finding], text: str | None = None) -> None:
        """Underline ``findings`` (offsets into ``text``, the current text by default)."""
        positions = Positions(self.toPlainText() if text is None else text)
        last = max(0, self.document().characterCount() - 1)
        self._marks = []
        for finding in findings:
            cursor = QTextCursor(self.document())
            cursor.setPosition(min(positions.to_qt(finding.start), last))
            cursor.setPosition(min(positions.to_qt(finding.end), last), QTextCursor.MoveMode.KeepAnchor)
            self._marks.append((finding, cursor))
        if self._marks and self._hover is None:
            self._hover = _HoverTips(self)
            self.viewport().installEventFilter(self._hover)
        self._paint()

    def remove_findings(self, indices: set[int]) -> None:
        """Stop underlining the findings at ``indices`` (the others keep their places)."""
        self._marks = [mark for i, mark in enumerate(self._marks) if i not in indices]
        self._paint()

    def findings(self) -> list[Finding]:
        return [finding for finding, _ in self._marks]

    def range_of(self, index: int) -> tuple[int, int]:
        """Where finding ``index`` is now (editor positions; it moves as the text changes)."""
        cursor = self._marks[index][1]
        return cursor.selectionStart(), cursor.selectionEnd()

    def index_at(self, position: int, *, inclusive_end: bool = False) -> int | None:
        """The finding under ``position`` (the narrowest, if several overlap)."""
        best: tuple[int, int] | None = None
        for index in range(len(self._marks)):
            start, end = self.range_of(index)
            if start == end:
                continue
            if start <= position < end or (inclusive_end and position == end):
                if best is None or end - start < best[1]:
                    best = (index, end - start)
        return None if best is None else best[0]

    def next_index(self, position: int, *, forward: bool = True) -> int | None:
        """The first finding starting at or after (or before) ``position``, wrapping round."""
        ordered = sorted((self.range_of(i)[0], i) for i in range(len(self._marks))
                         if self.range_of(i)[0] != self.range_of(i)[1])
        if not ordered:
            return None
        if forward:
            later = [i for start, i in ordered if start >= position]
            return later[0] if later else ordered[0][1]
        earlier = [i for start, i in ordered if start < position]
        return earlier[-1] if earlier else ordered[-1][1]

    def select_finding(self, index: int) -> None:
        start, end = self.range_of(index)
        cursor = self.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def replace_finding(self, index: int, replacement: str) -> bool:
        """Replace finding ``index`` with ``replacement`` as one undoable edit."""
        start, end = self.range_of(index)
        if start == end:
            return False
        text = self.toPlainText()
        before = text[:start].rstrip(" \t\u00a0\"'“‘(")
        sentence_start = not before or before[-1] in ".!?\n\u2029:"
        original = self._marks[index][1].selectedText()
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.beginEditBlock()
        cursor.insertText(match_case(original, replacement, sentence_start=sentence_start))
        cursor.endEditBlock()
        del self._marks[index]
        self.setTextCursor(cursor)
        self._paint()
        return True

    def _paint(self) -> None:
        from PySide6.QtGui import QTextCharFormat  # kept off the start-up path

        selections = []
        for finding, cursor in self._marks:
            if cursor.selectionStart() == cursor.selectionEnd():
                continue
            selection = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            colour = severity_colour(finding.severity)
            fmt.setUnderlineColor(colour)
            tint = QColor(colour)
            tint.setAlpha(34)  # a faint wash, so the flagged words stand out without shouting
            fmt.setBackground(tint)
            selection.format = fmt
            selection.cursor = cursor
            selections.append(selection)
        self.setExtraSelections(selections)

    def restyle(self) -> None:
        """The theme changed (``MainWindow`` calls this): repaint the underlines in its colours."""
        if self._marks:
            self._paint()

    # -- hover and context menu ----------------------------------------------------------

    def show_tooltip(self, event: QHelpEvent) -> None:
        index = self.index_at(self.cursorForPosition(event.pos()).position())
        if index is None:
            QToolTip.hideText()
            event.ignore()
        else:
            QToolTip.showText(event.globalPos(), tooltip_html(self._marks[index][0]), self.viewport())

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt API
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            position = self.cursorForPosition(event.pos()).position()
        else:
            position = self.textCursor().position()
        menu = self.context_menu(position, event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()

    def context_menu(self, position: int, pos: QPoint | None = None) -> QMenu:
        """The standard edit menu, with the finding at ``position`` offered first."""
        menu = self.createStandardContextMenu(pos if pos is not None else QPoint(0, 0))
        index = self.index_at(position, inclusive_end=True)
        if index is None:
            return menu
        finding = self._marks[index][0]
        first = menu.actions()[0] if menu.actions() else None
        actions = []
        for suggestion in finding.suggestions[:5]:
            action = menu.addAction(f"Replace with “{suggestion.replace('&', '&&')}”")
            action.triggered.connect(lambda _c=False, i=index, s=suggestion: self.suggestion_chosen.emit(i, s))
            actions.append(action)
        if finding.category != PLACEHOLDER:
            action = menu.addAction("Ignore here")
            action.setToolTip("Stop flagging this phrase in this reply")
            action.triggered.connect(lambda _c=False, i=index: self.ignore_chosen.emit(i))
            actions.append(action)
        if finding.article:
            action = menu.addAction("Why? – open article")
            action.triggered.connect(lambda _c=False, slug=finding.article: self.article_chosen.emit(slug))
            actions.append(action)
        title = menu.addSection(finding.message if len(finding.message) < 70 else finding.message[:67] + "…")
        if first is not None:
            menu.insertActions(first, [title, *actions])
            menu.insertSeparator(first)
        return menu
