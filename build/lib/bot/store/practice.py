"""Practice rounds with an employer, as their summaries (no answer text)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.store.drafts import audit, find_candidate
from bot.store.models import PracticeRound


def save_round(
    session: Session, sender_id: str, job: str, setting: str, summary: dict
) -> PracticeRound | None:
    """Keep a finished round's summary for the caseworker; None without consent."""
    candidate = find_candidate(session, sender_id)
    if candidate is None:
        return None
    practice = PracticeRound(candidate_id=candidate.id, job=job, setting=setting, summary=summary)
    session.add(practice)
    session.flush()
    audit(session, "practice_round_saved", candidate, job=job, setting=setting)
    return practice


def rounds_for(session: Session, sender_id: str) -> list[dict]:
    candidate = find_candidate(session, sender_id)
    if candidate is None:
        return []
    return [
        {
            "job": r.job,
            "setting": r.setting,
            "summary": r.summary,
            "created_at": r.created_at.isoformat(),
        }
        for r in candidate.practice_rounds
    ]
