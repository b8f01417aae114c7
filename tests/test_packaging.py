"""Fast checks of what the frozen build relies on (packaging/README.md).

The real test of the build is ``packaging/smoke_test.py``: it builds with PyInstaller and
runs the bundle from a fresh folder, which takes minutes, so it is a documented script and
not part of this suite. These tests only guard the inputs of that build.
"""

from __future__ import annotations

import importlib
import importlib.util
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kb import resources

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"packaging_{name}", PACKAGING / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _traced() -> list[str]:
    lines = (PACKAGING / "traced-imports.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_traced_whoosh_modules_all_import() -> None:
    """The spec names these as hidden imports: each must exist and import cleanly."""
    modules = _traced()
    assert "whoosh.codec.whoosh3" in modules and "whoosh.searching" in modules
    for name in modules:
        importlib.import_module(name)


def test_traced_list_leaves_out_stale_whoosh_modules() -> None:
    stale = {"whoosh.codec.whoosh2", "whoosh.filedb.filepostings", "whoosh.filedb.filewriting",
             "whoosh.filedb.gae", "whoosh.support.bench"}
    assert not stale & set(_traced())


def test_spec_collects_what_the_resolver_reads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The frozen app finds resources at _MEIPASS/tactful_resources; the spec puts BUNDLED there."""
    spec = (PACKAGING / "tactful.spec").read_text(encoding="utf-8")
    assert "kb_resources.BUNDLED" in spec and 'f"{kb_resources.PACKAGE}/{entry}"' in spec
    code = [line for line in spec.splitlines() if not line.lstrip().startswith("#")]
    assert not any("collect_submodules(" in line for line in code)  # DESIGN.md: stale whoosh modules
    for required in ("playbook", "rules"):
        assert required in resources.BUNDLED and (ROOT / "resources" / required).is_dir()
    shipped = {entry.name for entry in (ROOT / "resources").iterdir() if entry.is_dir() and entry.name != "__pycache__"}
    assert shipped <= set(resources.BUNDLED), "every folder of resources/ reaches the frozen app"
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    resources.root.cache_clear()
    try:
        assert resources.path("rules") == tmp_path / resources.PACKAGE / "rules"
    finally:
        resources.root.cache_clear()


def test_installed_wheel_finds_resources_beside_kb(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A wheel puts tactful_resources/ next to kb/ in site-packages; that copy wins."""
    site = tmp_path / "site-packages"
    (site / resources.PACKAGE / "playbook").mkdir(parents=True)
    (site / "kb").mkdir()
    monkeypatch.setattr(resources, "__file__", str(site / "kb" / "resources.py"))
    resources.root.cache_clear()
    try:
        assert resources.path("playbook") == site / resources.PACKAGE / "playbook"
    finally:
        resources.root.cache_clear()


def test_portable_data_folder_beside_the_frozen_program(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from kb import paths

    (tmp_path / "tactful-data").mkdir()
    monkeypatch.delenv("TACTFUL_HOME", raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "tactful"))
    assert paths.resolve_home() == tmp_path / "tactful-data"


def test_portable_data_folder_beside_a_macos_app_bundle(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from kb import paths

    (tmp_path / "tactful-data").mkdir()
    macos = tmp_path / "Tactful.app" / "Contents" / "MacOS"
    macos.mkdir(parents=True)
    monkeypatch.delenv("TACTFUL_HOME", raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(sys, "executable", str(macos / "tactful"))
    assert paths.resolve_home() == tmp_path / "tactful-data"


def test_build_extra_pins_pyinstaller() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (requirement,) = [r for r in project["optional-dependencies"]["build"] if r.startswith("pyinstaller")]
    assert ">=" in requirement and "<" in requirement.replace("<=", "")


def test_desktop_entry_is_complete() -> None:
    text = (PACKAGING / "linux" / "tactful.desktop").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "[Desktop Entry]"
    keys = dict(line.split("=", 1) for line in lines[1:] if "=" in line)
    assert keys["Type"] == "Application" and keys["Exec"] == "tactful" and keys["Icon"] == "tactful"
    assert keys["StartupWMClass"] == "tactful"  # desktop/app.py: setDesktopFileName("tactful")


@pytest.mark.skipif(shutil.which("sh") is None, reason="no POSIX shell")
def test_install_script_parses() -> None:
    subprocess.run(["sh", "-n", str(PACKAGING / "linux" / "install-user.sh")], check=True)


def test_windows_installer_is_per_user() -> None:
    text = (PACKAGING / "windows" / "installer.iss").read_text(encoding="utf-8")
    assert "PrivilegesRequired=lowest" in text
    assert "{autopf}" in text and "HKLM" not in text
