"""The chat page's JSON API. The browser never sees or chooses a sender id: the
session cookie says whose conversation it is."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import aiohttp
import yaml
from aiohttp import web
from sqlalchemy import text

from bot.coaching.engine import notes_shown
from bot.commands import as_text, is_command
from bot.logsafe import failure
from bot.parts import PARTS, TITLES
from bot.rest_client import send
from bot.review import decisions
from bot.store import drafts
from bot.store.conversations import open_choices, transcript
from bot.store.db import engine_for
from bot.store.models import WebSession
from bot.web import keys
from bot.web.config import MAX_MESSAGE_CHARS
from bot.web.database import db_of
from bot.web.downloads import exported
from bot.web.limits import retry_after
from bot.web.security import json_error
from bot.web.session import current_session

log = logging.getLogger(__name__)
RASA_TIMEOUT = aiohttp.ClientTimeout(total=60)
CSRF_HEADER = "X-CSRF-Token"
PANEL_FILE = Path(__file__).resolve().parent.parent / "data" / "panel.yml"
# What a candidate reads when the assistant could not take a message: the same
# words from the web app and from the balancer in front of it (bot.ops).
NOT_SENT = (
    "The assistant is not answering right now. Your message was not sent. "
    "Please try again in a moment."
)
# A button pressed after the conversation moved on: nothing is sent.
STALE_CHOICE = (
    "Those choices were for an earlier question, so nothing was sent. The chat has "
    "moved on (perhaps on another device): reload the page to see where it is."
)
# The page names each message, so a message sent again after a failure is
# answered once even if the first try did reach the assistant.
MESSAGE_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


async def _signed_in(request: web.Request) -> WebSession:
    found = await current_session(request)
    if found is None:
        raise web.HTTPUnauthorized(text="Your session has ended. Please open your link again.")
    return found


async def me(request: web.Request) -> web.Response:
    """What the page needs to talk to the API: the CSRF token for its posts."""
    session = await _signed_in(request)
    return web.json_response({"csrf_token": session.csrf_token})


@dataclass(frozen=True)
class Message:
    """What the page posted: the text, its name, and whether it is sent again."""

    text: str
    message_id: str | None = None
    retry: bool = False
    button: bool = False  # a button the assistant gave, pressed


async def _message_from(request: web.Request) -> Message:
    if request.content_length and request.content_length > 4 * MAX_MESSAGE_CHARS + 1024:
        raise web.HTTPRequestEntityTooLarge(
            max_size=4 * MAX_MESSAGE_CHARS, actual_size=request.content_length
        )
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise web.HTTPBadRequest(text="The request is not valid JSON.") from None
    if not isinstance(body, dict) or "message" not in body:
        raise web.HTTPBadRequest(text='Send {"message": "..."}.')
    message = body["message"]
    if not isinstance(message, str):
        raise web.HTTPBadRequest(text="The message must be text.")
    if not message.strip() or not (is_command(message) or as_text(message)):
        raise web.HTTPBadRequest(text="The message is empty.")
    if len(message) > MAX_MESSAGE_CHARS:
        raise web.HTTPRequestEntityTooLarge(
            max_size=MAX_MESSAGE_CHARS, actual_size=len(message),
            text=f"Messages can be up to {MAX_MESSAGE_CHARS} characters. Please make it shorter.",
        )  # fmt: skip
    message_id, retry = body.get("message_id"), body.get("retry", False)
    if message_id is not None and not (
        isinstance(message_id, str) and MESSAGE_ID.fullmatch(message_id)
    ):
        raise web.HTTPBadRequest(text="The message id must be 8 to 64 letters, digits or -.")
    if not isinstance(retry, bool) or (retry and message_id is None):
        raise web.HTTPBadRequest(text="retry must be true or false, with a message id.")
    button = body.get("button", False)
    if not isinstance(button, bool):
        raise web.HTTPBadRequest(text="button must be true or false.")
    return Message(message, message_id, retry, button)


async def post_chat(request: web.Request) -> web.Response:
    """Send the candidate's message to the assistant; return its replies."""
    session = await _signed_in(request)
    if request.headers.get(CSRF_HEADER) != session.csrf_token:
        return json_error(403, "This page is out of date. Please reload it.")
    limiter = request.app[keys.MESSAGE_LIMITER]
    wait = await limiter.check(session.sender_id)
    if wait:
        return json_error(
            429, "You're sending messages very fast. Please wait a moment.",
            **{"Retry-After": retry_after(wait)},
        )  # fmt: skip
    message = await _message_from(request)
    # A message id seen before is a resend, whether or not the page knows it.
    resent = message.retry or (
        message.message_id is not None
        and not await request.app[keys.SENT_MESSAGES].first_time(
            session.sender_id, message.message_id
        )
    )
    if message.button and not resent and await _stale(request, session.sender_id, message.text):
        return json_error(409, STALE_CHOICE)
    try:
        replies = await send(
            request.app[keys.HTTP],
            request.app[keys.CONFIG].rasa_url,
            session.sender_id,
            message.text,
            message_id=message.message_id,
            retry=resent,
        )
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        log.warning("Rasa did not answer: %s", type(error).__name__)
        return json_error(503, NOT_SENT, **{"Retry-After": "2"})
    return web.json_response({"replies": [_reply(r) for r in replies]})


