"""Reading and deleting a candidate's conversation in Rasa's SQL tracker store.

The chat page restores a conversation from here (`transcript`), so nothing of
the conversation is stored twice. Only conversations whose candidate said yes to
saving are here: the tracker store (rasa_addons/tracker_store.py) keeps the others
in memory and deletes a conversation's rows itself when consent is withdrawn.
`delete_conversation` is for the retention purge (bot.store.retention).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    select,
)

from bot.config import settings
from bot.store.db import engine_for

# The columns of Rasa's own `events` table that we read (rasa/core/tracker_store.py).
_metadata = MetaData()
EVENTS = Table(
    "events",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("type_name", String(255)),
    Column("timestamp", Float),
    Column("action_name", String(255)),
    Column("data", Text),
)


def _engine(url: str | None) -> Engine:
    return engine_for(url or settings().tracker_store_url)


def count_events(sender_id: str, url: str | None = None) -> int:
    """How many tracker events are stored for this conversation (0 if no table yet)."""
    engine = _engine(url)
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, "events"):
            return 0
        count = select(func.count()).select_from(EVENTS).where(EVENTS.c.sender_id == sender_id)
        return conn.scalar(count) or 0


# User messages that are the page's own commands, not something the candidate said.
HIDDEN_MESSAGES = ("/session_start", "/review_feedback")  # see bot.review.decisions
# What the page shows for a message whose words were not passed on (bot.rest_client).
STAND_INS = {"/safety_concern": "(A message about how you are feeling. Its words are not kept.)"}


def transcript(sender_id: str, url: str | None = None) -> list[dict]:
    """The conversation as the chat page shows it: who said what, with buttons.

    A pressed button's payload ("/check_spent") is shown as its title.
    """
    engine = _engine(url)
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, "events"):
            return []
        rows = conn.execute(
            select(EVENTS.c.type_name, EVENTS.c.data)
            .where(EVENTS.c.sender_id == sender_id, EVENTS.c.type_name.in_(("user", "bot")))
            .order_by(EVENTS.c.id)
        ).all()
    messages: list[dict] = []
    titles: dict[str, str] = {}
    for type_name, data in rows:
        event = json.loads(data or "{}")
        text = event.get("text") or ""
        if type_name == "bot":
            buttons = (event.get("data") or {}).get("buttons") or []
            titles.update({b.get("payload"): b.get("title") for b in buttons})
            messages.append({"from": "bot", "text": text, "buttons": buttons})
        elif text and text not in HIDDEN_MESSAGES:
            messages.append({"from": "user", "text": STAND_INS.get(text, titles.get(text, text))})
    return messages


def open_choices(sender_id: str, url: str | None = None) -> list[str] | None:
    """The payloads of the buttons still open: those the assistant gave after the
    candidate's last message, as the chat page shows them. None when nothing of
    the conversation is stored (no yes to saving), so nothing can be checked."""
    messages = transcript(sender_id, url)
    if not messages:
        return None
    last_user = max((i for i, m in enumerate(messages) if m["from"] == "user"), default=-1)
    return [
        str(button.get("payload"))
        for message in messages[last_user + 1 :]
        for button in message.get("buttons") or []
    ]


def first_message_times(sender_ids: list[str], url: str | None = None) -> dict[str, float]:
    """When each conversation's first message was sent (Unix time), where known."""
    engine = _engine(url)
    if not sender_ids:
        return {}
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, "events"):
            return {}
        rows = conn.execute(
            select(EVENTS.c.sender_id, func.min(EVENTS.c.timestamp))
            .where(EVENTS.c.sender_id.in_(sender_ids), EVENTS.c.type_name == "user")
            .group_by(EVENTS.c.sender_id)
        ).all()
    return {sender: float(moment) for sender, moment in rows if moment is not None}


def last_event_times(url: str | None = None) -> dict[str, float]:
    """Every stored conversation with the time of its last event (Unix time)."""
    engine = _engine(url)
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, "events"):
            return {}
        rows = conn.execute(
            select(EVENTS.c.sender_id, func.max(EVENTS.c.timestamp)).group_by(EVENTS.c.sender_id)
        ).all()
    return {sender: float(moment or 0) for sender, moment in rows}


def delete_conversation(sender_id: str, url: str | None = None) -> int:
    """Delete every stored event of the conversation. Returns the number removed."""
    engine = _engine(url)
    with engine.begin() as conn:
        if not engine.dialect.has_table(conn, "events"):
            return 0
        result = conn.execute(delete(EVENTS).where(EVENTS.c.sender_id == sender_id))
        removed = result.rowcount or 0
    if removed and engine.dialect.name == "sqlite":
        with engine.connect() as conn:  # no copy of the rows left in the write-ahead log
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return removed


def every_conversation(url: str | None = None) -> Iterator[list[dict]]:
    """Each saved conversation's events (Rasa's event dicts, in order), one
    conversation at a time, so that reading them all never holds them all."""
    engine = _engine(url)
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, "events"):
            return
        rows = conn.execution_options(stream_results=True).execute(
            select(EVENTS.c.sender_id, EVENTS.c.data).order_by(EVENTS.c.sender_id, EVENTS.c.id)
        )
        sender: str | None = None
        events: list[dict[str, Any]] = []
        for row in rows:
            if row.sender_id != sender and events:
                yield events
                events = []
            sender = row.sender_id
            events.append(json.loads(row.data or "{}"))
        if events:
            yield events
