"""Practice with an employer: the question bank, question choice, and answer feedback."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import replace

import pytest

from bot.commands import as_sent
from bot.practice.bank import (
    ANY,
    bank,
    jobs,
    question,
    question_at,
    questions,
    read_job,
    read_setting,
    round_questions,
    settings,
)
from bot.practice.bank import problems as bank_problems
from bot.practice.score import score_answer, summarise, summary_text

JOBS = ["retail", "warehouse", "construction", "hospitality", "care", "office", "driving"]
SETTINGS = ["application", "interview", "dbs"]

STRONG = (
    "In 2019 I was convicted of theft and got a community order. At the time I was in "
    "debt. Since then I have been sober for two years, and I want to work in a "
    "warehouse because I am reliable."
)


def test_the_bank_has_every_job_and_setting_the_issue_names() -> None:
    assert list(jobs()) == JOBS
    assert list(settings()) == SETTINGS


@pytest.mark.parametrize(
    ("response", "entity", "choices", "read"),
    [("utter_ask_practice_job", "practice_job", JOBS, read_job),
     ("utter_ask_practice_setting", "practice_setting", SETTINGS, read_setting)],
)  # fmt: skip
def test_each_choice_has_a_button_that_sends_it_directly(
    domain: dict,
    response: str,
    entity: str,
    choices: list[str],
    read: Callable[[str | None], str | None],
) -> None:
    """The buttons send `/answer{...}` with the choice as an entity, so a click never
    depends on how the button's words are classified; the form reads that value."""
    (variant,) = domain["responses"][response]
    sent = []
    for button in variant["buttons"]:
        intent, _, entities = as_sent(button["payload"]).partition("{")
        assert intent == "/answer", button
        value = json.loads("{" + entities)[entity]
        assert read(value) == value, button
        sent.append(value)
    assert sent == choices
    assert entity in domain["entities"]
    mapping = domain["slots"][entity]["mappings"][0]
    assert mapping["type"] == "from_entity" and mapping["entity"] == entity


def test_every_question_in_the_file_is_valid() -> None:
    ids = [q.id for q in questions()]
    assert len(ids) == len(set(ids)), "question ids are unique"
    for q in questions():
        assert q.text.strip() and q.covers.strip() and q.topic.strip()
        assert set(q.jobs) <= {ANY, *JOBS}, q.id
        assert set(q.settings) <= {ANY, *SETTINGS}, q.id
    for setting in SETTINGS:
        assert "?" in question_at(setting, [], 0)


@pytest.mark.parametrize(("job", "setting"), list(itertools.product(JOBS, SETTINGS)))
def test_every_job_and_setting_gets_three_to_five_follow_ups(job: str, setting: str) -> None:
    chosen = round_questions(job, setting)
    assert 3 <= len(chosen) <= 5
    assert len({q.id for q in chosen}) == len(chosen)
    assert all(q.suits(job, setting) for q in chosen)


def test_questions_for_the_job_come_first_and_rounds_vary() -> None:
    first = round_questions("retail", "interview", 0)
    assert first[0].id in {"handling_cash", "stock_and_keys", "customers"}
    assert [q.id for q in round_questions("retail", "interview", 1)] != [q.id for q in first]
    assert "handling_cash" not in {q.id for q in round_questions("care", "interview")}
    assert "vulnerable_people" in {q.id for q in round_questions("care", "dbs")}


def test_question_at_walks_the_round_then_ends() -> None:
    ids = [q.id for q in round_questions("driving", "dbs")]
    assert "DBS" in question_at("dbs", ids, 0)
    assert question_at("dbs", ids, 1) == round_questions("driving", "dbs")[0].text
    assert question_at("dbs", ids, len(ids) + 1) is None


@pytest.mark.parametrize(
    ("text", "job"),
    [("Retail", "retail"), ("warehouse and logistics", "warehouse"),
     ("I want to drive a van", "driving"), ("care work", "care"),
     ("working in a kitchen", "hospitality"), ("on a building site", "construction"),
     ("admin", "office"), ("dunno", None), ("", None)],
)  # fmt: skip
def test_reading_the_job(text: str, job: str | None) -> None:
    assert read_job(text) == job


@pytest.mark.parametrize(
    ("text", "setting"),
    [("A face-to-face interview", "interview"), ("on the application form", "application"),
     ("after my DBS check", "dbs"), ("no idea", None)],
)  # fmt: skip
def test_reading_the_setting(text: str, setting: str | None) -> None:
    assert read_setting(text) == setting


OPENING = (tuple(bank()["opening_asks"]), bank()["opening_covers"])


def test_a_strong_answer_covers_the_four_parts_and_is_brief() -> None:
    result = score_answer(STRONG, *OPENING)
    assert result.covered == ["what_happened", "circumstances", "feelings_now", "aspirations"]
    assert result.brief and result.suggestions == [] and result.strength
    lines = result.lines()
    assert lines[0].startswith("What went well:")
    assert any("covered what happened" in line for line in lines)
    assert lines[-1] == bank()["feedback"]["brief"]


