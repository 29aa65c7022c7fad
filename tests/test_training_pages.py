"""The trainers' queue page: what the assistant missed, and nothing a trainer must not see."""

from __future__ import annotations

import re
from html import escape as html_escape

import pytest
from sqlalchemy import select

from bot.services import free_port
from bot.store.conversations import EVENTS
from bot.store.db import engine_for, session_scope
from bot.store.models import AuditEvent, QueueDecision, TrainingExample
from bot.training.struggles import wording_key
from bot.web.app import create_app
from bot.web.config import WebConfig
from tests.review_helpers import add_account, add_case
from tests.test_staff_routes import log_in, origin
from tests.training_helpers import CONSENTED, asking_for, ran, replied, said, save_conversation

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
    save_conversation(url, sender_id, conversation)
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


async def trainer(client) -> str:
    """Signed in as a trainer; their CSRF token."""
    add_account("tom@x.org", "trainer")
    assert (await log_in(client, "tom@x.org")).status == 303
    page = await (await client.get("/staff/password")).text()
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def key_of(text: str) -> str:
    return wording_key(text)


QUEUED = "can [name] ring [phone] or [email]"


async def test_a_trainer_teaches_a_message_what_it_meant_and_it_leaves_the_queue(client):
    csrf = await trainer(client)
    queue_html = await (await client.get("/staff/training")).text()
    assert f"/staff/training/messages/{key_of(QUEUED)}" in queue_html
    form = await client.get(f"/staff/training/messages/{key_of(QUEUED)}")
    html = await form.text()
    assert form.status == 200 and QUEUED in html
    assert "Wants to talk to a real person." in html  # ask_person's description
    assert "Answered: “Only you, your caseworker" in html  # faq/who_sees, by its answer
    for planted in PLANTED:
        assert planted not in html, planted
    saved = await client.post(
        f"/staff/training/messages/{key_of(QUEUED)}",
        data={"csrf": csrf, "wording": "can [name] ring me", "intent": "ask_person"},
        headers=origin(client),
        allow_redirects=False,
    )
    assert saved.status == 303 and saved.headers["Location"] == "/staff/training?done=taught"
    with session_scope() as db:
        [example] = db.scalars(select(TrainingExample)).all()
        actions = db.scalars(select(AuditEvent.action)).all()
    assert (example.intent, example.text, example.author) == (
        "ask_person", "can [name] ring me", "tom@x.org"
    )  # fmt: skip
    assert "taught an example" in actions
    after = await (await client.get("/staff/training?done=taught")).text()
    assert QUEUED not in after and "Saved." in after
    gone = await client.get(f"/staff/training/messages/{key_of(QUEUED)}")
    assert gone.status == 404


async def test_a_message_set_aside_leaves_the_queue_and_teaches_nothing(client):
    csrf = await trainer(client)
    saved = await client.post(
        f"/staff/training/messages/{key_of(QUEUED)}",
        data={"csrf": csrf, "wording": QUEUED, "intent": "not_for_assistant"},
        headers=origin(client),
        allow_redirects=False,
    )
    assert saved.status == 303
    with session_scope() as db:
        assert db.scalars(select(TrainingExample)).all() == []
        [decision] = db.scalars(select(QueueDecision)).all()
    assert decision.outcome == "not_for_assistant"
    assert QUEUED not in await (await client.get("/staff/training")).text()


@pytest.mark.parametrize(
    ("wording", "intent", "problem"),
    [
        ("   ", "ask_person", "The wording is empty"),
        ("x" * 301, "ask_person", "too long"),
        ("call me", "", "Choose what the message meant."),
        ("call me", "no_such_intent", "Choose what the message meant."),
        ("call me", "safety_concern", "Choose what the message meant."),
    ],
)
async def test_a_bad_teaching_comes_back_on_the_form_with_the_edit_kept(
    client, wording, intent, problem
):
    csrf = await trainer(client)
    response = await client.post(
        f"/staff/training/messages/{key_of(QUEUED)}",
        data={"csrf": csrf, "wording": wording, "intent": intent},
        headers=origin(client),
    )
    assert response.status == 400
    html = await response.text()
    assert problem in html and "Nothing was saved." in html
    if wording.strip():
        assert html_escape(wording) in html
    with session_scope() as db:
        assert db.scalars(select(TrainingExample)).all() == []
        assert db.scalars(select(QueueDecision)).all() == []


async def test_a_wording_the_trainer_edits_is_redacted_again_before_it_is_kept(client):
    csrf = await trainer(client)
    await client.post(
        f"/staff/training/messages/{key_of(QUEUED)}",
        data={"csrf": csrf, "wording": "can Kwame ring 07700 900123", "intent": "ask_person"},
        headers=origin(client),
    )
    with session_scope() as db:
        [example] = db.scalars(select(TrainingExample)).all()
    assert example.text == "can [name] ring [phone]"


async def test_a_message_not_in_the_queue_is_a_404(client):
    await trainer(client)
    response = await client.get(f"/staff/training/messages/{'0' * 32}")
    assert response.status == 404
    assert (await client.get("/staff/training/messages/not-a-key")).status == 404
