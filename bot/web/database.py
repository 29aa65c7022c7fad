"""How every handler opens the app's database: one session, committed when the
block ends (bot.store.db.session_scope), on the database the app was started with."""

from __future__ import annotations

from contextlib import AbstractContextManager

from aiohttp import web
from sqlalchemy.orm import Session

from bot.store.db import session_scope
from bot.web import keys


def db_of(request: web.Request) -> AbstractContextManager[Session]:
    """A session on the app's database, committed when the block ends."""
    return session_scope(request.app[keys.CONFIG].database_url)
