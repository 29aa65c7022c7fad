"""Where the assistant struggled: the candidate messages it did not handle well.

Read from a saved conversation's events (Rasa's own event dicts, as the tracker
store keeps them), one pass, no Rasa needed. A message is a struggle when:

- the assistant fell back ("fallback": the nlu_fallback intent, or
  action_default_fallback ran after it);
- it understood it only with low confidence ("unsure");
- the candidate asked the same question again straight after its answer
  ("asked_again": the answer did not help);
- the next message says the assistant got it wrong ("not_what_i_meant").

Privacy comes first. Only a conversation whose candidate said yes to saving is
read at all (the consent wording tells them trainers may read what the
assistant did not understand, with names and numbers removed). A message is
never taken while the assistant was asking for the candidate's own account (a
statement part, a practice answer, the spent checker's answers), nor a safety
message, nor a button's command. What is kept is redacted (bot.training.redaction),
the assistant's reply too, and says nothing of who wrote it.

Each struggle also keeps how the conversation led up to it, for a test story
made from it (bot.training.stories.turns_from): the messages just before, back
to the start of the session or to a private one, each as what it meant and
what the assistant did. Their words are kept only if the assistant struggled
with them too: the candidate agreed that trainers may read what the assistant
did not understand, and nothing more.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from bot.config import PROJECT_ROOT
from bot.store import conversations
from bot.training.redaction import redact

STRUGGLES_FILE = PROJECT_ROOT / "bot" / "data" / "training" / "struggles.yml"
CONSENT_SLOT = "consent"
FALLBACK_INTENT = "nlu_fallback"
FALLBACK_ACTION = "action_default_fallback"
LISTEN_ACTION = "action_listen"
# Messages kept before a struggle: a story has at most 3 (bot.training.stories).
LEAD_UP = 2


@dataclass(frozen=True)
class Step:
    """A message before a struggle: what it meant and what the assistant did
    next; its (redacted) words only if the assistant struggled with it too."""

    text: str | None
    intent: str | None  # as a story names it: "ask_tips", "faq/who_sees"
    action: str | None  # the first thing the assistant did after it


@dataclass(frozen=True)
class Struggle:
    """One message the assistant did not handle well, safe for a trainer to read."""

    text: str
    kind: str  # fallback, unsure, asked_again, not_what_i_meant
    intent: str | None
    confidence: float
    reply: str
    at: float
    lead_up: tuple[Step, ...] = ()


@dataclass(frozen=True)
class Group:
    """The same wording, however often it came: newest first in the queue."""

    text: str
    kinds: tuple[str, ...]
    count: int
    newest: Struggle

    @property
    def key(self) -> str:
        """The wording's name in a URL and in the database: a hash, not the words."""
        return wording_key(self.text)


def wording_key(text: str) -> str:
    return hashlib.sha256(_norm(text).encode()).hexdigest()[:32]


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    data = yaml.safe_load(STRUGGLES_FILE.read_text())
    data["private_slots"] = frozenset(data["private_slots"])
    data["private_intents"] = frozenset(data["private_intents"])
    data["questions"] = frozenset(data["questions"])
    data["not_what_i_meant"] = frozenset(_norm(p) for p in data["not_what_i_meant"])
    return data


def _norm(text: str) -> str:
    """Lower case, no punctuation, single spaces: how wordings are compared."""
    return " ".join(re.sub(r"[^\w' ]+", " ", text.lower().replace("\u2019", "'")).split())


@dataclass
class _Message:
    """A user message as the walk meets it, before we know how it went."""

    text: str
    intent: str | None
    question: str | None  # what was asked: the intent, or faq/<which> for a retrieval intent
    confidence: float
    private: bool  # the candidate's own account, or a safety message
    command: bool  # a button's payload, not typed words
    at: float
    session: int  # a new session or a restart starts the next
    fell_back: bool = False
    reply: str = ""
    action: str | None = None


def _message(event: dict[str, Any], asking_for: str | None, session: int) -> _Message:
    parse = event.get("parse_data") or {}
    intent = (parse.get("intent") or {}).get("name")
    rules = _rules()
    text = event.get("text") or ""
    return _Message(
        text=text,
        intent=intent,
        question=(parse.get("intent") or {}).get("full_retrieval_intent_name") or intent,
        confidence=float((parse.get("intent") or {}).get("confidence") or 0.0),
        private=asking_for in rules["private_slots"] or intent in rules["private_intents"],
        command=text.startswith("/"),
        at=float(event.get("timestamp") or 0.0),
        session=session,
        fell_back=intent == FALLBACK_INTENT,
    )


