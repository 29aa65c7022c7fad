"""A turn whose conversation could not be read or saved is refused, not forgotten.

Rasa wraps every tracker store in a FailSafeTrackerStore. When saving fails (the
database is restarting, say) it logs the error and saves to memory instead: the
candidate gets the reply, and the turn is gone for every other replica, and for
this one after the next read. When reading fails it returns nothing, and Rasa
starts the candidate's conversation again from the beginning. Either way the
candidate is told one thing and the assistant remembers another (seen in the
chaos test: a part answered during a PostgreSQL restart was later taken as
skipped).

Here both errors go on to our REST channel (rasa_addons.channel), which answers
503, so the page says "not sent, try again". Sent again, the message is handled
once: the channel answers from the tracker if the first try was saved after all.
"""

from __future__ import annotations

import functools
from typing import Any

from rasa.core.tracker_store import FailSafeTrackerStore

# FailSafeTrackerStore's methods that fall back instead of failing.
FALLS_BACK = ("save", "retrieve", "retrieve_full_tracker")


def refuse_turns_without_tracker_store() -> None:
    """Make FailSafeTrackerStore pass its store's errors on, once per Rasa process."""
    for name in FALLS_BACK:
        original = getattr(FailSafeTrackerStore, name)
        if getattr(original, "passes_errors_on", False):
            continue
        setattr(FailSafeTrackerStore, name, _straight_through(name))


def _straight_through(name: str) -> Any:
    @functools.wraps(getattr(FailSafeTrackerStore, name))
    async def method(self: FailSafeTrackerStore, *args: Any, **kwargs: Any) -> Any:
        return await getattr(self._tracker_store, name)(*args, **kwargs)

    method.passes_errors_on = True  # type: ignore[attr-defined]
    return method
