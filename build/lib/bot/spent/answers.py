"""Reading the candidate's typed answers to the checker's questions.

Each reader returns None when it cannot tell, so the question is asked again
with an example; it never guesses. Dates read day/month/year the British way.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from bot.spent.dates import Length
from bot.spent.model import Sentence
from bot.spent.words import longest_match, normalise, outcome_options, vocabulary

MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
MONTHS["sept"] = 9
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "eighteen": 18, "twenty": 20, "twenty four": 24, "thirty": 30, "thirty six": 36,
}  # fmt: skip
UNIT_WORDS = {"day": "days", "week": "weeks", "month": "months", "year": "years", "yr": "years"}
EARLIEST_YEAR = 1900


@dataclass(frozen=True)
class When:
    """A conviction date as given: the day used, and how exact the candidate was."""

    day: date
    precision: str  # "day", "month" or "year"

    @property
    def approximate(self) -> bool:
        return self.precision != "day"


def _year(text: str, today: date) -> int | None:
    if len(text) == 4:
        return int(text)
    if len(text) == 2:  # "17" is 2017, "98" is 1998
        year = 2000 + int(text)
        return year if year <= today.year else year - 100
    return None


def _latest_in(year: int, month: int | None, today: date) -> date:
    """The last day the date could be: conservative, since later means spent later."""
    if month is None:
        latest = date(year, 12, 31)
    else:
        latest = date(year, month, calendar.monthrange(year, month)[1])
    return min(latest, today)


def _numeric(text: str, today: date) -> When | None:
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        return _when(int(m[1]), int(m[2]), int(m[3]), today)
    if m := re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})", text):
        year = _year(m[3], today)
        return _when(year, int(m[2]), int(m[1]), today) if year else None
    if m := re.fullmatch(r"(\d{1,2})[/.\-](\d{4})", text):
        return _when(int(m[2]), int(m[1]), None, today)
    if m := re.fullmatch(r"(\d{4})", text):
        return _when(int(m[1]), None, None, today)
    return None


def _worded(text: str, today: date) -> When | None:
    words = re.sub(r"(\d+)(st|nd|rd|th)\b", r"\1", text).replace(",", " ").split()
    month = next((MONTHS[w] for w in words if w in MONTHS), None)
    numbers = [w for w in words if w.isdigit()]
    years = [n for n in numbers if len(n) == 4]
    days = [n for n in numbers if len(n) <= 2]
    if len(years) != 1 or (month is None and days):
        return None
    day = int(days[0]) if month and len(days) == 1 else None
    return _when(int(years[0]), month, day, today)


def _when(year: int, month: int | None, day: int | None, today: date) -> When | None:
    """The When for these parts, or None if impossible or in the future."""
    try:
        if date(year, month or 1, day or 1) > today:
            return None
        if day is not None and month is not None:
            return When(date(year, month, day), "day")
        if month is not None:
            return When(_latest_in(year, month, today), "month")
        return When(_latest_in(year, None, today), "year")
    except ValueError:
        return None


def _relative(text: str, today: date) -> When | None:
    """ "this year", "last year", "3 years ago": the year only, so approximate."""
    if text == "this year":
        return _when(today.year, None, None, today)
    if text == "last year":
        return _when(today.year - 1, None, None, today)
    pattern = r"(\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r") years? ago"
    if m := re.fullmatch(pattern, text):
        years = int(m[1]) if m[1].isdigit() else NUMBER_WORDS[m[1]]
        return _when(today.year - years, None, None, today)
    return None


def read_when(text: str, today: date) -> When | None:
    """A conviction date from "25/01/2017", "25 Jan 2017", "January 2017", "2017"
    or "3 years ago".

    Returns None when there is no date, when it is impossible, or when it is in
    the future or before 1900.
    """
    cleaned = normalise(text).replace("about ", "").replace("around ", "").strip()
    when = _numeric(cleaned, today) or _worded(cleaned, today) or _relative(cleaned, today)
    if when is None or when.day.year < EARLIEST_YEAR:
        return None
    return when


def read_yes_no(text: str) -> bool | None:
    """Yes or no, or an age ("I was 16" is yes to "were you under 18?")."""
    cleaned = normalise(text)
    words = vocabulary()
    choices = {"yes": tuple(words["yes_words"]), "no": tuple(words["no_words"])}
    first = cleaned.split(" ", 1)[0] if cleaned else ""
    answer = longest_match(first, choices) or longest_match(cleaned, choices)
    if answer is None and (m := re.search(r"\b(\d{1,2})\b", cleaned)):
        return int(m[1]) < 18
    return {"yes": True, "no": False, None: None}[answer]


def read_place(text: str) -> str | None:
    """ "england_wales", "elsewhere", or None if the answer names neither."""
    places = {key: tuple(words) for key, words in vocabulary()["places"].items()}
    return longest_match(text, places)


def read_outcome(text: str) -> str | None:
    """The sentence type the candidate named (a contract type, or motoring_fine_endorsed)."""
    return longest_match(text, {o.type: o.words for o in outcome_options()})


def read_length(text: str) -> Length | str | None:
    """A length ("6 months", "two years", "1 year 6 months"), "indefinite",
    "not_given", or None."""
    if re.search(r"\d[.,]\d", text):
        return None  # "1.5 years": ask for whole months instead
    cleaned = normalise(text)
    words = {k: tuple(v) for k, v in vocabulary()["length_words"].items()}
    if special := longest_match(cleaned, words):
        return special
    pattern = r"(\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\s*"
    pattern += r"(day|week|month|year|yr)s?\b"
    parts = [(m[1], UNIT_WORDS[m[2]]) for m in re.finditer(pattern, cleaned)]
    if not parts:
        return None
    amounts = {unit: 0 for unit in ("days", "weeks", "months", "years")}
    for amount, unit in parts:
        amounts[unit] += int(amount) if amount.isdigit() else NUMBER_WORDS[amount]
    if re.search(r"\band a half\b", cleaned):
        return None  # "a year and a half": ask for it in months instead
    if amounts["days"] or amounts["weeks"]:
        if amounts["months"] or amounts["years"]:
            return None
        if amounts["days"] and amounts["weeks"]:
            return Length(amounts["weeks"] * 7 + amounts["days"], "days")
        return (
            Length(amounts["weeks"], "weeks")
            if amounts["weeks"]
            else Length(amounts["days"], "days")
        )
    if amounts["months"] and amounts["years"]:
        return Length(amounts["years"] * 12 + amounts["months"], "months")
    if amounts["years"]:
        return Length(amounts["years"], "years")
    return Length(amounts["months"], "months") if amounts["months"] else None


NEEDS_LENGTH = frozenset({"custody", "suspended_custody"})
MAY_HAVE_LENGTH = frozenset(
    {
        "community_order",
        "conditional_discharge",
        "referral_order",
        "youth_rehabilitation_order",
        "bind_over",
        "restraining_order",
        "disqualification",
    }
)


def asks_length(outcome: str) -> bool:
    return outcome in NEEDS_LENGTH or outcome in MAY_HAVE_LENGTH


def build_sentence(outcome: str, length: Length | str | None) -> Sentence:
    """The checker's Sentence for a chosen outcome and the length answer."""
    if outcome == "motoring_fine_endorsed":
        return Sentence(type="motoring_fine", endorsement=True)
    if length == "indefinite":
        return Sentence(type=outcome, indefinite=True)
    return Sentence(type=outcome, length=length if isinstance(length, Length) else None)


def length_from_slot(value: str | None) -> Length | str | None:
    """Slots hold a length as text such as "6 months"; read it back."""
    if not value:
        return None
    if value in ("indefinite", "not_given"):
        return value
    amount, unit = value.split()
    return Length(int(amount), unit)


def length_to_slot(length: Length | str) -> str:
    return length if isinstance(length, str) else f"{length.amount} {length.unit}"
