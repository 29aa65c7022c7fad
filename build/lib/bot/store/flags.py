"""Safety flags: the safety check fired, so the caseworker should follow up.

A flag records when and where in the conversation, never what was said.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.drafts import find_candidate
from bot.store.models import AuditEvent, SafetyFlag

SYSTEM_ACTOR = "assistant"


def raise_flag(session: Session, sender_id: str, context: str) -> SafetyFlag:
    flag = SafetyFlag(sender_id=sender_id, context=context[:128])
    session.add(flag)
    candidate = find_candidate(session, sender_id)
    session.add(
        AuditEvent(
            actor=SYSTEM_ACTOR,
            action="safety_flag_raised",
            candidate_id=candidate.id if candidate else None,
            detail={"context": context},
        )
    )
    session.flush()
    return flag


def flags_for(session: Session, sender_id: str) -> list[datetime]:
    """When the check fired in this conversation, oldest first."""
    return list(
        session.scalars(
            select(SafetyFlag.raised_at)
            .where(SafetyFlag.sender_id == sender_id)
            .order_by(SafetyFlag.id)
        )
    )
