"""kb.snippets: strict parsing, clean rendering, round trips and forgiving file loading."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb import snippets as sn
from kb.errors import InvalidInput
from kb.models import Snippet, SnippetField


def data(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "slug": "apologise-late",
        "title": "Sorry it's late",
        "stage": "apologise",
        "situations": ["late-delivery"],
        "article": "apologising-dos-and-donts",
        "status": "vetted",
        "text": "Hi {name}, I'm sorry order {order_number} is late.",
        "fields": [
            {"name": "name", "label": "First name", "required": False, "sample": "Priya"},
            {"name": "order_number", "label": "Order number", "sample": "A-1"},
        ],
    }
    base.update(overrides)
    return base


def snippet(text: str, *fields: SnippetField) -> Snippet:
    return Snippet(slug="s", title="S", text=text, stage="greeting", fields=list(fields))


def optional(name: str, **kw: Any) -> SnippetField:
    return SnippetField(name=name, label=name.title(), required=False, **kw)


# -- placeholders -----------------------------------------------------------------------


def test_placeholders_in_order_of_first_appearance() -> None:
    assert sn.placeholders("{b} and {a}, then {b} again") == ["b", "a"]


def test_doubled_braces_are_literal() -> None:
    assert sn.placeholders("{{not_a_field}} but {field} is") == ["field"]
    s = snippet("Type {{code}} then {x}.", SnippetField(name="x", label="X"))
    assert sn.render(s, {"x": "go"}) == "Type {code} then go."


def test_placeholders_tolerates_half_typed_text() -> None:
    assert sn.placeholders("Hi {na") == []
    assert sn.placeholders("{ x } {y}") == ["y"]


# -- parse errors ------------------------------------------------------------------------


def test_parse_a_good_snippet() -> None:
    s = sn.parse_snippet(data(), "file.yaml")
    assert s.slug == "apologise-late" and s.stage == "apologise"
    assert [f.name for f in s.fields] == ["name", "order_number"]
    assert s.fields[0].required is False and s.fields[1].required is True
    assert s.situations == ["late-delivery"]


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({"stage": "grovel"}, "unknown stage 'grovel'"),
        ({"slug": "Bad Slug"}, "not a valid slug"),
        ({"slug": None}, "'slug' is missing"),
        ({"title": None}, "'title' is missing"),
        ({"title": "  "}, "'title' is empty"),
        ({"text": None}, "'text' is missing"),
        ({"status": "published"}, "unknown status"),
        ({"text": "Hi {name}, order {order_number} {extra}"}, "{extra} but no field declares it"),
        ({"text": "Order {order_number}."}, "'name' declared but not used"),
        ({"text": "Hi {name}, order {order_number} {"}, "stray '{' at line 1, column 33"),
        ({"text": "Hi {name} } {order_number}"}, "stray '}'"),
        ({"feilds": []}, "unknown key(s) 'feilds'"),
        ({"situations": ["Late Delivery"]}, "not a valid slug"),
        ({"fields": "name"}, "'fields' must be a list"),
    ],
)
def test_parse_errors_name_the_source_and_the_problem(overrides: dict, expected: str) -> None:
    with pytest.raises(InvalidInput) as err:
        sn.parse_snippet(data(**overrides), "greetings.yaml, snippet 3")
    assert str(err.value).startswith("greetings.yaml, snippet 3")
    assert expected in str(err.value)


@pytest.mark.parametrize(
    "field, expected",
    [
        ({"name": "order_number", "default": "X", "choices": ["A", "B"]}, "default 'X' is not among the choices"),
        ({"name": "order_number", "sample": "C", "choices": ["A", "B"]}, "sample 'C' is not among the choices"),
        ({"name": "order number"}, "must be letters, digits and _"),
        ({"name": "order_number", "required": "yes"}, "'required' must be true or false"),
        ({"name": "order_number", "default": True}, "yes/no (put it in quotes"),
        ({"name": "order_number", "colour": "red"}, "unknown key(s) 'colour'"),
        ({"label": "No name"}, "'name' is missing"),
    ],
)
def test_field_errors(field: dict, expected: str) -> None:
    fields = [{"name": "name", "required": False}, field]
    with pytest.raises(InvalidInput, match=re.escape(expected)):
        sn.parse_snippet(data(fields=fields), "src")


def test_field_declared_twice() -> None:
    fields = [{"name": "name"}, {"name": "order_number"}, {"name": "name"}]
    with pytest.raises(InvalidInput, match="declared twice"):
        sn.parse_snippet(data(fields=fields), "src")


def test_not_a_mapping() -> None:
    with pytest.raises(InvalidInput, match="must be a mapping"):
        sn.parse_snippet(["a list"], "src")  # type: ignore[arg-type]


def test_numbers_in_yaml_are_text() -> None:
    s = sn.parse_snippet(data(fields=[{"name": "name", "required": False}, {"name": "order_number", "sample": 10442}]), "src")
    assert s.fields[1].sample == "10442"


# -- rendering -----------------------------------------------------------------------------


def test_render_fills_values_and_defaults() -> None:
    s = snippet(
        "{greeting} {name}, order {order} ships {when}.",
        SnippetField(name="greeting", label="Greeting", default="Hello"),
        SnippetField(name="name", label="Name"),
        SnippetField(name="order", label="Order"),
        optional("when", default="today"),
    )
    assert sn.render(s, {"name": " Priya ", "order": "A-1"}) == "Hello Priya, order A-1 ships today."
    assert sn.render(s, {"name": "Priya", "order": "A-1", "greeting": "Hi", "when": "Monday"}) == (
        "Hi Priya, order A-1 ships Monday."
    )


def test_missing_required_field_names_its_label() -> None:
    s = snippet("Order {order} for {name}", SnippetField(name="order", label="Order number"), optional("name"))
    assert [f.name for f in sn.missing_required(s, {"order": "  "})] == ["order"]
    assert sn.missing_required(s, {"order": "A-1"}) == []
    with pytest.raises(InvalidInput, match="'Order number'"):
        sn.render(s, {})


def test_values_are_not_rendered_again() -> None:
    s = snippet("Note: {note}", SnippetField(name="note", label="Note"))
    assert sn.render(s, {"note": "{oops}"}) == "Note: {oops}"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Hi {name},", "Hi,"),
        ("Hi {name}, thanks for writing.", "Hi, thanks for writing."),
        ("Thanks, {name}.", "Thanks."),
        ("Thanks, {name}!", "Thanks!"),
        ("I've sent {name} the label.", "I've sent the label."),
        ("{name}, thanks for waiting.", "Thanks for waiting."),
        ("{name}\nSecond line.", "Second line."),
        ("First line.\n\n{name}\n\nLast line.", "First line.\n\nLast line."),
        ("First line.\n{name}", "First line."),
        ("It ships soon ({name}).", "It ships soon."),
        ("Done. {name}, next we refund.", "Done. Next we refund."),
        ("Sorry {name} {name}, truly.", "Sorry, truly."),
        ("Hi {name}\n", "Hi\n"),
        ("Steps:\n- one\n- {name}\n- three", "Steps:\n- one\n- three"),
        ("Steps:\n1. one\n2. {name}", "Steps:\n1. one"),
        ("- {name} today", "- today"),
    ],
)
def test_empty_optional_fields_read_cleanly(text: str, expected: str) -> None:
    assert sn.render(snippet(text, optional("name")), {"name": ""}) == expected


def test_text_without_holes_is_untouched() -> None:
    text = "Odd  spacing , kept\n\n\n as written {name}"
    assert sn.render(snippet(text, optional("name")), {"name": "x"}) == text.replace("{name}", "x")


_WORDS = st.sampled_from(["thanks", "order", "Sam", "refund", "today", "I'm", "sorry"])
_ITEM = st.one_of(_WORDS, st.sampled_from(["{a}", "{b}", "{c}"]))
_SENTENCE = st.tuples(
    st.lists(st.tuples(_ITEM, st.sampled_from(["", "", ",", ";", ":"])), min_size=1, max_size=6),
    st.sampled_from([".", "!", "?", ""]),
).map(lambda t: " ".join(item + sep for item, sep in t[0]).rstrip(",;:") + t[1])
_TEMPLATE = st.lists(st.tuples(_SENTENCE, st.sampled_from([" ", "\n", "\n\n"])), min_size=1, max_size=5).map(
    lambda parts: "".join(s + join for s, join in parts).rstrip()
)


@settings(max_examples=300, deadline=None)
@given(template=_TEMPLATE, values=st.fixed_dictionaries({k: st.sampled_from(["", "", "Priya"]) for k in "abc"}))
def test_optional_fields_never_leave_a_mess(template: str, values: dict[str, str]) -> None:
    used = sn.placeholders(template)
    s = snippet(template, *(optional(name) for name in used))
    out = sn.render(s, values)
    assert "\x00" not in out and "{" not in out
    assert "  " not in out, out
    assert not re.search(r"[ \t][,.;:!?]", out), out
    assert not re.search(r"^[ \t]|[ \t]$", out, re.M), out
    assert not re.search(r"[,;:][,.;:!?]", out), out
    assert not re.search(r"^[,;:]", out, re.M), out
    assert "\n\n\n" not in out
    if all(values[name] for name in used):
        assert out == template.replace("{a}", "Priya").replace("{b}", "Priya").replace("{c}", "Priya")


def test_sample_values_prefer_sample_then_default_then_choice_then_label() -> None:
    s = snippet(
        "{a}{b}{c}{d}",
        SnippetField(name="a", label="A", sample="sa", default="da"),
        SnippetField(name="b", label="B", default="db", choices=["x", "db"]),
        SnippetField(name="c", label="C", choices=["first", "second"]),
        SnippetField(name="d", label="Order number"),
    )
    assert sn.sample_values(s) == {"a": "sa", "b": "db", "c": "first", "d": "order number"}


# -- round trips -----------------------------------------------------------------------------


def test_snippet_round_trips_through_data_and_yaml() -> None:
    import yaml

    original = sn.parse_snippet(
        data(
            text="Hi {name},\nOrder {order_number}: {{literal}}.\n",
            tags=["delivery"],
            owner="Team",
            fields=[
                {"name": "name", "label": "First name", "required": False, "help": "If known"},
                {"name": "order_number", "label": "Order", "default": "A", "choices": ["A", "B"], "sample": "B"},
            ],
        ),
        "src",
    )
    again = sn.parse_snippet(sn.snippet_to_data(original), "again")
    assert again.content() == original.content()
    text = sn.snippets_to_yaml([original, again])
    assert "text: |" in text
    loaded = yaml.safe_load(text)["snippets"]
    assert [sn.parse_snippet(d, "yaml").content() for d in loaded] == [original.content()] * 2


def test_snippet_made_in_code_round_trips() -> None:
    s = Snippet(slug="x", title="X", text="{a}", stage="close", fields=[SnippetField(name="a", label="A")])
    assert sn.parse_snippet(sn.snippet_to_data(s), "x").content() == s.content()


# -- files -----------------------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
  - slug: good-one
    title: Good
    stage: close
    text: Bye.
"""


