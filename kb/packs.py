"""Packs: one file that carries a knowledge base's content to other machines.

A pack (``*.tactpack``) is a zip holding::

    manifest.json                 format version, kb id, pack version, created, publisher,
                                  and the size and SHA-256 of every other file
    articles/<slug>.md            markdown with front matter (``kb.markdown_io``)
    snippets/snippets.yaml        a ``snippets:`` list (``kb.snippets``)
    recipes/<slug>.yaml           one reply recipe each
    team-rules/<rule_id>.yaml     one team rule each (``kb.team_rules``)

Never index files: the Whoosh index is made of pickles, so it is always rebuilt locally
(DESIGN.md). Every pack has a version number: a counter kept in the publishing knowledge
base's meta table, bumped on each export.

``import_pack`` reads every member once into memory and validates *everything* (zip
structure, names, sizes, compression ratio, manifest, checksums, every file's schema,
links, the version against the one installed) before writing anything; then it applies
the content in one store transaction. Just before applying, a copy of the database is
kept in ``backups/`` so ``rollback_last_pack`` can put the content back. The rep's drafts
(and ``settings.ini``, which is not in the database) are never touched by either.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sqlite3
import stat
import tempfile
import uuid
import zipfile
import zlib
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from kb import team_rules
from kb.errors import IndexBusy, InvalidInput
from kb.models import Article, Changes, Recipe, Snippet
from kb.progress import CancelToken, ProgressCallback, report

if TYPE_CHECKING:
    from kb.facade import KnowledgeBase

log = logging.getLogger(__name__)

PACK_SUFFIX = ".tactpack"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SNIPPETS_FILE = "snippets/snippets.yaml"

MAX_ARCHIVE_BYTES = 200 * 1024 * 1024
MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_MEMBER_BYTES = 8 * 1024 * 1024
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
MAX_FILES = 10_000
MAX_RATIO = 100
RATIO_FROM_BYTES = 64 * 1024
"""The compression-ratio cap applies to members at least this big (tiny files vary a lot)."""

SNAPSHOT_DB = "before-last-pack.db"
SNAPSHOT_INFO = "before-last-pack.json"
_META_EXPORTED = "pack_export_version"
_META_INSTALLED = "pack_installed:"
_META_ROLLED_BACK = "pack_rolled_back:"
_META_LAST = "pack_last"

_LAYOUT = re.compile(
    r"^(?:manifest\.json|snippets/snippets\.yaml"
    r"|articles/[a-z0-9]+(?:-[a-z0-9]+)*\.md"
    r"|recipes/[a-z0-9]+(?:-[a-z0-9]+)*\.yaml"
    r"|team-rules/team\.[a-z0-9]+(?:[-.][a-z0-9]+)*\.yaml)$"
)
_FOLDERS = {"articles/", "snippets/", "recipes/", "team-rules/"}
_INDEX_LIKE = re.compile(r"(?:^|/)index/|\.(?:pkl|pickle|seg|toc|db|sqlite3?)$|_main_", re.IGNORECASE)
_KB_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
_LINK = re.compile(r"\]\(\s*<?([^()\s>]+)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_MD_TARGET = re.compile(r"\.(?:md|markdown|mdown|mkd)$", re.IGNORECASE)


@dataclass(frozen=True)
class PackInfo:
    """What a pack says about itself (after its checks passed)."""

    path: str
    format_version: int
    kb_id: str
    version: int
    created: str
    publisher: str
    app_version: str = ""
    articles: int = 0
    snippets: int = 0
    recipes: int = 0
    team_rules: int = 0
    files: int = 0
    size: int = 0
    """Total uncompressed bytes of the content."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ImportSummary:
    pack: PackInfo
    articles_created: list[str] = field(default_factory=list)
    articles_updated: list[str] = field(default_factory=list)
    articles_unchanged: list[str] = field(default_factory=list)
    snippets_created: list[str] = field(default_factory=list)
    snippets_updated: list[str] = field(default_factory=list)
    snippets_unchanged: list[str] = field(default_factory=list)
    recipes: int = 0
    team_rules: int = 0
    previous_version: int | None = None
    """The version installed from the same knowledge base before, if any."""
    forced: bool = False
    changes: Changes = field(default_factory=Changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "pack": self.pack.to_json(),
            "articles": {"created": len(self.articles_created), "updated": len(self.articles_updated),
                         "unchanged": len(self.articles_unchanged)},
            "snippets": {"created": len(self.snippets_created), "updated": len(self.snippets_updated),
                         "unchanged": len(self.snippets_unchanged)},
            "recipes": self.recipes,
            "team_rules": self.team_rules,
            "previous_version": self.previous_version,
            "forced": self.forced,
        }


