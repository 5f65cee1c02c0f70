"""The Redis cache backend the settings select for rediscache:// URLs (rekisteri/cache.py)."""

import uuid

import pytest

from rekisteri.cache import RedisCache
from tests.manage_subprocess import run_manage


@pytest.fixture
def redis_cache():
    # The machine's Redis (README: PostgreSQL and Redis on 127.0.0.1), database 9.
    cache = RedisCache("redis://127.0.0.1:6379/9", {"KEY_PREFIX": f"t-{uuid.uuid4().hex}"})
    yield cache
    cache.clear()


def test_it_stores_counts_and_expires_like_djangos(redis_cache):
    redis_cache.set("a", {"x": [1, "ä"]}, 30)
    assert redis_cache.get("a") == {"x": [1, "ä"]}
    assert redis_cache.add("n", 0, 30) and redis_cache.incr("n") == 1
    assert redis_cache.get_many(["a", "missing"]) == {"a": {"x": [1, "ä"]}}
    redis_cache.set("gone", 1, 0)
    assert redis_cache.get("gone") is None


def test_one_client_serves_every_operation(redis_cache):
    client = redis_cache._cache
    assert client.get_client() is client.get_client(write=True)


def test_the_settings_select_it_for_a_redis_url():
    probe = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = {"CACHE_URL": "rediscache://127.0.0.1:6379/9", "SECRET_KEY": "x" * 50}
    result = run_manage("shell", "-c", probe, env=env)
    assert result.stdout.split()[-1] == "rekisteri.cache.RedisCache", result.stderr
