"""Deleting what is past its keeping time (`bot purge`, and daily in the web app).

What is kept, and for how long (each period an environment variable, in days;
the README's "Privacy and security" section has the same table):

- an anonymous practice chat (its code, drafts, sessions and conversation):
  PRACTICE_RETENTION_DAYS (30) after it was last used;
- an invite link never used: UNUSED_INVITE_DAYS (90) after it was made;
- a candidate's or staff member's browser session: SESSION_RETENTION_DAYS (0)
  after it expired or went idle;
- the tracker events of a conversation that no longer exists (deleted, expired,
  or a terminal chat): ORPHAN_EVENTS_DAYS (1) after its last event.

Safety flags and the audit log hold no text and are kept (a safeguarding and
accountability record). An invited candidate's saved statement is kept until
their data is deleted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.orm import Session

from bot.review.accounts import LOCKOUT, STAFF_SESSION_IDLE
from bot.store import conversations
from bot.store.access import SESSION_IDLE
from bot.store.db import forget_deleted, session_scope
from bot.store.models import (
    Base,
    Candidate,
    ConversationKey,
    KeyKind,
    LoginFailures,
    StaffSession,
    WebSession,
    utcnow,
)


def _days(name: str, default: float) -> timedelta:
    return timedelta(days=float(os.environ.get(name) or default))


@dataclass(frozen=True)
class Retention:
    practice: timedelta
    unused_invite: timedelta
    session: timedelta
    orphan_events: timedelta

    @classmethod
    def from_env(cls) -> Retention:
        return cls(
            practice=_days("PRACTICE_RETENTION_DAYS", 30),
            unused_invite=_days("UNUSED_INVITE_DAYS", 90),
            session=_days("SESSION_RETENTION_DAYS", 0),
            orphan_events=_days("ORPHAN_EVENTS_DAYS", 1),
        )


def _last_used(key: type[ConversationKey] = ConversationKey) -> ColumnElement[datetime]:
    return func.coalesce(key.last_used_at, key.created_at)


def purge(
    database_url: str,
    tracker_store_url: str,
    now: datetime | None = None,
    dry_run: bool = False,
    policy: Retention | None = None,
) -> dict[str, int]:
    """Delete (or, with dry_run, only count) what is past its period. Returns counts."""
    now = now or utcnow()
    policy = policy or Retention.from_env()
    with session_scope(database_url) as db:
        practice = db.scalars(
            select(ConversationKey).where(
                ConversationKey.kind == KeyKind.PRACTICE, _last_used() < now - policy.practice
            )
        ).all()
        unused = db.scalars(
            select(ConversationKey).where(
                ConversationKey.kind == KeyKind.INVITE,
                ConversationKey.last_used_at.is_(None),
                ConversationKey.created_at < now - policy.unused_invite,
                ~ConversationKey.sender_id.in_(select(Candidate.sender_id)),
            )
        ).all()
        gone = [k.sender_id for k in (*practice, *unused)]
        web_sessions = _old_sessions(WebSession, SESSION_IDLE, policy.session, now)
        staff_sessions = _old_sessions(StaffSession, STAFF_SESSION_IDLE, policy.session, now)
        stale_tries = (
            LoginFailures.updated_at < now - LOCKOUT,
            or_(LoginFailures.blocked_until.is_(None), LoginFailures.blocked_until < now),
        )
        counts = {
            "practice_chats": len(practice),
            "unused_invites": len(unused),
            "web_sessions": _count(db, WebSession, web_sessions),
            "staff_sessions": _count(db, StaffSession, staff_sessions),
            "login_failures": _count(db, LoginFailures, *stale_tries),
        }
        known = set(db.scalars(select(ConversationKey.sender_id)).all()) - set(gone)
        orphans = [
            sender
            for sender, last in conversations.last_event_times(tracker_store_url).items()
            if sender in gone
            or (sender not in known and last < (now - policy.orphan_events).timestamp())
        ]
        counts["tracker_conversations"] = len(orphans)
        if dry_run:
            return counts
        for sender in gone:
            db.execute(delete(WebSession).where(WebSession.sender_id == sender))
            candidate = db.scalar(select(Candidate).where(Candidate.sender_id == sender))
            if candidate is not None:
                db.delete(candidate)
        for key in (*practice, *unused):
            db.delete(key)
        db.execute(delete(WebSession).where(web_sessions))
        db.execute(delete(StaffSession).where(staff_sessions))
        db.execute(delete(LoginFailures).where(*stale_tries))
        forget_deleted(db)
    for sender in orphans:
        conversations.delete_conversation(sender, tracker_store_url)
    return counts


def _old_sessions(
    table: type[WebSession] | type[StaffSession], idle: timedelta, keep: timedelta, now: datetime
) -> ColumnElement[bool]:
    """Sessions that ended (expired, or idle past `idle`) more than `keep` ago."""
    return or_(table.expires_at < now - keep, table.last_seen_at < now - idle - keep)


def _count(db: Session, table: type[Base], *where: ColumnElement[bool]) -> int:
    return db.scalar(select(func.count()).select_from(table).where(*where)) or 0
