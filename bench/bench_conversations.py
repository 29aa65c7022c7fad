"""Benchmark: scripted conversations over the Rasa REST channel.

Starts the real stack (Rasa server + action server) on free localhost ports with
throw-away databases, holds 20 complete conversations one at a time and then 20
with 10 at once, and prints turns per second and p50/p95/p99 turn latency.
"""

from __future__ import annotations

import asyncio
import json
import socket
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp

from bot.config import PROJECT_ROOT
from bot.rest_client import send
from bot.services import Stack
from bot.store.db import upgrade

CONVERSATIONS = 20
SCRIPT = [
    "hello",
    "yes",
    "In 2018 I was convicted of theft from a shop and got a community order",
    "I was using drugs every day and I was in a lot of debt",
    "I regret it. I have been clean for two years and I volunteer at a food bank",
    "I want to work in a warehouse because I am reliable and I like hard work",
    "yes",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _conversation(http: aiohttp.ClientSession, rasa_url: str) -> list[float]:
    sender, latencies = uuid.uuid4().hex, []
    for message in SCRIPT:
        started = time.perf_counter()
        replies = await send(http, rasa_url, sender, message)
        latencies.append(time.perf_counter() - started)
        if not replies:
            raise RuntimeError(f"no reply to {message!r}")
    return latencies


async def _run(rasa_url: str, concurrency: int) -> dict[str, float]:
    limit = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300)) as http:

        async def one() -> list[float]:
            async with limit:
                return await _conversation(http, rasa_url)

        started = time.perf_counter()
        results = await asyncio.gather(*(one() for _ in range(CONVERSATIONS)))
        elapsed = time.perf_counter() - started
    latencies = sorted(x for conv in results for x in conv)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "concurrency": concurrency,
        "conversations": CONVERSATIONS,
        "turns": len(latencies),
        "turns_per_second": len(latencies) / elapsed,
        "p50_ms": cuts[49] * 1000,
        "p95_ms": cuts[94] * 1000,
        "p99_ms": cuts[98] * 1000,
    }


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite:///{Path(tmp) / 'app.db'}"
        upgrade(database_url)
        stack = Stack(
            rasa_port=_free_port(),
            action_port=_free_port(),
            database_url=database_url,
            tracker_store_url=f"sqlite:///{Path(tmp) / 'tracker.db'}",
            log_dir=Path(tmp) / "log",
        )
        with stack:
            asyncio.run(_conversation_warmup(stack.rasa_url))
            rows = [asyncio.run(_run(stack.rasa_url, c)) for c in (1, 10)]
    print(f"\nConversations over REST ({len(SCRIPT)} turns each, SQLite, 1 process of each kind)")
    print(f"{'at once':>8}{'turns':>7}{'turns/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for r in rows:
        print(
            f"{r['concurrency']:>8}{r['turns']:>7}{r['turns_per_second']:>9.1f}"
            f"{r['p50_ms']:>9.0f}{r['p95_ms']:>9.0f}{r['p99_ms']:>9.0f}"
        )
    out = PROJECT_ROOT / "results" / "bench_conversations.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(rows, indent=2))
    return 0


async def _conversation_warmup(rasa_url: str) -> None:
    """One conversation first, so model loading and caches don't count."""
    async with aiohttp.ClientSession() as http:
        await _conversation(http, rasa_url)


if __name__ == "__main__":
    sys.exit(main())
