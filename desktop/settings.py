"""Preferences, declared in one table (STYLE.md #12), stored in the data folder.

Every setting has a name, type, default, label and help text; the settings dialog is
built from ``SETTINGS`` and a test checks each one is documented in the README.
Preferences live in ``settings.ini``; window geometry and other state that is not a
preference live apart in ``state.ini``. Both files are inside the data folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    label: str
    help: str
    choices: tuple[tuple[str, str], ...] = ()
    """(value, label) pairs for settings with a fixed set of values."""
    minimum: int | None = None
    maximum: int | None = None
    section: str = "General"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "appearance/theme", str, "system", "Theme",
        "Colours of the window: follow the system, or always light or dark.",
        choices=(("system", "Follow the system"), ("light", "Light"), ("dark", "Dark")),
        section="Appearance",
    ),
    Setting(
        "appearance/text_size", int, 100, "Text size (%)",
        "Size of the text in articles, the reply and lists, as a percentage of normal.",
        minimum=80, maximum=200, section="Appearance",
    ),
    Setting(
        "checks/strictness", str, "standard", "Phrasing checks",
        "Which phrasing findings to underline while you type: only errors (relaxed), "
        "errors and warnings (standard), or everything including suggestions (strict).",
        choices=(("relaxed", "Relaxed: errors only"), ("standard", "Standard: errors and warnings"),
                 ("strict", "Strict: everything, including suggestions")),
        section="Composer",
    ),
    Setting(
        "checks/delay_ms", int, 350, "Check delay (ms)",
        "How long to wait after you stop typing before the reply is checked again.",
        minimum=150, maximum=2000, section="Composer",
    ),
    Setting(
        "drafts/autosave_seconds", int, 3, "Autosave every (seconds)",
        "How often the reply you are writing is saved to the data folder.",
        minimum=1, maximum=60, section="Composer",
    ),
    Setting(
        "snippets/show_unvetted", bool, False, "Offer unvetted snippets",
        "Also offer snippets that are still drafts or in review (marked as such).",
        section="Composer",
    ),
    Setting(
        "editor/enabled", bool, False, "Editor mode",
        "Show the tools for writing, reviewing and publishing articles and snippets.",
        section="Editing",
    ),
    Setting(
        "editor/review_after_days", int, 180, "Review articles every (days)",
        "Articles not reviewed for this many days are listed as due for review.",
        minimum=7, maximum=1000, section="Editing",
    ),
    Setting(
        "sharing/folder", str, "", "Shared folder",
        "A folder (for example a network drive) where editors publish content packs. "
        "Tactful checks it at start and every few minutes and imports a newer pack.",
        section="Sharing",
    ),
    Setting(
        "sharing/check_minutes", int, 5, "Check the shared folder every (minutes)",
        "How often to look for a newer pack in the shared folder.",
        minimum=1, maximum=240, section="Sharing",
    ),
)

BY_NAME = {s.name: s for s in SETTINGS}


class Settings(QObject):
    """Typed access to ``settings.ini``; ``changed(name)`` fires after every change."""

    changed = Signal(str)

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)

    def get(self, name: str) -> Any:
        setting = BY_NAME[name]
        raw = self._qs.value(name, setting.default)
        return _coerce(setting, raw)

    def set(self, name: str, value: Any) -> None:
        setting = BY_NAME[name]
        value = _coerce(setting, value)
        if value == self.get(name) and self._qs.contains(name):
            return
        self._qs.setValue(name, value)
        self._qs.sync()
        self.changed.emit(name)

    def reset(self, name: str) -> None:
        self._qs.remove(name)
        self._qs.sync()
        self.changed.emit(name)


def _coerce(setting: Setting, raw: Any) -> Any:
    """A stored value as the declared type; anything unusable becomes the default."""
    try:
        if setting.type is bool:
            value: Any = raw if isinstance(raw, bool) else str(raw).strip().lower() in ("1", "true", "yes", "on")
        elif setting.type is int:
            value = int(raw)
            if setting.minimum is not None:
                value = max(setting.minimum, value)
            if setting.maximum is not None:
                value = min(setting.maximum, value)
        else:
            value = "" if raw is None else str(raw)
    except (TypeError, ValueError):
        return setting.default
    if setting.choices and value not in {v for v, _ in setting.choices}:
        return setting.default
    return value


class State:
    """Window geometry, splitter sizes and the like (not preferences)."""

    def __init__(self, path: Path) -> None:
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)

    def get(self, name: str, default: Any = None) -> Any:
        return self._qs.value(name, default)

    def set(self, name: str, value: Any) -> None:
        self._qs.setValue(name, value)

    def sync(self) -> None:
        self._qs.sync()
