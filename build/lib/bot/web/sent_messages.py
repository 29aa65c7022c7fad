"""Which message ids each candidate has sent before, so a resend is handled once.

The chat page names every message (`message_id`) and says `retry` when its "Try
again" sends one again; the assistant then answers a message it already handled
with the replies it gave, instead of handling it twice (rasa_addons.channel).
But a message can also come again without the page knowing: a browser sends a
request again by itself when its keep-alive connection closes with no answer,
which is what the balancer passes on when the web process answering it dies.
Handled twice, one answer would be taken as the next part too.

So the website, not the page, decides what is a resend: the first time it sees
an id it forwards the message as new, every later time as a retry. Only ids are
kept (never text), for an hour. With one web process they live in its memory,
capped in number; with several (the production shape) in Redis, shared. If Redis
cannot be reached the message is treated as a resend: the assistant then looks
the id up in the conversation, which costs a read but never doubles a message.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.logsafe import failure

log = logging.getLogger(__name__)

# How long an id is remembered: far longer than any resend (the page gives up
# after a few minutes), far shorter than a candidate's data is kept.
REMEMBER_SECONDS = 3600


class SentMessages(Protocol):
    async def first_time(self, sender_id: str, message_id: str) -> bool:
        """Note that `sender_id` sent `message_id`; False if they had already."""
        ...


@dataclass
class MemorySentMessages:
    """The ids sent through this process, the oldest forgotten past `max_ids`."""

    max_ids: int = 100_000
    _seen: OrderedDict[tuple[str, str], float] = field(default_factory=OrderedDict)

    async def first_time(self, sender_id: str, message_id: str) -> bool:
        return self.note(sender_id, message_id)

    def note(self, sender_id: str, message_id: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        while self._seen and (
            len(self._seen) >= self.max_ids
            or next(iter(self._seen.values())) < now - REMEMBER_SECONDS
        ):
            self._seen.popitem(last=False)
        # Ids are kept in the order they were first sent, so what is left after
        # dropping the expired ones from the front is all within the hour.
        key = (sender_id, message_id)
        if key in self._seen:
            return False
        self._seen[key] = now
        return True


@dataclass
class RedisSentMessages:
    """The same, shared by every web process through Redis (SET NX with expiry)."""

    redis_url: str
    _client: Any = field(default=None, init=False, repr=False)

    async def first_time(self, sender_id: str, message_id: str) -> bool:
        if self._client is None:  # made on first use, inside the running event loop
            import redis.asyncio as redis

            self._client = redis.Redis.from_url(self.redis_url, socket_timeout=2)
        try:
            created = await self._client.set(
                f"sent:{sender_id}:{message_id}", 1, nx=True, ex=REMEMBER_SECONDS
            )
        except Exception as error:
            log.warning("Message id not checked, sent as a retry: %s", failure(error))
            return False
        return bool(created)


def sent_messages(redis_url: str) -> SentMessages:
    """What this web process should use: shared when there is a Redis."""
    return RedisSentMessages(redis_url) if redis_url else MemorySentMessages()
