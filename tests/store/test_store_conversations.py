"""Deleting a conversation from a real SQL tracker store with Rasa's `events` schema."""

from sqlalchemy import insert

from bot.store.conversations import (
    EVENTS,
    _metadata,
    count_events,
    delete_conversation,
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
