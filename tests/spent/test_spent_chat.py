"""The spent checker's chat side: reading typed answers, and the plain-English result."""

from __future__ import annotations

from datetime import date

import pytest

from bot.spent import parse_request
from bot.spent.answers import read_length, read_outcome, read_place, read_when, read_yes_no
from bot.spent.chat import LENGTH_NEEDED, read_answer, request_for, required_slots
from bot.spent.check import spent_outcomes
from bot.spent.dates import Length
from bot.spent.explain import explain
from tests.conftest import SPENT_DRAG_ANSWERS

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "day", "precision"),
    [
        ("25/01/2017", "2017-01-25", "day"),
        ("25-1-2017", "2017-01-25", "day"),
        ("17/5/19", "2019-05-17", "day"),
        ("2017-01-25", "2017-01-25", "day"),
        ("25 Jan 2017", "2017-01-25", "day"),
        ("the 3rd of May 2019", "2019-05-03", "day"),
        ("January 2017", "2017-01-31", "month"),
        ("about march 2019", "2019-03-31", "month"),
        ("02/2016", "2016-02-29", "month"),
        ("2017", "2017-12-31", "year"),
        ("around 2026", "2026-11-22", "year"),  # never later than today
        ("November 2026", "2026-11-22", "month"),
        ("last year", "2025-12-31", "year"),
        ("about 3 years ago", "2023-12-31", "year"),
        ("two years ago", "2024-12-31", "year"),
    ],
)
def test_dates_are_read_the_british_way_and_late_when_vague(text, day, precision):
    when = read_when(text, TODAY)
    assert when is not None
    assert (when.day.isoformat(), when.precision) == (day, precision)
    assert when.approximate is (precision != "day")


@pytest.mark.parametrize(
    "text",
    ["", "yesterday", "31/02/2019", "2030", "December 2026", "23/11/2026", "1899", "13/13/2013",
     "a while ago", "5 March"],
)  # fmt: skip
def test_impossible_future_or_missing_dates_are_not_guessed(text):
    assert read_when(text, TODAY) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6 months", Length(6, "months")),
        ("two years", Length(2, "years")),
        ("a year", Length(1, "years")),
        ("1 year 6 months", Length(18, "months")),
        ("18 weeks", Length(18, "weeks")),
        ("28 days", Length(28, "days")),
        ("2 weeks and 3 days", Length(17, "days")),
        ("until further order", "indefinite"),
        ("no length given", "not_given"),
        ("I don't know", "not_given"),
        ("1.5 years", None),
        ("a year and a half", None),
        ("2 years 3 weeks", None),
        ("long", None),
    ],
)
def test_lengths(text, expected):
    assert read_length(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Prison or detention", "custody"),
        ("I was sent down", "custody"),
        ("suspended sentence", "suspended_custody"),
        ("community service", "community_order"),
        ("Fine", "fine"),
        ("a caution", "simple_caution"),
        ("conditional caution", "conditional_caution"),
        ("youth conditional caution", "youth_conditional_caution"),
        ("driving fine with points", "motoring_fine_endorsed"),
        ("a referral order", "referral_order"),
        ("something else", None),
    ],
)
def test_outcomes_take_the_longest_name(text, expected):
    assert read_outcome(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", True),
        ("Yes, under 18", True),
        ("I was 16", True),
        ("17", True),
        ("no", False),
        ("no, I was an adult", False),
        ("No, 18 or over", False),
        ("I was 25", False),
        ("not sure", None),
        ("", None),
    ],
)
def test_yes_no_and_ages(text, expected):
    assert read_yes_no(text) is expected


def test_places():
    assert read_place("England or Wales") == "england_wales"
    assert read_place("in Cardiff") == "england_wales"
    assert read_place("Scotland") == "elsewhere"
    assert read_place("Northern Ireland") == "elsewhere"
    assert read_place("the moon") is None


