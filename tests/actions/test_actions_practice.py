"""Practice with an employer, through the real actions (no Rasa)."""

from __future__ import annotations

import pytest

from actions.practice import (
    ActionPracticeRetry,
    ActionPracticeSkip,
    ActionPracticeSummary,
    ActionStartPractice,
    ActionStopPractice,
    ValidatePracticeForm,
)
from bot.practice.bank import question, round_questions
from bot.store import practice
from bot.store.db import session_scope
from bot.training import questions
from tests.conftest import (
    consenting,
    deactivates_form,
    form_answer_tracker,
    make_tracker,
    responses,
    slot_events,
)

# The questions come from the database (a trainer may have changed them): an
# empty one of the test's own, never a developer's.
pytestmark = pytest.mark.usefixtures("database_url")

ANSWER = (
    "In 2019 I was convicted of theft and got a community order. At the time I was in "
    "debt. Since then I have been sober for two years, and I want to work in a warehouse."
)


def _said(slot, text, sender="p1", **slots):
    return form_answer_tracker("practice_form", slot, text, sender, "answer", slots)


def _round(**extra):
    ids = [q.id for q in round_questions("warehouse", "interview")]
    return {
        "practice_job": "warehouse",
        "practice_setting": "interview",
        "practice_questions": ids,
        "practice_step": 0.0,
        "practice_notes": [],
        "practice_round": 1.0,
        **extra,
    }


async def test_starting_explains_and_counts_the_round(dispatcher, domain):
    events = await ActionStartPractice().run(dispatcher, make_tracker(), domain)
    assert responses(dispatcher) == ["utter_practice_intro"]
    assert slot_events(events)["practice_round"] == 1.0
    assert slot_events(events)["practice_job"] is None


async def test_job_then_setting_then_the_opening_question(dispatcher, domain):
    events = await ValidatePracticeForm().run(dispatcher, _said("practice_job", "Retail"), domain)
    assert slot_events(events)["practice_job"] == "retail"
    tracker = _said("practice_setting", "A face-to-face interview", practice_job="retail")
    events = await ValidatePracticeForm().run(dispatcher, tracker, domain)
    slots = slot_events(events)
    assert slots["practice_setting"] == "interview"
    assert "criminal convictions" in slots["practice_question"]
    assert slots["practice_questions"] == [q.id for q in round_questions("retail", "interview")]


async def test_an_unknown_job_gets_a_tip(dispatcher, domain):
    events = await ValidatePracticeForm().run(dispatcher, _said("practice_job", "hmm"), domain)
    assert slot_events(events)["practice_job"] is None
    assert responses(dispatcher) == ["utter_practice_not_understood_job"]


async def test_each_answer_gets_feedback_then_the_next_question(dispatcher, domain):
    tracker = _said("practice_answer", ANSWER, **_round())
    events = await ValidatePracticeForm().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_practice_feedback"]
    feedback = dispatcher.messages[0]["feedback"]
    assert feedback.startswith("What went well:") and "covered what happened" in feedback
    slots = slot_events(events)
    assert slots["practice_step"] == 1.0
    assert slots["practice_question"] == round_questions("warehouse", "interview")[0].text
    assert slots["practice_answer"] is None  # so the form asks again, with the new question
    assert len(slots["practice_notes"]) == 1 and "theft" not in str(slots["practice_notes"])


async def test_after_the_last_question_the_round_ends(dispatcher, domain):
    ids = _round()["practice_questions"]
    tracker = _said("practice_answer", ANSWER, **_round(practice_step=float(len(ids))))
    events = await ValidatePracticeForm().run(dispatcher, tracker, domain)
    slots = slot_events(events)
    assert slots["practice_done"] is True and slots["requested_slot"] is None


async def test_a_non_answer_gets_a_tip_and_the_same_question(dispatcher, domain):
    tracker = _said("practice_answer", "idk", **_round())
    events = await ValidatePracticeForm().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_practice_answer_tip"]
    assert "practice_step" not in slot_events(events)


async def test_try_again_names_the_same_question_and_drops_its_answer(dispatcher, domain):
    tracker = make_tracker(slots=_round(practice_step=2.0, practice_notes=[{"a": 1}, {"b": 2}]))
    events = await ActionPracticeRetry().run(dispatcher, tracker, domain)
    slots = slot_events(events)
    replayed = round_questions("warehouse", "interview")[0].text
    assert slots["practice_step"] == 1.0 and slots["practice_notes"] == [{"a": 1}]
    assert slots["practice_question"] == replayed
    assert dispatcher.messages[0]["question"] == replayed


async def test_skip_moves_on(dispatcher, domain):
    events = await ActionPracticeSkip().run(dispatcher, make_tracker(slots=_round()), domain)
    assert slot_events(events)["practice_step"] == 1.0
    assert responses(dispatcher) == ["utter_practice_skipped"]


