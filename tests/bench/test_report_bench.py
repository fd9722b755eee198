"""The report's cost: the portal's cold PDF build against WeasyPrint alone, and a cached download.

Prints figures, asserts no times (run with `make bench`). Targets: the
portal adds at most 25% to WeasyPrint (ratio ≤ 1.25); a cached download
takes at most 1% of a cold build (ratio ≤ 0.01).
"""

from __future__ import annotations

import statistics
import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from weasyprint import HTML

from chairmanship.models import Chairmanship
from reports.pdf import report_print_html, static_url_fetcher
from reports.selectors import assemble_report
from tests.reports.conftest import load_real_data

ROUNDS = 3


def _median_seconds(action, rounds: int = ROUNDS) -> float:
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


@pytest.mark.django_db
def test_report_pdf_benchmark(client):
    load_real_data()
    url = reverse("reports:report-pdf", kwargs={"slug": "2014-ilo"})
    report = assemble_report(chairmanship=Chairmanship.objects.get(slug="2014-ilo"))
    html = report_print_html(report)
    base_url = "http://testserver/"

    def weasyprint_alone() -> None:
        HTML(string=html, base_url=base_url, url_fetcher=static_url_fetcher).write_pdf(pdf_variant="pdf/a-3u")

    def portal_cold() -> None:
        cache.clear()
        response = client.get(url)
        assert response.status_code == 200

    def portal_cached() -> None:
        response = client.get(url)
        assert response.status_code == 200

    weasyprint_alone()  # warm up: imports, fonts
    portal_cold()
    alone = _median_seconds(weasyprint_alone)
    cold = _median_seconds(portal_cold)
    portal_cold()
    cached = _median_seconds(portal_cached, rounds=20)

    print()
    print(f"2014-ilo PDF, median of {ROUNDS} rounds")
    print(f"  WeasyPrint alone (same HTML)        {alone * 1000:8.1f} ms")
    print(f"  portal, cold (view → assemble → render) {cold * 1000:8.1f} ms")
    print(f"  portal, cached download             {cached * 1000:8.1f} ms")
    print(f"  cold / WeasyPrint alone             {cold / alone:8.3f}   (target ≤ 1.25)")
    print(f"  cached / cold                       {cached / cold:8.4f}   (target ≤ 0.01)")
