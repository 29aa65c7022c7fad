"""The `bot` command: database, drafts, and running the assistant."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import PROJECT_ROOT, VAR_DIR, settings
from bot.logsafe import PRIVATE_UMASK, make_private
from bot.parts import PARTS

if TYPE_CHECKING:  # imported lazily at run time, to keep `bot --help` quick
    from sqlalchemy.orm import Session


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from bot.store.db import upgrade

    upgrade()
    make_private(VAR_DIR)
    return 0


def cmd_drafts_show(args: argparse.Namespace) -> int:
    from bot.review.audit import record
    from bot.statement import titled
    from bot.store import drafts, flags, practice
    from bot.store.db import session_scope

    with session_scope() as session:
        draft = drafts.latest_draft(session, args.sender_id)
        raised = flags.flags_for(session, args.sender_id)
        rounds = practice.rounds_for(session, args.sender_id)
        if draft:  # reading a candidate's statement is recorded, from here too
            candidate = drafts.find_candidate(session, args.sender_id)
            record(session, "command line", "candidate_viewed", candidate.id if candidate else None,
                   via="bot drafts show")  # fmt: skip
    if args.json:
        flagged = {"safety_flags": [at.isoformat() for at in raised], "practice_rounds": rounds}
        shown = {**draft.to_json(), **flagged} if draft else None
        print(json.dumps(shown, ensure_ascii=False, indent=2))
    elif draft:
        print(f"Version {draft.version} ({draft.status}), saved {draft.created_at:%Y-%m-%d %H:%M}")
        if raised:
            print(f"SAFETY CHECK raised {len(raised)} time(s), last {raised[-1]:%Y-%m-%d %H:%M}")
        print()
        print(titled(draft.parts))
    else:
        print("No saved draft for that conversation.", file=sys.stderr)
    return 0 if draft else 1


def cmd_flags(args: argparse.Namespace) -> int:
    """Every conversation where the safety check fired, newest first, with its caseworker."""
    from sqlalchemy import select

    from bot.store.access import key_for_sender
    from bot.store.db import session_scope
    from bot.store.models import SafetyFlag

    with session_scope() as session:
        rows = session.scalars(select(SafetyFlag).order_by(SafetyFlag.id.desc())).all()
        for flag in rows:
            key = key_for_sender(session, flag.sender_id)
            who = (key.caseworker if key else "") or "(no caseworker)"
            print(f"{flag.raised_at:%Y-%m-%d %H:%M}  {flag.sender_id}  {who}  {flag.context}")
    if not rows:
        print("No safety flags.")
    return 0


def _stop_on_signal(*_: object) -> None:
    """SIGTERM stops `bot up` the same way Ctrl-C does."""
    raise KeyboardInterrupt


def cmd_up(args: argparse.Namespace) -> int:
    """Start the whole product under supervisord and keep it up until Ctrl-C.

    supervisord restarts any process that stops; this command only prints where
    to go, and stops everything at the end."""
    from bot.services import Stack
    from bot.store import access
    from bot.store.db import session_scope, upgrade

    make_private(VAR_DIR)
    stack = Stack(
        rasa_port=args.rasa_port,
        action_port=args.action_port,
        web_port=args.web_port,
        run_dir=VAR_DIR / "run",
        production=args.prod,
        replicas=args.replicas,
        action_servers=args.action_servers,
        web_processes=args.web_processes,
    )
    if args.prod:
        print(
            f"Starting the production shape: {args.replicas} Rasa replicas, "
            f"{args.action_servers} action servers, {args.web_processes} web processes "
            "behind HAProxy, with PostgreSQL and Redis (about a minute)..."
        )
    else:
        upgrade()
        print("Starting the web app, the action server and the Rasa server (about a minute)...")
    signal.signal(signal.SIGTERM, _stop_on_signal)
    try:
        stack.start()
        stack.wait_ready()
    except (RuntimeError, TimeoutError) as error:
        print(error, file=sys.stderr)
        stack.stop()
        return 1
    except KeyboardInterrupt:
        stack.stop()
        return 0
    public = settings().public_url if not args.prod else stack.web_url
    print(f"\nThe assistant is up. Open {public}/ in your browser.")
    if args.demo:  # `make run` asks for it; a real deployment does not
        with session_scope(stack.database_url) as session:
            password = demo_caseworker(session)
            token, key = access.create_invite(session, DEMO_CASEWORKER)
            key.name = "Demo candidate"
        print(f"A demo candidate's invite link: {public}/invite/{token}")
        print(f"Caseworker pages: {public}/staff/login  as {DEMO_CASEWORKER}")
        print(f"  with the password {password}  (a new one on every start)")
    print("Or chat in a terminal:  make shell")
    print("Press Ctrl-C to stop.")
    try:
        while stack.supervisor is not None and stack.supervisor.running():
            time.sleep(1)
        print("The process manager stopped unexpectedly; see var/log/.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping...")
        return 0
    finally:
        stack.stop()


DEMO_CASEWORKER = "demo.caseworker@example.org"


def demo_caseworker(session: Session) -> str:
    """The demo caseworker account `make run` signs in with; a fresh random password
    on every start (shown once), so an old printed password stops working."""
    import secrets

    from bot.review import accounts

    password = secrets.token_urlsafe(12)
    account = accounts.find_account(session, DEMO_CASEWORKER)
    if account is None:
        accounts.add_account(session, DEMO_CASEWORKER, "caseworker", password, by="bot up")
    else:
        accounts.set_password(session, account, password, by="bot up")
    return password


def cmd_users_add(args: argparse.Namespace) -> int:
    """A staff account. The password is asked for twice (or read from stdin when it is
    not a terminal), never taken from the command line where `ps` would show it."""
    import getpass

    from bot.review import accounts
    from bot.store.db import session_scope, upgrade

    if sys.stdin.isatty():
        password = getpass.getpass("Password (at least 12 characters): ")
        if getpass.getpass("The same again: ") != password:
            print("The two passwords are not the same; nothing was added.", file=sys.stderr)
            return 2
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    upgrade()
    try:
        with session_scope() as session:
            accounts.add_account(session, args.email, args.role, password, by="command line")
    except accounts.AccountError as error:
        print(f"{error} Nothing was added.", file=sys.stderr)
        return 2
    print(f"Added {accounts.normalise_email(args.email)} ({args.role}).")
    return 0


def cmd_users_disable(args: argparse.Namespace) -> int:
    from bot.review import accounts
    from bot.store.db import session_scope

    with session_scope() as session:
        account = accounts.find_account(session, args.email)
        if account is None:
            print("There is no account with that email.", file=sys.stderr)
            return 2
        accounts.set_active(session, account, False, by="command line")
    print(f"Disabled {account.email}.")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    """Delete what is past its keeping time; print how many of each, nothing else."""
    from bot.store.retention import purge

    current = settings()
    counts = purge(current.database_url, current.tracker_store_url, dry_run=args.dry_run)
    verb = "would delete" if args.dry_run else "deleted"
    for what, count in counts.items():
        print(f"{verb} {count} {what.replace('_', ' ')}")
    return 0


def cmd_training_export(args: argparse.Namespace) -> int:
    """Write what trainers changed as Rasa YAML (into the repository unless --out)."""
    from bot.store.db import session_scope
    from bot.training.export import export

    with session_scope(settings().database_url) as db:
        paths = export(db, Path(args.out) if args.out else PROJECT_ROOT)
    for path in paths:
        print(f"wrote {path}")
    return 0


def cmd_training_run_job(args: argparse.Namespace) -> int:
    """One background job's own process (the web app starts it: bot.training.jobs)."""
    from bot.training.jobs import run

    current = settings()
    status = run(args.job_id, current.database_url, current.training_dir)
    print(f"job {args.job_id}: {status}")
    return 0 if status == "passed" else 1


