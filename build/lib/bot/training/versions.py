"""Trainers' changes as versions: a row is never changed or deleted, only marked
taken back (who, when), so every version of the training data can be told again.

Examples (bot.training.teaching), answers (bot.training.answers) and stories
(bot.training.stories) share this: their rows have the same five columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.store.models import as_utc, utcnow


class Versioned(Protocol):
    author: str
    created_at: datetime
    removed_by: str | None
    removed_at: datetime | None


@dataclass(frozen=True)
class Change:
    """One line of a history: who made which change, when, and its words."""

    at: datetime
    who: str
    what: str  # what the page calls making it, or taking it back
    text: str


def take_back(row: Versioned, author: str) -> None:
    """Mark `row` taken back; once only, so the first time stays in the history."""
    if row.removed_at is None:
        row.removed_by, row.removed_at = author, utcnow()


def history(
    rows: Iterable[Versioned], text_of: str = "text", made: str = "added", taken: str = "removed"
) -> list[Change]:
    """Every making and taking back of `rows`, newest first."""
    changes = []
    for row in rows:
        text = str(getattr(row, text_of))
        changes.append(Change(as_utc(row.created_at), row.author, made, text))
        if row.removed_at is not None and row.removed_by is not None:
            changes.append(Change(as_utc(row.removed_at), row.removed_by, taken, text))
    return sorted(changes, key=lambda change: change.at, reverse=True)
