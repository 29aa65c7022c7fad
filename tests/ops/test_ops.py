"""The operations parts on their own: supervisord restarting a process, and rate
limits and sent message ids shared by web processes through a real Redis server."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.ops import datastores
from bot.ops.supervisor import Program, Supervisor
from bot.services import free_port
from bot.web.limits import RateLimiter, RedisRateLimiter, limiter
from bot.web.sent_messages import (
    REMEMBER_SECONDS,
    MemorySentMessages,
    RedisSentMessages,
    sent_messages,
)


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A real, throw-away Redis server, as the production shape starts it."""
    port = free_port()
    server = subprocess.Popen(datastores.redis_program(port).command, stdout=subprocess.DEVNULL)
    try:
        datastores.wait_for_redis(port, time.monotonic() + 20)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait()


def test_a_literal_percent_sign_reaches_the_program_unchanged():
    program = Program("p", ["echo", "100%"], env={"A": "50% off"})
    assert program.command_line == "echo 100%%"
    assert program.environment == 'A="50%% off"'


def test_supervisord_starts_a_killed_program_again(tmp_path: Path):
    program = Program(
        "sleeper",
        ["sleep", "1000"],
        start_seconds=1,
    )
    supervisor = Supervisor([program], tmp_path / "run", tmp_path / "log")
    supervisor.start(dict(os.environ))
    try:
        supervisor.start_program("sleeper")
        first = supervisor.pid("sleeper")
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while not (supervisor.state("sleeper") == "RUNNING" and supervisor.pid("sleeper") != first):
            assert time.monotonic() < deadline, supervisor.info("sleeper")
            time.sleep(0.2)
    finally:
        supervisor.stop()
    assert not supervisor.running()
    # Its files are the owner's alone (the socket controls every process).
    assert ((tmp_path / "run" / "supervisord.conf").stat().st_mode & 0o077) == 0


async def test_two_web_processes_share_one_allowance_through_redis(redis_url: str):
    key = f"sender-{time.time_ns()}"
    first = RedisRateLimiter("chat", burst=3, per_second=0.5, redis_url=redis_url)
    second = RedisRateLimiter("chat", burst=3, per_second=0.5, redis_url=redis_url)
    waits = [await limiter.check(key) for limiter in (first, second, first, second)]
    assert waits[:3] == [0, 0, 0]
    assert 1 <= waits[3] <= 2  # one token takes 2 s to come back
    assert await second.check("another-sender") == 0


async def test_taking_the_last_token_at_once_lets_only_one_through(redis_url: str):
    key = f"sender-{time.time_ns()}"
    processes = [RedisRateLimiter("sign-in", 1, 0.01, redis_url) for _ in range(10)]
    waits = await asyncio.gather(*(p.check(key) for p in processes))
    assert sorted(waits)[:2] == [0, pytest.approx(100, abs=1)]
    assert waits.count(0) == 1


async def test_without_redis_a_limit_lets_requests_through_and_logs_why(caplog):
    away = RedisRateLimiter("chat", 1, 1, f"redis://127.0.0.1:{free_port()}/0")
    assert [await away.check("k"), await away.check("k")] == [0, 0]
    assert "Rate limit chat not checked" in caplog.text


def test_one_web_process_keeps_its_limits_in_memory(redis_url: str):
    assert isinstance(limiter("chat", 1, 1, ""), RateLimiter)
    assert isinstance(limiter("chat", 1, 1, redis_url), RedisRateLimiter)


async def test_two_web_processes_know_a_message_id_either_has_seen(redis_url: str):
    first, second = RedisSentMessages(redis_url), RedisSentMessages(redis_url)
    sender = f"sender-{time.time_ns()}"
    assert await first.first_time(sender, "message-1")
    assert not await second.first_time(sender, "message-1")
    assert not await first.first_time(sender, "message-1")
    assert await second.first_time(sender, "message-2")
    assert await second.first_time("another-sender", "message-1")


async def test_without_redis_every_message_id_counts_as_sent_before(caplog):
    away = RedisSentMessages(f"redis://127.0.0.1:{free_port()}/0")
    assert not await away.first_time("sender", "message-1")
    assert "sent as a retry" in caplog.text


def test_one_web_process_remembers_message_ids_for_an_hour_and_up_to_its_cap():
    seen = MemorySentMessages(max_ids=3)
    assert seen.note("s", "a", now=0) and not seen.note("s", "a", now=REMEMBER_SECONDS - 1)
    assert seen.note("s", "a", now=REMEMBER_SECONDS + 1)  # forgotten after the hour
    for message_id in ("b", "c", "d"):
        assert seen.note("s", message_id, now=REMEMBER_SECONDS + 2)
    assert seen.note("s", "a", now=REMEMBER_SECONDS + 3)  # the oldest made room
    assert isinstance(sent_messages(""), MemorySentMessages)
