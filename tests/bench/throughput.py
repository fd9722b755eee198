"""The throughput bench's parts: the pages measured, who asks for them, the interleaved rounds and the table.

tests/bench/test_throughput_bench.py runs two portal servers per dataset
(the Redis cache as in production, and a per-process locmem cache, i.e. no
shared cache: the database counts the changes and each worker keeps its own
pages) and a bare Django server, and
measures each page signed in and anonymously on both portal servers as a
ratio of /healthz's requests per second on the same server.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field

from tests.bench.harness import WORKERS
from tests.bench.harness import LoadResult
from tests.bench.harness import Server
from tests.bench.harness import hammer

SIGNED_IN = "signed in"
ANONYMOUS = "anonymous"
WHO = (SIGNED_IN, ANONYMOUS)
REDIS = "Redis"
NO_SHARED_CACHE = "no shared cache"
CACHES = (REDIS, NO_SHARED_CACHE)

# tests/bench/bare_site.py (not imported here: it configures Django settings of its own when imported).
BARE_APP = "tests.bench.bare_site:application"
BARE_PATH = "/ok"

# A browser keeps the CSRF cookie it was given: sent back, Django reuses it instead of making a new one.
CSRF_COOKIE_VALUE = "benchbenchbenchbenchbenchbench12"  # 32 characters, as CSRF_SECRET_LENGTH asks

SIGNED_IN_MARK = b"Signed in as"
PREPARING_MARK = b"first edition is being prepared"  # reports.editions.PREPARING: no edition stored
NO_AGENCY_MARK = b"speaks for no agency"  # /my-agency/ of an account that is no focal point


@dataclass(frozen=True)
class Page:
    label: str
    paths: tuple[str, ...]  # several: requested in turn, one row for all (API lists of one app)
    body: str = "html"  # what a response must be: "html", "json" or "pdf"
    focal: bool = False  # signed in as the focal point of the final term's agency rather than the Secretariat
    signed_in_only: bool = False  # anonymous visitors are sent to sign in: nothing to measure
    edition: bool = False  # a final term's stored edition: its own target on the real data


def api_pages(resources: Iterable[tuple[str, type, str]]) -> list[Page]:
    """Every /api/v1/ list: events on its own (the largest), the others grouped by the app of their viewset."""
    groups: dict[str, list[str]] = {}
    for prefix, viewset, _basename in resources:
        group = "events" if prefix == "events" else viewset.__module__.split(".")[0]
        groups.setdefault(group, []).append(prefix)
    pages = []
    for group, prefixes in sorted(groups.items(), key=lambda item: item[0] != "events"):
        paths = tuple(f"/api/v1/{prefix}/" for prefix in prefixes)
        # The table's notes name a group's lists, with the median time of each.
        label = paths[0] if len(paths) == 1 else f"/api/v1/ {group} app's {len(paths)} lists, in turn"
        pages.append(Page(label, paths, body="json"))
    return pages


def portal_pages(*, slug: str, facts: dict, resources: Iterable[tuple[str, type, str]]) -> list[Page]:
    """What the issue names, on the dataset's latest final term (`facts`: from probe.py's `throughput`)."""
    event_filter = facts["event_filter"]
    # Labels name no dataset's values (a row holds both datasets); the table's notes give them.
    return [
        Page("/", ("/",)),
        Page("/workplan/<slug>/", (f"/workplan/{slug}/",)),
        Page("/events/", ("/events/",)),
        Page("/events/?year=…&kind=… (a filter)", (f"/events/?{event_filter}",)),
        Page("/events/<pk>/", (f"/events/{facts['event_pk']}/",)),
        Page("/outputs/", ("/outputs/",)),
        Page("/working-groups/", ("/working-groups/",)),
        Page("/carry-forward/", ("/carry-forward/",)),
        Page("/recommendations/", ("/recommendations/",)),
        Page("/dashboard/", ("/dashboard/",)),
        Page("/my-agency/ (as a focal point)", ("/my-agency/",), focal=True, signed_in_only=True),
        Page("/reports/<slug>/ (stored edition)", (f"/reports/{slug}/",), edition=True),
        Page("/reports/<slug>.pdf (stored edition)", (f"/reports/{slug}.pdf",), body="pdf", edition=True),
        *api_pages(resources),
    ]


def request_headers(page: Page, who: str, facts: dict) -> dict[str, str]:
    if who == ANONYMOUS:
        return {}
    session = facts["sessions"]["focal" if page.focal else "secretariat"]
    return {"Cookie": f"{facts['session_cookie']}={session}; {facts['csrf_cookie']}={CSRF_COOKIE_VALUE}"}


def target(page: Page, who: str, cache: str, dataset: str) -> float | None:
    """The issue's targets, as a fraction of /healthz; None where it sets none (a figure only)."""
    if page.edition:
        return 0.8 if dataset == "real" else None
    if who == SIGNED_IN and cache == REDIS:
        return 0.25
    return None


