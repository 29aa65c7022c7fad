import pytest
from sqlalchemy import func, select

from bot.store import drafts
from bot.store.db import session_scope
from bot.store.models import AuditEvent, Statement, StatementVersion


def test_nothing_is_saved_without_consent(database_url):
    with session_scope() as session:
        assert drafts.save_parts(session, "s1", {"what_happened": "I stole a car."}) is None
        assert drafts.start_again(session, "s1") is None
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(StatementVersion)) == 0
        assert drafts.latest_draft(session, "s1") is None


def test_every_change_adds_a_version_and_keeps_the_old_one(database_url):
    with session_scope() as session:
        drafts.record_consent(session, "s1")
        drafts.save_parts(session, "s1", {"what_happened": "I stole a car."})
        drafts.save_parts(session, "s1", {"circumstances": "I was in debt."})
        drafts.save_parts(session, "s1", {"what_happened": "I stole a car in 2019."})
    with session_scope() as session:
        versions = session.scalars(select(StatementVersion).order_by(StatementVersion.id)).all()
        assert [v.number for v in versions] == [1, 2, 3]
        assert versions[0].what_happened == "I stole a car."
        assert versions[2].what_happened == "I stole a car in 2019."
        assert versions[2].circumstances == "I was in debt."
        draft = drafts.latest_draft(session, "s1")
        assert draft.version == 3 and draft.status == "draft"


def test_saving_the_same_text_adds_no_version(database_url):
    with session_scope() as session:
        drafts.record_consent(session, "s1")
        first = drafts.save_parts(session, "s1", {"what_happened": "I stole a car."})
        again = drafts.save_parts(session, "s1", {"what_happened": "I stole a car."})
        assert first.id == again.id


def test_text_is_stored_word_for_word(database_url):
    text = "i got cawt  shopliftin, 2x!!  " + "x" * 1600
    with session_scope() as session:
        drafts.record_consent(session, "s1")
        drafts.save_parts(session, "s1", {"feelings_now": text})
    with session_scope() as session:
        assert drafts.latest_draft(session, "s1").parts["feelings_now"] == text


def test_unknown_part_is_refused(database_url):
    with session_scope() as session:
        drafts.record_consent(session, "s1")
        with pytest.raises(ValueError):
            drafts.save_parts(session, "s1", {"name": "Bob"})


def test_start_again_begins_empty_and_keeps_history(database_url):
    with session_scope() as session:
        drafts.record_consent(session, "s1")
        drafts.save_parts(session, "s1", {"what_happened": "I stole a car."})
        drafts.start_again(session, "s1")
    with session_scope() as session:
        draft = drafts.latest_draft(session, "s1")
        assert draft.parts == {
            "what_happened": "",
            "circumstances": "",
            "feelings_now": "",
            "aspirations": "",
        }
        assert session.scalar(select(func.count()).select_from(Statement)) == 2
        old = session.scalars(select(StatementVersion).order_by(StatementVersion.id)).first()
        assert old.what_happened == "I stole a car."


def test_delete_removes_everything_but_the_audit_record(database_url):
    with session_scope() as session:
        drafts.record_consent(session, "s1")
        drafts.save_parts(session, "s1", {"what_happened": "I stole a car."})
        drafts.record_consent(session, "s2")
        drafts.save_parts(session, "s2", {"what_happened": "I was fined."})
        assert drafts.delete_candidate(session, "s1") is True
    with session_scope() as session:
        assert drafts.latest_draft(session, "s1") is None
        assert drafts.latest_draft(session, "s2") is not None
        assert session.scalar(select(func.count()).select_from(StatementVersion)) == 1
        actions = session.scalars(select(AuditEvent.action)).all()
        assert "candidate_data_deleted" in actions
        assert drafts.delete_candidate(session, "s1") is False


def test_audit_never_holds_statement_text(database_url):
    secret = "I stole from Mrs Jones at 12 High Street"
    with session_scope() as session:
        drafts.record_consent(session, "s1")
        drafts.save_parts(session, "s1", {"what_happened": secret})
        drafts.start_again(session, "s1")
        drafts.delete_candidate(session, "s1")
    with session_scope() as session:
        for event in session.scalars(select(AuditEvent)):
            assert "Jones" not in repr(event.detail)


def test_plain_postgresql_urls_get_the_psycopg3_driver():
    from bot.store.db import driver_url

    assert driver_url("postgresql://u:p@db/app") == "postgresql+psycopg://u:p@db/app"
    assert driver_url("postgres://u@db/app") == "postgresql+psycopg://u@db/app"
    assert driver_url("sqlite:///var/app.db") == "sqlite:///var/app.db"


def test_findings_are_kept_with_each_version(database_url):
    blame = [{"rule": "blame", "kind": "suggestion", "section": "what_happened"}]
    goal = [{"rule": "clear_goal", "kind": "strength", "section": "aspirations"}]
    with session_scope() as session:
        drafts.record_consent(session, "fk")
        drafts.save_parts(session, "fk", {"what_happened": "v1"}, {"what_happened": blame})
        drafts.save_parts(session, "fk", {"aspirations": "a1"}, {"aspirations": goal})
    with session_scope() as session:
        assert drafts.latest_draft(session, "fk").findings == {
            "what_happened": blame,
            "aspirations": goal,
        }
        # A changed part without findings keeps none; the first version keeps its own.
        drafts.save_parts(session, "fk", {"what_happened": "v2"})
    with session_scope() as session:
        assert drafts.latest_draft(session, "fk").findings == {"aspirations": goal}
        first = session.scalars(select(StatementVersion).order_by(StatementVersion.id)).first()
        assert first.findings == {"what_happened": blame}


def test_safety_flags_hold_no_text_and_outlive_deletion(database_url):
    from bot.store import flags
    from bot.store.models import SafetyFlag

    with session_scope() as session:
        drafts.record_consent(session, "sf")
        flags.raise_flag(session, "sf", "disclosure_form:feelings_now")
        drafts.delete_candidate(session, "sf")
    with session_scope() as session:
        assert len(flags.flags_for(session, "sf")) == 1
        flag = session.scalars(select(SafetyFlag)).one()
        assert flag.context == "disclosure_form:feelings_now"
        audit = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "safety_flag_raised")
        ).one()
        assert audit.candidate_id is not None


def test_the_migrations_build_exactly_the_schema_the_models_describe(database_url):
    """Alembic's autogenerate comparison finds nothing to change after `upgrade`."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from bot.store.db import engine_for
    from bot.store.models import Base

    with engine_for(database_url).connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
