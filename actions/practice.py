"""Practising disclosure with an employer: a form that asks the employer's questions
and gives feedback on each answer, then a summary. The questions and the scoring
live in bot/practice, the trainers' changes to the questions in
bot/training/questions (read at each step, so they reach the next round without a
restart); this file moves values between Rasa slots and them."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import NEXT_ASK_STYLE, saving_allowed
from bot.answers import check_answer
from bot.practice.bank import guide_at, question_at, read_job, read_setting, round_questions
from bot.practice.score import score_answer, summarise, summary_text
from bot.store import practice
from bot.store.db import session_scope
from bot.training.questions import live_bank

PRACTICE_SLOTS = (
    "practice_job",
    "practice_setting",
    "practice_answer",
    "practice_questions",
    "practice_step",
    "practice_question",
    "practice_notes",
    "practice_done",
)


def clear_practice() -> list[dict[str, Any]]:
    """Events that forget the round in progress (the statement is untouched)."""
    return [SlotSet(slot, None) for slot in (*PRACTICE_SLOTS, "ask_style")]


def _step(tracker: Tracker) -> int:
    return int(tracker.get_slot("practice_step") or 0)


def _ids(tracker: Tracker) -> list[str]:
    return list(tracker.get_slot("practice_questions") or [])


def _go_to(tracker: Tracker, step: int) -> dict[str, Any]:
    """Slots for asking the question at `step`, or ending the round after the last."""
    setting = tracker.get_slot("practice_setting") or ""
    question = question_at(setting, _ids(tracker), step, among=live_bank())
    return {
        "practice_step": float(step),
        "practice_question": question,
        "practice_done": question is None,
        "practice_answer": None,
        "ask_style": None,
    }


class ActionStartPractice(Action):
    """Explains practice mode and starts a new round."""

    def name(self) -> str:
        return "action_start_practice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_practice_intro")
        rounds = float(tracker.get_slot("practice_round") or 0) + 1
        return [*clear_practice(), SlotSet("practice_round", rounds)]


class ValidatePracticeForm(FormValidationAction):
    """Job, setting, then one answer per question, each with feedback."""

    def name(self) -> str:
        return "validate_practice_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if tracker.get_slot("practice_done"):
            return []
        return ["practice_job", "practice_setting", "practice_answer"]

    async def validate_practice_job(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:  # cleared by action_start_practice: nothing said yet
            return {}
        job = read_job(value if isinstance(value, str) else None)
        if job is None:
            dispatcher.utter_message(response="utter_practice_not_understood_job")
            return {
                "practice_job": None,
                "ask_style": NEXT_ASK_STYLE[tracker.get_slot("ask_style")],
            }
        return {"practice_job": job, "ask_style": None}

    async def validate_practice_setting(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:  # cleared by action_start_practice: nothing said yet
            return {}
        setting = read_setting(value if isinstance(value, str) else None)
        job = tracker.get_slot("practice_job")
        if setting is None or job is None:
            dispatcher.utter_message(response="utter_practice_not_understood_setting")
            return {
                "practice_setting": None,
                "ask_style": NEXT_ASK_STYLE[tracker.get_slot("ask_style")],
            }
        rounds = int(tracker.get_slot("practice_round") or 1)
        ids = [q.id for q in round_questions(job, setting, rounds - 1, among=live_bank())]
        return {
            "practice_setting": setting,
            "practice_questions": ids,
            "practice_notes": [],
            "practice_step": 0.0,
            "practice_question": question_at(setting, ids, 0),
            "practice_done": False,
            "ask_style": None,
        }

    async def validate_practice_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:  # cleared by action_start_practice: nothing said yet
            return {}
        text = value if isinstance(value, str) else None
        if text is None or not check_answer(text).ok:
            dispatcher.utter_message(response="utter_practice_answer_tip")
            return {
                "practice_answer": None,
                "ask_style": NEXT_ASK_STYLE[tracker.get_slot("ask_style")],
            }
        # Judged on what the question asked is about, not on all four parts.
        asked, covers = guide_at(_ids(tracker), _step(tracker), among=live_bank())
        result = score_answer(text, asked, covers)
        dispatcher.utter_message(
            response="utter_practice_feedback", feedback="\n".join(result.lines())
        )
        notes = [*(tracker.get_slot("practice_notes") or []), result.to_note()]
        return {**_go_to(tracker, _step(tracker) + 1), "practice_notes": notes}


class ActionPracticeRetry(Action):
    """ "Try again": the last question once more; its earlier answer no longer counts."""

    def name(self) -> str:
        return "action_practice_retry"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        step, notes = _step(tracker), list(tracker.get_slot("practice_notes") or [])
        if step > 0 and len(notes) >= 1:
            step, notes = step - 1, notes[:-1]
        slots = {**_go_to(tracker, step), "practice_notes": notes}
        dispatcher.utter_message(
            response="utter_practice_retry", question=slots["practice_question"]
        )
        return [SlotSet(name, value) for name, value in slots.items()]


class ActionPracticeSkip(Action):
    """Moves on to the next question without an answer."""

    def name(self) -> str:
        return "action_practice_skip"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if tracker.get_slot("practice_setting") is None:  # nothing asked yet
            dispatcher.utter_message(response="utter_practice_finish_first")
            return []
        dispatcher.utter_message(response="utter_practice_skipped")
        return [SlotSet(name, value) for name, value in _go_to(tracker, _step(tracker) + 1).items()]


class ActionPracticeSummary(Action):
    """The end of a round: what went well, what to work on, kept for the caseworker."""

    def name(self) -> str:
        return "action_practice_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        notes = list(tracker.get_slot("practice_notes") or [])
        summary = summarise(notes)
        asked = len(_ids(tracker)) + 1
        dispatcher.utter_message(
            response="utter_practice_summary", summary=summary_text(summary, asked)
        )
        saved = None
        if saving_allowed(tracker) and notes:
            with session_scope() as session:
                saved = practice.save_round(
                    session,
                    tracker.sender_id,
                    tracker.get_slot("practice_job") or "",
                    tracker.get_slot("practice_setting") or "",
                    summary.to_json(),
                )
        if saved:
            dispatcher.utter_message(response="utter_practice_saved")
        elif not saving_allowed(tracker):
            dispatcher.utter_message(response="utter_practice_not_saved")
        dispatcher.utter_message(response="utter_practice_next")
        return clear_practice()


class ActionStopPractice(Action):
    """Leaves practice at any point; the statement is exactly as it was."""

    def name(self) -> str:
        return "action_stop_practice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_practice_stopped")
        return [*clear_practice(), ActiveLoop(None), SlotSet("requested_slot", None)]
