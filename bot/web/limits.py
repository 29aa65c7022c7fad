"""Per-key rate limits (a token bucket), kept in this process's memory.

One web process holds its own buckets; with several replicas each limits on its
own share of traffic, which errs on the side of letting people in. The number of
keys held is capped, so a flood of made-up clients cannot fill the memory: past
the cap the least recently seen keys are forgotten (they start again full).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field


@dataclass
class RateLimiter:
    """Allows `burst` requests at once, refilled at `per_second`."""

    burst: float
    per_second: float
    max_keys: int = 10_000
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def check(self, key: str, now: float | None = None) -> float:
        """Take one token for `key`. Returns 0 if allowed, else seconds to wait."""
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.pop(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.per_second)
        allowed = tokens >= 1
        self._buckets[key] = (tokens - 1 if allowed else tokens, now)  # now the newest
        while len(self._buckets) > self.max_keys:
            del self._buckets[next(iter(self._buckets))]
        return 0.0 if allowed else (1 - tokens) / self.per_second

    @staticmethod
    def retry_after(wait: float) -> str:
        """The Retry-After header value: whole seconds, at least 1."""
        return str(max(1, math.ceil(wait)))
