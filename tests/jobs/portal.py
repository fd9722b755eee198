"""A portal running as in production, on 127.0.0.1: its own database, gunicorn, and workers of the job engine.

The database is a throwaway one of the kind the suite runs on: an SQLite file,
or, when DATABASE_URL names PostgreSQL, a database created for the purpose and
dropped afterwards. Workers are `manage.py worker` processes (django-q2's
cluster); each can be stopped, or killed as a crashed machine would be.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

import psycopg2
from django.conf import settings

from tests.bench.harness import BASE_DIR
from tests.bench.harness import PYTHON
from tests.bench.harness import Server
from tests.bench.harness import base_env
from tests.bench.harness import collect_static
from tests.bench.harness import gunicorn_server
from tests.bench.harness import manage

ADMIN = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "dbname": "postgres", "connect_timeout": 3}


def on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@contextlib.contextmanager
def throwaway_database(folder: Path, *, postgres: bool | None = None) -> Iterator[str]:
    """The URL of an empty database of the suite's kind (or of the kind asked for), removed afterwards."""
    if not (on_postgres() if postgres is None else postgres):
        yield f"sqlite:///{folder / 'portal.sqlite3'}"
        return
    name = f"gmg_jobs_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(**ADMIN)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@dataclass
class Portal:
    env: dict[str, str]
    folder: Path
    server: Server | None = None
    workers: list[subprocess.Popen] = field(default_factory=list)

    def manage(self, *args: str) -> str:
        return manage(*args, env=self.env)

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Rows of a read-only query on the portal's database (`%s` placeholders)."""
        url = self.env["DATABASE_URL"]
        if url.startswith("sqlite"):
            with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
                return db.execute(sql.replace("%s", "?"), params).fetchall()
        with contextlib.closing(psycopg2.connect(url.replace("postgres://", "postgresql://"))) as db:
            with db.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        assert self.server is not None
        return self.server.get_with_headers(path)

    def request(self, method: str, path: str, body: dict | None = None, token: str = "") -> tuple[int, Any]:
        assert self.server is not None
        headers = {"Content-Type": "application/json", **({"Authorization": f"Token {token}"} if token else {})}
        status, content = self.server.request(
            method, path, body=json.dumps(body).encode() if body is not None else None, headers=headers
        )
        return status, (json.loads(content) if content.startswith(b"{") else content)

    def start_worker(self, **env: str) -> subprocess.Popen:
        log = open(self.folder / f"worker-{len(self.workers)}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [PYTHON, "manage.py", "worker"],
            cwd=BASE_DIR,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the cluster's processes are stopped together
        )
        self.workers.append(process)
        return process

    def stop_worker(self, process: subprocess.Popen, *, kill: bool = False) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL if kill else signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

    def worker_log(self) -> str:
        return "\n".join((self.folder / f"worker-{n}.log").read_text()[-2000:] for n in range(len(self.workers)))

    def token(self) -> str:
        """A secretariat member's API token."""
        script = (
            "from django.contrib.auth.models import Group, User; from rest_framework.authtoken.models import Token; "
            "u = User.objects.create_user('officer', password='a long passphrase here', is_staff=True); "
            "u.groups.add(Group.objects.get(name='Secretariat')); print(Token.objects.create(user=u).key)"
        )
        return self.manage("shell", "-v", "0", "-c", script).strip()


def wait_for(condition: Callable[[], Any], *, seconds: float, what: str, log: Callable[[], str] = str) -> Any:
    """Poll until `condition()` is truthy (returning it), or fail after `seconds` saying what did not happen."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {seconds:.0f} s\n{log()}")
        time.sleep(0.25)


@contextlib.contextmanager
def running_portal(folder: Path, *, postgres: bool | None = None, app_workers: int = 2) -> Iterator[Portal]:
    """Migrated, the real dataset loaded (its final report's first edition queued), gunicorn serving; no worker yet."""
    static_root = folder / "static"
    collect_static(static_root)
    with throwaway_database(folder, postgres=postgres) as database_url:
        env = base_env(database_url=database_url, static_root=static_root)
        portal = Portal(env=env, folder=folder)
        portal.manage("migrate", "--noinput", "-v0")
        portal.manage("load_real_data")
        try:
            with gunicorn_server(env, folder / "gunicorn.log", workers=app_workers) as server:
                portal.server = server
                yield portal
        finally:
            for process in portal.workers:
                portal.stop_worker(process, kill=True)
