"""Django's Redis cache with one Redis client per connection pool, kept, instead of a new one per operation.

Django's RedisCacheClient builds a `redis.Redis` (with its table of response callbacks) for every get and
set; every request that reads the data generation paid for it. The clients share the pool's connections
as before, and a Redis client is safe to share between threads.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends import redis as django_redis
from django.utils.functional import cached_property


class _KeptClients(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: str | None = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    @cached_property
    def _cache(self) -> _KeptClients:
        return _KeptClients(self._servers, **self._options)
