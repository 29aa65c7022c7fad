"""What the conversation does to a candidate's saved drafts.

Every function takes the sender id the server chose for the conversation. Without
consent there is no candidate row, and these functions save nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.commands import clean_text
from bot.parts import PARTS
from bot.store.audit import record
from bot.store.models import (
    Candidate,
    Statement,
    StatementVersion,
    VersionStatus,
    utcnow,
)

CANDIDATE_ACTOR = "candidate"


@dataclass(frozen=True)
class Draft:
    """The latest version of a candidate's current statement, as plain data."""

    sender_id: str
    statement_id: int
    version: int
    status: str
    parts: dict[str, str]
    created_at: datetime
    # Coaching findings on each part, as the candidate heard them (may be empty).
    findings: dict[str, list[dict]]

    def to_json(self) -> dict:
        return {
            "sender_id": self.sender_id,
            "statement_id": self.statement_id,
            "version": self.version,
            "status": self.status,
            "created_at": self.created_at.isoformat(),
            **self.parts,
            "findings": self.findings,
        }

    def answered(self) -> list[str]:
        """The parts that hold text, in order."""
        return [p for p in PARTS if self.parts.get(p, "").strip()]


def find_candidate(session: Session, sender_id: str) -> Candidate | None:
    return session.scalar(select(Candidate).where(Candidate.sender_id == sender_id))


def audit(session: Session, action: str, candidate: Candidate | None, **detail: object) -> None:
    """Record something the candidate did. `detail` must never hold statement text."""
    record(session, CANDIDATE_ACTOR, action, candidate.id if candidate else None, **detail)


def record_consent(session: Session, sender_id: str) -> Candidate:
    """Create the candidate record once they agree to saving (idempotent)."""
    candidate = find_candidate(session, sender_id)
    if candidate is None:
        candidate = Candidate(sender_id=sender_id, consent_given_at=utcnow())
        session.add(candidate)
        session.flush()
        audit(session, "consent_given", candidate)
    return candidate


def _current_statement(session: Session, candidate: Candidate) -> Statement:
    if candidate.statements:
        return candidate.statements[-1]
    statement = Statement(candidate=candidate)
    session.add(statement)
    session.flush()
    return statement


def _latest(statement: Statement) -> StatementVersion | None:
    return statement.versions[-1] if statement.versions else None


def _parts_of(version: StatementVersion | None) -> dict[str, str]:
    return {p: (getattr(version, p) if version else "") for p in PARTS}


def save_parts(
    session: Session,
    sender_id: str,
    changes: Mapping[str, str | None],
    findings: Mapping[str, list[dict]] | None = None,
) -> StatementVersion | None:
    """Save changed parts as a new version; the previous version is kept.

    `changes` maps part names to their new text (None or "" stores the part empty).
    Parts not in `changes` keep their latest saved text. `findings` are the coaching
    findings on changed parts; a changed part without them keeps none. Returns None,
    and saves nothing, for a sender who has not consented. Saving identical text
    adds no version.
    """
    candidate = find_candidate(session, sender_id)
    if candidate is None:
        return None
    unknown = set(changes) - set(PARTS)
    if unknown:
        raise ValueError(f"unknown part(s): {sorted(unknown)}")
    statement = _current_statement(session, candidate)
    latest = _latest(statement)
    parts = _parts_of(latest)
    parts.update({name: clean_text(text or "") for name, text in changes.items()})
    candidate.last_active_at = utcnow()
    if latest is not None and parts == _parts_of(latest):
        return latest
    notes = {
        part: found
        for part, found in dict(latest.findings if latest else {}).items()
        if part not in changes
    }
    notes.update({part: list(found) for part, found in (findings or {}).items() if found})
    version = StatementVersion(
        statement=statement,
        number=(latest.number + 1) if latest else 1,
        status=VersionStatus.DRAFT,
        source="chat",
        findings=notes,
        **parts,
    )
    session.add(version)
    session.flush()
    audit(session, "version_saved", candidate, statement_id=statement.id, version=version.number)
    return version


def start_again(session: Session, sender_id: str) -> Statement | None:
    """Begin a new, empty statement; the old one and its versions stay in the history."""
    candidate = find_candidate(session, sender_id)
    if candidate is None:
        return None
    statement = Statement(candidate=candidate)
    session.add(statement)
    session.flush()
    session.add(StatementVersion(statement=statement, number=1, findings={}, **_parts_of(None)))
    candidate.last_active_at = utcnow()
    audit(session, "statement_restarted", candidate, statement_id=statement.id)
    return statement


def latest_draft(session: Session, sender_id: str) -> Draft | None:
    """The latest version of the candidate's current statement, or None."""
    candidate = find_candidate(session, sender_id)
    if candidate is None or not candidate.statements:
        return None
    statement = candidate.statements[-1]
    version = _latest(statement)
    if version is None:
        return None
    return Draft(
        sender_id=sender_id,
        statement_id=statement.id,
        version=version.number,
        status=version.status.value,
        parts=_parts_of(version),
        created_at=version.created_at,
        findings=dict(version.findings or {}),
    )


def delete_candidate(session: Session, sender_id: str) -> bool:
    """Remove the candidate with every statement and version. True if anything existed."""
    candidate = find_candidate(session, sender_id)
    if candidate is None:
        return False
    audit(session, "candidate_data_deleted", candidate)
    session.delete(candidate)
    return True
