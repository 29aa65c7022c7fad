"""Reading and deleting a candidate's conversation in Rasa's SQL tracker store.

The chat page restores a conversation from here (`transcript`), so nothing of
the conversation is stored twice.

Rasa writes a turn's events in one go when the turn ends, and on saving it
re-adds every event its in-memory tracker holds that the table lacks. Deleting
the rows *during* the turn (from inside an action) would therefore be undone a
moment later. So the delete action schedules `purge_after_turn`, which waits
until the turn that asked for deletion has been written, then removes every row.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, delete, func, select

from bot.config import settings
from bot.store.db import engine_for

log = logging.getLogger(__name__)

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


def _engine(url: str | None):
    return engine_for(url or settings().tracker_store_url)


def count_events(sender_id: str, url: str | None = None) -> int:
    """How many tracker events are stored for this conversation (0 if no table yet)."""
    engine = _engine(url)
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, "events"):
            return 0
        return conn.scalar(
            select(func.count()).select_from(EVENTS).where(EVENTS.c.sender_id == sender_id)
        )


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


def delete_conversation(sender_id: str, url: str | None = None) -> int:
    """Delete every stored event of the conversation. Returns the number removed."""
    engine = _engine(url)
    with engine.begin() as conn:
        if not engine.dialect.has_table(conn, "events"):
            return 0
        result = conn.execute(delete(EVENTS).where(EVENTS.c.sender_id == sender_id))
        return result.rowcount or 0


def _turn_written(sender_id: str, since: float, url: str | None) -> bool:
    engine = _engine(url)
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, "events"):
            return False
        found = conn.scalar(
            select(func.count())
            .select_from(EVENTS)
            .where(
                EVENTS.c.sender_id == sender_id,
                EVENTS.c.type_name == "action",
                EVENTS.c.action_name == "action_listen",
                EVENTS.c.timestamp >= since,
            )
        )
        return bool(found)


async def purge_after_turn(
    sender_id: str,
    since: float,
    url: str | None = None,
    timeout: float = 60.0,
    poll: float = 0.2,
) -> int:
    """Wait until the turn that started at `since` is saved, then delete the conversation.

    If the turn is never seen (Rasa down), the rows are deleted anyway at the timeout.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await asyncio.to_thread(_turn_written, sender_id, since, url):
            break
        await asyncio.sleep(poll)
    removed = await asyncio.to_thread(delete_conversation, sender_id, url)
    log.info("deleted %d tracker events for a conversation on request", removed)
    return removed
