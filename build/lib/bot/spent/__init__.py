"""The spent-conviction checker: ROA 1974 rehabilitation periods (England and Wales).

The periods are in rules.py, the contract in the README. Pure functions, no I/O:
`parse_request` checks the contract input, `check` answers it.
"""

from __future__ import annotations

from typing import Any

from bot.spent.check import spent_outcomes
from bot.spent.model import Conviction, Request, Sentence
from bot.spent.parse import InputError, parse_request

__all__ = ["Conviction", "InputError", "Request", "Sentence", "check", "check_json"]


def check(request: Request) -> list[dict[str, str]]:
    """The contract output rows: `spent_on` and `status` per conviction, in input order."""
    return [
        {"spent_on": outcome.spent_on, "status": outcome.status(request.as_of)}
        for outcome in spent_outcomes(request)
    ]


def check_json(data: Any) -> dict[str, Any]:
    """The whole contract: decoded JSON in, decoded JSON out (raises InputError)."""
    return {"convictions": check(parse_request(data))}
