import pytest

from actions.disclosure_form import (
    ActionChoosePart,
    ActionExplainPart,
    ActionGiveExample,
    ActionGoBack,
    ActionRefusePart,
    ActionSkipPart,
    ActionStop,
    ValidateDisclosureForm,
)
from bot.parts import PARTS
from tests.conftest import (
    consenting,
    deactivates_form,
    form_answer_tracker,
    make_tracker,
    responses,
    saved_draft,
    slot_events,
    told_page,
)


def _answer_tracker(part, text, sender="f1", **slots):
    return form_answer_tracker("disclosure_form", part, text, sender, "answer", slots)


async def test_a_good_answer_is_saved_at_once(database_url, dispatcher, domain):
    consenting("f1")
    text = "In 2019 I was convicted of theft and got a fine"
    tracker = _answer_tracker("what_happened", text, consent=True)
    events = await ValidateDisclosureForm().run(dispatcher, tracker, domain)
    assert slot_events(events)["what_happened"] == text
    assert saved_draft("f1").parts["what_happened"] == text
    assert responses(dispatcher) == [
        "utter_part_saved",
        "utter_coach_strength",
        "utter_coach_no_suggestions",
    ]


async def test_without_consent_a_good_answer_is_kept_but_notsaved_draft(
    database_url, dispatcher, domain
):
    text = "I was using drugs and I was in debt"
    tracker = _answer_tracker("circumstances", text, sender="nc", consent=False)
    events = await ValidateDisclosureForm().run(dispatcher, tracker, domain)
    assert slot_events(events)["circumstances"] == text
    assert saved_draft("nc") is None
    assert responses(dispatcher)[0] == "utter_part_noted"


async def test_a_short_answer_gets_a_tip_then_a_way_out(database_url, dispatcher, domain):
    tracker = _answer_tracker("what_happened", "theft", consent=True)
    events = await ValidateDisclosureForm().run(dispatcher, tracker, domain)
    assert slot_events(events) == {
        "what_happened": None,
        "ask_style": "retry",
        "requested_slot": "what_happened",
    }
    assert responses(dispatcher) == ["utter_answer_too_short"]

    tracker = _answer_tracker("what_happened", "idk", consent=True, ask_style="retry")
    events = await ValidateDisclosureForm().run(dispatcher, tracker, domain)
    assert slot_events(events) == {
        "what_happened": None,
        "ask_style": "way_out",
        "requested_slot": "what_happened",
    }


def _way_out_text(domain: dict) -> str:
    ask = domain["responses"]["utter_ask_what_happened"]
    return next(v for v in ask if v.get("condition", [{}])[0].get("value") == "way_out")["text"]


@pytest.mark.parametrize("intent", ["answer", "deny", "refuse_part"])
async def test_dunno_twice_gets_one_kind_reply_each_time_and_is_never_a_refusal(
    dispatcher, domain, intent
):
    """However the model reads "dunno": a kind word and a tip, then the ways out
    (which start "That's OK") with no second "That's OK" before them."""
    replies = []
    style = None
    for _ in range(2):
        dispatcher.messages.clear()
        tracker = form_answer_tracker("disclosure_form", "what_happened", "dunno", "f9", intent,
                                      {"ask_style": style})  # fmt: skip
        if intent == "answer":
            slots = slot_events(await ValidateDisclosureForm().run(dispatcher, tracker, domain))
        else:
            slots = slot_events(await ActionRefusePart().run(dispatcher, tracker, domain))
        style = slots["ask_style"]
        replies.append(responses(dispatcher))
    assert replies == [["utter_answer_not_an_answer"], []]
    assert style == "way_out" and _way_out_text(domain).startswith("That's OK")


async def test_the_way_out_prompt_differs_from_the_first_ask(domain):
    ask = domain["responses"]["utter_ask_what_happened"]
    texts = [v["text"] for v in ask]
    assert len(set(texts)) == 3, "first ask, retry tip and way out must all differ"
    way_out = next(v for v in ask if v.get("condition", [{}])[0].get("value") == "way_out")
    payloads = {b["payload"] for b in way_out["buttons"]}
    assert payloads == {"/skip_part", "/ask_example", "/stop", "/ask_person"}


async def test_tips_and_examples_follow_the_open_question(dispatcher, domain):
    tracker = make_tracker(slots={"requested_slot": "feelings_now"})
    await ActionExplainPart().run(dispatcher, tracker, domain)
    await ActionGiveExample().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == [
        "utter_tips_feelings_now",
        "utter_example_feelings_now",
        "utter_example_own_words",
    ]


async def test_tips_with_no_open_question_explain_the_parts(dispatcher, domain):
    await ActionExplainPart().run(dispatcher, make_tracker(), domain)
    assert responses(dispatcher) == ["utter_explain_parts"]


async def test_skip_stores_the_part_empty(database_url, dispatcher, domain):
    consenting("sk", {"what_happened": "I stole a car in 2019."})
    tracker = make_tracker(
        "sk",
        slots={
            "consent": True,
            "requested_slot": "circumstances",
            "what_happened": "I stole a car in 2019.",
        },
    )
    events = await ActionSkipPart().run(dispatcher, tracker, domain)
    assert slot_events(events)["circumstances"] == ""
    assert saved_draft("sk").parts == {
        "what_happened": "I stole a car in 2019.",
        "circumstances": "",
        "feelings_now": "",
        "aspirations": "",
    }
    assert responses(dispatcher) == ["utter_skipped"]


