"""Sending the statement to the caseworker, and telling the candidate what the
caseworker decided. The rules live in bot.review.decisions."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import current_parts, saving_allowed
from bot.coaching.chat import bulleted
from bot.parts import TITLES
from bot.review import decisions
from bot.store import access, drafts
from bot.store.db import session_scope
from bot.store.models import KeyKind

SUBMIT_REPLIES = {
    decisions.Submitted.SUBMITTED: "utter_submitted",
    decisions.Submitted.NOT_SAVED: "utter_submit_not_saved",
    decisions.Submitted.INCOMPLETE: "utter_submit_incomplete",
    decisions.Submitted.ALREADY_SUBMITTED: "utter_submit_already_sent",
    decisions.Submitted.ALREADY_APPROVED: "utter_submit_already_approved",
}


def has_caseworker(sender_id: str) -> bool:
    """Whether this conversation came from a caseworker's invite (practice has none)."""
    with session_scope() as session:
        key = access.key_for_sender(session, sender_id)
        return bool(key and key.kind == KeyKind.INVITE and key.caseworker)


class ActionSubmitStatement(Action):
    """Sends the latest saved version to the caseworker for review."""

    def name(self) -> str:
        return "action_submit_statement"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        result = decisions.Submitted.NOT_SAVED
        if saving_allowed(tracker):
            linked = has_caseworker(tracker.sender_id)
            with session_scope() as session:
                drafts.save_parts(session, tracker.sender_id, current_parts(tracker))
                result = decisions.submit(session, tracker.sender_id, linked)
        dispatcher.utter_message(response=SUBMIT_REPLIES[result])
        return []


class ActionShowReview(Action):
    """Tells the candidate what their caseworker decided (sent by the chat page when
    a decision is waiting), and offers to work on the parts commented on."""

    def name(self) -> str:
        return "action_show_review"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        with session_scope() as session:
            notice = decisions.unseen_review(session, tracker.sender_id)
            decisions.mark_shown(session, tracker.sender_id)
        if notice is None:
            dispatcher.utter_message(response="utter_review_nothing_new")
        elif notice.decision == "approved":
            dispatcher.utter_message(response="utter_review_approved", version=notice.version)
        else:
            dispatcher.utter_message(
                response="utter_review_changes", version=notice.version, message=notice.message
            )
            comments = [
                f"{TITLES[part]}: {text}"
                for part in notice.parts_to_work_on()
                for text in notice.comments[part]
            ]
            if comments:
                dispatcher.utter_message(
                    response="utter_review_comments", comments=bulleted(comments)
                )
            dispatcher.utter_message(response="utter_review_work_on", buttons=_part_buttons(notice))
        return []


def _part_buttons(notice: decisions.ReviewNotice) -> list[dict[str, str]]:
    """A button per part the caseworker commented on (every part if none), and "Not now"."""
    parts = notice.parts_to_work_on() or list(TITLES)
    buttons = [
        {"title": f"Work on “{TITLES[p]}”", "payload": f'/go_back{{"part": "{p}"}}'} for p in parts
    ]
    return [*buttons, {"title": "Not now", "payload": "/stop"}]
