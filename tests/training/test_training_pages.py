"""The trainers' queue page: what the assistant missed, and nothing a trainer must not see."""

from __future__ import annotations

import json
import os
import subprocess
from html import escape as html_escape

import pytest
import yaml
from sqlalchemy import select

from bot.config import PROJECT_ROOT, RASA_BIN
from bot.store.conversations import EVENTS
from bot.store.db import engine_for, session_scope
from bot.store.models import (
    AuditEvent,
    QueueDecision,
    TrainingAnswer,
    TrainingExample,
    TrainingStory,
)
from bot.training import intents, workspace
from bot.training.export import export
from bot.training.struggles import wording_key
from bot.web.app import create_app
from tests.review_helpers import add_account, add_case
from tests.training_helpers import (
    CONSENTED,
    asking_for,
    ran,
    replied,
    said,
    save_conversation,
    trainer,
)
from tests.web_helpers import log_in, offline_config, origin

# Details in the messages, a statement part, and who the candidate and caseworker are.
PLANTED = ("Kwame", "07700 900123", "kwame@example.org", "PLANTED-statement-part", "2019",
           "Alex", "sam@x.org", "PLANTED-understood")  # fmt: skip


@pytest.fixture
def tracker_store_url(tmp_path, database_url) -> str:
    """A saved conversation of a real candidate (the running site's daily purge
    removes the events of any conversation that has none)."""
    add_account("sam@x.org")
    _, _, sender_id = add_case("sam@x.org")
    url = f"sqlite:///{tmp_path / 'queue-tracker.db'}"
    conversation = [
        *CONSENTED,
        # Understood, so a trainer may not read it: a story shows what it meant.
        said("PLANTED-understood could a person help", "ask_person", 0.97, at=40),
        ran("utter_ask_person"),
        replied("Of course."),
        said("can Kwame ring 07700 900123 or kwame@example.org", "nlu_fallback", 0.2, at=50),
        ran("action_default_fallback"),
        replied("Sorry, I didn't get that."),
        *asking_for("what_happened"),
        said("PLANTED-statement-part in 2019", "nlu_fallback", 0.1, at=60),
        ran("action_default_fallback"),
    ]
    save_conversation(url, sender_id, conversation)
    return url


@pytest.fixture
async def client(aiohttp_client, database_url, tracker_store_url):
    return await aiohttp_client(create_app(offline_config(database_url, tracker_store_url)))


async def test_a_trainer_lands_on_the_queue_and_reads_only_redacted_messages(client):
    add_account("tom@x.org", "trainer")
    assert (await log_in(client, "tom@x.org")).status == 303
    home = await client.get("/staff", allow_redirects=False)
    assert home.headers["Location"] == "/staff/training"
    page = await client.get("/staff/training")
    assert page.status == 200
    html = await page.text()
    assert "can [name] ring [phone] or [email]" in html
    assert "did not understand" in html and "Sorry, I didn&#x27;t get that." in html
    for planted in PLANTED:
        assert planted not in html, planted
    with session_scope() as db:
        actions = db.scalars(select(AuditEvent.action)).all()
    assert "viewed the trainers' queue" in actions


async def test_an_empty_queue_says_so(client, tracker_store_url):
    with engine_for(tracker_store_url).begin() as conn:
        conn.execute(EVENTS.delete())
    add_account("ada@x.org", "admin")
    await log_in(client, "ada@x.org")
    html = await (await client.get("/staff/training")).text()
    assert "Nothing yet" in html


def key_of(text: str) -> str:
    return wording_key(text)


QUEUED = "can [name] ring [phone] or [email]"


async def test_a_trainer_teaches_a_message_what_it_meant_and_it_leaves_the_queue(client):
    csrf = await trainer(client)
    queue_html = await (await client.get("/staff/training")).text()
    assert f"/staff/training/messages/{key_of(QUEUED)}" in queue_html
    form = await client.get(f"/staff/training/messages/{key_of(QUEUED)}")
    html = await form.text()
    assert form.status == 200 and QUEUED in html
    assert "Wants to talk to a real person." in html  # ask_person's description
    assert "Answered: “Only you, your caseworker" in html  # faq/who_sees, by its answer
    for planted in PLANTED:
        assert planted not in html, planted
    saved = await client.post(
        f"/staff/training/messages/{key_of(QUEUED)}",
        data={"csrf": csrf, "wording": "can [name] ring me", "intent": "ask_person"},
        headers=origin(client),
        allow_redirects=False,
    )
    assert saved.status == 303 and saved.headers["Location"] == "/staff/training?done=taught"
    with session_scope() as db:
        [example] = db.scalars(select(TrainingExample)).all()
        actions = db.scalars(select(AuditEvent.action)).all()
    assert (example.intent, example.text, example.author) == (
        "ask_person", "can [name] ring me", "tom@x.org"
    )  # fmt: skip
    assert "taught an example" in actions
    after = await (await client.get("/staff/training?done=taught")).text()
    assert QUEUED not in after and "Saved." in after
    gone = await client.get(f"/staff/training/messages/{key_of(QUEUED)}")
    assert gone.status == 404


