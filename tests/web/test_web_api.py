"""The web gateway's pages and API, with aiohttp's test client and a real database.

The Rasa server is deliberately not running here (its address is a closed port):
these tests hold the gateway's own behaviour, including what it does when the
assistant is down. Conversations through the real Rasa are in test_web_e2e.py.
"""

from __future__ import annotations

import asyncio
import dataclasses
import html
import os
from datetime import datetime, timezone

import pytest
from aiohttp import web

from bot.parts import PARTS, TITLES
from bot.review import decisions
from bot.services import free_port
from bot.store import access, drafts
from bot.store.db import session_scope
from bot.web.app import create_app
from bot.web.clients import parse_networks
from bot.web.config import WebConfig
from bot.web.session import COOKIE
from tests.review_helpers import account, add_account
from tests.training_helpers import save_conversation
from tests.web_helpers import origin, shown_code, use_invite


@pytest.fixture
def config(database_url: str) -> WebConfig:
    return WebConfig(
        rasa_url=f"http://127.0.0.1:{free_port()}",
        action_url=f"http://127.0.0.1:{free_port()}",
        database_url=database_url,
        tracker_store_url=os.environ["TRACKER_STORE_URL"],
        messages_burst=3,
        messages_per_second=0.01,
    )


@pytest.fixture
async def client(aiohttp_client, config):
    return await aiohttp_client(create_app(config))


def invite(caseworker: str = "Sam") -> tuple[str, str]:
    with session_scope() as db:
        token, key = access.create_invite(db, caseworker)
        return token, key.sender_id


async def sign_in(client) -> tuple[str, str]:
    """Open a new invite link in this client; returns (csrf token, sender id)."""
    token, sender = invite()
    response = await use_invite(client, token)
    assert response.status == 200
    me = await (await client.get("/api/me")).json()
    return me["csrf_token"], sender


async def chat(client, csrf: str, body: object, **kwargs):
    headers = {**origin(client), "X-CSRF-Token": csrf, "Content-Type": "application/json"}
    data = body if isinstance(body, (str, bytes)) else None
    json_body = None if data is not None else body
    return await client.post("/api/chat", data=data, json=json_body, headers=headers, **kwargs)


async def test_pages_carry_security_headers(client):
    response = await client.get("/")
    assert response.status == 200
    assert "Practise without an invite" in await response.text()
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


async def test_an_invite_link_signs_the_browser_in_with_a_safe_cookie(client):
    token, _ = invite()
    response = await use_invite(client, token)
    assert response.status == 200 and 'href="/chat"' in await response.text()
    cookie = response.headers["Set-Cookie"]
    assert f"{COOKIE}=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http here; https sets it (next test)
    assert (await client.get("/chat", allow_redirects=False)).status == 200


async def test_the_cookie_is_secure_when_the_site_is_https(aiohttp_client, config):
    https = WebConfig(**{**config.__dict__, "public_url": "https://coach.example.org"})
    client = await aiohttp_client(create_app(https))
    token, _ = invite()
    response = await client.post(
        f"/invite/{token}", headers={"Origin": "https://coach.example.org"}
    )
    assert "Secure" in response.headers["Set-Cookie"]
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


