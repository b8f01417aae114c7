"""Packs: round trip between data folders, hostile packs refused with nothing changed,
rollback keeping drafts, the shared-folder subscription and atomic publishing, the CLI."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from kb import packs, sharing
from kb.cli import main
from kb.drafts import Draft
from kb.errors import Cancelled, InvalidInput
from kb.facade import KnowledgeBase
from kb.models import Article
from kb.progress import CancelToken
from kb.team_rules import TeamRule

NEW_ARTICLE = Article(
    slug="refund-window",
    title="The refund window",
    summary="How long customers have to ask for a refund.",
    body="Customers can ask for a zebrafish refund within 30 days.\n\nSee [apologising](apologising-dos-and-donts.md).",
    tags=["refunds"],
    status="vetted",
)


@pytest.fixture
def kb_a(tmp_path: Path):
    kb = KnowledgeBase.open(tmp_path / "home-a")
    yield kb
    kb.close()


@pytest.fixture
def kb_b(tmp_path: Path):
    kb = KnowledgeBase.open(tmp_path / "home-b")
    yield kb
    kb.close()


@pytest.fixture
def pack(kb_a: KnowledgeBase, tmp_path: Path) -> Path:
    """A pack from home-a with one new article, an edited snippet and a team rule."""
    kb_a.save_article(Article(**{k: v for k, v in NEW_ARTICLE.__dict__.items() if k in (
        "slug", "title", "summary", "body", "tags", "status")}))
    snippet = kb_a.snippets()[0]
    snippet.title = "Edited by the editors"
    kb_a.save_snippet(snippet)
    kb_a.save_team_rule(TeamRule(phrases=["per our policy"], category="hard-no", message="Say what you can do."))
    path = tmp_path / "office.tactpack"
    packs.export_pack(kb_a, path, publisher="Editors")
    return path


def snapshot(kb: KnowledgeBase) -> dict:
    """Everything an import could change: every table, and the backups folder."""
    db = kb.store.db
    tables = {
        t: db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
        for t in ("articles", "article_revisions", "snippets", "snippet_revisions", "recipes",
                  "team_rules", "drafts", "meta")
    }
    backups = kb.paths.backups_dir
    tables["backups"] = sorted(p.name for p in backups.iterdir()) if backups.exists() else []
    return tables


def rewrite(
    source: Path,
    target: Path,
    *,
    drop: tuple[str, ...] = (),
    add: dict[str, bytes] | None = None,
    list_added: bool = True,
    manifest: Callable[[dict], None] | None = None,
    info: Callable[[zipfile.ZipInfo], None] | None = None,
    compress: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """Copy a pack with changes, keeping the manifest consistent unless told otherwise."""
    with zipfile.ZipFile(source) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    data = json.loads(members.pop("manifest.json"))
    for name in drop:
        members.pop(name)
        data["files"] = [f for f in data["files"] if f["path"] != name]
    for name, blob in (add or {}).items():
        members[name] = blob
        if list_added:
            data["files"].append({"path": name, "size": len(blob), "sha256": hashlib.sha256(blob).hexdigest()})
    if manifest:
        manifest(data)
    with zipfile.ZipFile(target, "w", compression=compress) as zf:
        zf.writestr("manifest.json", json.dumps(data))
        for name, blob in members.items():
            zi = zipfile.ZipInfo(name)
            zi.compress_type = compress
            zi.external_attr = (stat.S_IFREG | 0o644) << 16
            if info and name in (add or {}):
                info(zi)
            zf.writestr(zi, blob)
    return target


# -- round trip ------------------------------------------------------------------------------


def test_round_trip_between_two_data_folders(kb_b: KnowledgeBase, pack: Path) -> None:
    assert not kb_b.search("zebrafish")
    summary = packs.import_pack(kb_b, pack)
    assert summary.articles_created == ["refund-window"]
    assert summary.team_rules == 1 and summary.recipes == len(kb_b.recipes())
    assert summary.changes.rules and "refund-window" in summary.changes.articles
    article = kb_b.article("refund-window")
    assert article.body == NEW_ARTICLE.body and article.source_path is None
    assert [h.slug for h in kb_b.search("zebrafish")] == ["refund-window"]
    assert "Edited by the editors" in {s.title for s in kb_b.snippets()}
    assert [f.rule for f in kb_b.lint("Per our policy, no.") if f.rule.startswith("team.")] == ["team.per-our-policy"]
    assert "Editors" in kb_b.revisions("refund-window")[-1].note
    assert packs.installed_version(kb_b, summary.pack.kb_id) == 1


def test_manifest_lists_every_file_with_checksums_and_no_index(kb_a: KnowledgeBase, pack: Path) -> None:
    with zipfile.ZipFile(pack) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        for entry in manifest["files"]:
            blob = zf.read(entry["path"])
            assert hashlib.sha256(blob).hexdigest() == entry["sha256"] and len(blob) == entry["size"]
    assert names == {"manifest.json"} | {e["path"] for e in manifest["files"]}
    assert manifest["format_version"] == 1 and manifest["kb_id"] == kb_a.kb_id
    assert manifest["publisher"] == "Editors" and manifest["created"].endswith("Z")
    assert "articles/refund-window.md" in names and "snippets/snippets.yaml" in names
    assert "team-rules/team.per-our-policy.yaml" in names
    assert not any(n.startswith("index") or n.endswith((".pkl", ".db")) for n in names)


def test_each_export_gets_a_higher_version(kb_a: KnowledgeBase, tmp_path: Path) -> None:
    first = packs.export_pack(kb_a, tmp_path / "1.tactpack")
    second = packs.export_pack(kb_a, tmp_path / "2.tactpack")
    assert (first.version, second.version) == (1, 2)
    assert packs.inspect_pack(tmp_path / "2.tactpack").version == 2


# -- hostile packs -----------------------------------------------------------------------------


def _traversal(p: Path, t: Path) -> Path:
    return rewrite(p, t, add={"../evil.md": b"x"})


def _absolute(p: Path, t: Path) -> Path:
    return rewrite(p, t, add={"/etc/evil.md": b"x"})


def _backslash(p: Path, t: Path) -> Path:
    return rewrite(p, t, add={"articles\\..\\evil.md": b"x"})


def _symlink(p: Path, t: Path) -> Path:
    def link(zi: zipfile.ZipInfo) -> None:
        zi.create_system = 3
        zi.external_attr = (stat.S_IFLNK | 0o777) << 16

    return rewrite(p, t, add={"articles/linked.md": b"/etc/passwd"}, info=link)


def _zip_bomb(p: Path, t: Path) -> Path:
    return rewrite(p, t, add={"articles/bomb.md": b"---\ntitle: x\n---\n" + b"a" * 4_000_000})


def _too_big(p: Path, t: Path) -> Path:
    return rewrite(p, t, add={"articles/big.md": os.urandom(9 * 1024 * 1024)}, compress=zipfile.ZIP_STORED)


def _wrong_checksum(p: Path, t: Path) -> Path:
    def tamper(data: dict) -> None:
        entry = next(f for f in data["files"] if f["path"] == "articles/refund-window.md")
        entry["sha256"] = "0" * 64

    return rewrite(p, t, manifest=tamper)


def _changed_content(p: Path, t: Path) -> Path:
    with zipfile.ZipFile(p) as zf:
        body = zf.read("articles/refund-window.md").replace(b"30 days", b"90 days")
    data_before = rewrite(p, t, drop=("articles/refund-window.md",))
    with zipfile.ZipFile(data_before, "a") as zf:
        zf.writestr("articles/refund-window.md", body)
    with zipfile.ZipFile(p) as zf:
        manifest = zf.read("manifest.json")
    # same manifest as published (its checksum for this file no longer matches)
    return rewrite(t, t.with_suffix(".2.tactpack"), manifest=lambda d: d.update(json.loads(manifest)))


def _unlisted(p: Path, t: Path) -> Path:
    return rewrite(p, t, add={"articles/extra.md": b"---\ntitle: Extra\n---\nHi"}, list_added=False)


def _missing(p: Path, t: Path) -> Path:
    def ghost(data: dict) -> None:
        data["files"].append({"path": "articles/ghost.md", "size": 1, "sha256": "0" * 64})

    return rewrite(p, t, manifest=ghost)


def _truncated(p: Path, t: Path) -> Path:
    blob = p.read_bytes()
    t.write_bytes(blob[: len(blob) // 2])
    return t


def _corrupt_member(p: Path, t: Path) -> Path:
    blob = bytearray(p.read_bytes())
    start = blob.find(b"articles/refund-window.md") + 40
    for i in range(start, start + 20):
        blob[i] ^= 0xFF
    t.write_bytes(bytes(blob))
    return t


def _not_a_zip(p: Path, t: Path) -> Path:
    t.write_text("just some text")
    return t


def _future_format(p: Path, t: Path) -> Path:
    return rewrite(p, t, manifest=lambda d: d.update(format_version=2))


def _no_manifest(p: Path, t: Path) -> Path:
    with zipfile.ZipFile(p) as src, zipfile.ZipFile(t, "w") as dst:
        for name in src.namelist():
            if name != "manifest.json":
                dst.writestr(name, src.read(name))
    return t


def _index_file(p: Path, t: Path) -> Path:
    return rewrite(p, t, add={"index/MAIN_abc.toc": b"\x80\x04K\x01."})


def _pickle(p: Path, t: Path) -> Path:
    return rewrite(p, t, add={"articles/evil.pkl": b"\x80\x04K\x01."})


def _unknown_file(p: Path, t: Path) -> Path:
    return rewrite(p, t, add={"scripts/run.py": b"print(1)"})


def _bad_article(p: Path, t: Path) -> Path:
    return rewrite(p, t, add={"articles/broken.md": b"---\ntitle: [unclosed\n---\nBody"})


def _slug_mismatch(p: Path, t: Path) -> Path:
    return rewrite(p, t, add={"articles/other.md": b"---\ntitle: Other\nslug: refund-window\n---\nBody"})


def _broken_link(p: Path, t: Path) -> Path:
    return rewrite(p, t, add={"articles/dangling.md": b"---\ntitle: D\nslug: dangling\n---\nSee [x](nowhere-at-all.md)."})


def _bad_rule(p: Path, t: Path) -> Path:
    return rewrite(p, t, add={"team-rules/team.bad.yaml": b"rule_id: team.bad\nphrases: [x]\ncategory: rudeness\n"})


def _yaml_alias(p: Path, t: Path) -> Path:
    rule = b"rule_id: team.alias\nphrases: &p [a, b]\nsuggestions: *p\ncategory: blame\n"
    return rewrite(p, t, add={"team-rules/team.alias.yaml": rule})


def _duplicate_name(p: Path, t: Path) -> Path:
    rewrite(p, t)
    with zipfile.ZipFile(t) as zf:
        blob = zf.read("articles/refund-window.md")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(t, "a") as zf:
            zf.writestr("articles/refund-window.md", blob)
    return t


def _too_many_files(p: Path, t: Path) -> Path:
    with zipfile.ZipFile(t, "w") as zf:
        for i in range(packs.MAX_FILES + 1):
            zf.writestr(f"articles/a{i}.md", b"")
    return t


HOSTILE = {
    "too many files": (_too_many_files, "more than 10000 files"),
    "traversal": (_traversal, "points outside the pack"),
    "absolute path": (_absolute, "absolute path"),
    "backslash": (_backslash, "backslash"),
    "symlink": (_symlink, "link or special file"),
    "zip bomb": (_zip_bomb, "zip bomb"),
    "oversized file": (_too_big, "over 8 MB"),
    "wrong checksum": (_wrong_checksum, "wrong checksum"),
    "content changed after publishing": (_changed_content, "wrong checksum"),
    "unlisted extra file": (_unlisted, "does not list"),
    "listed file missing": (_missing, "is missing articles/ghost.md"),
    "truncated": (_truncated, "damaged or incomplete"),
    "corrupt member": (_corrupt_member, "damaged or incomplete"),
    "not a zip": (_not_a_zip, "damaged or incomplete"),
    "future format": (_future_format, "made by a newer Tactful"),
    "no manifest": (_no_manifest, "no manifest.json"),
    "index file": (_index_file, "search index"),
    "pickle": (_pickle, "search index"),
    "unknown file": (_unknown_file, "not part of the pack format"),
    "broken front matter": (_bad_article, "not valid YAML"),
    "slug differs from file name": (_slug_mismatch, "file name and slug must agree"),
    "broken link": (_broken_link, "broken link"),
    "invalid team rule": (_bad_rule, "category 'rudeness'"),
    "yaml alias": (_yaml_alias, "aliases"),
    "duplicate name": (_duplicate_name, "two files named"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_pack_is_refused_and_nothing_changes(
    case: str, kb_b: KnowledgeBase, pack: Path, tmp_path: Path
) -> None:
    make, expected = HOSTILE[case]
    bad = make(pack, tmp_path / "bad.tactpack")
    kb_b.drafts.save(Draft(body="my reply in progress"))
    before = snapshot(kb_b)
    with pytest.raises(InvalidInput) as err:
        packs.import_pack(kb_b, bad)
    message = str(err.value)
    assert expected in message
    assert "\n" not in message and message.endswith(".")
    assert snapshot(kb_b) == before


def test_an_older_pack_is_refused_unless_forced(kb_a: KnowledgeBase, kb_b: KnowledgeBase, tmp_path: Path) -> None:
    kb_a.save_article(Article(slug="one", title="One", body="First words.", status="vetted"))
    old = packs.export_pack(kb_a, tmp_path / "v1.tactpack")
    kb_a.save_article(Article(slug="one", title="One", body="Second words.", status="vetted"))
    new = packs.export_pack(kb_a, tmp_path / "v2.tactpack")
    packs.import_pack(kb_b, new.path)
    before = snapshot(kb_b)
    with pytest.raises(InvalidInput, match="older than version 2 already installed"):
        packs.import_pack(kb_b, old.path)
    assert snapshot(kb_b) == before
    summary = packs.import_pack(kb_b, old.path, force=True)
    assert summary.forced and summary.previous_version == 2
    assert kb_b.article("one").body == "First words."
    assert packs.installed_version(kb_b, kb_a.kb_id) == 1


def test_cancelling_before_the_write_changes_nothing(kb_b: KnowledgeBase, pack: Path) -> None:
    token = CancelToken()
    token.cancel()
    before = snapshot(kb_b)
    with pytest.raises(Cancelled):
        packs.import_pack(kb_b, pack, cancel=token)
    assert snapshot(kb_b) == before


def test_progress_is_reported(kb_b: KnowledgeBase, pack: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    packs.import_pack(kb_b, pack, progress=lambda d, t, m="": seen.append((d, t, m)))
    assert seen and any("Checking" in m for _, _, m in seen)


# -- rollback and drafts ------------------------------------------------------------------------


def test_drafts_survive_import_and_rollback(kb_b: KnowledgeBase, pack: Path) -> None:
    before_import = kb_b.drafts.save(Draft(customer="Ana", body="Hi Ana, I'm on it."))
    packs.import_pack(kb_b, pack)
    assert kb_b.drafts.get(before_import.id).body == "Hi Ana, I'm on it."
    after_import = kb_b.drafts.save(Draft(customer="Ben", body="Hi Ben, written after the import."))
    packs.rollback_last_pack(kb_b)
    assert kb_b.drafts.get(before_import.id).body == "Hi Ana, I'm on it."
    assert kb_b.drafts.get(after_import.id).body == "Hi Ben, written after the import."


def test_rollback_restores_the_previous_content(kb_b: KnowledgeBase, pack: Path) -> None:
    title = kb_b.snippets()[0].title
    before = snapshot(kb_b)
    packs.import_pack(kb_b, pack)
    assert packs.can_roll_back(kb_b)
    changes = packs.rollback_last_pack(kb_b)
    assert "refund-window" in changes.articles and changes.rules
    assert not kb_b.store.article("refund-window")
    assert not kb_b.search("zebrafish")
    assert kb_b.snippets()[0].title == title
    assert kb_b.team_rules() == []
    assert not [f for f in kb_b.lint("Per our policy, no.") if f.rule.startswith("team.")]
    after = snapshot(kb_b)
    for table in ("articles", "article_revisions", "snippets", "snippet_revisions", "recipes", "team_rules", "drafts"):
        assert after[table] == before[table], table
    assert packs.installed_version(kb_b, packs.inspect_pack(pack).kb_id) is None
    with pytest.raises(InvalidInput, match="no pack import to roll back"):
        packs.rollback_last_pack(kb_b)


def test_rollback_with_nothing_imported_is_refused(kb_b: KnowledgeBase) -> None:
    with pytest.raises(InvalidInput, match="no pack import to roll back"):
        packs.rollback_last_pack(kb_b)


def test_rollback_after_local_edits_needs_force(kb_b: KnowledgeBase, pack: Path) -> None:
    packs.import_pack(kb_b, pack)
    kb_b.save_article(Article(slug="local-note", title="Local", body="Mine.", status="draft"))
    with pytest.raises(InvalidInput, match="--force"):
        packs.rollback_last_pack(kb_b)
    packs.rollback_last_pack(kb_b, force=True)
    assert kb_b.store.article("local-note") is None


# -- shared folder ---------------------------------------------------------------------------------


def test_shared_folder_picks_up_a_newer_pack_and_ignores_an_older_one(
    kb_a: KnowledgeBase, kb_b: KnowledgeBase, tmp_path: Path
) -> None:
    shared = tmp_path / "share"
    shared.mkdir()
    assert sharing.check_shared_folder(kb_b, shared).status == "no-pack"
    kb_a.save_article(Article(slug="news", title="News", body="Version one of the news.", status="vetted"))
    first = sharing.publish_pack(kb_a, shared, "Editors")
    old_copy = (shared / "old.tactpack")
    old_copy.write_bytes(Path(first.path).read_bytes())
    result = sharing.check_shared_folder(kb_b, shared)
    assert result.status == "imported" and result.summary is not None
    assert kb_b.article("news").body == "Version one of the news."
    assert sharing.check_shared_folder(kb_b, shared).status == "up-to-date"

    kb_a.save_article(Article(slug="news", title="News", body="Version two of the news.", status="vetted"))
    sharing.publish_pack(kb_a, shared, "Editors")
    result = sharing.check_shared_folder(kb_b, shared)
    assert result.imported and result.pack.version == 2
    assert kb_b.article("news").body == "Version two of the news."
    # the older copy still lying in the folder is never installed over the newer one
    assert sharing.check_shared_folder(kb_b, shared).status == "up-to-date"
    assert kb_b.article("news").body == "Version two of the news."
    assert sorted(p.name for p in shared.iterdir()) == sorted(["old.tactpack", sharing.pack_name(kb_a)])


def test_shared_folder_skips_half_written_and_damaged_files(
    kb_a: KnowledgeBase, kb_b: KnowledgeBase, tmp_path: Path
) -> None:
    shared = tmp_path / "share"
    shared.mkdir()
    info = sharing.publish_pack(kb_a, shared, "Editors")
    (shared / f".{sharing.pack_name(kb_a)}.x1y2.tmp").write_bytes(Path(info.path).read_bytes()[:100])
    (shared / "copying.tactpack").write_bytes(Path(info.path).read_bytes()[:500])
    listing = sorted(p.name for p in shared.iterdir())
    result = sharing.check_shared_folder(kb_b, shared)
    assert result.imported
    assert len(result.skipped) == 1 and "copying.tactpack" in result.skipped[0]
    assert sorted(p.name for p in shared.iterdir()) == listing  # reading never writes


def test_missing_shared_folder_is_reported_not_raised(kb_b: KnowledgeBase, tmp_path: Path) -> None:
    result = sharing.check_shared_folder(kb_b, tmp_path / "not-mounted")
    assert result.status == "unreachable" and "cannot be reached" in result.message
    with pytest.raises(InvalidInput, match="cannot be reached"):
        sharing.publish_pack(kb_b, tmp_path / "not-mounted")


def test_a_rolled_back_version_is_not_installed_again_automatically(
    kb_a: KnowledgeBase, kb_b: KnowledgeBase, tmp_path: Path
) -> None:
    shared = tmp_path / "share"
    shared.mkdir()
    sharing.publish_pack(kb_a, shared)
    assert sharing.check_shared_folder(kb_b, shared).imported
    packs.rollback_last_pack(kb_b)
    assert sharing.check_shared_folder(kb_b, shared).status == "up-to-date"
    sharing.publish_pack(kb_a, shared)
    assert sharing.check_shared_folder(kb_b, shared).imported


def test_an_interrupted_publish_leaves_the_previous_pack_intact(
    kb_a: KnowledgeBase, kb_b: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "share"
    shared.mkdir()
    first = sharing.publish_pack(kb_a, shared, "Editors")
    published = Path(first.path).read_bytes()
    kb_a.save_article(Article(slug="late", title="Late", body="Not published yet.", status="vetted"))

    def fail(*args: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(packs.os, "replace", fail)
    with pytest.raises(InvalidInput, match="previous pack is unchanged"):
        sharing.publish_pack(kb_a, shared, "Editors")
    monkeypatch.undo()
    assert Path(first.path).read_bytes() == published
    assert [p.name for p in shared.iterdir()] == [sharing.pack_name(kb_a)]  # no temp file left
    assert packs.inspect_pack(first.path).version == 1
    assert sharing.check_shared_folder(kb_b, shared).imported
    assert kb_b.store.article("late") is None


# -- CLI --------------------------------------------------------------------------------------------


def test_cli_export_info_import_rollback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "cli.tactpack"
    assert main(["--home", str(tmp_path / "home-a"), "pack", "export", str(file), "--publisher", "Ann"]) == 0
    assert main(["pack", "info", str(file), "--json"]) == 0
    out = capsys.readouterr().out
    info = json.loads(out[out.index("{"):])
    assert info["version"] == 1 and info["publisher"] == "Ann"
    assert main(["--home", str(tmp_path / "home-b"), "pack", "import", str(file)]) == 0
    assert main(["--home", str(tmp_path / "home-b"), "pack", "rollback"]) == 0
    capsys.readouterr()
    assert main(["--home", str(tmp_path / "home-b"), "pack", "rollback"]) == 2
    assert "no pack import to roll back" in capsys.readouterr().err


def test_cli_bad_pack_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.tactpack"
    bad.write_bytes(b"PK\x03\x04 not really")
    assert main(["--home", str(tmp_path / "home-b"), "pack", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "damaged or incomplete" in err
    assert main(["pack", "info", str(tmp_path / "missing.tactpack")]) == 2


def test_yaml_loader_blocks_aliases_before_building_anything() -> None:
    with pytest.raises(InvalidInput, match="aliases"):
        packs._load_yaml("a: &x [1]\nb: *x\n", "x.yaml", Path("p.tactpack"))
    assert packs._load_yaml("a: [1]\n", "x.yaml", Path("p.tactpack")) == {"a": [1]}


def test_a_newer_pack_that_fails_its_checks_is_refused_and_an_older_valid_one_used(
    kb_a: KnowledgeBase, kb_b: KnowledgeBase, tmp_path: Path
) -> None:
    shared = tmp_path / "share"
    shared.mkdir()
    kb_a.save_article(Article(slug="refund-window", title="Refunds", body="Version one.", status="vetted"))
    good = packs.export_pack(kb_a, shared / "good.tactpack")
    newer = packs.export_pack(kb_a, tmp_path / "newer.tactpack")
    assert newer.version == good.version + 1
    _wrong_checksum(Path(newer.path), shared / "tampered.tactpack")
    result = sharing.check_shared_folder(kb_b, shared)
    assert result.imported and result.pack.version == good.version
    assert any("wrong checksum" in s for s in result.skipped)
    before = snapshot(kb_b)
    again = sharing.check_shared_folder(kb_b, shared)
    assert again.status == "refused" and "wrong checksum" in again.message
    assert snapshot(kb_b) == before


def test_cli_import_json_summary(pack: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--home", str(tmp_path / "home-b"), "pack", "import", str(pack), "--json"]) == 0
    out = capsys.readouterr().out
    summary = json.loads(out[out.index("{"):])
    assert summary["articles"]["created"] == 1 and summary["team_rules"] == 1
    assert summary["pack"]["publisher"] == "Editors" and summary["forced"] is False


def test_publish_retries_while_a_reader_holds_the_old_pack(
    kb_a: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "share"
    shared.mkdir()
    real_replace, calls = os.replace, []

    def busy_once(src: str, dst: object) -> None:
        calls.append(src)
        if len(calls) == 1:
            raise PermissionError(13, "The process cannot access the file")
        real_replace(src, dst)

    monkeypatch.setattr(packs.os, "replace", busy_once)
    info = sharing.publish_pack(kb_a, shared, "Editors")
    assert len(calls) == 2 and packs.inspect_pack(info.path).version == info.version
