"""Database tables (SQLAlchemy 2.x typed ORM). The schema is owned by Alembic.

Statements are versioned: an edit adds a `StatementVersion`, nothing is
overwritten. "Start again" begins a new `Statement`; the old one stays.
"""

from __future__ import annotations

import enum
from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every one was written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class Base(DeclarativeBase):
    pass


class VersionStatus(str, enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"


class Candidate(Base):
    """Someone being coached. Exists only once they have consented to saving."""

    __tablename__ = "candidates"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The conversation id the server chose for them; never chosen by a browser.
    sender_id: Mapped[str] = mapped_column(String(128), unique=True, index=True)
    consent_given_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_active_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    statements: Mapped[list[Statement]] = relationship(
        back_populates="candidate",
        cascade="all, delete-orphan",
        order_by="Statement.id",
    )
    practice_rounds: Mapped[list[PracticeRound]] = relationship(
        cascade="all, delete-orphan", order_by="PracticeRound.id"
    )


class Statement(Base):
    """One disclosure statement; a candidate who starts again gets a new one."""

    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    candidate: Mapped[Candidate] = relationship(back_populates="statements")
    versions: Mapped[list[StatementVersion]] = relationship(
        back_populates="statement",
        cascade="all, delete-orphan",
        order_by="StatementVersion.number",
    )


class StatementVersion(Base):
    """An immutable snapshot of the four parts. Approvals point at one of these."""

    __tablename__ = "statement_versions"
    __table_args__ = (UniqueConstraint("statement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    what_happened: Mapped[str] = mapped_column(Text, default="")
    circumstances: Mapped[str] = mapped_column(Text, default="")
    feelings_now: Mapped[str] = mapped_column(Text, default="")
    aspirations: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[VersionStatus] = mapped_column(
        Enum(VersionStatus, name="version_status", values_callable=lambda e: [m.value for m in e]),
        default=VersionStatus.DRAFT,
    )
    # When it was last sent to the caseworker (the chat page says "sent on ...").
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Where the version came from, e.g. "chat".
    source: Mapped[str] = mapped_column(String(32), default="chat")
    # Coaching findings on the parts of this version, by part: {"what_happened": [...]}.
    # Kept with the version so a caseworker sees what the candidate was told.
    findings: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    statement: Mapped[Statement] = relationship(back_populates="versions")


class AuditEvent(Base):
    """Who did what, when. Never holds statement text."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    # Plain id, not a foreign key: the record of a deletion outlives the candidate.
    candidate_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class SafetyFlag(Base):
    """The safety check fired in a conversation: a caseworker should follow up.

    Holds no message text. Keyed by the conversation, so it exists before consent
    too, and it outlives "delete my data" like the audit log does: it is a
    safeguarding record, not part of the statement.
    """

    __tablename__ = "safety_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Where in the conversation it happened, e.g. "disclosure_form:feelings_now".
    context: Mapped[str] = mapped_column(String(128), default="")


class PracticeRound(Base):
    """A finished practice round with an employer: its summary, for the caseworker.
    Holds no answer text. Saved only with consent, and deleted with the candidate."""

    __tablename__ = "practice_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )
    job: Mapped[str] = mapped_column(String(32))
    setting: Mapped[str] = mapped_column(String(32))
    # {"answered": n, "strengths": [...], "work_on": [...]}
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class KeyKind(str, enum.Enum):
    INVITE = "invite"  # a link a caseworker gave to one candidate
    PRACTICE = "practice"  # a resume code for someone practising without an invite


class ConversationKey(Base):
    """What opens a conversation from a browser: an invite link or a resume code.

    Only a hash of the key is stored, so a copy of the database opens nothing.
    The conversation's sender id is chosen here, by the server.
    """

    __tablename__ = "conversation_keys"
    __table_args__ = (UniqueConstraint("code_hash", name="uq_conversation_keys_code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[KeyKind] = mapped_column(
        Enum(KeyKind, name="key_kind", values_callable=lambda e: [m.value for m in e])
    )
    key_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    sender_id: Mapped[str] = mapped_column(String(128), unique=True)
    # Who the candidate's drafts go to (the caseworker account's email); empty for
    # practice, which no caseworker reviews.
    caseworker: Mapped[str] = mapped_column(String(128), default="", index=True)
    # The first name or pseudonym the caseworker knows the candidate by.
    name: Mapped[str] = mapped_column(String(80), default="")
    # An invite's own code, made when the link is first used and shown once: after
    # that a new browser needs the link *and* the code, so a link found in a shared
    # computer's history opens nothing. A new invite link clears it.
    code_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When a browser last used the conversation (retention counts from here).
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class WebSession(Base):
    """A signed-in browser. The cookie holds a random token; this holds its hash."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # For the idle timeout: a session not used for a while ends by itself.
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def _enum(kind: type[enum.Enum], name: str) -> Enum:
    return Enum(kind, name=name, values_callable=lambda e: [m.value for m in e])


class Role(str, enum.Enum):
    CASEWORKER = "caseworker"  # reviews their own candidates
    TRAINER = "trainer"  # improves the dialogue; sees no candidate data
    ADMIN = "admin"  # sees every candidate, manages accounts, reads the audit log


class Account(Base):
    """A member of staff who signs in to the caseworker pages. Accounts are disabled,
    never deleted, so the audit log always names someone real."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "account_role"))
    password_hash: Mapped[str] = mapped_column(String(256))  # argon2id
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StaffSession(Base):
    """A signed-in member of staff. The cookie holds a random token; this holds its hash."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    account: Mapped[Account] = relationship()


class LoginFailures(Base):
    """Wrong passwords for one account from one place (an IPv4 address or an IPv6
    /64). Too many block that account *from that place* for a while, so a guesser
    is slowed down while the owner, elsewhere, can still sign in. Kept in the
    database so that every web process counts the same tries."""

    __tablename__ = "login_failures"
    __table_args__ = (UniqueConstraint("account_id", "client"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    # A keyed hash of the place, not the address itself.
    client: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Decision(str, enum.Enum):
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"


class Comment(Base):
    """A caseworker's comment on one part of one version."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("statement_versions.id", ondelete="CASCADE"), index=True
    )
    part: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    author: Mapped[Account] = relationship()


class Review(Base):
    """A caseworker's decision on one exact version, and whether the candidate has
    been shown it in the chat yet."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("statement_versions.id", ondelete="CASCADE"), index=True
    )
    decision: Mapped[Decision] = mapped_column(_enum(Decision, "review_decision"))
    message: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    shown_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    version: Mapped[StatementVersion] = relationship()
    reviewer: Mapped[Account] = relationship()


class TrainingExample(Base):
    """A wording a trainer taught the assistant: this text means this intent.

    Made from a message in the trainers' queue (already redacted, then edited by
    the trainer) or typed in on an intent's page. Never deleted or changed: a
    trainer who takes one back marks it removed (who, when), so every version of
    the training data can be told again. `bot training export` writes the ones
    in force as Rasa YAML (bot.training.export). Holds no candidate id: a
    trainer never learns who wrote the message it came from.
    """

    __tablename__ = "training_examples"

    id: Mapped[int] = mapped_column(primary_key=True)
    intent: Mapped[str] = mapped_column(String(64), index=True)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    removed_by: Mapped[str | None] = mapped_column(String(128))
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TrainingStory(Base):
    """A test story a trainer wrote: the candidate says this, the assistant should
    answer that (bot.training.stories). Never changed: taken back, it is marked
    removed (who, when), so every version can be told again."""

    __tablename__ = "training_stories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    # [{"user": redacted text, "intent": name, "reply": response name}, ...]
    steps: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    removed_by: Mapped[str | None] = mapped_column(String(128))
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TrainingAnswer(Base):
    """A trainer's wording of one of the assistant's answers to a question or small
    talk (one variant of a retrieval response, bot.training.answers). Never
    changed: going back to the project's wording marks it removed (who, when)."""

    __tablename__ = "training_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    response: Mapped[str] = mapped_column(String(128), index=True)  # "utter_faq/is_bot"
    variant: Mapped[int] = mapped_column(Integer)  # its place in the domain's list
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    removed_by: Mapped[str | None] = mapped_column(String(128))
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TrainingQuestion(Base):
    """A trainer's version of a practice question (bot.training.questions): one of
    the project's reworded, retagged or left out of practice, or a new one. Each
    row is the whole question; the newest not taken back is in force. Never
    changed: going back to the project's version marks it removed (who, when)."""

    __tablename__ = "training_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[str] = mapped_column(String(64), index=True)  # the bank's id
    text: Mapped[str] = mapped_column(Text)
    jobs: Mapped[list[str]] = mapped_column(JSON)
    settings: Mapped[list[str]] = mapped_column(JSON)
    topic: Mapped[str] = mapped_column(String(32))
    covers: Mapped[str] = mapped_column(Text)
    asks: Mapped[list[str]] = mapped_column(JSON)  # the statement parts it is about
    in_practice: Mapped[bool] = mapped_column(Boolean, default=True)
    author: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    removed_by: Mapped[str | None] = mapped_column(String(128))
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def summary(self) -> str:
        """This version as a history line shows it."""
        return self.text if self.in_practice else f"{self.text} (left out of practice)"


class QueueDecision(Base):
    """A trainer dealt with a wording in the queue: taught it, or said the assistant
    should not handle it. The queue leaves that wording out from then on."""

    __tablename__ = "queue_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # bot.training.struggles.Group.key: a hash of the redacted wording, not the words.
    wording_key: Mapped[str] = mapped_column(String(64), index=True)
    outcome: Mapped[str] = mapped_column(String(32))  # "taught" or "not_for_assistant"
    author: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TrainingJob(Base):
    """A check or a train-and-publish, run in the background (bot.training.jobs).

    `active` is True while the job is waiting or running and NULL after: it is
    unique, so the database itself lets only one job run at a time, whichever web
    process was asked."""

    __tablename__ = "training_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "check" or "publish"
    status: Mapped[str] = mapped_column(String(16), default="running")  # passed, failed
    active: Mapped[bool | None] = mapped_column(Boolean, unique=True, default=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)  # percent
    step: Mapped[str] = mapped_column(String(128), default="Starting")
    started_by: Mapped[str] = mapped_column(String(128))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # What was trained: a hash of every training file, so a publish can tell that
    # a check already trained exactly these changes.
    data_hash: Mapped[str | None] = mapped_column(String(64))
    # The model this job trained, in the models folder (kept for a publish).
    model_file: Mapped[str | None] = mapped_column(String(128))
    report: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)


class PublishedModel(Base):
    """A model a trainer published, with the report of its check. Kept for ever, so
    a publish can be undone: the assistant runs the newest one not withdrawn (or
    the repository's own model, `make train`'s, when there is none)."""

    __tablename__ = "published_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    file: Mapped[str] = mapped_column(String(128), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    job_id: Mapped[int] = mapped_column(ForeignKey("training_jobs.id"))
    published_by: Mapped[str] = mapped_column(String(128))
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    report: Mapped[dict | None] = mapped_column(JSON)
    withdrawn_by: Mapped[str | None] = mapped_column(String(128))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApprovedVersionLocked(Exception):
    """Something tried to change a version a caseworker approved."""


@event.listens_for(Session, "before_flush")
def _approved_versions_never_change(session: Session, _context: object, _instances: object) -> None:
    """An approval points at one exact text: once approved, a version cannot be edited
    or have its status changed. (A new edit is a new version; deleting a candidate's
    data still deletes it.)"""
    for obj in session.dirty:
        if isinstance(obj, StatementVersion) and session.is_modified(obj):
            status = inspect(obj).attrs.status.history
            before = status.deleted[0] if status.deleted else obj.status
            if before == VersionStatus.APPROVED:
                raise ApprovedVersionLocked(f"version {obj.id} is approved and cannot change")
