"""Helpers for the tests that drive the web gateway in front of the real stack."""

from __future__ import annotations

from bot.services import Stack
from bot.store import access
from bot.store.db import session_scope
from bot.web.config import WebConfig


def web_config(stack: Stack, **overrides: object) -> WebConfig:
    """The gateway's settings for the running test stack."""
    assert stack.database_url and stack.tracker_store_url
    return WebConfig(
        rasa_url=stack.rasa_url,
        action_url=stack.action_url,
        database_url=stack.database_url,
        tracker_store_url=stack.tracker_store_url,
        **overrides,  # type: ignore[arg-type]
    )


def new_invite(stack: Stack, caseworker: str = "Sam") -> tuple[str, str]:
    """A fresh invite token and its conversation's sender id."""
    with session_scope(stack.database_url) as db:
        token, key = access.create_invite(db, caseworker)
        return token, key.sender_id
