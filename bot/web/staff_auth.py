"""Signing staff in and out, and the checks every staff page starts with.

Staff sessions are separate from candidates' chat sessions (another cookie, another
table). Every staff form carries the session's CSRF token in a hidden field; the
login form, used before there is a session, carries a token that must match a
short-lived cookie (double submit). The security middleware also refuses posts
from another Origin.
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
from dataclasses import dataclass

from aiohttp import web
from multidict import MultiDictProxy
from sqlalchemy.orm import Session

from bot.review import accounts
from bot.review.audit import record
from bot.store.db import session_scope
from bot.store.models import Account, Role
from bot.web import keys
from bot.web.database import db_of
from bot.web.limits import retry_after
from bot.web.pages import message_page, notice_html, page, redirect, render
from bot.web.security import client_of, read_form

COOKIE = "staff_session"
LOGIN_COOKIE = "staff_login"
CSRF_FIELD = "csrf"
MAX_FORM_FIELD = 4000


@dataclass(frozen=True)
class Staff:
    """The signed-in member of staff for this request."""

    account_id: int
    email: str
    role: Role
    csrf_token: str


def _secure(request: web.Request) -> bool:
    return request.app[keys.CONFIG].public_url.startswith("https://") or request.secure


def _db_url(request: web.Request) -> str:
    return request.app[keys.CONFIG].database_url


async def signed_in(request: web.Request) -> Staff | None:
    with db_of(request) as db:
        found = accounts.find_staff_session(db, request.cookies.get(COOKIE))
        if found is None:
            return None
        return Staff(found.account.id, found.account.email, found.account.role, found.csrf_token)


async def require(request: web.Request, *roles: Role) -> Staff:
    """The signed-in member of staff, if their role is one of `roles`; otherwise the
    login page (not signed in) or 403 (wrong role)."""
    staff = await signed_in(request)
    if staff is None:
        raise web.HTTPSeeOther("/staff/login")
    if roles and staff.role not in roles:
        raise web.HTTPForbidden(text="Your account cannot open this page.")
    return staff


async def form_of(request: web.Request, staff: Staff) -> MultiDictProxy:
    """The posted form, after checking its CSRF token against the session's."""
    form = await read_form(request)
    sent = str(form.get(CSRF_FIELD) or "")
    if not hmac.compare_digest(sent.encode(), staff.csrf_token.encode()):
        raise web.HTTPForbidden(
            text="This form is out of date. Please go back, reload and try again."
        )
    return form


def field(form: MultiDictProxy, name: str, limit: int = MAX_FORM_FIELD) -> str:
    """A text field of a form; too long is a clear 400, never a cut-off save."""
    value = form.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise web.HTTPBadRequest(text=f"The field '{name}' must be text.")
    if len(value) > limit:
        raise web.HTTPRequestEntityTooLarge(
            max_size=limit, actual_size=len(value),
            text=f"That is too long (at most {limit} characters). Nothing was saved.",
        )  # fmt: skip
    return value


MAX_ID = 2**31 - 1


def row_id(request: web.Request, name: str) -> int:
    """A database id from the URL. Anything that is not one is a 404, never a
    database error (a number too big for the column, a sign, other digits)."""
    text = request.match_info[name]
    if not (text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID):
        raise web.HTTPNotFound()
    return int(text)


def account_of(db: Session, staff: Staff) -> Account:
    """The signed-in account (`require` has checked it exists and is active)."""
    account = db.get(Account, staff.account_id)
    if account is None:
        raise web.HTTPForbidden(text="Your account is not there any more.")
    return account


async def login_form(
    request: web.Request, error: str = "", status: int = 200, email: str = ""
) -> web.Response:
    """The sign-in form; after a refusal, with the email typed kept in its box."""
    token = secrets.token_urlsafe(32)
    response = page(
        "Staff sign in", "staff/login", status=status, csrf=token, error_html=notice_html(error),
        email=email,
    )  # fmt: skip
    response.set_cookie(
        LOGIN_COOKIE, token, path="/staff/login", httponly=True, samesite="Strict",
        secure=_secure(request), max_age=3600,
    )  # fmt: skip
    return response