async def test_a_message_set_aside_leaves_the_queue_and_teaches_nothing(client):
    csrf = await trainer(client)
    saved = await client.post(
        f"/staff/training/messages/{key_of(QUEUED)}",
        data={"csrf": csrf, "wording": QUEUED, "intent": "not_for_assistant"},
        headers=origin(client),
        allow_redirects=False,
    )
    assert saved.status == 303
    with session_scope() as db:
        assert db.scalars(select(TrainingExample)).all() == []
        [decision] = db.scalars(select(QueueDecision)).all()
    assert decision.outcome == "not_for_assistant"
    assert QUEUED not in await (await client.get("/staff/training")).text()


@pytest.mark.parametrize(
    ("wording", "intent", "problem"),
    [
        ("   ", "ask_person", "The wording is empty"),
        ("x" * 301, "ask_person", "too long"),
        ("call me", "", "Choose what the message meant."),
        ("call me", "no_such_intent", "Choose what the message meant."),
        ("call me", "safety_concern", "Choose what the message meant."),
    ],
)
async def test_a_bad_teaching_comes_back_on_the_form_with_the_edit_kept(
    client, wording, intent, problem
):
    csrf = await trainer(client)
    response = await client.post(
        f"/staff/training/messages/{key_of(QUEUED)}",
        data={"csrf": csrf, "wording": wording, "intent": intent},
        headers=origin(client),
    )
    assert response.status == 400
    html = await response.text()
    assert problem in html and "Nothing was saved." in html
    if wording.strip():
        assert html_escape(wording) in html
    with session_scope() as db:
        assert db.scalars(select(TrainingExample)).all() == []
        assert db.scalars(select(QueueDecision)).all() == []


async def test_a_wording_the_trainer_edits_is_redacted_again_before_it_is_kept(client):
    csrf = await trainer(client)
    await client.post(
        f"/staff/training/messages/{key_of(QUEUED)}",
        data={"csrf": csrf, "wording": "can Kwame ring 07700 900123", "intent": "ask_person"},
        headers=origin(client),
    )
    with session_scope() as db:
        [example] = db.scalars(select(TrainingExample)).all()
    assert example.text == "can [name] ring [phone]"


async def test_a_message_not_in_the_queue_is_a_404(client):
    await trainer(client)
    response = await client.get(f"/staff/training/messages/{'0' * 32}")
    assert response.status == 404
    assert (await client.get("/staff/training/messages/not-a-key")).status == 404


# --- what the assistant understands: each intent's examples ----------------------------


async def add(client, csrf: str, intent: str, wording: str):
    return await client.post(
        f"/staff/training/intents/{intent}/examples",
        data={"csrf": csrf, "wording": wording},
        headers=origin(client),
        allow_redirects=False,
    )


async def test_a_trainer_adds_a_wording_to_an_intent_redacted_and_sees_its_history(client):
    csrf = await trainer(client)
    listing = await (await client.get("/staff/training/intents")).text()
    assert 'href="/staff/training/intents/ask_person">Wants to talk to a real person.' in listing
    page = await (await client.get("/staff/training/intents/ask_person")).text()
    assert "can I talk to a real person" in page  # the project's own examples
    saved = await add(client, csrf, "ask_person", "can Kwame ring 07700 900123 for me")
    assert saved.status == 303
    assert saved.headers["Location"] == "/staff/training/intents/ask_person?done=added"
    with session_scope() as db:
        [example] = db.scalars(select(TrainingExample)).all()
        actions = db.scalars(select(AuditEvent.action)).all()
    assert (example.intent, example.text) == ("ask_person", "can [name] ring [phone] for me")
    assert "added an example" in actions
    page = await (await client.get(saved.headers["Location"])).text()
    assert "Added." in page and "can [name] ring [phone] for me" in page
    assert "Kwame" not in page and "07700" not in page
    history = page.split('id="history-h"')[1]
    assert "Added" in history and "tom@x.org" in history


