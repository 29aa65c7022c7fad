import json

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
