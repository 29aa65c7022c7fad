"""Deleting a candidate's conversation history from Rasa's SQL tracker store.

Rasa writes a turn's events in one go when the turn ends, and on saving it
re-adds every event its in-memory tracker holds that the table lacks. Deleting
the rows *during* the turn (from inside an action) would therefore be undone a
moment later. So the delete action schedules `purge_after_turn`, which waits
until the turn that asked for deletion has been written, then removes every row.
"""

from __future__ import annotations

import asyncio
import logging
import time

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, delete, func, select

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
