"""Every caseworker, trainer and admin route, for every kind of visitor, with aiohttp's
test client and a real database: who may open what, CSRF on every form, bad input.

The permission table below lists every staff route; a test checks that it matches
the routes the app really has, so a new route cannot be added without its checks.
"""

from __future__ import annotations

import html
import os
import re

import pytest
from sqlalchemy import func, select

from bot.review import accounts, export
from bot.store.db import session_scope
from bot.store.models import AuditEvent, Comment, Review, StatementVersion, VersionStatus
from bot.web.app import STAFF_ROUTES, create_app
from bot.web.config import WebConfig
from tests.review_helpers import PASSWORD, add_account, add_case, latest, submitted_case
from tests.web_helpers import (
    CSRF,
    listed_routes,
    log_in,
    offline_config,
    origin,
    shown_text,
    signed_in,
    use_invite,
)

# (method, path, who may use it). {own} is the signed-in caseworker's candidate.
ROUTES: list[tuple[str, str, str]] = [
    ("GET", "/staff", "anyone"),
    ("GET", "/staff/password", "anyone"),
    ("POST", "/staff/password", "anyone"),
    ("POST", "/staff/logout", "anyone"),
    ("GET", "/staff/caseload", "reviewers"),
    ("POST", "/staff/candidates", "reviewers"),
    ("GET", "/staff/overview", "reviewers"),
    ("GET", "/staff/candidates/{own}", "case"),
    ("POST", "/staff/candidates/{own}/comments", "case"),
    ("POST", "/staff/candidates/{own}/request-changes", "case"),
    ("POST", "/staff/candidates/{own}/approve", "case"),
    ("POST", "/staff/candidates/{own}/invite", "case"),
    ("GET", "/staff/candidates/{own}/export.docx", "case"),
    ("GET", "/staff/candidates/{own}/export.txt", "case"),
    ("GET", "/staff/accounts", "admin"),
    ("POST", "/staff/accounts", "admin"),
    ("POST", "/staff/accounts/{other_account}/active", "admin"),
    ("GET", "/staff/audit", "admin"),
    ("GET", "/staff/audit.csv", "admin"),
    ("GET", "/staff/training", "trainers"),
]
CASE_ROUTES = [(m, p) for m, p, who in ROUTES if who == "case"]
POSTS = [(m, p) for m, p, _ in ROUTES if m == "POST"]


@pytest.fixture
def config(database_url: str) -> WebConfig:
    return offline_config(database_url, os.environ["TRACKER_STORE_URL"])


@pytest.fixture
async def client(aiohttp_client, config):
    return await aiohttp_client(create_app(config))


@pytest.fixture
def people(database_url):
    """Two caseworkers with a submitted candidate each, an admin and a trainer."""
    ids = {
        "sam": add_account("sam@x.org"),
        "kim": add_account("kim@x.org"),
        "ada": add_account("ada@x.org", "admin"),
        "tom": add_account("tom@x.org", "trainer"),
    }
    sams, _, _ = submitted_case("sam@x.org", "Alex")
    kims, _, _ = submitted_case("kim@x.org", "Jo")
    return {**ids, "sams_case": sams, "kims_case": kims}


def form_for(path: str, csrf: str | None) -> dict[str, str]:
    """A valid form for each POST route (so a refusal is about who, not what)."""
    data = {
        "/comments": {"version": "1", "part": "feelings_now", "body": "More on what changed."},
        "/request-changes": {"version": "1", "message": "Please add more."},
        "/approve": {"version": "1", "confirm": "yes"},
        "/staff/candidates": {"name": "New person"},
        "/staff/password": {"current": PASSWORD, "new": PASSWORD + "!", "repeat": PASSWORD + "!"},
        "/staff/accounts": {"email": "new@x.org", "role": "caseworker", "password": PASSWORD},
        "/active": {"active": "no"},
    }
    found = next((v for k, v in data.items() if path.endswith(k)), {})
    return {**found, **({"csrf": csrf} if csrf is not None else {})}


async def call(client, method: str, path: str, csrf: str | None):
    if method == "GET":
        return await client.get(path, allow_redirects=False)
    return await client.post(
        path, data=form_for(path, csrf), headers=origin(client), allow_redirects=False
    )


def fill(path: str, people: dict, own: str = "sams_case") -> str:
    return path.format(own=people[own], other_account=people["kim"])


