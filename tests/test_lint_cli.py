"""``tactful lint``: output formats, exit codes, standard input and bad input."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kb.cli import main

REPLY = "Hi Sam,\nSorry for any inconvenience.\nCalm down, the parcel is on its way.\n"
CLEAN = "Hi Sam,\nYour parcel left the warehouse today and should arrive on Thursday.\n"
FINDING_KEYS = ["rule", "category", "severity", "start", "end", "line", "column", "match", "message", "suggestions", "article"]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {"reply": tmp_path / "reply.txt", "clean": tmp_path / "clean.md"}
    paths["reply"].write_text(REPLY, encoding="utf-8")
    paths["clean"].write_text(CLEAN, encoding="utf-8")
    return paths


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["lint", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output(capsys, files) -> None:
    code, out, err = run(capsys, str(files["reply"]))
    lines = out.splitlines()
    assert lines[0].startswith(f"{files['reply']}:2:11: generic-apology.any-inconvenience: 'any inconvenience' is stock")
    assert lines[0].endswith('(try: "the delay")')
    assert lines[1].startswith(f"{files['reply']}:3:1: dismissive.calm-down: ")
    assert len(lines) == 2 and err == ""
    assert code == 1  # calm-down is an error


def test_exit_codes_follow_fail_on(capsys, files, tmp_path: Path) -> None:
    warning_only = tmp_path / "warning.txt"
    warning_only.write_text("Sorry for any inconvenience.\n", encoding="utf-8")
    assert run(capsys, str(warning_only))[0] == 0
    assert run(capsys, "--fail-on", "warning", str(warning_only))[0] == 1
    assert run(capsys, "--fail-on", "suggestion", str(files["clean"]))[0] == 0
    assert run(capsys, "--fail-on", "error", str(files["clean"]))[0] == 0


def test_json_shape(capsys, files) -> None:
    code, out, _ = run(capsys, "--json", str(files["reply"]), str(files["clean"]))
    data = json.loads(out)
    assert [item["path"] for item in data] == [str(files["reply"]), str(files["clean"])]
    assert all(set(item) == {"path", "findings"} for item in data)
    first = data[0]["findings"][0]
    assert list(first) == FINDING_KEYS
    assert REPLY[first["start"] : first["end"]] == first["match"] == "any inconvenience"
    assert data[1]["findings"] == []
    assert code == 1


def test_standard_input(capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("We can’t refund it.\n".encode())))
    code, out, _ = run(capsys, "--json", "-")
    [item] = json.loads(out)
    assert item["path"] == "<stdin>"
    assert [f["rule"] for f in item["findings"]] == ["hard-no.cannot"]
    assert code == 0


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "is a folder"),
        (lambda d: _write(d / "empty.txt", b""), "is empty"),
        (lambda d: _write(d / "blank.txt", b"  \n\n"), "is empty"),
        (lambda d: _write(d / "binary.bin", b"PK\x03\x04\x00\x00\xff"), "looks like a binary file"),
        (lambda d: _write(d / "latin1.txt", "Café crème".encode("latin-1")), "is not UTF-8 text (byte 0xe9"),
        (lambda d: _write(d / "big.txt", b"All good here. " * 70_000), "is too large to check"),
        (lambda d: _write(d / "utf16.txt", "Hello".encode("utf-16")), "binary"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(capsys, tmp_path: Path, files, make, message: str) -> None:
    bad = make(tmp_path)
    code, out, err = run(capsys, str(bad), str(files["clean"]))
    assert code == 2
    assert err.count("\n") == 1 and message in err and err.startswith(f"tactful: {bad}: ")
    assert "Traceback" not in err and out == ""  # the clean file had nothing to print


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_bad_input_does_not_hide_other_findings(capsys, tmp_path: Path, files) -> None:
    code, out, err = run(capsys, str(tmp_path / "nope.txt"), str(files["reply"]))
    assert code == 2 and "nope.txt: no such file" in err
    assert out.count("\n") == 2


def test_byte_order_mark_and_crlf(capsys, tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffHi,\r\nCalm down.\r\n".encode())
    code, out, _ = run(capsys, "--json", str(path))
    finding = json.loads(out)[0]["findings"][0]
    assert (finding["line"], finding["column"], finding["start"]) == (2, 1, 5)


def test_usage_errors_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["lint"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["lint", "--fail-on", "fatal", "x.txt"])
    assert info.value.code == 2


def test_team_rules_from_the_data_folder(capsys, tmp_path: Path, files) -> None:
    home = tmp_path / "home"
    (home / "vocab").mkdir(parents=True)
    (home / "vocab" / "reject.yaml").write_text(
        "- phrase: the parcel\n  category: distancing\n  message: Say 'your parcel'.\n", encoding="utf-8"
    )
    (home / "rules").mkdir()
    (home / "rules" / "broken.yaml").write_text("nonsense: [", encoding="utf-8")
    code, out, err = run(capsys, "--home", str(home), str(files["reply"]))
    assert "team.reject.the-parcel: Say 'your parcel'." in out
    assert err.startswith("tactful: warning: ") and "broken.yaml" in err


def test_missing_data_folder_is_never_created(capsys, tmp_path: Path, files, tactful_home: Path) -> None:
    home = tmp_path / "not-there"
    assert run(capsys, "--home", str(home), str(files["clean"]))[0] == 0
    assert run(capsys, str(files["clean"]))[0] == 0  # TACTFUL_HOME from conftest, also absent
    assert not home.exists() and not tactful_home.exists()


def test_real_subprocess(tmp_path: Path, files) -> None:
    env = dict(os.environ, TACTFUL_HOME=str(tmp_path / "home"))
    result = subprocess.run(
        [sys.executable, "-m", "kb", "lint", "--json", "--fail-on", "warning", str(files["reply"])],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert result.returncode == 1, result.stderr
    [item] = json.loads(result.stdout)
    assert [f["category"] for f in item["findings"]] == ["generic-apology", "dismissive"]
    assert result.stderr == ""
