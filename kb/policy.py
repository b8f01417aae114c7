"""Machine-wide policy: settings IT sets or locks on managed desktops (read-only here).

Modelled on Firefox's ``policies.json`` and VS Code's enterprise policies: a JSON file in a
system-wide place that users cannot write, pushed by Group Policy, Intune, SCCM or a
configuration-management tool. See ``packaging/README.md`` for worked examples.

Where it is read from (all that exist are read; on a conflict the system file wins):

1. ``TACTFUL_POLICY_FILE`` if set: that file only (an empty value means no policy);
2. ``policy.json`` beside the application (a portable install on a USB stick or share);
3. the system file: ``%ProgramData%\\Tactful\\policy.json`` on Windows,
   ``/Library/Application Support/Tactful/policy.json`` on macOS and
   ``/etc/tactful/policy.json`` elsewhere.

Shape (every key optional; a bare value under ``settings`` is a default, not a lock)::

    {
      "reason": "Managed by IT: call the helpdesk on 4321 to change it.",
      "settings": {
        "appearance/theme": "light",
        "sharing/folder": {"value": "\\\\\\\\files\\\\tactful", "locked": true},
        "editor/enabled": {"value": false, "locked": true, "reason": "Editors use their own PCs."}
      },
      "data_folder": {"value": "%LOCALAPPDATA%\\\\Tactful", "locked": true},
      "allow_manual_pack_install": false
    }

A bad file never stops the app: what cannot be used is listed in ``problems`` (shown in the
app and logged) and ignored, and every valid part still applies.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

log = logging.getLogger(__name__)

ENV_POLICY = "TACTFUL_POLICY_FILE"
FILE_NAME = "policy.json"
MAX_BYTES = 256 * 1024
TOP_KEYS = ("reason", "settings", "data_folder", "allow_manual_pack_install")
DEFAULT_REASON = "Set by your organisation's policy."


@dataclass(frozen=True)
class PolicyValue:
    value: Any
    locked: bool
    reason: str


@dataclass
class Policy:
    """The policy in force: empty when no file exists."""

    settings: dict[str, PolicyValue] = field(default_factory=dict)
    data_folder: PolicyValue | None = None
    allow_manual_pack_install: bool = True
    manual_pack_reason: str = ""
    sources: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return bool(self.sources)

    def locked(self, name: str) -> PolicyValue | None:
        entry = self.settings.get(name)
        return entry if entry is not None and entry.locked else None

    def check_manual_pack_install(self) -> None:
        """Raise ``PolicyLocked`` when the policy forbids installing a pack by hand."""
        if not self.allow_manual_pack_install:
            from kb.errors import PolicyLocked

            raise PolicyLocked(
                "Installing a pack by hand is turned off by your organisation's policy: "
                f"{self.manual_pack_reason} Packs arrive through the shared folder instead."
            )

    def to_json(self) -> dict[str, Any]:
        return {
            "sources": [str(p) for p in self.sources],
            "settings": {
                name: {"value": e.value, "locked": e.locked, "reason": e.reason}
                for name, e in sorted(self.settings.items())
            },
            "data_folder": None if self.data_folder is None else {
                "value": self.data_folder.value, "locked": self.data_folder.locked,
            },
            "allow_manual_pack_install": self.allow_manual_pack_install,
            "problems": list(self.problems),
        }


def system_policy_path(platform: str | None = None, env: Mapping[str, str] | None = None) -> Path:
    platform = platform or sys.platform
    env = os.environ if env is None else env
    if platform.startswith("win"):
        return Path(env.get("ProgramData") or env.get("PROGRAMDATA") or r"C:\ProgramData") / "Tactful" / FILE_NAME
    if platform == "darwin":
        return Path("/Library/Application Support/Tactful") / FILE_NAME
    return Path("/etc/tactful") / FILE_NAME


def policy_paths(env: Mapping[str, str] | None = None) -> list[Path]:
    """The files to read, lowest precedence first."""
    env = os.environ if env is None else env
    if ENV_POLICY in env:
        chosen = env[ENV_POLICY].strip()
        return [Path(chosen).expanduser()] if chosen else []
    from kb.paths import app_dir

    return [app_dir() / FILE_NAME, system_policy_path(env=env)]


def load(env: Mapping[str, str] | None = None) -> Policy:
    """The policy in force; never raises (problems are collected and logged)."""
    policy = Policy()
    for path in policy_paths(env):
        data = _read(path, policy.problems)
        if data is not None:
            policy.sources.append(path)
            _apply(policy, data, path)
    for problem in policy.problems:
        if problem not in _LOGGED:  # the policy is read a few times a run; say it once
            _LOGGED.add(problem)
            log.warning("policy: %s", problem)
    return policy


_LOGGED: set[str] = set()


def _read(path: Path, problems: list[str]) -> dict[str, Any] | None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None
    except OSError as exc:
        problems.append(f"{path} could not be read ({exc.strerror or exc}); it was ignored.")
        return None
    if size > MAX_BYTES:
        problems.append(f"{path} is {size // 1024} KB, too big for a policy file (at most 256 KB); it was ignored.")
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        problems.append(f"{path} is not UTF-8 text; save it as UTF-8. It was ignored.")
        return None
    except OSError as exc:
        problems.append(f"{path} could not be read ({exc.strerror or exc}); it was ignored.")
        return None
    import json  # only when a policy file exists: json is not on the app's start-up path

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "it was ignored, so Tactful's own defaults apply."
        )
        return None
    if isinstance(data, dict) and isinstance(data.get("policies"), dict) and len(data) == 1:
        data = data["policies"]  # Firefox's wrapper, accepted for familiarity
    if not isinstance(data, dict):
        problems.append(f"{path} must hold a JSON object ({{...}}); it was ignored.")
        return None
    return data


def _apply(policy: Policy, data: dict[str, Any], path: Path) -> None:
    from kb.settings import BY_NAME, is_valid

    where = str(path)
    for key in data:
        if key not in TOP_KEYS:
            policy.problems.append(f"{where}: unknown key {key!r} ignored (known: {', '.join(TOP_KEYS)}).")
    reason = data.get("reason", DEFAULT_REASON)
    if not isinstance(reason, str) or not reason.strip():
        if "reason" in data:
            policy.problems.append(f"{where}: 'reason' must be text; the standard wording is used.")
        reason = DEFAULT_REASON
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        policy.problems.append(f"{where}: 'settings' must be an object of setting names; it was ignored.")
        settings = {}
    for name, raw in settings.items():
        setting = BY_NAME.get(name)
        if setting is None:
            policy.problems.append(f"{where}: unknown setting {name!r} ignored.")
            continue
        entry = _entry(raw, reason, f"{where}: setting {name!r}", policy.problems)
        if entry is None:
            continue
        if not is_valid(setting, entry.value):
            policy.problems.append(
                f"{where}: setting {name!r} cannot be {entry.value!r} "
                f"(it takes {_kind(setting)}); it was ignored."
            )
            continue
        policy.settings[name] = entry
    if "data_folder" in data:
        entry = _entry(data["data_folder"], reason, f"{where}: 'data_folder'", policy.problems)
        if entry is not None and (not isinstance(entry.value, str) or not entry.value.strip()):
            policy.problems.append(f"{where}: 'data_folder' must be a folder path; it was ignored.")
        elif entry is not None:
            folder = os.path.expandvars(os.path.expanduser(entry.value.strip()))
            policy.data_folder = PolicyValue(folder, entry.locked, entry.reason)
    if "allow_manual_pack_install" in data:
        allowed = data["allow_manual_pack_install"]
        if isinstance(allowed, bool):
            policy.allow_manual_pack_install = allowed
            policy.manual_pack_reason = reason
        else:
            policy.problems.append(f"{where}: 'allow_manual_pack_install' must be true or false; it was ignored.")


def _entry(raw: Any, reason: str, what: str, problems: list[str]) -> PolicyValue | None:
    if not isinstance(raw, dict):
        return PolicyValue(raw, False, reason)
    unknown = set(raw) - {"value", "locked", "reason"}
    if unknown:
        problems.append(f"{what}: unknown key(s) {', '.join(sorted(unknown))} ignored.")
    if "value" not in raw:
        problems.append(f"{what} has no 'value'; it was ignored.")
        return None
    locked = raw.get("locked", False)
    if not isinstance(locked, bool):
        problems.append(f"{what}: 'locked' must be true or false; it was ignored.")
        return None
    own = raw.get("reason", reason)
    return PolicyValue(raw["value"], locked, own if isinstance(own, str) and own.strip() else reason)


def _kind(setting: Any) -> str:
    if setting.type is bool:
        return "true or false"
    if setting.choices:
        return "one of " + ", ".join(repr(v) for v, _ in setting.choices)
    if setting.type is int:
        return f"a whole number from {setting.minimum} to {setting.maximum}"
    return "text"
