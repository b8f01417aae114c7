"""A shared folder (a network drive) through which a small office gets the editors' packs.

* Editors publish: ``publish_pack(kb, folder, publisher)`` writes
  ``tactful-<first 8 characters of the kb id>.tactpack`` there atomically (a hidden
  temporary file, flushed, then renamed over the previous pack), so a rep never reads
  half a pack and an interrupted publish leaves the previous pack in place.
* Reps subscribe: ``check_shared_folder(kb, folder)`` (at start and every few minutes)
  finds the newest valid ``*.tactpack`` and imports it if it is newer than the one
  installed. It only ever reads the folder. A missing or unreachable folder, a pack still
  being copied, or a damaged pack is reported in the result, never raised, so a
  background check cannot crash the app.

Which packs count: if packs from the knowledge base installed last are present, only
those; otherwise those of the knowledge base whose pack was created most recently. The
newest version that is newer than the installed one and passes every check is installed
(a newer pack that fails a check is listed in ``skipped`` and the next newest is tried).
A pack version that was rolled back is not installed again automatically (a newer one is).
Choosing reads only each pack's zip directory and manifest, so checking every few
minutes stays cheap on a network drive; only the pack being installed is read whole.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kb import packs
from kb.errors import Cancelled, InvalidInput, KbError
from kb.packs import PACK_SUFFIX, ImportSummary, PackInfo
from kb.progress import CancelToken, ProgressCallback

if TYPE_CHECKING:
    from kb.facade import KnowledgeBase

log = logging.getLogger(__name__)

STALE_TEMP_SECONDS = 3600
"""A publisher removes its own temporary files left this long by an interrupted publish."""

STATUSES = ("imported", "up-to-date", "no-pack", "unreachable", "refused")


@dataclass
class SharedFolderResult:
    status: str
    """One of ``STATUSES``."""
    message: str
    """One sentence for a status bar or a log."""
    pack: PackInfo | None = None
    """The newest valid pack found, if any."""
    summary: ImportSummary | None = None
    """Set when ``status == "imported"``."""
    skipped: list[str] = field(default_factory=list)
    """One message per pack file that was ignored (damaged, still being copied, ...)."""

    @property
    def imported(self) -> bool:
        return self.status == "imported"


def pack_name(kb: "KnowledgeBase") -> str:
    """The file name ``publish_pack`` uses for this knowledge base."""
    return f"tactful-{kb.kb_id[:8]}{PACK_SUFFIX}"


def pack_files(folder: Path) -> list[Path]:
    """``*.tactpack`` files in ``folder``, leaving out hidden and temporary files."""
    return sorted(
        p for p in folder.iterdir()
        if p.name.endswith(PACK_SUFFIX) and not p.name.startswith(".") and p.is_file()
    )


def check_shared_folder(
    kb: "KnowledgeBase",
    folder: str | os.PathLike[str],
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> SharedFolderResult:
    """Import the newest pack in ``folder`` if it is newer than the installed one."""
    folder = Path(folder)
    try:
        candidates = pack_files(folder)
    except OSError as exc:
        return SharedFolderResult(
            "unreachable",
            f"The shared folder {folder} cannot be reached ({exc.strerror or exc}); "
            "it will be checked again later.",
        )
    found: list[PackInfo] = []
    skipped: list[str] = []
    for path in candidates:
        if cancel is not None:
            cancel.raise_if_cancelled()
        try:
            found.append(packs.peek_pack(path))  # the directory and manifest only: cheap
        except InvalidInput as exc:
            skipped.append(str(exc))
    if not found:
        message = f"No usable pack in {folder}."
        if skipped:
            message += f" {len(skipped)} file(s) were skipped: {skipped[0]}"
        return SharedFolderResult("no-pack", message, skipped=skipped)
    last = packs.last_pack(kb)
    kb_id = last["kb_id"] if last and any(p.kb_id == last.get("kb_id") for p in found) else (
        max(found, key=lambda p: (p.created, p.version)).kb_id
    )
    newest_first = sorted((p for p in found if p.kb_id == kb_id), key=lambda p: p.version, reverse=True)
    installed = packs.installed_version(kb, kb_id)
    rolled_back = packs.rolled_back_version(kb, kb_id)
    refusal: str | None = None
    for info in newest_first:
        if installed is not None and info.version <= installed:
            break
        if rolled_back is not None and info.version <= rolled_back:
            return SharedFolderResult(
                "up-to-date",
                f"Pack version {info.version} was rolled back; waiting for a newer one.",
                pack=info,
                skipped=skipped,
            )
        try:
            summary = packs.import_pack(kb, info.path, progress=progress, cancel=cancel)
        except Cancelled:
            raise
        except InvalidInput as exc:  # damaged or refused: note it, try the next newest
            skipped.append(str(exc))
            refusal = refusal or str(exc)
            continue
        except KbError as exc:  # busy, unwritable data folder...: try again next time
            return SharedFolderResult("refused", str(exc), pack=info, skipped=skipped)
        who = f" from {info.publisher}" if info.publisher else ""
        return SharedFolderResult(
            "imported",
            f"Installed pack version {info.version}{who}.",
            pack=summary.pack,
            summary=summary,
            skipped=skipped,
        )
    if refusal is not None:
        return SharedFolderResult("refused", refusal, pack=newest_first[0], skipped=skipped)
    return SharedFolderResult(
        "up-to-date",
        f"Up to date (pack version {installed})." if installed is not None else "Nothing new to install.",
        pack=newest_first[0],
        skipped=skipped,
    )


def publish_pack(
    kb: "KnowledgeBase",
    folder: str | os.PathLike[str],
    publisher: str = "",
    progress: ProgressCallback | None = None,
) -> PackInfo:
    """Export this knowledge base into the shared folder, replacing the previous pack atomically."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidInput(
            f"The shared folder {folder} cannot be reached; check the network drive is connected "
            "or choose the folder again."
        )
    target = folder / pack_name(kb)
    try:
        info = packs.export_pack(kb, target, publisher=publisher, progress=progress)
    except OSError as exc:
        raise InvalidInput(
            f"Could not publish to {folder} ({exc.strerror or exc}); the previous pack is unchanged. "
            "Check you can write to the folder and try again."
        ) from None
    _remove_stale_temp_files(folder, target.name)
    return info


def _remove_stale_temp_files(folder: Path, name: str) -> None:
    """Tidy temporary files an interrupted publish of *this* pack left behind long ago."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    try:
        leftovers = [p for p in folder.glob(f".{name}.*.tmp") if p.stat().st_mtime < cutoff]
    except OSError:
        return
    for path in leftovers:
        try:
            path.unlink()
        except OSError:
            log.info("could not remove the stale temporary file %s", path)
