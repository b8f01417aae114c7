"""Structural checks of the bundled playbook articles (``resources/playbook/articles``).

These tests read the markdown files directly with python-frontmatter, so they do not
depend on the store, the search index or the phrasing checker. The helpers at the top
(``load_articles``, ``phrases``, ``example_parts``) are meant to be reused by the test
that runs the phrasing checker over "phrases that work", "phrases to avoid" and the
"better reply" once that checker exists.

The house-style guard near the end is a rough, local stand-in for the checker: it keeps
the obvious slips (long sentences, capitals, placeholders, stock apologies) out of the
text we present as good practice. It is not meant to replace the real checker test.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import pytest

from kb import resources

# Fixed by DESIGN.md: these must exist, vetted, in the bundled content.
DESIGN_SLUGS = (
    "three-key-questions",
    "analyse-dont-blame",
    "apologising-dos-and-donts",
    "saying-no-so-it-sounds-like-yes",
    "customers-who-want-to-vent",
    "three-causes-of-dissatisfaction",
    "helping-the-customer-save-face",
    "handling-grey-areas",
    "owning-without-taking-it-personally",
    "offering-options",
    "when-a-customer-blames-you",
    "explaining-your-side-simply",
    "accepting-blame-and-moving-on",
    "working-smarter-with-fewer-tools",
)

REQUIRED_KEYS = ("title", "slug", "summary", "tags", "status", "owner", "reviewed")
# The H2 sections every article has, in this order (DEVELOPERS.md, "Articles").
SECTIONS = (
    "When this applies",
    "What to do",
    "Phrases that work",
    "Phrases to avoid",
    "Example",
    "Related",
)
EXAMPLE_PARTS = ("The customer writes", "A weak reply", "A better reply")
MIN_WORDS, MAX_WORDS = 300, 900
MIN_PHRASES = 2

_H2 = re.compile(r"^## +(.+?) *$", re.MULTILINE)
_H3 = re.compile(r"^### +(.+?) *$", re.MULTILINE)
_BULLET = re.compile(r"^[-*] +(.*)$")
# - "The phrase." — why it works or hurts.
_PHRASE_BULLET = re.compile(r'^"([^"]+)" +— +(\S.*)$')
_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=\S)")


@dataclass(frozen=True)
class Phrase:
    text: str
    why: str


@dataclass(frozen=True)
class ArticleFile:
    path: Path
    meta: dict
    body: str

    @property
    def slug(self) -> str:
        return str(self.meta.get("slug", ""))


def articles_dir() -> Path:
    return resources.path("playbook", "articles")


def load_articles() -> list[ArticleFile]:
    """Every ``*.md`` file in the bundled articles folder, parsed."""
    out = []
    for path in sorted(articles_dir().glob("*.md")):
        post = frontmatter.load(str(path))
        out.append(ArticleFile(path=path, meta=dict(post.metadata), body=post.content))
    return out


def sections(body: str, pattern: re.Pattern[str] = _H2) -> dict[str, str]:
    """Heading text -> the text under it, up to the next heading of the same level."""
    matches = list(pattern.finditer(body))
    out: dict[str, str] = {}
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(body)
        out[match.group(1)] = body[match.end() : end].strip()
    return out


def bullets(text: str) -> list[str]:
    """Top-level list items in ``text`` (one line each, as the articles are written)."""
    return [m.group(1).strip() for line in text.splitlines() if (m := _BULLET.match(line))]


def phrases(article: ArticleFile, heading: str) -> list[Phrase]:
    """The quoted phrases under "Phrases that work" or "Phrases to avoid".

    Raises ``ValueError`` naming the bullet when one is not in the agreed shape, so a
    malformed bullet cannot silently drop out of the phrasing-checker test.
    """
    section = sections(article.body).get(heading, "")
    out = []
    for item in bullets(section):
        match = _PHRASE_BULLET.match(item)
        if not match:
            raise ValueError(f'{article.path.name}: bullet not in the form - "phrase" — why: {item!r}')
        out.append(Phrase(text=match.group(1).strip(), why=match.group(2).strip()))
    return out


def blockquote_text(text: str) -> str:
    """The text of the blockquote lines in ``text``, joined into one paragraph."""
    lines = [re.sub(r"^>\s?", "", line).strip() for line in text.splitlines() if line.startswith(">")]
    return " ".join(line for line in lines if line)


def example_parts(article: ArticleFile) -> dict[str, str]:
    """The customer's message, the weak reply and the better reply, as plain text."""
    example = sections(article.body).get("Example", "")
    parts = sections(example, _H3)
    return {name: blockquote_text(parts.get(name, "")) for name in EXAMPLE_PARTS}


