"""The web app as Rasa's model server: the model in force, to Rasa alone, 304 until it changes."""

from __future__ import annotations

import hashlib

import pytest

from bot.config import MODEL_PATH
from bot.store.db import session_scope
from bot.training import jobs, published
from bot.web.app import create_app
from bot.web.config import WebConfig

TOKEN = "the-stacks-own-token"
RASA = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def training_dir(tmp_path):
    return tmp_path / "training"


@pytest.fixture
async def client(aiohttp_client, database_url, training_dir):
    config = WebConfig(
        rasa_url="", action_url="", database_url=database_url,
        tracker_store_url=f"sqlite:///{training_dir.parent / 'none.db'}",
        training_dir=training_dir, model_server_token=TOKEN,
    )  # fmt: skip
    return await aiohttp_client(create_app(config))


def publish_a_model(training_dir, content: bytes, author: str = "tom@x.org") -> str:
    trained = training_dir.parent / f"trained-{len(content)}.tar.gz"
    trained.write_bytes(content)
    with session_scope() as db:
        job = jobs.start(db, "publish", author)
        job.active, job.status = None, "passed"
        db.flush()
        return published.publish(db, job, trained, training_dir, author).sha256


async def test_without_the_token_there_is_no_model_to_pull(client):
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        response = await client.get("/models/current", headers=headers)
        assert response.status == 404


async def test_with_no_token_configured_the_route_answers_nobody(aiohttp_client, database_url):
    config = WebConfig(rasa_url="", action_url="", database_url=database_url,
                       tracker_store_url="sqlite://")  # fmt: skip
    client = await aiohttp_client(create_app(config))
    response = await client.get("/models/current", headers={"Authorization": "Bearer "})
    assert response.status == 404


async def test_rasa_gets_the_repositorys_model_until_one_is_published(client):
    response = await client.get("/models/current", headers=RASA)
    assert response.status == 200
    body = await response.read()
    assert hashlib.sha256(body).hexdigest() == response.headers["ETag"]
    assert len(body) == MODEL_PATH.stat().st_size
    again = await client.get(
        "/models/current", headers={**RASA, "If-None-Match": response.headers["ETag"]}
    )
    assert again.status == 304 and await again.read() == b""


async def test_a_publish_changes_the_model_served_and_going_back_restores_it(client, training_dir):
    base = (await client.get("/models/current", headers=RASA)).headers["ETag"]
    first = publish_a_model(training_dir, b"first model")
    response = await client.get("/models/current", headers={**RASA, "If-None-Match": base})
    assert response.status == 200 and await response.read() == b"first model"
    assert response.headers["ETag"] == first
    second = publish_a_model(training_dir, b"the second model")
    assert (await client.get("/models/current", headers=RASA)).headers["ETag"] == second

    with session_scope() as db:
        assert published.withdraw(db, "ada@x.org").sha256 == second
    response = await client.get("/models/current", headers={**RASA, "If-None-Match": second})
    assert response.status == 200 and await response.read() == b"first model"
    with session_scope() as db:
        published.withdraw(db, "ada@x.org")
        assert published.withdraw(db, "ada@x.org") is None  # nothing left to go back from
    assert (await client.get("/models/current", headers=RASA)).headers["ETag"] == base
