"""The caseworker's pages in Chromium, as a caseworker meets them on a desktop and
on a phone: signing in, the caseload, and the review page of a candidate who sent
a rewritten version after a request for changes. The website alone (no Rasa):
the candidates' statements are written straight into the database."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from bot.review import decisions
from bot.store import drafts
from bot.store.db import session_scope
from tests.review_helpers import FULL, account, add_account, add_case, submit, write
from tests.web.test_web_browser import RESULTS
from tests.web_helpers import sign_in

pytestmark = pytest.mark.e2e
REWRITTEN = "At the time I was drinking every day and I owed money to a dealer."
PHONE = {"width": 320, "height": 700}


@pytest.fixture
def reviewed(database_url) -> int:
    """Two candidates called Alex; one sent version 1, got a comment on
    "Circumstances" and a request for changes, then sent version 2 with that part
    rewritten from scratch."""
    add_account("sam@x.org")
    add_case("sam@x.org", "Alex")
    key_id, _, sender = add_case("sam@x.org", "Alex")
    write(sender)
    submit(sender)
    with session_scope() as db:
        version = drafts.find_candidate(db, sender).statements[-1].versions[-1]
        decisions.add_comment(db, account("sam@x.org"), version, "circumstances",
                              "Say more about what was going on.")  # fmt: skip
        decisions.request_changes(db, account("sam@x.org"), version, "Nearly there.")
    write(sender, {**FULL, "circumstances": REWRITTEN})
    submit(sender)
    return key_id


async def fits(page: Page) -> bool:
    """No sideways scrolling: the page is no wider than the screen."""
    return await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


async def test_the_review_page_on_a_desktop_reads_the_rewrite_against_the_earlier_comment(
    website, reviewed, chromium
):
    page = await (await chromium.new_context(viewport={"width": 1280, "height": 800})).new_page()
    await sign_in(page, website, "sam@x.org", "not the password")
    await expect(page.locator("#email")).to_have_value("sam@x.org")  # kept, to try again
    await sign_in(page, website, "sam@x.org")
    # Two candidates of one name, told apart.
    rows = page.locator("table.caseload tbody tr")
    await expect(rows).to_have_count(2)
    refs = {await row.locator(".ref").inner_text() for row in await rows.all()}
    assert len(refs) == 2
    await page.goto(f"{website}/staff/candidates/{reviewed}")
    part = page.locator("#part-circumstances")
    await expect(part.locator(".earlier")).to_contain_text("Your comments on version 1")
    await expect(part.locator(".earlier")).to_contain_text("Say more about what was going on.")
    # The rewritten part compares as the old text and the new, whole.
    compare = page.locator("#compare")
    await expect(compare.locator(".diff-note")).to_have_count(1)
    await expect(compare.locator(".rewritten del")).to_have_text(FULL["circumstances"])
    await expect(compare.locator(".rewritten ins")).to_have_text(REWRITTEN)
    RESULTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(RESULTS / "review-desktop.png"), full_page=True)


async def test_the_caseload_and_review_page_fit_a_phone(website, reviewed, chromium):
    page = await (await chromium.new_context(viewport=PHONE)).new_page()
    await sign_in(page, website, "sam@x.org")
    await expect(page.get_by_role("heading", name="Candidates")).to_be_visible()
    assert await fits(page)
    await expect(page.locator("table.caseload td[data-label='Status']").first).to_be_visible()
    await page.goto(f"{website}/staff/candidates/{reviewed}")
    await expect(page.locator("#compare")).to_be_attached()
    assert await fits(page)
    await page.screenshot(path=str(RESULTS / "review-phone.png"), full_page=True)


async def test_the_overview_reads_on_a_phone(website, reviewed, chromium):
    page = await (await chromium.new_context(viewport=PHONE)).new_page()
    await sign_in(page, website, "sam@x.org")
    await page.goto(f"{website}/staff/overview")
    label = page.locator("svg.chart text").first
    await expect(label).to_be_visible()
    height = await label.evaluate("t => t.getBoundingClientRect().height")
    assert height >= 12, height  # a chart's words no smaller than the page's small print
    assert await fits(page)
