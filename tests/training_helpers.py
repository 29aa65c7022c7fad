"""Conversations as Rasa's tracker store keeps them, for the trainers' tests."""

from __future__ import annotations

import json

from bot.store.conversations import EVENTS
from bot.store.db import engine_for
from tests.review_helpers import add_account
from tests.web_helpers import signed_in

TRAINER = "tom@x.org"


async def trainer(client) -> str:
    """Signed in as a trainer (made now); their CSRF token."""
    add_account(TRAINER, "trainer")
    return await signed_in(client, TRAINER)


CONSENTED = [{"event": "slot", "name": "consent", "value": True, "timestamp": 1.0}]


def said(text: str, intent: str, confidence: float = 0.95, at: float = 2.0, **intent_extra):
    """A candidate's message, as Rasa stores a UserUttered event."""
    parse = {"intent": {"name": intent, "confidence": confidence, **intent_extra}}
    return {"event": "user", "text": text, "parse_data": parse, "timestamp": at}


def replied(text: str) -> dict:
    return {"event": "bot", "text": text, "timestamp": 2.0}


def ran(action: str) -> dict:
    return {"event": "action", "name": action, "timestamp": 2.0}


def asking_for(slot: str | None, form: str | None = "disclosure_form") -> list[dict]:
    return [
        {"event": "active_loop", "name": form, "timestamp": 2.0},
        {"event": "slot", "name": "requested_slot", "value": slot, "timestamp": 2.0},
    ]


def save_conversation(url: str, sender_id: str, events: list[dict]) -> None:
    """Write `events` into the tracker store at `url` as Rasa's SQL store does."""
    engine = engine_for(url)
    EVENTS.metadata.create_all(engine)
    with engine.begin() as conn:
        for event in events:
            conn.execute(
                EVENTS.insert().values(
                    sender_id=sender_id, type_name=event["event"], data=json.dumps(event)
                )
            )
