"""Engines and sessions, and the schema upgrade (Alembic) behind `bot db upgrade`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from bot.config import settings
from bot.store.outage import reconnect_patiently

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def driver_url(url: str) -> str:
    """Use the psycopg 3 driver for PostgreSQL URLs written without one.

    The same TRACKER_STORE_URL serves Rasa (SQLAlchemy 1.4 with psycopg2) and our
    code (SQLAlchemy 2 with psycopg 3), so the plain form is what people write.
    """
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One engine per database URL, reused for the life of the process.

    `hide_parameters`: an SQL error message names the statement but never the
    values in it, so a candidate's words cannot reach a log through one.
    """
    url = driver_url(url)
    if url.startswith("sqlite"):
        _ensure_sqlite_dir(url)
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
    reconnect_patiently(engine)
    return engine


def _ensure_sqlite_dir(url: str) -> None:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    # Cascading deletes need foreign keys on; WAL lets the CLI read while actions write;
    # secure_delete overwrites deleted rows, so deleted words do not linger in free pages.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def forget_deleted(session: Session) -> None:
    """After a deletion: on SQLite, copy the write-ahead log into the database and
    empty it, so no old copy of a deleted row stays in the log file. (PostgreSQL's
    own VACUUM reclaims dead rows; nothing to do here.)"""
    if session.get_bind().dialect.name == "sqlite":
        session.commit()
        session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    maker = sessionmaker(bind=engine_for(url or settings().database_url), expire_on_commit=False)
    session = maker()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def upgrade(url: str | None = None) -> None:
    """Bring the application database's schema up to the newest migration."""
    from alembic import command
    from alembic.config import Config

    url = url or settings().database_url
    if url.startswith("sqlite"):
        _ensure_sqlite_dir(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", driver_url(url).replace("%", "%%"))
    command.upgrade(config, "head")
