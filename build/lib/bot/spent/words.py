"""The checker's chat vocabulary and result texts, loaded from bot/data/spent.yml."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "spent.yml"


@dataclass(frozen=True)
class OutcomeOption:
    """One thing a court or the police can give, as the candidate would name it."""

    type: str
    label: str
    button: bool
    words: tuple[str, ...]


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    return yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def outcome_options() -> tuple[OutcomeOption, ...]:
    return tuple(
        OutcomeOption(o["type"], o["label"], bool(o.get("button")), tuple(o["words"]))
        for o in vocabulary()["outcomes"]
    )


def result_text(key: str, **values: str) -> str:
    return vocabulary()["results"][key].format(**values)


def verdict_text(key: str, **values: str) -> str:
    """The one-line verdict's words (bot/data/spent.yml `verdicts`)."""
    return vocabulary()["verdicts"][key].format(**values)


def normalise(text: str) -> str:
    """Lower case, plain letters and digits, single spaces: what the word lists match."""
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    text = re.sub(r"[^a-z0-9/'\- ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def longest_match(text: str, choices: dict[str, tuple[str, ...]]) -> str | None:
    """The key whose longest word or phrase occurs in `text` as whole words."""
    found: tuple[int, str] | None = None
    padded = f" {normalise(text)} "
    for key, words in choices.items():
        for word in words:
            if f" {word} " in padded and (found is None or len(word) > found[0]):
                found = (len(word), key)
    return found[1] if found else None
