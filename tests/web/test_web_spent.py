"""The spent checker's web form: same library, same explanations, nothing stored."""

from __future__ import annotations

import pytest

from bot.web.app import create_app
from tests.web_helpers import offline_config, origin


@pytest.fixture
async def client(aiohttp_client, database_url, tmp_path):
    config = offline_config(database_url, f"sqlite:///{tmp_path / 'tracker.db'}")
    return await aiohttp_client(create_app(config))


async def check(client, **fields: str):
    response = await client.post("/spent", data=fields, headers=origin(client))
    return response.status, await response.text()


async def test_the_form_page_starts_with_one_conviction_and_adds_more_without_javascript(client):
    response = await client.get("/spent")
    assert response.status == 200
    text = await response.text()
    assert "<title>Do I need to tell an employer?" in text  # the title is the heading
    assert "<h1>Do I need to tell an employer?</h1>" in text
    assert "Conviction or caution 1" in text and "Conviction or caution 2" not in text
    assert "Prison or detention" in text and "Add another conviction" in text
    status, text = await check(client, blocks="1", date_0="2019-05-01", add="1")
    assert status == 200 and "The answer" not in text  # nothing checked yet
    assert "Conviction or caution 2 (optional)" in text and 'value="2019-05-01"' in text
    fields = {"blocks": "5", "add": "1"}
    status, text = await check(client, **fields)
    assert "Conviction or caution 5 (optional)" in text and "Add another conviction" not in text


# Two convictions, the second dragging the first (both spent on 10 December 2019).
DRAGGED = {
    "date_0": "2017-01-25", "outcome_0": "conditional_discharge", "amount_0": "2",
    "unit_0": "years",
    "date_1": "2018-12-10", "outcome_1": "community_order", "amount_1": "12", "unit_1": "months",
}  # fmt: skip


async def test_each_answer_opens_with_a_verdict_and_the_helplines_are_links(client):
    status, text = await check(client, **DRAGGED)
    assert status == 200
    assert (
        text.count(
            '<p class="verdict"><strong>Spent since 10 December 2019. Basic DBS check: not shown.'
        )
        == 2
    )
    # Both are spent now: the drag-through note is in the past tense.
    assert "It was held unspent until your other conviction was spent too" in text
    assert '<a href="tel:+441634247350">01634 247350</a>' in text
    assert 'href="https://www.gov.uk/guidance/rehabilitation-periods"' in text
    assert '<a href="https://www.mygov.scot/basic-disclosure">Disclosure Scotland</a>' in text


async def test_drag_through_gives_the_same_answer_as_the_chat(client):
    status, text = await check(client, **DRAGGED)
    assert status == 200
    assert text.count("spent already (since 10 December 2019)") == 2
    assert "drag-through" in text and "not legal advice" in text
    assert 'value="2017-01-25"' in text  # the form comes back filled in


async def test_under_18_never_spent_and_indefinite(client):
    status, text = await check(
        client,
        date_0="2024-03-15", outcome_0="fine", under_18_0="yes",
        date_1="2025-01-10", outcome_1="restraining_order", indefinite_1="yes",
    )  # fmt: skip
    assert status == 200
    assert "spent already (since 15 September 2024)" in text
    assert "not spent while the order lasts" in text


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({}, "Conviction or caution 1: give the date and what they got"),
        ({"date_0": "2019-01-01"}, "give both the date and what they got"),
        ({"date_0": "2019-01-01", "outcome_0": "flogging"}, "choose what they got"),
        ({"date_0": "2019-01-01", "outcome_0": "custody"}, "needs its length"),
        ({"date_0": "2019-01-01", "outcome_0": "custody", "amount_0": "-2"}, "whole number"),
        (
            {"date_0": "2999-01-01", "outcome_0": "fine"},
            "Conviction or caution 1, date: is in the future",
        ),
        ({"date_0": "not a date", "outcome_0": "fine"}, "Conviction or caution 1, date:"),
        ({"date_3": "2019-01-01", "outcome_3": "fine", "amount_3": "x"}, "Conviction or caution 4"),
    ],
)
async def test_bad_input_says_what_to_fix_and_keeps_the_form(client, fields, words):
    status, text = await check(client, **fields)
    assert status == 400
    assert words in text.replace("&#x27;", "'")
    for value in fields.values():
        if value not in ("custody", "fine", "flogging"):
            assert f'value="{value}"' in text


async def test_what_is_typed_is_escaped(client):
    status, text = await check(client, date_0='"><script>alert(1)</script>', outcome_0="fine")
    assert status == 400
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;" in text
