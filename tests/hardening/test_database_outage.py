"""While the database cannot be reached, pages and the API say so plainly: 503 with Retry-After, never a 500.

A production-like server (gunicorn, DJANGO_DEBUG=0) is started on 127.0.0.1
with a database that is not there: a PostgreSQL address where nothing
listens, or an SQLite file in a folder that does not exist. The load
balancer's /healthz answers 503 as before; every page and API call answers
503 with Retry-After, a short page (or JSON for the API) that says to try
again, and no traceback.
"""

from __future__ import annotations

import json

import pytest

from tests.bench.harness import base_env
from tests.bench.harness import free_port
from tests.bench.harness import gunicorn_server

pytestmark = pytest.mark.slow

PAGES = ["/", "/events/", "/workplan/2014-ilo/", "/carry-forward/", "/reports/2014-ilo/", "/reports/2014-ilo.pdf"]
API = ["/api/v1/events/", "/api/v1/chairmanships/2014-ilo/", "/api/v1/chairmanships/2014-ilo/report/"]


@pytest.fixture(
    scope="module",
    params=["postgres://postgres@127.0.0.1:{port}/gmg", "sqlite:////nonexistent-gmg-folder/db.sqlite3"],
    ids=["postgresql-unreachable", "sqlite-unopenable"],
)
def server(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("outage")
    database_url = request.param.format(port=free_port())
    env = base_env(database_url=database_url, static_root=folder / "static")
    with gunicorn_server(env, folder / "gunicorn.log", workers=1, ready_status=503) as running:
        yield running


@pytest.mark.parametrize("path", PAGES)
def test_a_page_says_the_database_is_unavailable(server, path):
    status, headers, body = server.get_with_headers(path)

    assert status == 503, body[:500]
    assert headers["Retry-After"] == "30"
    assert headers["Content-Type"].startswith("text/html")
    text = body.decode()
    assert "cannot reach its database" in text
    assert "Traceback" not in text and "OperationalError" not in text


@pytest.mark.parametrize("path", API)
def test_the_api_says_the_database_is_unavailable(server, path):
    status, headers, body = server.get_with_headers(path)

    assert status == 503
    assert headers["Retry-After"] == "30"
    assert headers["Content-Type"] == "application/json"
    assert "cannot reach its database" in json.loads(body)["detail"]
