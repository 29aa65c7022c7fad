"""Read and check the `bot spent` JSON input; every error names its field.

Errors are raised as `InputError("convictions[0].sentences[1].length: ...")`
so the CLI can print one line and exit 2, and the web form can show it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from bot.spent.dates import UNITS, Length
from bot.spent.model import Conviction, Request, Sentence
from bot.spent.rules import (
    CAUTIONS,
    CONDITIONAL_CAUTIONS,
    CUSTODY,
    ORDERS,
    SENTENCE_TYPES,
)

SENTENCE_FIELDS = frozenset(
    {
        "type",
        "length",
        "end_date",
        "start",
        "indefinite",
        "schedule_18",
        "endorsement",
        "paid_on",
        "conditions_end",
    }
)
CONVICTION_FIELDS = frozenset({"date", "under_18", "sentences"})
MAX_CONVICTIONS = 100
MAX_SENTENCES = 50
MAX_LENGTH_YEARS = 100


class InputError(ValueError):
    """Bad input; the message starts with the field at fault. `where` is its path
    in the contract ("convictions[1].sentences[0].length"), `problem` what is
    wrong, so a page can name the field its own way."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where, self.problem = where, problem

    @property
    def conviction(self) -> int | None:
        """Which conviction (from 0) the error is in, if it is in one."""
        found = re.match(r"convictions\[(\d+)\]", self.where)
        return int(found.group(1)) if found else None

    @property
    def field(self) -> str:
        """The field at fault in words: "date", "length", "months"."""
        last = self.where.rsplit(".", 1)[-1] if "." in self.where else ""
        return last.split("[")[0].replace("_", " ")


def _date(value: Any, where: str) -> date:
    if not isinstance(value, str):
        raise InputError(where, "give a date as text, like 2019-03-30")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(where, f"{value!r} is not a real date in the form YYYY-MM-DD") from None


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(where, "give true or false")
    return value


def _length(value: Any, where: str) -> Length:
    if not isinstance(value, dict) or len(value) != 1:
        raise InputError(where, "give exactly one of days, weeks, months or years")
    ((unit, amount),) = value.items()
    if unit not in UNITS:
        raise InputError(where, f"unknown unit {unit!r}; use days, weeks, months or years")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InputError(f"{where}.{unit}", "give a whole number above 0")
    length = Length(amount, unit)
    if length.in_months > 12 * MAX_LENGTH_YEARS:
        raise InputError(f"{where}.{unit}", f"longer than {MAX_LENGTH_YEARS} years")
    return length


def _check_fields(data: Any, allowed: frozenset[str], where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InputError(where, "expected an object")
    for key in data:
        if key not in allowed:
            raise InputError(f"{where}.{key}", "unknown field")
    return data


def _sentence(data: Any, where: str, convicted: date, as_of: date) -> Sentence:
    data = _check_fields(data, SENTENCE_FIELDS, where)
    kind = data.get("type")
    if kind is None:
        raise InputError(f"{where}.type", "missing")
    if not isinstance(kind, str) or kind not in SENTENCE_TYPES:
        raise InputError(f"{where}.type", f"unknown sentence type {kind!r}")

    def optional_date(name: str) -> date | None:
        return _date(data[name], f"{where}.{name}") if name in data else None

    length = _length(data["length"], f"{where}.length") if "length" in data else None
    flags = {
        name: _bool(data[name], f"{where}.{name}") if name in data else False
        for name in ("indefinite", "schedule_18", "endorsement")
    }
    sentence = Sentence(
        type=kind,
        length=length,
        end_date=optional_date("end_date"),
        start=optional_date("start"),
        paid_on=optional_date("paid_on"),
        conditions_end=optional_date("conditions_end"),
        **flags,
    )
    _check_sentence(sentence, where, convicted, as_of)
    return sentence


def _check_sentence(s: Sentence, where: str, convicted: date, as_of: date) -> None:
    """The combinations and dates the rules cannot make sense of."""
    if s.type in CUSTODY and s.length is None:
        raise InputError(f"{where}.length", f"missing: {s.type} needs the length imposed")
    if s.type == "compensation" and s.paid_on is None:
        raise InputError(f"{where}.paid_on", "missing: the day the compensation was paid in full")
    if s.indefinite and s.type not in ORDERS:
        raise InputError(f"{where}.indefinite", f"only an order can be indefinite, not {s.type}")
    if s.end_date and s.type not in ORDERS:
        raise InputError(f"{where}.end_date", f"only an order can have an end_date, not {s.type}")
    if sum(x is not None and x is not False for x in (s.length, s.end_date, s.indefinite)) > 1:
        raise InputError(f"{where}.length", "give only one of length, end_date or indefinite")
    if s.start and s.start < convicted:
        raise InputError(f"{where}.start", "is before the conviction date")
    if s.end_date and s.end_date < (s.start or convicted):
        raise InputError(f"{where}.end_date", "is before the sentence started")
    if s.paid_on and not convicted <= s.paid_on <= max(as_of, date.today()):
        raise InputError(f"{where}.paid_on", "must be between the conviction date and today")
    if s.conditions_end and s.conditions_end < convicted:
        raise InputError(f"{where}.conditions_end", "is before the caution was given")
    if s.conditions_end and s.type not in CONDITIONAL_CAUTIONS:
        raise InputError(f"{where}.conditions_end", "only a conditional caution has conditions")


def _conviction(data: Any, where: str, as_of: date) -> Conviction:
    data = _check_fields(data, CONVICTION_FIELDS, where)
    if "date" not in data:
        raise InputError(f"{where}.date", "missing")
    convicted = _date(data["date"], f"{where}.date")
    if convicted > date.today() or convicted > as_of:
        raise InputError(f"{where}.date", "is in the future (or after as_of)")
    under_18 = _bool(data.get("under_18", False), f"{where}.under_18")
    sentences = data.get("sentences")
    if not isinstance(sentences, list) or not sentences:
        raise InputError(f"{where}.sentences", "give a list with at least one sentence")
    if len(sentences) > MAX_SENTENCES:
        raise InputError(f"{where}.sentences", f"more than {MAX_SENTENCES} sentences")
    parsed = tuple(
        _sentence(s, f"{where}.sentences[{i}]", convicted, as_of) for i, s in enumerate(sentences)
    )
    cautions = [s.type in CAUTIONS for s in parsed]
    if any(cautions) and len(parsed) > 1:
        raise InputError(f"{where}.sentences", "a caution is entered on its own, with no sentences")
    return Conviction(date=convicted, sentences=parsed, under_18=under_18)


def parse_request(data: Any) -> Request:
    """Turn the decoded JSON input into a Request, or raise InputError."""
    data = _check_fields(data, frozenset({"convictions", "as_of"}), "input")
    as_of = _date(data["as_of"], "as_of") if "as_of" in data else date.today()
    convictions = data.get("convictions")
    if not isinstance(convictions, list) or not convictions:
        raise InputError("convictions", "give a list with at least one conviction or caution")
    if len(convictions) > MAX_CONVICTIONS:
        raise InputError("convictions", f"more than {MAX_CONVICTIONS} convictions")
    parsed = tuple(_conviction(c, f"convictions[{i}]", as_of) for i, c in enumerate(convictions))
    return Request(convictions=parsed, as_of=as_of)
