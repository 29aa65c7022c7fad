import pytest

from actions.disclosure_form import ActionAnswerOutsideForm, ActionOfferNextPart
from actions.statement import (
    ActionDeleteData,
    ActionFinishStatement,
    ActionSaveStatement,
    ActionShowStatement,
    ActionStartAgain,
)
from bot.parts import PARTS, TITLES
from tests.conftest import (
    consenting,
    deactivates_form,
    make_tracker,
    responses,
    saved_draft,
    slot_events,
)

FULL = {
    "what_happened": "In 2019 I was convicted of theft and got a community order.",
    "circumstances": "I was in debt and drinking a lot.",
    "feelings_now": "I regret it. I have been sober for two years.",
    "aspirations": "I want to work in a warehouse. I am reliable.",
}


async def test_finish_shows_statement_length_and_time_and_saves(database_url, dispatcher, domain):
    consenting("fin")
    tracker = make_tracker("fin", slots={"consent": True, **FULL})
    await ActionFinishStatement().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == [
        "utter_statement_ready",
        "utter_statement_length",
        "utter_coach_closing",
        "utter_ask_happy",
    ]
    assert "The statement is 40 words" in dispatcher.messages[2]["suggestions"]
    assert dispatcher.messages[0]["statement"].startswith("In 2019 I was convicted")
    assert dispatcher.messages[1]["words"] == 40
    assert dispatcher.messages[1]["speaking_time"] == "about 18 seconds"
    assert saved_draft("fin").parts == FULL


async def test_finish_names_the_empty_parts(dispatcher, domain):
    tracker = make_tracker(slots={"what_happened": FULL["what_happened"], "circumstances": ""})
    await ActionFinishStatement().run(dispatcher, tracker, domain)
    missing = next(m for m in dispatcher.messages if m["response"] == "utter_statement_missing")
    assert missing["missing"] == "circumstances at the time, how i feel about it now, " + (
        "what i want to do next"
    )


async def test_save_confirms_only_what_is_true(database_url, dispatcher, domain):
    consenting("sv")
    await ActionSaveStatement().run(
        dispatcher, make_tracker("sv", slots={"consent": True, **FULL}), domain
    )
    await ActionSaveStatement().run(
        dispatcher, make_tracker("nc", slots={"consent": False, **FULL}), domain
    )
    assert responses(dispatcher) == ["utter_statement_saved", "utter_statement_not_saved"]
    assert saved_draft("sv").parts == FULL
    assert saved_draft("nc") is None


async def test_show_statement(dispatcher, domain):
    await ActionShowStatement().run(dispatcher, make_tracker(), domain)
    await ActionShowStatement().run(dispatcher, make_tracker(slots=FULL), domain)
    assert responses(dispatcher) == ["utter_no_statement_yet", "utter_show_statement"]
    assert "I am reliable" in dispatcher.messages[1]["statement"]


async def test_start_again_empties_the_parts_and_keeps_the_old_version(
    database_url, dispatcher, domain
):
    consenting("sa", FULL)
    events = await ActionStartAgain().run(
        dispatcher, make_tracker("sa", slots={"consent": True, **FULL}), domain
    )
    assert all(slot_events(events)[p] is None for p in PARTS)
    assert saved_draft("sa").parts == {p: "" for p in PARTS}
    assert responses(dispatcher) == ["utter_started_again"]


async def test_delete_removes_the_drafts_and_resets_every_slot(database_url, dispatcher, domain):
    consenting("del", FULL)
    events = await ActionDeleteData().run(
        dispatcher, make_tracker("del", slots={"consent": True, **FULL}), domain
    )
    assert any(e["event"] == "reset_slots" for e in events)
    assert deactivates_form(events)
    assert responses(dispatcher) == ["utter_deleted"]
    assert saved_draft("del") is None


TWO_DONE = {"what_happened": FULL["what_happened"], "circumstances": FULL["circumstances"]}


async def test_after_showing_the_statement_the_next_part_to_do_is_offered(dispatcher, domain):
    tracker = make_tracker(slots={"consent": True, **TWO_DONE})
    await ActionShowStatement().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_show_statement", "utter_offer_next_part"]
    assert dispatcher.messages[1]["number"] == 3
    assert dispatcher.messages[1]["title"] == TITLES["feelings_now"]
    # In the questions the form asks its next question itself: no offer.
    dispatcher.messages.clear()
    asking = make_tracker(slots={"consent": True, **TWO_DONE}, active_loop="disclosure_form")
    await ActionShowStatement().run(dispatcher, asking, domain)
    assert responses(dispatcher) == ["utter_show_statement"]


async def test_an_answer_typed_after_a_side_trip_is_saved_as_the_next_part(
    database_url, dispatcher, domain
):
    """Not dropped with "press Carry on": taken as part 3, with its feedback, and
    part 4 offered next."""
    consenting("side")
    text = "I regret it. I have been sober for two years and I volunteer at a food bank."
    tracker = make_tracker("side", slots={"consent": True, **TWO_DONE}, intent="answer",
                           text=text)  # fmt: skip
    events = await ActionAnswerOutsideForm().run(dispatcher, tracker, domain)
    assert slot_events(events)["feelings_now"] == text
    assert saved_draft("side").parts["feelings_now"] == text
    said = responses(dispatcher)
    assert said[:2] == ["utter_taken_as_part", "utter_part_saved"]
    assert said[-1] == "utter_offer_next_part" and dispatcher.messages[-1]["number"] == 4


@pytest.mark.parametrize(
    ("slots", "text"),
    [
        ({"consent": True, **FULL}, "I was convicted of theft and I regret it a lot."),  # all done
        ({"consent": None}, "I was convicted of theft and I regret it a lot."),  # not started
        ({"consent": True, **TWO_DONE}, "idk"),  # not an answer
    ],
)
async def test_text_that_cannot_be_a_missing_part_is_not_taken(dispatcher, domain, slots, text):
    tracker = make_tracker(slots=slots, intent="answer", text=text)
    events = await ActionAnswerOutsideForm().run(dispatcher, tracker, domain)
    assert events == [] and responses(dispatcher) == ["utter_answer_outside_form"]


async def test_after_a_question_or_small_talk_the_offer_is_made_only_with_a_part_to_do(
    dispatcher, domain
):
    await ActionOfferNextPart().run(dispatcher, make_tracker(slots={"consent": False}), domain)
    assert dispatcher.messages[-1]["number"] == 1  # declined saving: the chat still goes on
    for slots in ({"consent": True, **FULL}, {"consent": None}):
        dispatcher.messages.clear()
        await ActionOfferNextPart().run(dispatcher, make_tracker(slots=slots), domain)
        assert responses(dispatcher) == []