def test_custody_needs_a_real_length_but_an_order_may_have_none():
    assert read_answer("spent_length", "not sure", {"spent_outcome": "custody"}, TODAY) == (
        LENGTH_NEEDED
    )
    answers = {"spent_outcome": "community_order"}
    assert read_answer("spent_length", "not sure", answers, TODAY) == "not_given"
    assert read_answer("spent_length", "18 months", answers, TODAY) == "18 months"


def test_only_the_questions_that_apply_are_asked():
    assert required_slots({"spent_place": "elsewhere"}) == ["spent_place"]
    assert "spent_length" not in required_slots({"spent_outcome": "fine"})
    assert "spent_length" in required_slots({"spent_outcome": "custody"})
    assert "spent_length" in required_slots({})


def test_chat_answers_give_the_same_result_as_the_contract():
    request, precisions = request_for(SPENT_DRAG_ANSWERS, TODAY)
    contract = parse_request(
        {
            "convictions": [
                {"date": "2017-01-25",
                 "sentences": [{"type": "conditional_discharge", "length": {"years": 2}}]},
                {"date": "2018-12-10",
                 "sentences": [{"type": "community_order", "length": {"months": 12}}]},
            ],
            "as_of": TODAY.isoformat(),
        }
    )  # fmt: skip
    assert spent_outcomes(request) == spent_outcomes(contract)
    assert precisions == ["day", "day"]


def _explained(data: dict, precisions: list[str] | None = None) -> list[str]:
    return explain(parse_request({**data, "as_of": TODAY.isoformat()}), precisions)


def test_explanation_of_a_spent_fine():
    text = _explained({"convictions": [{"date": "2020-03-15", "sentences": [{"type": "fine"}]}]})
    assert text[0].startswith("1. Your conviction from 15 March 2020 (fine):")
    assert "spent already (since 15 March 2021)" in text[0]
    assert "basic DBS check will not show it" in text[0]
    assert "shows it until 15 March 2031" in text[0]
    assert "not legal advice" in text[-1] and "Unlock" in text[-1]


def test_explanation_of_unspent_custody_and_drag_through():
    text = _explained(
        {
            "convictions": [
                {"date": "2024-01-10", "sentences": [{"type": "fine"}]},
                {"date": "2024-06-01",
                 "sentences": [{"type": "custody", "length": {"months": 6}}]},
            ]
        },
        ["day", "month"],
    )  # fmt: skip
    assert "spent already (since 1 December 2025)" in text[0]
    assert "drag-through" in text[0]
    assert "prison or detention" in text[1]
    assert "You gave only the month" in text[1]
    assert "A basic DBS check will not show it" in text[1]
    assert "will still show it, because it led to a prison" in text[1]


def test_explanation_of_never_spent_and_indefinite():
    text = _explained(
        {
            "convictions": [
                {"date": "2010-01-10", "sentences": [{"type": "life"}]},
                {"date": "2024-06-01",
                 "sentences": [{"type": "restraining_order", "indefinite": True}]},
            ]
        }
    )  # fmt: skip
    assert "will never be spent" in text[0]
    assert "basic DBS check will show it" in text[0]
    assert "not spent while the order lasts" in text[1]


def test_an_earlier_conviction_caught_by_a_never_spent_one_says_why_and_not_drag_through():
    text = _explained(
        {
            "convictions": [
                {"date": "2018-06-01",
                 "sentences": [{"type": "restraining_order", "indefinite": True}]},
                {"date": "2019-01-10", "sentences": [{"type": "life"}]},
            ]
        }
    )  # fmt: skip
    assert "never be spent: a later conviction that can never be spent came" in text[0]
    assert "drag-through" not in text[0] and "until your other conviction" not in text[0]
    assert "because of the kind of sentence" in text[1]


def test_explanation_of_cautions():
    text = _explained(
        {
            "convictions": [
                {"date": "2015-05-01", "sentences": [{"type": "simple_caution"}]},
                {"date": "2024-05-01", "under_18": True,
                 "sentences": [{"type": "youth_caution"}]},
            ]
        }
    )  # fmt: skip
    assert text[0].startswith("1. Your caution from 1 May 2015 (caution)")
    assert "filters it out" in text[0]  # more than 6 years ago
    assert "not shown on any DBS check automatically" in text[1]