def test_one_bad_snippet_is_reported_and_the_others_load(tmp_path: Path) -> None:
    path = write(
        tmp_path / "mixed.yaml",
        "snippets:\n"
        + GOOD
        + "  - slug: bad-one\n    title: Bad\n    stage: nowhere\n    text: Hi.\n"
        + GOOD.replace("good-one", "good-two"),
    )
    snippets, problems = sn.load_snippet_file(path)
    assert [s.slug for s in snippets] == ["good-one", "good-two"]
    assert len(problems) == 1
    assert "mixed.yaml, snippet 'bad-one'" in problems[0] and "unknown stage" in problems[0]


def test_duplicate_slug_in_a_file(tmp_path: Path) -> None:
    snippets, problems = sn.load_snippet_file(write(tmp_path / "d.yaml", "snippets:\n" + GOOD + GOOD))
    assert len(snippets) == 1 and "used twice" in problems[0]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("snippets: [\n", "not valid YAML at line"),
        ("- just a list\n", "expected a mapping with a 'snippets:' list"),
        ("", "expected a mapping"),
    ],
)
def test_unusable_file_is_one_problem(tmp_path: Path, text: str, expected: str) -> None:
    snippets, problems = sn.load_snippet_file(write(tmp_path / "x.yaml", text))
    assert snippets == [] and len(problems) == 1 and expected in problems[0]


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes("snippets: []\n# café".encode("latin-1"))
    assert sn.load_snippet_file(path) == ([], ["latin.yaml: not UTF-8 text."])


