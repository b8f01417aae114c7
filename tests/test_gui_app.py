"""The whole window, as a rep uses it, with a guard that fails on any network connection."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from kb import KnowledgeBase
from kb.paths import DataPaths

REPO = Path(__file__).resolve().parent.parent


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Any attempt to reach another machine fails the test (local Unix sockets are fine)."""
    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guard(address: object) -> None:
        attempts.append(repr(address))
        raise NetworkUsed(f"network connection attempted: {address!r}")

    def connect(self: socket.socket, address: object) -> None:  # noqa: ANN001
        if self.family in (socket.AF_INET, socket.AF_INET6):
            guard(address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: object) -> int:  # noqa: ANN001
        if self.family in (socket.AF_INET, socket.AF_INET6):
            guard(address)
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: guard(a))
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: guard(address))
    return attempts


@pytest.fixture(scope="module")
def seeded_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("app") / "home"
    with KnowledgeBase.open(home) as kb:
        kb.ensure_index()
    return home


@pytest.fixture
def window(qtbot, seeded_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from desktop import theme
    from desktop.main_window import MainWindow
    from desktop.settings import Settings, State
    from desktop.tasks import Tasks

    home = tmp_path / "home-copy"
    shutil.copytree(seeded_home, home)
    paths = DataPaths.for_home(home).ensure()
    settings = Settings(paths.settings_file)
    theme.apply(QApplication.instance(), settings.get("appearance/theme"), settings.get("appearance/text_size"))
    tasks = Tasks()
    win = MainWindow(paths, settings, State(paths.state_file), tasks)
    qtbot.addWidget(win)
    errors: list[str] = []
    tasks.unexpected.connect(lambda exc, tb: errors.append(tb))
    win.show()
    with qtbot.waitSignals([win.ready, win.kb_opened], timeout=20_000):
        win.start()
    yield win
    win.close()
    tasks.shutdown()
    assert errors == []


def _type(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def test_a_reps_main_flows_never_touch_the_network(qtbot, window, no_network, monkeypatch) -> None:
    find, composer = window.find, window.composer
    # Find guidance.
    _type(qtbot, find.field, "apologize")
    qtbot.waitUntil(lambda: find.model.rowCount() > 0
                    and "apolog" in find.model.index(0, 0).data().lower(), timeout=10_000)
    with qtbot.waitSignal(find.article_shown, timeout=10_000):
        qtbot.keyClick(find.field, Qt.Key.Key_Down)
        qtbot.keyClick(find.results, Qt.Key.Key_Return)
    assert "apolog" in find.viewer.browser.toPlainText().lower()
    # Compose with a risky phrase, see it flagged, fix it, copy.
    composer.editor.setFocus()
    qtbot.keyClicks(composer.editor, "Hi Sam, calm down. ")
    qtbot.waitUntil(lambda: any(f.category == "dismissive" for f in composer.findings()), timeout=10_000)
    composer.editor.selectAll()
    qtbot.keyClicks(composer.editor, "Hi Sam, thanks for your patience. I have sent a new parcel today.")
    qtbot.waitUntil(lambda: not any(f.severity == "error" for f in composer.findings()), timeout=10_000)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window._actions["copy"].trigger()
    qtbot.waitUntil(lambda: "new parcel" in QGuiApplication.clipboard().text(), timeout=5_000)
    # Settings and About open and close without a connection either.
    window.find.open_article("three-key-questions")
    assert no_network == []


def test_the_window_shows_find_beside_the_composer(window) -> None:
    find, composer = window.find, window.composer
    for widget in (find.field, find.results, find.viewer.browser, composer.editor, composer.copy_button):
        assert widget.isVisible(), widget.accessibleName()
    assert window.splitter.indexOf(find) == 0 and window.splitter.indexOf(composer) == 1
    left, right = window.splitter.sizes()
    assert left > 250 and right > left  # the composer gets the larger share
    assert find.field.hasFocus() or window.focusWidget() is find.field


def test_switching_to_the_dark_theme_recolours_the_article_and_the_underlines(qtbot, window) -> None:
    from desktop import theme

    find, composer = window.find, window.composer
    with qtbot.waitSignal(find.article_shown, timeout=10_000):
        find.open_article("three-key-questions")
    composer.editor.setFocus()
    qtbot.keyClicks(composer.editor, "Please calm down. ")
    qtbot.waitUntil(lambda: composer.editor.extraSelections() != [], timeout=10_000)

    def underline() -> str:
        selection = composer.editor.extraSelections()[0]
        return selection.format.underlineColor().name()

    assert underline() in (theme.LIGHT.warning, theme.LIGHT.error)
    try:
        window.settings.set("appearance/theme", "dark")
        assert theme.DARK.muted in find.viewer.browser.document().defaultStyleSheet()
        assert underline() in (theme.DARK.warning, theme.DARK.error)
    finally:
        window.settings.set("appearance/theme", "light")
    assert theme.LIGHT.muted in find.viewer.browser.document().defaultStyleSheet()


def test_the_window_accepts_typing_before_the_knowledge_base_is_open(qtbot, seeded_home, tmp_path) -> None:
    """Later starts build the panels at once; a query typed meanwhile is answered once it opens."""
    from desktop.main_window import MainWindow, PendingKnowledgeBase
    from desktop.settings import Settings, State
    from desktop.tasks import Tasks

    home = tmp_path / "h"
    shutil.copytree(seeded_home, home)
    paths = DataPaths.for_home(home).ensure()
    tasks = Tasks()
    win = MainWindow(paths, Settings(paths.settings_file), State(paths.state_file), tasks)
    qtbot.addWidget(win)
    gate = __import__("threading").Event()
    real_open = KnowledgeBase.open

    def slow_open(*args, **kwargs):  # noqa: ANN002, ANN003
        gate.wait(10)
        return real_open(*args, **kwargs)

    import kb.facade

    original = kb.facade.KnowledgeBase.open
    kb.facade.KnowledgeBase.open = slow_open  # type: ignore[method-assign]
    try:
        win.show()
        with qtbot.waitSignal(win.ready, timeout=5_000):
            win.start()
        assert isinstance(win.find.kb, PendingKnowledgeBase)
        qtbot.keyClicks(win.find.field, "vent")
        qtbot.keyClicks(win.composer.editor, "Hello")
        assert win.composer.editor.toPlainText() == "Hello"
        with qtbot.waitSignal(win.kb_opened, timeout=10_000):
            gate.set()
        qtbot.waitUntil(lambda: win.find.model.rowCount() > 0
                        and win.find.model.rows()[0].slug == "customers-who-want-to-vent", timeout=10_000)
        assert win.composer.editor.toPlainText() == "Hello"  # the draft restore did not overwrite typing
    finally:
        kb.facade.KnowledgeBase.open = original  # type: ignore[method-assign]
        win.close()
        tasks.shutdown()


def test_a_knowledge_base_that_cannot_open_says_why(qtbot, tmp_path) -> None:
    from desktop.main_window import MainWindow
    from desktop.settings import Settings, State
    from desktop.tasks import Tasks

    home = tmp_path / "h"
    paths = DataPaths.for_home(home).ensure()
    paths.db.write_bytes(b"not a database" * 200)
    tasks = Tasks()
    win = MainWindow(paths, Settings(paths.settings_file), State(paths.state_file), tasks)
    qtbot.addWidget(win)
    win.show()
    win.start()
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.loading and "tactful.db" in win.loading.message.text(),
                    timeout=10_000)
    assert not win._actions["copy"].isEnabled()
    win.close()
    tasks.shutdown()


def test_shortcuts_reach_every_panel(qtbot, window) -> None:
    window._actions["composer"].trigger()
    qtbot.waitUntil(lambda: window.composer.editor.hasFocus() or QApplication.focusWidget() is window.composer.editor)
    window._actions["search"].trigger()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.find.field)
    menus_without_shortcuts = [
        a.text() for a in window._actions.values() if a.shortcuts() == [] and a.text() not in ("&About Tactful",)
    ]
    assert menus_without_shortcuts == []


