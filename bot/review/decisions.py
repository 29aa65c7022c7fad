"""Submitting a statement, a caseworker's comments and decisions, and showing those
decisions to the candidate in the chat.

A decision is about one exact version. Approving locks it (bot.store.models
refuses any later change); the candidate's next edit is a new draft.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.parts import PARTS
from bot.review.audit import record
from bot.review.caseload import latest_version
from bot.store.drafts import audit as candidate_audit
from bot.store.drafts import find_candidate
from bot.store.models import (
    Account,
    Comment,
    Decision,
    Review,
    Statement,
    StatementVersion,
    VersionStatus,
    utcnow,
)

MAX_COMMENT = 2000
# What the chat page sends when a decision is waiting to be shown (chat.js).
REVIEW_PAYLOAD = "/review_feedback"


class ReviewError(ValueError):
    """A comment or decision that cannot be made; the message says why."""


class Submitted(str, enum.Enum):
    """What happened when the candidate asked to submit (each has its own reply)."""

    SUBMITTED = "submitted"
    NOT_SAVED = "not_saved"  # no consent to saving, so nothing to send
    INCOMPLETE = "incomplete"
    ALREADY_SUBMITTED = "already_submitted"
    ALREADY_APPROVED = "already_approved"


def submit(session: Session, sender_id: str, has_caseworker: bool) -> Submitted:
    """Send the candidate's latest version for review."""
    candidate = find_candidate(session, sender_id)
    version = latest_version(candidate)
    if candidate is None or not has_caseworker:
        return Submitted.NOT_SAVED
    if version is None or not all(getattr(version, p).strip() for p in PARTS):
        return Submitted.INCOMPLETE
    if version.status == VersionStatus.APPROVED:
        return Submitted.ALREADY_APPROVED
    if version.status == VersionStatus.SUBMITTED:
        return Submitted.ALREADY_SUBMITTED
    version.status, version.submitted_at = VersionStatus.SUBMITTED, utcnow()
    candidate_audit(session, "statement_submitted", candidate, version=version.number)
    return Submitted.SUBMITTED


def versions_of(statement: Statement) -> list[StatementVersion]:
    """Versions that hold any text, oldest first."""
    return [v for v in statement.versions if any(getattr(v, p).strip() for p in PARTS)]


def version_under_review(versions: Sequence[StatementVersion]) -> StatementVersion | None:
    """What the review page opens on: the newest version sent for review (or decided),
    else the newest version."""
    for version in reversed(versions):
        if version.status != VersionStatus.DRAFT:
            return version
    return versions[-1] if versions else None


def comments_on(session: Session, version: StatementVersion) -> dict[str, list[Comment]]:
    found = session.scalars(
        select(Comment).where(Comment.version_id == version.id).order_by(Comment.id)
    ).all()
    by_part: dict[str, list[Comment]] = {p: [] for p in PARTS}
    for comment in found:
        by_part.setdefault(comment.part, []).append(comment)
    return by_part


def earlier_comments(
    session: Session, version: StatementVersion
) -> dict[str, tuple[int, list[Comment]]]:
    """For each part, the comments on the newest earlier version that had some,
    with that version's number: what the caseworker asked for, to check against
    the new text."""
    found: dict[str, tuple[int, list[Comment]]] = {}
    earlier = [v for v in version.statement.versions if v.number < version.number]
    for older in reversed(earlier):
        for part, comments in comments_on(session, older).items():
            if comments and part not in found:
                found[part] = (older.number, comments)
    return found


def reviews_of(session: Session, versions: Sequence[StatementVersion]) -> list[Review]:
    return list(
        session.scalars(
            select(Review)
            .where(Review.version_id.in_([v.id for v in versions]))
            .order_by(Review.id)
        )
    )


def add_comment(
    session: Session, account: Account, version: StatementVersion, part: str, body: str
) -> Comment:
    if part not in PARTS:
        raise ReviewError("That is not a part of the statement.")
    body = body.strip()
    if not body:
        raise ReviewError("The comment is empty.")
    if len(body) > MAX_COMMENT:
        raise ReviewError(f"A comment can be at most {MAX_COMMENT} characters.")
    comment = Comment(version_id=version.id, part=part, body=body, author_id=account.id)
    session.add(comment)
    session.flush()
    record(
        session, account.email, "comment_added", _candidate_id(version),
        version=version.number, part=part,
    )  # fmt: skip
    return comment


