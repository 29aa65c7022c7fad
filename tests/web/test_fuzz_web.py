"""Random requests to the pages that take input from anyone: no answer is ever a
server error, and a refused request stores nothing.

Hypothesis makes the bodies (bytes, text in several encodings, JSON of any
shape), the content types and the Origin and CSRF headers. The assistant behind
/api/chat is a stand-in that answers "ok"; the website's own handling is tested.
"""

from __future__ import annotations

import asyncio
import json
import os

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.store.db import session_scope
from bot.store.models import AuditEvent, Base, LoginFailures
from bot.web.app import create_app
from bot.web.config import WebConfig
from tests.web_helpers import use_invite

ROUTES = ["/api/chat", "/resume", "/spent", "/practice", "/staff/login"]
# What a refused sign-in is allowed to leave: the audit line and the count of tries.
RECORDS_OF_TRIES = {AuditEvent.__tablename__, LoginFailures.__tablename__}

FIELDS = ["code", "email", "password", "csrf", "c0_date", "c0_outcome", "message"]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)
bodies = st.one_of(
    st.binary(max_size=300),
    st.builds(
        lambda text, encoding: text.encode(encoding, "replace"),
        st.text(max_size=300),
        st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"]),
    ),
    st.builds(lambda value: json.dumps(value).encode(), json_values),
    st.builds(
        lambda message: json.dumps({"message": message}).encode(),
        st.text(max_size=2100) | st.sampled_from(["/", "/skip_part", "/ I want to end it"]),
    ),
    st.builds(
        lambda fields: "&".join(f"{k}={v}" for k, v in fields.items()).encode(),
        st.dictionaries(
            st.sampled_from(
                ["code", "email", "password", "csrf", "c0_date", "c0_outcome", "message"]
            ),
            st.text(max_size=40),
        ),
    ),
)
content_types = st.sampled_from([
    None, "application/json", "application/x-www-form-urlencoded", "text/plain",
    "multipart/form-data; boundary=x", "application/json; charset=latin-1", "nonsense/∞",
])  # fmt: skip


def table_counts() -> dict[str, int]:
    with session_scope() as db:
        return {
            t.name: db.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
        }


async def _one_request(config: WebConfig, route: str, body: bytes, content_type, own_origin: bool,
                       right_csrf: bool) -> tuple[int, dict, dict]:  # fmt: skip
    assistant = web.Application()
    assistant.router.add_post(
        "/webhooks/rest/webhook", lambda _: web.json_response([{"text": "ok"}])
    )
    async with TestClient(TestServer(assistant)) as rasa:
        url = str(rasa.make_url("")).rstrip("/")
        app = create_app(WebConfig(**{**config.__dict__, "rasa_url": url}))
        async with TestClient(TestServer(app)) as client:
            origin = str(client.make_url("")).rstrip("/")
            csrf = ""
            if route == "/api/chat":  # a signed-in candidate sends it
                from bot.store import access

                with session_scope() as db:
                    token, _ = access.create_invite(db, "cw@example.org")
                await use_invite(client, token)
                csrf = (await (await client.get("/api/me")).json())["csrf_token"]
            headers = {"Origin": origin if own_origin else "https://elsewhere.example",
                       "X-CSRF-Token": csrf if right_csrf else "forged"}  # fmt: skip
            if content_type:
                headers["Content-Type"] = content_type
            before = table_counts()
            response = await client.post(route, data=body, headers=headers, allow_redirects=False)
            await response.read()
            return response.status, before, table_counts()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    route=st.sampled_from(ROUTES), body=bodies, content_type=content_types,
    own_origin=st.booleans(), right_csrf=st.booleans(),
)  # fmt: skip
def test_random_requests_never_get_a_server_error_and_a_refused_one_stores_nothing(
    database_url, route, body, content_type, own_origin, right_csrf
):
    config = WebConfig(
        rasa_url="", action_url="", database_url=database_url,
        tracker_store_url=os.environ["TRACKER_STORE_URL"],
        codes_burst=10_000, practice_burst=10_000, logins_burst=10_000, messages_burst=10_000,
    )  # fmt: skip
    status, before, after = asyncio.run(
        _one_request(config, route, body, content_type, own_origin, right_csrf)
    )
    assert status < 500, (route, body[:80], content_type, status)
    if status >= 400:
        allowed = RECORDS_OF_TRIES if route == "/staff/login" else set()
        changed = {t for t in after if after[t] != before[t]}
        assert changed <= allowed, (route, status, changed)