def word_count(text: str) -> int:
    """Words a reader sees: tokens with a letter or digit (markdown marks don't count)."""
    return sum(1 for token in text.split() if re.search(r"\w", token))


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


ARTICLES = load_articles()
BY_NAME = {a.path.stem: a for a in ARTICLES}


def _ids(items: list[ArticleFile]) -> list[str]:
    return [a.path.stem for a in items]


# -- the set of articles -------------------------------------------------------------------


def test_articles_folder_has_content() -> None:
    assert articles_dir().is_dir(), f"missing {articles_dir()}"
    assert ARTICLES, "no articles found"


def test_every_design_slug_has_exactly_one_article() -> None:
    missing = [slug for slug in DESIGN_SLUGS if slug not in BY_NAME]
    assert not missing, f"articles missing for DESIGN slugs: {missing}"
    slugs = [a.slug for a in ARTICLES]
    duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
    assert not duplicates, f"slug used by more than one file: {duplicates}"


def test_no_stray_files_in_articles_folder() -> None:
    stray = [p.name for p in articles_dir().iterdir() if p.suffix != ".md" and p.name != "__init__.py"]
    assert not stray, f"unexpected files among the articles: {stray}"


# -- front matter --------------------------------------------------------------------------


@pytest.mark.parametrize("article", ARTICLES, ids=_ids(ARTICLES))
def test_front_matter(article: ArticleFile) -> None:
    meta = article.meta
    for key in REQUIRED_KEYS:
        assert key in meta, f"{article.path.name}: front matter lacks {key!r}"
        assert meta[key] not in (None, "", []), f"{article.path.name}: {key!r} is empty"
    assert article.slug == article.path.stem, "slug must equal the file name"
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", article.slug), "slug must be kebab-case"
    assert meta["status"] == "vetted"
    assert isinstance(meta["title"], str) and meta["title"].strip() == meta["title"]
    assert isinstance(meta["owner"], str)

    tags = meta["tags"]
    assert isinstance(tags, list) and tags, "tags must be a non-empty list"
    assert all(isinstance(t, str) and t.strip() and t == t.lower() for t in tags), tags
    assert len(set(tags)) == len(tags), "duplicate tags"

    reviewed = meta["reviewed"]
    if isinstance(reviewed, str):
        reviewed = dt.date.fromisoformat(reviewed)
    assert isinstance(reviewed, dt.date), "reviewed must be a YYYY-MM-DD date"
    assert dt.date(2020, 1, 1) <= reviewed <= dt.date(2100, 1, 1)


@pytest.mark.parametrize("article", ARTICLES, ids=_ids(ARTICLES))
def test_summary_is_one_plain_sentence(article: ArticleFile) -> None:
    summary = article.meta["summary"]
    assert isinstance(summary, str)
    assert "\n" not in summary.strip()
    assert summary.endswith("."), "summary should end with a full stop"
    assert len(split_sentences(summary)) == 1, f"summary is more than one sentence: {summary!r}"
    assert 8 <= word_count(summary) <= 40, "summary should be one short sentence"


# -- body ----------------------------------------------------------------------------------


@pytest.mark.parametrize("article", ARTICLES, ids=_ids(ARTICLES))
def test_body_length(article: ArticleFile) -> None:
    words = word_count(article.body)
    assert MIN_WORDS <= words <= MAX_WORDS, f"{article.path.name}: {words} words"


