"""The checker's conversation, without Rasa: reading each answer into the value
kept in its slot, and turning the finished answers into a Request.

actions/spent_form.py translates between this and Rasa.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.spent.answers import (
    asks_length,
    build_sentence,
    length_from_slot,
    length_to_slot,
    read_length,
    read_outcome,
    read_place,
    read_when,
    read_yes_no,
)
from bot.spent.dates import Length
from bot.spent.model import Conviction, Request

SLOTS = (
    "spent_place",
    "spent_date",
    "spent_under_18",
    "spent_outcome",
    "spent_length",
    "spent_another",
)
MAX_CONVICTIONS = 10
LENGTH_NEEDED = "length_needed"  # a length is needed, not "no length" or "until further order"
LENGTH_REQUIRED = frozenset({"custody", "suspended_custody"})


def required_slots(answers: dict[str, Any]) -> list[str]:
    """The questions still to ask: none after "elsewhere"; no length when none applies."""
    if answers.get("spent_place") == "elsewhere":
        return ["spent_place"]
    outcome = answers.get("spent_outcome")
    return [s for s in SLOTS if s != "spent_length" or outcome is None or asks_length(outcome)]


def read_answer(slot: str, text: str, answers: dict[str, Any], today: date) -> str | None:
    """The value to keep for this answer, None when it cannot be read, or
    LENGTH_NEEDED when custody was given no length."""
    if slot == "spent_place":
        return read_place(text)
    if slot == "spent_date":
        when = read_when(text, today)
        return f"{when.day.isoformat()}|{when.precision}" if when else None
    if slot in ("spent_under_18", "spent_another"):
        answer = read_yes_no(text)
        return None if answer is None else ("yes" if answer else "no")
    if slot == "spent_outcome":
        return read_outcome(text)
    if slot == "spent_length":
        length = read_length(text)
        if length is None:
            return None
        if answers.get("spent_outcome") in LENGTH_REQUIRED and not isinstance(length, Length):
            return LENGTH_NEEDED
        return length_to_slot(length)
    raise ValueError(f"not a checker slot: {slot}")


def finished_conviction(answers: dict[str, Any]) -> dict[str, Any]:
    """One answered conviction, as kept in the spent_convictions slot (JSON-safe)."""
    day, precision = answers["spent_date"].split("|")
    return {
        "date": day,
        "precision": precision,
        "under_18": answers["spent_under_18"] == "yes",
        "outcome": answers["spent_outcome"],
        "length": answers.get("spent_length"),
    }


def request_for(kept: list[dict[str, Any]], today: date) -> tuple[Request, list[str]]:
    """The checker Request for the kept convictions, and each one's date precision."""
    convictions = tuple(
        Conviction(
            date=date.fromisoformat(c["date"]),
            under_18=c["under_18"],
            sentences=(build_sentence(c["outcome"], length_from_slot(c["length"])),),
        )
        for c in kept
    )
    return Request(convictions=convictions, as_of=today), [c["precision"] for c in kept]
