"""The lock store named in endpoints.yml: Redis when REDIS_URL is set, else memory.

Rasa handles one candidate's messages one after the other by holding a lock per
conversation. With one Rasa process (`make run`) the lock can live in its memory;
with several replicas it must be shared, or two replicas could handle two
messages of one candidate at once. One endpoints.yml serves both shapes: an
empty URL means memory.
"""

from __future__ import annotations

from rasa.core.lock import TicketLock
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

# Redis (locks and unsaved chats) replies within this many seconds or the
# message fails, and is refused.
REDIS_TIMEOUT_SECONDS = 5


class SharedLockStore(LockStore):
    """Rasa's Redis lock store for a URL, Rasa's in-memory one without."""

    def __init__(self, endpoint_config: EndpointConfig | None = None) -> None:
        url = endpoint_config.url if endpoint_config else None
        self.backend: LockStore = redis_lock_store(url) if url else InMemoryLockStore()
        super().__init__()

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        return self.backend.get_lock(conversation_id)

    def delete_lock(self, conversation_id: str) -> None:
        self.backend.delete_lock(conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        self.backend.save_lock(lock)


def redis_lock_store(url: str) -> RedisLockStore:
    """RedisLockStore takes host, port and db apart; this takes one redis:// URL."""
    import redis

    store = RedisLockStore()
    store.red = redis.StrictRedis.from_url(url, socket_timeout=REDIS_TIMEOUT_SECONDS)
    return store
