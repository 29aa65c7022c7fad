"""The practice question bank (bot/data/rehearsal.yml): jobs, settings, questions,
and which questions a round asks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "rehearsal.yml"
ANY = "any"


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    jobs: tuple[str, ...]
    settings: tuple[str, ...]
    topic: str
    covers: str

    def suits(self, job: str, setting: str) -> bool:
        return (ANY in self.jobs or job in self.jobs) and (
            ANY in self.settings or setting in self.settings
        )


@lru_cache(maxsize=1)
def bank() -> dict[str, Any]:
    return yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def questions() -> tuple[Question, ...]:
    return tuple(
        Question(
            q["id"], q["text"], tuple(q["jobs"]), tuple(q["settings"]), q["topic"], q["covers"]
        )
        for q in bank()["questions"]
    )


def jobs() -> dict[str, str]:
    """Job keys and their labels, in order."""
    return {key: spec["label"] for key, spec in bank()["jobs"].items()}


def settings() -> dict[str, str]:
    return {key: spec["label"] for key, spec in bank()["settings"].items()}


def opening(setting: str) -> str:
    return " ".join(bank()["settings"][setting]["opening"].split())


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9&-]+", text.lower())) + " "


def _read_choice(text: str | None, kind: str) -> str | None:
    """The job or setting a typed reply or button title names, or None."""
    said = _words(text or "")
    for key, spec in bank()[kind].items():
        names = [key, spec["label"], *spec["words"]]
        if any(_words(name) in said for name in names):
            return key
    return None


def read_job(text: str | None) -> str | None:
    return _read_choice(text, "jobs")


def read_setting(text: str | None) -> str | None:
    return _read_choice(text, "settings")


def round_questions(job: str, setting: str, round_number: int = 0) -> list[Question]:
    """The follow-up questions for a round: those for this job first, then general
    ones, which rotate from round to round so practice does not repeat itself."""
    suited = [q for q in questions() if q.suits(job, setting)]
    specific = [q for q in suited if ANY not in q.jobs]
    general = [q for q in suited if ANY in q.jobs]
    if general:
        shift = round_number % len(general)
        general = general[shift:] + general[:shift]
    return (specific + general)[: int(bank()["follow_ups"])]


def question(question_id: str) -> Question | None:
    return next((q for q in questions() if q.id == question_id), None)


def question_at(setting: str, question_ids: list[str], step: int) -> str | None:
    """The employer's words at `step` of a round: 0 is the opening question, then the
    follow-ups in order; None once the round is over."""
    if step == 0:
        return opening(setting)
    if 0 < step <= len(question_ids):
        found = question(question_ids[step - 1])
        return found.text if found else None
    return None
