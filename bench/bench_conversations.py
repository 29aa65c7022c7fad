"""Benchmark: candidates chatting through the website, in both shapes.

Starts the whole product twice, one after the other, on free ports with
throw-away databases: the embedded shape (`make run`: SQLite, one process of
each kind) and the production shape (`make run-prod REPLICAS=2`: PostgreSQL,
Redis, two Rasa replicas, two action servers, two web processes, HAProxy). In
each, every candidate opens an invite link and talks through /api/chat as the
chat page does, and the benchmark prints:

- throughput: turns per second (all candidates together) and p50/p95 turn time,
  with 10 and then 50 candidates at once, each writing whole statements;
- capacity: the most candidates, each sending a message about every 10 seconds,
  that the stack serves with p95 under 1 s and no errors for CAPACITY_SECONDS;
- the long-session ratio: p50 of turns 290-310 of one candidate's session over
  p50 of its turns 11-30 (1.0: a turn costs the same however long the session);
- memory: the resident memory of every process of the stack, after the load.

The last line is the summary `make bench` ends with (the production shape).
Scripted candidates answer at machine speed, so the chat rate limit is lifted.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import psutil
import yaml

from bot.config import PROJECT_ROOT
from bot.services import Stack, free_port
from bot.store import access
from bot.store.db import session_scope, upgrade

SCRIPT = yaml.safe_load((PROJECT_ROOT / "bench" / "conversation.yml").read_text())
STATEMENT: list[str] = SCRIPT["statement"]
PRACTICE: list[str] = SCRIPT["practice"]
AT_ONCE = (10, 50)
# Whole statements written per candidate in the throughput runs.
STATEMENTS_EACH = 2
# Capacity: each candidate sends a message every THINK_SECONDS (give or take a
# third), for CAPACITY_SECONDS per step; steps grow until p95 or errors fail.
THINK_SECONDS = 10.0
CAPACITY_SECONDS = 40.0
CAPACITY_P95_SECONDS = 1.0
LONG_SESSION_TURNS = 310
EARLY, LATE = range(11, 31), range(290, 311)
TIMEOUT = aiohttp.ClientTimeout(total=60)


@dataclass
class Candidate:
    """One browser: signed in with an invite, chatting through /api/chat."""

    web_url: str
    http: aiohttp.ClientSession
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    async def sign_in(cls, stack: Stack) -> Candidate:
        with session_scope(stack.database_url) as db:
            token, _ = access.create_invite(db, "bench")
        http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True), timeout=TIMEOUT)
        async with http.post(
            f"{stack.web_url}/invite/{token}", data={"code": ""}, headers={"Origin": stack.web_url}
        ) as response:
            response.raise_for_status()
        async with http.get(f"{stack.web_url}/api/me") as response:
            csrf = (await response.json())["csrf_token"]
        return cls(stack.web_url, http, {"Origin": stack.web_url, "X-CSRF-Token": csrf})

    async def say(self, message: str) -> tuple[float, str | None]:
        """One turn: how long it took, and what went wrong (None: it went
        through with replies), so that the errors printed say what they were."""
        started = time.perf_counter()
        try:
            async with self.http.post(
                f"{self.web_url}/api/chat", json={"message": message}, headers=self.headers
            ) as response:
                body = await response.json(content_type=None)
                if response.status != 200:
                    problem: str | None = f"{response.status} {body.get('error', '')}"
                else:
                    problem = None if body["replies"] else "no replies"
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            problem = type(error).__name__  # ValueError: a body that is not JSON
        return time.perf_counter() - started, problem


def _percentile(values: list[float], share: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[share - 1]


async def _throughput(stack: Stack, at_once: int) -> dict:
    """`at_once` candidates, each writing STATEMENTS_EACH statements in new sessions."""
    candidates = await asyncio.gather(*(Candidate.sign_in(stack) for _ in range(at_once)))
    times: list[float] = []
    problems: Counter[str] = Counter()

    async def write(candidate: Candidate) -> None:
        for _ in range(STATEMENTS_EACH):
            for message in ["/session_start", *STATEMENT]:
                took, problem = await candidate.say(message)
                times.append(took)
                problems.update([problem] if problem else [])

    started = time.perf_counter()
    await asyncio.gather(*(write(c) for c in candidates))
    elapsed = time.perf_counter() - started
    for candidate in candidates:
        await candidate.http.close()
    return {
        "at_once": at_once,
        "turns": len(times),
        "errors": sum(problems.values()),
        "problems": dict(problems),
        "turns_per_second": len(times) / elapsed,
        "p50_ms": _percentile(times, 50) * 1000,
        "p95_ms": _percentile(times, 95) * 1000,
    }


async def _holds(stack: Stack, candidates: int) -> tuple[bool, float, int]:
    """Whether `candidates`, each sending a message about every THINK_SECONDS, get
    p95 under the limit and no errors; with the p95 and the errors."""
    signed_in = await asyncio.gather(*(Candidate.sign_in(stack) for _ in range(candidates)))
    times: list[float] = []
    errors = 0
    deadline = time.monotonic() + CAPACITY_SECONDS

    async def chat(candidate: Candidate, seed: int) -> None:
        nonlocal errors
        pace = random.Random(seed)
        script = iter(STATEMENT + PRACTICE * 100)
        await asyncio.sleep(pace.uniform(0, THINK_SECONDS))  # not all at the same moment
        while time.monotonic() < deadline:
            took, problem = await candidate.say(next(script))
            times.append(took)
            errors += problem is not None
            await asyncio.sleep(max(0.0, pace.uniform(0.67, 1.33) * THINK_SECONDS - took))

    await asyncio.gather(*(chat(c, i) for i, c in enumerate(signed_in)))
    for candidate in signed_in:
        await candidate.http.close()
    p95 = _percentile(times, 95)
    return p95 < CAPACITY_P95_SECONDS and errors == 0, p95, errors


async def _capacity(stack: Stack) -> tuple[int, list[dict]]:
    """Double the candidates until the stack fails, then halve the gap twice."""
    steps: list[dict] = []

    async def step(candidates: int) -> bool:
        ok, p95, errors = await _holds(stack, candidates)
        steps.append({"candidates": candidates, "p95_ms": p95 * 1000, "errors": errors, "ok": ok})
        print(f"  capacity: {candidates} candidates: p95 {p95 * 1000:.0f} ms, {errors} errors")
        return ok

    good, bad = 0, 25
    while await step(bad):
        good, bad = bad, bad * 2
    for _ in range(2):
        middle = (good + bad) // 2
        if middle in (good, bad):
            break
        if await step(middle):
            good = middle
        else:
            bad = middle
    return good, steps


async def _long_session(stack: Stack) -> dict:
    """One candidate, LONG_SESSION_TURNS turns in one session."""
    candidate = await Candidate.sign_in(stack)
    script = STATEMENT + PRACTICE * LONG_SESSION_TURNS
    times, errors = [], 0
    for message in script[:LONG_SESSION_TURNS]:
        took, problem = await candidate.say(message)
        times.append(took)
        errors += problem is not None
    await candidate.http.close()
    early = statistics.median(times[n - 1] for n in EARLY)
    late = statistics.median(times[n - 1] for n in LATE)
    return {"early_p50_ms": early * 1000, "late_p50_ms": late * 1000, "ratio": late / early,
            "errors": errors}  # fmt: skip


def _memory(stack: Stack) -> dict[str, float]:
    """Resident memory (MB) of each program with its children, and of supervisord."""
    assert stack.supervisor is not None and stack.supervisor.process is not None
    found = {}
    for program in stack.supervisor.programs:
        process = psutil.Process(stack.pid(program.name))
        family = [process, *process.children(recursive=True)]
        found[program.name] = sum(p.memory_info().rss for p in family) / 2**20
    found["supervisord"] = psutil.Process(stack.supervisor.process.pid).memory_info().rss / 2**20
    return found


async def _warm_up(stack: Stack) -> None:
    """One conversation first, so model loading and caches don't count."""
    for _ in range(max(stack.replicas, 1) * 2):
        candidate = await Candidate.sign_in(stack)
        for message in STATEMENT:
            await candidate.say(message)
        await candidate.http.close()


