"""Measurements made in a fresh process on one dataset (DATABASE_URL): `python -m tests.bench.probe COMMAND …`.

Commands (each prints one JSON line last):
  count               how many events the dataset holds, and its latest final term (the one measured)
  pdf SLUG ROUNDS     the final term's stored edition download; then, the term made a draft: cold PDF
                      build vs WeasyPrint alone (interleaved rounds), and a cached download
  queries SLUG        queries of each page, signed in, rendered afresh as after a change of the records
                      (the term's edition pages, then as a draft; and the draft's cached PDF)
  memory SLUG         peak memory of one PDF build (RSS of this process, and tracemalloc)
  mark_final SLUG     the term made a draft, then marked final through the API: the request's time, the
                      time from marking final to its stored edition (the request, then the job as a worker
                      runs it), and the sum of the edition's renderings (each language's HTML and PDF)
  throughput SLUG     what the throughput bench's server needs: the term's edition stored (default language
                      only), a Secretariat and a focal point (of the term's agency) signed in — their session
                      keys —, an event of the term and an event filter with results

Run by tests/bench (harness.run_probe) on scratch copies of the datasets: it edits them.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
import tracemalloc


def _setup() -> None:
    import django

    django.setup()


def _seconds(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _secretariat():
    """A member of the Secretariat: the role that reads a draft report and marks it final."""
    from django.contrib.auth.models import Group
    from django.contrib.auth.models import User

    user, _ = User.objects.get_or_create(username="bench-secretariat", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name="Secretariat"))
    return user


def _signed_in_client():
    from django.test import Client

    client = Client()
    client.force_login(_secretariat())
    return client


def _make_draft(slug: str):
    from chairmanship.models import Chairmanship

    term = Chairmanship.objects.get(slug=slug)
    term.report_status = Chairmanship.ReportStatus.DRAFT
    term.save()  # through save(): every cache keyed on the data learns of it
    return term


def _store_editions(slug: str) -> None:
    """What a worker does for a final term without an edition (no request renders one)."""
    from chairmanship.models import Chairmanship
    from jobs.engine import run
    from reports.jobs import queue_missing_editions

    for job in queue_missing_editions(terms=[Chairmanship.objects.get(slug=slug)]):
        run(job.pk)


def count() -> dict:
    from chairmanship.models import Chairmanship
    from workplan.models import Event

    final = Chairmanship.objects.filter(report_status=Chairmanship.ReportStatus.FINAL).order_by("-start_date").first()
    return {"events": Event.objects.count(), "final_slug": final.slug, "final_events": final.events.count()}


def pdf(slug: str, rounds: str) -> dict:
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse
    from weasyprint import HTML

    from reports.pdf import PDF_VARIANT
    from reports.pdf import public_base_url
    from reports.pdf import report_print_html
    from reports.pdf import static_files_fetcher
    from reports.selectors import assemble_report

    rounds = int(rounds)
    url = reverse("reports:report-pdf", kwargs={"slug": slug})

    # A final term: its stored edition, byte for byte (stored by a worker's job).
    _store_editions(slug)
    anonymous = Client()
    assert anonymous.get(url).status_code == 200

    def edition_download() -> None:
        response = anonymous.get(url)
        assert response.status_code == 200, response.status_code

    edition_runs = [_seconds(edition_download) for _ in range(30)]

    # The same term as a draft: built from the live data, cached while the data is unchanged.
    term = _make_draft(slug)
    client = _signed_in_client()
    html = report_print_html(assemble_report(chairmanship=term))

    def weasyprint_alone() -> None:
        # The same variant (tagged PDF/A-3a); the portal's own work (links, the embedded data, the cache) is
        # what the cold build adds.
        HTML(string=html, base_url=public_base_url(), url_fetcher=static_files_fetcher()).write_pdf(
            pdf_variant=PDF_VARIANT
        )

    def portal_cold() -> None:
        cache.clear()
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    def portal_cached() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        assert response.content.startswith(b"%PDF")

    weasyprint_alone()  # warm up: imports, fonts
    portal_cold()
    # Interleaved, so that load from other processes on the machine hits both alike.
    alone_runs, cold_runs = [], []
    for _ in range(rounds):
        alone_runs.append(_seconds(weasyprint_alone))
        cold_runs.append(_seconds(portal_cold))
    portal_cold()
    cached_runs = [_seconds(portal_cached) for _ in range(30)]
    return {
        "alone": alone_runs,
        "cold": cold_runs,
        "cached": cached_runs,
        "edition": edition_runs,
        "pdf_bytes": len(client.get(url).content),
        "html_chars": len(html),
    }


def _count_queries(client, url: str, *, afresh: bool = True) -> int:
    """Queries of the page once every cache is filled: rendered afresh, as after any change of the records
    (`afresh`), or served from the cache."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gmg_portal.cache import data_generation_bump

    first = client.get(url)  # fills the caches: one-time work is not counted
    assert first.status_code == 200, (url, first.status_code)
    if afresh:
        data_generation_bump()  # what any save does: nothing remembered of the records is served again
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


