"""The organisation's policy file: what IT sets or locks wins, and a bad file never stops Tactful."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb import policy as policy_file
from kb.cli import main
from kb.errors import DataFolderError
from kb.paths import resolve_home
from kb.settings import BY_NAME, MISSING, IniFile, resolve


def write_policy(path: Path, data: object) -> Path:
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def policy_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "policy.json"
    monkeypatch.setenv(policy_file.ENV_POLICY, str(path))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- where the file is -----------------------------------------------------------------


def test_system_locations_per_os() -> None:
    windows = policy_file.system_policy_path("win32", {"ProgramData": r"D:\ProgramData"})
    assert str(windows).replace("\\", "/").endswith("ProgramData/Tactful/policy.json")
    assert str(policy_file.system_policy_path("darwin", {})) == "/Library/Application Support/Tactful/policy.json"
    assert str(policy_file.system_policy_path("linux", {})) == "/etc/tactful/policy.json"


def test_without_the_variable_the_portable_then_system_files_are_read() -> None:
    paths = policy_file.policy_paths({})
    assert paths[-1] == policy_file.system_policy_path()
    from kb.paths import app_dir

    assert paths[0] == app_dir() / "policy.json"


def test_an_empty_variable_means_no_policy() -> None:
    assert policy_file.policy_paths({policy_file.ENV_POLICY: ""}) == []
    assert not policy_file.load({policy_file.ENV_POLICY: ""}).active


def test_the_system_file_wins_over_the_one_beside_the_app(tmp_path: Path, monkeypatch) -> None:
    portable = write_policy(tmp_path / "portable.json", {"settings": {"appearance/theme": {"value": "light", "locked": True}}})
    system = write_policy(tmp_path / "system.json", {"settings": {"appearance/theme": {"value": "dark", "locked": True}}})
    monkeypatch.setattr(policy_file, "policy_paths", lambda env=None: [portable, system])
    policy = policy_file.load()
    assert policy.settings["appearance/theme"].value == "dark"
    assert policy.sources == [portable, system]


# -- precedence: policy lock > user setting > policy default > built-in default ----------


def test_precedence_through_the_settings_table(policy_path: Path, tmp_path: Path) -> None:
    write_policy(policy_path, {
        "reason": "Managed by IT.",
        "settings": {
            "appearance/theme": {"value": "dark", "locked": True},
            "checks/strictness": "strict",
        },
    })
    policy = policy_file.load()
    theme, strictness, size = BY_NAME["appearance/theme"], BY_NAME["checks/strictness"], BY_NAME["appearance/text_size"]
    # A lock beats what the user chose.
    locked = resolve(theme, "light", policy)
    assert (locked.value, locked.source, locked.reason) == ("dark", "policy-lock", "Managed by IT.")
    # The user's choice beats a policy default...
    assert resolve(strictness, "relaxed", policy).value == "relaxed"
    # ...which beats the built-in default when the user chose nothing.
    assert (resolve(strictness, MISSING, policy).value, resolve(strictness, MISSING, policy).source) == ("strict", "policy-default")
    assert (resolve(size, MISSING, policy).value, resolve(size, MISSING, policy).source) == (100, "default")


def test_the_cli_refuses_to_change_a_locked_setting(policy_path: Path, tactful_home: Path, capsys) -> None:
    write_policy(policy_path, {"settings": {"appearance/theme": {"value": "dark", "locked": True, "reason": "House colours."}}})
    code, _out, err = run(capsys, "settings", "set", "appearance/theme", "light")
    assert code == 2
    assert "locked by your organisation's policy: House colours" in err
    assert "Traceback" not in err
    assert IniFile(tactful_home / "settings.ini").stored("appearance/theme") is MISSING
    code, _out, err = run(capsys, "settings", "reset", "appearance/theme")
    assert code == 2
    code, out, _err = run(capsys, "settings", "get", "appearance/theme")
    assert (code, out.strip()) == (0, "dark")


def test_the_cli_changes_an_unlocked_setting_and_lists_sources(policy_path: Path, capsys) -> None:
    write_policy(policy_path, {"settings": {"checks/strictness": "strict", "editor/enabled": {"value": False, "locked": True}}})
    assert run(capsys, "settings", "set", "checks/delay_ms", "500")[0] == 0
    code, out, _err = run(capsys, "settings", "list", "--json")
    rows = {row["name"]: row for row in json.loads(out)}
    assert code == 0
    assert rows["checks/delay_ms"] == {"name": "checks/delay_ms", "value": 500, "source": "user", "locked": False, "reason": ""}
    assert rows["checks/strictness"]["source"] == "policy-default"
    assert rows["editor/enabled"]["locked"] is True
    assert rows["appearance/theme"]["source"] == "default"


def test_the_cli_checks_values_and_names(capsys) -> None:
    code, _out, err = run(capsys, "settings", "set", "drafts/autosave_seconds", "999")
    assert code == 2 and "between 1 and 60" in err
    code, _out, err = run(capsys, "settings", "set", "appearance/theme", "purple")
    assert code == 2 and "system, light, dark" in err
    code, _out, err = run(capsys, "settings", "get", "no/such")
    assert code == 2 and "tactful settings list" in err


def test_the_app_reads_what_the_cli_wrote_and_back(qapp, tactful_home: Path, capsys) -> None:
    from desktop.settings import Settings

    folder = r"\\files\tactful share; packs"
    assert run(capsys, "settings", "set", "sharing/folder", folder)[0] == 0
    assert run(capsys, "settings", "set", "snippets/show_unvetted", "true")[0] == 0
    settings = Settings(tactful_home / "settings.ini")
    assert settings.get("sharing/folder") == folder
    assert settings.get("snippets/show_unvetted") is True
    settings.set("appearance/theme", "dark")
    settings.set("sharing/folder", "S:\\Tactful")
    code, out, _err = run(capsys, "settings", "get", "sharing/folder")
    assert out.strip() == "S:\\Tactful"
    assert run(capsys, "settings", "get", "appearance/theme")[1].strip() == "dark"


def test_manual_pack_install_can_be_turned_off(policy_path: Path, capsys, tmp_path: Path) -> None:
    write_policy(policy_path, {"reason": "Packs come from the S: drive.", "allow_manual_pack_install": False})
    code, _out, err = run(capsys, "pack", "import", str(tmp_path / "any.tactpack"))
    assert code == 2
    assert "turned off by your organisation's policy" in err and "S: drive" in err


# -- the data folder -------------------------------------------------------------------


def test_a_policy_data_folder_default_is_used_when_nothing_else_is_chosen(policy_path: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("STAFF_DRIVE", str(tmp_path / "H"))
    write_policy(policy_path, {"data_folder": "$STAFF_DRIVE/Tactful"})
    monkeypatch.delenv("TACTFUL_HOME")
    monkeypatch.setattr("kb.paths.portable_home", lambda: None)
    assert resolve_home() == (tmp_path / "H" / "Tactful").resolve()
    # An explicit folder still wins over a default.
    assert resolve_home(tmp_path / "mine") == (tmp_path / "mine").resolve()


def test_a_locked_data_folder_refuses_another_folder(policy_path: Path, tmp_path: Path, capsys) -> None:
    locked = tmp_path / "managed"
    write_policy(policy_path, {"data_folder": {"value": str(locked), "locked": True}})
    with pytest.raises(DataFolderError, match="policy keeps Tactful's data in"):
        resolve_home()  # TACTFUL_HOME (set for every test) points elsewhere
    assert resolve_home(locked) == locked.resolve()
    code, _out, err = run(capsys, "settings", "list")
    assert code == 2 and "Start Tactful without --home" in err


# -- bad files: reported, the rest applies, never a crash -------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "is not valid JSON (line 1"),
        ("[1, 2]", "must hold a JSON object"),
        (b"\xff\xfe\x00garbage", "is not UTF-8 text"),
        ("{" + " " * (300 * 1024) + "}", "too big for a policy file"),
        ('{"settings": ["appearance/theme"]}', "'settings' must be an object"),
        ('{"settings": {"appearance/theme": {"locked": true}}}', "has no 'value'"),
        ('{"settings": {"appearance/theme": {"value": "dark", "locked": "yes"}}}', "'locked' must be true or false"),
        ('{"allow_manual_pack_install": "no"}', "'allow_manual_pack_install' must be true or false"),
        ('{"data_folder": 7}', "'data_folder' must be a folder path"),
    ],
)
def test_a_bad_policy_file_is_reported_and_ignored(policy_path: Path, content, expected, capsys) -> None:
    if isinstance(content, bytes):
        policy_path.write_bytes(content)
    else:
        write_policy(policy_path, content)
    policy = policy_file.load()
    assert any(expected in problem for problem in policy.problems), policy.problems
    assert not any(entry.locked for entry in policy.settings.values())
    code, out, _err = run(capsys, "settings", "policy")
    assert code == 0 and "Problem:" in out


def test_unknown_keys_and_wrong_values_are_ignored_but_the_rest_applies(policy_path: Path, caplog) -> None:
    write_policy(policy_path, {
        "settings": {
            "appearance/theme": {"value": "dark", "locked": True},
            "checks/delay_ms": "fast",
            "checks/strictness": "extreme",
            "appearance/texts_size": 120,
        },
        "homepage": "https://example.invalid",
    })
    with caplog.at_level("WARNING", logger="kb.policy"):
        policy = policy_file.load()
    problems = "\n".join(policy.problems)
    assert "unknown key 'homepage'" in problems
    assert "unknown setting 'appearance/texts_size'" in problems
    assert "'checks/delay_ms' cannot be 'fast'" in problems
    assert "'checks/strictness' cannot be 'extreme'" in problems
    assert policy.locked("appearance/theme").value == "dark"
    assert "homepage" in caplog.text


def test_firefox_style_wrapper_is_accepted(policy_path: Path) -> None:
    write_policy(policy_path, {"policies": {"settings": {"appearance/theme": {"value": "light", "locked": True}}}})
    assert policy_file.load().locked("appearance/theme").value == "light"
