"""Staff accounts: creating them, checking passwords, throttling guesses, staff sessions.

Passwords are hashed with argon2id (argon2-cffi's defaults). After
MAX_FAILED_LOGINS wrong passwords for an account from one place (an address, or
an IPv6 /64), that account cannot be signed in to *from that place* for LOCKOUT:
the guesser is slowed down, and the owner, signing in from elsewhere, is not.
Every refusal reads the same, so the answer never tells whether an account
exists, is disabled, or is blocked.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.review.audit import record
from bot.store.access import TOUCH_EVERY, digest, live
from bot.store.models import Account, LoginFailures, Role, StaffSession, as_utc, utcnow

MIN_PASSWORD = 12
MAX_PASSWORD = 256
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
STAFF_SESSION_LIFETIME = timedelta(hours=8)
# A staff browser left signed in ends its session after this long unused.
STAFF_SESSION_IDLE = timedelta(hours=1)
REFUSED = (
    "The email or password is not right, or there have been too many tries from here."
    " Check them and try again, or wait 15 minutes."
)
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{1,60}$")

_hasher = PasswordHasher()
# Checked against when the email is unknown, so both cases take as long.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """Input that cannot make or change an account; the message says why, plainly."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str) -> str:
    email = normalise_email(email)
    if not EMAIL.match(email):
        raise AccountError("Please give a valid email address.")
    return email


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"The password must be at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"The password can be at most {MAX_PASSWORD} characters.")
    return password


def parse_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise AccountError("The role must be caseworker, trainer or admin.") from None


def find_account(session: Session, email: str) -> Account | None:
    return session.scalar(select(Account).where(Account.email == normalise_email(email)))


def add_account(session: Session, email: str, role: str, password: str, by: str) -> Account:
    """A new account. `by` names who made it, for the audit log."""
    email, kind = check_email(email), parse_role(role)
    check_password(password)
    if find_account(session, email) is not None:
        raise AccountError("There is already an account with that email.")
    account = Account(email=email, role=kind, password_hash=_hasher.hash(password), active=True)
    session.add(account)
    session.flush()
    record(session, by, "account_created", account=email, role=kind.value)
    return account


def set_active(session: Session, account: Account, active: bool, by: str) -> None:
    """Disable (or enable again) an account; a disabled account's sessions end now."""
    account.active = active
    if not active:
        session.execute(delete(StaffSession).where(StaffSession.account_id == account.id))
    record(session, by, "account_enabled" if active else "account_disabled", account=account.email)


def set_password(session: Session, account: Account, password: str, by: str) -> None:
    account.password_hash = _hasher.hash(check_password(password))
    session.execute(delete(LoginFailures).where(LoginFailures.account_id == account.id))
    record(session, by, "password_changed", account=account.email)


def change_password(session: Session, account: Account, current: str, new: str) -> None:
    """A signed-in person changes their own password; the current one must be right."""
    if not _verifies(account.password_hash, current):
        raise AccountError("The current password is not right.")
    set_password(session, account, new, by=account.email)


class LoginRefused(Exception):
    """Wrong email or password, a disabled account, or too many tries from here.
    Always the same message (REFUSED), safe to show."""

    def __init__(self) -> None:
        super().__init__(REFUSED)


def log_in(
    session: Session, email: str, password: str, client: str, now: datetime | None = None
) -> Account:
    """The account for these credentials. `client` is where the request came from
    (bot.web.clients); wrong passwords are counted for the account from there."""
    now = now or utcnow()
    account = find_account(session, email) if len(email) <= 254 else None
    if account is None or not account.active:
        _verifies(_DUMMY_HASH, password)
        record(session, normalise_email(email)[:128] or "(empty)", "login_failed")
        raise LoginRefused()
    tries = _failures(session, account, client, now)
    if tries.blocked_until and as_utc(tries.blocked_until) > now:
        _verifies(_DUMMY_HASH, password)  # the same time as any other answer
        record(session, account.email, "login_refused_blocked")
        raise LoginRefused()
    if not _verifies(account.password_hash, password):
        tries.failures += 1
        tries.updated_at = now
        if tries.failures >= MAX_FAILED_LOGINS:
            tries.blocked_until, tries.failures = now + LOCKOUT, 0
            record(session, account.email, "login_blocked_from_here")
        else:
            record(session, account.email, "login_failed")
        raise LoginRefused()
    if tries in session.new:
        session.expunge(tries)
    else:
        session.delete(tries)
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    record(session, account.email, "logged_in")
    return account


def _failures(session: Session, account: Account, client: str, now: datetime) -> LoginFailures:
    """The count of wrong passwords for this account from this place (a keyed hash
    of the place is stored, not the address). Counts older than LOCKOUT start again."""
    place = digest(f"login:{client}")
    found = session.scalar(
        select(LoginFailures).where(
            LoginFailures.account_id == account.id, LoginFailures.client == place
        )
    )
    if found is None:
        found = LoginFailures(account_id=account.id, client=place, failures=0, updated_at=now)
        session.add(found)
    elif as_utc(found.updated_at) + LOCKOUT <= now and not found.blocked_until:
        found.failures = 0
    elif found.blocked_until and as_utc(found.blocked_until) <= now:
        found.blocked_until, found.failures = None, 0
    return found


def _verifies(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError):
        return False


def start_staff_session(session: Session, account: Account) -> tuple[str, StaffSession]:
    """A new signed-in browser for the account: returns the cookie token (raw)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    found = StaffSession(
        token_hash=digest(token),
        account_id=account.id,
        csrf_token=secrets.token_urlsafe(32),
        expires_at=now + STAFF_SESSION_LIFETIME,
        last_seen_at=now,
    )
    session.add(found)
    session.flush()
    return token, found


def find_staff_session(
    session: Session, token: str | None, now: datetime | None = None
) -> StaffSession | None:
    """The live session of an active account for a cookie token, or None (unknown,
    expired, idle, or the account disabled). Using it counts as activity."""
    if not token:
        return None
    now = now or utcnow()
    found = session.scalar(select(StaffSession).where(StaffSession.token_hash == digest(token)))
    if found is None or not live(found.expires_at, found.last_seen_at, STAFF_SESSION_IDLE, now):
        return None
    if not found.account.active:
        return None
    if as_utc(found.last_seen_at) + TOUCH_EVERY <= now:
        found.last_seen_at = now
    return found


def end_other_sessions(session: Session, account: Account, token: str | None) -> None:
    """After a password change, every other signed-in browser of the account is out."""
    session.execute(
        delete(StaffSession).where(
            StaffSession.account_id == account.id, StaffSession.token_hash != digest(token or "")
        )
    )


def end_staff_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(StaffSession).where(StaffSession.token_hash == digest(token)))