def _walk(events: Iterable[dict[str, Any]]) -> tuple[bool, list[_Message]]:
    """Whether the conversation is consented, and its messages with their replies."""
    consented, messages = False, []
    active_loop: str | None = None
    requested: str | None = None
    session = 0
    for event in events:
        kind = event.get("event")
        if kind in ("session_started", "restart"):
            session += 1
        if kind == "slot" and event.get("name") == CONSENT_SLOT:
            consented = event.get("value") is True
        elif kind == "slot" and event.get("name") == "requested_slot":
            requested = event.get("value")
        elif kind == "active_loop":
            active_loop = event.get("name")
            if active_loop is None:
                requested = None
        elif kind in ("restart", "reset_slots"):
            consented, active_loop, requested = False, None, None
        elif kind == "user":
            messages.append(_message(event, requested if active_loop else None, session))
        elif kind == "action" and messages and event.get("name") != LISTEN_ACTION:
            messages[-1].fell_back |= event.get("name") == FALLBACK_ACTION
            messages[-1].action = messages[-1].action or event.get("name")
        elif kind == "bot" and messages and event.get("text"):
            last = messages[-1]
            last.reply = f"{last.reply}\n{event['text']}".strip()
    return consented, messages


def _kind(messages: list[_Message], index: int) -> str | None:
    """How the assistant struggled with message `index`, or None if it did not
    (or the message is not one a trainer may read)."""
    rules, message = _rules(), messages[index]
    following = messages[index + 1] if index + 1 < len(messages) else None
    previous = messages[index - 1] if index else None
    if message.private or message.command:
        return None
    if _norm(message.text) in rules["not_what_i_meant"]:
        return None  # the complaint itself: the message before it is the struggle
    if message.fell_back:
        return "fallback"
    if following is not None and _norm(following.text) in rules["not_what_i_meant"]:
        return "not_what_i_meant"
    if (
        message.intent in rules["questions"]
        and previous is not None
        and previous.question == message.question
    ):
        return "asked_again"
    if message.confidence < rules["low_confidence"]:
        return "unsure"
    return None


def _lead_up(messages: list[_Message], kinds: list[str | None], index: int) -> tuple[Step, ...]:
    """Up to LEAD_UP messages before `index` in its session, stopping at a private one."""
    steps: list[Step] = []
    for before in range(index - 1, max(index - 1 - LEAD_UP, -1), -1):
        message = messages[before]
        if message.private or message.session != messages[index].session:
            break
        text = redact(message.text) if kinds[before] else None
        steps.insert(0, Step(text, message.question, message.action))
    return tuple(steps)


def struggles(events: Iterable[dict[str, Any]]) -> list[Struggle]:
    """The struggles in one conversation, redacted, oldest first; none if the
    candidate did not say yes to saving (or withdrew it)."""
    consented, messages = _walk(events)
    if not consented:
        return []
    kinds = [_kind(messages, index) for index in range(len(messages))]
    return [
        Struggle(
            text=redact(message.text),
            kind=kind,
            intent=message.intent,
            confidence=message.confidence,
            reply=redact(message.reply),
            at=message.at,
            lead_up=_lead_up(messages, kinds, index),
        )
        for index, (message, kind) in enumerate(zip(messages, kinds, strict=True))
        if kind is not None
    ]


def grouped(found: Iterable[Struggle]) -> list[Group]:
    """The same wording (after redaction, ignoring case and punctuation) as one
    group with its count; the groups newest first."""
    by_wording: dict[str, list[Struggle]] = {}
    for struggle in found:
        by_wording.setdefault(_norm(struggle.text), []).append(struggle)
    groups = []
    for same in by_wording.values():
        newest = max(same, key=lambda s: s.at)
        kinds = tuple(sorted({s.kind for s in same}))
        groups.append(Group(newest.text, kinds, len(same), newest))
    return sorted(groups, key=lambda g: g.newest.at, reverse=True)


def queue(tracker_store_url: str | None = None) -> list[Group]:
    """The trainers' queue: every saved conversation's struggles, grouped."""
    return grouped(
        struggle
        for events in conversations.every_conversation(tracker_store_url)
        for struggle in struggles(events)
    )
