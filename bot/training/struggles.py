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


@dataclass(frozen=True)
class Struggle:
    """One message the assistant did not handle well, safe for a trainer to read."""

    text: str
    kind: str  # fallback, unsure, asked_again, not_what_i_meant
    intent: str | None
    confidence: float
    reply: str
    at: float


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
    private: bool
    at: float
    fell_back: bool = False
    reply: str = ""


def _message(event: dict[str, Any], asking_for: str | None) -> _Message:
    parse = event.get("parse_data") or {}
    intent = (parse.get("intent") or {}).get("name")
    rules = _rules()
    text = event.get("text") or ""
    return _Message(
        text=text,
        intent=intent,
        question=(parse.get("intent") or {}).get("full_retrieval_intent_name") or intent,
        confidence=float((parse.get("intent") or {}).get("confidence") or 0.0),
        private=(
            asking_for in rules["private_slots"]
            or intent in rules["private_intents"]
            or text.startswith("/")
        ),
        at=float(event.get("timestamp") or 0.0),
        fell_back=intent == FALLBACK_INTENT,
    )


def _walk(events: Iterable[dict[str, Any]]) -> tuple[bool, list[_Message]]:
    """Whether the conversation is consented, and its messages with their replies."""
    consented, messages = False, []
    active_loop: str | None = None
    requested: str | None = None
    for event in events:
        kind = event.get("event")
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
            messages.append(_message(event, requested if active_loop else None))
        elif kind == "action" and event.get("name") == FALLBACK_ACTION and messages:
            messages[-1].fell_back = True
        elif kind == "bot" and messages and event.get("text"):
            last = messages[-1]
            last.reply = f"{last.reply}\n{event['text']}".strip()
    return consented, messages


def struggles(events: Iterable[dict[str, Any]]) -> list[Struggle]:
    """The struggles in one conversation, redacted, oldest first; none if the
    candidate did not say yes to saving (or withdrew it)."""
    consented, messages = _walk(events)
    if not consented:
        return []
    rules, found = _rules(), []
    for index, message in enumerate(messages):
        following = messages[index + 1] if index + 1 < len(messages) else None
        previous = messages[index - 1] if index else None
        if message.private:
            continue
        if _norm(message.text) in rules["not_what_i_meant"]:
            continue  # the complaint itself: the message before it is the struggle
        if message.fell_back:
            kind = "fallback"
        elif following is not None and _norm(following.text) in rules["not_what_i_meant"]:
            kind = "not_what_i_meant"
        elif (
            message.intent in rules["questions"]
            and previous is not None
            and previous.question == message.question
        ):
            kind = "asked_again"
        elif message.confidence < rules["low_confidence"]:
            kind = "unsure"
        else:
            continue
        found.append(
            Struggle(
                text=redact(message.text),
                kind=kind,
                intent=message.intent,
                confidence=message.confidence,
                reply=redact(message.reply),
                at=message.at,
            )
        )
    return found


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
