"""The result of a check: a date, never spent, or not spent while an order lasts.

Outcomes are ordered so the latest wins: any date < INDEFINITE < NEVER.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, order=True)
class Outcome:
    """When something becomes spent. Compare with < and max(): later wins."""

    rank: int  # 0 a date, 1 indefinite, 2 never
    on: date = date.min

    @classmethod
    def on_day(cls, day: date) -> Outcome:
        return cls(0, day)

    @property
    def is_date(self) -> bool:
        return self.rank == 0

    @property
    def spent_on(self) -> str:
        """The contract's `spent_on`: an ISO date, "indefinite" or "never"."""
        if self.rank == 0:
            return self.on.isoformat()
        return "indefinite" if self.rank == 1 else "never"

    def status(self, as_of: date) -> str:
        """The contract's `status` on the day `as_of`."""
        if self.rank == 2:
            return "never_spent"
        if self.rank == 0 and self.on <= as_of:
            return "spent"
        return "unspent"


INDEFINITE = Outcome(1)
NEVER = Outcome(2)
