"""A model pulled from the model server is loaded beside the one in use: turns are
answered by the model in use while the new one loads, then it takes over."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from rasa.core import agent as rasa_agent
from rasa.core.agent import Agent
from rasa.core.processor import MessageProcessor
from rasa.utils.endpoints import EndpointConfig

from bot.config import MODEL_PATH
from rasa_addons import model_swap
from rasa_addons.model_swap import load_models_beside_the_one_in_use

NEW = "fingerprint-of-the-published-model"


@pytest.fixture
async def model_server() -> AsyncIterator[str]:
    """The website's part, as Rasa sees it: the model, with its ETag."""

    async def current(request: web.Request) -> web.StreamResponse:
        if request.headers.get("If-None-Match") == NEW:
            return web.Response(status=304)
        body = await asyncio.to_thread(MODEL_PATH.read_bytes)
        return web.Response(body=body, headers={"ETag": NEW, "Content-Type": "application/gzip"})

    app = web.Application()
    app.router.add_get("/models/current", current)
    runner = web.AppRunner(app)
    await runner.setup()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}/models/current"
    await runner.cleanup()


async def test_the_model_in_use_answers_while_a_new_one_loads(model_server, monkeypatch):
    loading = threading.Event()

    class Watched(MessageProcessor):
        def __init__(self, *args, **kwargs) -> None:
            loading.set()
            super().__init__(*args, **kwargs)

    for module in (rasa_agent, model_swap):  # Rasa's own loading, and ours
        monkeypatch.setattr(module, "MessageProcessor", Watched)
    load_models_beside_the_one_in_use()
    agent = Agent.load(str(MODEL_PATH))
    in_use = agent.processor
    loading.clear()

    update = asyncio.create_task(
        rasa_agent._update_model_from_server(EndpointConfig(model_server), agent)
    )
    while not loading.is_set():
        await asyncio.sleep(0.01)
    parsed = await agent.parse_message("hello")
    assert not update.done(), "the turn waited for the new model to load"
    assert parsed["intent"]["name"] == "greet" and agent.processor is in_use

    await update
    assert agent.fingerprint == NEW and agent.processor is not in_use
    assert isinstance(agent.processor, Watched)
    assert (await agent.parse_message("hello"))["intent"]["name"] == "greet"
    # Asked again, the server says nothing changed: nothing is loaded.
    loading.clear()
    await rasa_agent._update_model_from_server(EndpointConfig(model_server), agent)
    assert not loading.is_set()
