"""What the benchmarks and the load test share: datasets, a gunicorn server, a bounded load client, probes.

- `build_dataset()` makes a SQLite file (migrate, the real data, optionally a
  synthetic history from `generate_history`) in a folder of the test run;
  nothing touches the developer's database.
- `gunicorn_server()` runs the portal as in production (DJANGO_DEBUG=0,
  hashed static files, 3 sync workers) on 127.0.0.1 and a free port only.
- `hammer()` is the load client: threads and http.client, a fixed duration
  (at most 10 s) and a fixed cap on requests; it never leaves loopback.
- `run_probe()` runs tests/bench/probe.py in a fresh process on a dataset
  (PDF builds, query counts, peak memory) and returns its JSON.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
LOOPBACK = "127.0.0.1"
WORKERS = 3
MAX_SECONDS_PER_URL = 10.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def base_env(*, database_url: str, static_root: Path, cache_url: str = "locmem://bench") -> dict[str, str]:
    """The environment of a production-like process on this machine (no DJANGO_ variable of the caller leaks in)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "GUNICORN_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="gmg_portal.settings",
        DATABASE_URL=database_url,
        CACHE_URL=cache_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=f"{LOOPBACK},testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATIC_ROOT=str(static_root),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def manage(*args: str, env: dict[str, str], timeout: float = 600) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def collect_static(static_root: Path) -> None:
    env = base_env(database_url=f"sqlite:///{static_root.parent / 'unused.sqlite3'}", static_root=static_root)
    manage("collectstatic", "--noinput", "-v0", env=env)


@dataclass(frozen=True)
class Dataset:
    name: str
    path: Path
    static_root: Path
    events: int
    final_slug: str  # the latest final term: the one whose pages and PDF are measured
    final_events: int

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def env(self, **extra: str) -> dict[str, str]:
        env = base_env(database_url=self.url, static_root=self.static_root)
        env.update(extra)
        return env


def build_dataset(name: str, folder: Path, static_root: Path, *, terms: int = 0, events_per_term: int = 0) -> Dataset:
    """The real data (fixtures/gmg.json), plus `terms` synthetic terms of `events_per_term` events if asked."""
    path = folder / f"{name}.sqlite3"
    env = base_env(database_url=f"sqlite:///{path}", static_root=static_root)
    manage("migrate", "--noinput", "-v0", env=env)
    manage("loaddata", "gmg", "-v0", env=env)
    if terms:
        manage(
            "generate_history", "--terms", str(terms), "--events-per-term", str(events_per_term), "--seed", "1", env=env
        )
    counted = run_probe(env, "count")
    return Dataset(
        name=name,
        path=path,
        static_root=static_root,
        events=counted["events"],
        final_slug=counted["final_slug"],
        final_events=counted["final_events"],
    )


def run_probe(env: dict[str, str], *args: str, timeout: float = 600) -> dict:
    """tests/bench/probe.py in a fresh process; its last output line is JSON."""
    done = subprocess.run(
        [PYTHON, "-m", "tests.bench.probe", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise AssertionError(f"probe {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# gunicorn ----------------------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30,
    ) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection(LOOPBACK, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers={"Host": LOOPBACK, **(headers or {})})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def get(self, path: str, **kwargs) -> tuple[int, bytes]:
        return self.request("GET", path, **kwargs)

    def get_with_headers(self, path: str, *, timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(LOOPBACK, self.port, timeout=timeout)
        try:
            conn.request("GET", path, headers={"Host": LOOPBACK})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()


@contextlib.contextmanager
def gunicorn_server(
    env: dict[str, str],
    log: Path,
    *,
    workers: int = WORKERS,
    ready_status: int = 200,
    app: str | None = None,
    ready_path: str = "/healthz",
) -> Iterator[Server]:
    """gunicorn.conf.py with `workers` sync workers on 127.0.0.1:<free port>; stopped (SIGTERM) on exit.

    Ready when `ready_path` answers `ready_status` (503 for a server whose database is down on purpose).
    `app`: another WSGI application than the portal's ("module:callable"), under the same settings.
    """
    port = free_port()
    env = dict(env)
    env.update(
        GUNICORN_BIND=f"{LOOPBACK}:{port}",
        GUNICORN_WORKERS=str(workers),
        GUNICORN_TIMEOUT="120",
        GUNICORN_GRACEFUL_TIMEOUT="5",
        GUNICORN_MAX_REQUESTS="0",
        GUNICORN_LOG_LEVEL="warning",
    )
    # Access logs off: writing one line per request would be part of what is measured.
    with open(log, "wb") as output:
        process = subprocess.Popen(
            # An app named on the command line takes the place of gunicorn.conf.py's wsgi_app.
            [GUNICORN, "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null", *([app] if app else [])],
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Server(process=process, port=port, log=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                if server.get(ready_path, timeout=2)[0] == ready_status:
                    break
            assert process.poll() is None, f"gunicorn exited:\n{log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"gunicorn did not answer {ready_path}:\n{log.read_text()[-3000:]}"
            time.sleep(0.2)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


# The load client -----------------------------------------------------------------------


@dataclass
class LoadResult:
    path: str  # the paths, comma-separated, when several were loaded in turn
    seconds: float
    statuses: dict[int | str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    latencies_by_path: dict[str, list[float]] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def hammer(
    server: Server,
    path: str | Sequence[str],
    *,
    seconds: float,
    threads: int = WORKERS,
    max_requests: int = 100_000,
    headers: dict[str, str] | None = None,
) -> LoadResult:
    """GET `path` from `threads` client threads for `seconds` (≤ 10) or `max_requests`, whichever comes first.

    Several paths are requested in turn (request n asks for path n mod len(paths)): their mixed rate.
    """
    paths = [path] if isinstance(path, str) else list(path)
    seconds = min(seconds, MAX_SECONDS_PER_URL)
    result = LoadResult(path=", ".join(paths), seconds=seconds, latencies_by_path={p: [] for p in paths})
    lock = threading.Lock()
    sent = [0]
    started = time.monotonic()
    deadline = started + seconds

    def client() -> None:
        while True:
            with lock:
                if time.monotonic() >= deadline or sent[0] >= max_requests:
                    return
                asked = paths[sent[0] % len(paths)]
                sent[0] += 1
            began = time.perf_counter()
            try:
                status: int | str = server.get(asked, headers=headers, timeout=30)[0]
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
            took = time.perf_counter() - began
            with lock:
                result.statuses[status] = result.statuses.get(status, 0) + 1
                result.latencies.append(took)
                result.latencies_by_path[asked].append(took)

    workers = [threading.Thread(target=client, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=seconds + 40)
    result.seconds = time.monotonic() - started
    return result


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (0 < fraction ≤ 1) of `values`."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-int(fraction * 1000) * len(ordered) // 1000))
    return ordered[min(rank, len(ordered)) - 1]
