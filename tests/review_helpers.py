"""Building caseloads for the review tests: accounts, invited candidates, versions."""

from __future__ import annotations

from bot.review import accounts, caseload, decisions
from bot.store import drafts
from bot.store.db import session_scope
from bot.store.models import Account, ConversationKey

PASSWORD = "a long enough password"
FULL = {
    "what_happened": "In 2019 I was convicted of theft from my employer.",
    "circumstances": "I was in debt and my mother was ill.",
    "feelings_now": "I regret it and I take full responsibility.",
    "aspirations": "I want to work in a warehouse and keep learning.",
}


def add_account(email: str, role: str = "caseworker", password: str = PASSWORD) -> int:
    with session_scope() as db:
        return accounts.add_account(db, email, role, password, by="test").id


def add_case(caseworker_email: str, name: str = "Alex") -> tuple[int, str, str]:
    """A candidate on the caseworker's caseload: (invite id, invite token, sender id)."""
    with session_scope() as db:
        account = accounts.find_account(db, caseworker_email)
        assert account is not None
        token, key = caseload.create_case(db, account, name)
        return key.id, token, key.sender_id


def write(sender_id: str, parts: dict[str, str] | None = None) -> None:
    """The candidate consents and saves the parts (a new version)."""
    with session_scope() as db:
        drafts.record_consent(db, sender_id)
        drafts.save_parts(db, sender_id, parts or FULL)


def submit(sender_id: str) -> decisions.Submitted:
    with session_scope() as db:
        return decisions.submit(db, sender_id, has_caseworker=True)


def submitted_case(caseworker_email: str, name: str = "Alex") -> tuple[int, str, str]:
    key_id, token, sender = add_case(caseworker_email, name)
    write(sender)
    assert submit(sender) == decisions.Submitted.SUBMITTED
    return key_id, token, sender


def latest(sender_id: str):
    with session_scope() as db:
        candidate = drafts.find_candidate(db, sender_id)
        return caseload.latest_version(candidate)


def sender_of(key_id: int) -> str:
    with session_scope() as db:
        return db.get(ConversationKey, key_id).sender_id


def account(email: str) -> Account:
    with session_scope() as db:
        found = accounts.find_account(db, email)
        assert found is not None
        return found
