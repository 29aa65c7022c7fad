"""The practice question bank as trainers change it: reword a question, change
which jobs and settings it suits and what a good answer covers, leave it out of
practice, or add a new one.

Each change is a whole version of the question (bot.store.models
.TrainingQuestion: who, when, what); the newest not taken back is in force, and
going back to the project's version takes it back. The questions are not part
of the model: the action server reads them from here (`live_bank`) when a round
starts and at each question, so a change reaches the next round without a
publish. A change that would leave some job in some setting with no question
after the first is refused. `bot training export` writes the questions in force
to bot/data/trainer/practice.yml, in the bank's own format.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import yaml
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.parts import PARTS
from bot.practice import bank
from bot.practice.bank import ANY, Question
from bot.store.db import session_scope
from bot.store.models import TrainingQuestion
from bot.training import versions

log = logging.getLogger(__name__)

MAX_TEXT = 200  # characters: an employer's question is one or two sentences
MAX_COVERS = 300
HEADER = (
    "# Written by `bot training export` from the practice questions trainers changed\n"
    "# or added (the training_questions table), in the format of\n"
    "# bot/data/practice.yml, whose questions these take the place of by id.\n"
    "# Change them on the staff pages, not here: the next export writes this file again.\n"
)


class QuestionError(ValueError):
    """Something a trainer can put right; the message says what."""


@dataclass(frozen=True)
class Entry:
    """A question as the trainers' pages list it."""

    question: Question  # in force
    project: Question | None  # the project's version; None for a trainer's new one
    changed_by: TrainingQuestion | None  # the trainer's version in force, if any


def in_force(session: Session) -> list[TrainingQuestion]:
    """The trainers' versions in force, oldest first, the newest for each id."""
    rows = session.scalars(
        select(TrainingQuestion)
        .where(TrainingQuestion.removed_at.is_(None))
        .order_by(TrainingQuestion.id)
    )
    return list({row.question_id: row for row in rows}.values())


def _as_question(row: TrainingQuestion) -> Question:
    return Question(
        id=row.question_id,
        text=row.text,
        jobs=tuple(row.jobs),
        settings=tuple(row.settings),
        topic=row.topic,
        covers=row.covers,
        asks=tuple(row.asks),
        in_practice=row.in_practice,
    )


def current(session: Session) -> tuple[Question, ...]:
    """The bank a new round asks from: the project's questions, the trainers'
    versions in their place, their new questions after."""
    return bank.merged(bank.project_questions(), (_as_question(r) for r in in_force(session)))


def live_bank() -> tuple[Question, ...]:
    """The bank for the action server. If the database cannot be read, the
    repository's bank: a round goes on without the trainers' latest wording
    rather than stopping."""
    try:
        with session_scope() as session:
            return current(session)
    except SQLAlchemyError as error:
        log.warning(
            "practice questions: database not readable (%s); repository's bank",
            type(error).__name__,
        )
        return bank.questions()


def entries(session: Session) -> list[Entry]:
    project = {question.id: question for question in bank.project_questions()}
    changed = {row.question_id: row for row in in_force(session)}
    return [
        Entry(question, project.get(question.id), changed.get(question.id))
        for question in current(session)
    ]


def entry(session: Session, question_id: str) -> Entry | None:
    return next((e for e in entries(session) if e.question.id == question_id), None)


def save(
    session: Session,
    question_id: str | None,
    text: str,
    jobs: list[str],
    settings: list[str],
    topic: str,
    covers: str,
    asks: list[str],
    in_practice: bool,
    author: str,
) -> Question:
    """A trainer's version of a question (`question_id`), or a new question (None)."""
    text, covers = " ".join(text.split()), " ".join(covers.split())
    if not text:
        raise QuestionError("The question is empty: write what the employer asks.")
    if len(text) > MAX_TEXT:
        raise QuestionError(f"The question is too long (at most {MAX_TEXT} characters).")
    if not covers:
        raise QuestionError("Say what a good answer covers.")
    if len(covers) > MAX_COVERS:
        raise QuestionError(f"What a good answer covers is too long (at most {MAX_COVERS}).")
    if topic not in bank.topics():
        raise QuestionError("Choose what the question is about.")
    job_tags = _tags(jobs, bank.jobs(), "job")
    setting_tags = _tags(settings, bank.settings(), "setting")
    if not set(asks) <= set(PARTS):
        raise QuestionError("Choose what it is about from the parts of the statement.")
    about = tuple(part for part in PARTS if part in asks)
    existing = {question.id for question in current(session)}
    if question_id is None:
        question_id = _new_id(text, existing)
    elif question_id not in existing:
        raise QuestionError("There is no such question.")
    question = Question(
        question_id, text, job_tags, setting_tags, topic, covers, about, in_practice
    )
    found = bank.problems(bank.merged(current(session), [question]))
    if found:
        raise QuestionError(" ".join(found))
    _take_back(session, question_id, author)
    if question != next((q for q in bank.project_questions() if q.id == question_id), None):
        session.add(
            TrainingQuestion(
                question_id=question_id,
                text=text,
                jobs=list(job_tags),
                settings=list(setting_tags),
                topic=topic,
                covers=covers,
                asks=list(about),
                in_practice=in_practice,
                author=author,
            )
        )
    session.flush()
    return question


def _tags(chosen: list[str], known: dict[str, str], kind: str) -> tuple[str, ...]:
    """The jobs or settings chosen, in the bank's order; all of them is "any"."""
    if not chosen:
        raise QuestionError(f"Choose at least one {kind} the question suits.")
    if ANY in chosen or set(known) <= set(chosen):
        return (ANY,)
    if not set(chosen) <= set(known):
        raise QuestionError(f"Choose each {kind} from the list.")
    return tuple(key for key in known if key in chosen)


def _new_id(text: str, taken: set[str]) -> str:
    """An id from the question's first words, unlike any other."""
    words = re.findall(r"[a-z0-9]+", text.lower())[:5]
    base = "trainer_" + "_".join(words or ["question"])
    found, number = base, 2
    while found in taken:
        found, number = f"{base}_{number}", number + 1
    return found


def back_to_project(session: Session, question_id: str, author: str) -> bool:
    """The project's version again; False if it was in force already (or the
    question is a trainer's own, which has no project version to go back to)."""
    if all(q.id != question_id for q in bank.project_questions()):
        return False
    project = bank.merged(
        current(session), [q for q in bank.project_questions() if q.id == question_id]
    )
    found = bank.problems(project)
    if found:
        raise QuestionError(" ".join(found))
    return _take_back(session, question_id, author)


def _take_back(session: Session, question_id: str, author: str) -> bool:
    taken = [row for row in in_force(session) if row.question_id == question_id]
    for row in taken:
        versions.take_back(row, author)
    session.flush()
    return bool(taken)


def history(session: Session, question_id: str) -> list[versions.Change]:
    """Every version trainers made of a question, newest first."""
    rows = session.scalars(
        select(TrainingQuestion).where(TrainingQuestion.question_id == question_id)
    )
    return versions.history(rows, text_of="summary", made="changed", taken="replaced")


def questions_yaml(session: Session) -> str:
    """The trainers' questions in force, in the bank's format."""
    written = [_as_question(row).to_yaml() for row in in_force(session)]
    body = yaml.safe_dump({"questions": written}, sort_keys=False, allow_unicode=True)
    return HEADER + body