async def _measure(stack: Stack) -> dict:
    await _warm_up(stack)
    result: dict = {"throughput": [await _throughput(stack, n) for n in AT_ONCE]}
    result["long_session"] = await _long_session(stack)
    result["capacity"], result["capacity_steps"] = await _capacity(stack)
    result["memory_mb"] = _memory(stack)
    return result


def _run(shape: str, tmp: Path) -> dict:
    env = {"CHAT_BURST": "100000", "CHAT_PER_SECOND": "100000", "CODES_BURST": "100000"}
    if shape == "single":
        database_url = f"sqlite:///{tmp / 'app.db'}"
        upgrade(database_url)
        stack = Stack(
            rasa_port=free_port(), action_port=free_port(), web_port=free_port(),
            web_host="127.0.0.1", database_url=database_url,
            tracker_store_url=f"sqlite:///{tmp / 'tracker.db'}",
            log_dir=tmp / "log-single", env=env,
        )  # fmt: skip
    else:
        stack = Stack(
            production=True, replicas=2, action_servers=2, web_processes=2,
            web_host="127.0.0.1", log_dir=tmp / "log-production", env=env,
        )  # fmt: skip
    print(f"\n{shape}: starting the stack...", flush=True)
    with stack:
        return {"shape": shape, **asyncio.run(_measure(stack))}


