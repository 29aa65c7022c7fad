"""The four-part disclosure form: validating answers and everything a candidate
can do while a question is open (tips, examples, skip, go back, stop)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    NEXT_ASK_STYLE,
    answered_parts,
    choosing_after_feedback,
    current_parts,
    done_with_feedback,
    next_missing,
    offer_next_part,
    pause_form,
    saving_allowed,
    tell_page,
    written,
)
from bot.answers import Problem, check_answer, is_unsure, read_part_choice
from bot.coaching.chat import bulleted, part_feedback
from bot.parts import PARTS, TITLES, is_part, part_before, part_named
from bot.statement import word_count
from bot.store import drafts
from bot.store.db import session_scope

# Responses named in full so that a search for a response name finds its user.
WHY_NOT_TAKEN = {
    Problem.EMPTY: "utter_answer_empty",
    Problem.NOT_AN_ANSWER: "utter_answer_not_an_answer",
    Problem.TOO_SHORT: "utter_answer_too_short",
    Problem.QUESTION: "utter_answer_question",
    Problem.TOO_LONG: "utter_answer_too_long",
}
TIPS = {
    "what_happened": "utter_tips_what_happened",
    "circumstances": "utter_tips_circumstances",
    "feelings_now": "utter_tips_feelings_now",
    "aspirations": "utter_tips_aspirations",
}
EXAMPLES = {
    "what_happened": "utter_example_what_happened",
    "circumstances": "utter_example_circumstances",
    "feelings_now": "utter_example_feelings_now",
    "aspirations": "utter_example_aspirations",
}


# A reply to "rewrite it, or keep it?" this long is taken as the new version itself.
MIN_WORDS_OF_A_REWRITE = 5


def save_part(tracker: Tracker, part: str, text: str, findings: list[dict] | None = None) -> None:
    """Save one part at once (a crash mid-form loses nothing), if consent was given,
    with the coaching findings on it so a caseworker sees what the candidate was told."""
    if saving_allowed(tracker):
        with session_scope() as session:
            drafts.save_parts(session, tracker.sender_id, {part: text}, {part: findings or []})


def take_part(dispatcher: CollectingDispatcher, tracker: Tracker, part: str, text: str) -> bool:
    """Keep `text` as `part` (saved at once, with consent) and give the coaching
    feedback on it; False if the candidate turned tips off (no feedback given)."""
    coaching = part_feedback(part, text)
    save_part(tracker, part, text, coaching.findings_json())
    response = "utter_part_saved" if saving_allowed(tracker) else "utter_part_noted"
    dispatcher.utter_message(response=response)
    if tracker.get_slot("tips_off"):
        return False
    if coaching.strength:
        dispatcher.utter_message(response="utter_coach_strength", strength=coaching.strength)
    if coaching.suggestions:
        dispatcher.utter_message(
            response="utter_coach_suggestions", suggestions=bulleted(coaching.suggestions)
        )
    else:
        dispatcher.utter_message(response="utter_coach_no_suggestions")
    return True


def requested_part(tracker: Tracker) -> str | None:
    slot = tracker.get_slot("requested_slot")
    return slot if is_part(slot) else None


class ValidateDisclosureForm(FormValidationAction):
    """Checks each answer, saves good ones straight away with coaching feedback, asks
    whether to rewrite or keep the part, and re-asks gently."""

    def name(self) -> str:
        return "validate_disclosure_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """The four parts; "rewrite it, or keep it?" first while feedback is open."""
        if is_part(tracker.get_slot("coached_part")):
            return ["part_choice", *PARTS]
        return list(PARTS)

    def _validate_part(
        self, part: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") not in (part, "part_choice") and value:
            # Rasa re-validates parts already answered when the form starts again
            # (after a stop, or on "carry on"): they were checked and saved then.
            return {part: value}
        text = value if isinstance(value, str) else None
        problem = check_answer(text).problem
        if problem is not None or text is None:
            problem = problem or Problem.EMPTY
            return {part: None, "ask_style": not_taken(dispatcher, tracker, problem)}
        coached = take_part(dispatcher, tracker, part, text)
        tell_page(dispatcher, written=written({**current_parts(tracker), part: text}))
        slots = {part: text, "ask_style": None, "previous_answer": None, "part_choice": None}
        return {**slots, "coached_part": part if coached else None}

    async def validate_part_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """ "Rewrite" opens the part again; "keep" moves on; a new version typed straight
        away is taken as the rewrite."""
        part = tracker.get_slot("coached_part")
        if not is_part(part):
            return {"part_choice": None, "coached_part": None}
        text = value if isinstance(value, str) else ""
        choice = read_part_choice(text)
        if choice == "keep":
            dispatcher.utter_message(response="utter_part_kept")
            return {"part_choice": None, "coached_part": None, "ask_style": None}
        if choice == "rewrite":
            dispatcher.utter_message(response="utter_rewrite_part")
            return {
                part: None,
                "previous_answer": tracker.get_slot(part),
                "part_choice": None,
                "coached_part": None,
                "ask_style": None,
            }
        if check_answer(text).ok and word_count(text) >= MIN_WORDS_OF_A_REWRITE:
            return self._validate_part(part, text, dispatcher, tracker)
        dispatcher.utter_message(response="utter_part_choice_not_understood")
        return {"part_choice": None, "ask_style": NEXT_ASK_STYLE[tracker.get_slot("ask_style")]}

    async def validate_what_happened(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._validate_part("what_happened", value, dispatcher, tracker)

    async def validate_circumstances(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._validate_part("circumstances", value, dispatcher, tracker)

    async def validate_feelings_now(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._validate_part("feelings_now", value, dispatcher, tracker)

    async def validate_aspirations(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._validate_part("aspirations", value, dispatcher, tracker)


class ActionExplainPart(Action):
    """Tips for the open question, or an overview of the four parts."""

    def name(self) -> str:
        return "action_explain_part"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        part = requested_part(tracker)
        dispatcher.utter_message(response=TIPS[part] if part else "utter_explain_parts")
        return []


class ActionGiveExample(Action):
    """An example answer from a made-up candidate, then a nudge to use their own words."""

    def name(self) -> str:
        return "action_give_example"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        asked = requested_part(tracker)
        for part in [asked] if asked else PARTS:
            dispatcher.utter_message(response=EXAMPLES[part])
        dispatcher.utter_message(response="utter_example_own_words")
        return [SlotSet("ask_style", None)]


class ActionSkipPart(Action):
    """Leaves the open part for later: empty, or as it was if they were changing it."""

    def name(self) -> str:
        return "action_skip_part"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if choosing_after_feedback(tracker):
            dispatcher.utter_message(response="utter_part_kept")
            return [*done_with_feedback(), SlotSet("ask_style", None)]
        part = requested_part(tracker)
        if part is None:
            dispatcher.utter_message(response="utter_nothing_to_skip")
            return []
        previous = tracker.get_slot("previous_answer")
        if previous:
            dispatcher.utter_message(response="utter_kept_previous")
        else:
            save_part(tracker, part, "")
            dispatcher.utter_message(response="utter_skipped")
        return [
            SlotSet(part, previous or ""),
            SlotSet("previous_answer", None),
            SlotSet("ask_style", None),
        ]


class ActionRefusePart(Action):
    """Accepts "I don't want to talk about it" and offers a way out, no pressure.
    A "no" to "rewrite it?" keeps the part and moves on."""

    def name(self) -> str:
        return "action_refuse_part"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if choosing_after_feedback(tracker):
            dispatcher.utter_message(response="utter_part_kept")
            return [*done_with_feedback(), SlotSet("ask_style", None)]
        if is_unsure(tracker.latest_message.get("text")):  # "dunno" is not a refusal
            return [SlotSet("ask_style", not_taken(dispatcher, tracker, Problem.NOT_AN_ANSWER))]
        dispatcher.utter_message(response="utter_refuse_part")
        return [SlotSet("ask_style", "way_out")]


def not_taken(dispatcher: CollectingDispatcher, tracker: Tracker, problem: Problem) -> str:
    """Say why a reply was not taken as the part, and return how to ask again.

    The question asked with the ways out starts "That's OK...", so a "not sure"
    then gets no second "That's OK" before it: one kind reply at a time."""
    style = NEXT_ASK_STYLE[tracker.get_slot("ask_style")]
    if not (problem == Problem.NOT_AN_ANSWER and style == "way_out"):
        dispatcher.utter_message(response=WHY_NOT_TAKEN[problem])
    return style


def restore_previous(tracker: Tracker) -> list[dict[str, Any]]:
    """If they were part-way through changing a part, put the old text back."""
    part, previous = requested_part(tracker), tracker.get_slot("previous_answer")
    if part and previous:
        return [SlotSet(part, previous), SlotSet("previous_answer", None)]
    return []


class ActionStop(Action):
    """Stops for now. Everything answered so far stays (and is saved, with consent)."""

    def name(self) -> str:
        return "action_stop"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        restored = restore_previous(tracker)
        dispatcher.utter_message(response="utter_stopped")
        if answered_parts(tracker) or restored:
            saved = "utter_stopped_saved" if saving_allowed(tracker) else "utter_stopped_not_saved"
            dispatcher.utter_message(response=saved)
        return [*restored, *pause_form()]


class ActionPauseForm(Action):
    """Sets the questions aside while the candidate confirms something else."""

    def name(self) -> str:
        return "action_pause_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return [*restore_previous(tracker), *pause_form()]


class ActionChoosePart(Action):
    """Asks which part to change, with a button for each."""

    def name(self) -> str:
        return "action_choose_part"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_ask_which_part")
        return [*restore_previous(tracker), *pause_form()]


class ActionGoBack(Action):
    """Opens a part again: the one named, or the one before. Other answers are kept."""

    def name(self) -> str:
        return "action_go_back"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        events = restore_previous(tracker)
        # The words first ("the first bit" names part 1 however the model reads
        # it), then the model's entity.
        named = part_named(tracker.latest_message.get("text")) or next(
            tracker.get_latest_entity_values("part"), None
        )
        answered = answered_parts(tracker)
        coached = choosing_after_feedback(tracker)  # "rewrite it" after feedback
        if is_part(named):
            part = named
        elif coached:
            part = coached
        else:
            part = part_before(requested_part(tracker), answered)
        previous = (tracker.get_slot(part) or "").strip()
        for event in events:  # the part being changed may be the one just restored
            if event["name"] == part:
                previous = event["value"]
        if previous:
            dispatcher.utter_message(response="utter_going_back", previous=previous)
            tell_page(dispatcher, edit=previous)  # the box starts with it: edit, not retype
        else:
            dispatcher.utter_message(response="utter_going_back_empty")
        return [
            *events,
            *done_with_feedback(),
            SlotSet(part, None),
            SlotSet("previous_answer", previous or None),
            SlotSet("ask_style", None),
        ]


class ActionOfferNextPart(Action):
    """After a question or small talk outside the questions: the next part, offered."""

    def name(self) -> str:
        return "action_offer_next_part"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        offer_next_part(dispatcher, tracker)
        return []


class ActionAnswerOutsideForm(Action):
    """Statement text typed when no question is open: after a side trip with parts
    still to do, it is taken as the next missing part (never dropped); otherwise
    the candidate is told how to work on the statement."""

    def name(self) -> str:
        return "action_answer_outside_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        part = next_missing(tracker)
        if part is None or tracker.get_slot("consent") is None or not check_answer(text).ok:
            dispatcher.utter_message(response="utter_answer_outside_form")
            return []
        dispatcher.utter_message(
            response="utter_taken_as_part", number=PARTS.index(part) + 1, title=TITLES[part]
        )
        take_part(dispatcher, tracker, part, text)
        tell_page(dispatcher, written=written({**current_parts(tracker), part: text}))
        offer_next_part(dispatcher, tracker, also_done=part)
        return [SlotSet(part, text), SlotSet("ask_style", None)]
