"""The intents a trainer can choose from, each with what it means and a few examples.

A trainer who has never seen YAML decides what a message should have meant by
reading a one-line description (bot/data/training/intents.yml) and three of the
wordings the assistant already knows. Questions and small talk are retrieval
intents: they are offered one by one (faq/who_sees, ...), described by the
answer the assistant gives, so the trainer picks an answer rather than a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.commands import domain_files
from bot.config import PROJECT_ROOT

INTENTS_FILE = PROJECT_ROOT / "bot" / "data" / "training" / "intents.yml"
DATA_DIR = PROJECT_ROOT / "data"
RETRIEVAL_INTENTS = ("faq", "chitchat")
EXAMPLES_SHOWN = 3
# Rasa's entity marks in an example: "[the first one](part)" reads "the first one".
_ENTITY = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")


@dataclass(frozen=True)
class Intent:
    """One choice on the teaching page."""

    name: str  # as Rasa names it: "ask_tips", "faq/who_sees"
    description: str
    examples: tuple[str, ...]


@lru_cache(maxsize=1)
def settings() -> dict[str, dict[str, str]]:
    """bot/data/training/intents.yml: descriptions, and the answers' settings."""
    return yaml.safe_load(INTENTS_FILE.read_text(encoding="utf-8"))


def domain_intents() -> list[str]:
    """Every intent the domain lists, in its order."""
    names: list[str] = []
    for path in domain_files():
        domain = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for intent in domain.get("intents") or []:
            names.append(intent if isinstance(intent, str) else next(iter(intent)))
    return names


def _responses() -> dict[str, str]:
    """Each response's first text, by name."""
    found: dict[str, str] = {}
    for path in domain_files():
        domain = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variants in (domain.get("responses") or {}).items():
            texts = [v["text"] for v in variants or [] if v.get("text")]
            if texts:
                found[name] = " ".join(texts[0].split())
    return found


@lru_cache(maxsize=2)
def known_examples(data_dir: Path = DATA_DIR) -> dict[str, list[str]]:
    """The repository's NLU examples by intent, entity marks taken out (read once:
    they change with a new release, not while the site runs; do not modify)."""
    found: dict[str, list[str]] = {}
    for path in sorted(data_dir.rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("nlu") or []:
            if "intent" not in item:
                continue
            lines = str(item.get("examples", "")).splitlines()
            texts = [_plain(line[2:]) for line in lines if line.startswith("- ")]
            found.setdefault(item["intent"], []).extend(texts)
    return found


def _plain(example: str) -> str:
    return _ENTITY.sub(lambda m: m.group(1) or m.group(2), example).strip()


@lru_cache(maxsize=1)
def catalogue() -> tuple[Intent, ...]:
    """Every intent a trainer may choose, in the domain's order, each retrieval
    intent's answers after the plain intents."""
    described = settings()["descriptions"]
    examples = known_examples()
    answers = _responses()
    plain = [
        Intent(name, described[name], tuple(examples.get(name, [])[:EXAMPLES_SHOWN]))
        for name in domain_intents()
        if name in described
    ]
    retrieval = [
        Intent(name, f"Answered: “{answers[f'utter_{name}']}”", tuple(texts[:EXAMPLES_SHOWN]))
        for name, texts in examples.items()
        if name.split("/")[0] in RETRIEVAL_INTENTS and f"utter_{name}" in answers
    ]
    return (*plain, *retrieval)


def by_name(name: str) -> Intent | None:
    return next((intent for intent in catalogue() if intent.name == name), None)
