"""Preferences, declared in one table (STYLE.md #12), and how a value is chosen.

The table is Qt-free so the CLI (``tactful settings``) and the app share it. A value comes
from, highest first (see ``kb.policy`` for the policy file IT manages):

1. a setting the organisation's policy locks;
2. the user's own choice (``settings.ini`` in the data folder);
3. a default the policy sets;
4. the built-in default below.

``settings.ini`` is written by Qt's ``QSettings`` in the app; ``IniFile`` reads and writes
the same file without Qt, for the CLI (strings, whole numbers and true/false only).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import configparser

    from kb.policy import Policy


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


MISSING = object()
"""Stands for "the user has not chosen a value"."""


@dataclass(frozen=True)
class Resolved:
    """One setting's value and where it came from."""

    name: str
    value: Any
    source: str
    """``policy-lock``, ``user``, ``policy-default`` or ``default``."""
    reason: str = ""
    """Why the policy sets it, when it does."""

    @property
    def locked(self) -> bool:
        return self.source == "policy-lock"


def resolve(setting: Setting, stored: Any, policy: "Policy | None") -> Resolved:
    """The value in force for ``setting``, given what the user stored (or ``MISSING``)."""
    entry = policy.settings.get(setting.name) if policy is not None else None
    if entry is not None and entry.locked:
        return Resolved(setting.name, entry.value, "policy-lock", entry.reason)
    if stored is not MISSING:
        return Resolved(setting.name, coerce(setting, stored), "user")
    if entry is not None:
        return Resolved(setting.name, entry.value, "policy-default", entry.reason)
    return Resolved(setting.name, setting.default, "default")


def coerce(setting: Setting, raw: Any) -> Any:
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


def is_valid(setting: Setting, value: Any) -> bool:
    """True when ``value`` is already of the setting's type and within its limits."""
    if setting.type is bool:
        return isinstance(value, bool)
    if setting.type is int:
        if isinstance(value, bool) or not isinstance(value, int):
            return False
    elif not isinstance(value, str):
        return False
    return coerce(setting, value) == value


def parse_text(setting: Setting, text: str) -> Any:
    """A value typed on the command line, checked; raises ``InvalidInput`` with what is allowed."""
    from kb.errors import InvalidInput

    raw = text.strip()
    if setting.type is bool:
        lowered = raw.lower()
        if lowered not in ("true", "false", "yes", "no", "on", "off", "1", "0"):
            raise InvalidInput(f"{setting.name} is on or off: give true or false, not {text!r}.")
        return lowered in ("true", "yes", "on", "1")
    if setting.type is int:
        try:
            value = int(raw)
        except ValueError:
            raise InvalidInput(f"{setting.name} takes a whole number, not {text!r}.") from None
        if (setting.minimum is not None and value < setting.minimum) or (
            setting.maximum is not None and value > setting.maximum
        ):
            raise InvalidInput(
                f"{setting.name} must be between {setting.minimum} and {setting.maximum}, not {value}."
            )
        return value
    if setting.choices and raw not in {v for v, _ in setting.choices}:
        allowed = ", ".join(v for v, _ in setting.choices)
        raise InvalidInput(f"{setting.name} is one of {allowed}, not {text!r}.")
    return text


class IniFile:
    """``settings.ini`` without Qt: the subset of QSettings' INI format our settings use."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def _read(self) -> "configparser.RawConfigParser":
        import configparser

        parser = configparser.RawConfigParser(interpolation=None, strict=False)
        parser.optionxform = str  # type: ignore[assignment,method-assign]  # keep key case
        try:
            parser.read(self.path, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError, OSError):
            pass  # an unreadable file reads as "nothing chosen", as QSettings does
        return parser

    def stored(self, name: str) -> Any:
        """The raw value the user stored for ``name``, or ``MISSING``."""
        group, _, key = name.rpartition("/")
        parser = self._read()
        section = group or "General"
        if not parser.has_option(section, key):
            return MISSING
        return _unescape(parser.get(section, key))

    def write(self, name: str, value: Any) -> None:
        self._update(name, value)

    def remove(self, name: str) -> None:
        self._update(name, MISSING)

    def _update(self, name: str, value: Any) -> None:
        from kb.markdown_io import atomic_write_text

        group, _, key = name.rpartition("/")
        parser = self._read()
        section = group or "General"
        if value is MISSING:
            if parser.has_section(section):
                parser.remove_option(section, key)
        else:
            if not parser.has_section(section):
                parser.add_section(section)
            parser.set(section, key, _escape(value))
        lines: list[str] = []
        for sec in parser.sections():
            if not parser.items(sec):
                continue
            lines.append(f"[{sec}]")
            lines.extend(f"{k}={v}" for k, v in parser.items(sec))
            lines.append("")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.path, "\n".join(lines))


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = "".join(_ESCAPES.get(ch, ch) for ch in str(value))
    plain = text.replace("_", "").replace("-", "").replace(".", "")
    return text if plain.isalnum() else f'"{text}"'


def _unescape(raw: str) -> str:
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        raw = raw[1:-1]
    out, i = [], 0
    back = {v[1]: k for k, v in _ESCAPES.items()}
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw):
            out.append(back.get(raw[i + 1], raw[i + 1]))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)
