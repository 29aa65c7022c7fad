"""The spent checker's actions, as the Rasa server would call them."""

from __future__ import annotations

from typing import Any

from actions.session import ActionRecordConsent
from actions.spent_form import (
    ActionSpentResult,
    ActionStartSpentCheck,
    ActionStopSpentCheck,
    ValidateSpentForm,
)
from tests.conftest import (
    SPENT_DRAG_ANSWERS,
    deactivates_form,
    form_answer_tracker,
    make_tracker,
    responses,
    slot_events,
)

EMPTY = {
    "spent_place": None,
    "spent_date": None,
    "spent_under_18": None,
    "spent_outcome": None,
    "spent_length": None,
    "spent_another": None,
    "spent_convictions": None,
    "spent_next_one": None,
    "spent_checked": None,
}


def _answered(slot: str, text: str, **slots: Any):
    return form_answer_tracker("spent_form", slot, text, "s1", "answer", {**EMPTY, **slots})


async def _validate(dispatcher, domain, slot, text, **slots):
    return slot_events(
        await ValidateSpentForm().run(dispatcher, _answered(slot, text, **slots), domain)
    )


async def test_a_readable_date_is_kept_with_its_precision(dispatcher, domain):
    events = await _validate(
        dispatcher, domain, "spent_date", "March 2019", spent_place="england_wales"
    )
    assert events["spent_date"] == "2019-03-31|month"
    assert responses(dispatcher) == []


async def test_an_unreadable_answer_is_asked_again_then_with_a_way_out(dispatcher, domain):
    first = await _validate(
        dispatcher, domain, "spent_date", "a while ago", spent_place="england_wales"
    )
    assert first["spent_date"] is None and first["ask_style"] == "retry"
    assert responses(dispatcher) == ["utter_spent_not_understood_date"]
    second = await _validate(
        dispatcher, domain, "spent_date", "dunno", spent_place="england_wales", ask_style="retry"
    )
    assert second["ask_style"] == "way_out"


async def test_slots_cleared_when_the_check_starts_are_not_read_as_answers(dispatcher, domain):
    events = [{"event": "user", "text": "check first"}] + [
        {"event": "slot", "name": slot, "value": None} for slot in EMPTY
    ]
    tracker = make_tracker("s1", slots=EMPTY, intent="check_spent", text="check first",
                           active_loop="spent_form", events=events)  # fmt: skip
    await ValidateSpentForm().run(dispatcher, tracker, domain)
    assert dispatcher.messages == []


async def test_custody_without_a_length_is_asked_again(dispatcher, domain):
    answers = dict(spent_place="england_wales", spent_date="2019-03-31|day",
                   spent_under_18="no", spent_outcome="custody")  # fmt: skip
    events = await _validate(dispatcher, domain, "spent_length", "not sure", **answers)
    assert events["spent_length"] is None
    assert responses(dispatcher) == ["utter_spent_length_needed"]


async def test_no_length_question_for_a_fine(dispatcher, domain):
    answers = dict(spent_place="england_wales", spent_date="2019-03-31|day", spent_under_18="no")
    events = await _validate(dispatcher, domain, "spent_outcome", "I got a fine", **answers)
    assert events["spent_outcome"] == "fine"
    assert events["requested_slot"] == "spent_another"


async def test_scotland_ends_the_questions(dispatcher, domain):
    events = await _validate(dispatcher, domain, "spent_place", "Scotland")
    assert events["spent_place"] == "elsewhere"
    assert events["requested_slot"] is None


async def test_another_conviction_keeps_the_first_and_asks_again(dispatcher, domain):
    answers = dict(spent_place="england_wales", spent_date="2017-01-25|day", spent_under_18="no",
                   spent_outcome="conditional_discharge", spent_length="2 years")  # fmt: skip
    events = await _validate(dispatcher, domain, "spent_another", "yes", **answers)
    assert events["spent_convictions"] == [
        {"date": "2017-01-25", "precision": "day", "under_18": False,
         "outcome": "conditional_discharge", "length": "2 years"}
    ]  # fmt: skip
    assert events["spent_date"] is None and events["spent_another"] is None
    assert "spent_place" not in events  # the place is not asked again
    assert events["spent_next_one"] is True


async def test_the_result_explains_every_conviction_and_forgets_the_answers(dispatcher, domain):
    slots = {**EMPTY, "spent_place": "england_wales", "spent_convictions": SPENT_DRAG_ANSWERS}
    tracker = make_tracker("s1", slots=slots)
    events = slot_events(await ActionSpentResult().run(dispatcher, tracker, domain))
    texts = [m["text"] for m in dispatcher.messages if m.get("text")]
    assert texts[0].startswith("1. Your conviction from 25 January 2017")
    assert "since 10 December 2019" in texts[0] and "drag-through" in texts[0]
    assert texts[1].startswith("2. Your conviction from 10 December 2018")
    assert "not legal advice" in texts[2]
    assert responses(dispatcher)[-1] == "utter_spent_next"
    assert events["spent_convictions"] is None and events["spent_checked"] is True


async def test_the_result_for_scotland_points_to_advice(dispatcher, domain):
    tracker = make_tracker("s1", slots={**EMPTY, "spent_place": "elsewhere"})
    await ActionSpentResult().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages if m.get("text")]
    assert "Scotland and Northern Ireland" in texts[0] and "Disclosure Scotland" in texts[0]


async def test_start_clears_any_earlier_answers(dispatcher, domain):
    tracker = make_tracker("s1", slots={**EMPTY, "spent_date": "2019-01-01|day"})
    events = slot_events(await ActionStartSpentCheck().run(dispatcher, tracker, domain))
    assert events["spent_date"] is None
    assert responses(dispatcher) == ["utter_spent_intro"]


async def test_stopping_says_so_but_skipping_goes_quietly_to_the_statement(dispatcher, domain):
    stop = make_tracker("s1", slots=EMPTY, intent="stop", active_loop="spent_form")
    events = await ActionStopSpentCheck().run(dispatcher, stop, domain)
    assert deactivates_form(events) and responses(dispatcher) == ["utter_spent_stopped"]
    dispatcher.messages.clear()
    skip = make_tracker("s1", slots=EMPTY, intent="skip_part", active_loop="spent_form")
    await ActionStopSpentCheck().run(dispatcher, skip, domain)
    assert responses(dispatcher) == []


async def test_the_check_is_offered_once_after_consent(database_url, dispatcher, domain):
    events = [{"event": "slot", "name": "requested_slot", "value": "consent"}]
    tracker = make_tracker("s1", slots={**EMPTY, "consent": False}, events=events)
    await ActionRecordConsent().run(dispatcher, tracker, domain)
    assert responses(dispatcher)[-1] == "utter_offer_spent_check"
    dispatcher.messages.clear()
    checked = make_tracker("s1", slots={**EMPTY, "consent": False, "spent_checked": True},
                           events=events)  # fmt: skip
    await ActionRecordConsent().run(dispatcher, checked, domain)
    assert "utter_offer_spent_check" not in responses(dispatcher)
