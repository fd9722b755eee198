"""Faults against a production-like server: gunicorn with 3 workers on PostgreSQL, on loopback only.

- a worker killed with SIGKILL costs no more than the request it was serving;
- a PostgreSQL restart is survived without restarting the app
  (CONN_HEALTH_CHECKS replaces the workers' dead connections);
- a body over the limit gets a clear 413, a request line over gunicorn's
  limit a 400, and neither harms a worker.

These tests kill processes and restart the machine's PostgreSQL, which
would break anyone else's tests running against it, so they run only when
asked: GMG_FAULT_TESTS=1 (the PostgreSQL leg of .ci/run sets it). Each test
bounds its own time (deadlines below) and stops everything it started.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

from tests.conftest import require_service

BASE_DIR = Path(settings.BASE_DIR)
PG_ADMIN = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "dbname": "postgres", "connect_timeout": 3}
WORKERS = 3
# Requests that read the database and render JSON; no static files involved.
TRAFFIC_PATHS = ["/healthz", "/api/v1/events/?page_size=20", "/api/v1/agencies/?page_size=50"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("GMG_FAULT_TESTS") != "1",
        reason="fault tests kill workers and restart PostgreSQL: run them with GMG_FAULT_TESTS=1 "
        "(the PostgreSQL leg of .ci/run does)",
    ),
]


def postgres_reachable() -> bool:
    try:
        psycopg2.connect(**PG_ADMIN).close()
    except psycopg2.Error:
        return False
    return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: the parent is the second field after it.
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid:
            found.add(int(entry.name))
    return found


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def master(self) -> int:
        return self.process.pid

    def workers(self) -> set[int]:
        return children_of(self.master)

    def wait_for_workers(self, count: int, *, deadline: float, exclude: set[int] = frozenset()) -> set[int]:
        while time.monotonic() < deadline:
            workers = self.workers() - set(exclude)
            if len(workers) >= count:
                return workers
            time.sleep(0.1)
        raise AssertionError(f"gunicorn did not reach {count} workers; log:\n{self.log.read_text()[-3000:]}")

    def get(self, path: str, *, timeout: float = 10) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", path, headers={"Accept": "application/json", "Host": "127.0.0.1"})
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()


@dataclass
class Traffic:
    """A steady stream of requests from a few client threads, recording each outcome with its time."""

    server: Server
    threads: int = 4
    results: list[tuple[float, str]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _run(self, offset: int) -> None:
        n = offset
        while not self._stop.is_set():
            path = TRAFFIC_PATHS[n % len(TRAFFIC_PATHS)]
            n += 1
            try:
                outcome = str(self.server.get(path))
            except (OSError, http.client.HTTPException) as exc:
                outcome = type(exc).__name__
            with self._lock:
                self.results.append((time.monotonic(), outcome))

    def __enter__(self) -> Traffic:
        self._workers = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(self.threads)]
        for thread in self._workers:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._workers:
            thread.join(timeout=15)

    def outcomes(self, *, after: float = 0.0, before: float = float("inf")) -> Counter:
        with self._lock:
            return Counter(outcome for at, outcome in self.results if after <= at < before)

    def wait_for_successes(self, count: int, *, after: float = 0.0, deadline: float) -> None:
        """Until `count` requests sent after `after` have succeeded (no fixed pause: the traffic says when)."""
        while successes(self.outcomes(after=after)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"fewer than {count} successes after {after:.1f}: {self.outcomes(after=after)}")
            time.sleep(0.05)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_service("PostgreSQL", postgres_reachable(), "postgres://postgres@127.0.0.1:5432")
    name = f"gmg_faults_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(**PG_ADMIN)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()

    folder = tmp_path_factory.mktemp("faults")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "GUNICORN_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="gmg_portal.settings",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{name}",
        CACHE_URL="locmem://faults",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATIC_ROOT=str(folder / "static"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS=str(WORKERS),
        GUNICORN_TIMEOUT="20",
        GUNICORN_GRACEFUL_TIMEOUT="5",
        GUNICORN_MAX_REQUESTS="0",
        GUNICORN_LOG_LEVEL="warning",
    )
    for command in (["migrate", "--noinput", "-v0"], ["loaddata", "gmg", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=BASE_DIR, env=env, check=True, timeout=180)

    log = folder / "gunicorn.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py"],
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    running = Server(process=process, port=port, log=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if running.get("/healthz", timeout=2) == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, f"gunicorn exited:\n{log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"gunicorn did not answer /healthz:\n{log.read_text()[-3000:]}"
            time.sleep(0.2)
        running.wait_for_workers(WORKERS, deadline=time.monotonic() + 20)
        yield running
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        pg_wait_ready(deadline=time.monotonic() + 30)
        admin = psycopg2.connect(**PG_ADMIN)
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def pg_wait_ready(*, deadline: float) -> None:
    while time.monotonic() < deadline:
        if postgres_reachable():
            return
        time.sleep(0.2)
    raise AssertionError("PostgreSQL did not come back")


def successes(counter: Counter) -> int:
    return counter["200"]


def test_a_killed_worker_costs_at_most_its_in_flight_request(server):
    """Sync workers serve one request at a time: SIGKILL loses that one request, no more."""
    test_deadline = time.monotonic() + 60
    before = server.wait_for_workers(WORKERS, deadline=time.monotonic() + 10)
    with Traffic(server) as traffic:
        traffic.wait_for_successes(21, deadline=test_deadline)
        victim = min(before)
        killed_at = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        # The master notices and forks a replacement.
        after = server.wait_for_workers(WORKERS, deadline=time.monotonic() + 20, exclude={victim})
        traffic.wait_for_successes(21, after=killed_at + 1, deadline=test_deadline)
    assert time.monotonic() < test_deadline

    outcomes = traffic.outcomes()
    failures = {outcome: n for outcome, n in outcomes.items() if outcome != "200"}
    assert sum(failures.values()) <= 1, failures  # at most the request the victim was serving
    assert successes(traffic.outcomes(before=killed_at)) > 20
    assert successes(traffic.outcomes(after=killed_at + 1)) > 20, outcomes
    assert victim not in after and len(after) == WORKERS
    assert server.process.poll() is None


def can_restart_postgres() -> bool:
    return os.geteuid() == 0 and shutil.which("pg_ctlcluster") is not None


def restart_postgres() -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"],
        check=True,
        timeout=60,
        capture_output=True,
    )


def test_a_postgresql_restart_is_survived_without_restarting_the_app(server):
    require_service(
        "PostgreSQL restart", can_restart_postgres(), "root and pg_ctlcluster, to restart the local cluster"
    )
    test_deadline = time.monotonic() + 90
    workers = server.wait_for_workers(WORKERS, deadline=time.monotonic() + 10)

    # 1. Mid-traffic: requests during the restart may fail; afterwards they succeed again, soon.
    with Traffic(server) as traffic:
        traffic.wait_for_successes(11, deadline=test_deadline)
        restarted_at = time.monotonic()
        restart_postgres()
        back_at = time.monotonic()
        pg_wait_ready(deadline=back_at + 30)
        # Enough requests after the first seconds back to tell whether any worker is still stuck.
        traffic.wait_for_successes(30, after=back_at + 3, deadline=test_deadline)
    assert successes(traffic.outcomes(before=restarted_at)) > 10
    recovered = [at for at, outcome in traffic.results if at >= back_at and outcome == "200"]
    assert recovered, traffic.outcomes(after=back_at)
    assert recovered[0] - back_at < 10, "requests did not succeed again within 10 s of the restart"
    # The last seconds are all successes: no worker is stuck with a dead connection.
    assert traffic.outcomes(after=back_at + 3) == Counter({"200": successes(traffic.outcomes(after=back_at + 3))})

    # 2. Idle: every worker holds a persistent connection the restart kills. With CONN_HEALTH_CHECKS
    # the first request of each worker checks it and reconnects, so not even one request fails.
    for _ in range(3 * WORKERS):
        assert server.get("/api/v1/agencies/?page_size=50") == 200
    restart_postgres()
    pg_wait_ready(deadline=time.monotonic() + 30)
    statuses = Counter(server.get(TRAFFIC_PATHS[n % len(TRAFFIC_PATHS)]) for n in range(10 * WORKERS))
    assert statuses == Counter({200: 10 * WORKERS}), statuses

    # The app was never restarted: same master, same workers.
    assert server.process.poll() is None
    assert server.workers() == workers
    assert time.monotonic() < test_deadline


def raw_request(port: int, head: bytes, body: bytes = b"", *, timeout: float = 10) -> tuple[int, dict, bytes]:
    """Send a request (possibly only the start of a promised body) and read the response."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(head + body)
        response = http.client.HTTPResponse(conn)
        response.begin()
        return response.status, dict(response.getheaders()), response.read()


def test_an_oversized_body_gets_a_clear_413_and_harms_no_worker(server):
    test_deadline = time.monotonic() + 30
    workers = server.workers()
    limit = 5 * 1024 * 1024
    promised = limit + 1
    head = (
        b"POST /api/v1/agencies/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {promised}\r\n\r\n".encode()
    )
    # The app answers from the headers alone: only the first 64 KiB of the body are ever sent.
    status, headers, body = raw_request(server.port, head, b"{" + b" " * 65535)
    assert status == 413
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body)["detail"] == f"The request body is larger than the limit of {limit} bytes."

    form = (
        b"POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        + f"Content-Length: {promised}\r\n\r\n".encode()
    )
    status, _, body = raw_request(server.port, form, b"username=a&password=" + b"x" * 65535)
    assert status == 413
    assert f"larger than the limit of {limit} bytes" in body.decode()

    # A request line longer than gunicorn's limit is refused by gunicorn itself: 414 URI Too Long.
    long_line = b"GET /events/?q=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    status, _, body = raw_request(server.port, long_line)
    assert status == 414, body
    assert b"too large" in body.lower() or b"too long" in body.lower(), body

    assert server.get("/healthz") == 200
    assert server.workers() == workers
    assert time.monotonic() < test_deadline
