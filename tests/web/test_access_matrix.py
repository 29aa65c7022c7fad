"""Who may use which route: every route of the website, for each kind of visitor.

Seven visitors: nobody signed in, candidates A and B (each in their own chat),
caseworkers A and B (A has candidate A, B has candidate B), a trainer and an admin.
Each test takes one route with a fresh database and asks it as every visitor; a
visitor who may not use it gets exactly the refusal that route gives (the sign-in
page, 401, 403, or 404 as if the candidate did not exist), and one who may, gets
through. The assistant here is a stand-in that answers "ok": what is checked is the
website's own access rules (the real assistant is in the e2e tests).
"""

from __future__ import annotations

import os
import re

import pytest
from aiohttp import web

from bot.review import decisions
from bot.store import drafts
from bot.store.db import session_scope
from bot.store.models import TrainingExample, TrainingStory
from bot.training import jobs
from bot.training.struggles import wording_key
from bot.web.app import create_app
from bot.web.config import WebConfig
from tests.review_helpers import PASSWORD, account, add_account, add_case, submit, write
from tests.training_helpers import CONSENTED, said, save_conversation
from tests.web_helpers import listed_routes, log_in, origin, shown_text, use_invite

VISITORS = ("anonymous", "candidate_a", "candidate_b", "trainer", "caseworker_b",
            "caseworker_a", "admin")  # fmt: skip
STAFF = {"caseworker_a": "sam@x.org", "caseworker_b": "kim@x.org", "trainer": "tom@x.org",
         "admin": "ada@x.org"}  # fmt: skip
CANDIDATES = ("candidate_a", "candidate_b")
LOGIN = "login"  # 303 to /staff/login
HOME = "home"  # 303 to the start page
THROUGH = "through"  # 2xx, or a 303 that is not to a sign-in
SAME = "same"  # a public route: the same answer whoever asks


def who_may(kind: str) -> dict[str, str | int]:
    """The answer each visitor must get, for each kind of route."""
    staff_refusal = {"anonymous": LOGIN, "candidate_a": LOGIN, "candidate_b": LOGIN}
    if kind == "public":
        return dict.fromkeys(VISITORS, SAME)
    if kind == "chat_page":
        return {v: THROUGH if v in CANDIDATES else HOME for v in VISITORS}
    if kind == "candidate":  # the chat API: a candidate's own session only
        return {v: THROUGH if v in CANDIDATES else 401 for v in VISITORS}
    if kind == "invite_page":  # candidate A, already in that chat, goes straight in
        return {**dict.fromkeys(VISITORS, 200), "candidate_a": THROUGH}
    if kind == "staff":
        return {**dict.fromkeys(STAFF, THROUGH), **staff_refusal}
    if kind == "reviewers":
        return {**dict.fromkeys(STAFF, THROUGH), "trainer": 403, **staff_refusal}
    if kind == "case":  # candidate A's page (the admin is shown candidate B's)
        return {"caseworker_a": THROUGH, "admin": THROUGH, "caseworker_b": 404,
                "trainer": 403, **staff_refusal}  # fmt: skip
    if kind == "trainers":
        return {"trainer": THROUGH, "admin": THROUGH, "caseworker_a": 403, "caseworker_b": 403,
                **staff_refusal}  # fmt: skip
    if kind == "rasa":  # the model server: only Rasa, with the stack's token
        return dict.fromkeys(VISITORS, 404)
    if kind == "admin":
        return {"admin": THROUGH, "caseworker_a": 403, "caseworker_b": 403, "trainer": 403,
                **staff_refusal}  # fmt: skip
    raise ValueError(kind)