def test_the_table_lists_every_staff_route():
    # The trainers' pages past the queue need a queued message or a job, which
    # this file's people do not make: test_access_matrix asks each as everyone.
    served = {
        (r.method, r.path) for r in STAFF_ROUTES if not r.path.startswith("/staff/training/")
    } - {("GET", "/staff/login"), ("POST", "/staff/login")}
    any_format = "export.{fmt:docx|txt}"
    names = {"{own}": "{key_id}", "{other_account}": "{account_id}",
             "export.docx": any_format, "export.txt": any_format}  # fmt: skip
    assert served == listed_routes(ROUTES, names)


@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p, _ in ROUTES])
async def test_without_signing_in_every_route_goes_to_the_login(client, people, method, path):
    response = await call(client, method, fill(path, people), csrf=None)
    assert response.status == 303
    assert response.headers["Location"] == "/staff/login"


@pytest.mark.parametrize(("method", "path"), CASE_ROUTES)
async def test_a_caseworker_cannot_reach_another_caseworkers_candidate_by_url(
    client, people, method, path
):
    csrf = await signed_in(client, "sam@x.org")
    response = await call(client, method, fill(path, people, own="kims_case"), csrf)
    assert response.status == 404
    assert "Jo" not in shown_text(await response.text())
    with session_scope() as db:  # and nothing was done to Kim's candidate
        assert db.scalar(select(func.count()).select_from(Comment)) == 0
        assert db.scalar(select(func.count()).select_from(Review)) == 0


@pytest.mark.parametrize(("method", "path"), CASE_ROUTES)
async def test_unknown_and_malformed_candidate_ids_are_404(client, people, method, path):
    csrf = await signed_in(client, "ada@x.org")
    for bad in ("99999", "abc", "-1", "0", "9" * 30, "%D9%A3", "1.5"):
        response = await call(client, method, path.replace("{own}", bad), csrf)
        assert response.status == 404, bad


@pytest.mark.parametrize(("method", "path", "who"), ROUTES)
async def test_a_trainer_sees_no_candidate_data_and_no_admin_pages(
    client, people, method, path, who
):
    csrf = await signed_in(client, "tom@x.org")
    response = await call(client, method, fill(path, people), csrf)
    if who in ("anyone", "trainers"):
        assert response.status in (200, 303)
    else:
        assert response.status == 403
        body = shown_text(await response.text())
        assert "Alex" not in body and "Jo" not in body


@pytest.mark.parametrize(("method", "path", "who"), ROUTES)
async def test_a_caseworker_uses_their_own_routes_but_not_admin_ones(
    client, people, method, path, who
):
    csrf = await signed_in(client, "sam@x.org")
    if path.endswith("/approve"):  # the version must be submitted: it is
        pass
    if path.endswith("export.docx") or path.endswith("export.txt"):
        await call(client, "POST", fill("/staff/candidates/{own}/approve", people), csrf)
    response = await call(client, method, fill(path, people), csrf)
    if who in ("admin", "trainers"):
        assert response.status == 403
    else:
        assert response.status in (200, 303), await response.text()


@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p, _ in ROUTES if "{own}" in p])
async def test_an_admin_reaches_every_candidate(client, people, method, path):
    csrf = await signed_in(client, "ada@x.org")
    if "export" in path:
        await call(
            client, "POST", fill("/staff/candidates/{own}/approve", people, "kims_case"), csrf
        )
    response = await call(client, method, fill(path, people, own="kims_case"), csrf)
    assert response.status in (200, 303), await response.text()


@pytest.mark.parametrize(("method", "path"), POSTS)
async def test_every_form_without_its_csrf_token_is_refused_and_changes_nothing(
    client, people, method, path
):
    csrf = await signed_in(client, "ada@x.org")
    before = _state()
    for token in (None, "", "wrong-" + csrf):
        response = await call(client, method, fill(path, people), token)
        assert response.status == 403, (path, token)
        assert "out of date" in await response.text()
    after = _state()
    assert after == before
    assert (await client.get("/staff/password")).status == 200  # still signed in


def _state() -> tuple:
    with session_scope() as db:
        return (
            db.scalar(select(func.count()).select_from(Comment)),
            db.scalar(select(func.count()).select_from(Review)),
            tuple(db.scalars(select(StatementVersion.status).order_by(StatementVersion.id))),
            db.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action.in_(CHANGES))
            ),
        )


CHANGES = ["candidate_created", "account_created", "account_disabled", "password_changed",
           "logged_out", "invite_reissued"]  # fmt: skip