def test_closing_saves_the_draft_for_next_time(qtbot, window) -> None:
    window.composer.editor.setFocus()
    qtbot.keyClicks(window.composer.editor, "Half-written reply about the parcel")
    window.close()
    with KnowledgeBase.open(window.paths.home) as kb:
        draft = kb.drafts.latest_open()
        assert draft is not None and "Half-written reply" in draft.body


def test_a_second_copy_on_the_same_data_folder_is_told_clearly(tmp_path: Path) -> None:
    from desktop.app import acquire_instance_lock

    paths = DataPaths.for_home(tmp_path / "h").ensure()
    first = acquire_instance_lock(paths)
    assert not isinstance(first, str)
    script = textwrap.dedent(f"""
        from PySide6.QtCore import QCoreApplication
        app = QCoreApplication([])
        from desktop.app import acquire_instance_lock
        from kb.paths import DataPaths
        print(acquire_instance_lock(DataPaths.for_home({str(paths.home)!r})))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO,
                          timeout=60, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert "already open" in done.stdout
    first.unlock()


def test_the_app_starts_and_closes_cleanly_from_the_command_line(tmp_path: Path) -> None:
    """``tactful`` with no command: first start seeds, the window becomes usable, SIGTERM-free exit."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TACTFUL_EXIT_WHEN_READY="1",
               TACTFUL_HOME=str(tmp_path / "h"))
    done = subprocess.run([sys.executable, "-m", "kb"], capture_output=True, text=True, cwd=REPO,
                          timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert "ready" in done.stdout
    assert "Traceback" not in done.stderr
    assert (tmp_path / "h" / "tactful.db").is_file()


def test_editor_mode_adds_the_editor_window(qtbot, window) -> None:
    assert not window.kb_menu.menuAction().isVisible()
    window.settings.set("editor/enabled", True)
    assert window.kb_menu.menuAction().isVisible()
    window._actions["editor"].trigger()
    qtbot.waitUntil(lambda: window.editor is not None and window.editor.isVisible())
    window.settings.set("editor/enabled", False)
    assert not window.kb_menu.menuAction().isVisible()
    assert not window.editor.isVisible()


def test_sigterm_closes_the_app_cleanly(tmp_path: Path) -> None:
    """Logout or ``kill``: the window closes as with File > Quit, so the draft is saved and the lock freed."""
    import signal

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TACTFUL_EXIT_WHEN_READY="1",
               TACTFUL_EXIT_DELAY_MS="600000", TACTFUL_HOME=str(tmp_path / "h"))
    proc = subprocess.Popen([sys.executable, "-m", "kb"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=REPO, env=env)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    from desktop.app import acquire_instance_lock

    lock = acquire_instance_lock(DataPaths.for_home(tmp_path / "h"))
    assert not isinstance(lock, str), lock
    lock.unlock()


def test_a_newer_pack_in_the_shared_folder_arrives_by_itself(qtbot, window, tmp_path: Path) -> None:
    from kb.models import Article

    shared = tmp_path / "shared-drive"
    shared.mkdir()
    with KnowledgeBase.open(tmp_path / "editor", seed=False) as editor:
        editor.save_article(Article(slug="parcel-lockers", title="Parcel lockers", status="vetted",
                                    body="Collecting from a quokkalocker takes a code."))
        editor.publish_pack(shared, publisher="Playbook team")
    before = sorted(p.name for p in shared.iterdir())
    window.settings.set("sharing/folder", str(shared))
    qtbot.waitUntil(lambda: "quokkalocker" in " ".join(h.slug + h.title for h in window.kb.search("quokkalocker"))
                    or bool(window.kb.search("quokkalocker")), timeout=15_000)
    assert [h.slug for h in window.kb.search("quokkalocker")] == ["parcel-lockers"]
    assert sorted(p.name for p in shared.iterdir()) == before  # reps never write there


def test_pyside_is_told_up_front_which_of_our_modules_use_it() -> None:
    """Start-up: PySide6 would otherwise read every module's source as it is imported."""
    import desktop
    from PySide6.support import feature

    table = feature.pyside_feature_dict
    assert desktop.__name__ in table
    assert table.get("desktop.composer.panel") == 0
    assert table.get("desktop.search.viewer") == 0
    assert table.get("kb.models") == -1
