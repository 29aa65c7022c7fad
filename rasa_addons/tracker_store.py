"""A tracker store that writes a conversation to disk only once the candidate has
said yes to saving.

Rasa keeps every event of a conversation (each message's text, every slot value)
in its tracker store. The product promises that a candidate who has not agreed to
saving - before they answer the consent question, after "no", after "delete my
data" - leaves none of their words behind once the session ends. So:

- a tracker whose `consent` slot is true is saved in SQL, as SQLTrackerStore does;
- any other tracker is kept only in memory, and forgotten after the session's
  idle time (the domain's session_expiration_time unless
  UNSAVED_CHAT_IDLE_MINUTES says otherwise): this process's memory, or with
  several Rasa replicas (`redis_url`) a Redis server that keeps nothing on disk,
  so that any replica can carry on any conversation;
- when a saved conversation stops being consented (deletion resets every slot),
  its rows are deleted at once, and what is kept in memory starts after that
  reset, so the deleted words are not held on to either.

A long session is handed to Rasa shortened (rasa_addons.recent_turns), so a turn
costs the same at the 300th message as at the 20th. For a saved conversation the
shortened events are kept as one more row of the conversation (a "checkpoint",
which Rasa itself never reads), so that a turn reads only the rows written since;
it goes with the conversation's other rows whenever those are deleted.

Engines are made with `hide_parameters`, so an SQL error never prints message
text into a log, and SQLite overwrites deleted rows (`secure_delete`).
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    AllSlotsReset,
    Event,
    Restarted,
    SessionStarted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.store.outage import reconnect_patiently
from rasa_addons import recent_turns
from rasa_addons.lock_store import REDIS_TIMEOUT_SECONDS

logger = logging.getLogger(__name__)

CONSENT_SLOT = "consent"
# Events after which nothing earlier in the conversation belongs to it any more.
RESETS = (AllSlotsReset, Restarted)
# The type of the rows that hold a shortened session (not one of Rasa's events).
CHECKPOINT = "checkpoint"
# Set on a tracker read from SQL: how many of its events are stored already.
STORED = "_events_stored"


def consented(tracker: DialogueStateTracker) -> bool:
    return tracker.get_slot(CONSENT_SLOT) is True


def since_last_reset(events: list[Event]) -> list[Event]:
    """The events after the last reset; none at all if no message came after it
    (so the next message starts a fresh session)."""
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], RESETS):
            rest = events[index + 1 :]
            return rest if any(isinstance(e, UserUttered) for e in rest) else []
    return list(events)


class MemoryChats:
    """Unsaved conversations in this process's memory, least recently used first."""

    def __init__(self, idle_seconds: float) -> None:
        self.idle_seconds = idle_seconds
        self.chats: OrderedDict[str, tuple[float, str]] = OrderedDict()

    def forget_idle(self, now: float | None = None) -> int:
        """Drop every conversation idle for longer than the session lasts."""
        now = time.time() if now is None else now
        dropped = 0
        while self.chats:
            sender_id, (used, _) = next(iter(self.chats.items()))
            if now - used < self.idle_seconds:
                break
            del self.chats[sender_id]
            dropped += 1
        return dropped

    def get(self, sender_id: str) -> str | None:
        self.forget_idle()
        found = self.chats.pop(sender_id, None)
        if found is None:
            return None
        self.chats[sender_id] = (time.time(), found[1])  # now the newest
        return found[1]

    def put(self, sender_id: str, serialised: str) -> None:
        self.forget_idle()
        self.chats.pop(sender_id, None)
        self.chats[sender_id] = (time.time(), serialised)

    def drop(self, sender_id: str) -> None:
        self.chats.pop(sender_id, None)

    def senders(self) -> set[str]:
        self.forget_idle()
        return set(self.chats)


class RedisChats:
    """Unsaved conversations in Redis, each expiring after the idle time (every
    use starts the time again). The server must keep nothing on disk."""

    PREFIX = "unsaved:"

    def __init__(self, url: str, idle_seconds: float) -> None:
        import redis

        self.idle_seconds = idle_seconds
        self.red = redis.StrictRedis.from_url(url, socket_timeout=REDIS_TIMEOUT_SECONDS)

    def get(self, sender_id: str) -> str | None:
        found = self.red.getex(self.PREFIX + sender_id, ex=int(self.idle_seconds))
        return found.decode() if found is not None else None

    def put(self, sender_id: str, serialised: str) -> None:
        self.red.set(self.PREFIX + sender_id, serialised, ex=int(self.idle_seconds))

    def drop(self, sender_id: str) -> None:
        self.red.delete(self.PREFIX + sender_id)

    def senders(self) -> set[str]:
        return {k.decode()[len(self.PREFIX) :] for k in self.red.scan_iter(self.PREFIX + "*")}


