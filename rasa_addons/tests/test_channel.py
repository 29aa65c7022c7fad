"""A message sent again is answered with the replies it already got."""

from __future__ import annotations

from rasa.shared.core.trackers import DialogueStateTracker

from rasa_addons.channel import replies_to
from rasa_addons.tests.conftest import conversation, turn


def test_the_replies_to_a_named_message_are_found_again(domain):
    events = conversation(3) + turn("the named one", at=2e9, message_id="m-12345678")
    events += turn("a later one", at=2e9 + 1)
    tracker = DialogueStateTracker.from_events("s", events, domain.slots)
    assert replies_to(tracker, "m-12345678") == [
        {"recipient_id": "s", "text": "reply to the named one"}
    ]


def test_a_message_never_handled_has_no_replies(domain):
    tracker = DialogueStateTracker.from_events("s", conversation(3), domain.slots)
    assert replies_to(tracker, "m-00000000") is None
    assert replies_to(None, "m-00000000") is None