# Every route of the app: (method, path, kind). {case} and {version} are filled in.
ROUTES = [
    ("GET", "/", "public"),
    ("GET", "/invite/{token}", "invite_page"),
    ("POST", "/invite/{token}", "public"),
    ("POST", "/practice", "public"),
    ("POST", "/resume", "public"),
    ("GET", "/chat", "chat_page"),
    ("POST", "/leave", "public"),
    ("GET", "/spent", "public"),
    ("POST", "/spent", "public"),
    ("GET", "/api/me", "candidate"),
    ("POST", "/api/chat", "candidate"),
    ("GET", "/api/chat/history", "candidate"),
    ("GET", "/api/statement", "candidate"),
    ("GET", "/api/review", "candidate"),
    ("GET", "/api/statement/approved.docx", "candidate"),
    ("GET", "/api/statement/approved.txt", "candidate"),
    ("GET", "/healthz", "public"),
    ("GET", "/static/chat.js", "public"),
    ("GET", "/staff", "staff"),
    ("GET", "/staff/login", "public"),
    ("POST", "/staff/login", "public"),
    ("POST", "/staff/logout", "staff"),
    ("GET", "/staff/password", "staff"),
    ("POST", "/staff/password", "staff"),
    ("GET", "/staff/caseload", "reviewers"),
    ("POST", "/staff/candidates", "reviewers"),
    ("GET", "/staff/overview", "reviewers"),
    ("GET", "/staff/candidates/{case}", "case"),
    ("POST", "/staff/candidates/{case}/comments", "case"),
    ("POST", "/staff/candidates/{case}/request-changes", "case"),
    ("POST", "/staff/candidates/{case}/approve", "case"),
    ("POST", "/staff/candidates/{case}/invite", "case"),
    ("GET", "/staff/candidates/{case}/export.docx", "case"),
    ("GET", "/staff/candidates/{case}/export.txt", "case"),
    ("GET", "/staff/accounts", "admin"),
    ("POST", "/staff/accounts", "admin"),
    ("POST", "/staff/accounts/{account}/active", "admin"),
    ("GET", "/staff/audit", "admin"),
    ("GET", "/staff/audit.csv", "admin"),
    ("GET", "/staff/training", "trainers"),
    ("GET", "/staff/training/messages/{wording}", "trainers"),
    ("POST", "/staff/training/messages/{wording}", "trainers"),
    ("GET", "/staff/training/intents", "trainers"),
    ("GET", "/staff/training/intents/{intent}", "trainers"),
    ("POST", "/staff/training/intents/{intent}/examples", "trainers"),
    ("POST", "/staff/training/intents/{question}/answer", "trainers"),
    ("POST", "/staff/training/intents/{question}/answer/back", "trainers"),
    ("POST", "/staff/training/examples/{example}/remove", "trainers"),
    ("GET", "/staff/training/stories", "trainers"),
    ("POST", "/staff/training/stories", "trainers"),
    ("POST", "/staff/training/stories/{story}/remove", "trainers"),
    ("GET", "/staff/training/questions", "trainers"),
    ("POST", "/staff/training/questions", "trainers"),
    ("GET", "/staff/training/questions/{practice_question}", "trainers"),
    ("POST", "/staff/training/questions/{practice_question}", "trainers"),
    ("POST", "/staff/training/questions/{practice_question}/back", "trainers"),
    ("GET", "/staff/training/model", "trainers"),
    ("POST", "/staff/training/model/back", "trainers"),
    ("POST", "/staff/training/jobs", "trainers"),
    ("GET", "/staff/training/jobs/{job}.json", "trainers"),
    ("GET", "/staff/training/jobs/{job}", "trainers"),
    ("GET", "/models/current", "rasa"),
]


def test_the_matrix_lists_every_route_the_app_serves():
    app = create_app(WebConfig(rasa_url="", action_url="", database_url="sqlite://",
                               tracker_store_url="sqlite://"))  # fmt: skip
    served = set()
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter") or info.get("prefix", "")
        if route.method != "HEAD":
            served.add((route.method, path))
    names = {"{case}": "{key_id}", "{account}": "{account_id}",
             "approved.docx": "approved.{fmt}", "approved.txt": "approved.{fmt}",
             "export.docx": "export.{fmt}", "export.txt": "export.{fmt}",
             "/static/chat.js": "/static", "{wording}": "{key}", "{job}": "{job_id}",
             "{intent}": "{name}", "{question}": "{name}", "{example}": "{example_id}",
             "{story}": "{story_id}", "{practice_question}": "{question_id}"}  # fmt: skip
    assert served == listed_routes(ROUTES, names)


