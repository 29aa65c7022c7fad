"""The privacy and access promises, piece by piece, with a real database and a
controlled clock. (The whole product on its files: test_privacy_e2e.py.)"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import stat
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select

from bot.cli import build_parser, main
from bot.commands import PAGE_COMMANDS, as_text, button_commands, clean_text, is_command
from bot.config import PROJECT_ROOT
from bot.rest_client import outgoing
from bot.review import caseload, export
from bot.store import access, drafts, retention
from bot.store.conversations import EVENTS, _metadata, count_events
from bot.store.db import engine_for, session_scope
from bot.store.models import (
    Candidate,
    ConversationKey,
    StaffSession,
    StatementVersion,
    WebSession,
    utcnow,
)
from bot.store.secret_key import key_file
from bot.web.clients import client_address, parse_networks
from bot.web.limits import RateLimiter
from tests.review_helpers import account, add_account

# --- what passes as a command ---------------------------------------------------


def test_only_the_buttons_own_payloads_pass_as_commands():
    assert '/answer{"practice_job": "care"}' in button_commands()
    assert '/go_back{"part": "what_happened"}' in button_commands()
    for command in ("/skip_part", "/affirm", *PAGE_COMMANDS):
        assert is_command(command) and outgoing(command) == command
    for made_up in ('/answer{"practice_job": "astronaut"}', "/go_back{}", "/nonsense", "/"):
        assert not is_command(made_up)


@pytest.mark.parametrize(
    "message",
    [
        "/ I want to end my life",
        "/skip_part I want to kill myself",
        '/answer{"practice_job": "care"} I want to end it all',
        "\n  //I am going to hurt myself",
        "/\u200bI want to end my life",
    ],
)
def test_a_slash_before_words_of_risk_still_reaches_the_safety_check(message):
    assert outgoing(message) == "/safety_concern"


def test_other_text_after_a_slash_is_sent_as_words_not_as_a_command():
    assert outgoing("/answer I stole a car") == "answer I stole a car"
    assert as_text("  // hello") == "hello"


# --- text that can always go into a document --------------------------------------


def test_control_characters_are_cleaned_on_arrival_so_the_statement_always_exports(
    database_url,
):
    typed = "I stole\x00 a car\x08 in 2019.\r\nI was 19\x1b[31m.\ufffe"
    assert clean_text(typed) == "I stole a car in 2019.\nI was 19[31m."
    raw = StatementVersion(number=1, what_happened=typed, circumstances="", feelings_now="",
                           aspirations="")  # fmt: skip
    with pytest.raises(ValueError):
        export.as_docx(raw)  # what would happen without the cleaning
    with session_scope() as db:
        drafts.record_consent(db, "ctrl")
        drafts.save_parts(db, "ctrl", {"what_happened": typed})  # even past the gateway
    with session_scope() as db:
        version = db.scalar(select(StatementVersion))
        assert "I stole a car in 2019." in export.docx_text(export.as_docx(version))


# --- codes and keyed hashes ----------------------------------------------------------


def test_codes_carry_at_least_64_random_bits_and_are_stored_keyed(database_url, tmp_path):
    with session_scope() as db:
        code, key = access.create_practice(db)
        stored = key.key_hash
    letters = code.replace("-", "")
    assert len(letters) * 5 >= 64 and set(letters) <= set(access.CODE_ALPHABET)
    assert len({access.new_code() for _ in range(1000)}) == 1000
    # A copy of the database alone: the plain hash of the code is not what is stored,
    # and neither is a keyed hash with any other key.
    assert stored != hashlib.sha256(code.encode()).hexdigest()
    other_key = hmac.new(b"another key", code.encode(), hashlib.sha256).hexdigest()
    assert stored != other_key
    path = key_file()
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_code_is_read_the_same_whatever_the_case_spaces_or_lookalikes():
    assert access.normalise_code(" 7k3mq 9tz4h xrpw2 ") == "7K3MQ-9TZ4H-XRPW2"
    assert access.normalise_code("OIL00-11111-22222") == "01100-11111-22222"


# --- invite links, codes and sessions ----------------------------------------------


def _invite() -> tuple[str, str]:
    with session_scope() as db:
        token, key = access.create_invite(db, "cw@example.org")
        return token, key.sender_id


def test_an_invite_link_needs_the_candidates_code_after_its_first_use(database_url):
    token, sender = _invite()
    with session_scope() as db:
        key = access.find_invite(db, token)
        code = access.give_invite_code(db, key)
    with session_scope() as db:
        key = access.find_invite(db, token)
        assert access.invite_code_matches(key, code.lower().replace("-", " "))
        assert not access.invite_code_matches(key, "")
        assert not access.invite_code_matches(key, access.new_code())
        assert access.find_by_code(db, code).sender_id == sender  # the code opens it too


def test_a_new_invite_link_ends_every_session_and_clears_the_code(database_url):
    add_account("cw@example.org")
    token, sender = _invite()
    with session_scope() as db:
        key = access.find_invite(db, token)
        code = access.give_invite_code(db, key)
        cookie, _ = access.start_session(db, sender)
    with session_scope() as db:
        assert access.find_session(db, cookie) is not None
        key = access.find_invite(db, token)
        new_token = caseload.new_invite_link(db, account("cw@example.org"), key)
    with session_scope() as db:
        assert access.find_session(db, cookie) is None
        assert access.find_invite(db, token) is None
        assert access.find_by_code(db, code) is None
        assert access.find_invite(db, new_token).code_hash is None  # a new code on first use


def test_a_session_ends_after_its_idle_time_and_use_keeps_it_alive(database_url):
    _, sender = _invite()
    with session_scope() as db:
        cookie, _ = access.start_session(db, sender)
    start = utcnow()
    nearly = start + access.SESSION_IDLE - timedelta(minutes=1)
    with session_scope() as db:
        assert access.find_session(db, cookie, now=nearly) is not None  # used: alive again
    with session_scope() as db:
        later = nearly + access.SESSION_IDLE - timedelta(minutes=1)
        assert access.find_session(db, cookie, now=later) is not None
    with session_scope() as db:
        idle = later + access.SESSION_IDLE + timedelta(seconds=1)
        assert access.find_session(db, cookie, now=idle) is None


def test_a_staff_session_ends_after_its_idle_time(database_url):
    from bot.review import accounts

    add_account("cw@example.org")
    with session_scope() as db:
        cookie, _ = accounts.start_staff_session(db, account("cw@example.org"))
    idle = utcnow() + accounts.STAFF_SESSION_IDLE + timedelta(seconds=1)
    with session_scope() as db:
        assert accounts.find_staff_session(db, cookie, now=idle) is None
        assert accounts.find_staff_session(db, cookie) is not None


# --- where a request comes from ------------------------------------------------------

PROXY = parse_networks("10.0.0.5, 2001:db8:ffff::/48")


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("198.51.100.7", "", "198.51.100.7"),
        ("198.51.100.7", "203.0.113.9", "198.51.100.7"),  # not a proxy: header ignored
        ("10.0.0.5", "203.0.113.9", "203.0.113.9"),
        ("10.0.0.5", "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # the nearest untrusted hop
        ("10.0.0.5", "203.0.113.9, 10.0.0.5", "203.0.113.9"),
        ("10.0.0.5", "not an address", "10.0.0.5"),
        ("2001:db8:1:2:aaaa::1", "", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "", "2001:db8:1:2::/64"),  # the same household
        ("2001:db8:ffff::1", "2001:db8:5:6::7", "2001:db8:5:6::/64"),
        ("::ffff:198.51.100.7", "", "198.51.100.7"),
        (None, "", "unknown"),
    ],
)
def test_the_client_is_taken_from_forwarded_headers_only_behind_a_trusted_proxy(
    peer, forwarded, client
):
    assert client_address(peer, forwarded, PROXY) == client


def test_a_bad_trusted_proxies_setting_is_a_clear_error():
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        parse_networks("10.0.0.0/8, not-a-network")


def test_the_rate_limiter_holds_a_bounded_number_of_clients():
    limiter = RateLimiter(burst=1, per_second=0.001, max_keys=100)
    for n in range(10_000):
        limiter.take(f"client-{n}", now=float(n))
    assert len(limiter._buckets) == 100
    assert limiter.take("client-9999", now=10_000.0) > 0  # the newest are still counted


# --- retention ---------------------------------------------------------------------------


def _events(url: str, sender: str, at: float) -> None:
    _metadata.create_all(engine_for(url))
    with engine_for(url).begin() as conn:
        conn.execute(insert(EVENTS).values(sender_id=sender, type_name="user", timestamp=at))


def test_the_purge_deletes_only_what_is_past_its_period(database_url):
    from bot.review import accounts

    tracker = os.environ["TRACKER_STORE_URL"]
    now = utcnow()
    policy = retention.Retention.from_env()
    add_account("cw@example.org")
    with session_scope() as db:
        caseworker = account("cw@example.org")
        old_staff, _ = accounts.start_staff_session(db, caseworker)
        live_staff, _ = accounts.start_staff_session(db, caseworker)
        with pytest.raises(accounts.LoginRefused):
            accounts.log_in(db, "cw@example.org", "wrong password!", "192.0.2.1",
                            now=now - timedelta(days=1))  # fmt: skip
    with session_scope() as db:
        db.execute(
            StaffSession.__table__.update()
            .where(StaffSession.token_hash == access.digest(old_staff))
            .values(last_seen_at=now - timedelta(days=1))
        )
        _, old_practice = access.create_practice(db)
        _, fresh_practice = access.create_practice(db)
        _, old_unused = access.create_invite(db, "cw@example.org")
        _, fresh_unused = access.create_invite(db, "cw@example.org")
        _, old_used = access.create_invite(db, "cw@example.org")
        expired, _ = access.start_session(db, old_practice.sender_id)
        live, _ = access.start_session(db, fresh_practice.sender_id)
        old_practice.last_used_at = now - policy.practice - timedelta(days=1)
        fresh_practice.last_used_at = now - policy.practice + timedelta(days=1)
        old_unused.created_at = now - policy.unused_invite - timedelta(days=1)
        old_used.created_at = old_unused.created_at
        old_used.last_used_at = old_unused.created_at
        senders = {k: k.sender_id for k in (old_practice, fresh_practice, old_used)}
        db.flush()
        db.execute(
            WebSession.__table__.update()
            .where(WebSession.sender_id == old_practice.sender_id)
            .values(last_seen_at=now - timedelta(days=2))
        )
    for sender in senders.values():
        drafts_parts = {"what_happened": "I stole a car in 2019."}
        with session_scope() as db:
            drafts.record_consent(db, sender)
            drafts.save_parts(db, sender, drafts_parts)
        _events(tracker, sender, now.timestamp())
    _events(tracker, "terminal-chat", (now - timedelta(days=2)).timestamp())  # no key: orphan
    _events(tracker, "recent-terminal", now.timestamp())

    counted = retention.purge(database_url, tracker, now=now, dry_run=True)
    assert counted == {
        "practice_chats": 1, "unused_invites": 1, "web_sessions": 1, "staff_sessions": 1,
        "login_failures": 1, "tracker_conversations": 2,
    }  # fmt: skip
    assert count_events(old_practice.sender_id, tracker) == 1  # a dry run deletes nothing
    assert retention.purge(database_url, tracker, now=now) == counted

    with session_scope() as db:
        left = set(db.scalars(select(ConversationKey.sender_id)))
        assert left == {fresh_practice.sender_id, fresh_unused.sender_id, old_used.sender_id}
        assert db.scalar(select(func.count()).select_from(Candidate)) == 2
        assert access.find_session(db, live) is not None
        assert access.find_session(db, expired) is None
        assert accounts.find_staff_session(db, live_staff) is not None
        assert db.scalar(select(func.count()).select_from(StaffSession)) == 1
    assert count_events(old_practice.sender_id, tracker) == 0
    assert count_events("terminal-chat", tracker) == 0
    assert count_events("recent-terminal", tracker) == 1
    assert count_events(fresh_practice.sender_id, tracker) == 1
    assert retention.purge(database_url, tracker, now=now) == dict.fromkeys(counted, 0)


def test_the_retention_periods_are_settings(monkeypatch):
    monkeypatch.setenv("PRACTICE_RETENTION_DAYS", "7")
    monkeypatch.setenv("UNUSED_INVITE_DAYS", "14")
    policy = retention.Retention.from_env()
    assert policy.practice == timedelta(days=7) and policy.unused_invite == timedelta(days=14)


def test_bot_purge_prints_counts_only(database_url, capsys):
    with session_scope() as db:
        _, key = access.create_practice(db)
        key.last_used_at = utcnow() - timedelta(days=365)
        sender = key.sender_id
    assert main(["purge", "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert "would delete 1 practice chats" in printed and sender not in printed
    assert main(["purge"]) == 0
    assert "deleted 1 practice chats" in capsys.readouterr().out
    assert main(["purge"]) == 0
    assert "deleted 0 practice chats" in capsys.readouterr().out


# --- the demo account ------------------------------------------------------------------


def test_bot_up_makes_the_demo_caseworker_only_when_asked():
    assert build_parser().parse_args(["up"]).demo is False
    assert build_parser().parse_args(["up", "--demo"]).demo is True
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    assert re.search(r"^run:.*\n\t@\$\(BOT\) up --demo$", makefile, re.M)


def test_every_test_the_readme_names_for_a_promise_exists():
    readme = (PROJECT_ROOT / "README.md").read_text()
    section = readme.split("## Privacy and security", 1)[1].split("\n## ", 1)[0]
    files = sorted((PROJECT_ROOT / "tests").rglob("test_*.py"))
    # A name that is a test file (test_e2e.py) names where the tests are, not a test.
    named = set(re.findall(r"\b(test_[a-z0-9_]+)\b", section)) - {p.stem for p in files}
    source = "".join(p.read_text() for p in files)
    missing = sorted(n for n in named if f"def {n}(" not in source)
    assert not missing and len(named) > 15


def test_a_process_log_is_rotated_by_size_and_private(tmp_path):
    import subprocess
    import sys

    from bot.logsafe import copy_to_log

    child = subprocess.Popen(
        [sys.executable, "-c", "for n in range(2000): print('line', n, 'x' * 60)"],
        stdout=subprocess.PIPE,
    )
    copy_to_log(child.stdout, tmp_path / "web.log", max_bytes=20_000, backups=2).join(30)
    child.wait()
    logs = sorted(p.name for p in tmp_path.iterdir())
    assert logs == ["web.log", "web.log.1", "web.log.2"]  # the oldest ones are gone
    for log in tmp_path.iterdir():
        assert log.stat().st_size <= 20_000
        assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert "line 1999" in (tmp_path / "web.log").read_text()


def test_files_an_older_install_left_readable_are_made_private(tmp_path):
    from bot.logsafe import make_private

    var = tmp_path / "var"
    (var / "log").mkdir(parents=True)
    for name in ("app.db", "log/web.log"):
        (var / name).write_text("x")
        (var / name).chmod(0o644)
    var.chmod(0o755)
    make_private(var)
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
    for path in var.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
