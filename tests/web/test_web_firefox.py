"""The chat page in Firefox (Debian's firefox-esr, driven over Marionette), in
front of the real Rasa server, action server and database.

Playwright's own Firefox build cannot be downloaded here, so Firefox is driven
through its built-in Marionette remote protocol instead. The driver is
synchronous, so it runs in a thread while the test's event loop serves the site.
"""

from __future__ import annotations

import asyncio

import pytest
from marionette_driver import By, Wait
from marionette_driver.marionette import Marionette

from bot.services import free_port
from bot.web.app import create_app
from tests.web_helpers import new_invite, web_config

pytestmark = pytest.mark.e2e

FIREFOX = "/usr/bin/firefox-esr"
PART = "In 2018 I was convicted of shoplifting and got a community order."


def _last_bot_text(firefox: Marionette) -> str:
    found = firefox.find_elements(By.CSS_SELECTOR, ".msg.bot")
    return found[-1].text if found else ""


def _wait_for_bot(firefox: Marionette, words: str) -> None:
    Wait(firefox, timeout=60).until(lambda f: words in _last_bot_text(f))


def _button(firefox: Marionette, title: str):
    buttons = firefox.find_elements(By.CSS_SELECTOR, ".choices button")
    return [b for b in buttons if b.text == title][-1]


def _chat_in_firefox(invite_url: str, log: str) -> tuple[str, str]:
    """Open the invite, start, consent, answer part 1, reload; return what was seen."""
    firefox = Marionette(
        host="127.0.0.1", port=free_port(), bin=FIREFOX, headless=True,
        gecko_log=log, startup_timeout=120,
    )  # fmt: skip
    try:
        firefox.start_session()
        firefox.navigate(invite_url)
        firefox.find_element(By.CSS_SELECTOR, "button[type=submit]").click()  # Start my chat
        Wait(firefox, timeout=30).until(lambda f: f.find_elements(By.ID, "resume-code"))
        firefox.find_element(By.LINK_TEXT, "Start chatting").click()
        _wait_for_bot(firefox, "Press Start")
        _button(firefox, "Start").click()
        _wait_for_bot(firefox, "Can I save your answers?")
        _button(firefox, "Yes, save my answers").click()
        _wait_for_bot(firefox, "Part 1 of 4")
        box = firefox.find_element(By.ID, "message")
        box.send_keys(PART)
        firefox.find_element(By.ID, "send").click()
        _wait_for_bot(firefox, "rewrite it, or keep it")
        _button(firefox, "Keep it and move on").click()
        _wait_for_bot(firefox, "Part 2 of 4")
        Wait(firefox, timeout=30).until(lambda f: PART in f.find_element(By.ID, "statement").text)
        firefox.refresh()
        _wait_for_bot(firefox, "Part 2 of 4")
        users = [m.text for m in firefox.find_elements(By.CSS_SELECTOR, ".msg.user")]
        return "\n".join(users), firefox.find_element(By.ID, "statement").text
    finally:
        firefox.delete_session()
        firefox.cleanup()


async def test_the_chat_page_works_in_firefox(aiohttp_server, stack, tmp_path):
    server = await aiohttp_server(create_app(web_config(stack)))
    token, _ = new_invite(stack)
    invite_url = str(server.make_url(f"/invite/{token}"))
    said, statement = await asyncio.to_thread(
        _chat_in_firefox, invite_url, str(tmp_path / "gecko.log")
    )
    assert PART in said  # restored after the reload
    assert PART in statement
