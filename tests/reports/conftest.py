"""Fixtures for the report tests: the real data, PDFs rendered once per module, a clean cache."""

from __future__ import annotations

from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from chairmanship.models import Chairmanship
from reports.pdf import render_report_pdf
from reports.selectors import assemble_report


def load_real_data() -> None:
    """fixtures/gmg.json, as the `gmg` fixture loads it, for module-scoped fixtures and benchmarks."""
    call_command("loaddata", "gmg", verbosity=0)


def render_real_pdf(django_db_blocker, slug: str, *, public_url: str = "") -> bytes:
    """The PDF of a real term, rendered once for a module; the data is rolled back afterwards."""
    return render_real_report(django_db_blocker, slug, public_url=public_url)[0]


def render_real_report(django_db_blocker, slug: str, *, public_url: str = "") -> tuple[bytes, dict]:
    """The PDF of a real term with GMG_PUBLIC_URL set to `public_url`, and the report's data (as_dict())."""
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(GMG_PUBLIC_URL=public_url):
        load_real_data()
        report = assemble_report(chairmanship=Chairmanship.objects.get(slug=slug))
        _, _, content = render_report_pdf(report)
        data = report.as_dict()
        transaction.set_rollback(True)
    return content, data
