"""The trainers' whole loop in Chromium, in front of the real website, Rasa server,
action server and database, started as `make run` starts them:

a candidate's message the assistant gets wrong -> the trainer's queue, redacted ->
the trainer says what it meant -> "Check my changes" -> "Train and publish" -> the
running Rasa server pulls the new model from the website (no restart) and a new
candidate's same message is understood -> "Go back to the previous model" -> it is
misunderstood again.

The jobs train at a fifth of the epochs (TRAINING_EPOCHS_SCALE) so that the loop
fits in `make test`; everything else is as in real use.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from bot.review import accounts
from bot.services import Stack, free_port
from bot.store.db import session_scope, upgrade
from tests.review_helpers import PASSWORD
from tests.web.test_web_browser import RESULTS
from tests.web_helpers import sign_in, start_chat

pytestmark = pytest.mark.e2e

# A message the repository's model does not understand (it falls back), with a
# name in it that the trainer must never see, and what the candidate meant.
NAME = "Kwame"
MISSED = f"bring on a real one, {NAME}"
REDACTED = "bring on a real one, [name]"
MEANT = "Wants to talk to a real person."  # ask_person, as the teaching page describes it
UNDERSTOOD = "I can't put you through to someone"  # utter_ask_person
TRAINER = "trainer.loop@example.org"
JOB_MINUTES = 12  # a check at a fifth of the epochs took about 4 minutes on 2 cores
PULL_SECONDS = 2
# ms: a Rasa server's first turns after it loaded a model take seconds, not
# milliseconds, while TensorFlow prepares the model's graphs.
TURN = 30_000


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The product as `bot up` runs it, with its own database and training folder."""
    tmp: Path = tmp_path_factory.mktemp("trainers")
    database_url = f"sqlite:///{tmp / 'app.db'}"
    upgrade(database_url)
    with session_scope(database_url) as db:
        accounts.add_account(db, TRAINER, "trainer", PASSWORD, by="test")
    env = {
        "TRAINING_DIR": str(tmp / "training"),
        "TRAINING_EPOCHS_SCALE": "0.2",
        "MODEL_PULL_SECONDS": str(PULL_SECONDS),
        # Every candidate here opens an invite from one address, at machine speed
        # (the rate limits have their own tests).
        "CODES_BURST": "100",
    }
    with Stack(
        rasa_port=free_port(), action_port=free_port(), web_port=free_port(),
        web_host="127.0.0.1", database_url=database_url,
        tracker_store_url=f"sqlite:///{tmp / 'tracker.db'}", log_dir=tmp / "log", env=env,
    ) as running:  # fmt: skip
        yield running


async def new_candidate(browser, stack: Stack) -> Page:
    """A new candidate's chat: they agree to saving, then stop for now (a message
    while a part is asked for is theirs alone, never queued)."""
    page = await (await browser.new_context(viewport={"width": 390, "height": 844})).new_page()
    await start_chat(page, stack.web_url, stack)
    await expect(page.locator(".msg.bot").last).to_contain_text("Part 1 of 4", timeout=TURN)
    assert "Take a break" in await send(page, "stop")
    return page


async def send(page: Page, text: str) -> str:
    """The assistant's reply to `text`."""
    replies = page.locator(".msg.bot")
    before = await replies.count()
    await page.fill("#message", text)
    await page.press("#message", "Enter")
    await expect(replies).not_to_have_count(before, timeout=TURN)
    await expect(page.locator("#typing")).to_be_hidden(timeout=TURN)
    return " ".join((await replies.all_inner_texts())[before:])


async def candidate_says(browser, stack: Stack, text: str) -> str:
    """A new candidate's chat, as far as the assistant's reply to `text`."""
    page = await new_candidate(browser, stack)
    reply = await send(page, text)
    await page.context.close()
    return reply


async def wait_for_job(page: Page, outcome: str) -> None:
    """The job page moves its bar, then shows the report."""
    await expect(page.locator("#job-progress")).to_be_visible()
    await expect(page.locator(".verdict")).to_contain_text(outcome, timeout=JOB_MINUTES * 60_000)


async def reply_once_switched(browser, stack: Stack, understood: bool) -> str:
    """New candidates send the missed message until it is (or is no longer)
    understood: the running Rasa server asks for the model in force every
    PULL_SECONDS and loads it beside its conversations. The last reply."""
    deadline = time.monotonic() + 120
    while True:
        reply = await candidate_says(browser, stack, MISSED)
        if (UNDERSTOOD in reply) == understood or time.monotonic() > deadline:
            return reply


async def test_a_trainer_fixes_a_misunderstood_message_from_the_browser_alone(stack, chromium):
    rasa_pid = stack.pid("rasa")
    chatting = await new_candidate(chromium, stack)  # stays open through the publish
    assert UNDERSTOOD not in await send(chatting, MISSED), "the model must get it wrong"

    # The trainer signs in and lands on the queue: the message, redacted.
    page = await (await chromium.new_context(viewport={"width": 1280, "height": 800})).new_page()
    await sign_in(page, stack.web_url, TRAINER)
    await expect(page.get_by_role("heading", name="Where the assistant struggled")).to_be_visible()
    row = page.locator("tr", has_text=REDACTED)
    await expect(row).to_contain_text("did not understand")
    assert NAME not in await page.content()
    RESULTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(RESULTS / "trainer-queue.png"), full_page=True)

    # They say what it meant, and save.
    await row.get_by_role("link", name="Teach").click()
    await expect(page.locator("#wording")).to_have_value(REDACTED)
    await page.get_by_label(MEANT).check()
    await page.screenshot(path=str(RESULTS / "trainer-teach.png"), full_page=True)
    await page.get_by_role("button", name="Save").click()
    await expect(page.locator(".notice")).to_contain_text("Saved.")
    await expect(page.locator("tr", has_text=REDACTED)).to_have_count(0)

    # Check: a new model is trained and tested against the one in use.
    await page.get_by_role("link", name="Check and publish").click()
    await expect(page.get_by_text("Changes not yet in it: 1 example.")).to_be_visible()
    await page.get_by_role("button", name="Check my changes").click()
    await wait_for_job(page, "The new model")
    taught = page.locator("table.taught tr", has_text=REDACTED)
    await expect(taught.locator("td").nth(3)).to_have_text(MEANT)
    await expect(taught).not_to_contain_text("still wrong")
    await expect(page.get_by_text("test stories pass")).to_be_visible()
    await page.screenshot(path=str(RESULTS / "trainer-check.png"), full_page=True)
    # A check changes nothing for candidates.
    assert UNDERSTOOD not in await candidate_says(chromium, stack, MISSED)

    # Publish: the running assistant switches without a restart.
    await page.get_by_role("link", name="Back to check and publish").click()
    await page.get_by_role("button", name="Train and publish").click()
    await wait_for_job(page, "Published")
    assert UNDERSTOOD in await reply_once_switched(chromium, stack, understood=True)
    assert stack.pid("rasa") == rasa_pid
    # The conversation open since before the publish carries on, on the new model.
    assert UNDERSTOOD in await send(chatting, MISSED)
    await chatting.reload()
    await expect(chatting.locator(".msg.user").filter(has_text=MISSED)).to_have_count(2)

    # Going back undoes the publish, again without a restart.
    await page.get_by_role("link", name="Back to check and publish").click()
    await page.get_by_role("button", name="Go back to the previous model").click()
    await expect(page.locator(".notice")).to_contain_text("gone back to the previous model")
    assert UNDERSTOOD not in await reply_once_switched(chromium, stack, understood=False)
    assert stack.pid("rasa") == rasa_pid
