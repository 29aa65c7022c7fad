"""The /spent page in Chromium at phone and desktop size: one conviction to start
with, another added without JavaScript, a bold verdict first in each answer,
helplines as links, boxes big enough to tap, nothing wider than the screen."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.web.test_staff_browser import PHONE, fits
from tests.web.test_web_browser import RESULTS

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("size", "viewport"), [("phone", PHONE), ("desktop", {"width": 1280, "height": 800})]
)
async def test_the_spent_check_as_a_caseworker_or_candidate_meets_it(
    website, chromium, size, viewport
):
    context = await chromium.new_context(viewport=viewport, java_script_enabled=False)
    page = await context.new_page()
    await page.goto(f"{website}/spent")
    heading = (await page.title()).split(" · ")[0]  # the title is the heading
    await expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    await expect(page.locator("fieldset")).to_have_count(1)
    await page.fill("#date_0", "2017-01-25")
    await page.select_option("#outcome_0", "conditional_discharge")
    await page.fill("#amount_0", "2")
    await page.select_option("#unit_0", "years")
    await page.get_by_role("button", name="Add another conviction").click()
    await expect(page.locator("fieldset")).to_have_count(2)
    await expect(page.locator("#date_0")).to_have_value("2017-01-25")  # kept
    box = await page.locator("input[name=under_18_1]").bounding_box()
    assert box is not None and box["width"] >= 24 and box["height"] >= 24
    await page.fill("#date_1", "2018-12-10")
    await page.select_option("#outcome_1", "community_order")
    await page.fill("#amount_1", "12")
    await page.get_by_role("button", name="Check").click()
    verdicts = page.locator(".result .verdict strong")
    await expect(verdicts).to_have_count(2)
    await expect(verdicts.first).to_have_text(
        "Spent since 10 December 2019. Basic DBS check: not shown. Standard or enhanced: "
        "shown until 25 January 2028."
    )
    await expect(page.get_by_role("link", name="01634 247350")).to_have_attribute(
        "href", "tel:+441634247350"
    )
    assert await fits(page)
    RESULTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(RESULTS / f"spent-{size}.png"), full_page=True)
    await context.close()
