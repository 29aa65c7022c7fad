"""Trainers change the practice question bank: versions laid over the project's
questions, refused when a round would be left with nothing to ask, exported in
the bank's own format."""

from __future__ import annotations

import pytest
import yaml

from bot.practice import bank
from bot.store.db import session_scope
from bot.training import questions
from bot.training.export import export
from bot.training.questions import QuestionError

SUPPORT = next(q for q in bank.project_questions() if q.id == "support_now")


def _save(db, question_id, **changes):
    fields = {
        "text": SUPPORT.text,
        "jobs": list(SUPPORT.jobs),
        "settings": list(SUPPORT.settings),
        "topic": SUPPORT.topic,
        "covers": SUPPORT.covers,
        "asks": list(SUPPORT.asks),
        "in_practice": True,
        **changes,
    }
    return questions.save(db, question_id, author="tom@x.org", **fields)


def _in_force(db, question_id):
    return next(q for q in questions.current(db) if q.id == question_id)


def test_a_reworded_question_takes_the_project_ones_place_and_going_back_restores_it(
    database_url,
):
    with session_scope() as db:
        _save(db, "support_now", text="Who  is in your corner now?", settings=["dbs"])
        assert _in_force(db, "support_now").text == "Who is in your corner now?"
        assert _in_force(db, "support_now").settings == ("dbs",)
        # In the project's place, not added: the bank is as long as before.
        assert len(questions.current(db)) == len(bank.project_questions())
        assert questions.back_to_project(db, "support_now", "tom@x.org") is True
        assert _in_force(db, "support_now") == SUPPORT
        changes = [(c.who, c.what, c.text) for c in questions.history(db, "support_now")]
    assert changes[0] == ("tom@x.org", "replaced", "Who is in your corner now?")
    assert changes[1] == ("tom@x.org", "changed", "Who is in your corner now?")


def test_a_new_question_gets_an_id_of_its_own_and_every_job_ticked_means_any(database_url):
    with session_scope() as db:
        added = _save(db, None, text="What would your probation officer say about you?",
                      jobs=list(bank.jobs()))  # fmt: skip
        again = _save(db, None, text="What would your probation officer say about you?")
        assert added.id == "trainer_what_would_your_probation_officer"
        assert again.id == "trainer_what_would_your_probation_officer_2"
        assert added.jobs == (bank.ANY,)
        assert questions.current(db)[-2:] == (added, again)
        # A trainer's own question has no project version to go back to.
        assert questions.back_to_project(db, added.id, "tom@x.org") is False


def test_a_question_left_out_is_not_asked_in_a_new_round(database_url):
    with session_scope() as db:
        _save(db, "support_now", in_practice=False)
        among = questions.current(db)
    asked = {q.id for q in bank.round_questions("retail", "dbs", among=among)}
    assert "support_now" not in asked and asked
    assert bank.question("support_now", among) is not None  # a round under way finishes


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"text": "  "}, "The question is empty"),
        ({"text": "x" * 201}, "too long"),
        ({"covers": ""}, "what a good answer covers"),
        ({"topic": "weather"}, "what the question is about"),
        ({"jobs": []}, "at least one job"),
        ({"jobs": ["astronaut"]}, "each job from the list"),
        ({"settings": ["party"]}, "each setting from the list"),
    ],
)
def test_a_question_with_a_problem_is_refused_and_nothing_is_kept(database_url, changes, problem):
    with session_scope() as db:
        with pytest.raises(QuestionError, match=problem):
            _save(db, "support_now", **changes)
        assert questions.in_force(db) == []


def test_leaving_out_the_last_question_some_job_would_be_asked_is_refused(database_url):
    """Driving at an application: leave out every question it would ask, one by one;
    the last is refused, and the round still has a question to ask."""
    with session_scope() as db:
        asked = bank.round_questions("driving", "application", among=questions.current(db))
        *first, last = [q for q in questions.current(db) if q.suits("driving", "application")]
        for question in first:
            _save(db, question.id, text=question.text, jobs=list(question.jobs),
                  settings=list(question.settings), topic=question.topic,
                  covers=question.covers, asks=list(question.asks),
                  in_practice=False)  # fmt: skip
        with pytest.raises(QuestionError, match=r"Driving .* would have no question"):
            _save(db, last.id, text=last.text, jobs=list(last.jobs),
                  settings=list(last.settings), topic=last.topic, covers=last.covers,
                  asks=list(last.asks), in_practice=False)  # fmt: skip
        assert bank.round_questions("driving", "application", among=questions.current(db))
    assert asked


def test_unknown_question_ids_are_refused(database_url):
    with session_scope() as db, pytest.raises(QuestionError, match="no such question"):
        _save(db, "no_such_question")


def test_the_export_is_the_banks_own_format_and_the_repository_bank_reads_it(
    database_url, tmp_path, monkeypatch
):
    with session_scope() as db:
        _save(db, "support_now", text="Who is in your corner now?")
        _save(db, None, text="Where do you see yourself in a year?", topic="future")
        _save(db, "team", text=bank.question("team").text, jobs=["care"],
              settings=["dbs"], topic="future", covers="Being open.", asks=[],
              in_practice=False)  # fmt: skip
        *_, written = export(db, tmp_path)
        live = questions.current(db)
    assert written == tmp_path / "bot" / "data" / "trainer" / "practice.yml"
    items = yaml.safe_load(written.read_text())["questions"]
    assert [item["id"] for item in items] == [
        "support_now",
        "trainer_where_do_you_see_yourself",
        "team",
    ]
    assert items[2]["in_practice"] is False and "in_practice" not in items[0]
    # Committed, the file is laid over the project's questions as the database was.
    monkeypatch.setattr(bank, "TRAINER_FILE", written)
    bank.questions.cache_clear()
    try:
        assert bank.questions() == live
        assert bank.problems(bank.questions()) == []
    finally:
        bank.questions.cache_clear()


def test_the_action_server_asks_the_repository_bank_when_the_database_cannot_be_read(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'missing' / 'app.db'}")
    assert questions.live_bank() == bank.questions()
