"""Deleting a conversation from a real SQL tracker store with Rasa's `events` schema."""

import asyncio
import time

from sqlalchemy import insert

from bot.store.conversations import (
    EVENTS,
    _metadata,
    count_events,
    delete_conversation,
    purge_after_turn,
)
from bot.store.db import engine_for


def _store(tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    _metadata.create_all(engine_for(url))
    return url


def _add(url, sender, action_name, timestamp, type_name="action"):
    with engine_for(url).begin() as conn:
        conn.execute(
            insert(EVENTS).values(
                sender_id=sender, type_name=type_name, action_name=action_name, timestamp=timestamp
            )
        )


def test_counts_are_zero_before_rasa_made_the_table(tmp_path):
    url = f"sqlite:///{tmp_path / 'none.db'}"
    assert count_events("a", url) == 0
    assert delete_conversation("a", url) == 0


def test_delete_removes_only_that_conversation(tmp_path):
    url = _store(tmp_path)
    _add(url, "a", "action_listen", 1.0)
    _add(url, "a", "utter_greet", 2.0)
    _add(url, "b", "action_listen", 1.0)
    assert delete_conversation("a", url) == 2
    assert count_events("a", url) == 0
    assert count_events("b", url) == 1


def test_purge_waits_for_the_turn_to_be_written(tmp_path):
    url = _store(tmp_path)
    started = time.time()
    _add(url, "a", "action_listen", started - 10)  # an earlier turn

    async def scenario():
        purge = asyncio.create_task(purge_after_turn("a", since=started, url=url, poll=0.05))
        await asyncio.sleep(0.3)
        assert not purge.done(), "must not delete before the turn is stored"
        _add(url, "a", "action_delete_data", started + 0.1)
        _add(url, "a", "action_listen", started + 0.2)  # Rasa writes the turn
        return await asyncio.wait_for(purge, timeout=5)

    assert asyncio.run(scenario()) == 3
    assert count_events("a", url) == 0


def test_purge_deletes_at_the_timeout_even_if_the_turn_never_appears(tmp_path):
    url = _store(tmp_path)
    _add(url, "a", "action_listen", 1.0)
    removed = asyncio.run(purge_after_turn("a", since=time.time(), url=url, timeout=0.3))
    assert removed == 1
