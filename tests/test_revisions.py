"""Revisions and review: readable diffs, restore as a new revision, due-for-review,
status changes (reps never see drafts) and the vetted-snippet gate."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kb.diff import DiffLine, diff_html, diff_revisions, diff_text, has_changes
from kb.errors import InvalidInput, NotFound
from kb.facade import KnowledgeBase
from kb.models import Article, Snippet, SnippetField


@pytest.fixture
def kb(tmp_path: Path):
    kb = KnowledgeBase.open(tmp_path / "home", seed=False)
    yield kb
    kb.close()


def _article(**kw) -> Article:
    base = dict(slug="refunds", title="Refunds", summary="How refunds work.",
                body="Line one.\nLine two.\nLine three.", tags=["money"], status="draft")
    base.update(kw)
    return Article(**base)


def _snippet(text: str = "Hi {name}, your refund is on its way.", **kw) -> Snippet:
    base = dict(slug="refund-sent", title="Refund sent", text=text, stage="next-steps",
                fields=[SnippetField(name="name", label="Name", sample="Ana")], status="draft")
    base.update(kw)
    return Snippet(**base)


# -- diff ----------------------------------------------------------------------------------


def test_diff_lists_field_changes_then_the_body_line_by_line() -> None:
    old = _article().content()
    new = _article(title="Refunds and returns", status="vetted", tags=["money", "returns"],
                   body="Line one.\nLine 2.\nLine three.\nLine four.").content()
    lines = diff_revisions(old, new)
    assert lines[:3] == [
        DiffLine("field", "Title: Refunds → Refunds and returns"),
        DiffLine("field", "Tags: money → money, returns"),
        DiffLine("field", "Status: draft → vetted"),
    ]
    assert lines[3:] == [
        ("unchanged", "Line one."),
        ("removed", "Line two."),
        ("added", "Line 2."),
        ("unchanged", "Line three."),
        ("added", "Line four."),
    ]
    assert has_changes(lines)
    assert not has_changes(diff_revisions(old, old))


def test_diff_of_snippets_names_fill_in_field_changes() -> None:
    old = _snippet().content()
    new = _snippet(text="Hi {name}, the refund of {amount} is on its way.", fields=[
        SnippetField(name="name", label="First name", sample="Ana"),
        SnippetField(name="amount", label="Amount"),
    ]).content()
    kinds = diff_revisions(old, new, "snippet")
    assert DiffLine("field", "Fill-in field {amount} added") in kinds
    assert DiffLine("field", "Fill-in field {name} changed (label)") in kinds
    assert ("added", "Hi {name}, the refund of {amount} is on its way.") in kinds


def test_context_collapses_long_unchanged_runs() -> None:
    old = "\n".join(f"line {i}" for i in range(20))
    new = old.replace("line 10", "line ten")
    lines = diff_text(old, new, context=1)
    assert [line.kind for line in lines] == ["skip", "unchanged", "removed", "added", "unchanged", "skip"]
    assert lines[0].text == "… 9 unchanged lines …"


def test_html_rendering_escapes_everything() -> None:
    html = diff_html([DiffLine("added", '<script>alert("x")</script>'), DiffLine("field", "Title: a → <b>")])
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html
    assert 'class="diff-added"' in html and 'class="diff-field"' in html


# -- revisions through the facade ------------------------------------------------------------


def test_revision_diff_and_restore_make_a_new_revision(kb: KnowledgeBase) -> None:
    kb.save_article(_article(), author="ann")
    kb.save_article(_article(body="Line one.\nChanged.\nLine three."), author="bob")
    lines = kb.revision_diff("refunds", 1, 2)
    assert ("removed", "Line two.") in lines and ("added", "Changed.") in lines
    changes = kb.restore_revision("refunds", 1, author="cy")
    assert changes.articles == {"refunds"} and changes.index
    revisions = kb.revisions("refunds")
    assert [r.rev for r in revisions] == [1, 2, 3]
    assert revisions[-1].note == "Restored revision 1" and revisions[-1].author == "cy"
    assert kb.article("refunds").body == "Line one.\nLine two.\nLine three."
    assert revisions[-1].content_hash == revisions[0].content_hash
    assert not has_changes(kb.revision_diff("refunds", 1, 3))


def test_unknown_revision_or_kind_is_a_clear_error(kb: KnowledgeBase) -> None:
    kb.save_article(_article())
    with pytest.raises(NotFound, match="no revision 7"):
        kb.revision_diff("refunds", 1, 7)
    with pytest.raises(NotFound):
        kb.restore_revision("missing", 1)
    with pytest.raises(InvalidInput, match="Kind must be"):
        kb.revision_diff("refunds", 1, 1, kind="recipe")


def test_snippet_revisions_diff_and_restore(kb: KnowledgeBase) -> None:
    kb.save_snippet(_snippet())
    kb.save_snippet(_snippet(text="Hi {name}, your refund went out today."))
    assert ("added", "Hi {name}, your refund went out today.") in kb.revision_diff("refund-sent", 1, 2, kind="snippet")
    kb.restore_revision("refund-sent", 1, kind="snippet")
    assert kb.snippet("refund-sent").text == "Hi {name}, your refund is on its way."
    assert len(kb.revisions("refund-sent", "snippet")) == 3


# -- review and status -------------------------------------------------------------------------


def test_due_for_review_lists_vetted_articles_not_reviewed_lately(kb: KnowledgeBase) -> None:
    kb.save_article(_article(slug="old", status="vetted", reviewed="2026-01-10"))
    kb.save_article(_article(slug="recent", status="vetted", reviewed="2026-11-01"))
    kb.save_article(_article(slug="draft-old", status="draft", reviewed="2020-01-01"))
    kb.save_article(_article(slug="never-reviewed", status="vetted"))  # falls back to updated_at (today)
    today = date(2026, 11, 29)
    assert [a.slug for a in kb.due_for_review(90, today=today)] == ["old"]
    assert [a.slug for a in kb.due_for_review(10, today=today)] == ["old", "recent"]
    kb.mark_reviewed("old", on=today)
    assert [a.slug for a in kb.due_for_review(10, today=today)] == ["recent"]
    with pytest.raises(InvalidInput):
        kb.due_for_review(-1)


def test_status_changes_and_reps_never_see_drafts(kb: KnowledgeBase) -> None:
    kb.save_article(_article(slug="other", body="Something else.", status="vetted"))
    kb.save_article(_article(body="All about the kumquat refund."))
    assert [a.slug for a in kb.articles()] == ["other"] and kb.search("kumquat") == []
    changes = kb.set_status("refunds", "vetted", author="ed")
    assert changes.articles == {"refunds"}
    article = kb.article("refunds")
    assert article.status == "vetted" and article.reviewed == date.today().isoformat()
    assert [h.slug for h in kb.search("kumquat")] == ["refunds"]
    assert kb.revisions("refunds")[-1].note == "Status: vetted"
    assert kb.set_status("refunds", "vetted") == type(changes)()  # no change, no revision
    kb.set_status("refunds", "retired")
    assert kb.search("kumquat") == [] and [a.slug for a in kb.articles()] == ["other"]
    with pytest.raises(InvalidInput, match="not one of"):
        kb.set_status("refunds", "published")


def test_a_snippet_with_error_findings_cannot_be_vetted(kb: KnowledgeBase) -> None:
    kb.save_snippet(_snippet(text="Hi {name}, just calm down, the refund is on its way."))
    findings = kb.vetting_findings("refund-sent")
    assert findings and all(f.severity == "error" for f in findings)
    with pytest.raises(InvalidInput) as err:
        kb.set_status("refund-sent", "vetted", kind="snippet")
    assert "cannot be vetted" in str(err.value) and "calm down" in str(err.value)
    assert kb.snippet("refund-sent").status == "draft"
    kb.set_status("refund-sent", "in-review", kind="snippet")  # other moves are fine
    kb.save_snippet(_snippet(status="in-review"))
    assert kb.vetting_findings("refund-sent") == []
    assert kb.set_status("refund-sent", "vetted", kind="snippet").snippets == {"refund-sent"}
    assert kb.snippet("refund-sent").status == "vetted"


def test_the_gate_uses_sample_values_for_fields(kb: KnowledgeBase) -> None:
    # an unfilled {field} would be flagged as a placeholder; the gate fills in samples first
    kb.save_snippet(_snippet(text="Hi {name}, thanks for writing."))
    assert kb.vetting_findings("refund-sent") == []


def test_saving_a_vetted_snippet_passes_the_gate_too(kb: KnowledgeBase) -> None:
    with pytest.raises(InvalidInput, match="cannot be vetted"):
        kb.save_snippet(_snippet(text="Hi {name}. Calm down, it is coming.", status="vetted"))
    with pytest.raises(NotFound):
        kb.snippet("refund-sent")


def test_restoring_a_vetted_snippet_revision_passes_the_gate_again(kb: KnowledgeBase) -> None:
    # A vetted revision written before the rules changed (straight to the store, as an old
    # version of Tactful could have).
    kb.store.save_snippets([_snippet(text="Hi {name}. Calm down, it is coming.", status="vetted")])
    kb.save_snippet(_snippet(text="Hi {name}, it is coming.", status="draft"))
    with pytest.raises(InvalidInput, match="cannot be vetted"):
        kb.restore_revision("refund-sent", 1, kind="snippet")
    assert kb.snippet("refund-sent").text == "Hi {name}, it is coming."
