"""The practice question bank (bot/data/practice.yml): jobs, settings, questions,
and which questions a round asks.

Trainers change questions and add new ones from the staff pages; a running site
keeps those changes in its database (bot.training.questions), and the action
server asks from the project's questions with them laid over (`merged`). `bot
training export` writes them to bot/data/trainer/practice.yml; committed there,
they are part of the repository's bank (`questions`), which the tests check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.parts import PARTS

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DATA_FILE = DATA_DIR / "practice.yml"
TRAINER_FILE = DATA_DIR / "trainer" / "practice.yml"
ANY = "any"


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    jobs: tuple[str, ...]
    settings: tuple[str, ...]
    topic: str
    covers: str
    # The statement parts a good answer draws on (bot.parts.PARTS); an answer is
    # judged on these alone.
    asks: tuple[str, ...] = ()
    # False once a trainer leaves it out: no new round asks it, a round under way
    # still can.
    in_practice: bool = True

    def suits(self, job: str, setting: str) -> bool:
        return (ANY in self.jobs or job in self.jobs) and (
            ANY in self.settings or setting in self.settings
        )

    def to_yaml(self) -> dict[str, Any]:
        """The question as the bank's YAML writes it."""
        written = {
            "id": self.id,
            "text": self.text,
            "jobs": list(self.jobs),
            "settings": list(self.settings),
            "topic": self.topic,
            "covers": self.covers,
            "asks": list(self.asks),
        }
        return written if self.in_practice else {**written, "in_practice": False}


def from_yaml(item: dict[str, Any]) -> Question:
    return Question(
        id=item["id"],
        text=item["text"],
        jobs=tuple(item["jobs"]),
        settings=tuple(item["settings"]),
        topic=item["topic"],
        covers=item["covers"],
        asks=tuple(item.get("asks") or ()),
        in_practice=item.get("in_practice", True),
    )


@lru_cache(maxsize=1)
def bank() -> dict[str, Any]:
    return yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def project_questions() -> tuple[Question, ...]:
    """The questions as the project wrote them, without any trainer's change."""
    return tuple(from_yaml(item) for item in bank()["questions"])


@lru_cache(maxsize=1)
def questions() -> tuple[Question, ...]:
    """The repository's bank: the project's questions with the trainers' committed
    changes (bot/data/trainer/practice.yml, if there is one) laid over."""
    changes: list[Question] = []
    if TRAINER_FILE.exists():
        written = yaml.safe_load(TRAINER_FILE.read_text(encoding="utf-8")) or {}
        changes = [from_yaml(item) for item in written.get("questions") or []]
    return merged(project_questions(), changes)


def merged(project: Iterable[Question], changes: Iterable[Question]) -> tuple[Question, ...]:
    """`project` with each change in place of the question of its id, and new
    questions after, in the order they came."""
    by_id = {question.id: question for question in project}
    for change in changes:
        by_id[change.id] = change
    return tuple(by_id.values())


def topics() -> list[str]:
    """The topics the project's questions are about, in order of first use."""
    return list(dict.fromkeys(question.topic for question in project_questions()))


def problems(among: Sequence[Question]) -> list[str]:
    """What is wrong with a bank, in words a trainer can act on; [] if nothing.

    Every job and setting named must exist, ids must be unique, and every job in
    every setting must still get at least one follow-up question."""
    found = []
    known_jobs, known_settings = {*jobs(), ANY}, {*settings(), ANY}
    for question in among:
        if not question.jobs or not set(question.jobs) <= known_jobs:
            found.append(f"“{question.text}” needs jobs from the list.")
        if not question.settings or not set(question.settings) <= known_settings:
            found.append(f"“{question.text}” needs settings from the list.")
        if not set(question.asks) <= set(PARTS):
            found.append(f"“{question.text}” can only be about the statement's parts.")
    ids = [question.id for question in among]
    found += [
        f"Two questions share the id {i}." for i in sorted({i for i in ids if ids.count(i) > 1})
    ]
    for job, job_label in jobs().items():
        for setting, setting_label in settings().items():
            if not round_questions(job, setting, among=among):
                found.append(
                    f"{job_label} in “{setting_label}” would have no question after the first."
                )
    return found


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


def round_questions(
    job: str, setting: str, round_number: int = 0, among: Sequence[Question] | None = None
) -> list[Question]:
    """The follow-up questions for a round, from `among` (the repository's bank if
    None): those for this job first, then general ones, which rotate from round to
    round so practice does not repeat itself. Questions left out are not asked."""
    pool = questions() if among is None else among
    suited = [q for q in pool if q.in_practice and q.suits(job, setting)]
    specific = [q for q in suited if ANY not in q.jobs]
    general = [q for q in suited if ANY in q.jobs]
    if general:
        shift = round_number % len(general)
        general = general[shift:] + general[:shift]
    return (specific + general)[: int(bank()["follow_ups"])]


def question(question_id: str, among: Sequence[Question] | None = None) -> Question | None:
    """The question of this id, even one left out since a round chose it."""
    pool = questions() if among is None else among
    return next((q for q in pool if q.id == question_id), None)


def guide_at(
    question_ids: list[str], step: int, among: Sequence[Question] | None = None
) -> tuple[tuple[str, ...], str]:
    """What the question at `step` is about (statement parts) and what a good
    answer covers, in words: the opening question asks for the whole disclosure."""
    if step == 0:
        return tuple(bank()["opening_asks"]), bank()["opening_covers"]
    found = question(question_ids[step - 1], among) if 0 < step <= len(question_ids) else None
    return (found.asks, found.covers) if found else ((), "")


def question_at(
    setting: str, question_ids: list[str], step: int, among: Sequence[Question] | None = None
) -> str | None:
    """The employer's words at `step` of a round: 0 is the opening question, then the
    follow-ups in order; None once the round is over."""
    if step == 0:
        return opening(setting)
    if 0 < step <= len(question_ids):
        found = question(question_ids[step - 1], among)
        return found.text if found else None
    return None
