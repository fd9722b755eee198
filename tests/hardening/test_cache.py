"""The report cache: rendered once per data version, and shared by every process on one Redis.

CI runs this file (and the report cache tests in tests/reports) a second
time with CACHE_URL=redis://127.0.0.1:6379/0, so the in-process tests go
through Redis there; the two-process test always needs Redis.
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from chairmanship.models import Chairmanship
from gmg_portal.env import cache_from_url
from reports.pdf import cached_report_pdf
from reports.pdf import pdf_cache_key
from reports.selectors import assemble_report
from tests.conftest import require_service

BASE_DIR = Path(settings.BASE_DIR)
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"


def redis_url() -> str:
    configured = os.environ.get("CACHE_URL", "")
    return configured.split("?", 1)[0] if configured.startswith("redis://") else DEFAULT_REDIS


def redis_available(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def renders(caplog):
    """How many times the PDF was really rendered (reports.pdf logs each rendering)."""
    caplog.set_level(logging.INFO, logger="reports.pdf")
    return lambda: sum("Rendered the PDF" in record.getMessage() for record in caplog.records)


def test_the_cache_is_the_one_cache_url_names():
    configured = os.environ.get("CACHE_URL")
    backend = settings.CACHES["default"]["BACKEND"]
    if configured and configured.startswith("redis://"):
        assert backend == "gmg_portal.redis_cache.RedisCache"  # Django's, keeping its clients
    else:
        assert backend == "django.core.cache.backends.locmem.LocMemCache"
    cache.set("hardening:probe", {"value": 1}, 30)
    assert cache.get("hardening:probe") == {"value": 1}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "redis://127.0.0.1:6379/0",
            {
                "LOCATION": "redis://127.0.0.1:6379/0",
                "KEY_PREFIX": "gmg",
                "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
            },
        ),
        (
            "redis://cache:6379/2?prefix=portal-a&timeout=1.5",
            {
                "LOCATION": "redis://cache:6379/2",
                "KEY_PREFIX": "portal-a",
                "OPTIONS": {"socket_connect_timeout": 1.5, "socket_timeout": 1.5},
            },
        ),
    ],
)
def test_redis_cache_urls(monkeypatch, url, expected):
    monkeypatch.setenv("CACHE_URL", url)
    config = cache_from_url("CACHE_URL", default="locmem://")
    assert config["BACKEND"] == "gmg_portal.redis_cache.RedisCache"
    assert {key: config[key] for key in expected} == expected


@pytest.mark.parametrize("timeout", ["0", "-1", "soon", "600"])
def test_a_bad_cache_timeout_names_the_variable(monkeypatch, timeout):
    monkeypatch.setenv("CACHE_URL", f"redis://127.0.0.1:6379/0?timeout={timeout}")
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL: timeout must be a number of seconds"):
        cache_from_url("CACHE_URL", default="locmem://")


def test_a_bad_cache_url_names_the_variable(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "memcached://127.0.0.1:11211")
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must be a locmem://, dummy:// or redis:// URL"):
        cache_from_url("CACHE_URL", default="locmem://")


@pytest.mark.slow
@pytest.mark.django_db
def test_the_pdf_is_rendered_once_per_data_version(gmg, renders):
    term = Chairmanship.objects.get(slug="2013-escap")
    first = cached_report_pdf(assemble_report(chairmanship=term))
    again = cached_report_pdf(assemble_report(chairmanship=term))
    assert renders() == 1
    assert again == first
    assert cache.get(pdf_cache_key(assemble_report(chairmanship=term))) == first[2]

    term.theme = "A new theme"
    term.save(update_fields=["theme"])
    changed = cached_report_pdf(assemble_report(chairmanship=term))
    assert renders() == 2
    assert changed[2] != first[2]


# Run in a fresh interpreter: render (or fetch) the PDF of one term and print what happened.
CHILD = """
import hashlib, logging, sys
import django
django.setup()
logging.getLogger("reports.pdf").setLevel(logging.INFO)
from chairmanship.models import Chairmanship
from reports.pdf import cached_report_pdf, pdf_cache_key
from reports.selectors import assemble_report
report = assemble_report(chairmanship=Chairmanship.objects.get(slug=sys.argv[1]))
_, _, content = cached_report_pdf(report)
print(pdf_cache_key(report))
print(hashlib.sha256(content).hexdigest())
"""


@pytest.mark.slow
@pytest.mark.redis
def test_two_processes_share_the_report_cache(tmp_path):
    """The first process renders and stores the PDF in Redis; the second gets it from there without rendering."""
    url = redis_url()
    require_service("Redis", redis_available(url), f"a Redis server at {url}")
    prefix = f"gmg-test-{uuid.uuid4().hex[:12]}"
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="gmg_portal.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        CACHE_URL=f"{url}?prefix={prefix}",
    )

    def run(*args: str) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=240
        )
        assert result.returncode == 0, result.stderr
        return result

    run("manage.py", "migrate", "--noinput", "-v0")
    run("manage.py", "loaddata", "gmg", "-v0")
    client = redis.Redis.from_url(url)
    try:
        assert client.keys(f"{prefix}:*") == []

        first = run("-c", CHILD, "2013-escap")
        key, first_digest = first.stdout.split()
        assert "Rendered the PDF of the report 2013-escap" in first.stderr
        stored = client.get(f"{prefix}:1:{key}")
        assert stored is not None, "the first process did not store the PDF in Redis"

        second = run("-c", CHILD, "2013-escap")
        second_key, second_digest = second.stdout.split()
        assert "Rendered the PDF" not in second.stderr, "the second process rendered again"
        assert (second_key, second_digest) == (key, first_digest)
        assert client.keys(f"{prefix}:*") == [f"{prefix}:1:{key}".encode()]
        # What Redis holds is the pickled PDF both processes served.
        assert hashlib.sha256(cache_from_redis(stored)).hexdigest() == first_digest
    finally:
        for stale in client.scan_iter(f"{prefix}:*"):
            client.delete(stale)


def cache_from_redis(raw: bytes) -> bytes:
    """Django's RedisCache stores pickles (integers as plain digits)."""
    import pickle

    return pickle.loads(raw)  # noqa: S301 - our own test data
