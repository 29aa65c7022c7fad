"""Small helpers shared by the actions: reading the tracker, reaching the store."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.parts import PARTS, TITLES

# After a failed try a question comes back as a tip; after the second, with a way out.
NEXT_ASK_STYLE = {None: "retry", "retry": "way_out", "way_out": "way_out"}


def saving_allowed(tracker: Tracker) -> bool:
    """True only when the candidate said yes to saving."""
    return tracker.get_slot("consent") is True


def current_parts(tracker: Tracker) -> dict[str, str]:
    """The four parts as the conversation holds them now ("" for none)."""
    return {p: tracker.get_slot(p) or "" for p in PARTS}


def answered_parts(tracker: Tracker) -> set[str]:
    return {p for p, text in current_parts(tracker).items() if text.strip()}


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message or {}).get("intent", {}).get("name")


def pause_form() -> list[dict[str, Any]]:
    """Events that set the questions aside without losing any answer (a part waiting
    for "rewrite or keep?" is kept as it is)."""
    return [
        ActiveLoop(None),
        SlotSet("requested_slot", None),
        SlotSet("ask_style", None),
        *done_with_feedback(),
    ]


def done_with_feedback() -> list[dict[str, Any]]:
    """Events that close "rewrite it, or keep it?": the part stays as it was saved."""
    return [SlotSet("coached_part", None), SlotSet("part_choice", None)]


def choosing_after_feedback(tracker: Tracker) -> str | None:
    """The part whose feedback the candidate is answering, if that is the open question."""
    part = tracker.get_slot("coached_part")
    if tracker.get_slot("requested_slot") == "part_choice" and part in PARTS:
        return part
    return None


def consent_question_answered(tracker: Tracker) -> bool:
    """Whether the consent form asked its question in this run, rather than finding
    the answer already known (a returning candidate)."""
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") == "action_greet":
            return False
        if (
            event.get("event") == "slot"
            and event.get("name") == "requested_slot"
            and event.get("value") == "consent"
        ):
            return True
    return False


def next_missing(tracker: Tracker, also_done: str | None = None) -> str | None:
    """The first part still to do, after a side trip (None when all four are done)."""
    parts = current_parts(tracker)
    return next((p for p in PARTS if p != also_done and not parts[p].strip()), None)


def offer_next_part(
    dispatcher: CollectingDispatcher, tracker: Tracker, also_done: str | None = None
) -> None:
    """Outside the questions, with the statement started and a part still to do:
    offer to carry on with it, saying a typed answer will do."""
    part = next_missing(tracker, also_done)
    if part is None or tracker.get_slot("consent") is None:
        return
    dispatcher.utter_message(
        response="utter_offer_next_part", number=PARTS.index(part) + 1, title=TITLES[part]
    )


def tell_page(dispatcher: CollectingDispatcher, **values: Any) -> None:
    """A message for the chat page itself, not shown as text (bot.web.api passes
    on `edit`: the text to put in the box for a rewrite, and `written`: how many
    parts this chat has written, which the page shows when nothing is saved)."""
    dispatcher.utter_message(json_message=values)


def written(parts: dict[str, str]) -> int:
    return sum(1 for part in PARTS if (parts.get(part) or "").strip())
