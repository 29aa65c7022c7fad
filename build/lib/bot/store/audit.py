"""Writing the audit log: who did what, when. The one writer; reading it back
(newest first, as CSV) is bot.review.audit. Details never hold statement text
or comments."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.store.models import AuditEvent


def record(
    session: Session, actor: str, action: str, candidate_id: int | None = None, **detail: object
) -> None:
    session.add(AuditEvent(actor=actor, action=action, candidate_id=candidate_id, detail=detail))