async def test_a_wording_taken_back_stays_in_the_history_and_leaves_the_export(client, tmp_path):
    csrf = await trainer(client)
    await add(client, csrf, "faq/who_sees", "who gets to see my stuff")
    with session_scope() as db:
        [example] = db.scalars(select(TrainingExample)).all()
    page = await (await client.get("/staff/training/intents/faq/who_sees")).text()
    assert "who gets to see my stuff" in page
    for _ in range(2):  # twice: the second changes nothing
        taken = await client.post(
            f"/staff/training/examples/{example.id}/remove",
            data={"csrf": csrf},
            headers=origin(client),
            allow_redirects=False,
        )
        assert taken.headers["Location"] == "/staff/training/intents/faq/who_sees?done=removed"
    with session_scope() as db:
        example = db.get(TrainingExample, example.id)
        assert example.removed_by == "tom@x.org" and example.removed_at is not None
        assert "who gets to see my stuff" not in export(db, tmp_path)[0].read_text()
    page = await (await client.get("/staff/training/intents/faq/who_sees?done=removed")).text()
    assert "Taken back." in page
    assert page.split('id="history-h"')[1].count("who gets to see my stuff") == 2
    assert "Take back" not in page.split('id="known-h"')[0]  # no longer in force
    missing = await client.post(
        "/staff/training/examples/99999/remove", data={"csrf": csrf}, headers=origin(client)
    )
    assert missing.status == 404


@pytest.mark.parametrize(
    ("wording", "status", "problem"),
    [
        ("  ", 400, "The wording is empty"),
        ("x" * 301, 400, "too long"),
        ("x" * 1201, 413, "too long"),
        ("gis a word with a human", 400, "already learns that wording"),  # a trainer's
        ("I want to talk to a person", 400, "already learns that wording"),  # the project's
    ],
)
async def test_a_bad_wording_comes_back_on_the_intents_page_with_nothing_saved(
    client, wording, status, problem
):
    csrf = await trainer(client)
    await add(client, csrf, "ask_person", "gis a word with a human")
    response = await add(client, csrf, "ask_person", wording)
    assert response.status == status
    assert problem in await response.text()
    with session_scope() as db:
        assert len(db.scalars(select(TrainingExample)).all()) == 1


async def test_an_intent_the_assistant_does_not_know_is_a_404(client):
    csrf = await trainer(client)
    for name in ("no_such_intent", "faq/no_such_question", "safety_concern", "answer"):
        assert (await client.get(f"/staff/training/intents/{name}")).status == 404, name
        assert (await add(client, csrf, name, "hello there")).status == 404, name


# --- test stories -------------------------------------------------------------------------


async def write_story(client, csrf: str, name: str, *turns: tuple[str, str, str]):
    data = {"csrf": csrf, "name": name}
    for number, (text, intent, reply) in enumerate(turns, start=1):
        data |= {f"text-{number}": text, f"intent-{number}": intent, f"reply-{number}": reply}
    return await client.post(
        "/staff/training/stories", data=data, headers=origin(client), allow_redirects=False
    )


