"""Where a turn's time goes, early and late in one long session (`make profile`).

Runs in the Rasa environment: loads the trained model in this process with the
product's own endpoints.yml (the consent tracker store on a throw-away SQLite
database, an action server started here), then one candidate writes a statement
and practises for 300 more turns. Each part of a turn is timed by wrapping the
Rasa method that does it:

- nlu: understanding the message (tokenising, featurising, DIET, the response
  selectors);
- policies: choosing each next action (MemoizationPolicy, RulePolicy), once per
  action in the turn;
- actions: each custom action's call to the action server, with the tracker sent
  along, the action server's work (coaching, the database) and the answer;
- tracker store: reading the conversation at the start and saving it at the end;
- other: the rest of Rasa's turn (running the built-in actions, copying trackers).

It prints milliseconds per turn for turns 11-30 and 290-310, and how many events
Rasa worked on at each. `--cprofile` also prints the functions that took the
most time in this process over turns 290-310. `--whole-session` hands Rasa every
event of the session, as before rasa_addons.recent_turns, to show what that costs.
"""

from __future__ import annotations

import asyncio
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCRIPT = yaml.safe_load((ROOT / "bench" / "conversation.yml").read_text())
TURNS = 310
EARLY, LATE = range(11, 31), range(290, 311)
PARTS = ("nlu", "policies", "actions", "tracker store")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrap(owner: Any, method: str, part: str, spent: dict[str, float]) -> None:
    """Add the wall time of every call of owner.method (async) to spent[part]."""
    original: Callable = getattr(owner, method)

    async def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await original(*args, **kwargs)
        finally:
            spent[part] += time.perf_counter() - started

    setattr(owner, method, timed)


def wrap_sync(owner: Any, method: str, part: str, spent: dict[str, float]) -> None:
    original: Callable = getattr(owner, method)

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[part] += time.perf_counter() - started

    setattr(owner, method, timed)


async def converse(agent: Any, spent: dict[str, float]) -> list[dict[str, float]]:
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    sender = f"profile-{time.time_ns()}"
    script = SCRIPT["statement"] + SCRIPT["practice"] * TURNS
    turns = []
    profiler = cProfile.Profile() if "--cprofile" in sys.argv else None
    for number, text in enumerate(script[:TURNS], start=1):
        spent.clear()
        started = time.perf_counter()
        if profiler and number in LATE:
            profiler.enable()
        await agent.handle_message(UserMessage(text, CollectingOutputChannel(), sender))
        if profiler:
            profiler.disable()
        row = {"number": number, "total": time.perf_counter() - started, **spent}
        tracker = await agent.tracker_store.retrieve(sender)
        row["events"] = len(tracker.events) if tracker else 0
        turns.append(row)
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    return turns


def summary(turns: list[dict[str, float]], numbers: range) -> dict[str, float]:
    chosen = [t for t in turns if t["number"] in numbers]
    result = {"total": statistics.median(t["total"] for t in chosen) * 1000}
    for part in PARTS:
        result[part] = statistics.mean(t.get(part, 0.0) for t in chosen) * 1000
    result["other"] = (
        statistics.mean(t["total"] - sum(t.get(p, 0.0) for p in PARTS) for t in chosen) * 1000
    )
    result["events"] = statistics.mean(t["events"] for t in chosen)
    return result


def main() -> int:
    import logging

    from rasa.core.actions.action import RemoteAction
    from rasa.core.agent import load_agent
    from rasa.core.processor import MessageProcessor
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    # As `rasa run` logs (INFO would time the logging too; DEBUG would dominate).
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)

    from rasa_addons import recent_turns
    from rasa_addons.channel import RetrySafeRestInput
    from rasa_addons.tracker_store import ConsentTrackerStore

    RetrySafeRestInput()  # what `rasa run` sets up when it loads credentials.yml

    if "--whole-session" in sys.argv:
        recent_turns.MAX_TURNS = sys.maxsize

    tmp = Path(tempfile.mkdtemp(prefix="profile-"))
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{tmp / 'app.db'}",
        TRACKER_STORE_URL=f"sqlite:///{tmp / 'tracker.db'}",
        ACTION_ENDPOINT_URL=f"http://127.0.0.1:{port}/webhook",
        REDIS_URL="",
    )
    os.environ.update(env)
    app_python = ROOT / ".venv" / "bin" / "python"
    subprocess.run([app_python, "-m", "bot.cli", "db", "upgrade"], env=env, check=True)
    actions = subprocess.Popen(
        [app_python, "-m", "rasa_sdk", "--actions", "actions", "-p", str(port)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        spent: dict[str, float] = defaultdict(float)
        wrap(MessageProcessor, "parse_message", "nlu", spent)
        wrap_sync(MessageProcessor, "_predict_next_with_tracker", "policies", spent)
        wrap(RemoteAction, "run", "actions", spent)
        wrap(ConsentTrackerStore, "retrieve", "tracker store", spent)
        wrap(ConsentTrackerStore, "save", "tracker store", spent)
        endpoints = AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.yml"))
        agent = asyncio.run(
            load_agent(model_path=str(ROOT / "models" / "disclosure.tar.gz"), endpoints=endpoints)
        )
        turns = asyncio.run(converse(agent, spent))
    finally:
        actions.terminate()
        actions.wait()
    early, late = summary(turns, EARLY), summary(turns, LATE)
    print("\nWhere a turn's time goes (ms per turn; one session, SQLite, in-process Rasa)")
    print(f"{'':>16}{'turns 11-30':>13}{'turns 290-310':>15}")
    for key in ("total", *PARTS, "other", "events"):
        label = "p50 turn" if key == "total" else key
        print(f"{label:>16}{early[key]:>13.1f}{late[key]:>15.1f}")
    print(f"profile: long-session ratio {late['total'] / early['total']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