def _print(result: dict) -> None:
    shape = result["shape"]
    header = f"{'at once':>8}{'turns':>7}{'errors':>7}{'turns/s':>9}{'p50 ms':>8}{'p95 ms':>8}"
    print(f"\n{shape}: {header}")
    for row in result["throughput"]:
        print(
            f"{'':>{len(shape) + 1}} {row['at_once']:>8}{row['turns']:>7}{row['errors']:>7}"
            f"{row['turns_per_second']:>9.1f}{row['p50_ms']:>8.0f}{row['p95_ms']:>8.0f}"
        )
        for problem, count in row["problems"].items():
            print(f"{'':>{len(shape) + 1}} {'':>8}{count:>14} x {problem}")
    long = result["long_session"]
    print(
        f"{shape}: capacity {result['capacity']} candidates (a message every "
        f"{THINK_SECONDS:.0f} s each, p95 under {CAPACITY_P95_SECONDS:.0f} s, no errors)"
    )
    print(
        f"{shape}: long session p50 turns 11-30 {long['early_p50_ms']:.0f} ms, turns "
        f"290-310 {long['late_p50_ms']:.0f} ms: ratio {long['ratio']:.2f} ({long['errors']} errors)"
    )
    memory = result["memory_mb"]
    parts = ", ".join(f"{name} {mb:.0f}" for name, mb in memory.items())
    print(f"{shape}: memory {sum(memory.values()):.0f} MB in all ({parts})")


def main() -> int:
    shapes = sys.argv[1:] or ["single", "production"]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for shape in shapes:
            results.append(_run(shape, Path(tmp)))
            _print(results[-1])
    out = PROJECT_ROOT / "results" / "bench_conversations.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print()
    for result in results:
        _print(result)
    last = results[-1]
    at_10 = next(r for r in last["throughput"] if r["at_once"] == 10)
    print(
        f"bench: {at_10['turns_per_second']:.1f} turns/s at 10 at once, capacity "
        f"{last['capacity']} candidates, long-session ratio {last['long_session']['ratio']:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
