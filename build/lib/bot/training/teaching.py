"""Teaching the assistant from the queue: this wording means that intent, or the
assistant should not handle it at all.

Either way the decision is kept (bot.store.models.QueueDecision) and the wording
leaves the queue. A taught wording becomes a training example, redacted once
more in case the trainer's edit brought a name or a number back.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import QueueDecision, TrainingExample
from bot.training import intents, versions
from bot.training.redaction import redact
from bot.training.struggles import Group

MAX_EXAMPLE = 300  # characters; a message the assistant should learn is a sentence or two
NOT_FOR_ASSISTANT = "not_for_assistant"
TAUGHT = "taught"


class TeachingError(ValueError):
    """Something a trainer can put right; the message says what."""


def undecided(session: Session, groups: Iterable[Group]) -> list[Group]:
    """The queue without the wordings a trainer already dealt with."""
    decided = set(session.scalars(select(QueueDecision.wording_key)))
    return [group for group in groups if group.key not in decided]


def teach(session: Session, key: str, wording: str, intent: str, author: str) -> str:
    """Keep the decision for wording `key`; returns the example's text, or "" when
    the trainer said the assistant should not handle it."""
    if intent == NOT_FOR_ASSISTANT:
        session.add(QueueDecision(wording_key=key, outcome=NOT_FOR_ASSISTANT, author=author))
        return ""
    text = add_example(session, intent, wording, author)
    session.add(QueueDecision(wording_key=key, outcome=TAUGHT, author=author))
    return text


def add_example(session: Session, intent: str, wording: str, author: str) -> str:
    """A new example of `intent`, redacted; returns its text."""
    if intents.by_name(intent) is None:
        raise TeachingError("Choose what the message meant.")
    text = redact(" ".join(wording.split()))
    if not text:
        raise TeachingError("The wording is empty: type what the candidate meant to say.")
    if len(text) > MAX_EXAMPLE:
        raise TeachingError(f"The wording is too long (at most {MAX_EXAMPLE} characters).")
    known = intents.known_examples().get(intent, [])
    if text in {*known, *(example.text for example in in_force(session, intent))}:
        raise TeachingError("The assistant already learns that wording for this.")
    session.add(TrainingExample(intent=intent, text=text, author=author))
    return text


def in_force(session: Session, intent: str | None = None) -> list[TrainingExample]:
    """The trainers' examples not taken back (of one intent, or all), oldest first."""
    query = select(TrainingExample).where(TrainingExample.removed_at.is_(None))
    if intent is not None:
        query = query.where(TrainingExample.intent == intent)
    return list(session.scalars(query.order_by(TrainingExample.id)))


def remove_example(session: Session, example_id: int, author: str) -> TrainingExample | None:
    """Take an example back (kept, marked removed); None if there is no such one."""
    example = session.get(TrainingExample, example_id)
    if example is not None:
        versions.take_back(example, author)
    return example


def history(session: Session, intent: str) -> list[versions.Change]:
    """Every change trainers made to an intent's examples, newest first."""
    rows = session.scalars(select(TrainingExample).where(TrainingExample.intent == intent))
    return versions.history(rows)
