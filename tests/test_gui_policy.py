"""What the organisation's policy locks shows as locked in the app and cannot be changed there."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox

from kb import KnowledgeBase
from kb import policy as policy_file
from kb.paths import DataPaths
from desktop.dialogs.settings_dialog import SettingsDialog
from desktop.settings import Settings

POLICY = {
    "reason": "Managed by IT: call the helpdesk on 4321.",
    "settings": {
        "appearance/theme": {"value": "dark", "locked": True},
        "checks/strictness": "strict",
        "editor/enabled": {"value": False, "locked": True, "reason": "Editing happens on the editors' PCs."},
        "sharing/folder": {"value": "//files/tactful", "locked": True},
    },
    "allow_manual_pack_install": False,
}


@pytest.fixture
def policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(POLICY), encoding="utf-8")
    monkeypatch.setenv(policy_file.ENV_POLICY, str(path))
    return policy_file.load()


def test_a_locked_setting_shows_as_locked_with_its_reason(qtbot, tmp_path: Path, policy) -> None:
    settings = Settings(tmp_path / "settings.ini", policy=policy)
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    theme_choice = dialog.editors["appearance/theme"]
    assert isinstance(theme_choice, QComboBox)
    assert not theme_choice.isEnabled()
    assert theme_choice.currentData() == "dark"
    note = dialog.locks["appearance/theme"]
    assert "Locked by your organisation" in note.text() and "helpdesk on 4321" in note.text()
    assert "editors' PCs" in dialog.locks["editor/enabled"].text()
    # A policy default is only a starting point: not locked, and the rep may change it.
    assert "checks/strictness" not in dialog.locks
    assert dialog.editors["checks/strictness"].isEnabled()
    assert dialog.editors["checks/strictness"].currentData() == "strict"
    assert "(3 locked)" in dialog.policy_text()
    # Even if the widget were changed behind the dialog's back, OK keeps the policy's value.
    theme_choice.setCurrentIndex(theme_choice.findData("light"))
    dialog.accept()
    assert Settings(tmp_path / "settings.ini", policy=policy).get("appearance/theme") == "dark"
    assert Settings(tmp_path / "settings.ini").get("appearance/theme") == "system"  # nothing was stored


def test_policy_problems_are_listed_in_settings(qtbot, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "policy.json"
    path.write_text('{"settings": {"appearance/theme": "pink"}, "colour": 1}', encoding="utf-8")
    monkeypatch.setenv(policy_file.ENV_POLICY, str(path))
    dialog = SettingsDialog(Settings(tmp_path / "settings.ini", policy=policy_file.load()))
    qtbot.addWidget(dialog)
    text = dialog.policy_text()
    assert "could not be used and were ignored" in text
    assert "unknown key 'colour'" in text and "'appearance/theme' cannot be 'pink'" in text
    assert dialog.editors["appearance/theme"].isEnabled()


def test_no_policy_means_no_note_and_nothing_locked(qtbot, tmp_path: Path) -> None:
    dialog = SettingsDialog(Settings(tmp_path / "settings.ini", policy=policy_file.load()))
    qtbot.addWidget(dialog)
    assert dialog.policy_note is None and dialog.locks == {}
    assert all(editor.isEnabled() for editor in dialog.editors.values())


@pytest.fixture(scope="module")
def seeded_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("policy-gui") / "home"
    with KnowledgeBase.open(home) as kb:
        kb.ensure_index()
    return home


def test_editor_mode_turned_off_by_policy_cannot_be_opened(qtbot, seeded_home: Path, tmp_path: Path, policy) -> None:
    from desktop.main_window import MainWindow
    from desktop.settings import State
    from desktop.tasks import Tasks

    home = tmp_path / "home-copy"
    shutil.copytree(seeded_home, home)
    paths = DataPaths.for_home(home).ensure()
    settings = Settings(paths.settings_file, policy=policy)
    settings.set("editor/enabled", True)  # a rep's attempt: the policy keeps it off
    tasks = Tasks()
    win = MainWindow(paths, settings, State(paths.state_file), tasks)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignals([win.ready, win.kb_opened], timeout=20_000):
        win.start()
    qtbot.waitUntil(lambda: hasattr(win, "kb_menu"), timeout=5_000)
    assert not win.kb_menu.menuAction().isVisible()
    win.show_editor()  # the Ctrl+Shift+E shortcut
    assert win.editor is None
    assert "Editor mode is turned off on this computer" in win.statusBar().currentMessage()
    win.close()
    tasks.shutdown()


def test_the_editor_shows_a_locked_shared_folder_and_no_manual_pack_install(qtbot, tmp_path: Path, policy) -> None:
    from desktop.editor.publishing import PublishingPage
    from desktop.tasks import Tasks

    settings = Settings(tmp_path / "settings.ini", policy=policy)
    with KnowledgeBase.open(tmp_path / "home") as kb:
        tasks = Tasks()
        page = PublishingPage(kb, tasks, settings)
        qtbot.addWidget(page)
        assert page.folder.isReadOnly() and page.folder.text() == "//files/tactful"
        assert not page.browse_button.isEnabled()
        assert not page.import_pack_button.isEnabled()
        assert "Turned off by your organisation" in page.import_pack_button.toolTip()
        tasks.shutdown()