def cmd_shell(args: argparse.Namespace) -> int:
    from bot.shell import chat

    asyncio.run(chat(args.rasa_url or settings().rasa_url, args.conversation))
    return 0


MAX_SPENT_INPUT = 1_000_000  # bytes; far more than any real record


def cmd_spent(args: argparse.Namespace) -> int:
    """The `bot spent` contract: JSON in on stdin, JSON out, exit 2 on bad input."""
    from bot.spent import InputError, check_json

    raw = sys.stdin.buffer.read(MAX_SPENT_INPUT + 1)
    try:
        if len(raw) > MAX_SPENT_INPUT:
            raise InputError("input", f"larger than {MAX_SPENT_INPUT} bytes")
        try:
            data = json.loads(raw.decode("utf-8"))
        except json.JSONDecodeError as error:
            where = f"line {error.lineno}, column {error.colno}"
            raise InputError("input", f"not valid JSON ({where})") from None
        except (UnicodeDecodeError, RecursionError):
            raise InputError("input", "not valid JSON in UTF-8, or nested too deeply") from None
        result = check_json(data)
    except InputError as error:
        print(f"bot spent: {error}".replace("\n", " "), file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0


def cmd_coach(args: argparse.Namespace) -> int:
    """The `bot coach` contract: a part (or a statement as JSON) in, findings out."""
    from bot.coaching import contract
    from bot.coaching.engine import Coach

    raw = sys.stdin.buffer.read(contract.MAX_INPUT_BYTES + 1)
    try:
        findings = contract.run(Coach(), raw, None if args.statement else args.section)
    except contract.CoachInputError as error:
        print(f"bot coach: {error}".replace("\n", " "), file=sys.stderr)
        return 2
    print(contract.findings_json(findings) if args.json else contract.findings_text(findings))
    return 0


def cmd_web(args: argparse.Namespace) -> int:
    """Serve the website (the only process that listens beyond localhost)."""
    from aiohttp import web

    from bot.web.app import create_app

    web.run_app(create_app(), host=args.host, port=args.port, print=None, access_log=None)
    return 0


def cmd_invite_create(args: argparse.Namespace) -> int:
    """A caseworker's invite link for a new candidate (shown once)."""
    from bot.store import access
    from bot.store.db import session_scope

    with session_scope() as session:
        token, _ = access.create_invite(session, args.caseworker)
    base = args.base_url or settings().public_url
    print(f"{base}/invite/{token}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bot", description="Disclosure-coaching assistant.")
    commands = parser.add_subparsers(dest="command", required=True)

    db = commands.add_parser("db", help="the application database").add_subparsers(
        dest="db_command", required=True
    )
    db.add_parser("upgrade", help="create or upgrade the schema").set_defaults(func=cmd_db_upgrade)

    drafts = commands.add_parser("drafts", help="saved drafts").add_subparsers(
        dest="drafts_command", required=True
    )
    show = drafts.add_parser("show", help="the latest version of a candidate's statement")
    show.add_argument("sender_id", help="the conversation (sender) id")
    show.add_argument("--json", action="store_true", help="print JSON (null if none)")
    show.set_defaults(func=cmd_drafts_show)

    commands.add_parser(
        "flags", help="conversations where the safety check fired (for caseworkers)"
    ).set_defaults(func=cmd_flags)

    spent = commands.add_parser(
        "spent",
        help="when convictions become spent (JSON on stdin, see docs/spent-checker.md)",
    )
    spent.set_defaults(func=cmd_spent)

    coach = commands.add_parser(
        "coach", help="coaching findings for a part (text on stdin) or a statement (JSON)"
    )
    which = coach.add_mutually_exclusive_group(required=True)
    which.add_argument("--section", choices=PARTS, help="the part the text on stdin is")
    which.add_argument(
        "--statement", action="store_true", help="stdin is a JSON object of the four parts"
    )
    coach.add_argument("--json", action="store_true", help="print the findings as JSON")
    coach.set_defaults(func=cmd_coach)

    web_cmd = commands.add_parser("web", help="serve the website")
    web_cmd.add_argument("--host", default="0.0.0.0")
    web_cmd.add_argument("--port", type=int, default=settings().web_port)
    web_cmd.set_defaults(func=cmd_web)

    invite = commands.add_parser("invite", help="invite links").add_subparsers(
        dest="invite_command", required=True
    )
    create = invite.add_parser("create", help="a new candidate's invite link (shown once)")
    create.add_argument("--caseworker", required=True, help="who reviews this candidate")
    create.add_argument("--base-url", help="default: PUBLIC_URL or http://127.0.0.1:8000")
    create.set_defaults(func=cmd_invite_create)

    users = commands.add_parser("users", help="staff accounts").add_subparsers(
        dest="users_command", required=True
    )
    add = users.add_parser("add", help="add a caseworker, trainer or admin account")
    add.add_argument("--role", required=True, choices=("caseworker", "trainer", "admin"))
    add.add_argument("--email", required=True)
    add.set_defaults(func=cmd_users_add)
    disable = users.add_parser("disable", help="disable an account (it cannot sign in)")
    disable.add_argument("--email", required=True)
    disable.set_defaults(func=cmd_users_disable)

    up = commands.add_parser("up", help="start the whole product (website, Rasa, actions)")
    up.add_argument("--rasa-port", type=int, default=5005)
    up.add_argument("--action-port", type=int, default=settings().action_server_port)
    up.add_argument("--web-port", type=int, default=settings().web_port)
    up.add_argument(
        "--demo", action="store_true", help="also make a demo caseworker and candidate invite"
    )
    up.add_argument(
        "--prod", action="store_true",
        help="the production shape: PostgreSQL, Redis, replicas behind HAProxy",
    )  # fmt: skip
    up.add_argument("--replicas", type=int, default=2, help="Rasa servers (with --prod)")
    up.add_argument("--action-servers", type=int, default=2, help="(with --prod)")
    up.add_argument("--web-processes", type=int, default=2, help="(with --prod)")
    up.set_defaults(func=cmd_up)

    purge = commands.add_parser(
        "purge", help="delete what is past its keeping time (counts only are printed)"
    )
    purge.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    purge.set_defaults(func=cmd_purge)

    training = commands.add_parser("training", help="what trainers changed").add_subparsers(
        dest="training_command", required=True
    )
    export = training.add_parser("export", help="write trainers' examples and stories as Rasa YAML")
    export.add_argument(
        "--out", help="a folder laid out as the repository, to write into (default: the repository)"
    )
    export.set_defaults(func=cmd_training_export)
    run_job = training.add_parser("run-job", help="run one check or publish (the web app does)")
    run_job.add_argument("job_id", type=int)
    run_job.set_defaults(func=cmd_training_run_job)

    shell = commands.add_parser("shell", help="chat with the running assistant")
    shell.add_argument("--conversation", help="carry on an earlier conversation by its id")
    shell.add_argument("--rasa-url", help="default: RASA_URL or http://127.0.0.1:5005")
    shell.set_defaults(func=cmd_shell)
    return parser


def main(argv: list[str] | None = None) -> int:
    # Databases, logs and the secret key this command writes are its owner's alone.
    os.umask(PRIVATE_UMASK)
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
