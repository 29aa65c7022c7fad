"""Coaching in the conversation, through the real actions (no Rasa): feedback after a
part, "rewrite it or keep it?", "no more tips", and the safety response."""

from __future__ import annotations

from actions.coaching import ActionSafetySupport, ActionStopTips
from actions.disclosure_form import (
    ActionGoBack,
    ActionRefusePart,
    ActionSkipPart,
    ValidateDisclosureForm,
)
from actions.statement import ActionFinishStatement
from bot.rest_client import outgoing
from bot.store import drafts, flags
from bot.store.db import session_scope
from tests.conftest import (
    consenting,
    deactivates_form,
    form_answer_tracker,
    make_tracker,
    responses,
    saved_draft,
    slot_events,
    told_page,
    uttered,
)

WEAK = "It wasn't my fault, my mates got me into it and I got ABH."
STRONG = "In 2019 I was convicted of theft and got a community order."


def _answer(part, text, sender="c1", **slots):
    return form_answer_tracker("disclosure_form", part, text, sender, "answer", slots)


def _choice(text, sender="c1", intent="answer", **slots):
    slots = {"consent": True, "what_happened": WEAK, "coached_part": "what_happened", **slots}
    return form_answer_tracker("disclosure_form", "part_choice", text, sender, intent, slots)


async def test_feedback_after_a_part_then_rewrite_or_keep(database_url, dispatcher, domain):
    consenting("c1")
    events = await ValidateDisclosureForm().run(
        dispatcher, _answer("what_happened", WEAK, consent=True), domain
    )
    assert responses(dispatcher) == ["utter_part_saved", "utter_coach_suggestions"]
    said = dispatcher.messages[1]["suggestions"]
    assert "wasn't my fault" in said and "ABH" in said and said.count("• ") <= 3
    slots = slot_events(events)
    assert slots["coached_part"] == "what_happened"
    assert slots["requested_slot"] == "part_choice"
    stored = saved_draft("c1").findings["what_happened"]
    assert {"blame", "jargon"} <= {f["rule"] for f in stored}
    assert all(
        WEAK[f["start"] : f["end"]] == f["excerpt"] for f in stored if f["start"] is not None
    )


async def test_a_strong_part_gets_praise_and_no_invented_problems(database_url, dispatcher, domain):
    consenting("c2")
    await ValidateDisclosureForm().run(
        dispatcher, _answer("what_happened", STRONG, "c2", consent=True), domain
    )
    assert responses(dispatcher) == [
        "utter_part_saved",
        "utter_coach_strength",
        "utter_coach_no_suggestions",
    ]
    assert "own words" in dispatcher.messages[1]["strength"]


async def test_keep_moves_on_to_the_next_part(database_url, dispatcher, domain):
    events = await ValidateDisclosureForm().run(dispatcher, _choice("keep it"), domain)
    slots = slot_events(events)
    assert slots["coached_part"] is None and slots["requested_slot"] == "circumstances"
    assert responses(dispatcher) == ["utter_part_kept"]


async def test_rewrite_opens_the_part_again_keeping_the_old_text(database_url, dispatcher, domain):
    events = await ValidateDisclosureForm().run(dispatcher, _choice("yes"), domain)
    slots = slot_events(events)
    assert slots["what_happened"] is None and slots["previous_answer"] == WEAK
    assert slots["requested_slot"] == "what_happened"
    assert responses(dispatcher) == ["utter_rewrite_part"]


async def test_a_new_version_typed_straight_away_is_the_rewrite(database_url, dispatcher, domain):
    consenting("c3", {"what_happened": WEAK})
    before = saved_draft("c3").version
    events = await ValidateDisclosureForm().run(dispatcher, _choice(STRONG, "c3"), domain)
    assert slot_events(events)["what_happened"] == STRONG
    draft = saved_draft("c3")
    assert draft.parts["what_happened"] == STRONG and draft.version == before + 1
    assert {f["rule"] for f in draft.findings["what_happened"]} == {"ownership"}
    with session_scope() as session:  # the first version is still there
        versions = drafts.find_candidate(session, "c3").statements[-1].versions
        assert versions[0].what_happened == WEAK


