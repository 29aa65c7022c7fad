"""The web app's settings, from the environment, with `make run` defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from bot.config import VAR_DIR, configured_public_url, settings
from bot.web.clients import Network, parse_networks

MAX_MESSAGE_CHARS = 2000


@dataclass(frozen=True)
class WebConfig:
    """Where the web app finds the rest of the product, and its limits."""

    rasa_url: str
    action_url: str
    database_url: str
    tracker_store_url: str
    # The address people use, e.g. https://coach.example.org: the allowed Origin,
    # and Secure cookies when it is https. Empty: the request's own host.
    public_url: str = ""
    messages_burst: float = 10
    messages_per_second: float = 0.5
    codes_burst: float = 5
    codes_per_second: float = 0.1
    # Staff sign-in attempts per address (and 5 wrong passwords block that account
    # from that address for a while: bot.review.accounts).
    logins_burst: float = 10
    logins_per_second: float = 0.2
    # New practice chats per address: a person needs one; a script wants thousands.
    practice_burst: float = 5
    practice_per_second: float = 0.02
    # Reverse proxies whose X-Forwarded-For is believed (bot.web.clients).
    trusted_proxies: tuple[Network, ...] = ()
    # Set: every web process shares its rate limits through this Redis.
    redis_url: str = ""
    # The trainers' jobs and published models (bot.training), and the token Rasa
    # pulls its model with (bot.web.model_server; empty: no model is served).
    training_dir: Path = VAR_DIR / "training"
    model_server_token: str = ""

    @classmethod
    def from_env(cls) -> WebConfig:
        current = settings()
        return cls(
            rasa_url=current.rasa_url,
            action_url=f"http://127.0.0.1:{current.action_server_port}",
            database_url=current.database_url,
            tracker_store_url=current.tracker_store_url,
            public_url=configured_public_url(),
            messages_burst=float(os.environ.get("CHAT_BURST", 10)),
            messages_per_second=float(os.environ.get("CHAT_PER_SECOND", 0.5)),
            # Lifted only by the benchmark, whose candidates all come from one address.
            codes_burst=float(os.environ.get("CODES_BURST", cls.codes_burst)),
            trusted_proxies=parse_networks(os.environ.get("TRUSTED_PROXIES", "")),
            redis_url=current.redis_url,
            training_dir=current.training_dir,
            model_server_token=current.model_server_token,
        )
