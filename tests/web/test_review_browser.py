"""The whole review loop in real browsers (Debian's Chromium via Playwright), in front
of the real Rasa server, action server and database: a caseworker signs in, adds a
candidate, the candidate writes and sends the statement, the caseworker requests
changes, the candidate sees them in the chat and edits, the caseworker approves and
downloads the .docx, whose text is read back. The candidate downloads it too."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, async_playwright, expect

from bot.review.export import docx_text
from tests.web.test_web_browser import CHROMIUM, CHROMIUM_ARGS, PARTS, RESULTS, say, site  # noqa: F401
from tests.web_helpers import open_invite_in, sign_in, staff_account

pytestmark = pytest.mark.e2e
NEW_FEELINGS = "I regret it. I learned to ask for help early, and I have been clean for two years."
WAIT = 25_000  # ms: the chat page checks for a decision every 10 seconds


@pytest.fixture
async def two_people():
    """A candidate's browser and a caseworker's browser, with separate cookies."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        candidate = await (
            await browser.new_context(viewport={"width": 390, "height": 844})
        ).new_page()
        caseworker = await (await browser.new_context(accept_downloads=True)).new_page()
        yield candidate, caseworker
        await browser.close()


async def keep_and_continue(page: Page, text: str) -> None:
    await say(page, text)
    await expect(page.locator(".msg.bot").last).to_contain_text("rewrite it, or keep it")
    await say(page, "keep it")


async def happy_and_send(page: Page) -> None:
    await expect(page.locator(".msg.bot").last).to_contain_text("Are you happy with it")
    await page.get_by_role("button", name="I'm happy with it").last.click()
    await expect(page.locator(".msg.bot").last).to_contain_text("send it to your caseworker")
    await page.get_by_role("button", name="Send to my caseworker").last.click()
    await expect(page.locator(".msg.bot").last).to_contain_text("I've sent your statement")


async def download(page: Page, link_name: str) -> bytes:
    async with page.expect_download() as info:
        await page.get_by_role("link", name=link_name).click()
    path = await (await info.value).path()
    return open(path, "rb").read()


async def test_the_review_loop_from_invite_to_approved_docx(site, stack, two_people):  # noqa: F811
    candidate, caseworker = two_people
    email = "review.loop@example.org"
    staff_account(stack.database_url, email, "caseworker")

    # The caseworker signs in and adds a candidate.
    await sign_in(caseworker, site, email)
    await expect(caseworker.get_by_role("heading", name="Candidates")).to_be_visible()
    await caseworker.fill("#name", "Alex")
    await caseworker.get_by_role("button", name="Add and get their invite link").click()
    link = await caseworker.locator("code.invite-link").inner_text()

    # The candidate writes all four parts and sends the statement.
    await open_invite_in(candidate, link)
    await candidate.get_by_role("button", name="Start").click()
    await candidate.get_by_role("button", name="Yes, save my answers").click()
    await expect(candidate.locator(".msg.bot").last).to_contain_text("Part 1 of 4")
    for part in PARTS:
        await keep_and_continue(candidate, part)
    await happy_and_send(candidate)

    # The caseworker sees it submitted, comments on a part and asks for changes.
    await caseworker.goto(f"{site}/staff/caseload")
    row = caseworker.locator("tr", has_text="Alex")
    await expect(row).to_contain_text("Submitted")
    await row.get_by_role("link", name="Alex").click()
    await expect(caseworker.locator("#part-feelings_now")).to_contain_text(PARTS[2])
    await caseworker.fill("#c-feelings_now", "Say what you learned from it.")
    await caseworker.locator("#part-feelings_now").get_by_role("button", name="Add comment").click()
    await expect(caseworker.locator("#part-feelings_now .comments")).to_contain_text(
        "Say what you learned"
    )
    # Back where they acted, told it was done.
    done = caseworker.locator("#part-feelings_now .done")
    await expect(done).to_have_text("Comment added to “How I feel about it now”.")
    await expect(done).to_be_in_viewport()
    await caseworker.fill("#message", "Nearly there: one part to strengthen.")
    await caseworker.get_by_role("button", name="Request changes").click()
    await expect(caseworker.locator(".done")).to_contain_text("Changes requested")
    await expect(caseworker.locator(".done")).to_be_in_viewport()
    await expect(caseworker.locator("p .status")).to_have_text("Changes requested")

    # The candidate, still in the chat, is told, and works on that part.
    bot = candidate.locator(".msg.bot")
    await expect(bot.filter(has_text="Nearly there: one part to strengthen.")).to_have_count(
        1, timeout=WAIT
    )
    await expect(bot.filter(has_text="Say what you learned from it.")).to_have_count(1)
    # The panel says where it stands, the comment under its part.
    panel = candidate.locator("#statement")
    await expect(panel.locator(".status")).to_contain_text("asked for some changes")
    await expect(panel.locator(".comment")).to_have_text(
        "Your caseworker: Say what you learned from it."
    )
    await candidate.get_by_role("button", name="Work on “How I feel about it now”").click()
    await expect(bot.last).to_contain_text("Part 3 of 4")
    await expect(candidate.locator("#message")).to_have_value(PARTS[2])  # to edit, not retype
    await keep_and_continue(candidate, NEW_FEELINGS)
    await happy_and_send(candidate)
    await expect(panel.locator(".status")).to_contain_text("Sent to your caseworker on")

    # The caseworker sees the change word by word, and approves the new version.
    await caseworker.reload()
    await caseworker.get_by_role("link", name="A newer version").click()
    await expect(caseworker.locator("p .status")).to_have_text("Submitted")
    await expect(caseworker.locator(".diff ins").first).to_be_visible()
    await expect(caseworker.locator(".diff").nth(2)).to_contain_text("learned to ask for help")
    await caseworker.get_by_role("button", name="Compare").click()  # lands on the comparison
    await expect(caseworker.locator("#compare h2")).to_be_in_viewport()
    # Approving asks first, naming the version; nothing is approved until "Yes".
    approve = caseworker.get_by_role("button", name=re.compile(r"^Approve version \d+"))
    number = re.search(r"\d+", await approve.inner_text()).group()
    await approve.click()
    await expect(caseworker.get_by_role("alertdialog")).to_contain_text(
        f"Approve version {number}?"
    )
    await expect(caseworker.locator("p .status")).to_have_text("Submitted")
    await caseworker.get_by_role("button", name=f"Yes, approve version {number}").click()
    await expect(caseworker.locator(".done")).to_have_text(
        f"Version {number} approved. The candidate is told in their chat."
    )
    await expect(caseworker.locator("p .status")).to_have_text("Approved")
    RESULTS.mkdir(exist_ok=True)
    await caseworker.screenshot(path=str(RESULTS / "review-approved.png"), full_page=True)
    document = docx_text(await download(caseworker, "Download .docx"))
    assert NEW_FEELINGS in document and PARTS[0] in document and PARTS[2] not in document

    # The candidate is told, and downloads the approved statement from the chat page.
    await expect(bot.filter(has_text="approved your statement")).to_have_count(1, timeout=WAIT)
    await expect(candidate.locator("#statement .approved")).to_be_visible()
    await expect(panel.locator(".status")).to_have_text("Approved by your caseworker.")
    mine = docx_text(await download(candidate, "Word document (.docx)"))
    assert mine == document
    text = (await download(candidate, "Text (.txt)")).decode()
    assert text.startswith("Disclosure statement") and NEW_FEELINGS in text
