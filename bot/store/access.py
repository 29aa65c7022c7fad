"""Getting into a conversation from a browser: invite links, resume codes, sessions.

Every secret (invite token, resume code, session token) is random, shown once,
and stored only as a SHA-256 hash. Sender ids are chosen here, never by a browser.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.store.models import ConversationKey, KeyKind, WebSession, as_utc, utcnow

WORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "resume_words.yml"
RESUME_CODE_WORDS = 4
SESSION_LIFETIME = timedelta(days=30)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def resume_words() -> tuple[str, ...]:
    return tuple(yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))["words"])


def normalise_code(code: str) -> str:
    """ "Apple  Tiger-moon, kite" and "apple tiger moon kite" are the same code."""
    return "-".join(re.findall(r"[a-z]+", code.lower()))


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
    """A new secret for an existing invite (the old link stops working); shown once."""
    token = secrets.token_urlsafe(32)
    key.key_hash = digest(token)
    session.flush()
    return token


def create_practice(session: Session) -> tuple[str, ConversationKey]:
    """An anonymous practice conversation: returns its resume code (shown once)."""
    while True:
        code = "-".join(secrets.choice(resume_words()) for _ in range(RESUME_CODE_WORDS))
        if find_key(session, code) is None:
            break
    key = ConversationKey(
        kind=KeyKind.PRACTICE, key_hash=digest(code), sender_id=new_sender_id(), caseworker=""
    )
    session.add(key)
    session.flush()
    return code, key


def find_key(session: Session, secret: str) -> ConversationKey | None:
    """The conversation an invite token or resume code opens, if any."""
    candidates = {secret.strip(), normalise_code(secret)}
    return session.scalar(
        select(ConversationKey).where(ConversationKey.key_hash.in_([digest(c) for c in candidates]))
    )


def start_session(session: Session, sender_id: str) -> tuple[str, WebSession]:
    """A new browser session for the conversation: returns the cookie token (raw)."""
    token = secrets.token_urlsafe(32)
    web_session = WebSession(
        token_hash=digest(token),
        sender_id=sender_id,
        csrf_token=secrets.token_urlsafe(32),
        expires_at=utcnow() + SESSION_LIFETIME,
    )
    session.add(web_session)
    session.flush()
    return token, web_session


def find_session(session: Session, token: str | None) -> WebSession | None:
    """The live session for a cookie token, or None (unknown or expired)."""
    if not token:
        return None
    found = session.scalar(select(WebSession).where(WebSession.token_hash == digest(token)))
    if found is None or as_utc(found.expires_at) <= datetime.now(timezone.utc):
        return None
    return found


def end_session(session: Session, token: str | None) -> None:
    """Log this browser out ("leave and clear this device")."""
    if token:
        session.execute(delete(WebSession).where(WebSession.token_hash == digest(token)))


def key_for_sender(session: Session, sender_id: str) -> ConversationKey | None:
    return session.scalar(select(ConversationKey).where(ConversationKey.sender_id == sender_id))