async def test_the_login_form_needs_its_token_and_a_same_site_origin(client, people):
    response = await client.post(
        "/staff/login", data={"email": "sam@x.org", "password": PASSWORD},
        headers=origin(client), allow_redirects=False,
    )  # fmt: skip
    assert response.status == 403
    page = await client.get("/staff/login")
    token = CSRF.search(await page.text()).group(1)
    response = await client.post(
        "/staff/login", data={"csrf": token, "email": "sam@x.org", "password": PASSWORD},
        headers={"Origin": "https://evil.example"}, allow_redirects=False,
    )  # fmt: skip
    assert response.status == 403


async def test_wrong_passwords_block_the_account_from_here_with_the_same_answer(client, people):
    answers = set()
    for _ in range(5):
        response = await log_in(client, "sam@x.org", "not the password")
        assert response.status == 401
        answers.add(html.unescape(await response.text()).count(accounts.REFUSED))
    response = await log_in(client, "sam@x.org")  # the right password, from here
    assert response.status == 401
    assert accounts.REFUSED in html.unescape(await response.text())
    assert answers == {1}


async def test_a_wrong_password_keeps_the_email_in_its_box_escaped(client, people):
    response = await log_in(client, "sam@x.org", "not the password")
    assert 'name="email" type="email"' in (page := await response.text())
    assert 'value="sam@x.org"' in page
    response = await log_in(client, '"><script>x</script>@x.org', "nope")
    assert "<script>x</script>" not in await response.text()


async def test_a_refusal_on_a_staff_page_leads_back_to_the_staff_pages(client, people):
    await signed_in(client, "tom@x.org")  # a trainer, on a caseworker's page
    response = await client.get("/staff/caseload")
    page = await response.text()
    assert response.status == 403 and '<a href="/staff">Back to the staff pages</a>' in page
    elsewhere = await client.get("/no/such/page")
    assert '<a href="/">Back to the start</a>' in await elsewhere.text()


async def test_logging_out_ends_the_session(client, people):
    csrf = await signed_in(client, "sam@x.org")
    response = await client.post(
        "/staff/logout", data={"csrf": csrf}, headers=origin(client), allow_redirects=False
    )
    assert response.status == 200
    response = await client.get("/staff/caseload", allow_redirects=False)
    assert response.status == 303


async def test_a_changed_password_works_and_the_old_one_does_not(
    client, aiohttp_client, config, people
):
    elsewhere = await aiohttp_client(create_app(config))
    await signed_in(elsewhere, "sam@x.org")
    csrf = await signed_in(client, "sam@x.org")
    new = "a different long password"
    response = await client.post(
        "/staff/password", data={"csrf": csrf, "current": PASSWORD, "new": new, "repeat": new},
        headers=origin(client),
    )  # fmt: skip
    assert response.status == 200 and "Password changed" in await response.text()
    assert (await client.get("/staff/caseload", allow_redirects=False)).status == 200
    # Signed in somewhere else with the old password: that browser is signed out.
    assert (await elsewhere.get("/staff/caseload", allow_redirects=False)).status == 303
    assert (await log_in(client, "sam@x.org")).status == 401
    assert (await log_in(client, "sam@x.org", new)).status == 303


async def test_the_review_loop_over_http_with_audit(client, people):
    csrf = await signed_in(client, "sam@x.org")
    case = people["sams_case"]
    page = await client.get(f"/staff/candidates/{case}")
    body = await page.text()
    assert "Alex" in body and "Request changes" in body and "Approve version 1" in body
    await call(client, "POST", f"/staff/candidates/{case}/comments", csrf)
    await call(client, "POST", f"/staff/candidates/{case}/request-changes", csrf)
    page = await (await client.get(f"/staff/candidates/{case}")).text()
    assert "More on what changed." in page and "changes requested" in page
    assert "nothing to decide" in page
    response = await call(client, "POST", f"/staff/candidates/{case}/approve", csrf)
    assert response.status == 400 and "Nothing was saved" in await response.text()
    sender = _sender(case)
    from bot.store import drafts

    with session_scope() as db:
        drafts.save_parts(db, sender, {"feelings_now": "I regret it. I learned to ask for help."})
    from tests.review_helpers import submit

    submit(sender)
    page = await (await client.get(f"/staff/candidates/{case}?from=1&to=2")).text()
    assert "<ins>learned" in page or "<ins>" in page
    response = await client.post(
        f"/staff/candidates/{case}/approve", data={"csrf": csrf, "version": "2", "confirm": "yes"},
        headers=origin(client), allow_redirects=False,
    )  # fmt: skip
    assert response.status == 303
    assert latest(sender).status == VersionStatus.APPROVED
    docx = await client.get(f"/staff/candidates/{case}/export.docx")
    assert docx.status == 200
    assert "I learned to ask for help." in export.docx_text(await docx.read())
    text = await (await client.get(f"/staff/candidates/{case}/export.txt")).text()
    assert text.startswith("Disclosure statement") and "I learned to ask for help." in text
    with session_scope() as db:
        logged = [(e.actor, e.action) for e in db.scalars(select(AuditEvent))]
    for action in (
        "candidate_viewed",
        "comment_added",
        "changes_requested",
        "approved",
        "exported",
    ):
        assert ("sam@x.org", action) in logged, action


