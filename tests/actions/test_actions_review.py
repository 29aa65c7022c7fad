"""The review actions: sending the statement, and the caseworker's decision in the chat."""

from __future__ import annotations

import pytest

from actions.review import ActionShowReview, ActionSubmitStatement
from actions.statement import ActionSaveStatement
from bot.review import decisions
from bot.store.db import session_scope
from bot.store.models import VersionStatus
from tests.conftest import make_tracker, responses
from tests.review_helpers import FULL, account, add_account, add_case, latest, write

pytestmark = pytest.mark.usefixtures("database_url")


def invited(name: str = "Alex") -> str:
    add_account("sam@x.org")
    return add_case("sam@x.org", name)[2]


async def submit_in_chat(dispatcher, domain, sender: str, slots: dict) -> None:
    tracker = make_tracker(sender, slots={"consent": True, **slots}, intent="submit_statement")
    await ActionSubmitStatement().run(dispatcher, tracker, domain)


async def test_a_finished_statement_is_saved_and_sent(dispatcher, domain):
    sender = invited()
    write(sender, {"what_happened": FULL["what_happened"]})
    await submit_in_chat(dispatcher, domain, sender, FULL)  # the rest comes from the slots
    assert responses(dispatcher) == ["utter_submitted"]
    version = latest(sender)
    assert (
        version.status == VersionStatus.SUBMITTED and version.feelings_now == FULL["feelings_now"]
    )
    await submit_in_chat(dispatcher, domain, sender, FULL)
    assert responses(dispatcher)[-1] == "utter_submit_already_sent"


async def test_what_cannot_be_sent_says_why(dispatcher, domain):
    sender = invited()
    write(sender, {"what_happened": FULL["what_happened"]})
    await submit_in_chat(dispatcher, domain, sender, {"what_happened": FULL["what_happened"]})
    tracker = make_tracker(sender, slots={"consent": False, **FULL}, intent="submit_statement")
    await ActionSubmitStatement().run(dispatcher, tracker, domain)
    write("no-invite")  # a conversation without a caseworker (practice, or the shell)
    await submit_in_chat(dispatcher, domain, "no-invite", FULL)
    assert responses(dispatcher) == [
        "utter_submit_incomplete",
        "utter_submit_not_saved",
        "utter_submit_not_saved",
    ]
    assert latest("no-invite").status == VersionStatus.DRAFT


async def test_saving_offers_to_send_only_with_a_caseworker(dispatcher, domain):
    sender = invited()
    write(sender)
    write("practice")
    for who in (sender, "practice"):
        tracker = make_tracker(who, slots={"consent": True, **FULL})
        await ActionSaveStatement().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_statement_saved_for_review", "utter_statement_saved"]
    buttons = domain["responses"]["utter_statement_saved_for_review"][0]["buttons"]
    assert {"title": "Send to my caseworker", "payload": "/submit_statement"} in buttons


async def test_changes_requested_are_told_once_with_the_comments_and_part_buttons(
    dispatcher, domain
):
    sender = invited()
    write(sender)
    with session_scope() as db:
        decisions.submit(db, sender, has_caseworker=True)
    with session_scope() as db:
        version = db.merge(latest(sender))
        sam = db.merge(account("sam@x.org"))
        decisions.add_comment(db, sam, version, "feelings_now", "Say what you learned.")
        decisions.request_changes(db, sam, version, "Nearly there.")
    tracker = make_tracker(sender, slots={"consent": True, **FULL}, intent="review_feedback")
    await ActionShowReview().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == [
        "utter_review_changes",
        "utter_review_comments",
        "utter_review_work_on",
    ]
    assert (
        dispatcher.messages[0]["message"] == "Nearly there."
        and dispatcher.messages[0]["version"] == 1
    )
    assert "How I feel about it now: Say what you learned." in dispatcher.messages[1]["comments"]
    payloads = [b["payload"] for b in dispatcher.messages[2]["buttons"]]
    assert payloads == ['/go_back{"part": "feelings_now"}', "/stop"]
    await ActionShowReview().run(dispatcher, tracker, domain)  # shown once
    assert responses(dispatcher)[-1] == "utter_review_nothing_new"


async def test_an_approval_is_told_with_its_version(dispatcher, domain):
    sender = invited()
    write(sender)
    with session_scope() as db:
        decisions.submit(db, sender, has_caseworker=True)
    with session_scope() as db:
        decisions.approve(db, db.merge(account("sam@x.org")), db.merge(latest(sender)))
    tracker = make_tracker(sender, slots={"consent": True, **FULL}, intent="review_feedback")
    await ActionShowReview().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_review_approved"]
    assert dispatcher.messages[0]["version"] == 1
    assert "{version}" in domain["responses"]["utter_review_approved"][0]["text"]