async def log_in(request: web.Request) -> web.Response:
    limiter = request.app[keys.LOGIN_LIMITER]
    client = client_of(request)
    wait = await limiter.check(client)
    if wait:
        response = await login_form(request, "Too many tries from here. Please wait a minute.", 429)
        response.headers["Retry-After"] = retry_after(wait)
        return response
    form = await read_form(request)
    sent, expected = str(form.get(CSRF_FIELD) or ""), request.cookies.get(LOGIN_COOKIE) or ""
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        return await login_form(request, "The sign-in form was out of date. Please try again.", 403)
    email = str(form.get("email") or "")[:300]
    password = str(form.get("password") or "")[: accounts.MAX_PASSWORD + 1]
    try:
        token = await asyncio.to_thread(_check_login, _db_url(request), email, password, client)
    except accounts.LoginRefused as refused:
        return await login_form(request, str(refused), 401, email=email[:254])
    response = redirect("/staff")
    response.set_cookie(
        COOKIE, token, path="/", httponly=True, samesite="Strict", secure=_secure(request),
        max_age=int(accounts.STAFF_SESSION_LIFETIME.total_seconds()),
    )  # fmt: skip
    response.del_cookie(LOGIN_COOKIE, path="/staff/login")
    return response


def _check_login(url: str, email: str, password: str, client: str) -> str:
    """Runs in a thread: argon2 takes tens of milliseconds on purpose. The failure
    counts are committed even when the login is refused."""
    with session_scope(url) as db:
        try:
            account = accounts.log_in(db, email, password, client)
        except accounts.LoginRefused as refused:
            db.commit()
            raise refused from None
        token, _ = accounts.start_staff_session(db, account)
        return token


async def log_out(request: web.Request) -> web.Response:
    staff = await require(request)
    await form_of(request, staff)
    with db_of(request) as db:
        accounts.end_staff_session(db, request.cookies.get(COOKIE))
        record(db, staff.email, "logged_out")
    response = message_page(200, "Signed out", "You have signed out.")
    response.del_cookie(COOKIE, path="/")
    return response


async def password_form(request: web.Request, error: str = "", status: int = 200) -> web.Response:
    staff = await require(request)
    return page(
        "Change password", "staff/password", status=status, csrf=staff.csrf_token,
        error_html=notice_html(error), nav_html=nav(staff),
    )  # fmt: skip


async def change_password(request: web.Request) -> web.Response:
    staff = await require(request)
    form = await form_of(request, staff)
    current, new = field(form, "current", 300), field(form, "new", 300)
    if new != field(form, "repeat", 300):
        return await password_form(request, "The two new passwords are not the same.", 400)
    try:
        token = request.cookies.get(COOKIE)
        await asyncio.to_thread(_change, _db_url(request), staff, current, new, token)
    except accounts.AccountError as error:
        return await password_form(request, str(error), 400)
    return page(
        "Password changed", "staff/message", nav_html=nav(staff),
        heading="Password changed", message="Your new password works from now on.",
    )  # fmt: skip


def _change(url: str, staff: Staff, current: str, new: str, token: str | None) -> None:
    with session_scope(url) as db:
        account = account_of(db, staff)
        accounts.change_password(db, account, current, new)
        accounts.end_other_sessions(db, account, token)


def nav(staff: Staff) -> str:
    """The staff menu, with only the pages this role may open, and the sign-out form."""
    links = []
    if staff.role in (Role.CASEWORKER, Role.ADMIN):
        links += [("/staff/caseload", "Candidates"), ("/staff/overview", "Overview")]
    if staff.role in (Role.TRAINER, Role.ADMIN):
        links += [
            ("/staff/training", "Where the assistant struggled"),
            ("/staff/training/intents", "What it understands"),
            ("/staff/training/stories", "Test stories"),
            ("/staff/training/questions", "Practice questions"),
            ("/staff/training/model", "Check and publish"),
        ]
    if staff.role == Role.ADMIN:
        links += [("/staff/accounts", "Accounts"), ("/staff/audit", "Audit log")]
    links.append(("/staff/password", "Change password"))
    items = "".join(render("staff/nav_link", href=href, label=label) for href, label in links)
    return render(
        "staff/nav", links_html=items, email=staff.email, role=staff.role.value,
        csrf=staff.csrf_token,
    )  # fmt: skip