async def test_an_unclear_choice_gets_a_tip_then_a_way_out(database_url, dispatcher, domain):
    events = await ValidateDisclosureForm().run(dispatcher, _choice("hmm"), domain)
    assert slot_events(events)["ask_style"] == "retry"
    assert slot_events(events)["requested_slot"] == "part_choice"
    assert responses(dispatcher) == ["utter_part_choice_not_understood"]
    events = await ValidateDisclosureForm().run(
        dispatcher, _choice("hmm", ask_style="retry"), domain
    )
    assert slot_events(events)["ask_style"] == "way_out"


async def test_skip_or_no_keeps_the_part(dispatcher, domain):
    for action in (ActionSkipPart(), ActionRefusePart()):
        tracker = make_tracker(
            slots={
                "requested_slot": "part_choice",
                "coached_part": "circumstances",
                "circumstances": "I was in debt.",
            }
        )
        events = await action.run(dispatcher, tracker, domain)
        assert slot_events(events)["coached_part"] is None
        assert "circumstances" not in slot_events(events)
    assert responses(dispatcher) == ["utter_part_kept", "utter_part_kept"]


async def test_rewrite_button_reopens_the_coached_part_not_the_last_one(dispatcher, domain):
    slots = {
        "requested_slot": "part_choice",
        "coached_part": "what_happened",
        "what_happened": WEAK,
        "circumstances": "I was in debt at the time.",
    }
    events = await ActionGoBack().run(dispatcher, make_tracker(slots=slots), domain)
    assert slot_events(events)["what_happened"] is None
    assert slot_events(events)["previous_answer"] == WEAK
    assert slot_events(events)["coached_part"] is None


async def test_no_more_tips(database_url, dispatcher, domain):
    tracker = make_tracker(slots={"requested_slot": "part_choice", "coached_part": "what_happened"})
    events = await ActionStopTips().run(dispatcher, tracker, domain)
    assert slot_events(events)["tips_off"] is True and slot_events(events)["coached_part"] is None
    consenting("c4")
    dispatcher.messages.clear()
    tracker = _answer("what_happened", WEAK, "c4", consent=True, tips_off=True)
    events = await ValidateDisclosureForm().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_part_saved"]
    assert slot_events(events)["requested_slot"] == "circumstances"
    assert saved_draft("c4").findings["what_happened"], "findings are still kept for the caseworker"
    dispatcher.messages.clear()
    short = {"what_happened": WEAK, "circumstances": "I was in debt."}
    await ActionFinishStatement().run(
        dispatcher, make_tracker("c4", slots={"tips_off": True, **short}), domain
    )
    assert "utter_coach_closing" not in responses(dispatcher)


async def test_safety_response_flags_and_stops_the_questions(database_url, dispatcher, domain):
    tracker = make_tracker(
        "s1",
        slots={"requested_slot": "feelings_now", "previous_answer": "I regret it."},
        active_loop="disclosure_form",
    )
    events = await ActionSafetySupport().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_safety_support", "utter_safety_carry_on"]
    assert deactivates_form(events)
    assert slot_events(events)["feelings_now"] == "I regret it."
    with session_scope() as session:
        assert len(flags.flags_for(session, "s1")) == 1
    text = domain["responses"]["utter_safety_support"][0]["text"]
    assert "116 123" in text and "111" in text and "999" in text


def test_the_safety_check_replaces_the_words_before_they_reach_the_conversation() -> None:
    assert outgoing("I want to end my life") == "/safety_concern"
    assert outgoing("I hurt someone and got 2 years") == "I hurt someone and got 2 years"
    assert outgoing("/skip_part") == "/skip_part"


async def test_hedged_blame_is_named_and_the_part_never_reads_clearly(
    database_url, dispatcher, domain
):
    """Each blaming phrase gets its own note; "It reads clearly" is not said."""
    text = "It wasn't really my fault and the police had it in for me. I got a fine for theft."
    await ValidateDisclosureForm().run(dispatcher, _answer("what_happened", text), domain)
    assert "utter_coach_no_suggestions" not in responses(dispatcher)
    said = uttered(dispatcher)[-1]["suggestions"]
    assert "wasn't really my fault" in said and "the police had it in for me" in said


async def test_change_shown_through_actions_is_named_as_a_strength(
    database_url, dispatcher, domain
):
    text = "I regret it. I held down a job at a warehouse for two years and I help others."
    await ValidateDisclosureForm().run(dispatcher, _answer("feelings_now", text), domain)
    assert "utter_coach_strength" in responses(dispatcher)
    assert "I held down a job" in uttered(dispatcher)[1]["strength"]
    assert told_page(dispatcher) == {"written": 1}  # the page counts parts if not saved
