"""A person's standing, computed once per change and kept for the views that follow.

The key is the person's revision (bumped in the same transaction as any change to their entries,
see ``db.py``) and the moment rounded down to five minutes: every time zone's midnight falls on
such a boundary, so a new local day always misses, and the few time-based gates (a readiness
check going stale, a concern fading) are late by five minutes at most. Two stores share one
shape: an in-process LRU per worker, and Redis when ``SECONDCHANCE_REDIS_URL`` is set, so several
servers behind PostgreSQL compute a status once between them.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any, Protocol

BUCKET_MINUTES = 5
LOCAL_ENTRIES = 4096
# Long enough to serve a day of views, short enough that a forgotten key costs nothing.
REDIS_SECONDS = 6 * 3600


class StatusCache(Protocol):
    def get(self, key: str) -> Any | None: ...

    def put(self, key: str, value: Any) -> None: ...


def cache_key(user_id: int, revision: int, now: datetime) -> str:
    """Return the key of ``user_id``'s standing at ``revision`` around ``now``."""
    moment = now.astimezone(UTC)
    bucket = moment.replace(minute=moment.minute - moment.minute % BUCKET_MINUTES, second=0)
    return f"{user_id}:{revision}:{bucket.replace(microsecond=0).isoformat()}"


class LocalCache:
    """A worker's own cache: least recently used entries go first."""

    def __init__(self, size: int = LOCAL_ENTRIES) -> None:
        self.size = size
        self._entries: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: str, value: Any) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


class RedisCache:
    """One cache for every worker and server: entries pickled under a per-database prefix.

    Redis here is the operator's own trusted service (never a third party); an unreachable
    Redis makes the cache miss quietly, so a page never fails because of it.
    """

    def __init__(self, url: str, database_url: str) -> None:
        import redis  # only when configured

        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.errors = redis.RedisError
        self.prefix = (
            "secondchance:status:" + hashlib.sha256(database_url.encode()).hexdigest()[:16]
        )

    def get(self, key: str) -> Any | None:
        try:
            raw = self.client.get(f"{self.prefix}:{key}")
        except self.errors:
            return None
        return pickle.loads(raw) if raw else None

    def put(self, key: str, value: Any) -> None:
        try:
            self.client.setex(f"{self.prefix}:{key}", REDIS_SECONDS, pickle.dumps(value))
        except self.errors:
            return


def make_cache(redis_url: str | None, database_url: str) -> StatusCache:
    return RedisCache(redis_url, database_url) if redis_url else LocalCache()
