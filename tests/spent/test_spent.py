"""The spent-conviction checker against the rules in docs/spent-checker.md."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.spent import InputError, check_json
from bot.spent.dates import Length, add_months

AS_OF = "2026-11-22"


def spent_on(*convictions: dict[str, Any], as_of: str = AS_OF) -> list[str]:
    result = check_json({"convictions": list(convictions), "as_of": as_of})
    return [row["spent_on"] for row in result["convictions"]]


def one(day: str, *sentences: dict[str, Any], under_18: bool = False) -> dict[str, Any]:
    return {"date": day, "under_18": under_18, "sentences": list(sentences)}


def single(day: str, sentence: dict[str, Any], under_18: bool = False) -> str:
    return spent_on(one(day, sentence, under_18=under_18))[0]


# --- dates --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2023-10-31", 6, "2024-04-30"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2023-01-31", 1, "2023-02-28"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2023-11-30", 3, "2024-02-29"),
        ("2020-12-15", 1, "2021-01-15"),
        ("2020-05-20", 120, "2030-05-20"),
    ],
)
def test_months_follow_the_calendar_and_clamp_to_month_end(start, months, expected):
    assert add_months(date.fromisoformat(start), months) == date.fromisoformat(expected)


def test_366_days_is_more_than_12_months_and_365_is_not():
    assert Length(366, "days").in_months > 12
    assert Length(365, "days").in_months <= 12
    assert Length(52, "weeks").in_months <= 12
    assert Length(53, "weeks").in_months > 12


# --- one sentence: the table, adults and under-18s ------------------------------

TABLE = [
    # (sentence, conviction date, adult result, under-18 result)
    ({"type": "custody", "length": {"months": 12}}, "2015-05-20", "2017-05-20", "2016-11-20"),
    # 2016 is a leap year, so 366 days from 2015-05-20 ends on 2016-05-20.
    ({"type": "custody", "length": {"days": 366}}, "2015-05-20", "2020-05-20", "2018-05-20"),
    ({"type": "custody", "length": {"months": 13}}, "2015-05-20", "2020-06-20", "2018-06-20"),
    ({"type": "custody", "length": {"months": 48}}, "2015-05-20", "2023-05-20", "2021-05-20"),
    ({"type": "custody", "length": {"months": 49}}, "2015-05-20", "2026-06-20", "2022-12-20"),
    ({"type": "custody", "length": {"years": 6}}, "2010-01-10", "2023-01-10", "2019-07-10"),
    (
        {"type": "custody", "length": {"years": 6}, "schedule_18": True},
        "2010-01-10",
        "never",
        "never",
    ),
    (
        {"type": "custody", "length": {"years": 4}, "schedule_18": True},
        "2010-01-10",
        "2018-01-10",
        "2016-01-10",
    ),
    ({"type": "life"}, "2000-01-01", "never", "never"),
    ({"type": "ipp"}, "2000-01-01", "never", "never"),
    ({"type": "dpp"}, "2000-01-01", "never", "never"),
    ({"type": "extended"}, "2000-01-01", "never", "never"),
    (
        {"type": "suspended_custody", "length": {"months": 6}},
        "2020-03-01",
        "2021-09-01",
        "2021-03-01",
    ),
    (
        {"type": "suspended_custody", "length": {"months": 24}},
        "2020-03-01",
        "2026-03-01",
        "2024-03-01",
    ),
    ({"type": "fine"}, "2024-03-15", "2025-03-15", "2024-09-15"),
    ({"type": "compensation", "paid_on": "2019-01-01"}, "2018-06-01", "2019-01-01", "2019-01-01"),
    ({"type": "motoring_fine"}, "2022-08-31", "2023-08-31", "2023-02-28"),
    ({"type": "motoring_fine", "endorsement": True}, "2022-08-31", "2027-08-31", "2025-02-28"),
    ({"type": "penalty_notice"}, "2022-01-10", "2027-01-10", "2024-07-10"),
    ({"type": "penalty_points"}, "2022-01-10", "2025-01-10", "2025-01-10"),
    ({"type": "absolute_discharge"}, "2021-04-04", "2021-04-04", "2021-04-04"),
    ({"type": "reparation_order"}, "2021-04-04", "2021-04-04", "2021-04-04"),
    ({"type": "simple_caution"}, "2021-04-04", "2021-04-04", "2021-04-04"),
    ({"type": "youth_caution"}, "2021-04-04", "2021-04-04", "2021-04-04"),
]

ORDER_TYPES = [
    "community_order",
    "youth_rehabilitation_order",
    "referral_order",
    "supervision_order",
    "attendance_centre_order",
    "conditional_discharge",
    "bind_over",
    "hospital_order",
    "restraining_order",
    "sexual_harm_prevention_order",
    "criminal_behaviour_order",
    "serious_crime_prevention_order",
    "disqualification",
    "other_order_with_requirements",
]


@pytest.mark.parametrize(("sentence", "day", "adult", "youth"), TABLE)
def test_table_row_for_adults(sentence, day, adult, youth):
    assert single(day, sentence) == adult


@pytest.mark.parametrize(("sentence", "day", "adult", "youth"), TABLE)
def test_table_row_for_under_18s(sentence, day, adult, youth):
    assert single(day, sentence, under_18=True) == youth


@pytest.mark.parametrize("kind", ORDER_TYPES)
@pytest.mark.parametrize("under_18", [False, True])
def test_orders_end_with_the_order(kind, under_18):
    day = "2020-10-31"
    assert single(day, {"type": kind, "length": {"months": 6}}, under_18) == "2021-04-30"
    assert single(day, {"type": kind, "length": {"weeks": 2}}, under_18) == "2020-11-14"
    assert single(day, {"type": kind, "end_date": "2022-01-01"}, under_18) == "2022-01-01"
    assert single(day, {"type": kind}, under_18) == "2022-10-31"  # no length: C + 24 months
    assert single(day, {"type": kind, "indefinite": True}, under_18) == "indefinite"


def test_an_order_that_starts_later_runs_from_its_start():
    order = {"type": "community_order", "length": {"months": 12}, "start": "2020-03-01"}
    assert single("2020-01-15", order) == "2021-03-01"


def test_custody_that_starts_later_ends_later_but_a_fine_still_runs_from_conviction():
    custody = {"type": "custody", "length": {"months": 4}, "start": "2015-06-01"}
    assert single("2015-05-20", custody) == "2016-10-01"
    assert single("2015-05-20", {"type": "fine", "start": "2015-06-01"}) == "2016-05-20"


# --- the worked examples ---------------------------------------------------------


def test_example_1_fine():
    assert single("2024-03-15", {"type": "fine"}) == "2025-03-15"
    assert single("2024-03-15", {"type": "fine"}, under_18=True) == "2024-09-15"


def test_example_2_short_custody():
    assert single("2015-05-20", {"type": "custody", "length": {"months": 4}}) == "2016-09-20"


def test_example_3_long_custody_and_schedule_18():
    five_years = {"type": "custody", "length": {"years": 5}}
    assert single("2015-02-01", five_years) == "2027-02-01"
    assert single("2015-02-01", {**five_years, "schedule_18": True}) == "never"


def test_example_4_conditional_caution():
    caution = {"type": "conditional_caution", "conditions_end": "2019-03-30"}
    assert single("2019-01-31", caution) == "2019-03-30"
    assert single("2019-01-31", {**caution, "conditions_end": "2019-05-30"}) == "2019-04-30"
    assert single("2019-01-31", {"type": "conditional_caution"}) == "2019-04-30"
    youth = {"type": "youth_conditional_caution", "conditions_end": "2019-02-15"}
    assert single("2019-01-31", youth, under_18=True) == "2019-02-15"


def test_example_5_drag_through():
    discharge = one("2017-01-25", {"type": "conditional_discharge", "length": {"years": 2}})
    community = one("2018-12-10", {"type": "community_order", "length": {"months": 12}})
    assert spent_on(discharge, community) == ["2019-12-10", "2019-12-10"]
    assert spent_on(community, discharge) == ["2019-12-10", "2019-12-10"]  # input order kept


# --- several sentences, several convictions -----------------------------------------


def test_a_conviction_is_spent_when_its_last_sentence_is():
    conviction = one(
        "2017-01-25",
        {"type": "fine"},
        {"type": "custody", "length": {"months": 6}},
        {"type": "compensation", "paid_on": "2017-06-01"},
    )
    assert spent_on(conviction) == ["2018-07-25"]


def test_never_beats_indefinite_and_indefinite_beats_any_date():
    order = {"type": "restraining_order", "indefinite": True}
    life = {"type": "life"}
    assert spent_on(one("2010-01-01", {"type": "fine"}, order)) == ["indefinite"]
    assert spent_on(one("2010-01-01", order, life)) == ["never"]


def test_contract_example_input():
    conviction = one(
        "2017-01-25",
        {"type": "conditional_discharge", "length": {"years": 2}},
        {"type": "custody", "length": {"months": 6}, "schedule_18": False},
        {"type": "restraining_order", "indefinite": True},
        {"type": "fine"},
        {"type": "compensation", "paid_on": "2019-01-01"},
    )
    result = check_json({"convictions": [conviction], "as_of": AS_OF})
    assert result == {"convictions": [{"spent_on": "indefinite", "status": "unspent"}]}


def test_no_drag_when_the_second_conviction_comes_after_the_first_is_spent():
    fine = one("2018-01-01", {"type": "fine"})
    later = one("2019-01-02", {"type": "fine"})
    assert spent_on(fine, later) == ["2019-01-01", "2020-01-02"]


def test_a_conviction_on_the_day_the_first_becomes_spent_still_drags():
    fine = one("2018-01-01", {"type": "fine"})
    later = one("2019-01-01", {"type": "fine"})
    assert spent_on(fine, later) == ["2020-01-01", "2020-01-01"]


def test_drag_through_chains_across_three_convictions():
    first = one("2018-01-01", {"type": "fine"})  # 2019-01-01
    second = one("2018-12-01", {"type": "fine"})  # 2019-12-01, drags the first
    third = one("2019-11-01", {"type": "custody", "length": {"months": 6}})  # 2021-05-01
    assert spent_on(first, second, third) == ["2021-05-01"] * 3


def test_a_restriction_order_never_extends_another_conviction():
    fine = one("2018-01-01", {"type": "fine"})
    restraining = one("2018-06-01", {"type": "restraining_order", "length": {"years": 5}})
    assert spent_on(fine, restraining) == ["2019-01-01", "2023-06-01"]


@pytest.mark.parametrize(
    "sentence",
    [
        {"type": "sexual_harm_prevention_order", "length": {"years": 5}},
        {"type": "criminal_behaviour_order", "length": {"years": 5}},
        {"type": "serious_crime_prevention_order", "length": {"years": 5}},
        {"type": "disqualification", "length": {"years": 5}},
        {"type": "other_order_with_requirements", "length": {"years": 5}},
        {"type": "supervision_order", "length": {"years": 5}},
        {"type": "attendance_centre_order", "length": {"years": 5}},
        {"type": "penalty_points"},
        {"type": "penalty_notice"},
    ],
)
def test_restriction_sentences_are_ignored_for_overlap(sentence):
    fine = one("2018-01-01", {"type": "fine"})
    restriction = one("2018-06-01", sentence)
    later = one("2020-06-01", {"type": "fine"})
    result = spent_on(fine, restriction, later)
    assert result[0] == "2019-01-01"
    assert result[2] == "2021-06-01"


def test_a_youth_penalty_notice_does_drag():
    fine = one("2018-01-01", {"type": "fine"}, under_18=True)  # 2018-07-01
    notice = one("2018-03-01", {"type": "penalty_notice"}, under_18=True)  # 2020-09-01
    assert spent_on(fine, notice) == ["2020-09-01", "2020-09-01"]


def test_an_indefinite_order_keeps_its_own_conviction_unspent_but_drags_nothing():
    fine = one("2018-01-01", {"type": "fine"})
    indefinite = one("2018-06-01", {"type": "restraining_order", "indefinite": True})
    assert spent_on(fine, indefinite) == ["2019-01-01", "indefinite"]


def test_never_spent_sentence_while_an_earlier_conviction_is_unspent():
    fine = one("2018-01-01", {"type": "fine"})
    long_custody = one(
        "2018-06-01", {"type": "custody", "length": {"years": 6}, "schedule_18": True}
    )
    assert spent_on(fine, long_custody) == ["never", "never"]


def test_later_convictions_are_not_dragged_by_an_earlier_never_spent_one():
    life = one("2010-01-01", {"type": "life"})
    fine = one("2018-01-01", {"type": "fine"})
    assert spent_on(life, fine) == ["never", "2019-01-01"]


def test_a_never_spent_sentence_after_the_earlier_one_is_spent_leaves_it_alone():
    fine = one("2010-01-01", {"type": "fine"})
    life = one("2018-01-01", {"type": "life"})
    assert spent_on(fine, life) == ["2011-01-01", "never"]


def test_a_never_spent_sentence_does_not_drag_a_conviction_that_came_after_it():
    # A holds B unspent; C (never spent) comes while A is unspent, so A is never
    # spent, but B came after C and keeps the ordinary drag-through date.
    a = one("2000-01-01", {"type": "suspended_custody", "length": {"days": 3}})  # 2001-01-04
    b = one("2000-01-02", {"type": "custody", "length": {"days": 1}})  # 2001-01-03
    c = one("2000-01-01", {"type": "custody", "length": {"years": 5}, "schedule_18": True})
    assert spent_on(a, b, c) == ["never", "2001-01-04", "never"]
    assert spent_on(c, b, a) == ["never", "2001-01-04", "never"]  # order does not matter


def test_cautions_never_drag_and_are_never_dragged():
    caution = one("2018-02-01", {"type": "conditional_caution"})  # 2018-05-01
    custody = one("2018-01-01", {"type": "custody", "length": {"months": 6}})  # 2019-07-01
    later = one("2018-03-01", {"type": "simple_caution"})
    assert spent_on(custody, caution, later) == ["2019-07-01", "2018-05-01", "2018-03-01"]
    fine = one("2018-04-01", {"type": "fine"})
    assert spent_on(caution, fine) == ["2018-05-01", "2019-04-01"]


def test_status_is_judged_on_as_of():
    fine = one("2024-03-15", {"type": "fine"})
    assert check_json({"convictions": [fine], "as_of": "2025-03-14"})["convictions"] == [
        {"spent_on": "2025-03-15", "status": "unspent"}
    ]
    assert check_json({"convictions": [fine], "as_of": "2025-03-15"})["convictions"] == [
        {"spent_on": "2025-03-15", "status": "spent"}
    ]


def test_as_of_defaults_to_today():
    day = (date.today() - timedelta(days=400)).isoformat()
    result = check_json({"convictions": [one(day, {"type": "fine"})]})
    assert result["convictions"][0]["status"] == "spent"


# --- bad input ------------------------------------------------------------------

FINE = {"type": "fine"}
TWO_UNITS = {"years": 1, "months": 2}
SIX_MONTHS = {"months": 6}
BAD_INPUT = [
    ([], "input"),
    ({}, "convictions"),
    ({"convictions": []}, "convictions"),
    ({"convictions": "yes"}, "convictions"),
    ({"convictions": [FINE], "x": 1}, "input.x"),
    ({"convictions": [{"sentences": [FINE]}]}, "convictions[0].date"),
    ({"convictions": [one("2019-02-30", FINE)]}, "convictions[0].date"),
    ({"convictions": [one("19/02/2019", FINE)]}, "convictions[0].date"),
    ({"convictions": [one(20190201, FINE)]}, "convictions[0].date"),  # type: ignore[arg-type]
    ({"convictions": [one("2999-01-01", FINE)]}, "convictions[0].date"),
    ({"convictions": [one("2020-01-01", FINE)], "as_of": "2019-01-01"}, "convictions[0].date"),
    ({"convictions": [one("2020-01-01", FINE)], "as_of": "soon"}, "as_of"),
    ({"convictions": [{"date": "2020-01-01", "sentences": []}]}, "convictions[0].sentences"),
    ({"convictions": [{"date": "2020-01-01"}]}, "convictions[0].sentences"),
    ({"convictions": [{**one("2020-01-01", FINE), "under_18": "no"}]}, "convictions[0].under_18"),
    ({"convictions": [one("2020-01-01", {})]}, "convictions[0].sentences[0].type"),
    ({"convictions": [one("2020-01-01", {"type": "flogging"})]}, "sentences[0].type"),
    ({"convictions": [one("2020-01-01", {"type": 7})]}, "convictions[0].sentences[0].type"),
    ({"convictions": [one("2020-01-01", {"type": "custody"})]}, "sentences[0].length"),
    (
        {"convictions": [one("2020-01-01", {"type": "custody", "length": TWO_UNITS})]},
        "convictions[0].sentences[0].length",
    ),
    (
        {"convictions": [one("2020-01-01", {"type": "custody", "length": {"fortnights": 2}})]},
        "convictions[0].sentences[0].length",
    ),
    (
        {"convictions": [one("2020-01-01", {"type": "custody", "length": {"months": 1.5}})]},
        "convictions[0].sentences[0].length.months",
    ),
    (
        {"convictions": [one("2020-01-01", {"type": "custody", "length": {"months": -3}})]},
        "convictions[0].sentences[0].length.months",
    ),
    (
        {"convictions": [one("2020-01-01", {"type": "custody", "length": {"months": "6"}})]},
        "convictions[0].sentences[0].length.months",
    ),
    (
        {"convictions": [one("2020-01-01", {"type": "custody", "length": 6})]},
        "convictions[0].sentences[0].length",
    ),
    ({"convictions": [one("2020-01-01", {"type": "compensation"})]}, "sentences[0].paid_on"),
    (
        {"convictions": [one("2020-01-01", {"type": "compensation", "paid_on": "2019-01-01"})]},
        "sentences[0].paid_on",
    ),
    ({"convictions": [one("2020-01-01", {"type": "fine", "indefinite": True})]}, "indefinite"),
    (
        {"convictions": [one("2020-01-01", {"type": "community_order", "indefinite": "yes"})]},
        "sentences[0].indefinite",
    ),
    (
        {
            "convictions": [
                one("2020-01-01", {"type": "bind_over", "length": SIX_MONTHS, "indefinite": True})
            ]
        },
        "sentences[0].length",
    ),
    (
        {"convictions": [one("2020-01-01", {"type": "bind_over", "end_date": "2019-01-01"})]},
        "sentences[0].end_date",
    ),
    (
        {"convictions": [one("2020-01-01", {"type": "fine", "start": "2019-12-01"})]},
        "sentences[0].start",
    ),
    ({"convictions": [one("2020-01-01", {"type": "fine", "lenght": {"months": 1}})]}, "lenght"),
    (
        {"convictions": [one("2020-01-01", {"type": "simple_caution"}, FINE)]},
        "convictions[0].sentences",
    ),
    ({"convictions": [{**one("2020-01-01", FINE), "offence": "theft"}]}, "offence"),
]


@pytest.mark.parametrize(("data", "field"), BAD_INPUT)
def test_bad_input_names_the_field(data, field):
    with pytest.raises(InputError) as raised:
        check_json(data)
    message = str(raised.value)
    assert field in message.split(":")[0]
    assert "\n" not in message


# --- the CLI ---------------------------------------------------------------------


def run_cli(stdin: str | bytes) -> subprocess.CompletedProcess[bytes]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "spent"], input=data, capture_output=True, timeout=60
    )


def test_cli_gives_the_contract_output():
    document = {
        "convictions": [
            one("2017-01-25", {"type": "conditional_discharge", "length": {"years": 2}}),
            one("2018-12-10", {"type": "community_order", "length": {"months": 12}}),
            one("2015-02-01", {"type": "custody", "length": {"years": 5}, "schedule_18": True}),
            one("2026-01-02", {"type": "restraining_order", "indefinite": True}),
        ],
        "as_of": AS_OF,
    }
    done = run_cli(json.dumps(document))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "convictions": [
            {"spent_on": "2019-12-10", "status": "spent"},
            {"spent_on": "2019-12-10", "status": "spent"},
            {"spent_on": "never", "status": "never_spent"},
            {"spent_on": "indefinite", "status": "unspent"},
        ]
    }


WORKED_EXAMPLES = [
    ([one("2024-03-15", {"type": "fine"})], ["2025-03-15"]),
    ([one("2024-03-15", {"type": "fine"}, under_18=True)], ["2024-09-15"]),
    ([one("2015-05-20", {"type": "custody", "length": {"months": 4}})], ["2016-09-20"]),
    ([one("2015-02-01", {"type": "custody", "length": {"years": 5}})], ["2027-02-01"]),
    (
        [one("2015-02-01", {"type": "custody", "length": {"years": 5}, "schedule_18": True})],
        ["never"],
    ),
    (
        [one("2019-01-31", {"type": "conditional_caution", "conditions_end": "2019-03-30"})],
        ["2019-03-30"],
    ),
    (
        [one("2019-01-31", {"type": "conditional_caution", "conditions_end": "2019-05-30"})],
        ["2019-04-30"],
    ),
    (
        [
            one("2017-01-25", {"type": "conditional_discharge", "length": {"years": 2}}),
            one("2018-12-10", {"type": "community_order", "length": {"months": 12}}),
        ],
        ["2019-12-10", "2019-12-10"],
    ),
]


@pytest.mark.parametrize(("convictions", "expected"), WORKED_EXAMPLES)
def test_cli_gives_every_worked_example(convictions, expected):
    done = run_cli(json.dumps({"convictions": convictions, "as_of": AS_OF}))
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)["convictions"]
    assert [r["spent_on"] for r in rows] == expected
    for row in rows:
        spent = row["spent_on"] not in ("never", "indefinite") and row["spent_on"] <= AS_OF
        assert row["status"] == ("never_spent" if row["spent_on"] == "never" else
                                 "spent" if spent else "unspent")  # fmt: skip


@pytest.mark.parametrize(
    ("stdin", "field"),
    [
        ("", "input"),
        ("{not json", "input"),
        (b"\xff\xfe", "input"),
        ('{"convictions": [{"date": "2019-13-01", "sentences": [{"type": "fine"}]}]}', "date"),
        (
            '{"convictions": [{"date": "2019-01-01", "sentences":'
            ' [{"type": "custody", "length": {"years": 1, "days": 3}}]}]}',
            "length",
        ),
        ("[" * 100_000, "input"),
        (" " * 1_000_001, "input"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(stdin, field):
    done = run_cli(stdin)
    assert done.returncode == 2
    assert done.stdout == b""
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and field in lines[0]
    assert "Traceback" not in lines[0]


# --- properties --------------------------------------------------------------------

days = st.dates(min_value=date(1980, 1, 1), max_value=date(2026, 11, 1))
units = st.sampled_from(["days", "weeks", "months", "years"])
LENGTH_TYPES = ["custody", "suspended_custody", *ORDER_TYPES]


@st.composite
def sentences(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from([*LENGTH_TYPES, "fine", "motoring_fine", "penalty_notice", "life"]))
    sentence: dict[str, Any] = {"type": kind}
    if kind in LENGTH_TYPES:
        sentence["length"] = {draw(units): draw(st.integers(1, 40))}
    if kind == "custody":
        sentence["schedule_18"] = draw(st.booleans())
    return sentence


@st.composite
def convictions(draw: st.DrawFn) -> dict[str, Any]:
    return one(
        draw(days).isoformat(),
        *draw(st.lists(sentences(), min_size=1, max_size=3)),
        under_18=draw(st.booleans()),
    )


def later_or_same(a: str, b: str) -> bool:
    """Whether result a is no earlier than result b (never > indefinite > dates)."""
    rank = {"indefinite": 1, "never": 2}
    ra, rb = rank.get(a, 0), rank.get(b, 0)
    return ra > rb or (ra == rb and (ra > 0 or a >= b))


@given(
    day=days,
    kind=st.sampled_from(LENGTH_TYPES),
    unit=units,
    amount=st.integers(1, 40),
    extra=st.integers(1, 40),
    under_18=st.booleans(),
    schedule_18=st.booleans(),
)
def test_a_longer_sentence_is_never_spent_earlier(
    day, kind, unit, amount, extra, under_18, schedule_18
):
    def result(n: int) -> str:
        sentence = {"type": kind, "length": {unit: n}}
        if kind == "custody":
            sentence["schedule_18"] = schedule_18
        return single(day.isoformat(), sentence, under_18)

    assert later_or_same(result(amount + extra), result(amount))


@settings(max_examples=300)
@given(existing=st.lists(convictions(), min_size=1, max_size=4), added=convictions())
def test_adding_a_conviction_never_makes_another_spent_sooner(existing, added):
    before = spent_on(*existing)
    after = spent_on(*existing, added)
    assert len(after) == len(before) + 1
    for old, new in zip(before, after, strict=False):
        assert later_or_same(new, old)


@given(existing=st.lists(convictions(), min_size=1, max_size=4), data=st.randoms())
def test_input_order_does_not_change_any_result(existing, data):
    shuffled = list(range(len(existing)))
    data.shuffle(shuffled)
    results = spent_on(*existing)
    reordered = spent_on(*[existing[i] for i in shuffled])
    assert [results[i] for i in shuffled] == reordered


@given(conviction=convictions())
def test_a_conviction_is_never_spent_before_it_happened(conviction):
    (result,) = spent_on(conviction)
    assert result in ("never", "indefinite") or result >= conviction["date"]


@pytest.mark.parametrize(
    "held_unspent_by",
    [
        {"type": "restraining_order", "indefinite": True},  # until further order
        {"type": "community_order"},  # no length given: C + 24 months
        {"type": "restraining_order", "length": {"years": 5}},  # a restriction
    ],
)
def test_a_never_spent_sentence_catches_an_earlier_conviction_whatever_holds_it_unspent(
    held_unspent_by,
):
    earlier = one("2018-06-01", held_unspent_by)
    life = one("2019-01-01", {"type": "life"})
    assert spent_on(earlier, life) == ["never", "never"]
    assert spent_on(life, earlier) == ["never", "never"]  # order does not matter
