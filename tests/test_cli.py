import json

import pytest

from bot.cli import main
from bot.store import drafts
from bot.store.db import session_scope


def test_drafts_show_json_for_a_saved_draft(database_url, capsys):
    with session_scope() as session:
        drafts.record_consent(session, "cli")
        drafts.save_parts(session, "cli", {"what_happened": "I stole a car."})
        drafts.save_parts(session, "cli", {"aspirations": "I want to drive a van."})
    assert main(["drafts", "show", "cli", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["version"] == 2
    assert shown["status"] == "draft"
    assert shown["what_happened"] == "I stole a car."
    assert shown["aspirations"] == "I want to drive a van."
    assert shown["circumstances"] == ""


def test_drafts_show_for_nobody_prints_null_and_fails(database_url, capsys):
    assert main(["drafts", "show", "nobody", "--json"]) == 1
    assert json.loads(capsys.readouterr().out) is None


def test_drafts_show_readable(database_url, capsys):
    with session_scope() as session:
        drafts.record_consent(session, "cli")
        drafts.save_parts(session, "cli", {"what_happened": "I stole a car."})
    assert main(["drafts", "show", "cli"]) == 0
    out = capsys.readouterr().out
    assert "What happened:\nI stole a car." in out
    assert "Version 1 (draft)" in out


def test_db_upgrade_is_repeatable(database_url):
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "upgrade"]) == 0


def test_reading_a_draft_from_the_command_line_is_audited(database_url, capsys):
    from sqlalchemy import select

    from bot.store.models import AuditEvent

    with session_scope() as session:
        drafts.record_consent(session, "cli")
        drafts.save_parts(session, "cli", {"what_happened": "I stole a car."})
    assert main(["drafts", "show", "cli"]) == 0
    with session_scope() as session:
        seen = session.scalars(select(AuditEvent).where(AuditEvent.action == "candidate_viewed"))
        assert [(e.actor, e.detail) for e in seen] == [("command line", {"via": "bot drafts show"})]


def test_users_add_reads_the_password_from_stdin_and_refuses_bad_input(
    database_url, capsys, monkeypatch
):
    import io

    from bot.review import accounts

    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["users", "add", "--role", "caseworker", "--email", "Sam@Example.org"]) == 0
    assert "Added sam@example.org (caseworker)" in capsys.readouterr().out
    with session_scope() as session:
        assert accounts.log_in(session, "sam@example.org", "a long enough password", "127.0.0.1")
    for email, password, says in [
        ("sam@example.org", "a long enough password", "already"),
        ("kim@example.org", "short", "at least 12"),
        ("not-an-email", "a long enough password", "valid email"),
    ]:
        monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
        assert main(["users", "add", "--role", "admin", "--email", email]) == 2
        assert says in capsys.readouterr().err
    assert main(["users", "disable", "--email", "sam@example.org"]) == 0
    assert main(["users", "disable", "--email", "nobody@example.org"]) == 2
    with session_scope() as session:
        assert accounts.find_account(session, "sam@example.org").active is False


def test_the_demo_caseworker_gets_a_new_password_on_every_start(database_url):
    from bot.cli import DEMO_CASEWORKER, demo_caseworker
    from bot.review import accounts

    with session_scope() as session:
        first = demo_caseworker(session)
    with session_scope() as session:
        second = demo_caseworker(session)
    assert first != second
    with session_scope() as session:
        assert (
            accounts.log_in(session, DEMO_CASEWORKER, second, "127.0.0.1").role.value
            == "caseworker"
        )
        with pytest.raises(accounts.LoginRefused):
            accounts.log_in(session, DEMO_CASEWORKER, first, "127.0.0.1")
