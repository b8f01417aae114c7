"""Recipe scaffolds: one snippet per stage, known values filled, the rest left visible."""

from __future__ import annotations

from kb.compose import fill, scaffold, stage_snippets
from kb.models import Recipe, RecipeStage, Snippet, SnippetField


def _snippet(slug: str, stage: str, text: str, *fields: SnippetField) -> Snippet:
    return Snippet(slug=slug, title=slug.replace("-", " "), text=text, stage=stage,
                   fields=list(fields), status="vetted")


GREETING = _snippet("greeting-by-name", "greeting", "Hi {customer_name},",
                    SnippetField("customer_name", "Customer name"))
THANKS = _snippet("greeting-thanks", "greeting", "Thanks for writing to us.")
APOLOGY = _snippet(
    "apologise-late", "apologise",
    "I'm sorry order {order_number} is late. It is now due on {new_date}.",
    SnippetField("order_number", "Order number"),
    SnippetField("new_date", "New delivery date"),
)
CLOSE = _snippet(
    "close-sign-off", "close", "{sign_off}\n{agent_name}",
    SnippetField("sign_off", "Sign-off", default="Kind regards,", choices=["Kind regards,", "Best wishes,"]),
    SnippetField("agent_name", "Your name"),
)
NOTE = _snippet("explain-note", "explain", "We have checked it. {extra}",
                SnippetField("extra", "Anything to add", required=False))
BY_SLUG = {s.slug: s for s in (GREETING, THANKS, APOLOGY, CLOSE, NOTE)}

RECIPE = Recipe(
    slug="late-order",
    title="A late order",
    stages=[
        RecipeStage("greeting", "Greet them by name", snippets=["greeting-by-name", "greeting-thanks"]),
        RecipeStage("apologise", "Say sorry for the delay", snippets=["missing-one", "apologise-late"]),
        RecipeStage("own-it", "Own it", snippets=["does-not-exist"]),
        RecipeStage("close", "Close", snippets=["close-sign-off"]),
    ],
)


def test_each_stage_gets_its_first_suggested_snippet_that_exists() -> None:
    chosen = [(stage.stage, snippet.slug if snippet else None) for stage, snippet in stage_snippets(RECIPE, BY_SLUG)]
    assert chosen == [
        ("greeting", "greeting-by-name"),
        ("apologise", "apologise-late"),
        ("own-it", None),
        ("close", "close-sign-off"),
    ]


def test_the_caller_decides_which_snippets_count() -> None:
    without_greeting = {k: v for k, v in BY_SLUG.items() if k != "greeting-by-name"}
    assert stage_snippets(RECIPE, without_greeting)[0][1] is THANKS


def test_scaffold_fills_known_values_and_leaves_the_rest_as_placeholders() -> None:
    text = scaffold(RECIPE, BY_SLUG, {"customer_name": "Priya", "order_number": "A-10442"})
    assert text == (
        "Hi Priya,\n\n"
        "I'm sorry order A-10442 is late. It is now due on {new_date}.\n\n"
        "Kind regards,\n{agent_name}"
    )


def test_scaffold_with_nothing_known_keeps_every_field_without_a_default() -> None:
    text = scaffold(RECIPE, BY_SLUG, {})
    assert "{customer_name}" in text and "{order_number}" in text and "{new_date}" in text
    assert "Kind regards," in text and "{sign_off}" not in text
    assert text.split("\n\n")[0] == "Hi {customer_name},"


def test_blank_and_whitespace_values_count_as_missing() -> None:
    assert scaffold(RECIPE, BY_SLUG, {"customer_name": "   "}).startswith("Hi {customer_name},")


def test_values_for_other_snippets_are_ignored_and_stages_are_blank_line_separated() -> None:
    text = scaffold(RECIPE, BY_SLUG, {"unrelated": "x", "agent_name": "Sam"})
    assert text.count("\n\n") == 2 and "x" not in text
    assert text.endswith("Kind regards,\nSam")


def test_a_recipe_with_nothing_available_scaffolds_to_empty_text() -> None:
    assert scaffold(RECIPE, {}, {"customer_name": "Priya"}) == ""


def test_optional_fields_stay_visible_in_a_scaffold_but_can_be_dropped() -> None:
    assert fill(NOTE, {}) == "We have checked it. {extra}"
    assert fill(NOTE, {}, keep_optional=False) == "We have checked it."
    assert fill(NOTE, {"extra": "All good."}, keep_optional=False) == "We have checked it. All good."


def test_fill_can_mark_unfilled_fields_its_own_way() -> None:
    marked = fill(APOLOGY, {"order_number": "A-1"}, unfilled=lambda f: f"[{f.label}]")
    assert marked == "I'm sorry order A-1 is late. It is now due on [New delivery date]."


def test_literal_braces_survive() -> None:
    snippet = _snippet("explain-code", "explain", "Use code {{SAVE10}} for {customer_name}.",
                       SnippetField("customer_name", "Customer name"))
    assert fill(snippet, {}) == "Use code {SAVE10} for {customer_name}."


def test_a_follow_up_stage_is_a_later_message_not_part_of_the_scaffold() -> None:
    snippets = {
        "hello": Snippet(slug="hello", title="Hello", text="Hello.", stage="greeting"),
        "later": Snippet(slug="later", title="Later", text="Checking in a week on.", stage="follow-up"),
    }
    recipe = Recipe(slug="r", title="R", stages=[
        RecipeStage(stage="greeting", title="Greet", snippets=["hello"]),
        RecipeStage(stage="follow-up", title="Follow up", snippets=["later"]),
    ])
    assert scaffold(recipe, snippets, {}) == "Hello."
