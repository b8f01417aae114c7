"""Rendering markdown for the viewer: safe HTML, in-app links, no disk or script access."""

from __future__ import annotations

import re

import pytest

from kb.render import render_markdown, resolve_href, sanitise, slug_from_url

KNOWN = {"saying-no-so-it-sounds-like-yes", "three-key-questions"}


def resolver(stem: str) -> str | None:
    return stem if stem in KNOWN else None


# A spread of classic vectors (OWASP XSS filter evasion cheat sheet and friends).
XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://x/xss.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<svg/onload=alert(1)>",
    "<body onload=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
    "<a href=\" javascript:alert(1)\">x</a>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<a href=\"file:///etc/passwd\">x</a>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<style>@import 'http://x/xss.css';</style>",
    "<link rel=stylesheet href=http://x/xss.css>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><input type=submit></form>",
    "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<p onclick=alert(1) onmouseover=alert(1)>x</p>",
    "<<script>script>alert(1)<</script>/script>",
    "<!--<script>alert(1)</script>-->",
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](file:///etc/passwd)",
    "![x](javascript:alert(1))",
    "![x](file:///etc/passwd)",
    "<a href='//evil.example/x'>x</a>",
    "<base href=\"javascript:alert(1)//\">",
    "<details open ontoggle=alert(1)>",
]


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vectors_are_neutralised(vector: str) -> None:
    html = render_markdown(f"Before\n\n{vector}\n\nAfter", resolver=resolver)
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<style" not in lowered
    assert "<img" not in lowered
    assert "<iframe" not in lowered and "<object" not in lowered and "<embed" not in lowered
    assert "<form" not in lowered and "<meta" not in lowered and "<link" not in lowered
    assert "<base" not in lowered and "<svg" not in lowered
    assert not re.search(r"\son\w+\s*=", lowered), html
    assert "style=" not in lowered
    for href in re.findall(r'href="([^"]*)"', html):
        assert href.startswith(("https://", "http://", "mailto:", "tactful://article/", "#")), html


def test_links_between_articles_resolve_by_slug() -> None:
    html = render_markdown(
        "See [saying no](saying-no-so-it-sounds-like-yes.md), [questions](../three-key-questions.md#steps) "
        "and [missing](nowhere.md).",
        resolver=resolver,
    )
    assert 'href="tactful://article/saying-no-so-it-sounds-like-yes"' in html
    assert 'href="tactful://article/three-key-questions#steps"' in html
    assert "nowhere" not in html and '<span class="dead-link"' in html


def test_web_links_stay_and_images_become_their_alt_text() -> None:
    html = render_markdown("[site](https://example.com) ![diagram of steps](media/steps.png)")
    assert 'href="https://example.com"' in html
    assert "[diagram of steps]" in html and "media/steps.png" not in html


def test_tables_fenced_code_and_admonitions_render() -> None:
    html = render_markdown("|a|b|\n|-|-|\n|1|2|\n\n```\ncode <here>\n```\n\n!!! note\n    Careful.\n")
    assert "<table>" in html and "<td>1</td>" in html
    assert "<pre><code>code &lt;here&gt;" in html
    assert 'class="admonition note"' in html


def test_leading_title_heading_is_not_repeated() -> None:
    assert "<h1" not in render_markdown("# Refunds\n\nText.", title="Refunds")
    assert "<h1" in render_markdown("# Something else\n\nText.", title="Refunds")


def test_docs_dialect_notes_and_colon_fences() -> None:
    html = render_markdown("> [!NOTE]\n> Read this.\n\n:::image type=\"content\":::\n\nText.")
    assert "<strong>Note:</strong>" in html and ":::" not in html


def test_helpers() -> None:
    assert slug_from_url("tactful://article/three-key-questions#x") == "three-key-questions"
    assert slug_from_url("https://example.com") is None
    assert resolve_href("three-key-questions.md", resolver) == "tactful://article/three-key-questions"
    assert resolve_href("javascript:alert(1)", resolver) is None
    assert sanitise('<p title="x" onclick="y">ok</p>') == '<p title="x">ok</p>'