async def test_the_summary_is_saved_for_the_caseworker_with_consent(
    database_url, dispatcher, domain
):
    consenting("p2")
    notes = [{"strength": "Good.", "suggestions": ["blame"], "covered": [], "brief": True}]
    tracker = make_tracker("p2", slots={"consent": True, **_round(practice_notes=notes)})
    events = await ActionPracticeSummary().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == [
        "utter_practice_summary",
        "utter_practice_saved",
        "utter_practice_next",
    ]
    assert "You answered 1 of 5 questions." in dispatcher.messages[0]["summary"]
    assert slot_events(events)["practice_notes"] is None
    with session_scope() as session:
        (saved,) = practice.rounds_for(session, "p2")
    assert saved["job"] == "warehouse" and saved["summary"]["answered"] == 1


async def test_without_consent_the_summary_is_not_saved(database_url, dispatcher, domain):
    notes = [{"strength": None, "suggestions": [], "covered": [], "brief": True}]
    tracker = make_tracker("p3", slots={"consent": False, **_round(practice_notes=notes)})
    await ActionPracticeSummary().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == [
        "utter_practice_summary",
        "utter_practice_not_saved",
        "utter_practice_next",
    ]


async def test_stopping_leaves_practice_and_touches_nothing_else(dispatcher, domain):
    tracker = make_tracker(slots={"what_happened": "I stole a car.", **_round()})
    events = await ActionStopPractice().run(dispatcher, tracker, domain)
    assert deactivates_form(events)
    assert "what_happened" not in slot_events(events)
    assert slot_events(events)["practice_job"] is None


def test_try_the_last_one_again_is_offered_only_after_an_answer(domain):
    variants = domain["responses"]["utter_ask_practice_answer"]
    opening = next(
        v for v in variants if v.get("condition", [{}])[0].get("name") == "practice_step"
    )
    assert "buttons" not in opening
    later = variants[-1]
    assert "condition" not in later
    assert {b["payload"] for b in later["buttons"]} == {"/go_back", "/skip_part", "/stop"}


async def test_starting_a_round_gives_no_tips_before_anything_is_said(dispatcher, domain):
    """action_start_practice clears the slots; the form sees those as values to check."""
    form = ValidatePracticeForm()
    for slot in ("practice_job", "practice_setting", "practice_answer"):
        result = await getattr(form, f"validate_{slot}")(None, dispatcher, make_tracker(), domain)
        assert result == {}
    assert dispatcher.messages == []


async def test_a_trainers_change_to_the_questions_reaches_the_next_round_and_the_one_under_way(
    dispatcher, domain
):
    first = round_questions("warehouse", "interview")[0]
    with session_scope() as db:
        questions.save(db, first.id, "Forklift keys: would you take them home?",
                       list(first.jobs), list(first.settings), first.topic, first.covers,
                       list(first.asks), in_practice=True, author="tom@x.org")  # fmt: skip
    # A round already under way asks the new wording next.
    tracker = _said("practice_answer", ANSWER, **_round())
    slots = slot_events(await ValidatePracticeForm().run(dispatcher, tracker, domain))
    assert slots["practice_question"] == "Forklift keys: would you take them home?"
    # Left out of practice, a new round no longer asks it.
    with session_scope() as db:
        questions.save(db, first.id, first.text, list(first.jobs), list(first.settings),
                       first.topic, first.covers, list(first.asks), False, "tom@x.org")  # fmt: skip
    tracker = _said("practice_setting", "interview", practice_job="warehouse")
    slots = slot_events(await ValidatePracticeForm().run(dispatcher, tracker, domain))
    assert first.id not in slots["practice_questions"]
    assert all(question(i) is not None for i in slots["practice_questions"])


async def test_each_answer_is_judged_on_what_its_own_question_asks(dispatcher, domain):
    """The opening question asks for the whole disclosure; the first follow-up for
    warehouse work (stock and keys) asks only what has changed."""
    answer = "Since then I have been sober for two years and I go to meetings."
    opening = _said("practice_answer", answer, **_round(practice_step=0.0))
    await ValidatePracticeForm().run(dispatcher, opening, domain)
    assert "You could also say what happened" in dispatcher.messages[-1]["feedback"]
    dispatcher.messages.clear()
    follow_up = _said("practice_answer", answer, **_round(practice_step=1.0))
    await ValidatePracticeForm().run(dispatcher, follow_up, domain)
    feedback = dispatcher.messages[-1]["feedback"]
    assert round_questions("warehouse", "interview")[0].asks == ("feelings_now",)
    assert "Your answer covered what has changed since." in feedback
    assert "You could also say" not in feedback
