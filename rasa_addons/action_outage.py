"""A turn whose action server could not be reached is refused, not half-done.

When a custom action's call fails, Rasa 3.6 logs it and carries on without the
action's events (MessageProcessor._run_action catches every Exception): the
candidate gets a reply, but the part they wrote is not saved. That is right for
an action with a bug (a 500: trying again would fail again), and wrong when the
action server is restarting or its database is away: then the message should be
refused, so the page says "not sent, try again" and nothing is half-done.

So a call that could not connect, or that the balancer or the action server
answered 502/503/504, raises ActionServerAway. It derives from BaseException,
which is what lets it past that catch-all to our REST channel
(rasa_addons.channel), which answers 503. Nothing of the turn was saved: Rasa
saves the tracker only at the end of a turn.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

import aiohttp
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import ClientResponseError

# What a restarting or unreachable action server (or HAProxy) answers.
AWAY_STATUSES = {502, 503, 504}


class ActionServerAway(BaseException):
    """No action server could run the action just now; the turn must be refused."""


def away(error: BaseException | None) -> bool:
    """Whether a failed action call means "no action server right now".

    RemoteAction wraps what went wrong in a RasaException: the real error is the
    one it was raised from (or during)."""
    for cause in (error, error.__cause__, error.__context__) if error else ():
        if isinstance(cause, (ClientResponseError, aiohttp.ClientResponseError)):
            return cause.status in AWAY_STATUSES
        if isinstance(cause, (aiohttp.ClientConnectionError, asyncio.TimeoutError)):
            return True
    return False


def refuse_turns_without_action_server() -> None:
    """Wrap RemoteAction.run once, in this Rasa process."""
    original = RemoteAction.run
    if getattr(original, "refuses_turns", False):
        return

    @functools.wraps(original)
    async def run(self: RemoteAction, *args: Any, **kwargs: Any) -> Any:
        try:
            return await original(self, *args, **kwargs)
        except Exception as error:
            if away(error):
                raise ActionServerAway(self.name()) from error
            raise

    run.refuses_turns = True  # type: ignore[attr-defined]
    RemoteAction.run = run  # type: ignore[method-assign]
