"""Light and dark themes, following the system unless the user chose one.

Fusion style with our own palettes gives the same calm look on every platform, and a
small style sheet (``resources/styles/app.qss``, with ``@token`` colours filled in here)
adds spacing and the accent colour. Text size scales the application font.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from kb import resources


@dataclass(frozen=True)
class Colours:
    window: str
    base: str
    alt_base: str
    text: str
    muted: str
    accent: str
    accent_text: str
    border: str
    highlight_bg: str
    error: str
    warning: str
    suggestion: str


LIGHT = Colours(
    window="#f4f5f7", base="#ffffff", alt_base="#f0f2f5", text="#1d2330", muted="#5b6475",
    accent="#2f6fde", accent_text="#ffffff", border="#d5d9e0", highlight_bg="#fff1a8",
    error="#c62828", warning="#b26a00", suggestion="#2f6fde",
)
DARK = Colours(
    window="#1e2128", base="#262a33", alt_base="#2c313b", text="#e6e9ef", muted="#a3abba",
    accent="#6d9eff", accent_text="#10131a", border="#3a404c", highlight_bg="#6b5b00",
    error="#ff6b6b", warning="#ffb74d", suggestion="#6d9eff",
)

_BASE_POINT_SIZE: float | None = None
STYLE = "Fusion"
_STYLE_SET = "tactful_style_set"


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    return bool(scheme and scheme() == Qt.ColorScheme.Dark)


def colours_for(mode: str) -> Colours:
    if mode == "dark" or (mode == "system" and system_prefers_dark()):
        return DARK
    return LIGHT


def _palette(c: Colours) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    for r, value in (
        (role.Window, c.window), (role.WindowText, c.text), (role.Base, c.base),
        (role.AlternateBase, c.alt_base), (role.Text, c.text), (role.Button, c.base),
        (role.ButtonText, c.text), (role.ToolTipBase, c.base), (role.ToolTipText, c.text),
        (role.Highlight, c.accent), (role.HighlightedText, c.accent_text),
        (role.Link, c.accent), (role.PlaceholderText, c.muted), (role.Mid, c.border),
    ):
        p.setColor(r, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    for r in (role.Text, role.WindowText, role.ButtonText):
        p.setColor(disabled, r, QColor(c.muted))
    return p


def style_sheet(c: Colours) -> str:
    qss = resources.read_text("styles", "app.qss")
    # Longest names first so "@alt_base" is not eaten by "@base".
    for name in sorted(Colours.__dataclass_fields__, key=len, reverse=True):
        qss = qss.replace(f"@{name}", getattr(c, name))
    return qss


def application_argv(argv: list[str]) -> list[str]:
    """Arguments for a new QApplication that starts in Tactful's style (Fusion).

    Same as ``setStyle("Fusion")`` afterwards, minus the ~5 ms PySide6 spends at start-up
    wrapping the QStyle that ``setStyle`` returns. ``apply`` then leaves the style alone.
    """
    return [*argv[:1], "-style", STYLE, *argv[1:]]


def started_in_style(app: QApplication) -> None:
    """Record that ``app`` was created with ``application_argv``."""
    app.setProperty(_STYLE_SET, True)


def apply(app: QApplication, mode: str = "system", text_size: int = 100) -> Colours:
    """Apply the theme and text size to the whole application; returns the colours used."""
    global _BASE_POINT_SIZE
    colours = colours_for(mode)
    if not app.property(_STYLE_SET):
        app.setStyle(STYLE)
        app.setProperty(_STYLE_SET, True)
    app.setPalette(_palette(colours))
    if _BASE_POINT_SIZE is None:
        _BASE_POINT_SIZE = app.font().pointSizeF() if app.font().pointSizeF() > 0 else 10.0
    font = QFont(app.font())
    font.setPointSizeF(_BASE_POINT_SIZE * text_size / 100)
    app.setFont(font)
    app.setStyleSheet(style_sheet(colours))
    app.setProperty("tactful_colours", colours.__dict__)
    return colours


def set_role(widget: QWidget, role: str) -> None:
    """Give ``widget`` a style sheet role (``muted``, ``error``, ``heading``, or ``""``).

    The style sheet is re-applied only when the role changes on a widget already
    polished; one not polished yet picks the role up when it is (and start-up does not
    pay for the QStyle wrapper).
    """
    if (widget.property("role") or "") == role:
        return
    widget.setProperty("role", role)
    if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)


def base_point_size() -> float:
    """The unscaled application font size; ``apply`` scales the app font by the text size."""
    if _BASE_POINT_SIZE:
        return float(_BASE_POINT_SIZE)
    size = QApplication.font().pointSizeF()
    return size if size > 0 else 10.0


def current(app: QApplication | None = None) -> Colours:
    app = app or QApplication.instance()
    data = app.property("tactful_colours") if app is not None else None
    return Colours(**data) if data else LIGHT