RECIPE = """\
slug: grey-area
title: A grey area
summary: Nobody was clearly wrong.
articles: [handling-grey-areas]
stages:
  - stage: acknowledge
    hint: Say what you understand.
    snippets: [ack-one]
  - stage: options
    title: Let them choose
"""


def test_recipe_file(tmp_path: Path) -> None:
    recipe, problems = sn.load_recipe_file(write(tmp_path / "grey-area.yaml", RECIPE))
    assert problems == []
    assert recipe is not None and recipe.slug == "grey-area"
    assert [s.stage for s in recipe.stages] == ["acknowledge", "options"]
    assert recipe.stages[0].title == "Acknowledge and empathise"  # default from STAGE_TITLES
    assert recipe.stages[1].title == "Let them choose"
    assert recipe.stages[0].snippets == ["ack-one"]


def test_recipe_problems(tmp_path: Path) -> None:
    recipe, problems = sn.load_recipe_file(write(tmp_path / "other.yaml", RECIPE))
    assert recipe is not None and "should be named grey-area.yaml" in problems[0]
    recipe, problems = sn.load_recipe_file(write(tmp_path / "bad.yaml", RECIPE.replace("options", "haggle")))
    assert recipe is None and "stage 2" in problems[0] and "unknown stage 'haggle'" in problems[0]
    recipe, problems = sn.load_recipe_file(write(tmp_path / "empty.yaml", "slug: x\ntitle: X\nstages: []\n"))
    assert recipe is None and "non-empty list" in problems[0]


