"""Where Tactful keeps its data: one folder, chosen in one place.

Order of precedence:

1. an explicit ``home`` (``--home PATH`` on the command line);
2. the ``TACTFUL_HOME`` environment variable;
3. portable mode: a folder named ``tactful-data`` beside the application (the frozen
   executable, or the project checkout when run from source) — for USB sticks and
   profiles wiped at logout;
4. a ``data_folder`` the organisation's policy sets (``kb.policy``);
5. the per-user data folder from platformdirs (``~/.local/share/Tactful`` on Linux).

A policy that *locks* ``data_folder`` beats all of these; an explicit folder that differs
from it is refused with a message saying so.

Nothing is ever written outside this folder.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "Tactful"
ENV_HOME = "TACTFUL_HOME"
PORTABLE_DIRNAME = "tactful-data"


def app_dir() -> Path:
    """The folder the application runs from (read-only as far as Tactful is concerned)."""
    if getattr(sys, "frozen", False):
        folder = Path(sys.executable).resolve().parent
        # macOS: Tactful.app/Contents/MacOS/tactful -> the folder holding Tactful.app.
        if sys.platform == "darwin" and folder.name == "MacOS" and folder.parent.parent.suffix == ".app":
            return folder.parent.parent.parent
        return folder
    return Path(__file__).resolve().parent.parent


def portable_home() -> Path | None:
    """The portable data folder beside the app, if one exists."""
    candidate = app_dir() / PORTABLE_DIRNAME
    return candidate if candidate.is_dir() else None


def resolve_home(home: str | os.PathLike[str] | None = None) -> Path:
    """The data folder to use, following the order in this module's docstring."""
    from kb import policy as policy_file

    chosen = policy_file.load().data_folder
    explicit = str(home) if home is not None and str(home) != "" else os.environ.get(ENV_HOME, "").strip()
    if chosen is not None and chosen.locked:
        folder = Path(chosen.value).expanduser().resolve()
        if explicit and Path(explicit).expanduser().resolve() != folder:
            from kb.errors import DataFolderError

            raise DataFolderError(
                f"Your organisation's policy keeps Tactful's data in {folder} ({chosen.reason.rstrip('.')}). "
                f"Start Tactful without --home or {ENV_HOME}."
            )
        return folder
    if explicit:
        return Path(explicit).expanduser().resolve()
    portable = portable_home()
    if portable is not None:
        return portable
    if chosen is not None:
        return Path(chosen.value).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=True))


@dataclass(frozen=True)
class DataPaths:
    """Every file and folder inside one data folder."""

    home: Path

    @classmethod
    def for_home(cls, home: str | os.PathLike[str] | None = None) -> "DataPaths":
        return cls(resolve_home(home))

    @property
    def db(self) -> Path:
        return self.home / "tactful.db"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def rules_dir(self) -> Path:
        """Team rule files (one YAML file per rule, same shape as the bundled rules)."""
        return self.home / "rules"

    @property
    def vocab_dir(self) -> Path:
        """Team vocabularies: ``accept.txt`` (never flag) and ``reject.yaml`` (always flag)."""
        return self.home / "vocab"

    @property
    def settings_file(self) -> Path:
        return self.home / "settings.ini"

    @property
    def state_file(self) -> Path:
        """Window geometry and other state that is not a preference."""
        return self.home / "state.ini"

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"

    @property
    def cache_dir(self) -> Path:
        """Files rebuilt from other data when missing (the rules' compiled regexes)."""
        return self.home / "cache"

    @property
    def backups_dir(self) -> Path:
        """Snapshots kept for one-click rollback after a pack import."""
        return self.home / "backups"

    @property
    def lock_file(self) -> Path:
        """Held by the running desktop app, so a second copy can say what is happening."""
        return self.home / "tactful.lock"

    def ensure(self) -> "DataPaths":
        """Create the data folder if needed, with a message the user can act on if not."""
        from kb.errors import DataFolderError

        try:
            self.home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DataFolderError(
                f"Cannot create the data folder {self.home}: {exc.strerror or exc}. "
                f"Choose another folder with --home or {ENV_HOME}."
            ) from None
        if not os.access(self.home, os.W_OK):
            raise DataFolderError(
                f"The data folder {self.home} is not writable. "
                f"Choose another folder with --home or {ENV_HOME}."
            )
        return self
