"""Benchmark: scripted conversations, straight to Rasa and through the web gateway.

Starts the whole product (web app, Rasa server, action server) on free ports with
throw-away databases. For 1 and then 10 candidates at once it holds 20 complete
conversations over Rasa's REST channel and 20 through the gateway as a browser
would (invite link, cookie, /api/chat), interleaved so that both meet the same
load, and prints turns per second, p50/p95/p99 turn latency and errors for each
path, and the gateway's p95 over Rasa's own p95 in the same run.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp

from bot.config import PROJECT_ROOT
from bot.rest_client import send
from bot.services import Stack, free_port
from bot.store import access
from bot.store.db import session_scope, upgrade

CONVERSATIONS = 20
# A whole statement: consent, each part with its feedback kept ("keep it"), then done.
SCRIPT = [
    "hello",
    "yes",
    "In 2018 I was convicted of theft from a shop and got a community order",
    "keep it",
    "I was using drugs every day and I was in a lot of debt",
    "keep it",
    "I regret it. I have been clean for two years and I volunteer at a food bank",
    "keep it",
    "I want to work in a warehouse because I am reliable and I like hard work",
    "keep it",
    "yes",
]
Turn = Callable[[str], Awaitable[list]]


async def _direct(http: aiohttp.ClientSession, stack: Stack) -> Turn:
    """A candidate talking to Rasa's REST channel with a fresh sender id."""
    sender = uuid.uuid4().hex
    return lambda message: send(http, stack.rasa_url, sender, message)


async def _gateway(http: aiohttp.ClientSession, stack: Stack) -> Turn:
    """A candidate opening an invite link and chatting through /api/chat."""
    with session_scope(stack.database_url) as db:
        token, _ = access.create_invite(db, "bench")
    jar = aiohttp.CookieJar(unsafe=True)
    client = aiohttp.ClientSession(cookie_jar=jar, timeout=http.timeout)
    async with client.get(f"{stack.web_url}/invite/{token}") as response:
        response.raise_for_status()
    async with client.get(f"{stack.web_url}/api/me") as response:
        csrf = (await response.json())["csrf_token"]
    headers = {"Origin": stack.web_url, "X-CSRF-Token": csrf}

    async def turn(message: str) -> list:
        async with client.post(
            f"{stack.web_url}/api/chat", json={"message": message}, headers=headers
        ) as response:
            response.raise_for_status()
            return (await response.json())["replies"]

    turn.close = client.close  # type: ignore[attr-defined]
    return turn


async def _conversation(turn: Turn) -> tuple[list[float], int]:
    latencies, errors = [], 0
    for message in SCRIPT:
        started = time.perf_counter()
        try:
            if not await turn(message):
                errors += 1
        except (aiohttp.ClientError, asyncio.TimeoutError):
            errors += 1
        latencies.append(time.perf_counter() - started)
    if hasattr(turn, "close"):
        await turn.close()
    return latencies, errors


def _summary(path: str, concurrency: int, results: list, elapsed: float) -> dict:
    latencies = sorted(x for conv, _ in results for x in conv)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "path": path,
        "concurrency": concurrency,
        "turns": len(latencies),
        "errors": sum(e for _, e in results),
        "turns_per_second": len(latencies) / elapsed,
        "p50_ms": cuts[49] * 1000,
        "p95_ms": cuts[94] * 1000,
        "p99_ms": cuts[98] * 1000,
    }


async def _run(stack: Stack, concurrency: int) -> list[dict]:
    """20 conversations each way, alternating, `concurrency` at once in all."""
    limit = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300)) as http:

        async def one(opener) -> tuple[list[float], int]:
            async with limit:
                return await _conversation(await opener(http, stack))

        openers = [_direct, _gateway] * CONVERSATIONS
        started = time.perf_counter()
        results = await asyncio.gather(*(one(o) for o in openers))
        elapsed = time.perf_counter() - started
    return [
        _summary(path, concurrency, results[offset::2], elapsed)
        for offset, path in enumerate(("rasa", "gateway"))
    ]


def main() -> int:
    rows = []
    # Scripted candidates answer at machine speed; a person typing never meets the
    # website's rate limit (10 at once, then one every 2 s), so the bench lifts it.
    os.environ["CHAT_BURST"] = "1000"
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite:///{Path(tmp) / 'app.db'}"
        upgrade(database_url)
        stack = Stack(
            rasa_port=free_port(),
            action_port=free_port(),
            web_port=free_port(),
            web_host="127.0.0.1",
            database_url=database_url,
            tracker_store_url=f"sqlite:///{Path(tmp) / 'tracker.db'}",
            log_dir=Path(tmp) / "log",
        )
        with stack:
            asyncio.run(_warm_up(stack))
            for concurrency in (1, 10):
                rows += asyncio.run(_run(stack, concurrency))
    _print(rows)
    out = PROJECT_ROOT / "results" / "bench_conversations.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(rows, indent=2))
    return 0


def _print(rows: list[dict]) -> None:
    print(f"\nConversations ({len(SCRIPT)} turns each, SQLite, 1 process of each kind)")
    print("turns/s counts both paths together: they ran at the same time.")
    print(
        f"{'path':>8}{'at once':>8}{'turns':>7}{'errors':>7}{'turns/s':>9}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    )
    for r in rows:
        print(
            f"{r['path']:>8}{r['concurrency']:>8}{r['turns']:>7}{r['errors']:>7}"
            f"{r['turns_per_second']:>9.1f}{r['p50_ms']:>9.0f}{r['p95_ms']:>9.0f}"
            f"{r['p99_ms']:>9.0f}"
        )
    for concurrency in (1, 10):
        rasa, gateway = (
            next(r for r in rows if r["path"] == p and r["concurrency"] == concurrency)
            for p in ("rasa", "gateway")
        )
        ratio = gateway["p95_ms"] / rasa["p95_ms"]
        print(f"gateway p95 / Rasa p95 at {concurrency} at once: {ratio:.2f}")


async def _warm_up(stack: Stack) -> None:
    """One conversation each way first, so model loading and caches don't count."""
    async with aiohttp.ClientSession() as http:
        await _conversation(await _direct(http, stack))
        await _conversation(await _gateway(http, stack))


if __name__ == "__main__":
    sys.exit(main())
