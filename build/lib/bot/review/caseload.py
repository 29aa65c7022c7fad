"""A caseworker's candidates: creating one, listing them with their status, and the
one access rule every caseworker page goes through (`visible_case`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.parts import PARTS
from bot.review.audit import record
from bot.store import access
from bot.store.drafts import find_candidate
from bot.store.models import (
    Account,
    Candidate,
    ConversationKey,
    KeyKind,
    Role,
    SafetyFlag,
    StatementVersion,
    VersionStatus,
    as_utc,
)

MAX_NAME = 80
# What the caseload shows, in the order a caseworker works through them.
STATUSES: dict[str, str] = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "submitted": "Submitted",
    "changes_requested": "Changes requested",
    "approved": "Approved",
}


class CaseError(ValueError):
    """Input that cannot make a candidate; the message says why."""


@dataclass(frozen=True)
class Case:
    """One line of a caseload."""

    key_id: int
    name: str
    caseworker: str
    status: str
    last_activity: datetime
    safety_flags: int
    added: datetime  # when the caseworker added them: tells two of one name apart
    candidate_id: int | None

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]


def sees_candidates(account: Account) -> bool:
    return account.role in (Role.CASEWORKER, Role.ADMIN)


def visible_case(session: Session, account: Account, key_id: int) -> ConversationKey | None:
    """The candidate's invite if this account may see them, else None. A caseworker
    sees their own candidates, an admin everyone's, a trainer no one's."""
    key = session.get(ConversationKey, key_id)
    if key is None or key.kind != KeyKind.INVITE or not sees_candidates(account):
        return None
    if account.role == Role.ADMIN or key.caseworker == account.email:
        return key
    return None


def create_case(session: Session, account: Account, name: str) -> tuple[str, ConversationKey]:
    """A new candidate on this caseworker's caseload; returns the invite token (shown once)."""
    name = " ".join(name.split())
    if not name:
        raise CaseError("Please give a first name or a pseudonym.")
    if len(name) > MAX_NAME:
        raise CaseError(f"The name can be at most {MAX_NAME} characters.")
    token, key = access.create_invite(session, account.email)
    key.name = name
    session.flush()
    record(session, account.email, "candidate_created", invite=key.id)
    return token, key


def new_invite_link(session: Session, account: Account, key: ConversationKey) -> str:
    """A fresh invite link for the same conversation; the old link stops working."""
    token = access.replace_invite_token(session, key)
    record(session, account.email, "invite_reissued", invite=key.id)
    return token


def status_of(version: StatementVersion | None) -> str:
    if version is None or not any(getattr(version, p).strip() for p in PARTS):
        return "not_started"
    if version.status == VersionStatus.DRAFT:
        return "in_progress"
    return version.status.value


def latest_version(candidate: Candidate | None) -> StatementVersion | None:
    if candidate is None or not candidate.statements:
        return None
    versions = candidate.statements[-1].versions
    return versions[-1] if versions else None


def caseload(session: Session, account: Account, search: str = "", status: str = "") -> list[Case]:
    """The candidates this account may see, newest activity first, optionally
    narrowed to names containing `search` and to one status."""
    if not sees_candidates(account):
        return []
    query = select(ConversationKey).where(ConversationKey.kind == KeyKind.INVITE)
    if account.role != Role.ADMIN:
        query = query.where(ConversationKey.caseworker == account.email)
    keys = session.scalars(query).all()
    flags: dict[str, int] = dict(
        session.execute(  # type: ignore[arg-type]
            select(SafetyFlag.sender_id, func.count())
            .where(SafetyFlag.sender_id.in_([k.sender_id for k in keys]))
            .group_by(SafetyFlag.sender_id)
        ).all()
    )
    cases = [_case(session, key, flags.get(key.sender_id, 0)) for key in keys]
    needle = search.strip().casefold()
    cases = [
        c
        for c in cases
        if (not needle or needle in c.name.casefold()) and (not status or c.status == status)
    ]
    return sorted(cases, key=lambda c: (c.last_activity, c.key_id), reverse=True)


def _case(session: Session, key: ConversationKey, flag_count: int) -> Case:
    candidate = find_candidate(session, key.sender_id)
    moments = [as_utc(key.created_at)]
    if candidate is not None:
        moments.append(as_utc(candidate.last_active_at))
    return Case(
        key_id=key.id,
        name=key.name or "(no name)",
        caseworker=key.caseworker,
        status=status_of(latest_version(candidate)),
        last_activity=max(moments),
        safety_flags=flag_count,
        candidate_id=candidate.id if candidate else None,
        added=as_utc(key.created_at),
    )
