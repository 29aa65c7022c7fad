"""Helpers for the tests that drive the web gateway in front of the real stack."""

from __future__ import annotations

from bot.review import accounts
from bot.services import Stack
from bot.store import access
from bot.store.db import session_scope
from bot.web.config import WebConfig
from tests.review_helpers import PASSWORD


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
    origin = str(client.make_url("")).rstrip("/")
    return await client.post(
        f"/invite/{token}", data={"code": code}, headers={"Origin": origin},
        allow_redirects=False,
    )  # fmt: skip


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


def staff_account(database_url: str, email: str, role: str) -> None:
    """A staff account with the tests' password, made once for the run's stack."""
    with session_scope(database_url) as db:
        if accounts.find_account(db, email) is None:
            accounts.add_account(db, email, role, PASSWORD, by="test")


async def sign_in(page, site: str, email: str) -> None:
    """Sign in on the staff login page in a real browser (a Playwright page)."""
    await page.goto(f"{site}/staff/login")
    await page.fill("#email", email)
    await page.fill("#password", PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
