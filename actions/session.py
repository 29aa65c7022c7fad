"""Starting and resuming a conversation, and the consent to saving."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import answered_parts, consent_question_answered, latest_intent
from actions.review import has_caseworker
from bot.parts import PARTS
from bot.store import drafts
from bot.store.db import session_scope


def _saved_slots(sender_id: str) -> list[dict[str, Any]]:
    """Slots for what the store holds: consent, and each part that has text."""
    with session_scope() as session:
        if drafts.find_candidate(session, sender_id) is None:
            return []
        events = [SlotSet("consent", True)]
        draft = drafts.latest_draft(session, sender_id)
        if draft:
            events += [SlotSet(p, draft.parts[p]) for p in draft.answered()]
        return events


def _is_explicit_session_start(tracker: Tracker) -> bool:
    """True when the candidate's own message asked for a new session ("/session_start").

    Rasa also runs this action by itself before the first message of a session; then
    no user message has arrived since the last action, and the message that follows
    gets its own reply.
    """
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return latest_intent(tracker) == "session_start"
        if event.get("event") == "action":
            return False
    return False


class ActionSessionStart(Action):
    """Loads the saved draft into a new session. A candidate who did not consent
    starts fresh: nothing of theirs was saved."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        saved = _saved_slots(tracker.sender_id)
        if _is_explicit_session_start(tracker):
            parts_done = sum(1 for e in saved if e["name"] in PARTS)
            if saved:
                dispatcher.utter_message(
                    response="utter_session_start_returning", parts_done=parts_done
                )
            else:
                dispatcher.utter_message(response="utter_session_start_new")
        # "No more tips" holds for the whole conversation, not just this session.
        carried = [SlotSet("tips_off", True)] if tracker.get_slot("tips_off") else []
        invited = SlotSet("invited", has_caseworker(tracker.sender_id))
        return [SessionStarted(), invited, *saved, *carried, ActionExecuted("action_listen")]


class ActionGreet(Action):
    """Hello for someone new; welcome back, with their progress, for someone returning."""

    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if tracker.get_slot("consent") is None:
            dispatcher.utter_message(response="utter_greet_new")
        elif latest_intent(tracker) in ("start_statement", "skip_part"):
            dispatcher.utter_message(response="utter_carry_on")
        else:
            dispatcher.utter_message(
                response="utter_welcome_back", parts_done=len(answered_parts(tracker))
            )
        return []


class ActionRecordConsent(Action):
    """Runs when the consent form is done: saves the yes, explains the four parts."""

    def name(self) -> str:
        return "action_record_consent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if consent_question_answered(tracker):
            if tracker.get_slot("consent") is True:
                with session_scope() as session:
                    drafts.record_consent(session, tracker.sender_id)
                dispatcher.utter_message(response="utter_consent_given")
            else:
                dispatcher.utter_message(response="utter_consent_declined")
            dispatcher.utter_message(response="utter_explain_parts")
            if not tracker.get_slot("spent_checked"):
                dispatcher.utter_message(response="utter_offer_spent_check")
        elif not answered_parts(tracker):
            dispatcher.utter_message(response="utter_explain_parts")
        return []