@dataclass
class _Content:
    articles: list[Article] = field(default_factory=list)
    snippets: list[Snippet] = field(default_factory=list)
    recipes: list[Recipe] = field(default_factory=list)
    rules: list[team_rules.TeamRule] = field(default_factory=list)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- export ---------------------------------------------------------------------------------


def export_pack(
    kb: "KnowledgeBase",
    path: str | os.PathLike[str],
    publisher: str = "",
    progress: ProgressCallback | None = None,
) -> PackInfo:
    """Write the whole knowledge base (all statuses) as a pack at ``path``, atomically.

    The file appears complete or not at all: it is written to a temporary file in the
    same folder, flushed to disk, then renamed over ``path``.
    """
    from kb import __version__, snippets as snippet_io
    from kb.markdown_io import article_to_markdown

    target = Path(path)
    if target.is_dir():
        raise InvalidInput(f"{target} is a folder; give a file name ending in {PACK_SUFFIX}.")
    if not target.parent.is_dir():
        raise InvalidInput(f"The folder {target.parent} does not exist; create it or choose another.")
    store = kb.store
    files: dict[str, bytes] = {}
    for article in store.iter_articles():
        files[f"articles/{article.slug}.md"] = article_to_markdown(article).encode("utf-8")
    snippets = store.snippets(None)
    if snippets:
        files[SNIPPETS_FILE] = snippet_io.snippets_to_yaml(snippets).encode("utf-8")
    recipes = store.recipes()
    for recipe in recipes:
        files[f"recipes/{recipe.slug}.yaml"] = _yaml(recipe.to_dict()).encode("utf-8")
    rules = team_rules.load_all(store)
    for rule in rules:
        files[f"team-rules/{rule.rule_id}.yaml"] = team_rules.to_yaml(rule).encode("utf-8")
    for name, data in files.items():
        if len(data) > MAX_MEMBER_BYTES:
            raise InvalidInput(f"{name} is over {MAX_MEMBER_BYTES // 1_048_576} MB, too big for a pack; split it up.")
    with store.write():
        version = int(store.get_meta(_META_EXPORTED, "0") or 0) + 1
        store.set_meta(_META_EXPORTED, str(version))
    manifest = {
        "format": "tactful-pack",
        "format_version": FORMAT_VERSION,
        "kb_id": store.kb_id,
        "version": version,
        "created": _now(),
        "publisher": publisher.strip(),
        "app_version": __version__,
        "counts": {
            "articles": sum(n.startswith("articles/") for n in files),
            "snippets": len(snippets),
            "recipes": len(recipes),
            "team_rules": len(rules),
        },
        "files": [
            {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in sorted(files.items())
        ],
    }
    stamp = datetime.now(timezone.utc).timetuple()[:6]
    total = len(files) + 1
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                _add(zf, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"), stamp)
                for done, (name, data) in enumerate(sorted(files.items()), 1):
                    report(progress, done, total, f"Packing {name}")
                    _add(zf, name, data, stamp)
            handle.flush()
            os.fsync(handle.fileno())
        _replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(target.parent)
    report(progress, total, total, "Pack written")
    info = _info(target, manifest, files, len(snippets))
    log.info("exported pack v%d (%d files) to %s", version, len(files), target)
    return info


def _replace(tmp: str, target: Path, attempts: int = 5) -> None:
    """``os.replace``, retried briefly: on a Windows share a rep reading the old pack blocks it."""
    import time

    for attempt in range(attempts):
        try:
            os.replace(tmp, target)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


def _add(zf: zipfile.ZipFile, name: str, data: bytes, stamp: tuple) -> None:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    zf.writestr(info, data)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # Windows, or a share that does not allow it
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _yaml(data: Any) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


# -- reading and validating -----------------------------------------------------------------


def inspect_pack(path: str | os.PathLike[str]) -> PackInfo:
    """Check a pack completely (everything but this knowledge base's own links and versions)."""
    info, _ = _read(Path(path), None, None)
    return info


def peek_pack(path: str | os.PathLike[str]) -> PackInfo:
    """Read only the zip directory and the manifest: cheap, for choosing among packs.

    Nothing is checked beyond that; ``import_pack`` always validates everything.
    """
    path = Path(path)
    _open_checks(path)
    try:
        with zipfile.ZipFile(path) as zf:
            members = _check_members(path, zf.infolist())
            manifest = _manifest(path, zf, members)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError):
        raise _bad(path, _DAMAGED) from None
    except OSError as exc:
        raise InvalidInput(f"Cannot read the pack {path}: {exc.strerror or exc}.") from None
    sizes = {entry["path"]: entry["size"] for entry in manifest["files"]}
    counts = manifest.get("counts") if isinstance(manifest.get("counts"), dict) else {}
    snippets = counts.get("snippets", 0)
    return _info(path, manifest, sizes, snippets if isinstance(snippets, int) else 0)


_DAMAGED = "is damaged or incomplete (perhaps still being copied); get a fresh copy and try again."


def _open_checks(path: Path) -> None:
    """Before zipfile reads the directory: the file's size and the directory's declared size."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise InvalidInput(f"{path} is not a file; choose a {PACK_SUFFIX} pack file.")
        with open(path, "rb") as handle:
            handle.seek(max(0, size - 65_557))
            tail = handle.read()
    except OSError as exc:
        raise InvalidInput(f"Cannot read the pack {path}: {exc.strerror or exc}. Check the path.") from None
    if size > MAX_ARCHIVE_BYTES:
        raise _bad(path, f"is {size / 1_048_576:.0f} MB, over the {MAX_ARCHIVE_BYTES // 1_048_576} MB limit; it is not a Tactful pack.")
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) < end + 22:
        raise _bad(path, _DAMAGED)
    entries = int.from_bytes(tail[end + 10 : end + 12], "little")
    directory = int.from_bytes(tail[end + 12 : end + 16], "little")
    if entries > MAX_FILES or directory > MAX_FILES * 1024:
        raise _bad(path, f"holds more than {MAX_FILES} files; it is not a Tactful pack.")


def _bad(path: Path, problem: str) -> InvalidInput:
    return InvalidInput(f"The pack {path.name} {problem}")


def _read(
    path: Path, progress: ProgressCallback | None, cancel: CancelToken | None
) -> tuple[PackInfo, _Content]:
    _open_checks(path)
    try:
        with zipfile.ZipFile(path) as zf:
            members = _check_members(path, zf.infolist())
            manifest = _manifest(path, zf, members)
            listed = {entry["path"]: entry for entry in manifest["files"]}
            unlisted = sorted(set(members) - {MANIFEST} - set(listed))
            if unlisted:
                raise _bad(path, f"contains {unlisted[0]}, which its manifest does not list; it has been tampered with or damaged. Ask the publisher for a fresh copy.")
            missing = sorted(set(listed) - set(members))
            if missing:
                raise _bad(path, f"is missing {missing[0]}, which its manifest lists; ask the publisher for a fresh copy.")
            files: dict[str, bytes] = {}
            total = len(listed)
            for done, (name, entry) in enumerate(sorted(listed.items()), 1):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                report(progress, done, total, f"Checking {name}")
                data = _read_member(zf, members[name])
                if len(data) != entry["size"] or hashlib.sha256(data).hexdigest() != entry["sha256"]:
                    raise _bad(path, f"has a wrong checksum for {name}: the file was changed or damaged after it was published. Ask the publisher for a fresh copy.")
                files[name] = data
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError):
        raise _bad(path, _DAMAGED) from None
    except OSError as exc:
        raise InvalidInput(f"Cannot read the pack {path}: {exc.strerror or exc}.") from None
    content = _parse(path, files)
    info = _info(path, manifest, files, len(content.snippets))
    return info, content


def _check_members(path: Path, infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
    if len(infos) > MAX_FILES:
        raise _bad(path, f"holds {len(infos)} files, over the limit of {MAX_FILES}; it is not a Tactful pack.")
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        if "\\" in name or any(ord(c) < 32 for c in name):
            raise _bad(path, f"has a file name with a backslash or control character ({name!r}); it is not safe to open.")
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
            raise _bad(path, f"has a file with an absolute path ({name}); it is not safe to open.")
        parts = PurePosixPath(name).parts
        if ".." in parts or "." in name.split("/"):
            raise _bad(path, f"has a file that points outside the pack ({name}); it is not safe to open.")
        mode = info.external_attr >> 16
        kind = stat.S_IFMT(mode)
        if info.is_dir():
            if name not in _FOLDERS or info.file_size:
                raise _bad(path, f"has an unexpected folder {name}; it is not a Tactful pack.")
            continue
        if stat.S_ISLNK(mode) or kind not in (0, stat.S_IFREG):
            raise _bad(path, f"has a link or special file ({name}); packs hold plain files only, so it is not safe to open.")
        if info.flag_bits & 0x1:
            raise _bad(path, f"has an encrypted file ({name}); Tactful packs are never encrypted.")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _bad(path, f"uses an unsupported compression for {name}; export it again with Tactful.")
        if name in members:
            raise _bad(path, f"has two files named {name}; it is not safe to open.")
        if info.file_size > MAX_MEMBER_BYTES:
            raise _bad(path, f"has a file over {MAX_MEMBER_BYTES // 1_048_576} MB ({name}); it is not a Tactful pack.")
        if info.file_size >= RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _bad(path, f"has a file that expands more than {MAX_RATIO} times ({name}), the mark of a zip bomb; it was not opened.")
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise _bad(path, f"would expand to over {MAX_TOTAL_BYTES // 1_048_576} MB; it is not a Tactful pack.")
        if _INDEX_LIKE.search(name):
            raise _bad(path, f"contains {name}, which looks like a search index or database file. Packs never carry those (they could run code when loaded), so it was refused.")
        if not _LAYOUT.match(name):
            raise _bad(path, f"contains {name}, which is not part of the pack format; it was refused.")
        members[name] = info
    return members


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    limit = min(info.file_size, MAX_MEMBER_BYTES)
    with zf.open(info) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise zipfile.BadZipFile("member longer than declared")
    return data


def _manifest(path: Path, zf: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> dict[str, Any]:
    if MANIFEST not in members:
        raise _bad(path, "has no manifest.json, so it is not a Tactful pack.")
    if members[MANIFEST].file_size > MAX_MANIFEST_BYTES:
        raise _bad(path, "has a manifest that is far too big; it is not a Tactful pack.")
    try:
        data = json.loads(_read_member(zf, members[MANIFEST]).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _bad(path, "has a manifest.json that is not valid JSON; it is damaged.") from None
    if not isinstance(data, dict) or data.get("format", "tactful-pack") != "tactful-pack":
        raise _bad(path, "has a manifest that is not a Tactful pack manifest.")
    fmt = data.get("format_version")
    if not isinstance(fmt, int) or isinstance(fmt, bool) or fmt < 1:
        raise _bad(path, "has a manifest without a valid format version; it is damaged.")
    if fmt > FORMAT_VERSION:
        raise _bad(path, f"was made by a newer Tactful (pack format {fmt}; this version reads format {FORMAT_VERSION}). Update Tactful, then import it again.")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _bad(path, "has a manifest without a valid version number; it is damaged.")
    if not isinstance(data.get("kb_id"), str) or not _KB_ID.match(data["kb_id"]):
        raise _bad(path, "has a manifest without a valid knowledge-base id; it is damaged.")
    for key in ("created", "publisher", "app_version"):
        if not isinstance(data.get(key, ""), str) or len(data.get(key, "")) > 500:
            raise _bad(path, f"has a manifest with a bad '{key}' value; it is damaged.")
    files = data.get("files")
    if not isinstance(files, list):
        raise _bad(path, "has a manifest without its list of files; it is damaged.")
    seen: set[str] = set()
    for entry in files:
        ok = (
            isinstance(entry, dict)
            and isinstance(entry.get("path"), str)
            and isinstance(entry.get("size"), int)
            and isinstance(entry.get("sha256"), str)
            and _SHA.match(entry["sha256"]) is not None
        )
        if not ok:
            raise _bad(path, "has a manifest with a malformed file entry; it is damaged.")
        if entry["path"] in seen or entry["path"] == MANIFEST:
            raise _bad(path, f"lists {entry['path']} twice in its manifest; it is damaged.")
        seen.add(entry["path"])
    return data


# -- content ----------------------------------------------------------------------------------


def _load_yaml(text: str, name: str, path: Path) -> Any:
    import yaml

    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise _bad(path, f"has YAML aliases (*name) in {name}; packs never use them, so it was refused.")
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise _bad(path, f"has a file {name} that is not valid YAML{where}; it is damaged.") from None


def _text(data: bytes, name: str, path: Path) -> str:
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise _bad(path, f"has a file {name} that is not UTF-8 text; it is damaged.") from None


def _front_matter(text: str) -> str:
    if not text.startswith("---"):
        return ""
    end = text.find("\n---", 3)
    return text[3:end] if end > 0 else ""


def _parse(path: Path, files: dict[str, bytes]) -> _Content:
    from kb import snippets as snippet_io
    from kb.markdown_io import parse_markdown, read_markdown_bytes

    content = _Content()
    for name, data in sorted(files.items()):
        stem = PurePosixPath(name).stem
        try:
            if name.startswith("articles/"):
                text = read_markdown_bytes(data, name)
                _load_yaml(_front_matter(text.lstrip("\ufeff")), name, path)  # aliases, syntax
                article, _ = parse_markdown(text, name=name, default_status="draft")
                if article.slug != stem:
                    raise _bad(path, f"has {name} whose slug is '{article.slug}'; the file name and slug must agree.")
                article.source_path = None
                content.articles.append(article)
            elif name == SNIPPETS_FILE:
                raw = _load_yaml(_text(data, name, path), name, path)
                if not isinstance(raw, dict) or set(raw) != {"snippets"} or not isinstance(raw["snippets"], list):
                    raise _bad(path, f"has a {name} that is not a 'snippets:' list.")
                for number, entry in enumerate(raw["snippets"], 1):
                    snippet = snippet_io.parse_snippet(entry, f"{name}, snippet {number}")
                    if any(s.slug == snippet.slug for s in content.snippets):
                        raise _bad(path, f"has the snippet '{snippet.slug}' twice in {name}.")
                    content.snippets.append(snippet)
            elif name.startswith("recipes/"):
                raw = _load_yaml(_text(data, name, path), name, path)
                if not isinstance(raw, dict):
                    raise _bad(path, f"has a recipe {name} that is not a mapping.")
                recipe = snippet_io.parse_recipe(raw, name)
                if recipe.slug != stem:
                    raise _bad(path, f"has {name} whose slug is '{recipe.slug}'; the file name and slug must agree.")
                content.recipes.append(recipe)
            elif name.startswith("team-rules/"):
                rule = team_rules.TeamRule.from_data(_load_yaml(_text(data, name, path), name, path), source=name)
                if rule.rule_id != stem:
                    raise _bad(path, f"has {name} whose rule id is '{rule.rule_id}'; the file name and id must agree.")
                content.rules.append(rule)
        except InvalidInput as exc:
            message = str(exc)
            if message.startswith(f"The pack {path.name}"):
                raise
            raise InvalidInput(f"The pack {path.name} has a problem: {message.rstrip('.')}. Fix it where it was published and export again.") from None
    return content


def _check_links(path: Path, content: _Content, local_articles: set[str], local_snippets: set[str]) -> None:
    articles = {a.slug for a in content.articles} | local_articles
    snippets = {s.slug for s in content.snippets} | local_snippets

    def fail(where: str, what: str) -> InvalidInput:
        return _bad(path, f"has a broken link: {where} refers to {what}, which is neither in the pack nor in this knowledge base. Fix it where it was published and export again.")

    for article in content.articles:
        for href in _LINK.findall(article.body):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not _MD_TARGET.search(parts.path):
                continue
            slug = _MD_TARGET.sub("", unquote(parts.path).rstrip("/").rsplit("/", 1)[-1])
            if slug not in articles:
                raise fail(f"articles/{article.slug}.md", f"'{href}'")
    for snippet in content.snippets:
        if snippet.article and snippet.article not in articles:
            raise fail(f"snippet '{snippet.slug}'", f"article '{snippet.article}'")
    for recipe in content.recipes:
        for slug in recipe.articles:
            if slug not in articles:
                raise fail(f"recipe '{recipe.slug}'", f"article '{slug}'")
        for stage in recipe.stages:
            for slug in stage.snippets:
                if slug not in snippets:
                    raise fail(f"recipe '{recipe.slug}'", f"snippet '{slug}'")
    for rule in content.rules:
        if rule.article and rule.article not in articles:
            raise fail(f"team rule '{rule.rule_id}'", f"article '{rule.article}'")


def _info(path: Path, manifest: dict[str, Any], files: dict[str, bytes] | dict[str, int], snippets: int) -> PackInfo:
    """What a pack holds; ``files`` maps each name to its content or, from the manifest alone, its size."""
    names = list(files)
    return PackInfo(
        path=str(path),
        format_version=manifest["format_version"],
        kb_id=manifest["kb_id"],
        version=manifest["version"],
        created=manifest.get("created", ""),
        publisher=manifest.get("publisher", ""),
        app_version=manifest.get("app_version", ""),
        articles=sum(n.startswith("articles/") for n in names),
        snippets=snippets,
        recipes=sum(n.startswith("recipes/") for n in names),
        team_rules=sum(n.startswith("team-rules/") for n in names),
        files=len(names),
        size=sum(d if isinstance(d, int) else len(d) for d in files.values()),
    )


# -- import -----------------------------------------------------------------------------------


def installed_version(kb: "KnowledgeBase", kb_id: str) -> int | None:
    """The pack version last installed from the knowledge base ``kb_id`` (``None``: never)."""
    value = kb.store.get_meta(_META_INSTALLED + kb_id)
    return int(value) if value else None


def rolled_back_version(kb: "KnowledgeBase", kb_id: str) -> int | None:
    """The version of the last pack from ``kb_id`` that was rolled back, if any."""
    value = kb.store.get_meta(_META_ROLLED_BACK + kb_id)
    return int(value) if value else None


def last_pack(kb: "KnowledgeBase") -> dict[str, Any] | None:
    """What the last import installed (kb_id, version, publisher, created, imported_at)."""
    value = kb.store.get_meta(_META_LAST)
    return json.loads(value) if value else None


def can_roll_back(kb: "KnowledgeBase") -> bool:
    """True when ``rollback_last_pack`` has a snapshot to go back to."""
    info = _snapshot_info(kb)
    last = last_pack(kb)
    return bool(info and last and info.get("token") == last.get("token"))


def import_pack(
    kb: "KnowledgeBase",
    path: str | os.PathLike[str],
    force: bool = False,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> "ImportSummary":
    """Validate the pack completely, then apply it in one transaction and re-index.

    Refusals raise ``InvalidInput`` and change nothing. Articles and snippets are
    created or updated (each change a revision noting the pack); recipes and team rules
    are replaced by the pack's. Drafts are never touched.
    """
    path = Path(path)
    info, content = _read(path, progress, cancel)
    store = kb.store
    _check_links(path, content, store.slugs(), {s.slug for s in store.snippets(None)})
    _check_version(kb, path, info, force)
    if cancel is not None:
        cancel.raise_if_cancelled()
    backups = kb.paths.backups_dir
    backups.mkdir(parents=True, exist_ok=True)
    for leftover in backups.glob(".snapshot-*.tmp"):  # from an import that crashed half-way
        try:
            leftover.unlink()
        except OSError:
            pass
    token = uuid.uuid4().hex
    tmp = backups / f".snapshot-{token}.tmp"
    previous = installed_version(kb, info.kb_id)
    note = f"From pack v{info.version} by {info.publisher or 'an unnamed publisher'} ({info.created})"
    summary = ImportSummary(pack=info, previous_version=previous, forced=force)
    report(progress, 0, 1, "Applying the pack")
    try:
        with store.write() as db:
            _check_version(kb, path, info, force)  # again, now that no one else can write
            _snapshot(store.path, tmp)
            saved = store.save_articles(content.articles, author=info.publisher, note=note)
            saved_snippets = store.save_snippets(content.snippets, author=info.publisher, note=note)
            store.save_recipes(content.recipes)
            team_rules.replace_all(db, content.rules)
            last = {
                "kb_id": info.kb_id, "version": info.version, "publisher": info.publisher,
                "created": info.created, "imported_at": _now(), "token": token,
                "generation": store.generation,
            }
            store.set_meta(_META_INSTALLED + info.kb_id, str(info.version))
            store.set_meta(_META_LAST, json.dumps(last))
        os.replace(tmp, backups / SNAPSHOT_DB)
        _write_json(backups / SNAPSHOT_INFO, {**last, "previous_version": previous})
    finally:
        try:
            tmp.unlink()
        except OSError:
            pass
    summary.articles_created, summary.articles_updated, summary.articles_unchanged = (
        saved.created, saved.updated, saved.unchanged)
    summary.snippets_created, summary.snippets_updated, summary.snippets_unchanged = (
        saved_snippets.created, saved_snippets.updated, saved_snippets.unchanged)
    summary.recipes, summary.team_rules = len(content.recipes), len(content.rules)
    changed = frozenset(saved.created) | frozenset(saved.updated)
    summary.changes = Changes(
        articles=changed,
        snippets=frozenset(saved_snippets.created) | frozenset(saved_snippets.updated),
        recipes=True,
        rules=True,
        index=bool(changed),
    )
    _after_write(kb, progress)
    log.info("imported pack v%d from %s (%s)", info.version, info.kb_id, path)
    return summary


def _check_version(kb: "KnowledgeBase", path: Path, info: PackInfo, force: bool) -> None:
    installed = installed_version(kb, info.kb_id)
    if installed is not None and info.version < installed and not force:
        raise _bad(
            path,
            f"is version {info.version}, older than version {installed} already installed from the "
            "same publisher; importing it would undo newer changes. Import it with --force "
            "(\"Import anyway\") if that is what you want.",
        )


def _snapshot(db_path: Path, target: Path) -> None:
    """Copy the database with SQLite's backup API, through a second (reading) connection."""
    source = sqlite3.connect(str(db_path))
    try:
        dest = sqlite3.connect(str(target))
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal/-shm
        finally:
            dest.close()
    finally:
        source.close()


def _write_json(target: Path, data: dict[str, Any]) -> None:
    from kb.markdown_io import atomic_write_text

    atomic_write_text(target, json.dumps(data), fsync=True)


def _after_write(kb: "KnowledgeBase", progress: ProgressCallback | None) -> None:
    kb.reload_rules()
    try:
        kb.ensure_index(progress=progress)
    except IndexBusy:
        log.info("search index busy after a pack change; it will catch up on the next search")


# -- rollback ---------------------------------------------------------------------------------

_CONTENT_TABLES = ("articles", "article_revisions", "snippets", "snippet_revisions", "recipes", "team_rules")
_DELETE_ORDER = ("article_revisions", "snippet_revisions", "articles", "snippets", "recipes", "team_rules")


def _snapshot_info(kb: "KnowledgeBase") -> dict[str, Any] | None:
    backups = kb.paths.backups_dir
    if not (backups / SNAPSHOT_DB).is_file():
        return None
    try:
        return json.loads((backups / SNAPSHOT_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def rollback_last_pack(kb: "KnowledgeBase", force: bool = False) -> Changes:
    """Put articles, snippets, recipes and team rules back as they were before the last import.

    Drafts and settings stay exactly as they are now. Refused (``InvalidInput``) when
    there is nothing to roll back, or when articles were edited since the import and
    ``force`` is not given (those edits would be lost). Works once per import.
    """
    info = _snapshot_info(kb)
    last = last_pack(kb)
    if not info or not last or info.get("token") != last.get("token"):
        raise InvalidInput("There is no pack import to roll back (only the most recent import can be undone, once).")
    store = kb.store
    if store.generation != last.get("generation") and not force:
        raise InvalidInput(
            "Articles were changed after the last pack was imported; rolling back would lose those "
            "changes too. Roll back with --force if that is what you want."
        )
    snapshot_path = kb.paths.backups_dir / SNAPSHOT_DB
    snap = sqlite3.connect(f"file:{snapshot_path}?mode=ro", uri=True)
    try:
        try:
            theirs = [r[0] for r in snap.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
        except sqlite3.DatabaseError:
            raise InvalidInput("The rollback copy in the backups folder is damaged; the pack cannot be rolled back.") from None
        ours = [r[0] for r in store.db.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
        if theirs != ours:
            raise InvalidInput("The rollback copy was made by another version of Tactful; the pack cannot be rolled back.")
        before = store.slugs()
        with store.write() as db:
            for table in _DELETE_ORDER:
                db.execute(f"DELETE FROM {table}")
            for table in _CONTENT_TABLES:
                columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})").fetchall()]
                cols = ", ".join(columns)
                rows = snap.execute(f"SELECT {cols} FROM {table}").fetchall()
                marks = ", ".join("?" for _ in columns)
                db.conn.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
            db.execute(f"DELETE FROM meta WHERE key LIKE '{_META_INSTALLED}%' OR key = ?", [_META_LAST])
            restored = snap.execute(
                f"SELECT key, value FROM meta WHERE key LIKE '{_META_INSTALLED}%' OR key = ?", [_META_LAST]
            ).fetchall()
            db.conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", restored)
            store.set_meta(_META_ROLLED_BACK + last["kb_id"], str(last["version"]))
            store._bump_generation(db)
    finally:
        snap.close()
    for name in (SNAPSHOT_DB, SNAPSHOT_INFO, SNAPSHOT_DB + "-wal", SNAPSHOT_DB + "-shm"):
        try:
            (kb.paths.backups_dir / name).unlink()
        except OSError:
            pass
    after = store.slugs()
    _after_write(kb, None)
    log.info("rolled back pack v%s from %s", last.get("version"), last.get("kb_id"))
    return Changes(articles=frozenset(before | after), snippets=frozenset(s.slug for s in store.snippets(None)),
                   recipes=True, rules=True, index=True)

