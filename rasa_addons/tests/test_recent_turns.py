"""A long session handed to Rasa short, meaning the same."""

from __future__ import annotations

from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_addons import recent_turns
from rasa_addons.tests.conftest import conversation


def _tracker(events, domain) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("s", events, domain.slots)


def test_a_short_session_is_handed_over_whole(domain):
    tracker = _tracker(conversation(5), domain)
    assert not recent_turns.too_long(tracker)
    assert recent_turns.recent_events(tracker, domain.slots) == list(tracker.events)


def test_a_long_session_keeps_its_last_turns_and_its_state(domain):
    whole = _tracker(conversation(300), domain)
    assert recent_turns.too_long(whole)
    short = _tracker(recent_turns.recent_events(whole, domain.slots), domain)

    said = [e.text for e in short.events if isinstance(e, UserUttered)]
    assert said == [f"answer {n}" for n in range(300 - recent_turns.KEEP_TURNS, 300)]
    assert short.current_slot_values() == whole.current_slot_values()
    assert short.active_loop_name == whole.active_loop_name == "practice_form"
    assert short.latest_message.text == whole.latest_message.text
    assert len(short.events) < len(whole.events) / 10


def test_the_messages_answered_inside_a_form_are_kept(domain):
    """Rasa's applied_events would leave them out; the policies need them."""
    whole = _tracker(conversation(40), domain)
    short = recent_turns.recent_events(whole, domain.slots)
    assert recent_turns.user_turns(short) == recent_turns.KEEP_TURNS
