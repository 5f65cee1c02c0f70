"""The Redis cache backend, keeping one redis-py client per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` for every operation, and with it a table
of several hundred response callbacks: on a portal page that reads the session and the
statement generation, that was about 7 % of the CPU (docs/benchmarks.md). A `redis.Redis` is
safe to share between threads, and its pool reconnects after a fork, so one is kept per pool.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    """Django's Redis cache with RedisCacheClient above (CACHE_URL=rediscache://… selects it)."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