def _sender(key_id: int) -> str:
    from tests.review_helpers import sender_of

    return sender_of(key_id)


async def test_user_text_is_escaped_on_every_staff_page(client, people):
    csrf = await signed_in(client, "ada@x.org")
    add_case("ada@x.org", "<script>alert(1)</script>")
    nasty = "<img src=x onerror=alert(1)>"
    case = people["sams_case"]
    await client.post(
        f"/staff/candidates/{case}/comments",
        data={"csrf": csrf, "version": "1", "part": "what_happened", "body": nasty},
        headers=origin(client),
    )  # fmt: skip
    for path in ("/staff/caseload", f"/staff/candidates/{case}", "/staff/audit", "/staff/overview"):
        body = await (await client.get(path)).text()
        assert "<script>alert" not in body and "<img src=x" not in body, path


NEW, COMMENT = "/staff/candidates", "/staff/candidates/{own}/comments"
CHANGES_FORM, ACCOUNTS = "/staff/candidates/{own}/request-changes", "/staff/accounts"
PASSWORD_FORM = "/staff/password"


@pytest.mark.parametrize(
    ("path", "data", "status", "says"),
    [
        (NEW, {"name": ""}, 400, "first name"),
        (NEW, {"name": "x" * 5000}, 413, "too long"),
        (COMMENT, {"version": "1", "part": "x", "body": "hi"}, 400, "part"),
        (COMMENT, {"version": "1", "part": "circumstances", "body": " "}, 400, "empty"),
        (COMMENT, {"version": "7", "part": "circumstances", "body": "hi"}, 404, "no such"),
        (COMMENT, {"version": "one", "part": "circumstances", "body": "hi"}, 400, "number"),
        (COMMENT, {"version": "1", "part": "circumstances", "body": "x" * 9000}, 413, "too long"),
        (CHANGES_FORM, {"version": "1", "message": ""}, 400, "message"),
        (ACCOUNTS, {"email": "bad", "role": "caseworker", "password": PASSWORD}, 400, "email"),
        (ACCOUNTS, {"email": "a@x.org", "role": "god", "password": PASSWORD}, 400, "role"),
        (PASSWORD_FORM, {"current": PASSWORD, "new": "short", "repeat": "short"}, 400, "at least"),
        (PASSWORD_FORM, {"current": PASSWORD, "new": PASSWORD + "1", "repeat": "no"}, 400, "same"),
    ],
)  # fmt: skip
async def test_bad_form_input_gets_a_clear_message(client, people, path, data, status, says):
    csrf = await signed_in(client, "ada@x.org")
    response = await client.post(
        fill(path, people), data={**data, "csrf": csrf}, headers=origin(client),
        allow_redirects=False,
    )  # fmt: skip
    assert response.status == status
    assert says in (await response.text()), await response.text()
    assert "Traceback" not in await response.text()


async def test_an_admin_adds_and_disables_accounts_and_reads_the_audit_csv(client, people):
    csrf = await signed_in(client, "ada@x.org")
    response = await call(client, "POST", "/staff/accounts", csrf)
    assert response.status == 303
    assert (await log_in(client, "new@x.org")).status == 303  # the new account works
    csrf = await signed_in(client, "ada@x.org")
    response = await call(client, "POST", f"/staff/accounts/{people['kim']}/active", csrf)
    assert response.status == 303
    assert (await log_in(client, "kim@x.org")).status == 401
    csrf = await signed_in(client, "ada@x.org")
    response = await client.post(
        f"/staff/accounts/{people['ada']}/active", data={"csrf": csrf, "active": "no"},
        headers=origin(client),
    )  # fmt: skip
    assert response.status == 400 and "your own account" in await response.text()
    for bad in ("99999", "9" * 30, "x"):
        response = await client.post(
            f"/staff/accounts/{bad}/active", data={"csrf": csrf, "active": "no"},
            headers=origin(client),
        )  # fmt: skip
        assert response.status == 404, bad
    csv_text = await (await client.get("/staff/audit.csv")).text()
    assert csv_text.startswith("at,actor,action")
    for line in (
        "ada@x.org,account_created",
        "ada@x.org,account_disabled",
        "kim@x.org,login_failed",
    ):
        assert line in csv_text, line
    page = await (await client.get("/staff/audit")).text()
    assert "account_disabled" in page


