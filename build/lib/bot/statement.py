"""Assembling the four parts into the statement a candidate would say or send."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.parts import PARTS, TITLES

WORDS_PER_MINUTE = 130
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def words_of(text: str) -> list[str]:
    """Words as a reader counts them: "don't" and "ex-partner" are one word each."""
    return _WORD.findall(text or "")


def word_count(text: str) -> int:
    return len(words_of(text))


def speaking_time(words: int) -> str:
    """Plain-English time to say `words` aloud at about 130 words a minute."""
    seconds = round(words * 60 / WORDS_PER_MINUTE)
    if seconds < 60:
        return f"about {max(seconds, 1)} seconds" if words else "no time yet"
    minutes, rest = divmod(seconds, 60)
    rest = round(rest / 10) * 10
    if rest == 60:
        minutes, rest = minutes + 1, 0
    minute_text = "1 minute" if minutes == 1 else f"{minutes} minutes"
    return f"about {minute_text}" + (f" {rest} seconds" if rest else "")


@dataclass(frozen=True)
class AssembledStatement:
    text: str
    words: int
    speaking_time: str
    answered: tuple[str, ...]
    missing: tuple[str, ...]


def assemble(parts: Mapping[str, str | None]) -> AssembledStatement:
    """Join the answered parts in order into readable text, with its length."""
    answered = tuple(p for p in PARTS if (parts.get(p) or "").strip())
    missing = tuple(p for p in PARTS if p not in answered)
    text = "\n\n".join((parts.get(p) or "").strip() for p in answered)
    words = word_count(text)
    return AssembledStatement(text, words, speaking_time(words), answered, missing)


def titled(parts: Mapping[str, str | None]) -> str:
    """Each part under its title, for showing a draft in progress. Empty parts say so."""
    blocks = []
    for p in PARTS:
        text = (parts.get(p) or "").strip()
        blocks.append(f"{TITLES[p]}:\n{text if text else '(not written yet)'}")
    return "\n\n".join(blocks)
