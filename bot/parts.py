"""The four parts of a disclosure statement, in the order they are asked.

The slot names are a contract shared by the Rasa domain, the database columns,
the CLI output and the coaching rules (see shared/design/coaching.md).
"""

from __future__ import annotations

PARTS: tuple[str, ...] = ("what_happened", "circumstances", "feelings_now", "aspirations")

TITLES: dict[str, str] = {
    "what_happened": "What happened",
    "circumstances": "Circumstances at the time",
    "feelings_now": "How I feel about it now",
    "aspirations": "What I want to do next",
}


def is_part(name: object) -> bool:
    """True if `name` is one of the four part names."""
    return isinstance(name, str) and name in PARTS


def part_before(part: str | None, answered: set[str]) -> str:
    """The part to go back to when the candidate just says "go back".

    From a question in progress: the nearest earlier part that has an answer.
    From outside the questions (no `part`): the last answered part. Falls back to
    the first part so "go back" always leads somewhere.
    """
    end = PARTS.index(part) if is_part(part) else len(PARTS)
    for candidate in reversed(PARTS[:end]):
        if candidate in answered:
            return candidate
    return PARTS[0]
