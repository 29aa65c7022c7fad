"""A conversation that cannot be saved or read fails the turn: Rasa's fall-back to
memory (the candidate answered, the turn forgotten) is off."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.events import SlotSet
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


async def test_the_turn_that_says_yes_to_saving_keeps_the_chat_so_far_if_it_cannot_be_saved(
    tmp_path, domain
):
    """Seen in the chaos test: PostgreSQL restarted as a candidate said yes to
    saving. Their chat so far, kept unsaved until then, was dropped before the
    database took it; the turn was refused and sent again, and carried on from a
    conversation that had lost its start. The chat so far stays until it is saved."""
    store = ConsentTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    unsaved = conversation(1, consent=False)
    tracker = DialogueStateTracker.from_events("s", unsaved, domain.slots)
    await store.save(tracker)
    assert len((await store.retrieve("s")).events) == len(unsaved)

    with store.engine.begin() as conn:  # the database stops taking the conversation
        conn.execute(sa.text("ALTER TABLE events RENAME TO events_away"))
    saying_yes = DialogueStateTracker.from_events(
        "s", [*unsaved, SlotSet("consent", True)], domain.slots
    )
    with pytest.raises(sa.exc.OperationalError):
        await store.save(saying_yes)
    kept = await store.retrieve("s")
    assert kept is not None and len(kept.events) == len(unsaved)  # nothing lost

    with store.engine.begin() as conn:  # back: the turn sent again is saved whole
        conn.execute(sa.text("ALTER TABLE events_away RENAME TO events"))
    await store.save(saying_yes)
    assert len((await store.retrieve("s")).events) == len(unsaved) + 1
