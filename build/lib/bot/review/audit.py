"""The audit log: who did what, when, read back for admins. Details never hold
statement text or comments; `record` (bot.store.audit) is the one writer."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.audit import record
from bot.store.models import AuditEvent

__all__ = ["as_csv", "recent", "record"]
CSV_COLUMNS = ("at", "actor", "action", "candidate_id", "detail")


def recent(session: Session, limit: int = 500, offset: int = 0) -> Sequence[AuditEvent]:
    """Newest first."""
    return session.scalars(
        select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit).offset(offset)
    ).all()


def as_csv(events: Sequence[AuditEvent]) -> str:
    """The events as CSV. Cells that a spreadsheet would run as a formula are quoted
    with a leading apostrophe (CSV injection)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for event in events:
        detail = "; ".join(f"{k}={v}" for k, v in sorted((event.detail or {}).items()))
        row = [event.at.isoformat(), event.actor, event.action, event.candidate_id or "", detail]
        writer.writerow([_cell(str(value)) for value in row])
    return out.getvalue()


def _cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
