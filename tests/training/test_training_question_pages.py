"""The trainers' practice-question pages: change, add, leave out and put back a
question from the browser's forms, with every problem shown and nothing lost."""

from __future__ import annotations

from html import escape

import pytest
from multidict import MultiDict
from sqlalchemy import select

from bot.practice import bank
from bot.store.db import session_scope
from bot.store.models import AuditEvent, TrainingQuestion
from bot.training import questions
from bot.web.app import create_app
from tests.training_helpers import trainer
from tests.web_helpers import offline_config, origin

SUPPORT = bank.question("support_now", bank.project_questions())


@pytest.fixture
async def client(aiohttp_client, database_url, tmp_path):
    config = offline_config(database_url, f"sqlite:///{tmp_path / 'tracker.db'}")
    return await aiohttp_client(create_app(config))


def question_form(csrf: str, **changes) -> MultiDict:
    """The form as a browser sends it: one `jobs` and one `settings` per ticked box."""
    fields = {"text": SUPPORT.text, "jobs": ["any"], "settings": list(SUPPORT.settings),
              "topic": SUPPORT.topic, "covers": SUPPORT.covers, "asks": list(SUPPORT.asks),
              "in_practice": "yes",
              **changes}  # fmt: skip
    form = MultiDict(csrf=csrf)
    for name, value in fields.items():
        for one in value if isinstance(value, list) else [value]:
            form.add(name, one)
    return form


async def post(client, path: str, form: MultiDict):
    return await client.post(path, data=form, headers=origin(client), allow_redirects=False)


async def test_a_trainer_rewords_a_question_and_the_next_round_asks_it_so(client):
    csrf = await trainer(client)
    listing = await (await client.get("/staff/training/questions")).text()
    assert escape(SUPPORT.text, quote=False) in listing and "The project&#x27;s." in listing
    assert 'href="/staff/training/questions"' in listing  # in the trainers' menu
    page = await (await client.get("/staff/training/questions/support_now")).text()
    assert 'name="settings" value="interview" checked' in page
    assert 'name="settings" value="application">' in page
    saved = await post(
        client,
        "/staff/training/questions/support_now",
        question_form(csrf, text="Who is in your corner now?", jobs=["care", "office"]),
    )
    assert saved.headers["Location"] == "/staff/training/questions/support_now?done=saved"
    page = await (await client.get(saved.headers["Location"])).text()
    assert "Changed by tom@x.org" in page and "Who is in your corner now?" in page
    assert 'name="jobs" value="care" checked' in page
    assert 'name="jobs" value="retail">' in page
    assert "Go back to the project's version" in page
    with session_scope() as db:
        live = questions.current(db)
        actions = db.scalars(select(AuditEvent.action)).all()
    asked = bank.round_questions("care", "interview", among=live)
    assert "Who is in your corner now?" in [q.text for q in asked]
    assert "support_now" not in [q.id for q in bank.round_questions("retail", "dbs", among=live)]
    assert "changed a practice question" in actions
    back = await post(client, "/staff/training/questions/support_now/back", MultiDict(csrf=csrf))
    assert back.headers["Location"].endswith("?done=back")
    page = await (await client.get(back.headers["Location"])).text()
    assert "The project&#x27;s." in page and "No longer in force" in page
    with session_scope() as db:
        assert bank.question("support_now", questions.current(db)) == SUPPORT


async def test_a_trainer_adds_a_question_and_leaves_it_out_again(client):
    csrf = await trainer(client)
    text = "Would you <b>really</b> turn up on time?"
    added = await post(client, "/staff/training/questions", question_form(csrf, text=text))
    assert added.headers["Location"] == "/staff/training/questions?done=added"
    listing = await (await client.get(added.headers["Location"])).text()
    assert escape(text, quote=False) in listing and "<b>really</b>" not in listing
    assert "Added by tom@x.org" in listing
    path = "/staff/training/questions/trainer_would_you_b_really_b"
    assert f'href="{path}"' in listing
    left_out = question_form(csrf, text=text)
    del left_out["in_practice"]
    assert (await post(client, path, left_out)).status == 303
    page = await (await client.get(path)).text()
    assert "Left out of practice." in page and "(left out of practice)" in page
    assert "Go back to the project" not in page  # a trainer's own has no project version
    with session_scope() as db:
        assert not bank.question("trainer_would_you_b_really_b", questions.current(db)).in_practice


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"text": ""}, "The question is empty"),
        ({"jobs": []}, "at least one job"),
        ({"jobs": ["astronaut"]}, "each job from the list"),
        ({"topic": "weather"}, "what the question is about"),
    ],
)
async def test_a_question_with_a_problem_comes_back_on_the_form_with_nothing_saved(
    client, changes, problem
):
    csrf = await trainer(client)
    form = question_form(csrf, covers="KEPT-what a good answer covers", **changes)
    refused = await post(client, "/staff/training/questions", form)
    html = await refused.text()
    assert refused.status == 400 and problem in html and "Nothing was saved." in html
    assert "KEPT-what a good answer covers</textarea>" in html
    with session_scope() as db:
        assert db.scalars(select(TrainingQuestion)).all() == []


async def test_leaving_out_the_only_question_left_for_a_round_is_refused_on_the_page(client):
    csrf = await trainer(client)
    with session_scope() as db:
        suited = [q for q in questions.current(db) if q.suits("driving", "application")]
        *first, last = suited
        for question in first:
            questions.save(db, question.id, question.text, list(question.jobs),
                           list(question.settings), question.topic, question.covers,
                           list(question.asks), False, "tom@x.org")  # fmt: skip
    form = question_form(csrf, text=last.text, jobs=list(last.jobs),
                         settings=list(last.settings), covers=last.covers)  # fmt: skip
    form["topic"] = last.topic
    del form["in_practice"]
    refused = await post(client, f"/staff/training/questions/{last.id}", form)
    html = await refused.text()
    assert refused.status == 400 and "would have no question after the first" in html


async def test_unknown_questions_and_malformed_forms_get_a_clear_4xx(client):
    csrf = await trainer(client)
    assert (await client.get("/staff/training/questions/no_such_one")).status == 404
    unknown = await post(client, "/staff/training/questions/no_such_one", question_form(csrf))
    assert unknown.status == 404 and "no such practice question" in await unknown.text()
    huge = await post(client, "/staff/training/questions", question_form(csrf, text="x" * 5000))
    assert huge.status == 413 and "Nothing was saved" in await huge.text()
    many = question_form(csrf, jobs=["retail"] * 30)
    assert (await post(client, "/staff/training/questions", many)).status == 400
    with session_scope() as db:
        assert db.scalars(select(TrainingQuestion)).all() == []