@pytest.fixture
async def fake_assistant(aiohttp_server):
    """Answers like Rasa's REST channel and health checks, with "ok"."""
    app = web.Application()
    app.router.add_get("/", lambda _: web.Response(text="Hello from Rasa"))
    app.router.add_get("/health", lambda _: web.json_response({"status": "ok"}))
    app.router.add_post("/webhooks/rest/webhook", lambda _: web.json_response([{"text": "ok"}]))
    return await aiohttp_server(app)


@pytest.fixture
def config(database_url, fake_assistant) -> WebConfig:
    url = str(fake_assistant.make_url("")).rstrip("/")
    return WebConfig(
        rasa_url=url, action_url=url, database_url=database_url,
        tracker_store_url=os.environ["TRACKER_STORE_URL"],
        # Seven visitors from one address: the rate limits have their own tests.
        codes_burst=100, practice_burst=100, logins_burst=100, messages_burst=100,
    )  # fmt: skip


@pytest.fixture
def world(database_url):
    """Two caseworkers, each with a candidate whose first version is approved and whose
    second is waiting for review. A trainer and an admin."""
    for visitor, email in STAFF.items():
        role = {"trainer": "trainer", "admin": "admin"}.get(visitor, "caseworker")
        add_account(email, role)
    case_a, token_a, sender_a = add_case("sam@x.org", "Alex")
    case_b, token_b, sender_b = add_case("kim@x.org", "Jo")
    for sender, reviewer in ((sender_a, "sam@x.org"), (sender_b, "kim@x.org")):
        write(sender)
        submit(sender)
        with session_scope() as db:
            statement = drafts.find_candidate(db, sender).statements[-1]
            version = decisions.version_under_review(decisions.versions_of(statement))
            decisions.approve(db, account(reviewer), version)
        write(sender, {"what_happened": "In 2019 I was convicted of theft; I paid it back."})
        submit(sender)
    # A message the assistant did not understand, in the trainers' queue; a check.
    save_conversation(os.environ["TRACKER_STORE_URL"], sender_a,
                      [*CONSENTED, said("wot", "nlu_fallback", 0.2, at=5)])  # fmt: skip
    with session_scope() as db:
        job = jobs.start(db, "check", "tom@x.org")
        job.active, job.status = None, "failed"
        db.flush()
        job_id = job.id
        example = TrainingExample(intent="ask_person", text="gis a human", author="tom@x.org")
        db.add(example)
        db.flush()
        example_id = example.id
        story = TrainingStory(name="Bye", steps=[], author="tom@x.org")
        db.add(story)
        db.flush()
        story_id = story.id
    return {"case_a": case_a, "case_b": case_b, "token_a": token_a, "token_b": token_b,
            "wording": wording_key("wot"), "job": job_id, "example": example_id,
            "story": story_id}  # fmt: skip


async def visitor_client(aiohttp_client, config, world, visitor: str):
    """A browser for the visitor, signed in as they would be."""
    client = await aiohttp_client(create_app(config))
    if visitor in CANDIDATES:
        token = world["token_a" if visitor == "candidate_a" else "token_b"]
        assert (await use_invite(client, token)).status == 200
    elif visitor in STAFF:
        assert (await log_in(client, STAFF[visitor])).status == 303
    return client


async def csrf_of(client) -> str:
    """The visitor's CSRF token: a staff page's form field, or the chat's /api/me."""
    page = await client.get("/staff/password", allow_redirects=False)
    if page.status == 200:
        return re.search(r'name="csrf" value="([^"]+)"', await page.text()).group(1)
    me = await client.get("/api/me")
    return (await me.json())["csrf_token"] if me.status == 200 else ""