class ConsentTrackerStore(SQLTrackerStore):
    """SQL for consented conversations, memory (with an idle timeout) for the rest."""

    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        idle_minutes: float | None = None,
        redis_url: str | None = None,
        **kwargs: dict[str, Any],
    ) -> None:
        super().__init__(domain=domain, host=host, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        engine_kwargs = create_engine_kwargs(url)
        sqlite = url.get_backend_name() == "sqlite"
        if not sqlite:
            engine_kwargs["pool_pre_ping"] = True  # a connection left from before a restart
        self.engine = sa.create_engine(url, hide_parameters=True, **engine_kwargs)
        if sqlite:
            sa.event.listen(self.engine, "connect", _sqlite_secure_delete)
        else:  # ride out a PostgreSQL restart (bot.store.outage)
            reconnect_patiently(self.engine)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        minutes = idle_minutes or os.environ.get("UNSAVED_CHAT_IDLE_MINUTES")
        if not minutes and domain is not None:
            minutes = domain.session_config.session_expiration_time
        idle_seconds = float(minutes or 60) * 60
        self.unsaved = (
            RedisChats(redis_url, idle_seconds) if redis_url else MemoryChats(idle_seconds)
        )

    def _keep_unsaved(self, tracker: DialogueStateTracker) -> None:
        events = since_last_reset(list(tracker.events))
        if not events:
            self.unsaved.drop(tracker.sender_id)
            return
        kept = DialogueStateTracker.from_events(tracker.sender_id, events, self.domain.slots)
        if recent_turns.too_long(kept):
            kept = DialogueStateTracker.from_events(
                tracker.sender_id, recent_turns.recent_events(kept, self.domain.slots),
                self.domain.slots,
            )  # fmt: skip
        self.unsaved.put(tracker.sender_id, self.serialise_tracker(kept))

    def _unsaved(self, sender_id: str) -> DialogueStateTracker | None:
        found = self.unsaved.get(sender_id)
        return None if found is None else self.deserialise_tracker(sender_id, found)

    # --- a saved session, shortened ----------------------------------------------
    def _event_query(self, session: Any, sender_id: str, fetch_events_from_all_sessions: bool):
        """Rasa's own queries (whole sessions, counts) never see a checkpoint."""
        query = super()._event_query(session, sender_id, fetch_events_from_all_sessions)
        return query.filter(self.SQLEvent.type_name != CHECKPOINT)

    def _recent(self, sender_id: str) -> DialogueStateTracker | None:
        """The current session as Rasa should work on it: the latest checkpoint and
        the rows after it, or (before the first checkpoint) the whole session."""
        with self.session_scope() as session:
            checkpoint = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == sender_id, self.SQLEvent.type_name == CHECKPOINT)
                .order_by(self.SQLEvent.id.desc())
                .first()
            )
            rows = []
            if checkpoint is not None:
                rows = (
                    session.query(self.SQLEvent)
                    .filter(self.SQLEvent.sender_id == sender_id, self.SQLEvent.id > checkpoint.id)
                    .order_by(self.SQLEvent.id)
                    .all()
                )
            if checkpoint is None or any(r.type_name == SessionStarted.type_name for r in rows):
                rows = self._event_query(session, sender_id, False).all()
                events = [json.loads(row.data) for row in rows]
            else:
                events = json.loads(checkpoint.data)["events"]
                events += [json.loads(row.data) for row in rows]
        if not events or self.domain is None:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        setattr(tracker, STORED, len(tracker.events))
        return tracker

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        """The events not stored yet: counted from what was read, when it was read here."""
        stored = getattr(tracker, STORED, None)
        if stored is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, None)

    def _checkpoint(self, tracker: DialogueStateTracker) -> None:
        """Store the shortened session as the conversation's one checkpoint."""
        events = recent_turns.recent_events(tracker, self.domain.slots)
        data = {
            "event": CHECKPOINT,
            "timestamp": time.time(),
            "events": [e.as_dict() for e in events],
        }
        with self.session_scope() as session:
            session.query(self.SQLEvent).filter(
                self.SQLEvent.sender_id == tracker.sender_id, self.SQLEvent.type_name == CHECKPOINT
            ).delete(synchronize_session=False)
            session.add(
                self.SQLEvent(
                    sender_id=tracker.sender_id,
                    type_name=CHECKPOINT,
                    timestamp=data["timestamp"],
                    data=json.dumps(data),
                )
            )
            session.commit()

    # --- the TrackerStore interface -----------------------------------------------
    async def save(self, tracker: DialogueStateTracker) -> None:
        if consented(tracker):
            # Saved first, then the unsaved copy dropped: if the database cannot
            # take the turn (a restart), the turn fails and is sent again, and the
            # chat so far is still there to carry on from.
            await super().save(tracker)
            self.unsaved.drop(tracker.sender_id)
            setattr(tracker, STORED, len(tracker.events))
            if recent_turns.too_long(tracker):
                self._checkpoint(tracker)
            return
        self._keep_unsaved(tracker)
        self.delete_saved(tracker.sender_id)

    def delete_saved(self, sender_id: str) -> int:
        """Remove every stored event of the conversation (consent was withdrawn)."""
        with self.session_scope() as session:
            removed = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
            session.commit()
            if removed and self.engine.url.get_backend_name() == "sqlite":
                # Empty the write-ahead log (if the file uses one), so no copy of
                # the deleted rows stays behind in it.
                session.execute(sa.text("PRAGMA wal_checkpoint(TRUNCATE)"))
        if removed:
            logger.info("Deleted %d stored events of a conversation without consent.", removed)
        return removed

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        return self._unsaved(sender_id) or self._recent(sender_id)

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        return self._unsaved(conversation_id) or await super().retrieve_full_tracker(
            conversation_id
        )

    async def keys(self) -> Iterable[str]:
        return set(await super().keys()) | self.unsaved.senders()


def _sqlite_secure_delete(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()
