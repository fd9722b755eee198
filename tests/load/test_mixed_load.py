"""Mixed load on a production-like server: gunicorn with 3 workers and a job worker on PostgreSQL, loopback only.

Readers (pages, API lists, the report page and its stored PDF) and a
secretariat writer (token-authenticated API: POST a new event, PATCH it)
run together for LOAD_SECONDS, with a worker of the job engine running as in
production (it stored the 2014 report's edition first). No request may end in
a 5xx or a dropped connection; p50 and p95 per URL are printed (`pytest -s`).
The server runs on a database of its own (gmg_jobs_<random>), dropped afterwards.

Run: GMG_LOAD_TESTS=1 .venv/bin/python -m pytest -s tests/load/test_mixed_load.py (the PostgreSQL
leg of .ci/run does; without GMG_LOAD_TESTS=1 it is skipped, so `make test` stays quick).
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
from collections import Counter
from collections import defaultdict

import psycopg2
import pytest

from tests.bench.harness import LOOPBACK
from tests.bench.harness import WORKERS
from tests.bench.harness import percentile
from tests.conftest import require_service
from tests.jobs.portal import running_portal
from tests.jobs.portal import wait_for

PG_ADMIN = {"host": LOOPBACK, "port": 5432, "user": "postgres", "dbname": "postgres", "connect_timeout": 3}
TEST_SECONDS = 60
LOAD_SECONDS = 20
READERS = 5
READ_PATHS = [
    "/events/",
    "/events/?page=1&kind=meeting",
    "/workplan/2014-ilo/",
    "/reports/2014-ilo/",
    "/reports/2014-ilo.pdf",
    "/reports/2014-ilo.pdf?lang=fr",
    "/api/v1/events/",
    "/api/v1/chairmanships/",
    "/healthz",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("GMG_LOAD_TESTS") != "1",
        reason="the mixed load test takes a minute of both cores: run it with GMG_LOAD_TESTS=1 "
        "(the PostgreSQL leg of .ci/run does)",
    ),
]


def postgres_reachable() -> bool:
    try:
        psycopg2.connect(**PG_ADMIN).close()
    except psycopg2.Error:
        return False
    return True


def test_mixed_load_has_no_server_errors(tmp_path):
    require_service("PostgreSQL", postgres_reachable(), "postgres://postgres@127.0.0.1:5432")
    started = time.monotonic()
    outcomes: dict[str, Counter] = defaultdict(Counter)
    latencies: dict[str, list[float]] = defaultdict(list)
    lock = threading.Lock()

    with running_portal(tmp_path, postgres=True, app_workers=WORKERS) as portal:
        server = portal.server
        token = portal.token()
        portal.start_worker(GMG_WORKER_PROCESSES="1")
        # The worker stores the 2014 report's edition (load_real_data queued it); then the load begins.
        wait_for(
            lambda: server.get("/reports/2014-ilo.pdf", timeout=30)[0] == 200,
            seconds=120,
            what="the 2014 edition stored by the worker",
            log=portal.worker_log,
        )
        for path in READ_PATHS:  # fills the caches: the rest is steady state
            assert server.get(path, timeout=120)[0] == 200, path
        deadline = time.monotonic() + LOAD_SECONDS

        def record(label: str, status: int | str, took: float) -> None:
            with lock:
                outcomes[label][status] += 1
                latencies[label].append(took)

        def timed(label: str, method: str, path: str, **kwargs) -> tuple[int | str, bytes]:
            began = time.perf_counter()
            try:
                status, body = server.request(method, path, timeout=30, **kwargs)
            except (OSError, http.client.HTTPException) as exc:
                status, body = type(exc).__name__, b""
            record(label, status, time.perf_counter() - began)
            return status, body

        def reader(offset: int) -> None:
            n = offset
            while time.monotonic() < deadline:
                path = READ_PATHS[n % len(READ_PATHS)]
                n += 1
                timed(path, "GET", path)

        def writer() -> None:
            headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
            n = 0
            while time.monotonic() < deadline:
                n += 1
                event = {
                    "chairmanship": "2015-wb",
                    "title": f"Load test consultation {n}",
                    "kind": "meeting",
                    "start_date": "2015-03-15",
                    "city": "Geneva",
                    "country": "CH",
                }
                status, body = timed(
                    "POST /api/v1/events/", "POST", "/api/v1/events/", body=json.dumps(event).encode(), headers=headers
                )
                if status != 201:
                    continue
                created = json.loads(body)
                patch = json.dumps({"summary": f"Revised {n}"}).encode()
                timed(
                    "PATCH /api/v1/events/<id>/",
                    "PATCH",
                    f"/api/v1/events/{created['id']}/",
                    body=patch,
                    headers=headers,
                )
                time.sleep(0.05)

        threads = [threading.Thread(target=reader, args=(i,), daemon=True) for i in range(READERS)]
        threads.append(threading.Thread(target=writer, daemon=True))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=LOAD_SECONDS + 35)
        log = server.log.read_text()

    print(
        f"\nmixed load: {LOAD_SECONDS} s, {READERS} readers and 1 secretariat writer, "
        f"gunicorn {WORKERS} workers and a job worker, PostgreSQL"
    )
    print(f"  {'URL':42} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8}  statuses")
    for label in sorted(latencies):
        times = latencies[label]
        statuses = ", ".join(f"{status}×{count}" for status, count in sorted(outcomes[label].items(), key=str))
        print(
            f"  {label:42} {len(times):8d} {percentile(times, 0.5) * 1e3:8.1f} "
            f"{percentile(times, 0.95) * 1e3:8.1f}  {statuses}"
        )
    failures = {
        label: {status: count for status, count in counter.items() if not (isinstance(status, int) and status < 500)}
        for label, counter in outcomes.items()
    }
    failures = {label: bad for label, bad in failures.items() if bad}
    assert not failures, f"server errors or dropped connections: {failures}\n{log[-3000:]}"
    # Every kind of request was served, the writes included.
    assert outcomes["POST /api/v1/events/"][201] > 5, dict(outcomes["POST /api/v1/events/"])
    assert outcomes["PATCH /api/v1/events/<id>/"][200] > 5, dict(outcomes["PATCH /api/v1/events/<id>/"])
    assert all(outcomes[path][200] > 5 for path in READ_PATHS), {path: dict(outcomes[path]) for path in READ_PATHS}
    assert time.monotonic() - started < TEST_SECONDS + 90  # setup (migrate, collectstatic) included
