"""Getting into a conversation from a browser: invite links, codes, sessions.

Every secret (invite token, code, session token) is random, shown once, and
stored only as a keyed hash (HMAC with the server's secret key, bot.store.secret_key).
Sender ids are chosen here, never by a browser.

- A practice chat is opened by its code alone.
- An invite link, the first time it is used, shows the candidate a code of their
  own; from then on a new browser needs the link and that code. A new invite link
  (from the caseworker) ends every session and clears the code.
- A browser session ends after SESSION_IDLE without use, and after SESSION_LIFETIME
  in any case.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from bot.store.models import ConversationKey, KeyKind, WebSession, as_utc, utcnow
from bot.store.secret_key import server_key

SESSION_LIFETIME = timedelta(days=30)
# A candidate's browser session ends after this long unused (a shared computer left
# open); a few hours covers a long sitting with breaks. Measured in hours.
SESSION_IDLE = timedelta(hours=float(os.environ.get("CANDIDATE_IDLE_HOURS") or 3))
# A session's last use is written at most this often, not on every request.
TOUCH_EVERY = timedelta(minutes=1)

# Codes: Crockford's base32 (no I, L, O or U, so nothing reads as another
# character), 15 characters in three groups of five: 75 random bits.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_GROUPS, CODE_GROUP_LENGTH = 3, 5
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def digest(secret: str) -> str:
    """The stored form of a secret: HMAC-SHA256 with the server's key."""
    return hmac.new(server_key(), secret.encode("utf-8"), hashlib.sha256).hexdigest()


def new_code() -> str:
    """A new code, e.g. "7K3MQ-9TZ4H-XRPW2"."""
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    )
    return "-".join(groups)


def normalise_code(code: str) -> str:
    """ "7k3mq 9tz4h-xrpw2" and "7K3MQ-9TZ4H-XRPW2" are the same code; so are an
    O typed for a zero and an I or L for a one."""
    letters = re.sub(r"[^0-9A-Z]", "", code.upper()).translate(_READ_AS)
    size = CODE_GROUP_LENGTH
    return "-".join(letters[i : i + size] for i in range(0, len(letters), size))


def new_sender_id() -> str:
    return uuid.uuid4().hex


def create_invite(session: Session, caseworker: str) -> tuple[str, ConversationKey]:
    """A new candidate's invite: returns the token for the link (shown once) and the key."""
    token = secrets.token_urlsafe(32)
    key = ConversationKey(
        kind=KeyKind.INVITE,
        key_hash=digest(token),
        sender_id=new_sender_id(),
        caseworker=caseworker,
    )
    session.add(key)
    session.flush()
    return token, key


def replace_invite_token(session: Session, key: ConversationKey) -> str:
    """A new secret for an existing invite, shown once. The old link stops working,
    every browser signed in with it is signed out, and the candidate's code is
    cleared (the new link's first use shows a new one)."""
    token = secrets.token_urlsafe(32)
    key.key_hash = digest(token)
    key.code_hash = None
    end_all_sessions(session, key.sender_id)
    session.flush()
    return token


def give_invite_code(session: Session, key: ConversationKey) -> str:
    """The invite's first use: a code of the candidate's own (shown once)."""
    code = new_code()
    key.code_hash = digest(code)
    session.flush()
    return code


def invite_code_matches(key: ConversationKey, code: str) -> bool:
    if key.code_hash is None or not code.strip():
        return False
    return hmac.compare_digest(key.code_hash, digest(normalise_code(code)))


def create_practice(session: Session) -> tuple[str, ConversationKey]:
    """An anonymous practice conversation: returns its code (shown once)."""
    code = new_code()
    key = ConversationKey(
        kind=KeyKind.PRACTICE, key_hash=digest(code), sender_id=new_sender_id(), caseworker=""
    )
    session.add(key)
    session.flush()
    return code, key


def find_invite(session: Session, token: str) -> ConversationKey | None:
    """The invite a link's token opens, if any."""
    return session.scalar(
        select(ConversationKey).where(
            ConversationKey.kind == KeyKind.INVITE,
            ConversationKey.key_hash == digest(token.strip()),
        )
    )


def find_by_code(session: Session, code: str) -> ConversationKey | None:
    """The conversation a code opens: a practice chat's code, or an invite's code."""
    hashed = digest(normalise_code(code))
    return session.scalar(
        select(ConversationKey).where(
            or_(
                (ConversationKey.kind == KeyKind.PRACTICE) & (ConversationKey.key_hash == hashed),
                ConversationKey.code_hash == hashed,
            )
        )
    )


def start_session(session: Session, sender_id: str) -> tuple[str, WebSession]:
    """A new browser session for the conversation: returns the cookie token (raw)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    web_session = WebSession(
        token_hash=digest(token),
        sender_id=sender_id,
        csrf_token=secrets.token_urlsafe(32),
        expires_at=now + SESSION_LIFETIME,
        last_seen_at=now,
    )
    session.add(web_session)
    key = key_for_sender(session, sender_id)
    if key is not None:
        key.last_used_at = now
    session.flush()
    return token, web_session


def live(expires_at: datetime, last_seen_at: datetime, idle: timedelta, now: datetime) -> bool:
    """A session is live until it expires, or until it has gone `idle` unused."""
    return as_utc(expires_at) > now and as_utc(last_seen_at) + idle > now


def find_session(
    session: Session, token: str | None, now: datetime | None = None
) -> WebSession | None:
    """The live session for a cookie token, or None (unknown, expired or idle).
    Using it counts as activity for the idle timeout and for retention."""
    if not token:
        return None
    now = now or utcnow()
    found = session.scalar(select(WebSession).where(WebSession.token_hash == digest(token)))
    if found is None or not live(found.expires_at, found.last_seen_at, SESSION_IDLE, now):
        return None
    if as_utc(found.last_seen_at) + TOUCH_EVERY <= now:
        found.last_seen_at = now
        key = key_for_sender(session, found.sender_id)
        if key is not None:
            key.last_used_at = now
    return found


def end_session(session: Session, token: str | None) -> None:
    """Log this browser out ("leave and clear this device")."""
    if token:
        session.execute(delete(WebSession).where(WebSession.token_hash == digest(token)))


def end_all_sessions(session: Session, sender_id: str) -> None:
    """Sign every browser out of this conversation."""
    session.execute(delete(WebSession).where(WebSession.sender_id == sender_id))


def key_for_sender(session: Session, sender_id: str) -> ConversationKey | None:
    return session.scalar(select(ConversationKey).where(ConversationKey.sender_id == sender_id))
