"""The tracker store and the lock store, on real SQLite and a real Redis server."""

from __future__ import annotations

import json

import sqlalchemy as sa
from rasa.core.lock import TicketLock
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from rasa_addons import recent_turns
from rasa_addons.lock_store import SharedLockStore
from rasa_addons.tests.conftest import conversation, turn
from rasa_addons.tracker_store import CHECKPOINT, ConsentTrackerStore


def _store(tmp_path, domain, redis_url=None) -> ConsentTrackerStore:
    return ConsentTrackerStore(
        domain=domain, dialect="sqlite", db=str(tmp_path / "tracker.db"), redis_url=redis_url
    )


def _rows(store: ConsentTrackerStore, sender: str) -> list[tuple[str, dict]]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"),
            {"s": sender},
        ).all()
    return [(t, json.loads(d)) for t, d in rows]


async def _chat(store: ConsentTrackerStore, domain, sender: str, turns: int) -> None:
    """As Rasa does each turn: read the tracker, add the turn, save it."""
    first = DialogueStateTracker.from_events(sender, conversation(0), domain.slots)
    await store.save(first)
    for number in range(turns):
        tracker = await store.retrieve(sender)
        for event in turn(f"answer {number}", at=2e9 + number):
            tracker.update(event)
        await store.save(tracker)


async def test_a_long_saved_session_is_stored_whole_and_read_short(tmp_path, domain):
    store = _store(tmp_path, domain)
    await _chat(store, domain, "s", 60)

    said = [d["text"] for t, d in _rows(store, "s") if t == "user"]
    assert said == ["yes"] + [f"answer {n}" for n in range(60)]  # once each, in order
    assert [t for t, _ in _rows(store, "s")].count(CHECKPOINT) == 1

    short = await store.retrieve("s")
    assert recent_turns.user_turns(list(short.events)) <= recent_turns.MAX_TURNS
    whole = DialogueStateTracker.from_dict(
        "s", [d for t, d in _rows(store, "s") if t != CHECKPOINT], domain.slots
    )
    assert short.current_slot_values() == whole.current_slot_values()
    # Rasa's own reading of the whole session never meets a checkpoint.
    full = await store.retrieve_full_tracker("s")
    assert [e.text for e in full.events if isinstance(e, UserUttered)][-1] == "answer 59"


async def test_withdrawing_consent_deletes_the_checkpoint_too(tmp_path, domain):
    store = _store(tmp_path, domain)
    await _chat(store, domain, "s", 40)
    assert "MARKER-part" in json.dumps(_rows(store, "s"))
    tracker = await store.retrieve("s")
    from rasa.shared.core.events import AllSlotsReset

    tracker.update(AllSlotsReset())
    await store.save(tracker)
    assert _rows(store, "s") == []


async def test_a_long_unsaved_session_is_kept_short_in_redis(tmp_path, domain, redis_url):
    store = _store(tmp_path, domain, redis_url)
    tracker = DialogueStateTracker.from_events("u", conversation(50, consent=False), domain.slots)
    await store.save(tracker)
    other_replica = _store(tmp_path, domain, redis_url)
    kept = await other_replica.retrieve("u")
    assert recent_turns.user_turns(list(kept.events)) == recent_turns.KEEP_TURNS
    assert kept.get_slot("what_happened") == "MARKER-part"
    assert _rows(store, "u") == []  # nothing of it on disk


def test_two_replicas_see_one_candidates_lock(redis_url):
    first = SharedLockStore(EndpointConfig(redis_url))
    second = SharedLockStore(EndpointConfig(redis_url))
    lock = first.create_lock("candidate")
    ticket = lock.issue_ticket(30)
    first.save_lock(lock)
    seen = second.get_lock("candidate")
    assert isinstance(seen, TicketLock) and seen.is_locked(ticket + 1)
    assert SharedLockStore(None).get_lock("candidate") is None  # one process: memory
