"""Helpers for the tests that drive the web gateway in front of the real stack."""

from __future__ import annotations

import re

from bot.review import accounts
from bot.services import Stack, free_port
from bot.store import access
from bot.store.db import session_scope
from bot.web.config import WebConfig
from tests.review_helpers import PASSWORD

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def shown_text(page_html: str) -> str:
    """A page's words without its tags: a short name such as "Jo" can turn up
    inside a random token in an attribute (a CSRF field), which says nothing."""
    return re.sub(r"<[^>]*>", " ", page_html)


def offline_config(database_url: str, tracker_store_url: str, **overrides: object) -> WebConfig:
    """The website's settings with no assistant behind it (nothing listens at its
    Rasa and action addresses): for the page tests that need no chat."""
    return WebConfig(
        rasa_url=f"http://127.0.0.1:{free_port()}",
        action_url=f"http://127.0.0.1:{free_port()}",
        database_url=database_url,
        tracker_store_url=tracker_store_url,
        **overrides,  # type: ignore[arg-type]
    )


def origin(client) -> dict[str, str]:
    """The Origin header the site's own pages send (cross-site writes are refused)."""
    return {"Origin": str(client.make_url("")).rstrip("/")}


async def log_in(client, email: str, password: str = PASSWORD):
    """Post the staff login form as a browser would (with its CSRF token)."""
    page = await client.get("/staff/login")
    token = CSRF.search(await page.text()).group(1)
    return await client.post(
        "/staff/login",
        data={"csrf": token, "email": email, "password": password},
        headers=origin(client),
        allow_redirects=False,
    )


async def signed_in(client, email: str) -> str:
    """Sign in; returns the session's CSRF token (from a staff page)."""
    response = await log_in(client, email)
    assert response.status == 303, await response.text()
    page = await client.get("/staff/password")
    return CSRF.search(await page.text()).group(1)


def listed_routes(table: list[tuple[str, str, str]], names: dict[str, str]) -> set[tuple[str, str]]:
    """A test's route table (method, path, who) as the app names its routes: each
    of the table's placeholders replaced by the app's, to compare with what it serves."""
    listed = set()
    for method, path, _ in table:
        for ours, theirs in names.items():
            path = path.replace(ours, theirs)
        listed.add((method, path))
    return listed


def web_config(stack: Stack, **overrides: object) -> WebConfig:
    """The gateway's settings for the running test stack."""
    assert stack.database_url and stack.tracker_store_url
    return WebConfig(
        rasa_url=stack.rasa_url,
        action_url=stack.action_url,
        database_url=stack.database_url,
        tracker_store_url=stack.tracker_store_url,
        **overrides,  # type: ignore[arg-type]
    )


def new_invite(stack: Stack, caseworker: str = "Sam") -> tuple[str, str]:
    """A fresh invite token and its conversation's sender id."""
    with session_scope(stack.database_url) as db:
        token, key = access.create_invite(db, caseworker)
        return token, key.sender_id


async def use_invite(client, token: str, code: str = ""):
    """Press the invite page's button, as a browser would (a POST from the site's own
    page). The first use answers with the candidate's code page and a session cookie;
    later uses need `code` and answer with a redirect to the chat."""
    return await client.post(
        f"/invite/{token}", data={"code": code}, headers=origin(client), allow_redirects=False
    )


def shown_code(page_html: str) -> str:
    """The code on a "Your code" page."""
    import re

    found = re.search(r'id="resume-code">([^<]+)<', page_html)
    assert found, "no code on the page"
    return found.group(1).strip()


async def open_invite_in(page, url: str) -> str:
    """A browser (Playwright page) opens an invite link for the first time, as a
    candidate would: "Start my chat", note the code, "Start chatting". Returns the code."""
    await page.goto(url)
    await page.get_by_role("button", name="Start my chat").click()
    code = (await page.locator("#resume-code").inner_text()).strip()
    await page.get_by_role("link", name="Start chatting").click()
    return code


async def start_chat(page, site: str, stack: Stack, save: bool = True) -> None:
    """A new candidate opens a fresh invite in a real browser, presses Start and
    says yes (or no) to saving their answers."""
    token, _ = new_invite(stack)
    await open_invite_in(page, f"{site}/invite/{token}")
    await page.get_by_role("button", name="Start").click()
    answer = "Yes, save my answers" if save else "No, don't save anything"
    await page.get_by_role("button", name=answer).click()


def staff_account(database_url: str, email: str, role: str) -> None:
    """A staff account with the tests' password, made once for the run's stack."""
    with session_scope(database_url) as db:
        if accounts.find_account(db, email) is None:
            accounts.add_account(db, email, role, PASSWORD, by="test")


async def sign_in(page, site: str, email: str, password: str = PASSWORD) -> None:
    """Sign in on the staff login page in a real browser (a Playwright page)."""
    await page.goto(f"{site}/staff/login")
    await page.fill("#email", email)
    await page.fill("#password", password)
    await page.get_by_role("button", name="Sign in").click()
