"""The coaching data files (bot/data/coaching/*.yml and bot/data/safety.yml), read once.

Everything a trainer may want to change - word lists, patterns, messages, limits -
lives in those files, not in code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
COACHING_DIR = DATA_DIR / "coaching"


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class RuleText:
    """A rule's kind, the parts it reads, and what the candidate is told."""

    rule: str
    kind: str  # "strength" or "suggestion"
    sections: tuple[str, ...]
    message: str
    rank: int  # 0 is the most important
    work_on: str = ""  # a suggestion's short form, for a practice round's summary
    went_well: str = ""  # a strength's short form, for the same


@dataclass(frozen=True)
class JargonTerm:
    term: str
    patterns: tuple[str, ...]
    plain: str
    spelled: tuple[str, ...]


@lru_cache(maxsize=1)
def rules_file() -> dict[str, Any]:
    return _load(COACHING_DIR / "rules.yml")


@lru_cache(maxsize=1)
def patterns_file() -> dict[str, Any]:
    return _load(COACHING_DIR / "patterns.yml")


@lru_cache(maxsize=1)
def names_file() -> dict[str, Any]:
    return _load(COACHING_DIR / "names.yml")


@lru_cache(maxsize=1)
def safety_file() -> dict[str, Any]:
    return _load(DATA_DIR / "safety.yml")


@lru_cache(maxsize=1)
def rule_texts() -> dict[str, RuleText]:
    """The part rules, in order of importance within each kind."""
    data = rules_file()
    texts: dict[str, RuleText] = {}
    for kind, key in (("strength", "strengths"), ("suggestion", "suggestions")):
        for rank, (rule, spec) in enumerate(data[key].items()):
            texts[rule] = RuleText(
                rule, kind, tuple(spec["sections"]), spec["message"], rank,
                spec.get("work_on", ""), spec.get("went_well", ""),
            )  # fmt: skip
    return texts


@lru_cache(maxsize=1)
def jargon_terms() -> tuple[JargonTerm, ...]:
    return tuple(
        JargonTerm(t["term"], tuple(t["patterns"]), t["plain"], tuple(t.get("spelled") or ()))
        for t in _load(COACHING_DIR / "jargon.yml")["terms"]
    )


def limit(name: str) -> int:
    return int(rules_file()["limits"][name])
