"""Markdown to safe HTML for the article viewer and previews.

Python-Markdown passes raw HTML straight through, so its output is never shown as is:
links and images are rewritten while the document is still a tree, then the HTML goes
through nh3 with an explicit allow-list of tags, attributes and URL schemes.

Links between articles become ``tactful://article/<slug>`` (``<slug>.md`` relative links
in the source, as an exported folder has them). Web and mail links stay and are opened
only when the user asks. Anything else — ``javascript:``, ``file:``, ``data:``, links to
files that are not articles here — loses its target and reads as plain text. Images are
never loaded (they would come from the disk): they show as their alt text.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import unquote, urlsplit

ARTICLE_URL_PREFIX = "tactful://article/"
EXTERNAL_SCHEMES = ("http", "https", "mailto")

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "s", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "div": {"class"},
    "span": {"class", "title"},
    "p": {"class"},
    "code": {"class"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "ol": {"start"},
}  # fmt: skip

SlugResolver = Callable[[str], "str | None"]


def article_url(slug: str) -> str:
    return f"{ARTICLE_URL_PREFIX}{slug}"


def slug_from_url(url: str) -> str | None:
    """The slug an in-app article link points to, or None for anything else."""
    if not url.startswith(ARTICLE_URL_PREFIX):
        return None
    slug = url[len(ARTICLE_URL_PREFIX) :].split("#", 1)[0].strip("/")
    return slug or None


def is_external_url(url: str) -> bool:
    return urlsplit(url).scheme.lower() in EXTERNAL_SCHEMES


def _safe_href(value: str) -> bool:
    lowered = value.strip().lower()
    return (
        lowered.startswith(ARTICLE_URL_PREFIX)
        or lowered.startswith("#")
        or urlsplit(lowered).scheme in EXTERNAL_SCHEMES
    )


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if attribute == "href" and not _safe_href(value):
        return None
    if attribute == "class":
        # Only our own presentational classes; never let content style itself as UI.
        kept = [c for c in value.split() if re.fullmatch(r"[a-z][a-z0-9-]{0,30}", c)]
        return " ".join(kept) or None
    return value


def sanitise(html: str) -> str:
    """Allow-list sanitising: no scripts, no event handlers, no dangerous URLs."""
    import nh3

    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=_ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto", "tactful"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


# -- markdown ---------------------------------------------------------------------------

_NOTE_MARKER = re.compile(r"^(\s*>\s*)\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*$", re.MULTILINE)
_COLON_FENCE = re.compile(r"^\s*:::.*$", re.MULTILINE)


def _preclean(markdown_text: str) -> str:
    """Smooth over common dialect quirks: GitHub-style note markers and ``:::`` fences."""
    text = _NOTE_MARKER.sub(lambda m: f"{m.group(1)}**{m.group(2).title()}:**", markdown_text)
    return _COLON_FENCE.sub("", text)


def _make_link_extension():
    from markdown.extensions import Extension
    from markdown.treeprocessors import Treeprocessor

    class LinkRewriter(Treeprocessor):
        def run(self, root):  # noqa: ANN001 - ElementTree element
            for element in root.iter():
                if element.tag == "a":
                    self._rewrite_link(element)
                elif element.tag == "img":
                    alt = element.get("alt") or "image"
                    element.attrib.clear()
                    element.tag = "span"
                    element.set("class", "image-placeholder")
                    element.text = f"[{alt}]"
            return None

        def _rewrite_link(self, element) -> None:  # noqa: ANN001
            href = (element.get("href") or "").strip()
            target = resolve_href(href, getattr(self.md, "tactful_resolver", None))
            if target is None:
                element.attrib.pop("href", None)
                element.tag = "span"
                element.set("class", "dead-link")
                if href:
                    element.set("title", "This link points outside the knowledge base.")
            else:
                element.set("href", target)

    class LinkExtension(Extension):
        def extendMarkdown(self, md):  # noqa: N802, ANN001 - Markdown's API
            md.treeprocessors.register(LinkRewriter(md), "tactful-links", 0)

    return LinkExtension()


def resolve_href(href: str, resolver: SlugResolver | None) -> str | None:
    """Where a link in an article should go, or None if it must not be a link."""
    if not href:
        return None
    if href.startswith("#"):
        return href
    parts = urlsplit(href)
    scheme = parts.scheme.lower()
    if href.lower().startswith(ARTICLE_URL_PREFIX):
        return href
    if scheme in EXTERNAL_SCHEMES:
        return href
    if scheme or parts.netloc:
        return None  # javascript:, file:, data:, vbscript:, //host ...
    stem = unquote(parts.path).rstrip("/").rsplit("/", 1)[-1]
    stem = re.sub(r"\.(md|markdown|mdown|mkd)$", "", stem, flags=re.IGNORECASE)
    slug = resolver(stem) if resolver and stem else None
    if not slug:
        return None
    return article_url(slug) + (f"#{parts.fragment}" if parts.fragment else "")


_local = threading.local()


def _markdown():
    """One Markdown converter per thread (they are not thread-safe, and costly to build)."""
    md = getattr(_local, "md", None)
    if md is None:
        import markdown

        md = markdown.Markdown(
            extensions=[
                "tables",
                "fenced_code",
                "admonition",
                "sane_lists",
                "toc",
                _make_link_extension(),
            ],
            output_format="html",
        )
        _local.md = md
    return md


def render_markdown(
    markdown_text: str, *, resolver: SlugResolver | None = None, title: str | None = None
) -> str:
    """Sanitised HTML for ``markdown_text``. A leading ``# heading`` equal to ``title`` is dropped."""
    text = _preclean(markdown_text)
    if title:
        text = _drop_leading_title(text, title)
    md = _markdown()
    md.tactful_resolver = resolver
    try:
        html = md.reset().convert(text)
    finally:
        md.tactful_resolver = None
    return sanitise(html)


def _drop_leading_title(text: str, title: str) -> str:
    match = re.match(r"\s*#[ \t]+(.+?)[ \t#]*(\n|$)", text)
    if match and _fold(match.group(1)) == _fold(title):
        return text[match.end() :]
    return text


@lru_cache(maxsize=256)
def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text).strip().casefold()
