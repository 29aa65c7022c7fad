"""Test stories trainers write: "the candidate says ..., the assistant should ...".

A trainer writes a story on a form, or starts one from a message in the queue:
the real conversation that led up to it (turns_from), its wording redacted, as
everything a trainer reads is. Each turn is what the
candidate says, what they meant (an intent, chosen as on the teaching page) and
how the assistant should answer (one of its replies, chosen by its words; a
question or small talk is answered by its own answer). Stories are kept in the
database (bot.store.models.TrainingStory: who, when, what; taken back, never
deleted) and written as Rasa test stories to `tests/test_trainer_stories.yml`,
which `make test` and a trainer's "Check my changes" run with the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.commands import domain_files
from bot.store.models import TrainingStory
from bot.training import intents, versions
from bot.training.redaction import redact
from bot.training.struggles import LEAD_UP, Struggle

STORIES_FILE = "test_trainer_stories.yml"
MAX_TURNS = LEAD_UP + 1  # a struggle and the messages that led up to it
MAX_NAME = 120
MAX_TEXT = 300  # characters, as for a taught example
HEADER = (
    "# Written by `bot training export` from the stories trainers wrote (the\n"
    "# training_stories table). Change them there, not here: the next export\n"
    "# writes this file again.\n"
)


class StoryError(ValueError):
    """Something a trainer can put right; the message says what."""


@dataclass(frozen=True)
class Reply:
    """One way the assistant can answer, as a trainer chooses it."""

    name: str  # the response Rasa utters: "utter_ask_person"
    text: str  # its first wording


@dataclass(frozen=True)
class Turn:
    text: str
    intent: str
    reply: str  # a response's name


@lru_cache(maxsize=1)
def replies() -> tuple[Reply, ...]:
    """The replies a story may expect, in the domain's order: every response but
    the questions' and small talk's answers (a story expects those by asking)."""
    found: list[Reply] = []
    for path in domain_files():
        domain = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variants in (domain.get("responses") or {}).items():
            texts = [v["text"] for v in variants or [] if v.get("text")]
            if "/" not in name and texts:
                found.append(Reply(name, " ".join(texts[-1].split())))
    return tuple(found)


def reply_for(intent: str, chosen: str) -> str:
    """The response a turn expects: a question or small talk is answered by its
    retrieval intent's own response (utter_faq), whatever was chosen."""
    family = intent.split("/", 1)[0]
    if family in intents.RETRIEVAL_INTENTS:
        return f"utter_{family}"
    if chosen not in {reply.name for reply in replies()}:
        raise StoryError("Choose how the assistant should answer each message.")
    return chosen


def turns_from(struggle: Struggle) -> list[Turn]:
    """A story's turns from a real conversation: the messages that led up to the
    struggle, then the struggle itself, for the trainer to say what it meant.

    A message the assistant understood is written as one of the project's own
    examples of what it meant: a trainer may read only the messages the assistant
    struggled with (those come redacted). What each meant and what the assistant
    did next are kept where a story can name them; the rest is left to choose.
    """
    reply_names = {reply.name for reply in replies()}
    turns = []
    for step in struggle.lead_up:
        intent = intents.by_name(step.intent or "")
        known = intent.examples[:1] if intent else ()
        text = step.text if step.text is not None else (known or ("",))[0]
        reply = step.action if step.action in reply_names else ""
        turns.append(Turn(text or "", intent.name if intent else "", reply or ""))
    return [*turns, Turn(struggle.text, "", "")]


def add_story(session: Session, name: str, turns: list[Turn], author: str) -> TrainingStory:
    """A new story from a trainer's form; every message redacted again."""
    name = " ".join(name.split())
    if not name:
        raise StoryError("Give the story a name: what it checks, in a few words.")
    if len(name) > MAX_NAME:
        raise StoryError(f"The name is too long (at most {MAX_NAME} characters).")
    if not turns:
        raise StoryError("Write at least one message the candidate sends.")
    if len(turns) > MAX_TURNS:
        raise StoryError(f"A story has at most {MAX_TURNS} messages.")
    steps = []
    for turn in turns:
        text = redact(" ".join(turn.text.split()))
        if not text or len(text) > MAX_TEXT:
            raise StoryError(f"Each message needs between 1 and {MAX_TEXT} characters.")
        if intents.by_name(turn.intent) is None:
            raise StoryError("Choose what each message meant.")
        steps.append(
            {"user": text, "intent": turn.intent, "reply": reply_for(turn.intent, turn.reply)}
        )
    story = TrainingStory(name=name, steps=steps, author=author)
    session.add(story)
    session.flush()
    return story


def in_force(session: Session) -> list[TrainingStory]:
    """The stories not taken back, oldest first."""
    query = select(TrainingStory).where(TrainingStory.removed_at.is_(None))
    return list(session.scalars(query.order_by(TrainingStory.id)))


def every_story(session: Session) -> list[TrainingStory]:
    """Every story, taken back or not, newest first: the stories' history."""
    return list(session.scalars(select(TrainingStory).order_by(TrainingStory.id.desc())))


def remove_story(session: Session, story_id: int, author: str) -> TrainingStory | None:
    """Take a story back (kept, marked removed); None if there is no such one."""
    story = session.get(TrainingStory, story_id)
    if story is not None:
        versions.take_back(story, author)
    return story


def stories_yaml(session: Session) -> str:
    """The stories in force as Rasa 3 test stories."""
    stories: list[dict[str, Any]] = []
    for story in in_force(session):
        steps: list[dict[str, str]] = []
        for step in story.steps:
            steps += [{"user": step["user"], "intent": step["intent"]}, {"action": step["reply"]}]
        stories.append({"story": f"{story.name} (by {story.author})", "steps": steps})
    body = yaml.safe_dump(
        {"version": "3.1", "stories": stories}, sort_keys=False, allow_unicode=True
    )
    return HEADER + body
