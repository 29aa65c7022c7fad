"""What Rasa checks once instead of every turn is still checked."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event, SlotSet, UserUttered

from rasa_addons.faster_turns import do_once_what_rasa_redoes


def test_an_action_servers_answer_is_still_checked_against_the_schema():
    do_once_what_rasa_redoes()
    action = RemoteAction("action_x", None)
    slot = {"event": "slot", "name": "consent", "value": True}
    assert action._validate_action_result({"events": [slot], "responses": []})
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": [{**slot, "timestamp": "noon"}]})
    with pytest.raises(ValidationError):
        action._validate_action_result({"responses": "not a list"})


def test_stored_events_still_become_their_own_classes():
    do_once_what_rasa_redoes()
    assert Event.resolve_by_type("slot") is SlotSet
    assert Event.resolve_by_type("user") is UserUttered
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
    assert Event.from_parameters({"event": "slot", "name": "consent", "value": True}) == SlotSet(
        "consent", True
    )
