"""Markdown folders in and out: the format editors and other tools exchange articles in.

A file is markdown with optional YAML front matter. On import, ``title``, ``slug``,
``summary`` (or ``description``), ``tags`` (and other tag-like list fields), ``status``,
``owner`` and ``reviewed`` map to article fields; every other front-matter field is kept
in ``Article.meta`` so an export gives it back. Missing titles fall back to the first
heading, then the file name; missing slugs come from the file name.

Reading a folder never stops at a bad file: each problem (broken front matter, not
UTF-8, binary, too large, duplicate slug) is reported against its file and the rest
carry on. Nothing here writes to the database; the facade applies a scan in one
transaction.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.errors import InvalidInput
from kb.models import STATUSES, Article, FileProblem, is_valid_slug, slugify
from kb.progress import CancelToken, ProgressCallback, report

MAX_FILE_BYTES = 5 * 1024 * 1024
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
SUMMARY_KEYS = ("summary", "description", "excerpt", "abstract")
TAG_KEYS = (
    "tags",
    "tag",
    "keywords",
    "keyword",
    "categories",
    "category",
    "labels",
    "label",
    "topics",
    "topic",
    "appliesto",
    "applies_to",
    "ms.custom",
    "ms.collection",
)
# Front-matter keys that become article fields rather than staying in ``meta``.
OWN_KEYS = ("title", "slug", "summary", "tags", "status", "owner", "reviewed")
MAX_TAG_LENGTH = 60

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


@dataclass
class ScanResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    files: int = 0
    cancelled: bool = False


@dataclass
class ExportReport:
    written: list[str] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    cancelled: bool = False


# -- reading ----------------------------------------------------------------------------


def read_markdown_bytes(data: bytes, name: str) -> str:
    """Decode a markdown file's bytes, or raise ``InvalidInput`` saying what is wrong."""
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(
            f"{name} is {len(data) / 1_048_576:.1f} MB, over the 5 MB limit for one article; "
            "split it into smaller articles."
        )
    if b"\x00" in data[:8192]:
        raise InvalidInput(f"{name} looks like a binary file, not markdown text; leave it out.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{name} is not UTF-8 text (bad byte at position {exc.start}); "
            "save it as UTF-8 and import it again."
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _yaml_problem(exc: Exception) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is not None:
        # +2: the opening '---' line, and YAML counts from zero.
        return f"line {mark.line + 2}: {problem}"
    return problem


def _plain_value(value: Any) -> Any:
    """Front-matter values as JSON-friendly data (YAML dates become ISO strings)."""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_value(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(_as_text(v) for v in value)
    return re.sub(r"\s+", " ", str(_plain_value(value))).strip()


def _tags_from(meta: dict[str, Any]) -> list[str]:
    seen: dict[str, str] = {}
    for key in meta:
        if key.lower() not in TAG_KEYS:
            continue
        value = meta[key]
        items = value if isinstance(value, (list, tuple)) else re.split(r"[,;]", str(value or ""))
        for item in items:
            tag = re.sub(r"\s+", " ", str(_plain_value(item) or "")).strip()
            if tag and len(tag) <= MAX_TAG_LENGTH:
                seen.setdefault(tag.casefold(), tag)
    return list(seen.values())


def first_heading(body: str) -> str | None:
    """The first heading's text (preferring level 1), ignoring fenced code."""
    in_fence, found = False, None
    for line in body.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        match = _ATX_HEADING.match(line)
        if match:
            text = _strip_inline(match.group(2))
            if match.group(1) == "#":
                return text
            found = found or text
    return found


def _strip_inline(text: str) -> str:
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`]+", "", text).strip()


def first_paragraph(body: str, limit: int = 200) -> str:
    """A short plain summary from the first real paragraph of ``body``."""
    in_fence = False
    for block in re.split(r"\n\s*\n", body):
        lines = []
        for line in block.splitlines():
            if _FENCE.match(line):
                in_fence = not in_fence
                continue
            stripped = line.strip()
            if in_fence or not stripped or stripped.startswith(("#", "|", ":::", "<", "![")):
                continue
            lines.append(re.sub(r"^(>\s*)+(\[![A-Z]+\]\s*)?", "", stripped))
        text = _strip_inline(" ".join(lines))
        text = re.sub(r"<[^>]+>", "", text).strip()
        if len(text) >= 20:
            if len(text) <= limit:
                return text
            cut = text[:limit].rsplit(" ", 1)[0]
            return cut.rstrip(",;:") + "…"
    return ""


def _humanise(stem: str) -> str:
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else "Untitled"


def _normalise_status(value: Any, default: str, name: str) -> str:
    if value is None or value == "":
        return default
    status = re.sub(r"[\s_]+", "-", str(value).strip().lower())
    if status not in STATUSES:
        raise InvalidInput(
            f"{name}: status '{value}' is not one of {', '.join(STATUSES)}; fix the front matter."
        )
    return status


def parse_markdown(text: str, *, name: str, default_status: str = "vetted") -> tuple[Article, bool]:
    """Turn one file's text into an article. Returns ``(article, slug_was_explicit)``."""
    import frontmatter
    import yaml

    text = text.strip()
    meta: Any = {}
    body = text
    # python-frontmatter's own parse() silently drops front matter that is not a
    # mapping; split and load here so that is reported instead of lost.
    handler = frontmatter.detect_format(text, frontmatter.handlers)
    if handler is not None:
        try:
            fm, body = handler.split(text)
            meta = handler.load(fm)
        except ValueError:
            meta, body = {}, text
        except yaml.YAMLError as exc:
            raise InvalidInput(
                f"{name} has broken front matter ({_yaml_problem(exc)}); "
                "fix the YAML between the '---' lines."
            ) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise InvalidInput(
            f"{name}: the front matter must be 'key: value' lines, not a {type(meta).__name__}."
        )
    meta = {str(k): _plain_value(v) for k, v in meta.items()}
    body = body.strip("\n")
    stem = Path(name).stem

    explicit_slug = meta.get("slug") not in (None, "")
    if explicit_slug:
        slug = str(meta["slug"]).strip()
        if not is_valid_slug(slug):
            raise InvalidInput(
                f"{name}: slug '{slug}' is not URL-safe; use lowercase letters, digits and "
                f"single hyphens (for example '{slugify(slug) or 'my-article'}')."
            )
    else:
        slug = slugify(stem) or "article"

    title = _as_text(meta.get("title")) or first_heading(body) or _humanise(stem)
    summary = ""
    for key in SUMMARY_KEYS:
        if _as_text(meta.get(key)):
            summary = _as_text(meta[key])
            break
    if not summary:
        summary = first_paragraph(body)
    reviewed = _as_text(meta.get("reviewed")) or None
    article = Article(
        slug=slug,
        title=title,
        body=body,
        summary=summary,
        tags=_tags_from(meta),
        status=_normalise_status(meta.get("status"), default_status, name),
        owner=_as_text(meta.get("owner")),
        reviewed=reviewed,
        source_path=name,
        meta={k: v for k, v in meta.items() if k not in OWN_KEYS},
    )
    return article, explicit_slug


def _markdown_files(root: Path) -> list[Path]:
    """Markdown files under ``root`` in a stable order, skipping hidden folders and links out."""
    found: list[Path] = []
    resolved_root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for filename in sorted(filenames):
            if filename.startswith(".") or not filename.lower().endswith(MARKDOWN_SUFFIXES):
                continue
            path = Path(dirpath) / filename
            if path.is_symlink() and not path.resolve().is_relative_to(resolved_root):
                continue  # never read outside the folder the user chose
            found.append(path)
    return found


def scan_folder(
    root: str | os.PathLike[str],
    *,
    default_status: str = "vetted",
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> ScanResult:
    """Read and validate every markdown file under ``root``; write nothing."""
    root = Path(root)
    if not root.exists():
        raise InvalidInput(f"{root} does not exist; give the folder that holds the markdown files.")
    if not root.is_dir():
        raise InvalidInput(f"{root} is a file; give the folder that holds the markdown files.")
    if default_status not in STATUSES:
        raise InvalidInput(f"Status '{default_status}' is not one of {', '.join(STATUSES)}.")
    files = _markdown_files(root)
    result = ScanResult(files=len(files))
    by_slug: dict[str, tuple[str, bool]] = {}  # slug -> (file, explicit)
    for done, path in enumerate(files):
        if cancel is not None and cancel.cancelled:
            result.cancelled = True
            return result
        name = path.relative_to(root).as_posix()
        report(progress, done, len(files), f"Reading {name}")
        try:
            text = read_markdown_bytes(path.read_bytes(), name)
            article, explicit = parse_markdown(text, name=name, default_status=default_status)
        except InvalidInput as exc:
            result.problems.append(FileProblem(name, str(exc)))
            continue
        except OSError as exc:
            result.problems.append(
                FileProblem(name, f"{name} could not be read ({exc.strerror or exc}).")
            )
            continue
        if article.slug in by_slug:
            other, other_explicit = by_slug[article.slug]
            if explicit or other_explicit:
                result.problems.append(
                    FileProblem(
                        name,
                        f"{name}: slug '{article.slug}' is already used by {other} in this folder; "
                        "give one of them a different 'slug' in its front matter.",
                    )
                )
                continue
            article.slug = _disambiguate(article.slug, name, by_slug)
        by_slug[article.slug] = (name, explicit)
        result.articles.append(article)
    report(progress, len(files), len(files), "Read all files")
    return result


def _disambiguate(slug: str, name: str, taken: dict[str, Any]) -> str:
    """A unique slug for a file whose name clashes, using its folders, then a number."""
    parents = [slugify(p) for p in reversed(Path(name).parent.parts) if slugify(p)]
    candidate = slug
    for parent in parents:
        candidate = f"{parent}-{candidate}"
        if candidate not in taken:
            return candidate
    number = 2
    while f"{candidate}-{number}" in taken:
        number += 1
    return f"{candidate}-{number}"


# -- writing ----------------------------------------------------------------------------


def article_to_markdown(article: Article) -> str:
    """The article as markdown with front matter, in the format ``parse_markdown`` reads."""
    import yaml

    front: dict[str, Any] = {"title": article.title, "slug": article.slug}
    if article.summary:
        front["summary"] = article.summary
    front["tags"] = list(article.tags)
    front["status"] = article.status
    if article.owner:
        front["owner"] = article.owner
    if article.reviewed:
        front["reviewed"] = article.reviewed
    for key, value in article.meta.items():
        if key not in front:
            front[key] = value
    header = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{header}---\n\n{article.body}\n"


def write_folder(
    articles: Iterable[Article],
    folder: str | os.PathLike[str],
    *,
    total: int,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> ExportReport:
    """Write each article to ``folder/<slug>.md`` (each file replaced atomically)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"{folder} is a file; give a folder to export into.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"Cannot create {folder}: {exc.strerror or exc}.") from None
    result = ExportReport()
    for done, article in enumerate(articles):
        if cancel is not None and cancel.cancelled:
            result.cancelled = True
            break
        report(progress, done, total, f"Writing {article.slug}.md")
        target = folder / f"{article.slug}.md"
        try:
            atomic_write_text(target, article_to_markdown(article))
        except OSError as exc:
            result.problems.append(
                FileProblem(target.name, f"{target} could not be written ({exc.strerror or exc}).")
            )
            continue
        result.written.append(article.slug)
    report(progress, total, total, "Export finished")
    return result


def atomic_write_text(target: Path, text: str, *, fsync: bool = False) -> None:
    """Write ``target`` through a temporary file and a rename: never half written."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            if fsync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