async def test_skip_while_changing_a_part_keeps_what_was_there(dispatcher, domain):
    tracker = make_tracker(
        slots={"requested_slot": "what_happened", "previous_answer": "I stole a car."}
    )
    events = await ActionSkipPart().run(dispatcher, tracker, domain)
    assert slot_events(events)["what_happened"] == "I stole a car."
    assert responses(dispatcher) == ["utter_kept_previous"]


async def test_skip_with_no_open_question(dispatcher, domain):
    assert await ActionSkipPart().run(dispatcher, make_tracker(), domain) == []
    assert responses(dispatcher) == ["utter_nothing_to_skip"]


async def test_refusing_offers_the_way_out(dispatcher, domain):
    events = await ActionRefusePart().run(dispatcher, make_tracker(), domain)
    assert slot_events(events) == {"ask_style": "way_out"}
    assert responses(dispatcher) == ["utter_refuse_part"]


TWO_ANSWERED = {"what_happened": "I stole a car.", "circumstances": "I was in debt."}


async def test_go_back_to_a_named_part_keeps_every_other_answer(dispatcher, domain):
    tracker = make_tracker(
        slots={"requested_slot": "feelings_now", **TWO_ANSWERED},
        intent="go_back",
        entities=[{"entity": "part", "value": "what_happened"}],
    )
    events = await ActionGoBack().run(dispatcher, tracker, domain)
    slots = slot_events(events)
    assert slots["what_happened"] is None
    assert slots["previous_answer"] == "I stole a car."
    assert "circumstances" not in slots
    assert dispatcher.messages[0]["previous"] == "I stole a car."


@pytest.mark.parametrize(
    ("said", "part"),
    [
        ("go back to the first bit", "what_happened"),
        ("can I change part 1", "what_happened"),
        ("I want to change the bit about my sentence", "what_happened"),
        ("change what I said about my job", "aspirations"),
    ],
)
async def test_go_back_opens_the_part_named_in_words_the_model_did_not_tag(
    dispatcher, domain, said, part
):
    """With part 3 open and no entity, the words decide: never the part before."""
    answered = {**TWO_ANSWERED, "aspirations": "I want to be a chef."}
    tracker = make_tracker(slots={"requested_slot": "feelings_now", **answered},
                           intent="go_back", text=said)  # fmt: skip
    slots = slot_events(await ActionGoBack().run(dispatcher, tracker, domain))
    assert slots[part] is None and slots["previous_answer"] == answered[part]
    assert [p for p in PARTS if p in slots] == [part]
    # The page's box starts with the part's text, to edit rather than retype.
    assert told_page(dispatcher) == {"edit": answered[part]}


async def test_go_back_without_a_part_opens_the_one_before(dispatcher, domain):
    tracker = make_tracker(
        slots={"requested_slot": "feelings_now", **TWO_ANSWERED},
        intent="go_back",
    )
    events = await ActionGoBack().run(dispatcher, tracker, domain)
    assert slot_events(events)["circumstances"] is None


async def test_going_back_twice_restores_the_first_part_being_changed(dispatcher, domain):
    tracker = make_tracker(
        slots={
            "requested_slot": "circumstances",
            "previous_answer": "I was in debt.",
            "what_happened": "I stole a car.",
        },
        intent="go_back",
        entities=[{"entity": "part", "value": "what_happened"}],
    )
    slots = slot_events(await ActionGoBack().run(dispatcher, tracker, domain))
    assert slots["circumstances"] == "I was in debt."
    assert slots["what_happened"] is None
    assert slots["previous_answer"] == "I stole a car."


async def test_stop_pauses_and_loses_nothing(dispatcher, domain):
    tracker = make_tracker(
        slots={
            "consent": True,
            "requested_slot": "what_happened",
            "previous_answer": "I stole a car.",
        },
        active_loop="disclosure_form",
    )
    events = await ActionStop().run(dispatcher, tracker, domain)
    assert slot_events(events)["what_happened"] == "I stole a car."
    assert deactivates_form(events)
    assert responses(dispatcher) == ["utter_stopped", "utter_stopped_saved"]


async def test_choose_part_offers_a_button_per_part(dispatcher, domain):
    events = await ActionChoosePart().run(dispatcher, make_tracker(), domain)
    assert responses(dispatcher) == ["utter_ask_which_part"]
    assert deactivates_form(events)
    buttons = domain["responses"]["utter_ask_which_part"][0]["buttons"]
    assert len(buttons) == 5


async def test_pausing_for_a_confirmation_keeps_a_part_being_changed(dispatcher, domain):
    from actions.disclosure_form import ActionPauseForm

    tracker = make_tracker(
        slots={"requested_slot": "circumstances", "previous_answer": "I was in debt."},
        active_loop="disclosure_form",
    )
    events = await ActionPauseForm().run(dispatcher, tracker, domain)
    assert slot_events(events)["circumstances"] == "I was in debt."
    assert deactivates_form(events)
    assert dispatcher.messages == []
