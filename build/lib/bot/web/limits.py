"""Per-key rate limits (a token bucket): in this process, or shared through Redis.

With one web process (`make run`) the buckets live in its memory. With several
(the production shape) they live in Redis, so a client gets the same allowance
whichever process answers it; REDIS_URL chooses. The in-memory buckets are
capped in number, so a flood of made-up clients cannot fill the memory: past the
cap the least recently seen keys are forgotten (they start again full). Redis
forgets a bucket once it would be full again anyway.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.logsafe import failure

log = logging.getLogger(__name__)


class Limiter(Protocol):
    async def check(self, key: str) -> float:
        """Take one token for `key`. Returns 0 if allowed, else seconds to wait."""
        ...


def retry_after(wait: float) -> str:
    """The Retry-After header value: whole seconds, at least 1."""
    return str(max(1, math.ceil(wait)))


@dataclass
class RateLimiter:
    """Allows `burst` requests at once, refilled at `per_second`, in this process."""

    burst: float
    per_second: float
    max_keys: int = 10_000
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    async def check(self, key: str) -> float:
        return self.take(key)

    def take(self, key: str, now: float | None = None) -> float:
        """Take one token for `key`. Returns 0 if allowed, else seconds to wait."""
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.pop(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.per_second)
        allowed = tokens >= 1
        self._buckets[key] = (tokens - 1 if allowed else tokens, now)  # now the newest
        while len(self._buckets) > self.max_keys:
            del self._buckets[next(iter(self._buckets))]
        return 0.0 if allowed else (1 - tokens) / self.per_second


# The same bucket as RateLimiter.take, done inside Redis so that two web
# processes taking a token at the same moment cannot both get the last one.
# KEYS[1] the bucket; ARGV: burst, per second, now (seconds). Returns the wait
# in milliseconds (0: allowed).
TAKE_TOKEN = """
local burst, rate, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'last')
local tokens, last = tonumber(bucket[1]) or burst, tonumber(bucket[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - last) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'last', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate * 1000) + 1000)
return math.ceil(wait * 1000)
"""


@dataclass
class RedisRateLimiter:
    """The same allowance, shared by every web process through Redis.

    If Redis cannot be reached the request is let through (and the failure
    logged): a limit that fails closed would lock every candidate out.
    """

    name: str
    burst: float
    per_second: float
    redis_url: str
    _take: Any = field(default=None, init=False, repr=False)

    def _script(self) -> Any:
        """The Lua script, registered on first use (inside the running event loop)."""
        if self._take is None:
            import redis.asyncio as redis

            client = redis.Redis.from_url(self.redis_url, socket_timeout=2)
            self._take = client.register_script(TAKE_TOKEN)
        return self._take

    async def check(self, key: str) -> float:
        try:
            waited = await self._script()(
                keys=[f"limit:{self.name}:{key}"],
                args=[self.burst, self.per_second, time.time()],
            )
        except Exception as error:
            log.warning("Rate limit %s not checked: %s", self.name, failure(error))
            return 0.0
        return int(waited) / 1000


def limiter(name: str, burst: float, per_second: float, redis_url: str) -> Limiter:
    """The limiter this web process should use: shared when there is a Redis."""
    if redis_url:
        return RedisRateLimiter(name, burst, per_second, redis_url)
    return RateLimiter(burst, per_second)