async def test_an_unknown_invite_or_no_session_gets_no_chat(client):
    response = await client.get("/invite/not-a-real-token")
    assert response.status == 404
    assert "ask your caseworker for a new one" in await response.text()
    response = await client.get("/chat", allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/"
    for path in ("/api/me", "/api/chat/history", "/api/statement"):
        response = await client.get(path)
        assert response.status == 401
        assert "session has ended" in (await response.json())["error"]


async def test_practice_gives_a_code_that_resumes_on_another_device(client, aiohttp_client, config):
    response = await client.post("/practice", headers=origin(client))
    assert response.status == 200
    page = await response.text()
    code = shown_code(page)
    assert len(code.replace("-", "")) * 5 >= 64  # base32: five bits a character
    other = await aiohttp_client(create_app(config))
    typed = "  " + code.replace("-", " ").lower().replace("0", "o") + " "
    response = await other.post(
        "/resume", data={"code": typed}, headers=origin(other), allow_redirects=False
    )
    assert response.status == 303
    assert (await other.get("/api/me")).status == 200


async def test_wrong_resume_codes_are_refused_then_slowed_down(client):
    statuses = []
    for _ in range(7):
        response = await client.post(
            "/resume", data={"code": "no such code"}, headers=origin(client)
        )
        statuses.append(response.status)
    assert statuses[0] == 401
    assert statuses[-1] == 429
    assert int(response.headers["Retry-After"]) >= 1


async def test_cross_site_posts_are_refused(client):
    csrf, _ = await sign_in(client)
    for headers in ({}, {"Origin": "https://evil.example"}):
        response = await client.post("/practice", headers=headers)
        assert response.status == 403
        response = await client.post(
            "/api/chat", json={"message": "hi"}, headers={**headers, "X-CSRF-Token": csrf}
        )
        assert response.status == 403
        assert "Cross-site" in (await response.json())["error"]
    response = await chat(client, "wrong-token", {"message": "hi"})
    assert response.status == 403


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ("{not json", 400, "not valid JSON"),
        ('["hi"]', 400, '{"message"'),
        ({"text": "hi"}, 400, '{"message"'),
        ({"message": 7}, 400, "must be text"),
        ({"message": "   "}, 400, "empty"),
        ({"message": "x" * 2001}, 413, "up to 2000 characters"),
        ("x" * 100_000, 413, "too long"),
    ],
)
async def test_bad_messages_get_clear_errors(client, body, status, words):
    csrf, _ = await sign_in(client)
    response = await chat(client, csrf, body)
    assert response.status == status
    assert words in (await response.json())["error"]


async def test_when_the_assistant_is_down_the_message_is_not_lost(client):
    csrf, _ = await sign_in(client)
    response = await chat(client, csrf, {"message": "x" * 2000})
    assert response.status == 503
    assert "not sent" in (await response.json())["error"]


async def test_a_message_sent_again_is_marked_a_resend_even_if_the_page_does_not_say(
    aiohttp_client, aiohttp_server, config
):
    """A browser resends a request by itself when its connection closes with no
    answer; the assistant must hear that it is the same message, not a new one."""
    heard: list[dict] = []

    async def rasa_webhook(request: web.Request) -> web.Response:
        heard.append((await request.json())["metadata"])
        return web.json_response([{"text": "Thanks."}])

    rasa = web.Application()
    rasa.router.add_post("/webhooks/rest/webhook", rasa_webhook)
    server = await aiohttp_server(rasa)
    client = await aiohttp_client(
        create_app(
            dataclasses.replace(
                config, rasa_url=str(server.make_url("")).rstrip("/"), messages_burst=10
            )
        )
    )
    csrf, _ = await sign_in(client)
    for body in (
        {"message": "hello", "message_id": "message-1"},
        {"message": "hello", "message_id": "message-1"},  # the same request again
        {"message": "hello", "message_id": "message-2"},
        {"message": "hello", "message_id": "message-3", "retry": True},  # the page's Try again
    ):
        response = await chat(client, csrf, body)
        assert response.status == 200, await response.text()
    assert [(m["message_id"], m["retry"]) for m in heard] == [
        ("message-1", False),
        ("message-1", True),
        ("message-2", False),
        ("message-3", True),
    ]


async def test_a_button_from_an_earlier_question_is_refused_and_nothing_is_sent(
    aiohttp_client, aiohttp_server, config
):
    """On a page (or a second device) that has not caught up, a pressed button the
    conversation has moved past says so; an open one, or a resend, goes through."""
    heard: list[str] = []

    async def rasa_webhook(request: web.Request) -> web.Response:
        heard.append((await request.json())["message"])
        page = {"custom": {"edit": "I stole a car.", "written": 2, "other": "<kept out>"}}
        return web.json_response([{"text": "Thanks."}, page])

    rasa = web.Application()
    rasa.router.add_post("/webhooks/rest/webhook", rasa_webhook)
    server = await aiohttp_server(rasa)
    client = await aiohttp_client(
        create_app(dataclasses.replace(config, rasa_url=str(server.make_url("")).rstrip("/"),
                                       messages_burst=10))
    )  # fmt: skip
    csrf, sender = await sign_in(client)
    asked = {"buttons": [{"title": "Skip this part", "payload": "/skip_part"}]}
    save_conversation(config.tracker_store_url, sender, [
        {"event": "bot", "text": "Shall we start?", "data": {"buttons": [
            {"title": "Start", "payload": "/start_statement"}]}},
        {"event": "user", "text": "/start_statement"},
        {"event": "bot", "text": "Part 1 of 4: what happened?", "data": asked},
    ])  # fmt: skip
    stale = await chat(client, csrf, {"message": "/start_statement", "button": True})
    assert stale.status == 409 and "earlier question" in (await stale.json())["error"]
    assert heard == []
    for body in (
        {"message": "/skip_part", "button": True},  # open now
        {"message": "/start_statement", "button": True, "message_id": "m-000001",
         "retry": True},  # a resend: its first try may have gone through
        {"message": "/start_statement"},  # typed, not pressed
    ):  # fmt: skip
        response = await chat(client, csrf, body)
        assert response.status == 200, body
    # What the actions tell the page comes through; nothing else of theirs does.
    assert (await response.json())["replies"][1] == {
        "text": "", "buttons": [], "edit": "I stole a car.", "written": 2
    }  # fmt: skip
    assert heard == ["/skip_part", "/start_statement", "/start_statement"]
    bad = await chat(client, csrf, {"message": "/skip_part", "button": "yes"})
    assert bad.status == 400 and "button must be true or false" in (await bad.json())["error"]


