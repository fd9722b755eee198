"""Throughput of the pages and the API under gunicorn (3 workers, 127.0.0.1), as a ratio of /healthz's.

/healthz (one `SELECT 1`) is the floor of the stack: gunicorn, Django's
middleware and a database round trip. Each URL is loaded for a few seconds
by 3 client threads, in interleaved rounds (so load from other processes
hits every URL alike). Target: lists and the API reach at least 0.25 of
/healthz's requests per second. The report page is measured anonymously on
the latest final term, i.e. its stored edition, as the public reads it.
"""

from __future__ import annotations

import pytest

from tests.bench.harness import gunicorn_server, hammer

ROUNDS = 3
SECONDS = 2.0
TARGETS = {"/events/": 0.25, "/api/v1/events/": 0.25, "/workplan/<slug>/": 0.25, "/reports/<slug>/": None}


@pytest.mark.parametrize("name", ["real", "history"])
def test_throughput_against_healthz(name, datasets, scratch_copy, bench_table, tmp_path):
    dataset = scratch_copy(datasets[name])
    slug = dataset.final_slug
    urls = {
        "/healthz": "/healthz",
        "/events/": "/events/",
        "/workplan/<slug>/": f"/workplan/{slug}/",
        "/reports/<slug>/": f"/reports/{slug}/",
        "/api/v1/events/": "/api/v1/events/",
    }
    totals = {label: [0, 0.0] for label in urls}
    with gunicorn_server(dataset.env(), tmp_path / "gunicorn.log") as server:
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
    bench_table.add("(c) /healthz, requests/s", name, f"{floor:.0f}")
    for label, target in TARGETS.items():
        ratio = rates[label] / floor
        bench_table.add(
            f"(c) {label} / healthz ({rates[label]:.0f} req/s)",
            name,
            f"{ratio:.2f}",
            f"≥ {target}" if target else "—",
            ratio >= target if target else None,
        )
