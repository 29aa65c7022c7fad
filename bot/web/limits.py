"""Per-key rate limits (a token bucket), kept in this process's memory.

One web process holds its own buckets; with several replicas each limits on its
own share of traffic, which errs on the side of letting people in.
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
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def check(self, key: str, now: float | None = None) -> float:
        """Take one token for `key`. Returns 0 if allowed, else seconds to wait."""
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.per_second)
        if tokens >= 1:
            self._buckets[key] = (tokens - 1, now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1 - tokens) / self.per_second

    @staticmethod
    def retry_after(wait: float) -> str:
        """The Retry-After header value: whole seconds, at least 1."""
        return str(max(1, math.ceil(wait)))
