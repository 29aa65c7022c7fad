"""A conversation that cannot be saved or read fails the turn: Rasa's fall-back to
memory (the candidate answered, the turn forgotten) is off."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_addons.store_outage import refuse_turns_without_tracker_store
from rasa_addons.tests.conftest import conversation, turn
from rasa_addons.tracker_store import ConsentTrackerStore


async def test_a_conversation_the_database_cannot_take_fails_the_turn(tmp_path, domain):
    refuse_turns_without_tracker_store()
    refuse_turns_without_tracker_store()  # once only, however often it is asked
    store = ConsentTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    failsafe = FailSafeTrackerStore(store)  # as Rasa's Agent wraps every store
    tracker = DialogueStateTracker.from_events("s", conversation(2), domain.slots)
    await failsafe.save(tracker)

    with store.engine.begin() as conn:  # the database stops taking the conversation
        conn.execute(sa.text("DROP TABLE events"))
    for event in turn("a part written during the fault", at=2e9):
        tracker.update(event)

    with pytest.raises(sa.exc.OperationalError):
        await failsafe.save(tracker)
    assert await failsafe.fallback_tracker_store.retrieve("s") is None  # not kept aside
    # Nor is a conversation that cannot be read begun again from nothing.
    with pytest.raises(sa.exc.OperationalError):
        await failsafe.retrieve("s")
    with pytest.raises(sa.exc.OperationalError):
        await failsafe.retrieve_full_tracker("s")
