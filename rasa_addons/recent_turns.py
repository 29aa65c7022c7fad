"""A long conversation handed to Rasa as its recent turns and the state before them.

Rasa replays, copies and featurises every event of a session several times a
turn, and sends them all to the action server with each action call, so a turn
cost more the longer the session ran (measured: turns 290-310 of one session
took 3.7 times as long as turns 11-30). Nothing the product does looks further
back than a few turns: the policies look at the last five (MemoizationPolicy's
max_history) or at a rule's few steps, and the actions read the slots and the
current turn. So once a session holds more than MAX_TURNS candidate messages, the
tracker store gives Rasa a shorter one: the slots and the open form as they were
before the last KEEP_TURNS messages, then those messages and what followed
each. Every event stays stored; only what Rasa works on is shorter.
"""

from __future__ import annotations

from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SlotSet, UserUttered
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker

# Past this many candidate messages in the events handed to Rasa, shorten them...
MAX_TURNS = 16
# ...to the state before the last this-many messages, and those messages' turns.
# Kept well above what any policy or action looks back on (five turns).
KEEP_TURNS = 8


def user_turns(events: list[Event]) -> int:
    return sum(isinstance(e, UserUttered) for e in events)


def too_long(tracker: DialogueStateTracker) -> bool:
    return user_turns(list(tracker.events)) > MAX_TURNS


def recent_events(tracker: DialogueStateTracker, slots: list[Slot]) -> list[Event]:
    """The state before the last KEEP_TURNS messages, then those turns, as they
    happened (not Rasa's applied_events, which leaves out the messages answered
    inside a form: those must reach the policies as they did the first time)."""
    events = list(tracker.events)
    starts = [i for i, event in enumerate(events) if isinstance(event, UserUttered)]
    if len(starts) <= KEEP_TURNS:
        return list(tracker.events)
    cut = starts[-KEEP_TURNS]
    before = DialogueStateTracker.from_events(tracker.sender_id, events[:cut], slots)
    return [*state_of(before, events[cut].timestamp), *events[cut:]]


def state_of(tracker: DialogueStateTracker, timestamp: float) -> list[Event]:
    """Events that bring a new tracker to `tracker`'s slots and open form, then
    listen (as a session start ends)."""
    state: list[Event] = [
        SlotSet(name, slot.value, timestamp=timestamp)
        for name, slot in tracker.slots.items()
        if slot.value != slot.initial_value
    ]
    if tracker.active_loop_name:
        state.append(ActiveLoop(tracker.active_loop_name, timestamp=timestamp))
    state.append(ActionExecuted(ACTION_LISTEN_NAME, timestamp=timestamp))
    return state
