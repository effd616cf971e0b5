"""CACHE_URL=redis://... against a real Redis server: the settings' ``cache_config`` gives a working
cache, entries expire, and pages cached through ``digests.pagecache`` come back identical.

Runs when REDIS_URL names a server (CI starts one); skipped without it, unless BCF_REQUIRE_REDIS=1
(CI), where a missing server fails instead."""

import os
import re
import time
import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse

from bcf_dashboard.digests import pagecache
from bcf_dashboard.settings import cache_config
from tests.support.dashboard_data import YEAR, make_areas
from tests.support.personas import make_user

pytestmark = [pytest.mark.redis]

NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if os.environ.get("BCF_REQUIRE_REDIS") == "1":
            pytest.fail("BCF_REQUIRE_REDIS=1 but REDIS_URL is not set: start a redis-server and set REDIS_URL")
        pytest.skip("REDIS_URL is not set (CI runs these against a real redis-server)")
    return url


@pytest.fixture
def redis_cache(redis_url, settings):
    """The cache as CACHE_URL=REDIS_URL configures it, under a key prefix of this test's own."""
    config = cache_config(redis_url)
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    config["KEY_PREFIX"] = f"bcf-test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": config}
    import redis

    server = redis.Redis.from_url(redis_url)
    server.ping()  # a server that is not there fails here, plainly
    yield server
    for key in server.scan_iter(f"{config['KEY_PREFIX']}:*"):
        server.delete(key)
    server.close()


def test_set_get_delete_and_the_default_timeout(redis_cache):
    value = {"pence": 12_345_678, "areas": ["E09000006", "E09000033"], "text": "Westminster · Q2"}
    cache.set("figures", value)
    assert cache.get("figures") == value
    stored = cache.make_and_validate_key("figures")
    assert redis_cache.exists(stored)  # in the server, not in this process
    assert 0 < redis_cache.ttl(stored) <= int(os.environ.get("CACHE_TIMEOUT", str(24 * 60 * 60)))
    assert cache.get("missing", "default") == "default"
    cache.delete("figures")
    assert cache.get("figures") is None and not redis_cache.exists(stored)


def test_an_entry_expires(redis_cache):
    cache.set("brief", "here", timeout=1)
    assert cache.get("brief") == "here"
    deadline = time.monotonic() + 5
    while cache.get("brief") is not None:
        assert time.monotonic() < deadline, "the entry outlived its timeout"
        time.sleep(0.1)
    assert not redis_cache.exists(cache.make_and_validate_key("brief"))


def test_cached_builds_once_and_returns_the_same_value(redis_cache):
    built = []

    def build():
        built.append(1)
        return {"table": "<table><tr><td>£1,234.56</td></tr></table>", "chart": "<figure>…</figure>"}

    first = pagecache.cached("page:test:1", build)
    second = pagecache.cached("page:test:1", build)
    assert first == second == build() and len(built) == 2  # once by cached, once just now


def same(html: bytes) -> str:
    """The page without the per-request CSRF token (masked differently on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html.decode())


def test_a_cached_page_round_trips_through_redis(client, db, redis_cache, settings):
    config = settings.CACHES["default"]
    area = make_areas(1, schemes=3)[0]
    client.force_login(make_user("redis-staff", is_staff=True))
    urls = [
        reverse("area_year", args=[area.code, YEAR]),
        reverse("summary_json", args=[area.code, YEAR]),
        reverse("metric", args=[area.code, "NEA"]),
    ]
    for url in urls:
        settings.CACHES = NO_CACHE
        uncached = same(client.get(url).content)
        settings.CACHES = {"default": config}
        before = set(redis_cache.scan_iter(f"{config['KEY_PREFIX']}:*"))
        miss = same(client.get(url).content)
        after = set(redis_cache.scan_iter(f"{config['KEY_PREFIX']}:*"))
        assert any(b":page:" in key for key in after - before), url  # the page's part went to Redis
        hit = same(client.get(url).content)
        assert miss == uncached and hit == uncached, url
