"""Reading markdown folders (front matter, fallbacks, per-file problems) and writing them back."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.errors import InvalidInput
from kb.markdown_io import (
    MAX_FILE_BYTES,
    article_to_markdown,
    parse_markdown,
    scan_folder,
    write_folder,
)
from kb.progress import CancelToken


def _write(root: Path, name: str, text: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_front_matter_fields_map_to_the_article() -> None:
    article, explicit = parse_markdown(
        "---\n"
        "title: Late parcels\n"
        "slug: late-parcels\n"
        "description: What to say when a parcel is late.\n"
        "keywords: [delivery, courier]\n"
        "appliesto:\n  - Web shop\n"
        "status: In Review\n"
        "owner: Dana\n"
        "reviewed: 2026-01-31\n"
        "ms.date: 04/07/2023\n"
        "---\n\n# Late parcels\n\nBody text.\n",
        name="x/late.md",
    )
    assert explicit
    assert (article.slug, article.title, article.summary) == (
        "late-parcels",
        "Late parcels",
        "What to say when a parcel is late.",
    )
    assert article.tags == ["delivery", "courier", "Web shop"]
    assert article.status == "in-review"
    assert article.owner == "Dana"
    assert article.reviewed == "2026-01-31"
    assert article.meta["ms.date"] == "04/07/2023"
    assert article.body.startswith("# Late parcels")


def test_fallbacks_first_heading_then_file_name() -> None:
    article, explicit = parse_markdown("Intro line.\n\n## Second level\n\n# Real title\n", name="a/b/my_file.md")
    assert not explicit
    assert article.slug == "my-file"
    assert article.title == "Real title"
    article, _ = parse_markdown("```\n# not a heading\n```\n", name="reset-password.md")
    assert article.title == "Reset password"
    assert article.status == "vetted"


def test_summary_falls_back_to_the_first_paragraph() -> None:
    article, _ = parse_markdown("# T\n\n" + "Plain words here. " * 30, name="t.md")
    assert article.summary.startswith("Plain words here.")
    assert len(article.summary) <= 201


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\ntitle: [unclosed\n---\nbody", "broken front matter"),
        ("---\n- a\n- b\n---\nbody", "key: value"),
        ("---\nslug: Not A Slug!\n---\nbody", "not URL-safe"),
        ("---\nstatus: published\n---\nbody", "status 'published'"),
    ],
)
def test_bad_front_matter_is_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_markdown(text, name="bad.md")


def test_scan_reports_each_bad_file_and_keeps_going(tmp_path: Path) -> None:
    _write(tmp_path, "good.md", "# Good\n\nFine.")
    _write(tmp_path, "sub/also-good.markdown", "# Also good\n")
    _write(tmp_path, "broken.md", "---\ntitle: 'oops\n---\n")
    _write(tmp_path, "latin1.md", "caf\xe9".encode("latin-1"))
    _write(tmp_path, "binary.md", b"\x89PNG\x00\x00\x00")
    _write(tmp_path, "huge.md", b"a" * (MAX_FILE_BYTES + 1))
    _write(tmp_path, "one.md", "---\nslug: same\n---\n# One")
    _write(tmp_path, "two.md", "---\nslug: same\n---\n# Two")
    _write(tmp_path, "notes.txt", "not markdown")
    _write(tmp_path, ".hidden/secret.md", "# hidden")
    result = scan_folder(tmp_path)
    assert sorted(a.slug for a in result.articles) == ["also-good", "good", "same"]
    problems = {p.path: p.message for p in result.problems}
    assert set(problems) == {"broken.md", "latin1.md", "binary.md", "huge.md", "two.md"}
    assert "broken front matter" in problems["broken.md"]
    assert "not UTF-8" in problems["latin1.md"]
    assert "binary" in problems["binary.md"]
    assert "5 MB" in problems["huge.md"]
    assert "already used by one.md" in problems["two.md"]


def test_clashing_file_names_get_unique_slugs(tmp_path: Path) -> None:
    _write(tmp_path, "outlook/overview.md", "# Outlook overview")
    _write(tmp_path, "teams/overview.md", "# Teams overview")
    slugs = [a.slug for a in scan_folder(tmp_path).articles]
    assert slugs == ["overview", "teams-overview"]
    assert [a.slug for a in scan_folder(tmp_path).articles] == slugs  # stable on re-import


def test_scan_of_a_missing_folder_or_a_file_is_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="does not exist"):
        scan_folder(tmp_path / "nope")
    with pytest.raises(InvalidInput, match="is a file"):
        scan_folder(_write(tmp_path, "f.md", "x"))


def test_symlinks_out_of_the_folder_are_not_followed(tmp_path: Path) -> None:
    outside = _write(tmp_path / "outside", "secret.md", "# Secret")
    root = tmp_path / "root"
    _write(root, "ok.md", "# Ok")
    (root / "link.md").symlink_to(outside)
    assert [a.slug for a in scan_folder(root).articles] == ["ok"]


def test_scan_can_be_cancelled(tmp_path: Path) -> None:
    for i in range(5):
        _write(tmp_path, f"a{i}.md", "# A")
    token = CancelToken()
    seen = []

    def progress(done: int, total: int, message: str = "") -> None:
        seen.append(done)
        if done == 2:
            token.cancel()

    result = scan_folder(tmp_path, progress=progress, cancel=token)
    assert result.cancelled and len(result.articles) == 3  # stops before the 4th file


def test_export_then_import_keeps_every_field(tmp_path: Path) -> None:
    original, _ = parse_markdown(
        "---\ntitle: \"Refunds: the basics\"\nslug: refunds\nsummary: How refunds work.\n"
        "tags: [money, 'refund window']\nstatus: draft\nowner: Jo\nreviewed: 2026-03-01\n"
        "custom_field: {nested: [1, 2]}\nms.date: 01/02/2023\n---\n\n"
        "Body with *emphasis*, a [link](other.md) and ünïcode ✓.\n",
        name="refunds.md",
    )
    report = write_folder([original], tmp_path / "out", total=1)
    assert report.written == ["refunds"]
    text = (tmp_path / "out" / "refunds.md").read_text(encoding="utf-8")
    again, _ = parse_markdown(text, name="refunds.md")
    assert again.content() == original.content()
    assert again.content_hash == original.content_hash
    assert article_to_markdown(again) == text


def test_export_into_a_file_path_is_a_clear_message(tmp_path: Path) -> None:
    target = _write(tmp_path, "file", "x")
    article, _ = parse_markdown("# A", name="a.md")
    with pytest.raises(InvalidInput, match="is a file"):
        write_folder([article], target, total=1)