def test_bundled_checks_recipe_references_and_duplicates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kb import resources

    root = tmp_path / "resources"
    (root / "playbook" / "snippets").mkdir(parents=True)
    (root / "playbook" / "recipes").mkdir(parents=True)
    ack = "  - slug: ack-one\n    title: A\n    stage: acknowledge\n    text: I see.\n"
    write(root / "playbook" / "snippets" / "a.yaml", "snippets:\n" + ack + GOOD)
    write(root / "playbook" / "snippets" / "b.yaml", "snippets:\n" + GOOD + ": broken\n")
    write(root / "playbook" / "snippets" / "c.yaml", "snippets:\n" + GOOD)
    recipe = RECIPE.replace("title: Let them choose", "snippets: [good-one, nowhere]")
    write(root / "playbook" / "recipes" / "grey-area.yaml", recipe)
    monkeypatch.setattr(resources, "root", lambda: root)
    snippets, recipes, problems = sn.load_bundled()
    assert [s.slug for s in snippets] == ["ack-one", "good-one"]
    assert [r.slug for r in recipes] == ["grey-area"]
    joined = "\n".join(problems)
    assert "b.yaml: not valid YAML" in joined
    assert "c.yaml: snippet slug 'good-one' is also used in playbook/snippets/a.yaml" in joined
    assert "suggests snippet 'good-one', which is a 'close' snippet" in joined
    assert "suggests snippet 'nowhere', which does not exist" in joined
    assert len(problems) == 4
