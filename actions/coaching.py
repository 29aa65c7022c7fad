"""Coaching switches and safety: "no more tips", and the response to the safety check."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import choosing_after_feedback, done_with_feedback, pause_form
from actions.disclosure_form import restore_previous
from bot.store import flags
from bot.store.db import session_scope


class ActionStopTips(Action):
    """No feedback for the rest of the conversation; a part waiting for "rewrite or
    keep?" is kept."""

    def name(self) -> str:
        return "action_stop_tips"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_tips_off")
        events = [SlotSet("tips_off", True)]
        if choosing_after_feedback(tracker):
            events += [*done_with_feedback(), SlotSet("ask_style", None)]
        return events


class ActionSafetySupport(Action):
    """The safety check fired (bot/rest_client.py): stop coaching, reply with care and
    support routes, and flag the conversation for the caseworker."""

    def name(self) -> str:
        return "action_safety_support"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        where = ":".join(
            str(v) for v in (tracker.active_loop_name, tracker.get_slot("requested_slot")) if v
        )
        with session_scope() as session:
            flags.raise_flag(session, tracker.sender_id, where or "chat")
        dispatcher.utter_message(response="utter_safety_support")
        dispatcher.utter_message(response="utter_safety_carry_on")
        return [*restore_previous(tracker), *pause_form()]
