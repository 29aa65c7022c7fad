"""The four parts of a disclosure statement, in the order they are asked.

The slot names are a contract shared by the Rasa domain, the database columns,
the CLI output and the coaching rules (see docs/coaching.md).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

NAMES_FILE = Path(__file__).resolve().parent / "data" / "part_names.yml"

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


@lru_cache(maxsize=1)
def _names() -> dict[str, list[str]]:
    names = yaml.safe_load(NAMES_FILE.read_text(encoding="utf-8"))
    return {part: [_plain(name) for name in names[part]] for part in PARTS}


def _plain(text: str) -> str:
    """Lower case, apostrophes dropped, other punctuation a space, padded."""
    text = re.sub(r"[’']", "", text.lower())
    return " " + " ".join(re.sub(r"[^a-z0-9 ]+", " ", text).split()) + " "


def part_named(text: str | None) -> str | None:
    """The one part a message names, by number or a loose name ("the first bit",
    "what I said about my job"); None if it names none, or two (data/part_names.yml)."""
    said = _plain(text or "")
    named = {part for part, names in _names().items() if any(n in said for n in names)}
    return named.pop() if len(named) == 1 else None