def form(path: str, csrf: str) -> dict[str, str]:
    """A valid form for each POST (so a refusal is about who, not what)."""
    version = "2"  # the version under review
    forms = {
        "/comments": {"version": version, "part": "feelings_now", "body": "More, please."},
        "/request-changes": {"version": version, "message": "Please add more."},
        "/approve": {"version": version, "confirm": "yes"},
        "/staff/candidates": {"name": "New person"},
        "/staff/password": {"current": PASSWORD, "new": PASSWORD + "!", "repeat": PASSWORD + "!"},
        "/staff/accounts": {"email": "new@x.org", "role": "caseworker", "password": PASSWORD},
        "/active": {"active": "no"},
        # A taught wording leaves the queue (the next visitor would get 404), and
        # starting a real job would train a model: each form is refused after the
        # role check, with 400.
        "/staff/training/messages/{wording}": {"wording": "call me", "intent": ""},
        "/staff/training/jobs": {"kind": "not-a-kind"},
        "/examples": {"wording": "can I speak to somebody"},
        "/answer": {"variant": "1", "answer": "I'm a program."},
        "/answer/back": {"variant": "1"},
        "/staff/training/questions": {
            "text": "Why us?",
            "jobs": "any",
            "settings": "any",
            "topic": "future",
            "covers": "What you bring.",
        },
        "/staff/training/questions/{practice_question}": {
            "text": "Who helps you now?",
            "jobs": "any",
            "settings": "any",
            "topic": "change",
            "covers": "People and services.",
            "in_practice": "yes",
        },
        "/staff/training/stories": {
            "name": "Bye",
            "text-1": "laters",
            "intent-1": "goodbye",
            "reply-1": "utter_goodbye",
        },
    }
    found = next((v for k, v in forms.items() if path.endswith(k)), {})
    return {**found, "csrf": csrf}


# Reading changes nothing, so every GET route is asked in one go; each POST route
# gets a fresh database, since what one visitor does could change another's answer.
READS = [r for r in ROUTES if r[0] == "GET"]
WRITES = [r for r in ROUTES if r[0] == "POST"]


async def test_every_visitor_gets_the_answer_each_page_must_give(aiohttp_client, config, world):
    clients = {v: await visitor_client(aiohttp_client, config, world, v) for v in VISITORS}
    for method, path, kind in READS:
        await ask_everyone(clients, world, method, path, kind)


@pytest.mark.parametrize(("method", "path", "kind"), WRITES)
async def test_every_visitor_gets_the_answer_each_form_must_give(
    aiohttp_client, config, world, method, path, kind
):
    clients = {v: await visitor_client(aiohttp_client, config, world, v) for v in VISITORS}
    await ask_everyone(clients, world, method, path, kind)


async def ask_everyone(clients: dict, world: dict, method: str, path: str, kind: str) -> None:
    """Ask one route as every visitor; check each answer against `who_may`."""
    expected = who_may(kind)
    answers: dict[str, tuple[int, str]] = {}
    for visitor, client in clients.items():
        # The admin is shown the other caseworker's candidate: they reach every one.
        case = world["case_b" if visitor == "admin" else "case_a"]
        account_id = str(account("kim@x.org").id)
        url = path.format(case=case, account=account_id, token=world["token_a"],
                          wording=world["wording"], job=world["job"], intent="ask_person",
                          example=world["example"], story=world["story"],
                          question="faq/is_bot", practice_question="support_now")  # fmt: skip
        csrf = await csrf_of(client)
        if method == "GET":
            response = await client.get(url, allow_redirects=False)
        else:
            headers = {**origin(client), "X-CSRF-Token": csrf}
            if url == "/api/chat":
                response = await client.post(url, json={"message": "hello"}, headers=headers,
                                             allow_redirects=False)  # fmt: skip
            else:
                response = await client.post(url, data=form(path, csrf), headers=headers,
                                             allow_redirects=False)  # fmt: skip
        status, where = response.status, response.headers.get("Location", "")
        body = shown_text((await response.read()).decode("utf-8", "replace"))
        want = expected[visitor]
        said = f"{method} {path} as {visitor}: {status} {where}"
        assert status < 500, said
        if want == SAME:
            first = answers.setdefault("first", (status, where))
            assert (status, where) == first, said
        elif want == HOME:
            assert status == 303 and where == "/", said
        elif want == LOGIN:
            assert status == 303 and where == "/staff/login", said
        elif want == THROUGH:
            assert status not in (401, 403, 404) and where != "/staff/login", said
        else:
            assert status == want, said
        if want != THROUGH and kind in ("case", "candidate"):
            assert "Alex" not in body and "Jo" not in body and "paid it back" not in body
