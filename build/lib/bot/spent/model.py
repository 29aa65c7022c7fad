"""What the checker is told: convictions (or cautions) and their sentences."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.spent.dates import Length


@dataclass(frozen=True)
class Sentence:
    """One sentence, order or caution, with the facts its rule needs."""

    type: str
    length: Length | None = None
    end_date: date | None = None  # for orders, instead of a length
    start: date | None = None  # when it started, if not on the conviction date
    indefinite: bool = False  # an order made "until further order"
    schedule_18: bool = False  # custody for a Schedule 18 offence
    endorsement: bool = False  # motoring fine with an endorsement
    paid_on: date | None = None  # compensation paid in full
    conditions_end: date | None = None  # conditional caution


@dataclass(frozen=True)
class Conviction:
    """One conviction or caution: its date, the age band and what was given."""

    date: date
    sentences: tuple[Sentence, ...]
    under_18: bool = False


@dataclass(frozen=True)
class Request:
    """Everything `bot spent` reads: the convictions and the day to judge on."""

    convictions: tuple[Conviction, ...]
    as_of: date = field(default_factory=date.today)
