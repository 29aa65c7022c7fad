"""The HTML pages: the start page, invite links, practice, resume, chat, leaving.

Pages are small templates (bot/web/templates) filled with string.Template;
every value put into a page is HTML-escaped first.
"""

from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path
from string import Template

from aiohttp import web

from bot.store import access
from bot.web import keys
from bot.web.database import db_of
from bot.web.limits import retry_after
from bot.web.security import client_of, read_form
from bot.web.session import COOKIE, current_session, set_session_cookie

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=64)
def _template(name: str) -> Template:
    # Without the file's last newline, so a template can fill part of a line.
    text = (TEMPLATES / f"{name}.html").read_text(encoding="utf-8")
    return Template(text.removesuffix("\n"))


def render(template: str, **values: object) -> str:
    """A template filled in; `values` are escaped, except names ending in _html
    (HTML built from escaped parts), which go in as they are without the suffix."""
    safe = {
        k.removesuffix("_html"): str(v) if k.endswith("_html") else html.escape(str(v))
        for k, v in values.items()
    }
    return _template(template).substitute(safe)


def page(title: str, body_template: str, status: int = 200, **values: object) -> web.Response:
    """A whole page: the body template inside the site's frame."""
    body = render(body_template, **values)
    text = _template("base").substitute(title=html.escape(title), body=body)
    return web.Response(text=text, content_type="text/html", status=status)


def notice_html(text: str) -> str:
    """An alert paragraph for a page (escaped); nothing for no text."""
    return render("notice", text=text) if text else ""


def redirect(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location})


# Where a message page leads back to: the staff pages from theirs, else the start.
BACK = {"staff": ("/staff", "Back to the staff pages"), "site": ("/", "Back to the start")}


def message_page(status: int, heading: str, message: str, back: str = "site") -> web.Response:
    href, label = BACK[back]
    return page(heading, "message", status=status, heading=heading, message=message,
                back_href=href, back_label=label)  # fmt: skip


async def home(request: web.Request) -> web.Response:
    continue_html = render("continue_link") if await current_session(request) else ""
    return page("Welcome", "home", continue_html=continue_html)


async def _limited(request: web.Request, limiter_key: web.AppKey) -> web.Response | None:
    """A 429 page if this client has tried too often, else None."""
    limiter = request.app[limiter_key]
    wait = await limiter.check(client_of(request))
    if not wait:
        return None
    response = message_page(429, "Please wait", "Too many tries. Please wait a minute.")
    response.headers["Retry-After"] = retry_after(wait)
    return response


WRONG_CODE = "That code didn't work. Check it and try again."


async def _typed_code(request: web.Request) -> tuple[str, web.Response | None]:
    """The code typed into a form, once this client is within its limit of tries;
    else a 429 page to answer with."""
    limited = await _limited(request, keys.CODE_LIMITER)
    if limited:
        return "", limited
    form = await read_form(request)
    return str(form.get("code") or "")[:200], None


def _no_invite() -> web.Response:
    return message_page(
        404, "Link not recognised",
        "This link doesn't work. Please check it, or ask your caseworker for a new one.",
    )  # fmt: skip


async def open_invite(request: web.Request) -> web.StreamResponse:
    """A caseworker's invite link. Opening it (GET) signs nobody in: the page has a
    button that posts, and after the link's first use it also asks for the code
    the candidate was shown, so a link found in a browser's history opens nothing."""
    token = request.match_info["token"]
    with db_of(request) as db:
        key = access.find_invite(db, token)
        if key is None:
            return _no_invite()
        first_use = key.code_hash is None
    signed_in = await current_session(request)
    if signed_in is not None and signed_in.sender_id == key.sender_id:
        return redirect("/chat")
    return page("Your chat", "invite" if first_use else "invite_again", token=token, notice_html="")


async def use_invite(request: web.Request) -> web.StreamResponse:
    """The invite page's button: the first time, a code for the candidate; after
    that, the code they were given."""
    code, limited = await _typed_code(request)
    if limited:
        return limited
    with db_of(request) as db:
        key = access.find_invite(db, request.match_info["token"])
        if key is None:
            return _no_invite()
        if key.code_hash is None:
            new_code = access.give_invite_code(db, key)
            token, _ = access.start_session(db, key.sender_id)
            response = page("Your code", "invite_code", code=new_code)
            set_session_cookie(request, response, token)
            return response
        if not access.invite_code_matches(key, code):
            return page(
                "Code not recognised", "invite_again", status=401,
                token=request.match_info["token"],
                notice_html=notice_html(WRONG_CODE),
            )  # fmt: skip
        sender_id = key.sender_id
    return _into_chat(request, sender_id)


def _into_chat(request: web.Request, sender_id: str) -> web.Response:
    """A new session for this browser on that conversation, then the chat page."""
    with db_of(request) as db:
        token, _ = access.start_session(db, sender_id)
    response = redirect("/chat")
    set_session_cookie(request, response, token)
    return response


async def start_practice(request: web.Request) -> web.Response:
    """A new anonymous practice chat, and the code to come back to it."""
    limited = await _limited(request, keys.PRACTICE_LIMITER)
    if limited:
        return limited
    with db_of(request) as db:
        code, key = access.create_practice(db)
        token, _ = access.start_session(db, key.sender_id)
    response = page("Your code", "practice", code=code)
    set_session_cookie(request, response, token)
    return response


async def resume(request: web.Request) -> web.StreamResponse:
    """Back to a conversation with its code: a practice chat's, or an invite's."""
    code, limited = await _typed_code(request)
    if limited:
        return limited
    with db_of(request) as db:
        key = access.find_by_code(db, code) if code.strip() else None
        if key is None:
            return message_page(401, "Code not recognised", WRONG_CODE)
        sender_id = key.sender_id
    return _into_chat(request, sender_id)


async def chat(request: web.Request) -> web.StreamResponse:
    if await current_session(request) is None:
        return redirect("/")
    return page("Chat", "chat")


async def leave(request: web.Request) -> web.Response:
    """Sign this browser out and forget its cookie ("leave and clear this device")."""
    with db_of(request) as db:
        access.end_session(db, request.cookies.get(COOKIE))
    response = message_page(
        200, "You have left",
        "This device no longer has your conversation open. Close this tab if you like.",
    )  # fmt: skip
    response.del_cookie(COOKIE, path="/")
    return response