def queries(slug: str) -> dict:
    _store_editions(slug)
    client = _signed_in_client()
    pages = {
        "/events/": "/events/",
        "/api/v1/events/": "/api/v1/events/",
        "/api/v1/chairmanships/": "/api/v1/chairmanships/",
        "/reports/": "/reports/",
        "/dashboard/": "/dashboard/",
        "/workplan/<slug>/": f"/workplan/{slug}/",
        "/reports/<slug>/ (edition)": f"/reports/{slug}/",
        "/reports/<slug>.pdf (edition)": f"/reports/{slug}.pdf",
    }
    counts = {name: _count_queries(client, url) for name, url in pages.items()}
    _make_draft(slug)
    counts["/reports/<slug>/ (draft)"] = _count_queries(client, f"/reports/{slug}/")
    counts["/reports/<slug>.pdf (draft, cached)"] = _count_queries(client, f"/reports/{slug}.pdf", afresh=False)
    return counts


def memory(slug: str) -> dict:
    from reports.pdf import render_report_pdf
    from reports.selectors import assemble_report

    term = _make_draft(slug)
    report = assemble_report(chairmanship=term)
    import weasyprint  # noqa: F401 - loaded before the baseline, as in a running server

    before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    render_report_pdf(report)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    render_report_pdf(assemble_report(chairmanship=term))
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "rss_before_mib": before_kib / 1024,
        "rss_peak_mib": peak_kib / 1024,
        "python_peak_mib": traced_peak / 2**20,
    }


def mark_final(slug: str) -> dict:
    from django.conf import settings
    from django.utils import timezone
    from django.utils import translation
    from rest_framework.test import APIClient

    from jobs.engine import run
    from jobs.models import Job
    from reports.editions import _render_language
    from reports.editions import edition_languages
    from reports.models import ReportEdition
    from reports.selectors import assemble_report

    term = _make_draft(slug)
    assert not ReportEdition.objects.filter(chairmanship=term).exists()  # edition 1 is what is measured
    client = APIClient()
    client.force_authenticate(_secretariat())
    client.get("/api/v1/chairmanships/")  # warm up: URL resolver, serializers

    def mark() -> None:
        response = client.patch(f"/api/v1/chairmanships/{slug}/", {"report_status": "final"}, format="json")
        assert response.status_code == 200, (response.status_code, response.content[:300])

    started = time.perf_counter()
    request_seconds = _seconds(mark)
    job = Job.objects.get(kind="edition", subject=slug, status=Job.Status.QUEUED)
    assert not ReportEdition.objects.filter(chairmanship=term).exists()  # the request rendered nothing
    run(job.pk)
    to_stored_seconds = time.perf_counter() - started
    assert ReportEdition.objects.filter(chairmanship=term).count() == 1

    # The same renderings one by one: each language assembled, then its HTML and PDF.
    term.refresh_from_db()
    data = assemble_report(chairmanship=term).as_dict()  # what every language's PDF carries, as the edition's
    renderings = []
    for language in edition_languages():
        with translation.override(language):
            renderings.append(
                _seconds(
                    lambda: _render_language(
                        report=assemble_report(chairmanship=term),
                        number=1,
                        issued_at=timezone.now(),
                        note="",
                        data=data,
                    )
                )
            )
    return {
        "request": request_seconds,
        "to_stored": to_stored_seconds,
        "renderings": sum(renderings),
        "languages": len(renderings),
        "default_language": settings.LANGUAGE_CODE,
    }


def _session_key(user) -> str:
    """A signed-in session of `user`, as django.contrib.auth.login() leaves it (signed with this SECRET_KEY)."""
    from django.contrib.auth import BACKEND_SESSION_KEY
    from django.contrib.auth import HASH_SESSION_KEY
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    # The model backend by name: the first of AUTHENTICATION_BACKENDS (django-axes) loads no user.
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def throughput(slug: str) -> dict:
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.contrib.auth.models import User
    from django.db.models import Count
    from django.db.models.functions import ExtractYear
    from django.test import override_settings

    from chairmanship.models import Chairmanship
    from chairmanship.models import FocalPoint

    # The default language's rendering only: requests without Accept-Language are served that one either way,
    # and the other languages would add about a minute of PDF rendering on the 500-event term.
    with override_settings(LANGUAGES=[lang for lang in settings.LANGUAGES if lang[0] == settings.LANGUAGE_CODE]):
        _store_editions(slug)
    term = Chairmanship.objects.get(slug=slug)
    secretariat = _secretariat()
    focal, _ = User.objects.get_or_create(username="bench-focal")
    focal.groups.add(Group.objects.get(name="Agency"))
    FocalPoint.objects.update_or_create(user=focal, defaults={"agency": term.agency})
    events = term.events.all()
    # The most frequent (year, kind) of the term's events: a filter that lists something in every dataset.
    busiest = (
        events.annotate(year=ExtractYear("start_date"))
        .values("year", "kind")
        .annotate(n=Count("pk"))
        .order_by("-n", "year", "kind")
        .first()
    )
    return {
        "sessions": {"secretariat": _session_key(secretariat), "focal": _session_key(focal)},
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "agency": term.agency.acronym,
        "event_pk": events.order_by("start_date", "pk").first().pk,
        "event_filter": f"year={busiest['year']}&kind={busiest['kind']}",
        "event_filter_matches": busiest["n"],
    }


COMMANDS = {
    "count": count,
    "pdf": pdf,
    "queries": queries,
    "memory": memory,
    "mark_final": mark_final,
    "throughput": throughput,
}


if __name__ == "__main__":
    _setup()
    command, *arguments = sys.argv[1:]
    result = COMMANDS[command](*arguments)
    print(json.dumps(result, default=statistics.median))
