"""Throughput of the pages and the API under gunicorn (3 workers, 127.0.0.1), as a ratio of /healthz's.

/healthz (one `SELECT 1`) is the floor of the stack: gunicorn, Django's
middleware and a database round trip. Each URL is loaded for a few seconds
by 3 client threads, in interleaved rounds (so load from other processes
hits every URL alike). Target: lists and the API reach at least 0.25 of
/healthz's requests per second. The report page is measured anonymously on
the latest final term, i.e. its stored edition, as the public reads it.

The server runs as in production: with a cache shared by the 3 workers
(Redis, database THROUGHPUT_REDIS_DB of the local server, flushed before each
dataset), so the data generation is remembered and anonymous pages come from
the page cache (gmg_portal/page_cache.py) while the data is unchanged.
"""

from __future__ import annotations

import pytest
import redis

from tests.bench.harness import gunicorn_server
from tests.bench.harness import hammer
from tests.conftest import require_service

ROUNDS = 3
SECONDS = 2.0
THROUGHPUT_REDIS_DB = 14  # of our own: other engineers' runs use other numbers
CACHE_URL = f"redis://127.0.0.1:6379/{THROUGHPUT_REDIS_DB}"
TARGETS = {"/events/": 0.25, "/api/v1/events/": 0.25, "/workplan/<slug>/": 0.25, "/reports/<slug>/": None}


@pytest.mark.parametrize("name", ["real", "history"])
def test_throughput_against_healthz(name, datasets, scratch_copy, bench_table, tmp_path):
    dataset = scratch_copy(datasets[name])
    shared_cache = redis.Redis.from_url(CACHE_URL)
    try:
        shared_cache.flushdb()  # nothing remembered from another dataset or run
    except redis.ConnectionError:
        require_service("Redis", False, "start redis-server on 127.0.0.1:6379")
    slug = dataset.final_slug
    urls = {
        "/healthz": "/healthz",
        "/events/": "/events/",
        "/workplan/<slug>/": f"/workplan/{slug}/",
        "/reports/<slug>/": f"/reports/{slug}/",
        "/api/v1/events/": "/api/v1/events/",
    }
    totals = {label: [0, 0.0] for label in urls}
    with gunicorn_server(dataset.env(CACHE_URL=CACHE_URL), tmp_path / "gunicorn.log") as server:
        for path in urls.values():  # warm up every worker: editions published, templates compiled
            for _ in range(6):
                status, _ = server.get(path, timeout=120)
                assert status == 200, (path, status, server.log.read_text()[-2000:])
        for _ in range(ROUNDS):
            for label, path in urls.items():
                result = hammer(server, path, seconds=SECONDS)
                assert set(result.statuses) == {200}, (path, result.statuses)
                totals[label][0] += result.requests
                totals[label][1] += result.seconds
    rates = {label: requests / seconds for label, (requests, seconds) in totals.items()}
    floor = rates["/healthz"]
    bench_table.add("(c) /healthz, requests/s (gunicorn, 3 workers, Redis cache)", name, f"{floor:.0f}")
    for label, target in TARGETS.items():
        ratio = rates[label] / floor
        bench_table.add(
            f"(c) {label} / healthz ({rates[label]:.0f} req/s)",
            name,
            f"{ratio:.2f}",
            f"≥ {target}" if target else "—",
            ratio >= target if target else None,
        )
