"""A caseworker's dashboard: candidates by status, days to approval, and the coaching
suggestions raised most often (drawn by bot.web.charts)."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.coaching.words import rule_texts
from bot.review.caseload import STATUSES, Case, latest_version
from bot.store.models import Candidate, Decision, Review, Statement, StatementVersion, as_utc

TOP_SUGGESTIONS = 5


@dataclass(frozen=True)
class Overview:
    by_status: dict[str, int]  # status label -> count, in STATUSES order
    median_days_to_approval: float | None
    approved_count: int
    top_suggestions: list[tuple[str, int]]  # short text -> how many candidates


def overview(session: Session, cases: list[Case], first_messages: dict[str, float]) -> Overview:
    """Figures over `cases` (one caseload). `first_messages` maps sender ids to the
    time of their first chat message (from the tracker store)."""
    counts = Counter(c.status for c in cases)
    by_status = {label: counts.get(status, 0) for status, label in STATUSES.items()}
    candidates = [session.get(Candidate, c.candidate_id) for c in cases if c.candidate_id]
    days: list[float] = []
    suggestions: Counter[str] = Counter()
    texts = rule_texts()
    for candidate in candidates:
        if candidate is None:
            continue
        approved_at = _first_approval(session, candidate.id)
        started = first_messages.get(candidate.sender_id)
        if approved_at is not None:
            begin = (
                datetime.fromtimestamp(started, timezone.utc)
                if started
                else as_utc(candidate.created_at)
            )
            days.append(max((approved_at - begin).total_seconds(), 0) / 86400)
        version = latest_version(candidate)
        raised = {
            finding.get("rule")
            for found in ((version.findings or {}) if version else {}).values()
            for finding in found
            if finding.get("kind") == "suggestion"
        }
        for rule in raised:
            text = texts.get(rule)
            suggestions[(text.work_on or text.message) if text else str(rule)] += 1
    return Overview(
        by_status=by_status,
        median_days_to_approval=round(statistics.median(days), 1) if days else None,
        approved_count=len(days),
        top_suggestions=suggestions.most_common(TOP_SUGGESTIONS),
    )


def _first_approval(session: Session, candidate_id: int) -> datetime | None:
    moment = session.scalar(
        select(Review.created_at)
        .join(StatementVersion)
        .join(Statement)
        .where(Statement.candidate_id == candidate_id, Review.decision == Decision.APPROVED)
        .order_by(Review.id)
        .limit(1)
    )
    return as_utc(moment) if moment else None


def median_text(days: float) -> str:
    """A median wait in words: whole days, or hours when under a day."""
    if days < 1:
        hours = max(round(days * 24), 1)
        return f"{hours} hour{'s' * (hours != 1)}"
    whole = round(days)
    return f"{whole} day{'s' * (whole != 1)}"
