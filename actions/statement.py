"""The statement as a whole: showing it, finishing it, starting again, deleting it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import current_parts, offer_next_part, saving_allowed, tell_page
from actions.review import has_caseworker
from bot.coaching.chat import bulleted, closing_suggestions
from bot.parts import PARTS, TITLES
from bot.statement import assemble, titled
from bot.store import drafts
from bot.store.db import forget_deleted, session_scope


def _save_all(tracker: Tracker) -> None:
    if saving_allowed(tracker):
        with session_scope() as session:
            drafts.save_parts(session, tracker.sender_id, current_parts(tracker))


class ActionFinishStatement(Action):
    """Shows the assembled statement with its length and speaking time."""

    def name(self) -> str:
        return "action_finish_statement"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        _save_all(tracker)
        parts = current_parts(tracker)
        statement = assemble(parts)
        if statement.answered:
            dispatcher.utter_message(response="utter_statement_ready", statement=statement.text)
            dispatcher.utter_message(
                response="utter_statement_length",
                words=statement.words,
                speaking_time=statement.speaking_time,
            )
        if statement.missing:
            missing = ", ".join(TITLES[p].lower() for p in statement.missing)
            dispatcher.utter_message(response="utter_statement_missing", missing=missing)
        suggestions = [] if tracker.get_slot("tips_off") else closing_suggestions(parts)
        if suggestions and statement.answered:
            dispatcher.utter_message(
                response="utter_coach_closing", suggestions=bulleted(suggestions)
            )
        dispatcher.utter_message(response="utter_ask_happy")
        return []


class ActionSaveStatement(Action):
    """The candidate is happy with it: make sure the latest text is saved, and say so."""

    def name(self) -> str:
        return "action_save_statement"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        _save_all(tracker)
        if not saving_allowed(tracker):
            dispatcher.utter_message(response="utter_statement_not_saved")
        elif has_caseworker(tracker.sender_id):
            dispatcher.utter_message(response="utter_statement_saved_for_review")
        else:
            dispatcher.utter_message(response="utter_statement_saved")
        return []


class ActionShowStatement(Action):
    """The draft so far, part by part."""

    def name(self) -> str:
        return "action_show_statement"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        parts = current_parts(tracker)
        if any(text.strip() for text in parts.values()):
            dispatcher.utter_message(response="utter_show_statement", statement=titled(parts))
        else:
            dispatcher.utter_message(response="utter_no_statement_yet")
        if tracker.active_loop_name != "disclosure_form":  # in the questions, it asks again
            offer_next_part(dispatcher, tracker)
        return []


class ActionStartAgain(Action):
    """A new, empty statement. The old one stays in the history."""

    def name(self) -> str:
        return "action_start_again"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if saving_allowed(tracker):
            with session_scope() as session:
                drafts.start_again(session, tracker.sender_id)
        dispatcher.utter_message(response="utter_started_again")
        tell_page(dispatcher, written=0)
        return [
            *(SlotSet(p, None) for p in PARTS),
            SlotSet("previous_answer", None),
            SlotSet("ask_style", None),
        ]


class ActionDeleteData(Action):
    """Deletes the candidate's drafts now. Resetting every slot withdraws consent, so the
    tracker store (rasa_addons/tracker_store.py) deletes the stored conversation when
    it saves this turn, and keeps nothing of it in memory."""

    def name(self) -> str:
        return "action_delete_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        with session_scope() as session:
            drafts.delete_candidate(session, tracker.sender_id)
            forget_deleted(session)
        dispatcher.utter_message(response="utter_deleted")
        return [AllSlotsReset(), ActiveLoop(None)]
