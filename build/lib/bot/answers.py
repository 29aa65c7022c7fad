"""Is this message an answer to the statement question that was asked?

This is the first gate on a part, before any coaching: an empty, very short or
clearly-not-an-answer reply gets a gentle second try. Coaching feedback on real
answers plugs in after this check (see `check_answer`'s callers).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path

import yaml

from bot.statement import word_count

DATA_FILE = Path(__file__).resolve().parent / "data" / "answers.yml"

# Parts are kept word for word; this is only a guard against pasted novels.
MAX_PART_CHARS = 5000


class Problem(str, Enum):
    EMPTY = "empty"
    NOT_AN_ANSWER = "not_an_answer"
    TOO_SHORT = "too_short"
    QUESTION = "question"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class AnswerCheck:
    ok: bool
    problem: Problem | None = None


@lru_cache(maxsize=1)
def _rules() -> tuple[int, frozenset[str]]:
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    words = [*data["unsure"], *data["not_answers"]]
    return int(data["min_words"]), frozenset(_normalise(str(t)) for t in words)


@lru_cache(maxsize=1)
def _unsure() -> frozenset[str]:
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    return frozenset(_normalise(str(t)) for t in data["unsure"])


def is_unsure(text: str | None) -> bool:
    """ "idk", "dunno", "no idea": the candidate does not know what to say yet."""
    return _normalise(text or "") in _unsure()


@lru_cache(maxsize=1)
def _part_choices() -> dict[str, frozenset[str]]:
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))["part_choice"]
    return {choice: frozenset(_normalise(str(w)) for w in words) for choice, words in data.items()}


def read_part_choice(text: str | None) -> str | None:
    """ "rewrite" or "keep" for a reply to "rewrite it, or keep it and move on?";
    None when the reply is neither."""
    said = _normalise(text or "")
    for choice, words in _part_choices().items():
        if said in words:
            return choice
    return None


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'").replace("'", "")
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def _has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def check_answer(text: str | None) -> AnswerCheck:
    """Decide whether `text` can be saved as a part. Never changes the text."""
    min_words, not_answers = _rules()
    if text is None or not text.strip():
        return AnswerCheck(False, Problem.EMPTY)
    if len(text) > MAX_PART_CHARS:
        return AnswerCheck(False, Problem.TOO_LONG)
    if not _has_letters(text) or _normalise(text) in not_answers:
        return AnswerCheck(False, Problem.NOT_AN_ANSWER)
    words = word_count(text)
    if text.strip().endswith("?") and words < 8:
        return AnswerCheck(False, Problem.QUESTION)
    if words < min_words:
        return AnswerCheck(False, Problem.TOO_SHORT)
    return AnswerCheck(True)
