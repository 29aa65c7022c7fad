"""Fixtures for the tests of rasa_addons/, which run in the Rasa environment
(`make rasa-unit`): the product's domain, and a conversation as Rasa records it."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SlotSet,
    UserUttered,
)

from bot.config import DOMAIN, PROJECT_ROOT
from rasa_addons.domain_importer import load_domain


@pytest.fixture(scope="session")
def domain() -> Domain:
    return load_domain(PROJECT_ROOT / DOMAIN)


def turn(text: str, *, at: float, message_id: str | None = None) -> list[Event]:
    """One practice answer inside the form, as Rasa logs it."""
    metadata = {"message_id": message_id} if message_id else {}
    return [
        UserUttered(text, {"name": "answer", "confidence": 1.0}, timestamp=at, metadata=metadata),
        ActionExecuted("practice_form", timestamp=at),
        SlotSet("practice_answer", text, timestamp=at),
        BotUttered(f"reply to {text}", timestamp=at),
        ActionExecuted("action_listen", timestamp=at),
    ]


def conversation(turns: int, *, consent: bool = True) -> list[Event]:
    """A candidate who said yes to saving, wrote a part, then answered `turns`
    practice questions inside the practice form."""
    start = time.time() - 1000
    events: list[Event] = [
        ActionExecuted("action_session_start", timestamp=start),
        ActionExecuted("action_listen", timestamp=start),
        UserUttered("yes", {"name": "affirm", "confidence": 1.0}, timestamp=start),
        SlotSet("consent", consent, timestamp=start),
        SlotSet("what_happened", "MARKER-part", timestamp=start),
        ActiveLoop("practice_form", timestamp=start),
        SlotSet("requested_slot", "practice_answer", timestamp=start),
        ActionExecuted("action_listen", timestamp=start),
    ]
    for number in range(turns):
        events += turn(f"answer {number}", at=start + number + 1)
    return events


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A real, throw-away Redis server that keeps nothing on disk."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        ["/usr/bin/redis-server", "--port", str(port), "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            assert time.monotonic() < deadline, "Redis did not start"
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait()
