"""PostgreSQL and Redis started by the stack itself, when no URL names a server.

For tests, benchmarks and trying the production shape on one machine: both are
throw-away. PostgreSQL's data lives in the stack's scratch folder and goes when
the stack stops; Redis keeps nothing on disk at all (no snapshots, no append
log), which is also what the product needs of any Redis it is given, since
unsaved conversations are held there.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

from bot.ops.supervisor import Program

NAMES = ("postgres", "redis")
DATABASE = "app"
# PostgreSQL refuses to run as root; then its files belong to this account.
POSTGRES_ACCOUNT = "postgres"


def postgres_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: run `make prod-packages`.")
    return found[-1]


def postgres_url(port: int) -> str:
    return f"postgresql://{DATABASE}@127.0.0.1:{port}/{DATABASE}"


def make_postgres_cluster(scratch: Path) -> None:
    """A fresh, empty cluster in `scratch`/postgres (once per stack)."""
    as_root = os.geteuid() == 0
    if as_root:
        # Its folder must be reachable by the postgres account, and nothing else.
        shutil.chown(scratch, user=POSTGRES_ACCOUNT)
    run_as = ["runuser", "-u", POSTGRES_ACCOUNT, "--"] if as_root else []
    subprocess.run(
        [*run_as, str(postgres_bin() / "initdb"), "-D", str(scratch / "postgres"),
         "-A", "trust", "-U", DATABASE],
        check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def postgres_program(scratch: Path, port: int) -> Program:
    """The cluster made by `make_postgres_cluster`, served by supervisord."""
    return Program(
        "postgres",
        [
            str(postgres_bin() / "postgres"), "-D", str(scratch / "postgres"),
            "-h", "127.0.0.1", "-p", str(port), "-k", str(scratch),
        ],
        # A fast shutdown: a smart one (TERM) waits for every pooled connection.
        stop_signal="INT",
        user=POSTGRES_ACCOUNT if os.geteuid() == 0 else None,
    )  # fmt: skip


def redis_program(port: int) -> Program:
    return Program(
        "redis",
        [
            "/usr/bin/redis-server", "--bind", "127.0.0.1", "--port", str(port),
            "--save", "", "--appendonly", "no", "--protected-mode", "yes",
        ],
    )  # fmt: skip


def wait_for_postgres(port: int, deadline: float) -> None:
    """Until the server takes connections; then make the application's database."""
    import psycopg

    while True:
        try:
            with psycopg.connect(
                f"postgresql://{DATABASE}@127.0.0.1:{port}/postgres", autocommit=True
            ) as conn:
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)
                ).fetchone()
                if not exists:
                    conn.execute(f'CREATE DATABASE "{DATABASE}"')
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def wait_for_redis(port: int, deadline: float) -> None:
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError("Redis did not start.")
        time.sleep(0.2)
