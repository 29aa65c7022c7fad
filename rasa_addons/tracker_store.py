"""A tracker store that writes a conversation to disk only once the candidate has
said yes to saving.

Rasa keeps every event of a conversation (each message's text, every slot value)
in its tracker store. The product promises that a candidate who has not agreed to
saving - before they answer the consent question, after "no", after "delete my
data" - leaves none of their words behind once the session ends. So:

- a tracker whose `consent` slot is true is saved in SQL, as SQLTrackerStore does;
- any other tracker is kept only in this process's memory, and forgotten after
  the session's idle time (the domain's session_expiration_time unless
  UNSAVED_CHAT_IDLE_MINUTES says otherwise); a restart forgets it too;
- when a saved conversation stops being consented (deletion resets every slot),
  its rows are deleted at once, and what is kept in memory starts after that
  reset, so the deleted words are not held on to either.

Engines are made with `hide_parameters`, so an SQL error never prints message
text into a log, and SQLite overwrites deleted rows (`secure_delete`).
"""

from __future__ import annotations

import logging
import os
import time
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import AllSlotsReset, Event, Restarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

CONSENT_SLOT = "consent"
# Events after which nothing earlier in the conversation belongs to it any more.
RESETS = (AllSlotsReset, Restarted)


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


class ConsentTrackerStore(SQLTrackerStore):
    """SQL for consented conversations, memory (with an idle timeout) for the rest."""

    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        idle_minutes: float | None = None,
        **kwargs: dict[str, Any],
    ) -> None:
        super().__init__(domain=domain, host=host, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, hide_parameters=True, **create_engine_kwargs(url))
        if url.get_backend_name() == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_secure_delete)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        minutes = idle_minutes or os.environ.get("UNSAVED_CHAT_IDLE_MINUTES")
        if not minutes and domain is not None:
            minutes = domain.session_config.session_expiration_time
        self.idle_seconds = float(minutes or 60) * 60
        # sender id -> (last used, serialised tracker), least recently used first.
        self.unsaved: OrderedDict[str, tuple[float, str]] = OrderedDict()

    # --- what is kept in memory -------------------------------------------------
    def forget_idle(self, now: float | None = None) -> int:
        """Drop every unsaved conversation idle for longer than the session lasts."""
        now = time.time() if now is None else now
        dropped = 0
        while self.unsaved:
            sender_id, (used, _) = next(iter(self.unsaved.items()))
            if now - used < self.idle_seconds:
                break
            del self.unsaved[sender_id]
            dropped += 1
        return dropped

    def _keep_unsaved(self, tracker: DialogueStateTracker) -> None:
        events = since_last_reset(list(tracker.events))
        self.unsaved.pop(tracker.sender_id, None)
        if not events:
            return
        kept = DialogueStateTracker.from_events(tracker.sender_id, events, self.domain.slots)
        self.unsaved[tracker.sender_id] = (time.time(), self.serialise_tracker(kept))

    def _unsaved(self, sender_id: str) -> DialogueStateTracker | None:
        self.forget_idle()
        found = self.unsaved.get(sender_id)
        if found is None:
            return None
        self.unsaved.move_to_end(sender_id)
        self.unsaved[sender_id] = (time.time(), found[1])
        return self.deserialise_tracker(sender_id, found[1])

    # --- the TrackerStore interface -----------------------------------------------
    async def save(self, tracker: DialogueStateTracker) -> None:
        self.forget_idle()
        if consented(tracker):
            self.unsaved.pop(tracker.sender_id, None)
            await super().save(tracker)
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
        return self._unsaved(sender_id) or await super().retrieve(sender_id)

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        return self._unsaved(conversation_id) or await super().retrieve_full_tracker(
            conversation_id
        )

    async def keys(self) -> Iterable[str]:
        self.forget_idle()
        return set(await super().keys()) | set(self.unsaved)


def _sqlite_secure_delete(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()