def read_by_rasa(path) -> list[list[str]]:
    """Each story in `path` as Rasa's own reader takes it: its events' names."""
    code = (
        "import json, sys\n"
        "from rasa_addons.domain_importer import load_domain\n"
        "from rasa.shared.core.training_data.story_reader.yaml_story_reader "
        "import YAMLStoryReader\n"
        "steps = YAMLStoryReader(load_domain('domain')).read_from_file(sys.argv[1])\n"
        "print(json.dumps([[getattr(e, 'action_name', None) or e.intent_name "
        "for e in step.events] for step in steps]))\n"
    )
    done = subprocess.run(
        [str(RASA_BIN.parent / "python"), "-c", code, str(path)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"},
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


async def test_a_story_from_the_form_is_kept_redacted_and_runs_as_a_rasa_test_story(
    client, tmp_path
):
    csrf = await trainer(client)
    form = await (await client.get("/staff/training/stories")).text()
    assert "Wants to talk to a real person." in form and "put you through" in form
    saved = await write_story(
        client, csrf, "Asking for a person, then who reads it",
        ("can Kwame ring me", "ask_person", "utter_ask_person"),
        ("who reads this", "faq/who_sees", ""),  # a question: its own answer
    )  # fmt: skip
    assert saved.status == 303
    with session_scope() as db:
        [story] = db.scalars(select(TrainingStory)).all()
        actions = db.scalars(select(AuditEvent.action)).all()
        _, _, story_file, _ = export(db, tmp_path)
    assert story.steps == [
        {"user": "can [name] ring me", "intent": "ask_person", "reply": "utter_ask_person"},
        {"user": "who reads this", "intent": "faq/who_sees", "reply": "utter_faq"},
    ]
    assert "wrote a test story" in actions
    page = await (await client.get("/staff/training/stories?done=story")).text()
    assert "Asking for a person, then who reads it" in page and "can [name] ring me" in page
    assert "Kwame" not in page
    assert read_by_rasa(story_file) == [
        ["ask_person", "utter_ask_person", "faq", "utter_faq"]
    ]  # fmt: skip


async def test_a_story_starts_from_the_conversation_that_led_up_to_a_queued_message(client):
    await trainer(client)
    queue_page = await (await client.get("/staff/training")).text()
    assert f"/staff/training/stories?from={key_of(QUEUED)}" in queue_page
    page = await (await client.get(f"/staff/training/stories?from={key_of(QUEUED)}")).text()
    # The message before it, as what it meant, in the project's words; then it.
    example = intents.by_name("ask_person").examples[0]
    assert f'maxlength="300">{html_escape(example, quote=False)}</textarea>' in page
    assert '<option value="ask_person" selected>' in page
    assert '<option value="utter_ask_person" selected>' in page
    assert f'name="text-2" rows="2" maxlength="300">{QUEUED}</textarea>' in page
    assert "starts from the conversation where the assistant struggled" in page
    for planted in PLANTED:  # (the made-up example answers offered as replies say 2019)
        assert planted == "2019" or planted not in page, planted
    gone = await client.get("/staff/training/stories?from=no-such-message")
    assert gone.status == 404 and "no longer in the list" in await gone.text()


@pytest.mark.parametrize(
    ("name", "turns", "problem"),
    [
        ("", [("hi", "greet", "utter_goodbye")], "Give the story a name"),
        ("A", [], "at least one message"),
        ("A", [("hi", "", "utter_goodbye")], "what each message meant"),
        ("A", [("hi", "greet", "")], "how the assistant should answer"),
        ("A", [("hi", "greet", "utter_no_such_thing")], "how the assistant should answer"),
        ("A", [("hi", "no_such_intent", "utter_goodbye")], "what each message meant"),
        ("A", [("x" * 301, "greet", "utter_goodbye")], "between 1 and 300"),
    ],
)
async def test_a_story_with_a_problem_comes_back_on_the_form_with_nothing_saved(
    client, name, turns, problem
):
    csrf = await trainer(client)
    response = await write_story(client, csrf, name, *turns)
    assert response.status == 400
    html = await response.text()
    assert problem in html and "Nothing was saved." in html
    for text, _, _ in turns:
        assert text in html  # the trainer's words are kept on the form
    with session_scope() as db:
        assert db.scalars(select(TrainingStory)).all() == []


async def test_a_story_taken_back_stays_listed_and_leaves_the_export(client, tmp_path):
    csrf = await trainer(client)
    await write_story(client, csrf, "Saying goodbye", ("laters", "goodbye", "utter_goodbye"))
    with session_scope() as db:
        [story] = db.scalars(select(TrainingStory)).all()
    taken = await client.post(
        f"/staff/training/stories/{story.id}/remove",
        data={"csrf": csrf},
        headers=origin(client),
        allow_redirects=False,
    )
    assert taken.headers["Location"] == "/staff/training/stories?done=story_removed"
    page = await (await client.get(taken.headers["Location"])).text()
    assert "Saying goodbye" in page and "Taken back by tom@x.org" in page
    with session_scope() as db:
        _, _, story_file, _ = export(db, tmp_path)
    assert yaml.safe_load(story_file.read_text())["stories"] == []
    missing = await client.post(
        "/staff/training/stories/99999/remove", data={"csrf": csrf}, headers=origin(client)
    )
    assert missing.status == 404


# --- the answers to questions and small talk ----------------------------------------------


async def reword(client, csrf: str, intent: str, variant: str, text: str, back: bool = False):
    return await client.post(
        f"/staff/training/intents/{intent}/answer" + ("/back" if back else ""),
        data={"csrf": csrf, "variant": variant, "answer": text},
        headers=origin(client),
        allow_redirects=False,
    )


def domain_of_rasa(project) -> dict:
    """The responses Rasa trains with, from the files in `project`."""
    code = (
        "import json\n"
        "from rasa.shared.importers.importer import TrainingDataImporter\n"
        "i = TrainingDataImporter.load_from_config('config.yml', 'domain', ['data'])\n"
        "print(json.dumps(i.get_domain().responses))\n"
    )
    done = subprocess.run(
        [str(RASA_BIN.parent / "python"), "-c", code],
        cwd=project, capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "RASA_TELEMETRY_ENABLED": "false",
             "TF_CPP_MIN_LOG_LEVEL": "3"},
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


async def test_a_trainer_rewords_one_audiences_answer_and_rasa_trains_with_it(client, tmp_path):
    csrf = await trainer(client)
    page = await (await client.get("/staff/training/intents/faq/is_bot")).text()
    assert "To a candidate invited by a caseworker" in page and "In a practice chat" in page
    saved = await reword(client, csrf, "faq/is_bot", "1", "I'm a chat assistant, a program.")
    assert saved.headers["Location"] == "/staff/training/intents/faq/is_bot?done=answer"
    page = await (await client.get(saved.headers["Location"])).text()
    assert "I&#x27;m a chat assistant, a program." in page and "Reworded by tom@x.org" in page
    with session_scope() as db:
        actions = db.scalars(select(AuditEvent.action)).all()
        workspace.build(db, tmp_path / "copy")
    assert "reworded an answer" in actions
    [invited, practice] = domain_of_rasa(tmp_path / "copy")["utter_faq/is_bot"]
    assert practice == {"text": "I'm a chat assistant, a program."}
    assert invited["condition"] == [{"type": "slot", "name": "invited", "value": True}]
    assert "Your caseworker is a real person" in invited["text"]  # the project's, kept


async def test_going_back_to_the_projects_answer_keeps_the_history(client, tmp_path):
    csrf = await trainer(client)
    await reword(client, csrf, "chitchat/thanks", "0", "No bother at all.")
    back = await reword(client, csrf, "chitchat/thanks", "0", "", back=True)
    assert back.headers["Location"] == "/staff/training/intents/chitchat/thanks?done=answer_back"
    page = await (await client.get(back.headers["Location"])).text()
    assert "The project&#x27;s own wording." in page
    assert "No bother at all." in page.split('id="answer-h"')[1]  # in the history
    with session_scope() as db:
        _, responses, _, _ = export(db, tmp_path)
    assert yaml.safe_load(responses.read_text())["responses"] == {}


async def test_an_answer_that_promises_something_about_data_cannot_be_reworded(client):
    csrf = await trainer(client)
    page = await (await client.get("/staff/training/intents/faq/who_sees")).text()
    assert "cannot be changed here" in page and 'name="answer"' not in page
    refused = await reword(client, csrf, "faq/who_sees", "1", "Everyone can read it.")
    assert refused.status == 400 and "cannot be changed here" in await refused.text()
    with session_scope() as db:
        assert db.scalars(select(TrainingAnswer)).all() == []


@pytest.mark.parametrize(
    ("intent", "variant", "text", "status", "problem"),
    [
        ("faq/how_long", "0", "   ", 400, "The answer is empty"),
        ("faq/how_long", "0", "x" * 601, 400, "too long"),
        ("faq/how_long", "0", "x" * 2401, 413, "too long"),
        ("faq/how_long", "7", "Fine.", 400, "There is no such answer"),
        ("faq/how_long", "x", "Fine.", 400, "Choose which answer"),
        ("faq/no_such_question", "0", "Fine.", 404, ""),
    ],
)
async def test_a_bad_answer_is_refused_clearly_and_the_words_are_kept(
    client, intent, variant, text, status, problem
):
    csrf = await trainer(client)
    response = await reword(client, csrf, intent, variant, text)
    assert response.status == status
    html = await response.text()
    assert problem in html
    if status == 400 and text.strip() and variant.isdigit() and variant == "0":
        assert text in html  # what the trainer typed is back in its box
    with session_scope() as db:
        assert db.scalars(select(TrainingAnswer)).all() == []
