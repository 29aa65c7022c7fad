"""The gateway in front of the real Rasa server, action server and database."""

from __future__ import annotations

import pytest

from bot.web.app import create_app
from tests.web_helpers import new_invite, use_invite, web_config

pytestmark = pytest.mark.e2e


async def _candidate(aiohttp_client, stack):
    client = await aiohttp_client(create_app(web_config(stack)))
    token, sender = new_invite(stack)
    assert (await use_invite(client, token)).status == 200
    csrf = (await (await client.get("/api/me")).json())["csrf_token"]
    origin = str(client.make_url("")).rstrip("/")

    async def say(message: str) -> str:
        response = await client.post(
            "/api/chat",
            json={"message": message},
            headers={"Origin": origin, "X-CSRF-Token": csrf},
        )
        assert response.status == 200, await response.text()
        return "\n".join(r["text"] for r in (await response.json())["replies"])

    return client, say, sender


async def test_a_conversation_through_the_gateway_is_saved_and_restored(aiohttp_client, stack):
    client, say, _ = await _candidate(aiohttp_client, stack)
    assert "computer assistant" in await say("/session_start")
    assert "Can I save your answers?" in await say("hello")
    assert "Part 1 of 4" in await say("Yes, save my answers")
    part = "In 2018 I was convicted of shoplifting and got a community order."
    assert "rewrite it, or keep it" in await say(part)
    assert "Part 2 of 4" in await say("/skip_part")  # the "Keep it and move on" button

    statement = (await (await client.get("/api/statement")).json())["statement"]
    assert statement["parts"]["what_happened"] == part
    assert statement["parts_written"] == 1
    assert statement["notes"]["what_happened"][0]["kind"] == "strength"
    assert statement["notes"]["circumstances"] == []

    history = (await (await client.get("/api/chat/history")).json())["messages"]
    said = [m["text"] for m in history if m["from"] == "user"]
    # /session_start is hidden; a pressed button shows as its title
    assert said == ["hello", "Yes, save my answers", part, "Keep it and move on"]
    assert any("Part 2 of 4" in m["text"] for m in history if m["from"] == "bot")


async def test_one_candidate_can_never_see_another(aiohttp_client, stack):
    first, say_first, _ = await _candidate(aiohttp_client, stack)
    second, say_second, _ = await _candidate(aiohttp_client, stack)
    await say_first("hello")
    await say_first("yes")
    secret = "In 2016 I was convicted of a burglary and went to prison for a year."
    await say_first(secret)
    await say_second("hello")

    for client, sees_secret in ((first, True), (second, False)):
        history = await (await client.get("/api/chat/history")).text()
        statement = await (await client.get("/api/statement")).text()
        assert (secret in history) is sees_secret
        assert (secret in statement) is sees_secret
    # Nothing a browser sends can choose the conversation.
    response = await second.get("/api/chat/history?sender=" + "x" * 32)
    assert secret not in await response.text()


async def test_health_with_everything_running(aiohttp_client, stack):
    client = await aiohttp_client(create_app(web_config(stack)))
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"ok": True, "rasa": True, "actions": True, "database": True}
