"""Preferences, declared in one table (STYLE.md #12), stored in the data folder.

Every setting has a name, type, default, label and help text; the settings dialog is
built from ``SETTINGS`` and a test checks each one is documented in the README.
Preferences live in ``settings.ini``; window geometry and other state that is not a
preference live apart in ``state.ini``. Both files are inside the data folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Signal

from kb.settings import BY_NAME, MISSING, SETTINGS, Resolved, Setting, resolve
from kb.settings import coerce as _coerce

if TYPE_CHECKING:
    from kb.policy import Policy

__all__ = ["BY_NAME", "SETTINGS", "Setting", "Settings", "State"]


class Settings(QObject):
    """Typed access to ``settings.ini`` under the organisation's policy (``kb.settings``).

    ``changed(name)`` fires after every change. A setting the policy locks keeps the
    policy's value: ``set`` leaves it alone and ``resolved(name).reason`` says why.
    """

    changed = Signal(str)

    def __init__(self, path: Path, parent: QObject | None = None, *, policy: "Policy | None" = None) -> None:
        super().__init__(parent)
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)
        self.policy = policy
        """The policy in force (None: none was read, as in most tests)."""

    def resolved(self, name: str) -> Resolved:
        setting = BY_NAME[name]
        stored = self._qs.value(name) if self._qs.contains(name) else MISSING
        return resolve(setting, stored, self.policy)

    def get(self, name: str) -> Any:
        return self.resolved(name).value

    def locked_reason(self, name: str) -> str | None:
        """Why the policy locks ``name``, or None when the user may change it."""
        resolved = self.resolved(name)
        return resolved.reason if resolved.locked else None

    def set(self, name: str, value: Any) -> None:
        setting = BY_NAME[name]
        if self.locked_reason(name) is not None:
            return  # the organisation's policy decides this one
        value = _coerce(setting, value)
        if value == self.get(name) and self._qs.contains(name):
            return
        self._qs.setValue(name, value)
        self._qs.sync()
        self.changed.emit(name)

    def reset(self, name: str) -> None:
        if self.locked_reason(name) is not None:
            return
        self._qs.remove(name)
        self._qs.sync()
        self.changed.emit(name)


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
