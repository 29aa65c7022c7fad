"""A check's report: per intent better or worse, and how the trainers' wordings fare."""

from __future__ import annotations

from bot.training.report import build, f1_by_intent


def example(text: str, label: str, before: str, after: str) -> dict:
    return {
        "text": text,
        "label": label,
        "before": {"intent": before, "confidence": 0.9},
        "after": {"intent": after, "confidence": 0.9},
    }


EVALUATION = {
    "examples": [
        example("hi", "greet", "greet", "greet"),
        example("hello", "greet", "greet", "greet"),
        example("yes", "affirm", "affirm", "affirm"),
        example("sure", "affirm", "affirm", "greet"),  # the new model got worse here
        example(
            "where does my writing go", "faq/what_is_saved", "nlu_fallback", "faq/what_is_saved"
        ),
        example("is it saved", "faq/what_is_saved", "faq/what_is_saved", "faq/what_is_saved"),
    ],
    "stories": {"total": 3, "failed": ["a story that now fails"]},
}


def test_f1_counts_a_wrong_guess_against_both_intents():
    scores = f1_by_intent(EVALUATION["examples"], "after")
    assert scores["affirm"] == round(2 * 1.0 * 0.5 / 1.5, 4)  # precision 1, recall 1/2
    assert scores["greet"] == round(2 * (2 / 3) * 1.0 / (2 / 3 + 1), 4)  # a false greet
    assert scores["faq/what_is_saved"] == 1.0


def test_the_report_names_what_got_better_what_got_worse_and_the_taught_wordings():
    report = build(EVALUATION, taught={"where does my writing go": "faq/what_is_saved"})
    assert report["better"] == ["faq/what_is_saved"]
    assert report["worse"] == ["affirm", "greet"]
    [taught] = report["taught"]
    assert taught == {
        "text": "where does my writing go",
        "intent": "faq/what_is_saved",
        "before": "nlu_fallback",
        "after": "faq/what_is_saved",
        "understood": True,
    }
    assert report["failed_stories"] == ["a story that now fails"]
    assert report["stories_total"] == 3


def test_a_wording_taught_as_another_intent_than_its_example_is_not_reported_as_taught():
    report = build(EVALUATION, taught={"hi": "affirm"})
    assert report["taught"] == []
