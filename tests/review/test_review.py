"""The caseworker review rules (bot/review) on a real, migrated database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.review import accounts, audit, caseload, decisions, export, overview
from bot.review.diff import part_change
from bot.store import drafts
from bot.store.db import session_scope
from bot.store.flags import raise_flag
from bot.store.models import (
    Account,
    ApprovedVersionLocked,
    AuditEvent,
    Role,
    StatementVersion,
    VersionStatus,
    utcnow,
)
from bot.web.charts import bar_chart
from tests.review_helpers import (
    FULL,
    PASSWORD,
    add_account,
    add_case,
    submit,
    submitted_case,
    write,
)

pytestmark = pytest.mark.usefixtures("database_url")


def actions_logged() -> list[tuple[str, str]]:
    with session_scope() as db:
        return [(e.actor, e.action) for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]


# --- accounts ---------------------------------------------------------------------


@pytest.mark.real_password_cost
def test_passwords_are_stored_as_argon2_hashes_and_checked():
    add_account("Sam@Example.org")
    with session_scope() as db:
        account = accounts.find_account(db, "sam@example.org")
        # argon2id at argon2-cffi's default cost: 64 MiB, 3 passes, 4 lanes.
        assert account.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        assert PASSWORD not in account.password_hash
        assert accounts.log_in(db, " SAM@example.org ", PASSWORD, HOME).id == account.id


@pytest.mark.parametrize(
    ("email", "role", "password", "problem"),
    [
        ("not an email", "caseworker", PASSWORD, "valid email"),
        ("a@example.org", "boss", PASSWORD, "role"),
        ("a@example.org", "admin", "short", "at least 12"),
        ("a@example.org", "admin", "x" * 300, "at most 256"),
    ],
)
def test_bad_account_input_is_refused_with_a_reason(email, role, password, problem):
    with pytest.raises(accounts.AccountError, match=problem), session_scope() as db:
        accounts.add_account(db, email, role, password, by="test")


def test_an_email_has_one_account():
    add_account("sam@example.org")
    with pytest.raises(accounts.AccountError, match="already"), session_scope() as db:
        accounts.add_account(db, "SAM@example.org", "admin", PASSWORD, by="test")


HOME, ELSEWHERE = "192.0.2.10", "2001:db8:1:2::/64"


def _try(email: str, password: str, now=None, client: str = HOME) -> str:
    with session_scope() as db:
        try:
            accounts.log_in(db, email, password, client, now=now)
            return "in"
        except accounts.LoginRefused as refused:
            db.commit()
            return str(refused)


def test_five_wrong_passwords_block_that_account_from_that_place_only_for_fifteen_minutes():
    """A guesser is slowed down; the owner, signing in from elsewhere, is not."""
    add_account("sam@example.org")
    said = [_try("sam@example.org", "wrong password!") for _ in range(5)]
    assert said == [accounts.REFUSED] * 5
    assert _try("sam@example.org", PASSWORD) == accounts.REFUSED  # even the right one, here
    assert _try("sam@example.org", PASSWORD, client=ELSEWHERE) == "in"
    later = utcnow() + accounts.LOCKOUT + timedelta(seconds=1)
    assert _try("sam@example.org", PASSWORD, now=later) == "in"
    assert ("sam@example.org", "login_blocked_from_here") in actions_logged()


def test_every_refusal_reads_the_same_known_or_not_blocked_or_not():
    add_account("sam@example.org")
    add_account("kim@example.org")
    with session_scope() as db:
        accounts.set_active(db, accounts.find_account(db, "sam@example.org"), False, by="test")
    for _ in range(5):
        _try("kim@example.org", "wrong password!")
    answers = {
        _try("sam@example.org", PASSWORD),  # disabled
        _try("nobody@example.org", PASSWORD),  # unknown
        _try("kim@example.org", "wrong password!"),  # blocked from here
        _try("kim@example.org", "wrong password!", client=ELSEWHERE),  # plain wrong
    }
    assert answers == {accounts.REFUSED}


def test_changing_a_password_needs_the_current_one():
    add_account("sam@example.org")
    with pytest.raises(accounts.AccountError, match="current"), session_scope() as db:
        account = accounts.find_account(db, "sam@example.org")
        accounts.change_password(db, account, "not it at all", "a brand new password")
    with session_scope() as db:
        account = accounts.find_account(db, "sam@example.org")
        accounts.change_password(db, account, PASSWORD, "a brand new password")
    assert _try("sam@example.org", PASSWORD) != "in"
    assert _try("sam@example.org", "a brand new password") == "in"
    assert ("sam@example.org", "password_changed") in actions_logged()


def test_disabling_an_account_ends_its_sessions():
    add_account("sam@example.org")
    with session_scope() as db:
        account = accounts.find_account(db, "sam@example.org")
        token, _ = accounts.start_staff_session(db, account)
    with session_scope() as db:
        assert accounts.find_staff_session(db, token) is not None
        accounts.set_active(db, accounts.find_account(db, "sam@example.org"), False, by="admin")
    with session_scope() as db:
        assert accounts.find_staff_session(db, token) is None


# --- caseload and access ----------------------------------------------------------


def test_each_caseworker_sees_only_their_own_candidates_and_admins_see_all():
    for email, role in [("sam@x.org", "caseworker"), ("kim@x.org", "caseworker"),
                        ("ada@x.org", "admin"), ("tom@x.org", "trainer")]:  # fmt: skip
        add_account(email, role)
    sams, _, _ = add_case("sam@x.org", "Alex")
    kims, _, _ = add_case("kim@x.org", "Jo")
    with session_scope() as db:
        sam, kim, ada, tom = (
            accounts.find_account(db, e)
            for e in ("sam@x.org", "kim@x.org", "ada@x.org", "tom@x.org")
        )
        assert [c.name for c in caseload.caseload(db, sam)] == ["Alex"]
        assert [c.name for c in caseload.caseload(db, kim)] == ["Jo"]
        assert {c.name for c in caseload.caseload(db, ada)} == {"Alex", "Jo"}
        assert caseload.caseload(db, tom) == []
        assert caseload.visible_case(db, sam, sams) is not None
        assert caseload.visible_case(db, sam, kims) is None
        assert caseload.visible_case(db, ada, kims) is not None
        assert caseload.visible_case(db, tom, sams) is None
        assert caseload.visible_case(db, sam, 99999) is None


def test_the_caseload_shows_status_flags_newest_first_and_filters():
    add_account("sam@x.org")
    add_case("sam@x.org", "Not Started")
    _, _, writing = add_case("sam@x.org", "Writing")
    write(writing, {"what_happened": "I stole."})
    submitted_case("sam@x.org", "Sent")
    with session_scope() as db:
        raise_flag(db, writing, "disclosure_form:feelings_now")
        sam = accounts.find_account(db, "sam@x.org")
        cases = caseload.caseload(db, sam)
        assert [(c.name, c.status, c.safety_flags) for c in cases] == [
            ("Sent", "submitted", 0),
            ("Writing", "in_progress", 1),
            ("Not Started", "not_started", 0),
        ]
        assert [c.name for c in caseload.caseload(db, sam, search="writ")] == ["Writing"]
        assert [c.name for c in caseload.caseload(db, sam, status="not_started")] == ["Not Started"]
        assert caseload.caseload(db, sam, search="nobody") == []


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_a_candidate_needs_a_short_name(name):
    add_account("sam@x.org")
    with pytest.raises(caseload.CaseError), session_scope() as db:
        caseload.create_case(db, accounts.find_account(db, "sam@x.org"), name)


# --- submitting and deciding ------------------------------------------------------


def test_only_a_complete_statement_with_a_caseworker_can_be_submitted():
    add_account("sam@x.org")
    _, _, sender = add_case("sam@x.org")
    assert submit(sender) == decisions.Submitted.NOT_SAVED  # no consent yet
    write(sender, {"what_happened": "I stole."})
    assert submit(sender) == decisions.Submitted.INCOMPLETE
    write(sender, FULL)
    with session_scope() as db:
        assert decisions.submit(db, sender, has_caseworker=False) == decisions.Submitted.NOT_SAVED
    assert submit(sender) == decisions.Submitted.SUBMITTED
    assert submit(sender) == decisions.Submitted.ALREADY_SUBMITTED
    assert ("candidate", "statement_submitted") in actions_logged()


def _version(db, sender: str) -> StatementVersion:
    return caseload.latest_version(drafts.find_candidate(db, sender))


def test_request_changes_then_edit_resubmit_and_approve():
    add_account("sam@x.org")
    _, _, sender = submitted_case("sam@x.org")
    with session_scope() as db:
        sam = accounts.find_account(db, "sam@x.org")
        version = _version(db, sender)
        decisions.add_comment(db, sam, version, "feelings_now", "Say what you learned.")
        decisions.request_changes(db, sam, version, "Nearly there: see my comment.")
    with session_scope() as db:
        notice = decisions.unseen_review(db, sender)
        assert notice.decision == "changes_requested"
        assert notice.message == "Nearly there: see my comment."
        assert notice.parts_to_work_on() == ["feelings_now"]
        assert notice.comments == {"feelings_now": ["Say what you learned."]}
        decisions.mark_shown(db, sender)
    with session_scope() as db:
        assert decisions.unseen_review(db, sender) is None
        drafts.save_parts(db, sender, {"feelings_now": "I regret it. I learned to ask for help."})
    assert submit(sender) == decisions.Submitted.SUBMITTED
    with session_scope() as db:
        version = _version(db, sender)
        assert version.number == 2
        decisions.approve(db, accounts.find_account(db, "sam@x.org"), version)
    with session_scope() as db:
        assert decisions.unseen_review(db, sender).decision == "approved"
        assert decisions.approved_version(db, sender).number == 2
        assert submit(sender) == decisions.Submitted.ALREADY_APPROVED
    logged = actions_logged()
    for action in ("comment_added", "changes_requested", "approved"):
        assert ("sam@x.org", action) in logged


def test_a_decision_needs_a_submitted_version_and_a_message_for_changes():
    add_account("sam@x.org")
    _, _, sender = add_case("sam@x.org")
    write(sender)
    with session_scope() as db:
        sam = accounts.find_account(db, "sam@x.org")
        version = _version(db, sender)
        with pytest.raises(decisions.ReviewError, match="submitted"):
            decisions.approve(db, sam, version)
    submit(sender)
    with session_scope() as db:
        sam = accounts.find_account(db, "sam@x.org")
        version = _version(db, sender)
        with pytest.raises(decisions.ReviewError, match="message"):
            decisions.request_changes(db, sam, version, "   ")
        with pytest.raises(decisions.ReviewError, match="empty"):
            decisions.add_comment(db, sam, version, "feelings_now", "")
        with pytest.raises(decisions.ReviewError, match="part"):
            decisions.add_comment(db, sam, version, "nonsense", "hello")
        decisions.approve(db, sam, version)
        with pytest.raises(decisions.ReviewError, match="only once"):
            decisions.approve(db, sam, version)


def test_an_approved_version_never_changes_and_a_later_edit_is_a_new_draft():
    add_account("sam@x.org")
    _, _, sender = submitted_case("sam@x.org")
    with session_scope() as db:
        version = _version(db, sender)
        decisions.approve(db, accounts.find_account(db, "sam@x.org"), version)
        approved_id = version.id
    with pytest.raises(ApprovedVersionLocked), session_scope() as db:
        db.get(StatementVersion, approved_id).feelings_now = "Something else"
    with pytest.raises(ApprovedVersionLocked), session_scope() as db:
        db.get(StatementVersion, approved_id).status = VersionStatus.DRAFT
    with session_scope() as db:
        drafts.save_parts(db, sender, {"aspirations": "I want to drive a van."})
    with session_scope() as db:
        approved = db.get(StatementVersion, approved_id)
        assert approved.status == VersionStatus.APPROVED
        assert approved.aspirations == FULL["aspirations"]
        newest = _version(db, sender)
        assert (newest.number, newest.status) == (2, VersionStatus.DRAFT)
        assert decisions.approved_version(db, sender).id == approved_id
        sam = accounts.find_account(db, "sam@x.org")
        cases = caseload.caseload(db, sam)
        assert cases[0].status == "in_progress"


def test_deleting_a_candidate_still_removes_approved_versions():
    add_account("sam@x.org")
    _, _, sender = submitted_case("sam@x.org")
    with session_scope() as db:
        decisions.approve(db, accounts.find_account(db, "sam@x.org"), _version(db, sender))
    with session_scope() as db:
        assert drafts.delete_candidate(db, sender)
    with session_scope() as db:
        assert db.scalars(select(StatementVersion)).all() == []


# --- diff, export, audit, overview ------------------------------------------------


def test_word_diff_marks_removed_and_added_words():
    pieces = part_change("I was young and stupid.", "I was young and I made a bad choice.").pieces
    assert ("removed", "stupid. ") in pieces
    assert ("added", "I made a bad choice.") in pieces
    assert "".join(t for k, t in pieces if k != "added").strip() == "I was young and stupid."
    assert "".join(t for k, t in pieces if k != "removed") == "I was young and I made a bad choice."
    assert part_change("same", "same").pieces == [("same", "same")]
    assert part_change("", "").pieces == []


def test_an_edited_part_keeps_its_spaces_and_a_rewritten_one_is_shown_whole():
    edited = part_change("I was young and stupid, and I hit him.",
                         "I was young and angry, and I hit him.")  # fmt: skip
    assert not edited.rewritten
    shown = "".join(text for _, text in edited.pieces)
    assert shown == "I was young and stupid, angry, and I hit him."  # spaces intact
    old = "It wasn't really my fault. I was with the wrong people."
    new = "At the time I was drinking every day and I owed money to a dealer."
    rewritten = part_change(old, new)
    assert rewritten.rewritten and rewritten.pieces == [("removed", old), ("added", new)]


def test_the_docx_and_text_exports_hold_the_four_parts_in_order():
    add_account("sam@x.org")
    _, _, sender = submitted_case("sam@x.org")
    with session_scope() as db:
        version = _version(db, sender)
        document = export.docx_text(export.as_docx(version))
        text = export.as_text(version)
    for exported in (document, text):
        positions = [exported.index(FULL[p]) for p in FULL]
        assert positions == sorted(positions)
        assert exported.startswith("Disclosure statement")


def test_the_audit_csv_has_every_event_and_defuses_formulas():
    with session_scope() as db:
        audit.record(db, '=HYPERLINK("http://evil")', "login_failed")
        audit.record(db, "sam@x.org", "exported", 3, format="docx", version=2)
    with session_scope() as db:
        rows = audit.as_csv(audit.recent(db)).splitlines()
    assert rows[0] == "at,actor,action,candidate_id,detail"
    assert rows[1].endswith(",sam@x.org,exported,3,format=docx; version=2")
    assert "'=HYPERLINK" in rows[2]


def test_the_overview_counts_statuses_days_to_approval_and_suggestions():
    add_account("sam@x.org")
    _, _, waiting = submitted_case("sam@x.org", "Waiting")
    _, _, done = submitted_case("sam@x.org", "Done")
    with session_scope() as db:
        drafts.save_parts(
            db, waiting, {"what_happened": "I got done for theft."},
            findings={"what_happened": [{"rule": "jargon", "kind": "suggestion"}]},
        )  # fmt: skip
        decisions.approve(db, accounts.find_account(db, "sam@x.org"), _version(db, done))
    with session_scope() as db:
        sam = accounts.find_account(db, "sam@x.org")
        cases = caseload.caseload(db, sam)
        started = (utcnow() - timedelta(days=3)).timestamp()
        figures = overview.overview(db, cases, {done: started})
    assert figures.by_status["Approved"] == 1 and figures.by_status["In progress"] == 1
    assert figures.median_days_to_approval == 3.0
    assert len(figures.top_suggestions) == 1 and figures.top_suggestions[0][1] == 1


def test_charts_are_inline_svg_with_escaped_labels():
    svg = bar_chart("By <status>", [("<script>x</script>", 3), ("Approved", 0)])
    assert svg.startswith("<svg") and "<script>" not in svg
    assert "&lt;script&gt;" in svg and 'aria-label="By &lt;status&gt;"' in svg


@pytest.mark.parametrize(
    ("days", "said"),
    [(3.04, "3 days"), (1.0, "1 day"), (2.6, "3 days"), (0.25, "6 hours"), (0.01, "1 hour")],
)
def test_a_median_wait_reads_in_whole_days_or_hours_under_a_day(days, said):
    assert overview.median_text(days) == said


def test_accounts_are_never_deleted_only_disabled():
    add_account("sam@x.org")
    with session_scope() as db:
        accounts.set_active(db, accounts.find_account(db, "sam@x.org"), False, by="ada@x.org")
    with session_scope() as db:
        assert db.scalars(select(Account)).one().active is False
    assert ("ada@x.org", "account_disabled") in actions_logged()
    assert Role("admin") is Role.ADMIN
