"""Settings read from the environment, with embedded defaults for `make run`.

One place decides where the databases live so that the action server, the CLI
and the Rasa server (through `endpoints.yml`) always agree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"
# What `make train` writes and every Rasa server loads (the Makefile's MODEL).
MODEL_PATH = PROJECT_ROOT / "models" / "disclosure.tar.gz"
# The Rasa environment's command (the Makefile's RASA).
RASA_BIN = PROJECT_ROOT / ".venv-rasa" / "bin" / "rasa"
# The assistant's domain (Rasa's `--domain`; the Makefile's DOMAIN): this file,
# the conversation's start, and one file per other feature in the folder beside it
# named like it (domain/), read together by rasa_addons/domain_importer.py.
DOMAIN = "domain.yml"
DOMAIN_FOLDER = "domain"


def _sqlite_url(name: str) -> str:
    return f"sqlite:///{VAR_DIR / name}"


@dataclass(frozen=True)
class Settings:
    """Where things are; every field can be overridden by an environment variable."""

    database_url: str
    tracker_store_url: str
    rasa_url: str
    action_server_port: int
    web_port: int
    # The site's address as people see it (invite links, allowed Origin).
    public_url: str
    # Redis for the production shape (locks, unsaved chats, shared rate limits);
    # empty for the embedded one, where one process of each kind keeps them.
    redis_url: str = ""
    # The trainers' background jobs' scratch space and every model they published.
    training_dir: Path = VAR_DIR / "training"
    # Rasa pulls its model from the web app (endpoints.yml) with this token; empty:
    # the web app serves no model.
    model_server_token: str = ""
    # The share of each NLU component's epochs a trainer's job trains with. 1 in
    # real use; the whole-loop browser test trains at 0.2, which still learns a
    # taught wording, in about a fifth of the time (bot.training.workspace).
    training_epochs_scale: float = 1.0

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("DATABASE_URL") or _sqlite_url("app.db"),
            tracker_store_url=os.environ.get("TRACKER_STORE_URL") or _sqlite_url("tracker.db"),
            rasa_url=os.environ.get("RASA_URL") or "http://127.0.0.1:5005",
            action_server_port=int(os.environ.get("ACTION_SERVER_PORT") or 5055),
            web_port=int(os.environ.get("WEB_PORT") or 8000),
            # Printed links: the site's address as set, or the local one.
            public_url=configured_public_url()
            or f"http://127.0.0.1:{int(os.environ.get('WEB_PORT') or 8000)}",
            redis_url=os.environ.get("REDIS_URL") or "",
            training_dir=Path(os.environ.get("TRAINING_DIR") or VAR_DIR / "training"),
            model_server_token=os.environ.get("MODEL_SERVER_TOKEN") or "",
            training_epochs_scale=float(os.environ.get("TRAINING_EPOCHS_SCALE") or 1.0),
        )


def configured_public_url() -> str:
    """PUBLIC_URL as the operator set it, "" if unset. The one place it is read:
    the website takes "" to mean "the address each request came to"; commands
    that print links use the local address instead (Settings.public_url)."""
    return (os.environ.get("PUBLIC_URL") or "").rstrip("/")


def settings() -> Settings:
    """The settings in force now (read fresh, so tests can set the environment)."""
    return Settings.from_env()