async def _stale(request: web.Request, sender_id: str, payload: str) -> bool:
    """A button from an earlier question (pressed on a page that had not caught up,
    perhaps on another device): not one of the choices open now. A resend is never
    stale: its first try may have moved the conversation on."""
    url = request.app[keys.CONFIG].tracker_store_url
    open_now = await asyncio.to_thread(open_choices, sender_id, url)
    return open_now is not None and payload not in open_now


def _reply(reply: dict[str, Any]) -> dict[str, Any]:
    """Only what the page uses: text and buttons (title, payload), and from the
    actions' custom messages the text to put in the box for a rewrite (`edit`)
    and how many parts are written (`written`)."""
    buttons = [
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in reply.get("buttons") or []
    ]
    found: dict[str, Any] = {"text": reply.get("text") or "", "buttons": buttons}
    raw = reply.get("custom")
    custom: dict[str, Any] = raw if isinstance(raw, dict) else {}
    if isinstance(custom.get("edit"), str):
        found["edit"] = custom["edit"]
    if isinstance(custom.get("written"), int):
        found["written"] = custom["written"]
    return found


async def history(request: web.Request) -> web.Response:
    session = await _signed_in(request)
    url = request.app[keys.CONFIG].tracker_store_url
    messages = await asyncio.to_thread(transcript, session.sender_id, url)
    return web.json_response({"messages": messages})


async def statement(request: web.Request) -> web.Response:
    """The latest saved version of the candidate's statement (null if nothing saved),
    where it stands (draft, sent on ..., changes asked for, approved) with the
    caseworker's comments, the parts' titles and the panel's words, and whether
    the candidate said yes to saving (if not, the page says what a reload will and
    will not bring back, and counts the parts this chat has written)."""
    session = await _signed_in(request)
    with db_of(request) as db:
        draft = drafts.latest_draft(db, session.sender_id)
        saving = drafts.find_candidate(db, session.sender_id) is not None
        approved = decisions.approved_version(db, session.sender_id)
        approved_number = approved.number if approved else None
        standing = decisions.statement_status(db, session.sender_id)
    found: dict[str, Any] = {
        "saving": saving,
        # The caseworker-approved version the candidate can download, if any.
        "approved_version": approved_number,
        # One name for each part, everywhere (bot.parts.TITLES).
        "titles": [{"part": p, "title": TITLES[p]} for p in PARTS],
        "words": panel_words(),
        "statement": None,
    }
    if draft is None:
        return web.json_response(found)
    status = standing.status if standing else draft.status
    sent = standing.submitted_at if standing else None
    found["statement"] = {
        "version": draft.version,
        "status": draft.status,
        "status_text": panel_words()["status"][status].format(
            date=f"{sent.day} {sent:%B %Y}" if sent else ""
        ),
        "parts": {p: draft.parts.get(p, "") for p in PARTS},
        "parts_written": len(draft.answered()),
        # The coaching notes on each part, as the chat gave them.
        "notes": {p: _notes(draft.findings.get(p) or []) for p in PARTS},
        "comments": {p: (standing.comments.get(p, []) if standing else []) for p in PARTS},
    }
    return web.json_response(found)


@lru_cache(maxsize=1)
def panel_words() -> dict[str, Any]:
    """The panel's words (bot/data/panel.yml): texts are data, not code."""
    return yaml.safe_load(PANEL_FILE.read_text(encoding="utf-8"))


async def review_waiting(request: web.Request) -> web.Response:
    """Whether a caseworker's decision is waiting to be shown in the chat. The page
    asks now and then; if so, it sends the /review_feedback command and the
    assistant tells the candidate."""
    session = await _signed_in(request)
    with db_of(request) as db:
        waiting = decisions.unseen_review(db, session.sender_id) is not None
    return web.json_response({"waiting": waiting})


async def download_approved(request: web.Request) -> web.Response:
    """The candidate's approved statement, as .docx or text."""
    session = await _signed_in(request)
    with db_of(request) as db:
        version = decisions.approved_version(db, session.sender_id)
        if version is None:
            raise web.HTTPNotFound(text="There is no approved statement to download yet.")
        candidate = drafts.find_candidate(db, session.sender_id)
        fmt = request.match_info["fmt"]
        drafts.audit(db, "exported", candidate, version=version.number, format=fmt)
        return exported(version, fmt)


def _notes(findings: list[dict]) -> list[dict]:
    """What the chat said about a part, for the panel."""
    return [{"kind": f.kind, "message": f.message} for f in notes_shown(findings)]


async def healthz(request: web.Request) -> web.Response:
    """Whether Rasa, the action server and the database answer."""
    config = request.app[keys.CONFIG]
    checks = {
        "rasa": await _answers(request.app[keys.HTTP], config.rasa_url + "/"),
        "actions": await _answers(request.app[keys.HTTP], config.action_url + "/health"),
        "database": await asyncio.to_thread(_database_answers, config.database_url),
    }
    ok = all(checks.values())
    return web.json_response({"ok": ok, **checks}, status=200 if ok else 503)


async def _answers(http: aiohttp.ClientSession, url: str) -> bool:
    try:
        async with http.get(url, timeout=aiohttp.ClientTimeout(total=3)) as response:
            return response.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return False


def _database_answers(url: str) -> bool:
    try:
        with engine_for(url).connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception as error:  # any failure means "not healthy"; its kind goes to the log
        log.warning("Database check failed: %s", failure(error))
        return False
