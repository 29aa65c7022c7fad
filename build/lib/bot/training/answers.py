"""The assistant's answers to questions and small talk, as trainers reword them.

Each answer (a retrieval intent's response, `utter_faq/is_bot`) has one or more
variants: for an invited candidate, in a practice chat, or for everyone. A trainer
rewords one variant at a time; the conditions stay as the project wrote them, so
a practice chat never gets an invited candidate's wording. The answers that are
promises about data (bot/data/training/intents.yml `locked_answers`) can be read
but not changed here. A trainer's wording is a version (bot.store.models
.TrainingAnswer); going back to the project's wording marks it removed.

`bot training export` writes the answers trainers changed, every variant, to
`data/trainer/responses.yml`: Rasa reads responses in training data and lets them
take the place of the domain's (bot.training.validation accepts the "duplicated
responses" warning for those alone).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.commands import domain_files
from bot.store.models import TrainingAnswer
from bot.training import intents, versions

RESPONSES_FILE = "responses.yml"
MAX_ANSWER = 600  # characters: an answer in the chat is a few sentences
HEADER = (
    "# Written by `bot training export` from the answers trainers reworded (the\n"
    "# training_answers table). Change them there, not here: the next export\n"
    "# writes this file again.\n"
)


class AnswerError(ValueError):
    """Something a trainer can put right; the message says what."""


@dataclass(frozen=True)
class Variant:
    """One wording of an answer, as the page shows it."""

    index: int
    audience: str  # "To a candidate invited by a caseworker", ...
    text: str  # in force: the trainer's, or the project's
    project_text: str
    changed_by: TrainingAnswer | None  # the trainer's version in force, if any


@lru_cache(maxsize=1)
def _project_responses() -> dict[str, list[dict[str, Any]]]:
    """Every response of the domain, as written there."""
    found: dict[str, list[dict[str, Any]]] = {}
    for path in domain_files():
        domain = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        found.update(domain.get("responses") or {})
    return found


def response_of(intent: str) -> str | None:
    """The response that answers a question or small talk ("faq/is_bot")."""
    if intent.split("/", 1)[0] not in intents.RETRIEVAL_INTENTS or "/" not in intent:
        return None
    name = f"utter_{intent}"
    return name if name in _project_responses() else None


def locked_reason(response: str) -> str:
    """Why a trainer may not reword this answer; "" if they may."""
    return intents.settings().get("locked_answers", {}).get(response, "")


def _audience(variants: list[dict[str, Any]], index: int) -> str:
    names = intents.settings()["answer_conditions"]
    condition = variants[index].get("condition") or []
    if any(c.get("name") == "invited" and c.get("value") is True for c in condition):
        return names["invited"]
    others_conditioned = any(v.get("condition") for v in variants)
    return names["practice"] if others_conditioned else names["everyone"]


def variants(session: Session, response: str) -> list[Variant]:
    """The answer's variants with the wording in force for each."""
    project = _project_responses()[response]
    changed = {answer.variant: answer for answer in in_force(session, response)}
    return [
        Variant(
            index=index,
            audience=_audience(project, index),
            text=changed[index].text if index in changed else " ".join(v["text"].split()),
            project_text=" ".join(v["text"].split()),
            changed_by=changed.get(index),
        )
        for index, v in enumerate(project)
    ]


def in_force(session: Session, response: str | None = None) -> list[TrainingAnswer]:
    """The trainers' wordings in force, the newest for each variant."""
    query = select(TrainingAnswer).where(TrainingAnswer.removed_at.is_(None))
    if response is not None:
        query = query.where(TrainingAnswer.response == response)
    return list(session.scalars(query.order_by(TrainingAnswer.id)))


def reword(session: Session, response: str, index: int, text: str, author: str) -> None:
    """A trainer's new wording of one variant, in place of the one in force."""
    if locked_reason(response):
        raise AnswerError("This answer cannot be changed here: " + locked_reason(response))
    project = _project_responses().get(response)
    if project is None or not 0 <= index < len(project):
        raise AnswerError("There is no such answer.")
    text = " ".join(text.split())
    if not text:
        raise AnswerError("The answer is empty: write what the assistant should say.")
    if len(text) > MAX_ANSWER:
        raise AnswerError(f"The answer is too long (at most {MAX_ANSWER} characters).")
    _take_back(session, response, index, author)
    if text != " ".join(project[index]["text"].split()):
        session.add(TrainingAnswer(response=response, variant=index, text=text, author=author))


def back_to_project(session: Session, response: str, index: int, author: str) -> bool:
    """The project's wording again; False if it was in force already."""
    return _take_back(session, response, index, author)


def _take_back(session: Session, response: str, index: int, author: str) -> bool:
    taken = [answer for answer in in_force(session, response) if answer.variant == index]
    for answer in taken:
        versions.take_back(answer, author)
    session.flush()
    return bool(taken)


def history(session: Session, response: str) -> list[versions.Change]:
    """Every change trainers made to an answer, newest first."""
    rows = session.scalars(select(TrainingAnswer).where(TrainingAnswer.response == response))
    return versions.history(rows, made="reworded", taken="replaced")


def responses_yaml(session: Session) -> str:
    """Every answer a trainer reworded, all its variants, as Rasa responses."""
    changed: dict[str, dict[int, str]] = {}
    for answer in in_force(session):
        changed.setdefault(answer.response, {})[answer.variant] = answer.text
    responses = {}
    for response, texts in sorted(changed.items()):
        responses[response] = [
            {**variant, "text": texts.get(index, variant["text"])}
            for index, variant in enumerate(_project_responses()[response])
        ]
    body = yaml.safe_dump(
        {"version": "3.1", "responses": responses}, sort_keys=False, allow_unicode=True
    )
    return HEADER + body