def check_body(page: Page, who: str, path: str, body: bytes) -> None:
    """The response is the page asked for, as the visitor asked: signed in or not, an edition, the focal point's."""
    if page.body == "pdf":
        assert body.startswith(b"%PDF"), (path, body[:200])
        return
    if page.body == "json":
        assert body.startswith((b"{", b"[")), (path, body[:200])
        return
    assert (SIGNED_IN_MARK in body) == (who == SIGNED_IN), (path, who, "signed in?")
    assert PREPARING_MARK not in body, (path, "no stored edition")
    if page.focal:
        assert NO_AGENCY_MARK not in body, (path, "not the focal point's own agency")


# Measuring ------------------------------------------------------------------------------


@dataclass
class Tally:
    """Requests and seconds summed over the rounds; latencies per path (for the rows of several paths)."""

    requests: int = 0
    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)

    def add(self, result: LoadResult) -> None:
        self.requests += result.requests
        self.seconds += result.seconds
        for path, took in result.latencies_by_path.items():
            self.latencies.setdefault(path, []).extend(took)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class Probe:
    key: tuple[str, str, str]  # (page label, who, cache)
    server: Server
    paths: tuple[str, ...]
    headers: dict[str, str]


@dataclass
class Measured:
    """One dataset's figures: tallies per (label, who, cache), /healthz per cache, the bare view, and notes."""

    pages: list[Page]
    tallies: dict[tuple[str, str, str], Tally] = field(default_factory=dict)
    healthz: dict[str, Tally] = field(default_factory=dict)
    bare: Tally = field(default_factory=Tally)
    notes: dict[tuple[str, str, str], str] = field(default_factory=dict)  # instead of a figure: "missing (404)"
    warm_up_seconds: float = 0.0
    rounds_seconds: float = 0.0


def warm_up(probe: Probe, page: Page, who: str) -> str | None:
    """Every worker has served the page (templates compiled, caches filled); None, or why it is not measured."""
    for path in probe.paths:
        status, body = probe.server.get(path, headers=probe.headers, timeout=120)
        if status == 404:
            return "missing (404)"
        if page.signed_in_only and who == ANONYMOUS:
            assert status == 302, (path, status)
            return "sign-in page (302)"
        assert status == 200, (path, who, status, body[:500])
        check_body(page, who, path, body)
    if who == ANONYMOUS:
        return None  # the workers were warmed signed in: the same view, templates and queries
    # Concurrent requests, so that each of the sync workers gets some.
    result = hammer(
        probe.server, probe.paths, seconds=10, max_requests=WORKERS * len(probe.paths), headers=probe.headers
    )
    assert set(result.statuses) == {200}, (probe.key, result.statuses)
    return None


def measure(
    servers: dict[str, Server],
    bare: Server,
    pages: list[Page],
    headers: Callable[[Page, str], dict[str, str]],
    *,
    rounds: int,
    seconds: float,
    floor_every: int,
) -> Measured:
    """Interleaved rounds over every (page, who, cache); /healthz of each server and the bare view every few."""
    measured = Measured(pages=pages)
    started = time.monotonic()
    probes = []
    for page in pages:
        for who in WHO:
            for cache, server in servers.items():
                probe = Probe((page.label, who, cache), server, page.paths, headers(page, who))
                note = warm_up(probe, page, who)
                if note:
                    measured.notes[probe.key] = note
                else:
                    probes.append(probe)
                    measured.tallies[probe.key] = Tally()
    for server in servers.values():
        hammer(server, "/healthz", seconds=0.5)
    hammer(bare, BARE_PATH, seconds=0.5)
    measured.warm_up_seconds = time.monotonic() - started

    def floors() -> None:
        for cache, server in servers.items():
            measured.healthz.setdefault(cache, Tally()).add(_all_200(hammer(server, "/healthz", seconds=seconds)))
        measured.bare.add(_all_200(hammer(bare, BARE_PATH, seconds=seconds)))

    for round_number in range(rounds):
        # Every other round backwards: a page measured late in one round is measured early in the next.
        order = probes if round_number % 2 == 0 else probes[::-1]
        for index, probe in enumerate(order):
            if index % floor_every == 0:
                floors()
            result = hammer(probe.server, probe.paths, seconds=seconds, headers=probe.headers)
            measured.tallies[probe.key].add(_all_200(result))
        floors()
    measured.rounds_seconds = time.monotonic() - started - measured.warm_up_seconds
    return measured