async def test_messages_are_rate_limited_per_candidate(client, aiohttp_client, config):
    csrf, _ = await sign_in(client)
    statuses = [(await chat(client, csrf, {"message": "hello"})).status for _ in range(4)]
    assert statuses == [503, 503, 503, 429]
    other = await aiohttp_client(create_app(config))
    other_csrf, _ = await sign_in(other)
    assert (await chat(other, other_csrf, {"message": "hello"})).status == 503  # not limited


async def test_the_statement_is_the_candidates_own(client, aiohttp_client, config):
    _, sender = await sign_in(client)

    async def nothing_saved(browser) -> bool:
        body = await (await browser.get("/api/statement")).json()
        return (body["statement"], body["approved_version"], body["saving"]) == (None, None, False)

    assert await nothing_saved(client)
    with session_scope() as db:
        drafts.record_consent(db, sender)
        drafts.save_parts(db, sender, {"what_happened": "I stole a car in 2019."})
    body = await (await client.get("/api/statement")).json()
    assert body["saving"] is True
    assert body["statement"]["parts"]["what_happened"] == "I stole a car in 2019."
    assert body["statement"]["parts_written"] == 1
    other = await aiohttp_client(create_app(config))
    await sign_in(other)
    assert await nothing_saved(other)


async def test_the_panel_says_where_the_statement_stands_with_the_caseworkers_comments(client):
    """Titles from the server (one name for each part), the status in words, and
    each comment beside its part."""
    _, sender = await sign_in(client)
    body = await (await client.get("/api/statement")).json()
    assert [t["title"] for t in body["titles"]] == [TITLES[p] for p in PARTS]
    assert body["words"]["progress_not_saved"] == "{written} of 4 parts written (not saved)"
    with session_scope() as db:
        drafts.record_consent(db, sender)
        drafts.save_parts(db, sender, {p: f"My {p} in a few words." for p in PARTS})
    body = await (await client.get("/api/statement")).json()
    assert body["statement"]["status_text"].startswith("Draft")
    with session_scope() as db:
        assert decisions.submit(db, sender, has_caseworker=True).value == "submitted"
    body = await (await client.get("/api/statement")).json()
    today = datetime.now(timezone.utc)
    assert body["statement"]["status_text"].startswith(
        f"Sent to your caseworker on {today.day} {today:%B %Y}"
    )
    add_account("sam@x.org")
    with session_scope() as db:
        version = drafts.find_candidate(db, sender).statements[-1].versions[-1]
        decisions.add_comment(db, account("sam@x.org"), version, "feelings_now", "Say more.")
        decisions.request_changes(db, account("sam@x.org"), version, "A little more, please.")
    body = await (await client.get("/api/statement")).json()
    assert body["statement"]["status_text"].startswith("Your caseworker asked for some changes")
    assert body["statement"]["comments"]["feelings_now"] == ["Say more."]
    assert body["statement"]["comments"]["what_happened"] == []


async def test_leaving_clears_the_device(client):
    await sign_in(client)
    response = await client.post("/leave", headers=origin(client))
    assert response.status == 200
    assert "You have left" in await response.text()
    assert (await client.get("/api/me")).status == 401


async def test_health_says_what_is_down(client):
    response = await client.get("/healthz")
    assert response.status == 503
    assert await response.json() == {"ok": False, "rasa": False, "actions": False, "database": True}


async def test_no_route_reaches_rasa_or_its_api(client):
    for path in ("/webhooks/rest/webhook", "/conversations/x/tracker", "/model", "/status"):
        for method in ("GET", "POST"):
            response = await client.request(method, path, headers=origin(client))
            assert response.status in (404, 405)


