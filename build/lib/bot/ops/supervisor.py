"""supervisord for one stack: its configuration, and the calls the stack makes to it.

supervisord (an established process manager, installed from the lock file) owns
every process: it starts them, restarts any that stops, and keeps their output in
size-rotated logs. We talk to it over its XML-RPC interface on a Unix socket that
only the owner can open.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
import xmlrpc.client
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from supervisor.xmlrpc import SupervisorTransport

from bot.config import PROJECT_ROOT
from bot.logsafe import LOG_BACKUPS, LOG_MAX_BYTES, PRIVATE_UMASK

TEMPLATES = Path(__file__).resolve().parent / "templates"
SUPERVISORD = Path(sys.executable).parent / "supervisord"
# supervisord's states that mean "not running, and not going to by itself".
GIVEN_UP = {"FATAL"}


def render(template: str, **values: Any) -> str:
    """One of the ops templates (supervisord, HAProxy), filled in."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # configuration files, not pages
    )
    return env.get_template(template).render(**values)


@dataclass(frozen=True)
class Program:
    """One process of the stack, as supervisord runs it."""

    name: str
    command: list[str]
    # Answers 200 once the program can do its work (None: being up is enough).
    health_url: str | None = None
    # Variables on top of the ones every program shares.
    env: dict[str, str] = field(default_factory=dict)
    stop_signal: str = "TERM"
    user: str | None = None
    start_seconds: int = 3

    @property
    def command_line(self) -> str:
        return _escape(shlex.join(self.command))

    @property
    def environment(self) -> str:
        return ",".join(f'{key}="{_escape(value)}"' for key, value in self.env.items())


def _escape(text: str) -> str:
    """supervisord expands %(name)s in its values: a literal % is written %%."""
    return text.replace("%", "%%")


@dataclass
class Supervisor:
    """A supervisord process running `programs`, with its files in `run_dir`."""

    programs: list[Program]
    run_dir: Path
    log_dir: Path
    process: subprocess.Popen | None = None

    @property
    def socket(self) -> Path:
        return self.run_dir / "supervisor.sock"

    def start(self, env: dict[str, str]) -> None:
        """Write the configuration and start supervisord (no program yet); every
        program inherits `env`."""
        for folder in (self.run_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        config = self.run_dir / "supervisord.conf"
        config.write_text(
            render(
                "supervisord.conf.j2",
                programs=self.programs,
                socket=self.socket,
                run_dir=self.run_dir,
                log_dir=self.log_dir,
                project_root=PROJECT_ROOT,
                log_max_bytes=LOG_MAX_BYTES,
                log_backups=LOG_BACKUPS,
                as_root=os.geteuid() == 0,
            )
        )
        config.chmod(0o600)
        self.socket.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [str(SUPERVISORD), "--configuration", str(config)],
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            umask=PRIVATE_UMASK,
        )
        deadline = time.monotonic() + 20
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"supervisord did not start; see {self.log_dir}.")
            time.sleep(0.1)

    def _answers(self) -> bool:
        try:
            return self.rpc().supervisor.getState()["statename"] == "RUNNING"
        except (OSError, xmlrpc.client.Fault):
            return False

    def rpc(self) -> Any:
        """supervisord's XML-RPC interface, over its Unix socket."""
        transport = SupervisorTransport(None, None, f"unix://{self.socket}")
        return xmlrpc.client.ServerProxy("http://localhost", transport=transport)

    def start_program(self, name: str) -> None:
        self.rpc().supervisor.startProcess(name, False)

    def restart(self, name: str) -> None:
        """Stop a program and start it again (as an operator would)."""
        rpc = self.rpc()
        rpc.supervisor.stopProcess(name, True)
        rpc.supervisor.startProcess(name, False)

    def info(self, name: str) -> dict[str, Any]:
        return self.rpc().supervisor.getProcessInfo(name)

    def state(self, name: str) -> str:
        return self.info(name)["statename"]

    def pid(self, name: str) -> int:
        return self.info(name)["pid"]

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """Stop every program, then supervisord itself."""
        if self.process is None:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # supervisord stops its programs
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None
