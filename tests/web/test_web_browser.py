"""The chat page in a real browser (Debian's Chromium, driven by Playwright)
in front of the real Rasa server, action server and database."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Page, async_playwright, expect

from bot.config import PROJECT_ROOT
from bot.web.app import create_app
from tests.web_helpers import (
    new_invite,
    open_invite_in,
    sign_in,
    staff_account,
    start_chat,
    web_config,
)

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
# Chromium as root in a container, with no calls home (the network is closed).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
RESULTS = PROJECT_ROOT / "results"
PARTS = [
    "In 2018 I was convicted of shoplifting and got a community order.",
    "I was using drugs every day and I was in a lot of debt at the time.",
    "I regret it. I have been clean for two years and I volunteer at a food bank.",
    "I want to work in a warehouse because I am reliable and I like hard work.",
]


@pytest.fixture
async def site(aiohttp_server, stack):
    # A test answers at machine speed; the rate limit has its own tests (test_web_api).
    server = await aiohttp_server(create_app(web_config(stack, messages_burst=40)))
    return str(server.make_url("")).rstrip("/")


@pytest.fixture
async def page():
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = await browser.new_context(viewport={"width": 390, "height": 844})
        yield await context.new_page()
        await browser.close()


async def say(page: Page, text: str) -> None:
    await page.fill("#message", text)
    await page.press("#message", "Enter")
    await expect(page.locator("#typing")).to_be_hidden()


async def last_bot_text(page: Page) -> str:
    return await page.locator(".msg.bot").last.inner_text()


async def test_a_statement_from_invite_to_the_end_with_a_reload(site, stack, page):
    token, _ = new_invite(stack)
    await open_invite_in(page, f"{site}/invite/{token}")
    await expect(page.locator(".msg.bot").first).to_contain_text("computer assistant")
    await page.get_by_role("button", name="Start").click()
    await expect(page.locator(".msg.bot").last).to_contain_text("Can I save your answers?")
    await page.get_by_role("button", name="Yes, save my answers").click()
    await expect(page.locator(".msg.bot").last).to_contain_text("Part 1 of 4")

    await say(page, PARTS[0])
    await expect(page.locator(".msg.bot").last).to_contain_text("rewrite it, or keep it")
    await expect(page.locator("#statement .notes")).to_contain_text("What works well")
    await page.get_by_role("button", name="Keep it and move on").last.click()
    await expect(page.locator(".msg.bot").last).to_contain_text("Part 2 of 4")
    await expect(page.locator("#progress")).to_have_text("1 of 4 parts written")

    await page.reload()  # the conversation comes back, and carries on
    await expect(page.locator(".msg.user").filter(has_text=PARTS[0])).to_have_count(1)
    await expect(page.locator(".msg.bot").last).to_contain_text("Part 2 of 4")
    for part in PARTS[1:]:
        await say(page, part)
        await expect(page.locator(".msg.bot").last).to_contain_text("rewrite it, or keep it")
        await say(page, "keep it")
    await expect(page.locator(".msg.bot").filter(has_text="Here is your statement")).to_have_count(
        1
    )

    panel = page.locator("#statement")
    for part in PARTS:
        await expect(panel).to_contain_text(part)
    await expect(page.locator("#progress")).to_have_text("4 of 4 parts written")
    RESULTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(RESULTS / "chat-finished.png"), full_page=True)
    assert (RESULTS / "chat-finished.png").stat().st_size > 10_000


async def test_a_rewrite_starts_from_the_text_and_old_choices_stop_working_on_every_device(
    site, stack, page
):
    await start_chat(page, site, stack)
    await expect(page.locator(".msg.bot").last).to_contain_text("Part 1 of 4")
    await say(page, PARTS[0])
    await expect(page.locator(".msg.bot").last).to_contain_text("rewrite it, or keep it")
    # The same chat open on a second device (the same session), caught up now.
    other = await page.context.browser.new_context(viewport={"width": 390, "height": 844})
    await other.add_cookies(await page.context.cookies())
    phone = await other.new_page()
    await phone.goto(f"{site}/chat")
    await expect(phone.get_by_role("button", name="Keep it and move on")).to_be_enabled()

    await page.get_by_role("button", name="Rewrite it").last.click()
    await expect(page.locator(".msg.bot").last).to_contain_text("Part 1 of 4")
    await expect(page.locator("#message")).to_have_value(PARTS[0])  # edit, don't retype
    await expect(page.get_by_role("button", name="Keep it and move on")).to_be_disabled()
    # The second device's page has not caught up: its old choice is refused there.
    await phone.get_by_role("button", name="Keep it and move on").click()
    await expect(phone.locator("#notice")).to_contain_text("earlier question")
    await expect(phone.locator(".msg.user", has_text="Keep it and move on")).to_have_count(0)
    await say(page, PARTS[0] + " I paid the money back.")
    await expect(page.locator(".msg.bot").last).to_contain_text("rewrite it, or keep it")
    await page.get_by_role("button", name="Keep it and move on").last.click()
    await expect(page.locator(".msg.bot").last).to_contain_text("Part 2 of 4")
    # The panel: where the statement stands, and each part under its one name.
    panel = page.locator("#statement")
    await expect(panel.locator(".status")).to_contain_text("Draft")
    await expect(panel.locator("h3").nth(1)).to_have_text("Circumstances at the time")
    await expect(panel).to_contain_text("I paid the money back.")
    await expect(phone.get_by_role("link", name="See my statement")).to_be_visible()
    await other.close()


async def test_with_saving_declined_the_page_still_says_how_far_the_chat_has_got(site, stack, page):
    await start_chat(page, site, stack, save=False)
    await expect(page.locator(".msg.bot").last).to_contain_text("Part 1 of 4")
    await say(page, PARTS[0])
    await expect(page.locator("#progress")).to_have_text("1 of 4 parts written (not saved)")
    await expect(page.locator("#statement")).to_contain_text("Not saved: you said no to saving")


async def test_the_page_works_by_keyboard_alone(site, stack, page):
    token, _ = new_invite(stack)
    await open_invite_in(page, f"{site}/invite/{token}")
    await expect(page.get_by_role("button", name="Start")).to_be_visible()
    # Tab until the Start button has focus, then press it with Enter.
    for _ in range(10):
        await page.keyboard.press("Tab")
        if await page.evaluate("document.activeElement.textContent") == "Start":
            break
    await page.keyboard.press("Enter")
    await expect(page.locator(".msg.bot").last).to_contain_text("Can I save your answers?")
    await page.keyboard.press("Tab")  # the page moves focus to the message box after each turn
    focused = await page.evaluate("document.activeElement.id")
    if focused != "message":
        await page.focus("#message")
    await page.keyboard.type("yes")
    await page.keyboard.press("Enter")
    await expect(page.locator(".msg.bot").last).to_contain_text("Part 1 of 4")
    assert await page.evaluate("document.activeElement.id") == "message"
    assert await page.locator("#messages").get_attribute("aria-live") == "polite"


async def test_text_is_shown_as_text_never_as_html(site, stack, page):
    token, _ = new_invite(stack)
    await open_invite_in(page, f"{site}/invite/{token}")
    await expect(page.locator(".msg.bot").first).to_be_visible()
    attack = "<img src=x onerror=\"document.title='hacked'\"> <b>bold</b>"
    await say(page, attack)
    await expect(page.locator(".msg.user").last).to_have_text("You: " + attack)
    assert await page.locator("#messages img, #messages b").count() == 0
    assert await page.title() != "hacked"


async def test_a_message_that_fails_to_send_stays_in_the_box(site, stack, page):
    token, _ = new_invite(stack)
    await open_invite_in(page, f"{site}/invite/{token}")
    await expect(page.locator(".msg.bot").first).to_be_visible()
    await page.context.set_offline(True)
    await page.fill("#message", "hello there")
    await page.press("#message", "Enter")
    await expect(page.locator("#notice")).to_be_visible()
    await expect(page.locator("#notice-text")).to_contain_text("not sent")
    await expect(page.locator("#message")).to_have_value("hello there")
    await page.context.set_offline(False)
    await page.get_by_role("button", name="Try again").click()
    await expect(page.locator("#notice")).to_be_hidden()
    await expect(page.locator(".msg.bot").last).to_contain_text("Can I save your answers?")
    await expect(page.locator("#message")).to_have_value("")
    await expect(page.locator(".msg.user").filter(has_text="hello there")).to_have_count(1)


async def test_practice_from_the_start_page_then_leave(site, page):
    await page.goto(site)
    await page.get_by_role("button", name="Practise without an invite").click()
    code = await page.locator("#resume-code").inner_text()
    assert len(code.split("-")) == 3
    await page.get_by_role("link", name="Start chatting").click()
    await expect(page.locator(".msg.bot").first).to_contain_text("computer assistant")
    # Before the consent answer nothing is saved, and the page says what that means.
    await expect(page.locator("#unsaved-note")).to_be_visible()
    await expect(page.locator("#unsaved-note")).to_contain_text("starts the chat again")
    await page.get_by_role("button", name="Start").click()
    await expect(page.locator(".msg.bot").last).to_contain_text("just for you")
    await page.get_by_role("button", name="Yes, save my answers").click()
    await expect(page.locator("#unsaved-note")).to_be_hidden()
    await page.get_by_role("button", name="Leave and clear this device").click()
    await expect(page.locator("h1")).to_have_text("You have left")
    await page.goto(site)
    await page.fill("#code", code.replace("-", " "))
    await page.get_by_role("button", name="Continue").click()
    await expect(page.locator(".msg.bot").first).to_contain_text("computer assistant")


async def test_leaving_clears_this_device(site, stack, page):
    token, _ = new_invite(stack)
    await open_invite_in(page, f"{site}/invite/{token}")
    await expect(page.locator(".msg.bot").first).to_be_visible()
    await page.get_by_role("button", name="Leave and clear this device").click()
    await expect(page.locator("h1")).to_have_text("You have left")
    await page.goto(f"{site}/chat")
    await expect(page.get_by_role("button", name="Practise without an invite")).to_be_visible()
    # The link, found later in this browser's history, no longer opens the chat alone.
    await page.goto(f"{site}/invite/{token}")
    await expect(page.get_by_label("Your code")).to_be_visible()
    assert Path(CHROMIUM).exists()


async def test_the_spent_check_in_the_chat_page_then_the_statement(site, stack, page):
    await start_chat(page, site, stack)
    await page.get_by_role("button", name="Check first").click()
    await page.get_by_role("button", name="England or Wales").last.click()
    await expect(page.locator(".msg.bot").last).to_contain_text("When were you convicted")
    await say(page, "March 2019")
    await page.get_by_role("button", name="No, 18 or over").last.click()
    await page.get_by_role("button", name="Fine").last.click()
    await page.get_by_role("button", name="No, that's all").last.click()
    result = page.locator(".msg.bot").filter(has_text="Your conviction from March 2019 (fine)")
    await expect(result).to_contain_text("spent already (since 31 March 2020)")
    await expect(page.locator(".msg.bot").filter(has_text="not legal advice")).to_have_count(1)
    await page.get_by_role("button", name="Yes, my statement").last.click()
    await expect(page.locator(".msg.bot").last).to_contain_text("Part 1 of 4")


async def test_the_spent_form_page(site, page):
    await page.goto(site)
    await page.get_by_role("link", name="Check when a conviction or caution becomes spent").click()
    await page.fill("#date_0", "2015-05-20")
    await page.select_option("#outcome_0", "custody")
    await page.fill("#amount_0", "4")
    await page.select_option("#unit_0", "months")
    await page.get_by_role("button", name="Check").click()
    answer = page.locator(".result")
    await expect(answer).to_contain_text("spent already (since 20 September 2016)")
    await expect(answer).to_contain_text("because it led to a prison or suspended sentence")
    await expect(page.locator("#date_0")).to_have_value("2015-05-20")
    RESULTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(RESULTS / "spent-form.png"), full_page=True)


async def trainer_adds_a_question(site: str, stack, trainer: Page, text: str) -> None:
    """A trainer, in a browser of their own, adds a question for warehouse work on
    an application form only (a round asks its job's questions first)."""
    email = "questions.trainer@example.org"
    staff_account(stack.database_url, email, "trainer")
    await sign_in(trainer, site, email)
    await trainer.get_by_role("link", name="Practice questions").click()
    await trainer.fill("#question-text", text)
    for box in await trainer.get_by_role("checkbox").all():
        name = await box.evaluate("b => b.name + '=' + b.value")
        if name not in ("jobs=warehouse", "settings=application", "in_practice=yes"):
            await box.uncheck()
    await trainer.fill("#question-covers", "Plain yes or no, and how you would get there.")
    await trainer.get_by_role("button", name="Add the question").click()
    await expect(trainer.get_by_role("alert")).to_contain_text("Added.")


async def test_a_practice_round_with_an_employer_in_the_chat_page(site, stack, page):
    """With a question a trainer just added from the staff pages: the round asks it,
    with no restart. The trainer then leaves it out again."""
    added = "Can you do early shifts at the depot?"
    trainer = await (await page.context.browser.new_context()).new_page()
    await trainer_adds_a_question(site, stack, trainer, added)
    await start_chat(page, site, stack)
    await expect(page.locator(".msg.bot").last).to_contain_text("Part 1 of 4")
    await say(page, "I want to practise")
    await page.get_by_role("button", name="Warehouse and logistics").last.click()
    await page.get_by_role("button", name="A question on an application form").last.click()
    await expect(page.locator(".msg.bot").last).to_contain_text("The application form asks")
    answer = (
        "In 2019 I was convicted of theft and got a community order. At the time I was in "
        "debt. Since then I have been sober for two years and I want to work in a warehouse."
    )
    summary = page.locator(".msg.bot").filter(has_text="That's the end of this round")
    await say(page, answer)
    await expect(page.locator(".msg.bot").last).to_contain_text(f'Employer: "{added}"')
    for _ in range(6):
        await say(page, answer)
        if await summary.count():
            break
        await expect(page.locator(".msg.bot").last).to_contain_text("Employer:")
    await expect(summary).to_have_count(1)
    await expect(page.locator(".msg.bot").filter(has_text="What went well:").first).to_be_visible()
    await expect(summary).to_contain_text("To work on next time:")
    await page.get_by_role("button", name="Back to my statement").last.click()
    await expect(page.locator(".msg.bot").last).to_contain_text("Part 1 of 4")
    await trainer.get_by_role("link", name=added).click()
    await trainer.get_by_role("checkbox", name="Asked in practice rounds").uncheck()
    await trainer.get_by_role("button", name="Save the question").click()
    await expect(trainer.get_by_role("alert")).to_contain_text("Saved.")
    await expect(trainer.get_by_text("Left out of practice.")).to_be_visible()