def request_changes(
    session: Session, account: Account, version: StatementVersion, message: str
) -> Review:
    message = message.strip()
    if not message:
        raise ReviewError("Please write a message saying what to change.")
    if len(message) > MAX_COMMENT:
        raise ReviewError(f"The message can be at most {MAX_COMMENT} characters.")
    return _decide(session, account, version, Decision.CHANGES_REQUESTED, message)


def approve(session: Session, account: Account, version: StatementVersion) -> Review:
    return _decide(session, account, version, Decision.APPROVED, "")


def _decide(
    session: Session, account: Account, version: StatementVersion, decision: Decision, message: str
) -> Review:
    if version.status != VersionStatus.SUBMITTED:
        raise ReviewError(
            "Only a version the candidate has submitted can be decided on, and only once."
        )
    version.status = VersionStatus(decision.value)
    review = Review(version=version, decision=decision, message=message, reviewer_id=account.id)
    session.add(review)
    session.flush()
    record(session, account.email, decision.value, _candidate_id(version), version=version.number)
    return review


def approved_version(session: Session, sender_id: str) -> StatementVersion | None:
    """The candidate's most recently approved version of any statement, if any."""
    candidate = find_candidate(session, sender_id)
    if candidate is None:
        return None
    return session.scalar(
        select(StatementVersion)
        .join(Statement)
        .where(
            Statement.candidate_id == candidate.id,
            StatementVersion.status == VersionStatus.APPROVED,
        )
        .order_by(StatementVersion.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class ReviewNotice:
    """A decision the candidate has not been shown yet, as the chat tells it."""

    review_id: int
    decision: str
    message: str
    version: int
    comments: dict[str, list[str]]  # part -> comment texts, only parts with comments

    def parts_to_work_on(self) -> list[str]:
        return [p for p in PARTS if self.comments.get(p)]


def unseen_review(session: Session, sender_id: str) -> ReviewNotice | None:
    """The newest decision on this candidate's statements not yet shown in the chat."""
    candidate = find_candidate(session, sender_id)
    if candidate is None:
        return None
    review = session.scalar(
        select(Review)
        .join(StatementVersion)
        .join(Statement)
        .where(Statement.candidate_id == candidate.id, Review.shown_at.is_(None))
        .order_by(Review.id.desc())
        .limit(1)
    )
    if review is None:
        return None
    comments = {
        part: [c.body for c in found]
        for part, found in comments_on(session, review.version).items()
        if found
    }
    return ReviewNotice(
        review_id=review.id,
        decision=review.decision.value,
        message=review.message,
        version=review.version.number,
        comments=comments,
    )


def mark_shown(session: Session, sender_id: str) -> None:
    """Every decision on this candidate's statements has now been shown in the chat."""
    candidate = find_candidate(session, sender_id)
    if candidate is None:
        return
    reviews = session.scalars(
        select(Review)
        .join(StatementVersion)
        .join(Statement)
        .where(Statement.candidate_id == candidate.id, Review.shown_at.is_(None))
    ).all()
    for review in reviews:
        review.shown_at = utcnow()


def _candidate_id(version: StatementVersion) -> int:
    return version.statement.candidate_id


@dataclass(frozen=True)
class StatementStatus:
    """Where the candidate's statement stands, as the chat page's panel shows it."""

    status: str  # VersionStatus value of the latest version
    submitted_at: datetime | None
    comments: dict[str, list[str]]  # the caseworker's, from the last version commented on


def statement_status(session: Session, sender_id: str) -> StatementStatus | None:
    """The latest version's status and the caseworker's latest comments; None if the
    candidate has nothing saved."""
    candidate = find_candidate(session, sender_id)
    version = latest_version(candidate)
    if candidate is None or version is None:
        return None
    comments: dict[str, list[str]] = {}
    for earlier in reversed(candidate.statements[-1].versions):
        found = {p: [c.body for c in cs] for p, cs in comments_on(session, earlier).items() if cs}
        if found:
            comments = found
            break
    return StatementStatus(version.status.value, version.submitted_at, comments)