@pytest.mark.parametrize("article", ARTICLES, ids=_ids(ARTICLES))
def test_sections_present_in_order(article: ArticleFile) -> None:
    found = [m.group(1) for m in _H2.finditer(article.body)]
    assert [h for h in found if h in SECTIONS] == list(SECTIONS), found
    assert not re.search(r"^# ", article.body, re.MULTILINE), "the title belongs in front matter"
    body = sections(article.body)
    for name in SECTIONS:
        assert body[name], f"{article.path.name}: section {name!r} is empty"
    intro = article.body[: _H2.search(article.body).start()].strip()
    assert word_count(intro) >= 20, "start with a short intro paragraph before the sections"


@pytest.mark.parametrize("article", ARTICLES, ids=_ids(ARTICLES))
def test_phrases_parse_and_have_reasons(article: ArticleFile) -> None:
    work = phrases(article, "Phrases that work")
    avoid = phrases(article, "Phrases to avoid")
    assert len(work) >= MIN_PHRASES, f"only {len(work)} phrases that work"
    assert len(avoid) >= MIN_PHRASES, f"only {len(avoid)} phrases to avoid"
    for phrase in work + avoid:
        assert word_count(phrase.why) >= 5, f"say why, in a sentence: {phrase}"
    overlap = {p.text for p in work} & {p.text for p in avoid}
    assert not overlap, f"a phrase cannot both work and be avoided: {overlap}"


@pytest.mark.parametrize("article", ARTICLES, ids=_ids(ARTICLES))
def test_example_has_three_parts(article: ArticleFile) -> None:
    parts = example_parts(article)
    for name, text in parts.items():
        assert word_count(text) >= 8, f"{article.path.name}: example part {name!r} missing or empty"
    assert parts["A weak reply"] != parts["A better reply"]
    assert 20 <= word_count(parts["A better reply"]) <= 150, "keep the better reply short"


