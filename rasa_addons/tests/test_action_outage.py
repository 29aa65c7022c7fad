"""A turn whose action server is away is refused; an action's own bug is not."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from rasa_addons.action_outage import (
    ActionServerAway,
    away,
    refuse_turns_without_action_server,
)


def _raised_while(cause: BaseException, explicit: bool) -> RasaException:
    """What RemoteAction raises: a RasaException, from or during the real error."""
    try:
        try:
            raise cause
        except BaseException as error:
            if explicit:
                raise RasaException("failed") from error
            raise RasaException("failed")  # noqa: B904 - as Rasa does
    except RasaException as wrapped:
        return wrapped


@pytest.mark.parametrize(
    ("cause", "explicit", "is_away"),
    [
        (aiohttp.ClientConnectionError("refused"), False, True),
        (ClientResponseError(503, "Service Unavailable", "x"), True, True),
        (ClientResponseError(502, "Bad Gateway", "x"), True, True),
        (ClientResponseError(500, "Internal Server Error", "x"), True, False),
        (ValueError("a bug"), False, False),
    ],
)
def test_only_an_unreachable_action_server_counts_as_away(cause, explicit, is_away):
    assert away(_raised_while(cause, explicit)) is is_away


def test_a_timeout_counts_as_away():
    assert away(asyncio.TimeoutError())


async def test_a_turn_with_no_action_server_is_refused_past_rasas_catch_all(domain):
    refuse_turns_without_action_server()
    refuse_turns_without_action_server()  # once only, however often it is asked
    action = RemoteAction("validate_statement_form", EndpointConfig("http://127.0.0.1:9/webhook"))
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker("s", domain.slots)
    with pytest.raises(ActionServerAway):
        try:
            await action.run(CollectingOutputChannel(), None, tracker, domain)
        except Exception:  # what MessageProcessor._run_action catches
            pytest.fail("caught by Rasa's catch-all: the turn would go on half-done")
