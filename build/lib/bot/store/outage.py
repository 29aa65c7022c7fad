"""Riding out a database restart.

A PostgreSQL restart (or fail-over) takes a few seconds. Rather than fail every
request in that time, a new connection is tried again for up to
DATABASE_WAIT_SECONDS; pooled connections are checked before use
(`pool_pre_ping`). What still fails is an outage (`is_outage`): the website and
the action server answer it with 503, "try again", never a stack trace.

Used by our engines (SQLAlchemy 2) and by the Rasa tracker store (SQLAlchemy
1.4), so it touches only what both have.
"""

from __future__ import annotations

import os
import time
from typing import Any

from sqlalchemy import event, exc

WAIT_SECONDS = float(os.environ.get("DATABASE_WAIT_SECONDS") or 10)


def reconnect_patiently(engine: Any, wait_seconds: float = WAIT_SECONDS) -> None:
    """Make `engine` try a refused connection again until `wait_seconds` pass."""

    @event.listens_for(engine, "do_connect")
    def connect(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        dbapi = getattr(dialect, "loaded_dbapi", None) or dialect.dbapi
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                return dialect.connect(*cargs, **cparams)
            except dbapi.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.25)


def is_outage(error: BaseException) -> bool:
    """Whether `error` means the database is away (try again soon), rather than a
    fault in what was asked of it."""
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    if not isinstance(error, exc.OperationalError):
        return False
    if type(error.orig).__module__.startswith("sqlite3"):
        return "locked" in str(error.orig)  # "no such table" is a fault, not an outage
    return True
