"""The trainers' queue page: what the assistant missed, and nothing a trainer must not see."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.services import free_port
from bot.store.conversations import EVENTS
from bot.store.db import engine_for, session_scope
from bot.store.models import AuditEvent
from bot.web.app import create_app
from bot.web.config import WebConfig
from tests.review_helpers import add_account, add_case
from tests.test_staff_routes import log_in
from tests.test_training_struggles import CONSENTED, asking_for, ran, replied, said

# Details in the messages, a statement part, and who the candidate and caseworker are.
PLANTED = ("Kwame", "07700 900123", "kwame@example.org", "PLANTED-statement-part", "2019",
           "Alex", "sam@x.org")  # fmt: skip


@pytest.fixture
def tracker_store_url(tmp_path, database_url) -> str:
    """A saved conversation of a real candidate (the running site's daily purge
    removes the events of any conversation that has none)."""
    add_account("sam@x.org")
    _, _, sender_id = add_case("sam@x.org")
    url = f"sqlite:///{tmp_path / 'queue-tracker.db'}"
    conversation = [
        *CONSENTED,
        said("can Kwame ring 07700 900123 or kwame@example.org", "nlu_fallback", 0.2, at=50),
        ran("action_default_fallback"),
        replied("Sorry, I didn't get that."),
        *asking_for("what_happened"),
        said("PLANTED-statement-part in 2019", "nlu_fallback", 0.1, at=60),
        ran("action_default_fallback"),
    ]
    engine = engine_for(url)
    EVENTS.metadata.create_all(engine)
    with engine.begin() as conn:
        for event in conversation:
            conn.execute(
                EVENTS.insert().values(
                    sender_id=sender_id, type_name=event["event"], data=json.dumps(event)
                )
            )
    return url


@pytest.fixture
async def client(aiohttp_client, database_url, tracker_store_url):
    config = WebConfig(
        rasa_url=f"http://127.0.0.1:{free_port()}",
        action_url=f"http://127.0.0.1:{free_port()}",
        database_url=database_url,
        tracker_store_url=tracker_store_url,
    )
    return await aiohttp_client(create_app(config))


async def test_a_trainer_lands_on_the_queue_and_reads_only_redacted_messages(client):
    add_account("tom@x.org", "trainer")
    assert (await log_in(client, "tom@x.org")).status == 303
    home = await client.get("/staff", allow_redirects=False)
    assert home.headers["Location"] == "/staff/training"
    page = await client.get("/staff/training")
    assert page.status == 200
    html = await page.text()
    assert "can [name] ring [phone] or [email]" in html
    assert "did not understand" in html and "Sorry, I didn&#x27;t get that." in html
    for planted in PLANTED:
        assert planted not in html, planted
    with session_scope() as db:
        actions = db.scalars(select(AuditEvent.action)).all()
    assert "viewed the trainers' queue" in actions


async def test_an_empty_queue_says_so(client, tracker_store_url):
    with engine_for(tracker_store_url).begin() as conn:
        conn.execute(EVENTS.delete())
    add_account("ada@x.org", "admin")
    await log_in(client, "ada@x.org")
    html = await (await client.get("/staff/training")).text()
    assert "Nothing yet" in html
