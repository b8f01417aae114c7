"""Saved replies from other tools come in as draft snippets; vetted snippets go out and come back."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml

from kb import KnowledgeBase
from kb.cli import main
from kb.interchange import InterchangeError, csv_columns, detect_format, guess_mapping, read
from kb.interchange.export import neutralise

DATA = Path(__file__).parent / "data" / "interchange"


@pytest.fixture
def kb(tmp_path: Path):
    with KnowledgeBase.open(tmp_path / "home") as opened:
        yield opened


def by_title(preview) -> dict:
    return {item.title: item for item in preview.items}


# -- reading each format ---------------------------------------------------------------


def test_csv_with_a_header_maps_columns_and_placeholders(kb) -> None:
    assert csv_columns(DATA / "saved-replies.csv") == ["Name", "Body", "Folder"]
    assert guess_mapping(["Name", "Body", "Folder"]) == {"title": "Name", "text": "Body", "tags": "Folder"}
    preview = kb.preview_snippet_import(DATA / "saved-replies.csv")
    items = by_title(preview)
    order = items["Where is my order"]
    assert order.text.startswith("Hi {customer_name}, thanks for checking in. Order {order_number}")
    assert [f.name for f in order.fields] == ["customer_name", "order_number", "delivery_day"]
    assert order.fields[0].label == "Customer's first name" and order.fields[0].required is False
    assert order.tags == ["shipping", "tracking"]
    assert '"Forgot password"' in items["Password reset"].text
    assert any("spreadsheet formula" in p for p in items["Dangerous"].problems)


def test_csv_mapping_can_be_chosen_and_a_headerless_file_read(kb, tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("Refund,Your refund is on its way.\nDelay,Your parcel is a day late.\n", encoding="utf-8")
    assert csv_columns(path) == ["Column 1", "Column 2"]
    preview = read(path, "csv", {"title": "Column 1", "text": "Column 2", "tags": None})
    assert [i.title for i in preview.items] == ["Refund", "Delay"]
    with pytest.raises(InterchangeError, match="no column 'Body'"):
        read(path, "csv", {"title": None, "text": "Body", "tags": None})


def test_espanso_matches_forms_and_vars(kb) -> None:
    preview = kb.preview_snippet_import(DATA / "base.yml")
    assert preview.format == "espanso"
    items = by_title(preview)
    late = items["Late delivery apology"]
    assert late.text == "Hi {customer_name}, I'm sorry order {order_number} is late. It is now due on {new_date}."
    assert items[":sig"].text == "Kind regards,\n{rep_name}"
    assert "{{mydate}}" in preview.unmapped  # a date variable is not a fill-in, and never run
    assert any("image" in p for p in preview.problems)


def test_zendesk_macros_map_placeholders_and_report_the_rest(kb) -> None:
    preview = kb.preview_snippet_import(DATA / "macros.json")
    items = by_title(preview)
    refund = items["Refund issued"]
    assert refund.tags == ["billing"]
    assert refund.text.startswith("Hi {customer_name},\n\nI've issued a refund for ticket #{ticket_number}.")
    assert preview.mapped_fields["{{current_user.first_name}}"] == "rep_name"
    assert "Could you confirm" in items["Address check"].text and "<p>" not in items["Address check"].text
    assert "{{dc.address_help}}" in preview.unmapped
    assert "{% endif %}" in preview.unmapped
    assert "Close and tag" not in items  # it only changes ticket fields
    assert len(preview.items) == 3


def test_textexpander_and_text_blaze_fill_ins(kb) -> None:
    te = by_title(kb.preview_snippet_import(DATA / "textexpander.csv", "textexpander"))
    assert te["Thanks"].text == "Thank you for contacting us, {customer_name}."
    assert te["Order update"].fields[0].name == "order_number"
    blaze = by_title(kb.preview_snippet_import(DATA / "textblaze.csv", "textblaze"))
    assert blaze["Welcome"].text == "Hi {customer_name}, thanks for reaching out!"
    assert blaze["Welcome"].tags == ["greetings"]
    assert blaze["Plan change"].text.startswith("I've moved you to the {plan} plan")


def test_formats_are_detected() -> None:
    assert detect_format(DATA / "saved-replies.csv") == "csv"
    assert detect_format(DATA / "base.yml") == "espanso"
    assert detect_format(DATA / "macros.json") == "zendesk"
    assert detect_format(DATA / "textexpander.csv") == "textexpander"
    assert detect_format(DATA / "textblaze.csv") == "textblaze"


# -- applying --------------------------------------------------------------------------


def test_import_writes_drafts_in_one_go_and_skips_duplicates(kb) -> None:
    preview = kb.preview_snippet_import(DATA / "macros.json")
    report = kb.import_snippets(preview)
    assert len(report.created) == 3
    for slug in report.created:
        snippet = kb.snippet(slug)
        assert snippet.status == "draft"
    assert kb.snippet("refund-issued").fields[0].name == "customer_name"
    again = kb.preview_snippet_import(DATA / "macros.json")
    assert {i.duplicate_of for i in again.items} == set(report.created)
    assert kb.import_snippets(again).created == []
    # Reps see only vetted snippets: nothing imported reaches them before review.
    assert not {s.slug for s in kb.snippets()} & set(report.created)


def test_a_duplicate_of_a_bundled_snippet_is_found(kb, tmp_path: Path) -> None:
    bundled = kb.snippets()[0]
    path = tmp_path / "dupe.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["title", "text"], ["Copy", bundled.text.upper()]])
    preview = kb.preview_snippet_import(path)
    assert preview.items[0].duplicate_of == bundled.slug


# -- export and round trips ------------------------------------------------------------


def test_espanso_export_round_trips(kb, tmp_path: Path) -> None:
    out = tmp_path / "tactful.yml"
    count = kb.export_snippets(out, "espanso")
    vetted = kb.snippets()
    assert count == len(vetted) > 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    first = next(m for m in data["matches"] if m["trigger"] == f":tf-{vetted[0].slug}")
    assert "[[" in first.get("form", "[[") or "replace" in first
    back = {i.text for i in read(out).items}
    assert {s.text for s in vetted} <= back


def test_csv_export_round_trips_and_neutralises_formulas(kb, tmp_path: Path) -> None:
    out = tmp_path / "tactful.csv"
    kb.export_snippets(out, "csv")
    back = read(out)
    assert {s.text for s in kb.snippets()} <= {i.text for i in back.items}
    assert neutralise("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)" and neutralise("Hello") == "Hello"
    dangerous = kb.preview_snippet_import(DATA / "saved-replies.csv")
    kb.import_snippets(dangerous)
    from kb.interchange.export import export

    export([kb.snippet("dangerous")], tmp_path / "d.csv", "csv")
    rows = list(csv.reader((tmp_path / "d.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1][1].startswith("'=")


# -- hostile files: a clear message, nothing written ------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "fmt", "message"),
    [
        ("broken.yml", "matches:\n  - trigger: ':x'\n    replace: [unclosed\n", "espanso", "not valid YAML at line"),
        ("nomatches.yml", "foo: bar\n", "espanso", "needs a 'matches:' list"),
        ("tag.yml", "matches: !!python/object/apply:os.system ['echo hi']\n", "espanso", "not valid YAML"),
        ("broken.json", '{"macros": [', "zendesk", "not valid JSON"),
        ("other.json", '{"users": []}', "zendesk", "needs a \"macros\" list"),
        ("latin1.csv", "title,text\nCaf\xe9,Merci\n".encode("latin-1"), "csv", "not UTF-8"),
        ("binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "csv", "looks binary"),
        ("empty.csv", "", "csv", "is empty"),
        ("huge.csv", None, "csv", "at most 5 MB"),
        ("notext.csv", "title,text\nOnly a title,\n", "csv", "no saved replies"),
    ],
)
def test_bad_files_are_refused_and_change_nothing(kb, tmp_path: Path, name, content, fmt, message) -> None:
    path = tmp_path / name
    if content is None:
        path.write_text("title,text\n" + ("x,yyyyyyyyy\n" * 600_000), encoding="utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    before = len(kb.snippets(statuses=None))
    with pytest.raises(InterchangeError, match=message):
        kb.preview_snippet_import(path, fmt)
    assert len(kb.snippets(statuses=None)) == before


# -- the CLI -----------------------------------------------------------------------------


def test_cli_import_preview_json_then_export(capsys, tmp_path: Path, tactful_home: Path) -> None:
    assert main(["snippets", "import", str(DATA / "base.yml"), "--dry-run", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["items"] == 4 and "{{mydate}}" in data["unmapped"] and "result" not in data
    assert main(["snippets", "import", str(DATA / "saved-replies.csv"), "--map", "title=Name,text=Body,tags=Folder"]) == 0
    assert "Imported 4 as drafts" in capsys.readouterr().out
    assert main(["snippets", "export", str(tmp_path / "out.csv"), "--format", "csv"]) == 0
    assert "vetted snippets" in capsys.readouterr().out


def test_cli_bad_file_is_one_line_exit_2(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", encoding="utf-8")
    assert main(["snippets", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "not valid JSON" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert main(["snippets", "import", str(DATA / "saved-replies.csv"), "--map", "body=Body"]) == 2


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("saved-replies.csv", "csv"), ("base.yml", "espanso"), ("macros.json", "zendesk"),
     ("textblaze.csv", "textblaze"), ("textexpander.csv", "textexpander")],
)
@pytest.mark.parametrize("out_format", ["espanso", "csv"])
def test_every_format_round_trips_through_both_exports(kb, tmp_path: Path, name, fmt, out_format) -> None:
    from kb.interchange.export import export

    report = kb.import_snippets(kb.preview_snippet_import(DATA / name, fmt))
    imported = [kb.snippet(slug) for slug in report.created]
    assert imported and all(s.status == "draft" for s in imported)
    out = tmp_path / f"out.{'yml' if out_format == 'espanso' else 'csv'}"
    export(imported, out, out_format)
    back = read(out)
    texts = {i.text for i in back.items}
    for snippet in imported:
        if not snippet.text.startswith(("=", "+", "@", "-")):
            assert snippet.text in texts, snippet.text
    assert {f.name for i in back.items for f in i.fields} == {f.name for s in imported for f in s.fields}