def _all_200(result: LoadResult) -> LoadResult:
    assert set(result.statuses) == {200}, (result.path, result.statuses)
    return result


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1e3 if values else float("nan")


# The table --------------------------------------------------------------------------------


def _cell(measured: Measured, key: tuple[str, str, str]) -> tuple[str, float | None]:
    """The figure as printed, and the ratio to /healthz (None when not measured)."""
    if key in measured.notes:
        return measured.notes[key], None
    if key not in measured.tallies:
        return "", None
    rate = measured.tallies[key].rate
    ratio = rate / measured.healthz[key[2]].rate
    return f"{ratio:.2f} ({rate:.0f}/s)", ratio


def _met(verdicts: dict[str, bool | None]) -> str:
    """yes when every dataset with a target met it; NO naming those that did not; "" without a target."""
    judged = {name: ok for name, ok in verdicts.items() if ok is not None}
    if not judged:
        return ""
    missed = [name for name, ok in judged.items() if not ok]
    return "yes" if not missed else f"NO ({', '.join(missed)})"


@dataclass
class ThroughputReport:
    """Both datasets in one table: rows page × who × cache, a column per dataset, the target and whether met."""

    title: str = "throughput: gunicorn (3 sync workers), each page / /healthz on the same server, same run"
    measured: dict[str, Measured] = field(default_factory=dict)
    about: dict[str, str] = field(default_factory=dict)  # per dataset: its term, filter, event, agency

    def floor_rows(self) -> list[list[str]]:
        rows = []
        for cache in CACHES:
            rates = [f"{m.healthz[cache].rate:.0f}/s" if cache in m.healthz else "" for m in self.measured.values()]
            rows.append(["/healthz, requests/s", ANONYMOUS, cache, *rates, "—", ""])
        for cache in CACHES:
            cells = [
                f"{m.healthz[cache].rate / m.bare.rate:.2f} ({m.bare.rate:.0f}/s bare)" if cache in m.healthz else ""
                for m in self.measured.values()
            ]
            rows.append(["/healthz / bare Django view (information)", ANONYMOUS, cache, *cells, "—", ""])
        return rows

    def page_rows(self) -> tuple[list[list[str]], list[bool]]:
        """The pages' rows, and one verdict per (dataset, row) with a target and a figure."""
        rows, verdicts = [], []
        pages = next(iter(self.measured.values())).pages
        for page in pages:
            for who in WHO:
                for cache in CACHES:
                    key = (page.label, who, cache)
                    cells, met, targets = [], {}, set()
                    for name, measured in self.measured.items():
                        text, ratio = _cell(measured, key)
                        cells.append(text)
                        goal = target(page, who, cache, name)
                        if goal is not None:
                            targets.add(f"≥ {goal}" + (f" ({name})" if page.edition else ""))
                            met[name] = None if ratio is None else ratio >= goal
                            if ratio is not None:
                                verdicts.append(ratio >= goal)
                    rows.append([page.label, who, cache, *cells, ", ".join(sorted(targets)) or "—", _met(met)])
        return rows, verdicts

    def verdicts(self, name: str) -> tuple[int, int]:
        """How many of the dataset's rows with a target and a figure meet it, and how many there are."""
        measured, results = self.measured[name], []
        for page in measured.pages:
            for who in WHO:
                for cache in CACHES:
                    goal = target(page, who, cache, name)
                    ratio = _cell(measured, (page.label, who, cache))[1]
                    if goal is not None and ratio is not None:
                        results.append(ratio >= goal)
        return sum(results), len(results)

    def notes(self) -> list[str]:
        lines = [f"{name}: {about}" for name, about in self.about.items()]
        for name, measured in self.measured.items():
            lines.append(
                f"{name}: warm-up and checks {measured.warm_up_seconds:.0f} s, rounds {measured.rounds_seconds:.0f} s"
            )
        for name, measured in self.measured.items():
            for page in measured.pages:
                tally = measured.tallies.get((page.label, SIGNED_IN, REDIS))
                if len(page.paths) > 1 and tally:
                    each = ", ".join(f"{path} {median_ms(tally.latencies[path]):.0f}" for path in page.paths)
                    lines.append(f"{name}: {page.label}, signed in, Redis, median ms: {each}")
        return lines

    def lines(self) -> list[str]:
        if not self.measured:
            return []
        headers = ["page", "who", "cache", *self.measured, "target", "met"]
        page_rows, verdicts = self.page_rows()
        rows = self.floor_rows() + page_rows
        widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

        def line(cells: list[str]) -> str:
            return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

        out = [line(headers), "-" * len(line(headers))]
        out += [line(row) for row in rows]
        out.append(f"{sum(verdicts)} of {len(verdicts)} targets met (dataset × row)")
        return out + self.notes()
