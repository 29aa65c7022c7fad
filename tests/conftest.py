"""Shared fixtures: a fresh, migrated database per test, and tracker helpers."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import yaml
from argon2 import PasswordHasher
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import text

from bot.commands import domain_files
from bot.parts import PARTS
from bot.review import accounts
from bot.services import Stack, free_port
from bot.store import drafts
from bot.store.db import engine_for, session_scope, upgrade
from bot.store.models import Base


@pytest.fixture(autouse=True)
def quick_password_hashes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """argon2id at its smallest cost for tests run in this process.

    The real cost (argon2-cffi's defaults, about 0.12 s a hash here) is there to
    slow attackers down; the staff suites hash and check passwords hundreds of
    times. Tests marked `real_password_cost` keep it, and check what is stored;
    servers started as processes always use it.
    """
    if "real_password_cost" not in request.keywords:
        monkeypatch.setattr(
            accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        )


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The database the migrations make, once per run; each test starts from it.

    SQLite in a temporary folder, or the server in TEST_DATABASE_URL (emptied
    first): `make test` runs the storage suites a second time on PostgreSQL that
    way. Running the migrations again for each test cost about 0.12 s a test
    (30 s of the PostgreSQL run); a copy of the file, or emptied tables, almost
    nothing.
    """
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        _drop_everything(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('migrated') / 'app.db'}"
    upgrade(url)
    # Pooled connections may hold statements prepared against the dropped tables.
    engine_for(url).dispose()
    if url.startswith("sqlite"):
        # Each copy starts as a new file does, not yet in WAL mode.
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as conn:
            conn.execute("PRAGMA journal_mode=DELETE")
    return url


@pytest.fixture
def database_url(migrated: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A real, empty database with the Alembic schema, used by everything in the test."""
    if migrated.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'app.db'}"
        shutil.copyfile(migrated.removeprefix("sqlite:///"), tmp_path / "app.db")
        # The first connection turns the copy to WAL mode, as the product's first
        # one does, before the test's code can open two at once.
        with engine_for(url).connect() as conn:
            conn.execute(text("SELECT 1"))
    else:
        url = migrated
        _empty_tables(url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    return url


def _drop_everything(url: str) -> None:
    """Drop every table (ours and Alembic's) so the run starts from the migrations."""
    with engine_for(url).begin() as conn:
        Base.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        conn.execute(text("DROP TYPE IF EXISTS version_status"))
        for kind in ("key_kind", "account_role", "review_decision"):
            conn.execute(text(f"DROP TYPE IF EXISTS {kind}"))
    engine_for(url).dispose()


def _empty_tables(url: str) -> None:
    """Every row of the previous test gone, the schema (and Alembic's version) kept."""
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine_for(url).begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The real Rasa server and action server on free ports, with their own databases.

    Started once for the whole test run (about a minute); each test holds its own
    conversations, so they do not interfere.
    """
    tmp = tmp_path_factory.mktemp("stack")
    database_url = f"sqlite:///{tmp / 'app.db'}"
    upgrade(database_url)
    with Stack(
        rasa_port=free_port(),
        action_port=free_port(),
        web_host="127.0.0.1",
        database_url=database_url,
        tracker_store_url=f"sqlite:///{tmp / 'tracker.db'}",
        log_dir=tmp / "log",
        env={"TRAINING_DIR": str(tmp / "training")},
    ) as running:
        yield running


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The domain's files merged, as Rasa merges them: lists joined, mappings combined."""
    merged: dict[str, Any] = {}
    for path in domain_files():
        for key, value in (yaml.safe_load(path.read_text()) or {}).items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            elif isinstance(value, dict):
                merged.setdefault(key, {}).update(value)
            else:
                merged[key] = value
    return merged


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def make_tracker(
    sender_id: str = "sender-1",
    slots: dict[str, Any] | None = None,
    intent: str | None = None,
    text: str = "",
    entities: list[dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
) -> Tracker:
    """A rasa_sdk tracker as the Rasa server would send it to an action."""
    all_slots = {p: None for p in PARTS}
    all_slots.update(consent=None, ask_style=None, previous_answer=None, requested_slot=None)
    all_slots.update(slots or {})
    latest = {
        "intent": {"name": intent, "confidence": 1.0} if intent else {},
        "entities": entities or [],
        "text": text,
    }
    return Tracker.from_dict(
        {
            "sender_id": sender_id,
            "slots": all_slots,
            "latest_message": latest,
            "events": events or [],
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": active_loop} if active_loop else {},
            "latest_action_name": "action_listen",
        }
    )


def form_answer_tracker(
    form: str, slot: str, text: str, sender_id: str, intent: str, slots: dict[str, Any]
) -> Tracker:
    """The tracker a form's validation sees right after the candidate answered `slot`."""
    return make_tracker(
        sender_id,
        slots={**slots, "requested_slot": slot, slot: text},
        intent=intent,
        text=text,
        active_loop=form,
        events=[
            {"event": "user", "text": text},
            {"event": "slot", "name": slot, "value": text},
        ],
    )


# Two convictions as the spent checker's chat keeps them: a conditional discharge
# dragged through by a community order (a worked example of the rules in docs/spent-checker.md).
SPENT_DRAG_ANSWERS = [
    {"date": "2017-01-25", "precision": "day", "under_18": False,
     "outcome": "conditional_discharge", "length": "2 years"},
    {"date": "2018-12-10", "precision": "day", "under_18": False,
     "outcome": "community_order", "length": "12 months"},
]  # fmt: skip


def uttered(dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
    """What an action said, in order, without its messages to the chat page itself
    (actions.common.tell_page: see `told_page`)."""
    return [m for m in dispatcher.messages if not m.get("custom")]


def told_page(dispatcher: CollectingDispatcher) -> dict[str, Any]:
    """What an action told the chat page (the box's text, parts written), merged."""
    told: dict[str, Any] = {}
    for message in dispatcher.messages:
        told.update(message.get("custom") or {})
    return told


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    """The names of the responses an action uttered, in order."""
    return [m.get("response") for m in uttered(dispatcher)]


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slots an action set, last value wins."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def deactivates_form(events: list[dict[str, Any]]) -> bool:
    """Whether the action's events end the active form."""
    return any(e.get("event") == "active_loop" and e.get("name") is None for e in events)


def consenting(sender_id: str, parts: dict[str, str] | None = None) -> None:
    """Store a candidate who said yes to saving, with `parts` saved if given."""
    with session_scope() as session:
        drafts.record_consent(session, sender_id)
        if parts:
            drafts.save_parts(session, sender_id, parts)


def saved_draft(sender_id: str) -> drafts.Draft | None:
    with session_scope() as session:
        return drafts.latest_draft(session, sender_id)


@pytest.fixture
async def website(aiohttp_server, database_url: str, tmp_path: Path) -> str:
    """The website alone (no Rasa behind it), on a free port: its address. For the
    browser tests of pages that need no assistant (staff pages, /spent)."""
    from bot.web.app import create_app
    from tests.web_helpers import offline_config

    config = offline_config(database_url, f"sqlite:///{tmp_path / 'tracker.db'}")
    server = await aiohttp_server(create_app(config))
    return str(server.make_url("")).rstrip("/")


@pytest.fixture
async def chromium():
    """Debian's Chromium, driven by Playwright (its own download does not work here)."""
    from playwright.async_api import async_playwright

    from tests.web.test_web_browser import CHROMIUM, CHROMIUM_ARGS

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        await browser.close()
