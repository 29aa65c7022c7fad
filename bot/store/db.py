"""Engines and sessions, and the schema upgrade (Alembic) behind `bot db upgrade`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from bot.config import settings

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
    """One engine per database URL, reused for the life of the process."""
    url = driver_url(url)
    if url.startswith("sqlite"):
        _ensure_sqlite_dir(url)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _ensure_sqlite_dir(url: str) -> None:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Cascading deletes need foreign keys on; WAL lets the CLI read while actions write.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


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
