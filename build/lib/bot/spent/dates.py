"""Date arithmetic as docs/spent-checker.md states it.

Months follow the calendar and clamp to the month's end (31 Oct + 6 months =
30 Apr); years are 12 months; days and weeks are plain days. Lengths are
compared with the month bands at 30.436875 days a month.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

DAYS_PER_MONTH = 30.436875


def add_months(day: date, months: int) -> date:
    """`day` plus whole calendar months, clamped to the end of the month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


@dataclass(frozen=True)
class Length:
    """A sentence length in exactly one unit, as the candidate gave it."""

    amount: int
    unit: str  # days, weeks, months or years

    def after(self, start: date) -> date:
        """The day this length ends when it runs from `start`."""
        if self.unit == "days":
            return start + timedelta(days=self.amount)
        if self.unit == "weeks":
            return start + timedelta(weeks=self.amount)
        if self.unit == "months":
            return add_months(start, self.amount)
        return add_months(start, 12 * self.amount)

    @property
    def in_months(self) -> float:
        """The length in months, for comparing with the 12- and 48-month bands."""
        if self.unit == "days":
            return self.amount / DAYS_PER_MONTH
        if self.unit == "weeks":
            return 7 * self.amount / DAYS_PER_MONTH
        if self.unit == "months":
            return float(self.amount)
        return 12.0 * self.amount


UNITS = ("days", "weeks", "months", "years")
