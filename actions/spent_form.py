"""The spent checker in the chat: a form of short questions, then the result.

The reading of answers and the rules live in bot/spent; this file only moves
values between Rasa slots and bot.spent.chat.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import NEXT_ASK_STYLE, latest_intent
from bot.spent.chat import (
    LENGTH_NEEDED,
    MAX_CONVICTIONS,
    SLOTS,
    finished_conviction,
    read_answer,
    request_for,
    required_slots,
)
from bot.spent.explain import explain
from bot.spent.words import result_text

NOT_UNDERSTOOD = {
    "spent_place": "utter_spent_not_understood_place",
    "spent_date": "utter_spent_not_understood_date",
    "spent_under_18": "utter_spent_not_understood_under_18",
    "spent_outcome": "utter_spent_not_understood_outcome",
    "spent_length": "utter_spent_not_understood_length",
    "spent_another": "utter_spent_not_understood_another",
}
# Intents that leave the check for the statement: the greeting that follows says so.
TO_STATEMENT = frozenset({"skip_part", "start_statement"})


def _answers(tracker: Tracker) -> dict[str, Any]:
    return {slot: tracker.get_slot(slot) for slot in SLOTS}


def clear_check() -> list[dict[str, Any]]:
    """Events that forget the checker's answers: nothing of the check is kept."""
    slots = [*SLOTS, "spent_convictions", "spent_next_one", "ask_style", "requested_slot"]
    return [SlotSet(slot, None) for slot in slots]


class ActionStartSpentCheck(Action):
    """Says what the check is, and starts it from a clean slate."""

    def name(self) -> str:
        return "action_start_spent_check"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_spent_intro")
        return clear_check()


class ValidateSpentForm(FormValidationAction):
    """Reads each answer; an answer it cannot read is asked again with an example,
    and after the second miss the question offers a way out."""

    def name(self) -> str:
        return "validate_spent_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return required_slots(_answers(tracker))

    def _validate(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        if value is None:
            return {}  # cleared by starting the check, not answered: nothing to read
        text = value if isinstance(value, str) else ""
        kept = read_answer(slot, text, _answers(tracker), date.today())
        if kept is None or kept == LENGTH_NEEDED:
            response = "utter_spent_length_needed" if kept else NOT_UNDERSTOOD[slot]
            dispatcher.utter_message(response=response)
            return {slot: None, "ask_style": NEXT_ASK_STYLE[tracker.get_slot("ask_style")]}
        return {slot: kept, "ask_style": None}

    async def validate_spent_place(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._validate("spent_place", value, dispatcher, tracker)

    async def validate_spent_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._validate("spent_date", value, dispatcher, tracker)

    async def validate_spent_under_18(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._validate("spent_under_18", value, dispatcher, tracker)

    async def validate_spent_outcome(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._validate("spent_outcome", value, dispatcher, tracker)

    async def validate_spent_length(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._validate("spent_length", value, dispatcher, tracker)

    async def validate_spent_another(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        result = self._validate("spent_another", value, dispatcher, tracker)
        if result.get("spent_another") is None:
            return result
        kept = [
            *(tracker.get_slot("spent_convictions") or []),
            finished_conviction(_answers(tracker)),
        ]
        result["spent_convictions"] = kept
        if result["spent_another"] == "yes":
            if len(kept) >= MAX_CONVICTIONS:
                dispatcher.utter_message(response="utter_spent_limit")
                result["spent_another"] = "no"
            else:
                # Ask about the next one: the same questions, from the date on.
                result.update({slot: None for slot in SLOTS if slot != "spent_place"})
                result["spent_next_one"] = True
        return result


class ActionSpentResult(Action):
    """The answer in plain English, then the way on to the statement."""

    def name(self) -> str:
        return "action_spent_result"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if tracker.get_slot("spent_place") == "elsewhere":
            paragraphs = [result_text("elsewhere"), result_text("disclaimer")]
        else:
            request, precisions = request_for(
                tracker.get_slot("spent_convictions") or [], date.today()
            )
            paragraphs = explain(request, precisions)
        for paragraph in paragraphs:
            dispatcher.utter_message(text=paragraph)
        dispatcher.utter_message(response="utter_spent_next")
        return [*clear_check(), SlotSet("spent_checked", True)]


class ActionStopSpentCheck(Action):
    """Leaves the check, forgetting its answers; to the statement if that was asked."""

    def name(self) -> str:
        return "action_stop_spent_check"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if latest_intent(tracker) not in TO_STATEMENT:
            dispatcher.utter_message(response="utter_spent_stopped")
        return [ActiveLoop(None), *clear_check(), SlotSet("spent_checked", True)]