def test_a_weak_answer_gets_specific_suggestions_and_what_it_left_out() -> None:
    result = score_answer("It wasn't my fault and I got ABH.", *OPENING)
    assert result.suggestion_rules[:2] == ["blame", "jargon"]
    assert len(result.suggestions) == 2
    assert result.covered == ["what_happened"]
    lines = result.lines()
    assert any("You could also say what was going on" in line for line in lines)
    assert f"A good answer covers: {OPENING[1]}" in lines
    assert bank()["feedback"]["brief"] not in lines  # short, but not good


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        ("support_now", "My family and my probation officer help me, and I go to a recovery "
                        "group every week."),
        ("why_this_job", "I want this job because I like working with people and I am reliable."),
    ],
)  # fmt: skip
def test_an_answer_is_judged_on_what_its_question_asks_about(question_id, answer) -> None:
    """ "What support do you have now?" is not marked down for leaving out what happened."""
    asked = question(question_id)
    lines = score_answer(answer, asked.asks, asked.covers).lines()
    assert not any("You could also say" in line for line in lines), lines
    assert not any("This question is about" in line for line in lines), lines
    assert any(line.startswith("Your answer covered") for line in lines), lines
    assert lines[-1] == bank()["feedback"]["brief"]


@pytest.mark.parametrize(
    "answer",
    [
        "My family and my probation officer help me.",
        "I drive my kids to school and I have been sober for two years.",
        "I take my meds and I carry on with my course.",
    ],
)
def test_an_answer_that_never_tells_the_offence_is_never_credited_with_it(answer) -> None:
    result = score_answer(answer, *OPENING)
    assert "what_happened" not in result.covered
    assert result.strength_rule != "ownership"  # "you say plainly what you did"


def test_an_answer_that_misses_what_its_question_asks_is_told_what_would_answer_it() -> None:
    asked = question("support_now")
    lines = score_answer("I want to work in a warehouse.", asked.asks, asked.covers).lines()
    assert "This question is about what has changed since" in " ".join(lines)
    assert f"A good answer covers: {asked.covers}" in lines


def test_a_dismissive_answer_gets_the_note_that_matters_and_no_praise_for_length() -> None:
    result = score_answer("it was years ago, everyone makes mistakes, it's not a big deal",
                          *OPENING)  # fmt: skip
    lines = result.lines()
    assert set(result.suggestion_rules) == {"minimising"}
    assert any('"everyone makes mistakes"' in line for line in lines)
    assert bank()["feedback"]["brief"] not in lines and not result.strength


def test_a_long_answer_is_told_so() -> None:
    result = score_answer(" ".join([STRONG] * 5))
    assert not result.brief
    assert f"That was {result.words} words" in result.lines()[-1]


def test_the_summary_names_strengths_and_two_or_three_things_to_work_on() -> None:
    weak = score_answer("It wasn't my fault and I got ABH.", *OPENING).to_note()
    strong = score_answer(STRONG, *OPENING).to_note()
    summary = summarise([weak, strong, weak])
    assert summary.answered == 3 and summary.strengths
    assert 2 <= len(summary.work_on) <= 3
    assert summary.work_on[0].startswith("Own your part")
    text = summary_text(summary, asked=5)
    assert "You answered 3 of 5 questions." in text and "To work on next time:" in text
    assert "wasn't my fault" not in text  # the summary keeps no answer text


def test_a_round_with_nothing_to_work_on_says_keep_practising() -> None:
    summary = summarise([score_answer(STRONG, *OPENING).to_note()])
    assert summary.work_on == []
    assert bank()["summary"]["keep_practising"] in summary_text(summary, asked=5)


def test_every_button_reads_back_as_its_job_or_setting(domain: dict) -> None:
    job_buttons = domain["responses"]["utter_ask_practice_job"][0]["buttons"]
    assert [read_job(b["payload"]) for b in job_buttons] == JOBS
    setting_buttons = domain["responses"]["utter_ask_practice_setting"][0]["buttons"]
    assert [read_setting(b["payload"]) for b in setting_buttons] == SETTINGS


def test_the_repository_bank_leaves_no_job_in_any_setting_without_questions() -> None:
    """The same check a trainer's change must pass (bot.practice.bank.problems), on
    the project's questions with any committed trainer changes laid over."""
    assert bank_problems(questions()) == []


def test_the_summary_lists_each_strength_once_whatever_it_quoted() -> None:
    notes = [
        score_answer("I have been sober for two years.", *OPENING).to_note(),
        score_answer("I finished a plumbing course last year.", *OPENING).to_note(),
    ]
    summary = summarise(notes)
    assert summary.strengths == ["You gave real signs of change."]


def test_a_question_missing_from_what_the_parts_can_be_is_a_problem() -> None:
    odd = [*questions()[:-1], replace(questions()[-1], asks=("the_weather",))]
    assert any("parts" in problem for problem in bank_problems(odd))
