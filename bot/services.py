"""Starting and stopping the product's processes as one stack.

Used by `bot up`, by the end-to-end tests and by the benchmark, so all three run
the product the same way. The Rasa server and the action server listen on
127.0.0.1 only; the web app (when a web port is given) is the one public process.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import PROJECT_ROOT, settings
from bot.logsafe import PRIVATE_UMASK, copy_to_log

RASA_BIN = PROJECT_ROOT / ".venv-rasa" / "bin" / "rasa"
MODEL_PATH = PROJECT_ROOT / "models" / "disclosure.tar.gz"
LOCALHOST = "127.0.0.1"


@dataclass
class Stack:
    """The Rasa server plus the action server, on the given localhost ports."""

    rasa_port: int = 5005
    action_port: int = 5055
    database_url: str | None = None
    tracker_store_url: str | None = None
    web_port: int | None = None
    web_host: str = "0.0.0.0"
    log_dir: Path = PROJECT_ROOT / "var" / "log"
    # Further variables for every process (tests set idle times and key files).
    env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def rasa_url(self) -> str:
        return f"http://{LOCALHOST}:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://{LOCALHOST}:{self.action_port}"

    @property
    def web_url(self) -> str:
        return f"http://{LOCALHOST}:{self.web_port}"

    def environment(self) -> dict[str, str]:
        """The variables every process of the stack shares (endpoints.yml reads them)."""
        current = settings()
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.database_url or current.database_url,
            TRACKER_STORE_URL=self.tracker_store_url or current.tracker_store_url,
            ACTION_ENDPOINT_URL=f"{self.action_url}/webhook",
            ACTION_SERVER_PORT=str(self.action_port),
            RASA_URL=self.rasa_url,
            SANIC_HOST=LOCALHOST,
            RASA_TELEMETRY_ENABLED="false",
            TF_CPP_MIN_LOG_LEVEL="2",
        )
        env.update(self.env)
        return env

    def start(self) -> None:
        if not MODEL_PATH.exists():
            raise RuntimeError(f"No trained model at {MODEL_PATH}. Run `make train` first.")
        self.log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        env = self.environment()
        self._spawn(
            "actions",
            [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "-p", str(self.action_port)],
            env,
        )
        self._spawn(
            "rasa",
            [
                str(RASA_BIN), "run",
                "--interface", LOCALHOST,
                "--port", str(self.rasa_port),
                "--model", str(MODEL_PATH),
                "--endpoints", "endpoints.yml",
                "--credentials", "credentials.yml",
            ],
            env,
        )  # fmt: skip
        if self.web_port:
            self._spawn(
                "web",
                [sys.executable, "-m", "bot.cli", "web",
                 "--host", self.web_host, "--port", str(self.web_port)],
                env,
            )  # fmt: skip

    def log_path(self, name: str) -> Path:
        return self.log_dir / f"{name}-{self.rasa_port}.log"

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> None:
        """Start one process: its files private to its owner, its output copied into
        a log rotated by size."""
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            umask=PRIVATE_UMASK,
        )
        assert process.stdout is not None
        copy_to_log(process.stdout, self.log_path(name))
        self.processes[name] = process

    def wait_ready(self, timeout: float = 240.0) -> None:
        """Block until both servers answer; raise with the log's tail if one dies."""
        deadline = time.monotonic() + timeout
        checks = {"actions": f"{self.action_url}/health", "rasa": f"{self.rasa_url}/"}
        if self.web_port:
            checks["web"] = f"{self.web_url}/"
        pending = dict(checks)
        while pending:
            for name, url in list(pending.items()):
                process = self.processes[name]
                if process.poll() is not None:
                    raise RuntimeError(f"The {name} server stopped.\n{self.log_tail(name)}")
                if _answers(url):
                    del pending[name]
            if pending and time.monotonic() > deadline:
                raise TimeoutError(f"Not ready after {timeout:.0f}s: {', '.join(pending)}")
            time.sleep(0.5)

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.log_path(name)
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """Ask every process to stop, then make sure it has."""
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()

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
