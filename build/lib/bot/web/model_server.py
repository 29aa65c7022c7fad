"""The web app as Rasa's model server: every Rasa server pulls the model in force
from here (endpoints.yml `models:`), so a trainer's publish reaches the running
assistant with no restart and without dropping a conversation.

Rasa asks every `wait_time_between_pulls` seconds with the hash of the model it
has (If-None-Match); the answer is 304 until a publish or a roll-back changes
the model in force (bot.training.published). Rasa then loads the new model
beside its conversations, which it keeps in its tracker store.

Only Rasa may pull: the request must carry the stack's token, and without a
token set the route does not exist.
"""

from __future__ import annotations

import asyncio
import hmac
from pathlib import Path

from aiohttp import web

from bot.store.db import session_scope
from bot.training import published
from bot.web import keys

CHUNK = 1 << 20


async def current_model(request: web.Request) -> web.StreamResponse:
    config = request.app[keys.CONFIG]
    sent = request.headers.get("Authorization", "")
    expected = f"Bearer {config.model_server_token}"
    if not config.model_server_token or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise web.HTTPNotFound()
    model = await asyncio.to_thread(_running, config.database_url, config.training_dir)
    if request.headers.get("If-None-Match", "").strip('"') == model.sha256:
        return web.Response(status=304, headers={"ETag": model.sha256})
    response = web.StreamResponse(
        headers={
            "ETag": model.sha256,
            "Content-Type": "application/gzip",
            "Content-Length": str(model.path.stat().st_size),
            "filename": "model.tar.gz",
        }
    )
    await response.prepare(request)
    with model.path.open("rb") as file:
        while block := await asyncio.to_thread(file.read, CHUNK):
            await response.write(block)
    await response.write_eof()
    return response


def _running(database_url: str, training_dir: Path) -> published.Running:
    with session_scope(database_url) as session:
        return published.running(session, training_dir)