async def test_the_caseload_filters_and_creates_a_candidate_with_an_invite(client, people):
    csrf = await signed_in(client, "sam@x.org")
    page = shown_text(await (await client.get("/staff/caseload?status=submitted")).text())
    assert "Alex" in page and "Jo" not in page
    page = await (await client.get("/staff/caseload?status=approved")).text()
    assert "No candidates match" in page
    assert (await client.get("/staff/caseload?status=bogus")).status == 400
    response = await client.post(
        "/staff/candidates", data={"csrf": csrf, "name": "Robin"}, headers=origin(client)
    )
    token = re.search(r"http://\S+/invite/([\w-]+)<", await response.text()).group(1)
    opened = await use_invite(client, token)
    assert opened.status == 200 and 'href="/chat"' in await opened.text()
    page = shown_text(await (await client.get("/staff/caseload?q=rob")).text())
    assert "Robin" in page and "Not started" in page and "Alex" not in page


async def test_the_overview_draws_its_charts(client, people):
    await signed_in(client, "sam@x.org")
    page = await (await client.get("/staff/overview")).text()
    assert page.count("<svg") >= 1 and "Candidates by status" in page
    assert "Submitted: 1" in page and "no approvals yet" in page


async def test_the_candidate_is_told_of_a_decision_and_downloads_only_their_own_approved_statement(
    client, aiohttp_client, config, people
):
    from tests.review_helpers import add_case, write

    _, token, sender = add_case("sam@x.org", "Sky")
    assert (await use_invite(client, token)).status == 200
    assert await (await client.get("/api/review")).json() == {"waiting": False}
    write(sender)
    for fmt in ("docx", "txt"):
        response = await client.get(f"/api/statement/approved.{fmt}")
        assert response.status == 404
        assert "no approved statement" in (await response.json())["error"]
    from tests.review_helpers import submit

    submit(sender)
    staff = await aiohttp_client(create_app(config))
    csrf = await signed_in(staff, "sam@x.org")
    listing = await (await staff.get("/staff/caseload")).text()
    case = int(re.search(r"/staff/candidates/(\d+)\">Sky", listing).group(1))
    await staff.post(
        f"/staff/candidates/{case}/approve", data={"csrf": csrf, "version": "1", "confirm": "yes"},
        headers=origin(staff),
    )  # fmt: skip
    assert await (await client.get("/api/review")).json() == {"waiting": True}
    body = await (await client.get("/api/statement")).json()
    assert body["approved_version"] == 1
    docx = await client.get("/api/statement/approved.docx")
    assert docx.status == 200 and "attachment" in docx.headers["Content-Disposition"]
    assert "I regret it and I take full responsibility." in export.docx_text(await docx.read())
    # Another candidate's session gets nothing of Sky's.
    other = await aiohttp_client(create_app(config))
    _, other_token, _ = add_case("sam@x.org", "River")
    await use_invite(other, other_token)
    assert (await other.get("/api/statement/approved.docx")).status == 404
    assert (await other.get("/staff/caseload", allow_redirects=False)).status == 303
    with session_scope() as db:
        logged = [(e.actor, e.action) for e in db.scalars(select(AuditEvent))]
    assert ("candidate", "exported") in logged


async def test_a_refused_comment_comes_back_in_its_box(client, people):
    csrf = await signed_in(client, "sam@x.org")
    typed = "A long comment. " * 150  # over 2,000 characters
    response = await client.post(
        f"/staff/candidates/{people['sams_case']}/comments",
        data={"csrf": csrf, "version": "1", "part": "circumstances", "body": typed},
        headers=origin(client),
    )  # fmt: skip
    page = await response.text()
    assert response.status == 400 and "at most 2000 characters" in page
    assert re.search(r'id="c-circumstances"[^>]*>' + re.escape(typed) + "</textarea>", page)