@pytest.mark.parametrize("article", ARTICLES, ids=_ids(ARTICLES))
def test_links_resolve_to_articles(article: ArticleFile) -> None:
    for _label, target in _LINK.findall(article.body):
        if re.match(r"[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
            continue  # an absolute link (checked by the renderer's allow-list, not here)
        assert re.fullmatch(r"[a-z0-9-]+\.md", target), f"link {target!r} is not <slug>.md"
        assert target[:-3] in BY_NAME, f"{article.path.name}: link to missing article {target}"
        assert target[:-3] != article.slug, "an article should not link to itself"


@pytest.mark.parametrize("article", ARTICLES, ids=_ids(ARTICLES))
def test_related_lists_other_articles(article: ArticleFile) -> None:
    related = sections(article.body)["Related"]
    items = bullets(related)
    assert len(items) >= 2, "link at least two related articles"
    for item in items:
        assert _LINK.fullmatch(item), f"Related items are single links: {item!r}"


def test_every_article_is_linked_from_another() -> None:
    linked = {target[:-3] for a in ARTICLES for _label, target in _LINK.findall(a.body)}
    orphans = sorted(set(BY_NAME) - linked)
    assert not orphans, f"no article links to: {orphans}"


# -- house-style guard on the text we hold up as good practice -----------------------------

MAX_SENTENCE_WORDS = 22
ACRONYMS = {"PDF", "PIN", "ID", "UK", "US", "VAT", "SMS", "FAQ", "PM", "AM"}
_GOOD_TEXT_SLIPS = re.compile(
    r"sorry (if|that you feel|you feel)|any inconvenience|never happen again|"
    r"\b(i|we) (promise|guarantee)\b|calm down|as i (already )?(said|told you|explained)|"
    r"\bobviously\b|\bhonestly\b|rules are rules|not my (department|job)|"
    r"\bthey (won't|will not|don't|do not) (let|allow)|you should have|your fault|"
    r"nothing (more )?(i|we) can do|not (my|our) problem|because you (didn't|did not)|you forgot|"
    r"\{[^}]*\}|\[[A-Z _]+\]|<[^>]+>|!!",
    re.IGNORECASE,
)


def _good_texts(article: ArticleFile) -> list[str]:
    texts = [p.text for p in phrases(article, "Phrases that work")]
    texts.append(example_parts(article)["A better reply"])
    return texts


@pytest.mark.parametrize("article", ARTICLES, ids=_ids(ARTICLES))
def test_good_examples_follow_house_style(article: ArticleFile) -> None:
    for text in _good_texts(article):
        slip = _GOOD_TEXT_SLIPS.search(text)
        assert not slip, f"{article.path.name}: {slip.group(0)!r} in good example {text!r}"
        for word in re.findall(r"\b[A-Z]{2,}\b", text):
            assert word in ACRONYMS, f"{article.path.name}: {word!r} reads as shouting in {text!r}"
        for sentence in split_sentences(text):
            words = word_count(sentence)
            assert words <= MAX_SENTENCE_WORDS, f"{article.path.name}: {words} words: {sentence!r}"


@pytest.mark.parametrize("article", ARTICLES, ids=_ids(ARTICLES))
def test_phrases_to_avoid_are_real_slips(article: ArticleFile) -> None:
    """The guard is crude, but a "phrase to avoid" it likes is usually not a clear example."""
    avoid = phrases(article, "Phrases to avoid")
    caught = [p.text for p in avoid if _GOOD_TEXT_SLIPS.search(p.text)]
    assert caught, f"{article.path.name}: no phrase to avoid is an obvious slip"


# -- the helpers themselves ----------------------------------------------------------------


def test_phrase_parser_rejects_malformed_bullets(tmp_path: Path) -> None:
    post = tmp_path / "x.md"
    post.write_text("---\nslug: x\n---\n\nIntro.\n\n## Phrases that work\n\n- I can help. — why\n")
    bad = ArticleFile(path=post, meta={"slug": "x"}, body=frontmatter.load(str(post)).content)
    with pytest.raises(ValueError, match="bullet not in the form"):
        phrases(bad, "Phrases that work")


def test_helpers_on_a_tiny_article() -> None:
    body = (
        "Intro.\n\n## Phrases to avoid\n\n"
        '- "Calm down." — It tells them how to feel.\n\n'
        "## Example\n\n### The customer writes\n\n> Where is it?\n> Second line.\n\n"
        "### A better reply\n\n> It is here.\n"
    )
    art = ArticleFile(path=Path("tiny.md"), meta={}, body=body)
    assert phrases(art, "Phrases to avoid") == [Phrase("Calm down.", "It tells them how to feel.")]
    parts = example_parts(art)
    assert parts["The customer writes"] == "Where is it? Second line."
    assert parts["A weak reply"] == ""
    assert split_sentences("One. Two? Three!") == ["One.", "Two?", "Three!"]
    assert word_count("## Heading\n- a b\n> c") == 4


# -- the search-quality query list (run against search by the integrator's test) -----------

QUERIES_FILE = Path(__file__).parent / "data" / "search_queries.yaml"
MIN_QUERIES = 45


def load_queries() -> list[dict]:
    import yaml

    data = yaml.safe_load(QUERIES_FILE.read_text(encoding="utf-8"))
    return data["queries"]


def test_search_queries_are_well_formed() -> None:
    queries = load_queries()
    assert len(queries) >= MIN_QUERIES, f"only {len(queries)} queries"
    seen: set[str] = set()
    for item in queries:
        assert set(item) == {"query", "expect"}, item
        query, expect = item["query"], item["expect"]
        assert isinstance(query, str) and query.strip() == query and query, item
        assert query.casefold() not in seen, f"duplicate query {query!r}"
        seen.add(query.casefold())
        assert expect in BY_NAME, f"{query!r} expects a missing article {expect!r}"


def test_search_queries_cover_every_design_article() -> None:
    expected = [item["expect"] for item in load_queries()]
    thin = [slug for slug in DESIGN_SLUGS if expected.count(slug) < 3]
    assert not thin, f"fewer than three queries for: {thin}"


def test_search_queries_are_not_copied_titles() -> None:
    """Queries copied from titles or summaries would measure nothing."""
    copies = {a.meta["title"].casefold() for a in ARTICLES}
    copies |= {a.meta["summary"].casefold().rstrip(".") for a in ARTICLES}
    copied = [q["query"] for q in load_queries() if q["query"].casefold() in copies]
    assert not copied, copied
