"""Throughput of every page and API list under gunicorn (3 workers, 127.0.0.1), as a ratio of /healthz's.

/healthz (one `SELECT 1`) is the floor of the stack: gunicorn, Django's
middleware and a database round trip; a bare Django view under the same
gunicorn settings shows what that stack costs (information only).

Per dataset (the real data; the 40-term history, whose latest final term has
500 events) two portal servers run side by side on the same database:
- Redis: the cache as in production (database THROUGHPUT_REDIS_DB of the
  local server, flushed first), shared by the 3 workers, so anonymous lists
  come from the page cache (gmg_portal/page_cache.py);
- no shared cache: a per-process locmem cache; the database counts the
  changes (gmg_portal.cache) and each worker keeps its own pages, sessions
  and users under that count.
Every page is loaded signed in (a Secretariat session; /my-agency/ as a focal
point of the final term's agency) and anonymously, on both servers, by 3
client threads for SECONDS, in ROUNDS interleaved rounds (so load from other
processes on the machine hits every page alike); /healthz of each server is
measured every FLOOR_EVERY pages. Targets (issue 26): a signed-in page or API
list with Redis ≥ 0.25 of /healthz; the stored edition's page and PDF ≥ 0.8
on the real data. It is a benchmark: it asserts only that every response is
a 200 (and, once per page, that it is the page asked for, signed in or not);
a page the server does not have is printed "missing (404)".
"""

from __future__ import annotations

import os

import pytest
import redis

from gmg_portal.api_urls import RESOURCES
from tests.bench.harness import gunicorn_server
from tests.bench.harness import run_probe
from tests.bench.throughput import BARE_APP
from tests.bench.throughput import BARE_PATH
from tests.bench.throughput import NO_SHARED_CACHE
from tests.bench.throughput import REDIS
from tests.bench.throughput import ThroughputReport
from tests.bench.throughput import measure
from tests.bench.throughput import portal_pages
from tests.bench.throughput import request_headers
from tests.conftest import require_service

ROUNDS = 2
SECONDS = 1.0
FLOOR_EVERY = 20
THROUGHPUT_REDIS_DB = 14  # of our own: other engineers' runs use other numbers
REDIS_CACHE_URL = f"redis://127.0.0.1:6379/{THROUGHPUT_REDIS_DB}"
LOCAL_CACHE_URL = "locmem://bench-throughput"


@pytest.fixture(scope="module")
def throughput_report(bench_reports) -> ThroughputReport:
    report = ThroughputReport()
    bench_reports.append(report)
    return report


@pytest.fixture(scope="module")
def bare_server(tmp_path_factory):
    """tests/bench/bare_site.py under gunicorn.conf.py: nothing of the portal's environment reaches it."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "GUNICORN_"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    log = tmp_path_factory.mktemp("bare") / "gunicorn.log"
    with gunicorn_server(env, log, app=BARE_APP, ready_path=BARE_PATH) as server:
        yield server


def _flush_redis() -> None:
    shared_cache = redis.Redis.from_url(REDIS_CACHE_URL)
    try:
        shared_cache.flushdb()  # nothing remembered from another dataset or run
    except redis.ConnectionError:
        require_service("Redis", False, "start redis-server on 127.0.0.1:6379")


@pytest.mark.parametrize("name", ["real", "history"])
def test_throughput_against_healthz(
    name, datasets, scratch_copy, bench_table, throughput_report, bare_server, tmp_path
):
    dataset = scratch_copy(datasets[name])
    # One environment, so one SECRET_KEY: the sessions made by the probe are valid on both servers.
    env = dataset.env()
    slug = dataset.final_slug
    facts = run_probe(env, "throughput", slug)
    throughput_report.about[name] = (
        f"term {slug} ({dataset.final_events} events), filter ?{facts['event_filter']} "
        f"({facts['event_filter_matches']} events), /events/{facts['event_pk']}/, focal point of {facts['agency']}"
    )
    pages = portal_pages(slug=slug, facts=facts, resources=RESOURCES)
    _flush_redis()
    with (
        gunicorn_server({**env, "CACHE_URL": REDIS_CACHE_URL}, tmp_path / "redis.log") as with_redis,
        gunicorn_server({**env, "CACHE_URL": LOCAL_CACHE_URL}, tmp_path / "local.log") as without,
    ):
        measured = measure(
            {REDIS: with_redis, NO_SHARED_CACHE: without},
            bare_server,
            pages,
            lambda page, who: request_headers(page, who, facts),
            rounds=ROUNDS,
            seconds=SECONDS,
            floor_every=FLOOR_EVERY,
        )
    throughput_report.measured[name] = measured
    met, judged = throughput_report.verdicts(name)
    bench_table.add(
        "(c) throughput: rows meeting their target (see the throughput table)",
        name,
        f"{met} of {judged}",
        "all",
        met == judged,
    )
    # The table itself is printed once, at the end of the run (conftest.py's summary).
    print(
        f"\nthroughput, {name}: {met} of {judged} rows meet their target "
        f"(warm-up {measured.warm_up_seconds:.0f} s, rounds {measured.rounds_seconds:.0f} s)"
    )
