"""Admin pages: staff accounts (add, disable, enable) and the audit log (page and CSV)."""

from __future__ import annotations

import asyncio

from aiohttp import web
from sqlalchemy import select

from bot.review import accounts, audit
from bot.store.db import session_scope
from bot.store.models import Account, AuditEvent, Role
from bot.web import keys
from bot.web.database import db_of
from bot.web.pages import notice_html, redirect, render
from bot.web.staff_auth import Staff, account_of, field, form_of, require, row_id
from bot.web.staff_pages import options_html, staff_page, when

AUDIT_PAGE = 200


async def accounts_page(request: web.Request, notice: str = "", status: int = 200) -> web.Response:
    staff = await require(request, Role.ADMIN)
    with db_of(request) as db:
        everyone = db.scalars(select(Account).order_by(Account.email)).all()
        rows = "".join(_account_row(staff, account) for account in everyone)
    content = render(
        "staff/accounts", rows_html=rows, csrf=staff.csrf_token,
        notice_html=notice_html(notice),
        roles_html=options_html([(r.value, r.value) for r in Role], ""),
        min_password=accounts.MIN_PASSWORD,
    )  # fmt: skip
    return staff_page(staff, "Accounts", content, status=status)


def _account_row(staff: Staff, account: Account) -> str:
    """One account, with a button to disable or enable it (not for yourself)."""
    toggle = ""
    if account.id != staff.account_id:
        toggle = render(
            "staff/account_toggle", account_id=account.id, csrf=staff.csrf_token,
            value="no" if account.active else "yes", email=account.email,
            label="Disable" if account.active else "Enable",
        )  # fmt: skip
    return render(
        "staff/account_row", email=account.email, role=account.role.value,
        state="active" if account.active else "disabled", created=when(account.created_at),
        toggle_html=toggle,
    )  # fmt: skip


async def add_account(request: web.Request) -> web.Response:
    staff = await require(request, Role.ADMIN)
    form = await form_of(request, staff)
    email, role = field(form, "email", 300), field(form, "role", 20)
    password = field(form, "password", 300)
    try:
        await asyncio.to_thread(
            _add, request.app[keys.CONFIG].database_url, staff.email, email, role, password
        )
    except accounts.AccountError as error:
        return await accounts_page(request, f"{error} The account was not added.", 400)
    return redirect("/staff/accounts")


def _add(url: str, by: str, email: str, role: str, password: str) -> None:
    with session_scope(url) as db:
        accounts.add_account(db, email, role, password, by=by)


async def set_active(request: web.Request) -> web.Response:
    staff = await require(request, Role.ADMIN)
    form = await form_of(request, staff)
    account_id = row_id(request, "account_id")
    active = field(form, "active", 5)
    if active not in ("yes", "no"):
        raise web.HTTPBadRequest(text="Say yes or no.")
    if account_id == staff.account_id:
        return await accounts_page(request, "You cannot disable your own account.", 400)
    with db_of(request) as db:
        account = db.get(Account, account_id)
        if account is None:
            raise web.HTTPNotFound()
        accounts.set_active(db, account, active == "yes", by=account_of(db, staff).email)
    return redirect("/staff/accounts")


def _page_number(request: web.Request) -> int:
    try:
        number = int(request.query.get("page", "1"))
    except ValueError:
        raise web.HTTPBadRequest(text="The page must be a number.") from None
    if number < 1 or number > 100_000:
        raise web.HTTPBadRequest(text="There is no such page.")
    return number


async def audit_page(request: web.Request) -> web.Response:
    staff = await require(request, Role.ADMIN)
    number = _page_number(request)
    with db_of(request) as db:
        events = audit.recent(db, AUDIT_PAGE, (number - 1) * AUDIT_PAGE)
        rows = "".join(_audit_row(event) for event in events)
        audit.record(db, staff.email, "audit_viewed", page=number)
    more = ""
    if len(events) == AUDIT_PAGE:
        more = render("staff/older", page=number + 1)
    content = render("staff/audit", rows_html=rows, more_html=more)
    return staff_page(staff, "Audit log", content)


def _audit_row(event: AuditEvent) -> str:
    detail = "; ".join(f"{k}={v}" for k, v in sorted((event.detail or {}).items()))
    return render(
        "staff/audit_row", at=when(event.at), actor=event.actor, action=event.action,
        candidate=event.candidate_id or "", detail=detail,
    )  # fmt: skip


async def audit_csv(request: web.Request) -> web.Response:
    staff = await require(request, Role.ADMIN)
    with db_of(request) as db:
        audit.record(db, staff.email, "audit_exported")
        db.flush()
        text = audit.as_csv(audit.recent(db, limit=1_000_000))
    return web.Response(
        text=text, content_type="text/csv", charset="utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
    )  # fmt: skip
