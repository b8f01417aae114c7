"""The ``tactful`` command line: output shapes fixed by DESIGN.md, and one-line errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb import KnowledgeBase
from kb.cli import main

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seeded_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("cli") / "home"
    with KnowledgeBase.open(home) as kb:
        kb.ensure_index()
    return home


@pytest.fixture
def home(seeded_home: Path, tmp_path: Path) -> str:
    copy = tmp_path / "home-copy"
    shutil.copytree(seeded_home, copy)
    return str(copy)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_json_is_the_documented_shape(capsys, home: str) -> None:
    code, out, _ = run(capsys, "search", "apologise", "--json", "--home", home, "--limit", "3")
    assert code == 0
    hits = json.loads(out)
    assert 1 <= len(hits) <= 3
    assert set(hits[0]) == {"slug", "title", "score", "summary", "tags", "highlights"}
    assert hits[0]["slug"] == "apologising-dos-and-donts"
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_search_text_output_and_tag_filter(capsys, home: str) -> None:
    code, out, _ = run(capsys, "--home", home, "search", "customer", "--tag", "blame")
    assert code == 0
    assert out.startswith("1. ")
    assert "tags:" in out and "blame" in out


def test_search_with_nothing_found_suggests(capsys, home: str) -> None:
    code, out, _ = run(capsys, "search", "apologyze", "--home", home)
    assert code == 0
    assert "apolog" in out.lower()


@pytest.mark.parametrize("query", ['"unbalanced', "AND", "*", "title:", "((", "😀", "\x00\x07"])
def test_any_query_is_fine(capsys, home: str, query: str) -> None:
    code, out, err = run(capsys, "search", query, "--json", "--home", home)
    assert code == 0 and isinstance(json.loads(out), list) and err == ""


def test_show_prints_markdown_json_and_html(capsys, home: str) -> None:
    code, out, _ = run(capsys, "show", "three-key-questions", "--home", home)
    assert code == 0 and out.startswith("# ")
    code, out, _ = run(capsys, "show", "three-key-questions", "--json", "--home", home)
    assert json.loads(out)["slug"] == "three-key-questions"
    code, out, _ = run(capsys, "show", "three-key-questions", "--html", "--home", home)
    assert "<p>" in out and "<script" not in out


def test_import_export_reindex(capsys, home: str, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "gift-cards.md").write_text("---\ntitle: Gift cards\n---\nThey never expire.\n")
    (src / "bad.md").write_bytes(b"\xff\xfe\x00binary\x00")
    code, out, err = run(capsys, "import", str(src), "--home", home)
    assert code == 1  # some files skipped
    assert "1 new" in out and "bad.md" in err
    code, out, _ = run(capsys, "import", str(src), "--json", "--home", home)
    report = json.loads(out)
    assert report["unchanged"] == 1 and len(report["problems"]) == 1
    code, out, _ = run(capsys, "search", "gift cards", "--json", "--home", home)
    assert json.loads(out)[0]["slug"] == "gift-cards"
    out_dir = tmp_path / "out"
    code, _, _ = run(capsys, "export", str(out_dir), "--home", home)
    assert code == 0 and (out_dir / "gift-cards.md").is_file() and (out_dir / "three-key-questions.md").is_file()
    code, _, _ = run(capsys, "reindex", "--home", home)
    assert code == 0


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["show", "no-such-article"], "no-such-article"),
        (["search", "x", "--limit", "0"], "--limit"),
        (["import", "/definitely/not/here"], "/definitely/not/here"),
        (["export", "/proc/forbidden-export"], "/proc/forbidden-export"),
    ],
)
def test_user_errors_are_one_line_and_exit_2(capsys, home: str, argv: list[str], fragment: str) -> None:
    code, _, err = run(capsys, *argv, "--home", home)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and fragment in err
    assert "Traceback" not in err


def test_usage_errors_exit_2_with_one_line(capsys) -> None:
    for argv in (["frobnicate"], ["search"], ["search", "x", "--limit", "many"]):
        with pytest.raises(SystemExit) as raised:
            main(argv)
        assert raised.value.code == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_damaged_database_is_one_line_exit_2(tmp_path: Path) -> None:
    home = tmp_path / "h"
    home.mkdir()
    (home / "tactful.db").write_bytes(b"garbage" * 1000)
    done = subprocess.run(
        [sys.executable, "-m", "kb", "search", "refund", "--home", str(home)],
        capture_output=True, text=True, cwd=REPO, timeout=60,
    )
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_version_and_help_are_instant_and_qt_free() -> None:
    done = subprocess.run(
        [sys.executable, "-c",
         "import sys; from kb.cli import main\n"
         "try:\n    main(['--version'])\nexcept SystemExit: pass\n"
         "print('PySide6' in sys.modules, 'whoosh' in sys.modules)"],
        capture_output=True, text=True, cwd=REPO, timeout=60,
    )
    assert done.stdout.strip().endswith("False False"), done.stdout + done.stderr
    assert "tactful 0." in done.stdout