async def test_opening_an_invite_link_signs_nobody_in_until_its_button_is_pressed(client):
    token, _ = invite()
    response = await client.get(f"/invite/{token}", allow_redirects=False)
    assert response.status == 200 and "Set-Cookie" not in response.headers
    assert f'action="/invite/{token}"' in await response.text()
    assert (await client.get("/api/me")).status == 401
    # Another site cannot press the button for someone (pushing its own link on them).
    response = await client.post(f"/invite/{token}", headers={"Origin": "https://evil.example"})
    assert response.status == 403 and "Set-Cookie" not in response.headers


async def test_after_first_use_a_new_browser_needs_the_link_and_the_code(
    client, aiohttp_client, config
):
    token, _ = invite()
    code = shown_code(await (await use_invite(client, token)).text())
    shared = await aiohttp_client(create_app(config))  # a link found in a browser's history
    page = await shared.get(f"/invite/{token}")
    assert 'name="code"' in await page.text()
    for wrong in ("", "7K3MQ-9TZ4H-XRPW2"):
        response = await use_invite(shared, token, wrong)
        assert response.status == 401 and "Set-Cookie" not in response.headers
        assert "didn't work" in html.unescape(await response.text())
    response = await use_invite(shared, token, code.lower())
    assert response.status == 303 and response.headers["Location"] == "/chat"
    assert (await shared.get("/api/me")).status == 200
    again = await shared.get(f"/invite/{token}", allow_redirects=False)  # signed in: straight in
    assert again.status == 303


async def test_new_practice_chats_are_rate_limited_per_client(client):
    statuses = [(await client.post("/practice", headers=origin(client))).status for _ in range(7)]
    assert statuses[:5] == [200] * 5 and statuses[-1] == 429


async def test_a_message_of_only_slashes_is_empty(client):
    csrf, _ = await sign_in(client)
    response = await chat(client, csrf, {"message": " // "})
    assert response.status == 400 and "empty" in (await response.json())["error"]


async def test_a_failing_page_logs_its_route_never_the_secret_in_its_path(
    aiohttp_client, config, tmp_path, caplog
):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"this is not a database" * 100)
    app = create_app(WebConfig(**{**config.__dict__, "database_url": f"sqlite:///{broken}"}))
    client = await aiohttp_client(app)
    secret = "SecretInThePath" + "x" * 30
    response = await client.get(f"/invite/{secret}")
    assert response.status == 500 and "Traceback" not in await response.text()
    assert "/invite/{token}" in caplog.text and "DatabaseError" in caplog.text
    assert secret not in caplog.text


async def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(
    aiohttp_client, config
):
    proxied = WebConfig(**{**config.__dict__, "trusted_proxies": parse_networks("127.0.0.1")})
    client = await aiohttp_client(create_app(proxied))

    async def practice(forwarded: str) -> int:
        headers = {**origin(client), "X-Forwarded-For": forwarded}
        return (await client.post("/practice", headers=headers)).status

    assert [await practice("203.0.113.1") for _ in range(6)][-1] == 429
    assert await practice("203.0.113.2") == 200  # someone else behind the same proxy
    assert await practice("2001:db8:1:2::5") == 200
    assert [await practice(f"2001:db8:1:2::{n}") for n in range(6)][-1] == 429  # one /64


async def test_the_running_website_purges_old_data_by_itself(aiohttp_client, config):
    from datetime import timedelta

    from bot.store.models import ConversationKey, utcnow

    with session_scope() as db:
        _, key = access.create_practice(db)
        key.last_used_at = utcnow() - timedelta(days=400)
    await aiohttp_client(create_app(config))  # starting the app starts the daily purge
    for _ in range(50):
        with session_scope() as db:
            if db.get(ConversationKey, key.id) is None:
                break
        await asyncio.sleep(0.1)
    with session_scope() as db:
        assert db.get(ConversationKey, key.id) is None


async def test_the_start_page_says_who_reads_what_how_long_and_what_stays(client):
    page = " ".join(html.unescape(await (await client.get("/")).text()).split())
    assert "your caseworker and your organisation's administrators can read" in page
    assert "kept until you delete them" in page
    assert "deleted 30 days after you last use the chat" in page
    assert "a note that it did (never your words) is kept, even after that" in page
    assert "the people who train it may read that message, with names and numbers" in page
