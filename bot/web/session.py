"""The session cookie: a random token naming a row in web_sessions."""

from __future__ import annotations

from aiohttp import web

from bot.store import access
from bot.store.models import WebSession
from bot.web import keys
from bot.web.database import db_of

COOKIE = "coach_session"


async def current_session(request: web.Request) -> WebSession | None:
    """This browser's live session, or None."""
    with db_of(request) as db:
        return access.find_session(db, request.cookies.get(COOKIE))


def set_session_cookie(request: web.Request, response: web.StreamResponse, token: str) -> None:
    """HttpOnly (no script can read it), SameSite=Lax (not sent on cross-site posts),
    Secure whenever the site is served over HTTPS."""
    public = request.app[keys.CONFIG].public_url
    secure = public.startswith("https://") or request.secure
    response.set_cookie(
        COOKIE,
        token,
        path="/",
        httponly=True,
        samesite="Lax",
        secure=secure,
        max_age=int(access.SESSION_LIFETIME.total_seconds()),
    )
