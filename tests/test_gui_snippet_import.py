"""The editor brings saved replies in through a preview, as drafts, and exports vetted snippets."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from PySide6.QtWidgets import QFileDialog

from desktop.editor import EditorWindow
from desktop.editor.snippet_import_dialog import PreviewModel
from desktop.settings import Settings
from desktop.tasks import Tasks
from kb import KnowledgeBase

CSV = ("Name;Reply;Folder\n"
       "Parcel delayed;Hi {{first_name}}, your parcel {{order_id}} is a day late. It now arrives on {{day}}.;Delivery\n"
       "Refund sent;I've refunded {{amount}} today.;Billing/Refunds\n")
ESPANSO = "matches:\n  - trigger: ':hi'\n    replace: 'Hi {{name}}, thanks for writing in.'\n"


@pytest.fixture
def kb(tmp_path: Path):
    with KnowledgeBase.open(tmp_path / "home") as opened:
        yield opened


@pytest.fixture
def window(qtbot, kb):
    tasks = Tasks()
    win = EditorWindow(kb, tasks, Settings(kb.paths.settings_file))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()
    tasks.shutdown()


def test_a_csv_is_previewed_mapped_and_imported_as_drafts(qtbot, qtmodeltester, window, kb, tmp_path: Path) -> None:
    path = tmp_path / "replies.csv"
    path.write_text(CSV, encoding="utf-8")
    dialog = window.import_saved_replies(str(path))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=10_000)
    assert dialog.format.currentData() == "csv"
    assert dialog.mapping_row.isVisible()
    assert dialog.columns["title"].currentText() == "Name"
    assert dialog.columns["text"].currentText() == "Reply"
    assert "2 replies found" in dialog.summary.text()
    assert "{{first_name}} → {customer_name}" in dialog.summary.text()
    assert dialog.model.index(0, 1).data() == "customer_name, order_number, day"
    qtmodeltester.check(dialog.model)
    before = {s.slug for s in kb.snippets(statuses=None)}
    assert dialog.import_button.text() == "&Import 2 as drafts"
    with qtbot.waitSignal(window.changes_made, timeout=10_000):
        dialog.import_button.click()
    new = {s.slug for s in kb.snippets(statuses=None)} - before
    assert new == {"parcel-delayed", "refund-sent"}
    assert all(kb.snippet(slug).status == "draft" for slug in new)
    assert "Imported 2 as drafts" in dialog.summary.text()
    qtbot.waitUntil(lambda: "parcel-delayed" in window.snippets.list.slugs(), timeout=10_000)


def test_changing_the_mapping_rereads_the_file(qtbot, window, tmp_path: Path) -> None:
    path = tmp_path / "replies.csv"
    path.write_text(CSV, encoding="utf-8")
    dialog = window.import_saved_replies(str(path))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=10_000)
    title = dialog.columns["title"]
    title.setCurrentIndex(title.findText("Folder"))
    with qtbot.waitSignal(dialog.preview_ready, timeout=10_000):
        title.activated.emit(title.currentIndex())
    assert dialog.model.index(0, 0).data() == "Delivery"


def test_a_broken_file_says_so_and_imports_nothing(qtbot, window, kb, tmp_path: Path) -> None:
    path = tmp_path / "broken.yml"
    path.write_text("matches:\n  - trigger: ':x'\n    replace: [oops\n", encoding="utf-8")
    before = len(kb.snippets(statuses=None))
    dialog = window.import_saved_replies(str(path))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "not valid YAML" in dialog.summary.text(), timeout=10_000)
    assert "Nothing was imported" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    assert len(kb.snippets(statuses=None)) == before


def test_duplicates_are_shown_and_skipped(qtbot, window, kb, tmp_path: Path) -> None:
    path = tmp_path / "base.yml"
    path.write_text(ESPANSO, encoding="utf-8")
    first = window.import_saved_replies(str(path))
    qtbot.addWidget(first)
    qtbot.waitUntil(lambda: first.import_button.isEnabled(), timeout=10_000)
    with qtbot.waitSignal(window.changes_made, timeout=10_000):
        first.import_button.click()
    again = window.import_saved_replies(str(path))
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.model.rowCount() == 1, timeout=10_000)
    assert "1 duplicate of existing snippets will be skipped" in again.summary.text()
    assert again.model.index(0, 2).data().startswith("Duplicate of hi")
    assert not again.import_button.isEnabled()


def test_export_writes_vetted_snippets_for_espanso(qtbot, window, kb, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "team.yml"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "espanso")))
    window.export_snippets()
    qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage(), timeout=10_000)
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert len(data["matches"]) == len(kb.snippets())


def test_preview_model_is_empty_until_a_file_is_read(qtmodeltester) -> None:
    model = PreviewModel()
    qtmodeltester.check(model)
    assert model.rowCount() == 0 and model.columnCount() == 3


def test_a_good_file_after_a_bad_one_is_no_longer_shown_as_an_error(qtbot, window, tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text("{oops", encoding="utf-8")
    good = tmp_path / "base.yml"
    good.write_text(ESPANSO, encoding="utf-8")
    dialog = window.import_saved_replies(str(bad))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "not valid JSON" in dialog.summary.text(), timeout=10_000)
    assert dialog.summary.property("role") == "error"
    dialog.open_file(str(good))
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=10_000)
    assert dialog.summary.property("role") == ""
    assert dialog.import_button.isEnabled()
