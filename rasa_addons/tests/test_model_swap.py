"""A model pulled from the model server is loaded beside the one in use: the
server's event loop, which answers every turn, goes on while it loads; then the
new model takes over in one step."""

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


async def test_the_server_goes_on_answering_while_a_new_model_loads(model_server, monkeypatch):
    loading = threading.Event()

    class Watched(MessageProcessor):
        def __init__(self, *args, **kwargs) -> None:
            loading.set()
            super().__init__(*args, **kwargs)

    for module in (rasa_agent, model_swap):  # Rasa's own loading, and ours
        monkeypatch.setattr(module, "MessageProcessor", Watched)
    load_models_beside_the_one_in_use()
    agent = Agent()  # a server before its first model: one load is enough to tell

    update = asyncio.create_task(
        rasa_agent._update_model_from_server(EndpointConfig(model_server), agent)
    )
    while not loading.is_set():
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.01)  # what any other request needs: a turn of the event loop
    assert not update.done(), "the event loop waited for the model to load"
    assert agent.processor is None  # nothing half-switched while it loads

    await update
    assert agent.fingerprint == NEW and isinstance(agent.processor, Watched)
    assert (await agent.parse_message("hello"))["intent"]["name"] == "greet"
    # Asked again, the server says nothing changed: nothing is loaded.
    loading.clear()
    await rasa_agent._update_model_from_server(EndpointConfig(model_server), agent)
    assert not loading.is_set()
