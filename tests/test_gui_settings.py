"""Settings a rep changes stick, apply to the whole app, and the About box says what ships."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLabel, QSpinBox, QTextBrowser

from desktop import theme
from desktop.dialogs.about import AboutDialog
from desktop.dialogs.settings_dialog import SettingsDialog
from desktop.settings import SETTINGS, Settings


def _choose(combo: QComboBox, data: object) -> None:
    combo.setCurrentIndex(combo.findData(data))


def test_every_declared_setting_has_a_labelled_control(qtbot, tmp_path: Path) -> None:
    dialog = SettingsDialog(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(dialog)
    assert set(dialog.editors) == {s.name for s in SETTINGS}
    assert all(editor.accessibleName() for editor in dialog.editors.values())


def test_changes_persist_to_the_next_start(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    dialog = SettingsDialog(Settings(path))
    qtbot.addWidget(dialog)
    theme_choice = dialog.editors["appearance/theme"]
    assert isinstance(theme_choice, QComboBox)
    _choose(theme_choice, "dark")
    size = dialog.editors["appearance/text_size"]
    assert isinstance(size, (QComboBox, QSpinBox))
    if isinstance(size, QSpinBox):
        size.setValue(150)
    else:
        _choose(size, 150)
    editor_mode = dialog.editors["editor/enabled"]
    assert isinstance(editor_mode, QCheckBox)
    editor_mode.setChecked(True)
    dialog.accept()
    again = Settings(path)
    assert again.get("appearance/theme") == "dark"
    assert again.get("appearance/text_size") == 150
    assert again.get("editor/enabled") is True


def test_cancel_changes_nothing(qtbot, tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.ini")
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    _choose(dialog.editors["appearance/theme"], "dark")
    dialog.reject()
    assert Settings(tmp_path / "settings.ini").get("appearance/theme") == "system"


def test_dark_theme_and_text_size_apply_to_the_app(qapp: QApplication) -> None:
    base = theme.base_point_size()
    try:
        theme.apply(qapp, "dark", 150)
        window = qapp.palette().color(QPalette.ColorRole.Window)
        assert window.lightness() < 80
        assert abs(qapp.font().pointSizeF() - base * 1.5) < 0.6
        theme.apply(qapp, "light", 100)
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 200
    finally:
        theme.apply(qapp, "light", 100)


def test_the_app_is_in_fusion_style_whatever_the_desktop_prefers() -> None:
    """Same calm look everywhere: a new app starts in Fusion even if the desktop asks otherwise."""
    code = "from desktop.app import _application; print(_application(['tactful']).style().name())"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_STYLE_OVERRIDE="windows")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "fusion"


def test_a_role_change_restyles_a_shown_label(qtbot) -> None:
    label = QLabel("Saved")
    qtbot.addWidget(label)
    label.show()
    normal = label.palette().color(QPalette.ColorRole.WindowText).name()
    before = label.grab().toImage()
    theme.set_role(label, "error")
    assert label.property("role") == "error"
    assert label.grab().toImage() != before, "the error colour should show at once"
    theme.set_role(label, "")
    assert label.grab().toImage() == before
    assert label.palette().color(QPalette.ColorRole.WindowText).name() == normal


def test_about_shows_the_version_the_data_folder_and_the_licences(qtbot, tmp_path: Path) -> None:
    from kb import __version__

    dialog = AboutDialog(tmp_path / "my-data")
    qtbot.addWidget(dialog)
    header = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert f"Tactful {__version__}" in header and "my-data" in header
    licences = dialog.findChild(QTextBrowser).toPlainText().lower()
    for component in ("pyside6", "whoosh", "sqlite-utils", "nh3", "textstat", "mit"):
        assert component in licences, component
