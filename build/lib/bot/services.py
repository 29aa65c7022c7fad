"""Starting and stopping the product's processes as one stack, under supervisord.

Used by `bot up`, by the end-to-end and chaos tests and by the benchmark, so all
of them run the product the same way. Two shapes:

- embedded (`make run`): one web app, one Rasa server, one action server, SQLite;
- production (`make run-prod`): PostgreSQL, Redis, N Rasa replicas, M action
  servers and W web processes, each kind behind HAProxy. PostgreSQL and Redis are
  started here (throw-away, for tests and benchmarks) unless DATABASE_URL and
  REDIS_URL name servers of their own.

Either way supervisord restarts any process that stops. Only the website's port
listens beyond localhost.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import MODEL_PATH, RASA_BIN, VAR_DIR, settings
from bot.ops import balancer, datastores
from bot.ops.supervisor import GIVEN_UP, Program, Supervisor

LOCALHOST = "127.0.0.1"
# A candidate's turn holds their Redis lock at most this long (seconds). When a
# replica dies mid-turn its lock is freed after this, so the candidate's next
# message waits at most this long; a turn takes well under a second.
LOCK_LIFETIME_SECONDS = 20
# How often each Rasa server asks the web app whether the model changed (seconds):
# a publish reaches candidates within this. An unchanged answer is one 304.
MODEL_PULL_SECONDS = 10


@dataclass
class Stack:
    """The product's processes on the given localhost ports (the balancers' ports in
    the production shape)."""

    rasa_port: int = 5005
    action_port: int = 5055
    database_url: str | None = None
    tracker_store_url: str | None = None
    web_port: int | None = None
    web_host: str = "0.0.0.0"
    log_dir: Path = VAR_DIR / "log"
    # Further variables for every process (tests set idle times and key files).
    env: dict[str, str] = field(default_factory=dict)
    # --- the production shape -------------------------------------------------
    production: bool = False
    replicas: int = 1  # Rasa servers
    action_servers: int = 1
    web_processes: int = 1
    redis_url: str | None = None
    run_dir: Path | None = None
    supervisor: Supervisor | None = None
    # Chosen at start: a scratch folder (supervisord's socket, HAProxy's
    # configuration, a throw-away PostgreSQL), and the ports behind the balancers.
    _scratch: Path | None = field(default=None, init=False)
    _local_postgres: bool = field(default=False, init=False)
    _local_redis: bool = field(default=False, init=False)
    _postgres_port: int = field(default=0, init=False)
    _redis_port: int = field(default=0, init=False)
    _rasa_ports: list[int] = field(default_factory=list, init=False)
    _action_ports: list[int] = field(default_factory=list, init=False)
    _web_ports: list[int] = field(default_factory=list, init=False)
    _model_token: str = field(default_factory=lambda: secrets.token_urlsafe(32), init=False)

    @property
    def rasa_url(self) -> str:
        return f"http://{LOCALHOST}:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://{LOCALHOST}:{self.action_port}"

    @property
    def web_url(self) -> str:
        return f"http://{LOCALHOST}:{self.web_port}"

    # --- what runs ----------------------------------------------------------------
    def programs(self) -> list[Program]:
        """Every process, datastores first, in the order they are started."""
        if not self.production:
            assert self.web_port is not None
            return [
                _action_server("actions", self.action_port),
                _web_app("web", self.web_host, self.web_port),
                _rasa_server("rasa", self.rasa_port),
            ]
        assert self._scratch is not None
        stores = []
        if self._local_postgres:
            stores.append(datastores.postgres_program(self._scratch, self._postgres_port))
        if self._local_redis:
            stores.append(datastores.redis_program(self._redis_port))
        return [
            *stores,
            *(_action_server(f"actions-{i + 1}", p) for i, p in enumerate(self._action_ports)),
            *(_web_app(f"web-{i + 1}", LOCALHOST, p) for i, p in enumerate(self._web_ports)),
            *(_rasa_server(f"rasa-{i + 1}", p) for i, p in enumerate(self._rasa_ports)),
            Program(
                "haproxy",
                ["/usr/sbin/haproxy", "-db", "-f", str(self._scratch / "haproxy.cfg")],
                health_url=f"{self.rasa_url}/webhooks/rest/",
                stop_signal="USR1",  # soft stop: finish what is in flight
            ),
        ]

    def environment(self) -> dict[str, str]:
        """The variables every process of the stack shares (endpoints.yml reads them)."""
        current = settings()
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.database_url or current.database_url,
            TRACKER_STORE_URL=self.tracker_store_url or current.tracker_store_url,
            REDIS_URL=self.redis_url or "",
            ACTION_ENDPOINT_URL=f"{self.action_url}/webhook",
            ACTION_SERVER_PORT=str(self.action_port),
            RASA_URL=self.rasa_url,
            SANIC_HOST=LOCALHOST,
            TICKET_LOCK_LIFETIME=str(LOCK_LIFETIME_SECONDS),
            RASA_TELEMETRY_ENABLED="false",
            TF_CPP_MIN_LOG_LEVEL="2",
            # Rasa pulls its model from the website (the balancer's port in the
            # production shape), with a token only this stack's processes know.
            MODEL_SERVER_URL=f"{self.web_url}/models/current",
            MODEL_SERVER_TOKEN=os.environ.get("MODEL_SERVER_TOKEN") or self._model_token,
            MODEL_PULL_SECONDS=os.environ.get("MODEL_PULL_SECONDS") or str(MODEL_PULL_SECONDS),
        )
        if self.production:
            # The web processes see clients through HAProxy on this machine.
            env.setdefault("TRUSTED_PROXIES", f"{LOCALHOST}/32")
        env.update(self.env)
        return env

    # --- starting and stopping -------------------------------------------------
    def start(self) -> None:
        """Start supervisord, then the datastores, then everything else."""
        if not MODEL_PATH.exists():
            raise RuntimeError(f"No trained model at {MODEL_PATH}. Run `make train` first.")
        if self.production:
            self._plan_production()
        # Every stack has a website: the Rasa servers load their model from it.
        self.web_port = self.web_port or free_port()
        self.log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        run_dir = self.run_dir or self._scratch or Path(tempfile.mkdtemp(prefix="stack-"))
        self._scratch = self._scratch or run_dir
        programs = self.programs()
        self.supervisor = Supervisor(programs, run_dir, self.log_dir)
        self.supervisor.start(self.environment())
        stores = [p for p in programs if p.name in datastores.NAMES]
        for program in stores:
            self.supervisor.start_program(program.name)
        if stores:
            self._prepare_stores()
        for program in programs:
            if program not in stores:
                self.supervisor.start_program(program.name)

    def _plan_production(self) -> None:
        """Choose ports, start-here datastores and the HAProxy configuration."""
        self._scratch = Path(tempfile.mkdtemp(prefix="stack-"))
        self._scratch.chmod(0o700)
        env_database = os.environ.get("DATABASE_URL")
        self._local_postgres = not (self.database_url or env_database)
        if self._local_postgres:
            self._postgres_port = free_port()
            datastores.make_postgres_cluster(self._scratch)
            self.database_url = datastores.postgres_url(self._postgres_port)
        self.database_url = self.database_url or env_database
        self.tracker_store_url = (
            self.tracker_store_url or os.environ.get("TRACKER_STORE_URL") or self.database_url
        )
        env_redis = os.environ.get("REDIS_URL")
        self._local_redis = not (self.redis_url or env_redis)
        if self._local_redis:
            self._redis_port = free_port()
            self.redis_url = f"redis://{LOCALHOST}:{self._redis_port}/0"
        self.redis_url = self.redis_url or env_redis
        self.web_port = self.web_port or free_port()
        self._rasa_ports = [free_port() for _ in range(self.replicas)]
        self._action_ports = [free_port() for _ in range(self.action_servers)]
        self._web_ports = [free_port() for _ in range(self.web_processes)]
        unavailable = self._scratch / "unavailable.http"
        unavailable.write_text(balancer.unavailable_response())
        local = [f"{LOCALHOST}:{port}" for port in (self.rasa_port, self.action_port)]
        (self._scratch / "haproxy.cfg").write_text(
            balancer.haproxy_config(
                unavailable=str(unavailable),
                binds={
                    "web": f"{self.web_host}:{self.web_port}",
                    "rasa": local[0],
                    "action": local[1],
                },
                servers={
                    kind: [f"{LOCALHOST}:{port}" for port in ports]
                    for kind, ports in (
                        ("web", self._web_ports),
                        ("rasa", self._rasa_ports),
                        ("action", self._action_ports),
                    )
                },
            )
        )

    def _prepare_stores(self) -> None:
        """Wait for the datastores started here; make the schema."""
        from bot.store.db import upgrade

        deadline = time.monotonic() + 60
        if self._local_postgres:
            datastores.wait_for_postgres(self._postgres_port, deadline)
        if self._local_redis:
            datastores.wait_for_redis(self._redis_port, deadline)
        assert self.database_url is not None
        upgrade(self.database_url)

    def health_checks(self) -> dict[str, str]:
        assert self.supervisor is not None
        return {p.name: p.health_url for p in self.supervisor.programs if p.health_url}

    def wait_ready(self, timeout: float = 300.0) -> None:
        """Block until every program answers; raise with the log's tail if one gives up."""
        assert self.supervisor is not None
        deadline = time.monotonic() + timeout
        pending = self.health_checks()
        if self.production and self.web_port:
            pending["website"] = f"{self.web_url}/"
        while pending:
            for name, url in list(pending.items()):
                if name in self.health_checks() and self.supervisor.state(name) in GIVEN_UP:
                    raise RuntimeError(f"The {name} server stopped.\n{self.log_tail(name)}")
                if _answers(url):
                    del pending[name]
            if pending and time.monotonic() > deadline:
                raise TimeoutError(f"Not ready after {timeout:.0f}s: {', '.join(pending)}")
            time.sleep(0.5)

    def log_path(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.log_path(name)
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def pid(self, name: str) -> int:
        assert self.supervisor is not None
        return self.supervisor.pid(name)

    def kill(self, name: str) -> int:
        """kill -9 one program (for the chaos tests); supervisord starts it again."""
        pid = self.pid(name)
        os.kill(pid, signal.SIGKILL)
        return pid

    def wait_running(self, name: str, old_pid: int, timeout: float = 180.0) -> None:
        """Until `name` runs again under a new pid and answers its health check."""
        assert self.supervisor is not None
        deadline = time.monotonic() + timeout
        url = self.health_checks().get(name)
        while True:
            info = self.supervisor.info(name)
            restarted = info["statename"] == "RUNNING" and info["pid"] != old_pid
            if restarted and (url is None or _answers(url)):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name} did not come back: {info['statename']}")
            time.sleep(0.5)

    def stop(self) -> None:
        """Stop every process, and remove the throw-away datastores."""
        if self.supervisor is not None:
            self.supervisor.stop()
            self.supervisor = None
        if self._scratch is not None and self._scratch != self.run_dir:
            shutil.rmtree(self._scratch, ignore_errors=True)
        self._scratch = None

    def __enter__(self) -> Stack:
        self.start()
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _action_server(name: str, port: int) -> Program:
    return Program(
        name,
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "-p", str(port)],
        health_url=f"http://{LOCALHOST}:{port}/health",
        env={"ACTION_SERVER_PORT": str(port)},
    )


def _rasa_server(name: str, port: int) -> Program:
    return Program(
        name,
        [
            str(RASA_BIN), "run",
            "--interface", LOCALHOST,
            "--port", str(port),
            "--endpoints", "endpoints.yml",
            "--credentials", "credentials.yml",
        ],
        # The REST channel answers 200 only once the model is loaded (from the
        # web app: endpoints.yml `models:`).
        health_url=f"http://{LOCALHOST}:{port}/webhooks/rest/",
        start_seconds=10,
    )  # fmt: skip


def _web_app(name: str, host: str, port: int) -> Program:
    return Program(
        name,
        [sys.executable, "-m", "bot.cli", "web", "--host", host, "--port", str(port)],
        health_url=f"http://{LOCALHOST}:{port}/",
    )


def free_port() -> int:
    """A localhost port nobody is listening on right now (for tests and benchmarks)."""
    with socket.socket() as s:
        s.bind((LOCALHOST, 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False
