"""A cached draft PDF download assembles nothing while the data is unchanged, and any change is seen at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chairmanship.models import Chairmanship
from workplan.models import Event

pytestmark = pytest.mark.slow


@pytest.fixture
def draft_2014(gmg) -> Chairmanship:
    term = Chairmanship.objects.get(slug="2014-ilo")
    term.report_status = Chairmanship.ReportStatus.DRAFT
    term.save()
    return term


def _download(client, slug: str = "2014-ilo"):
    response = client.get(reverse("reports:report-pdf", kwargs={"slug": slug}))
    assert response.status_code == 200
    return response


def test_a_cached_download_reads_only_the_term_whatever_the_report(
    secretariat_client, draft_2014, django_assert_num_queries
):
    first = _download(secretariat_client)
    # The term (visible to this user); who is asking is kept since the first download
    # (gmg_portal.signed_in): no report assembly (~25 queries), no rendering.
    with django_assert_num_queries(1):
        again = _download(secretariat_client)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_an_edited_event_changes_the_cached_download(secretariat_client, draft_2014):
    before = _download(secretariat_client)
    event = Event.objects.filter(chairmanship=draft_2014).order_by("pk").first()
    event.title = "A renamed consultation on decent work"
    event.save()
    after = _download(secretariat_client)
    assert after["ETag"] != before["ETag"]
    assert after.content != before.content


def test_a_many_to_many_change_changes_the_cached_download(secretariat_client, draft_2014):
    before = _download(secretariat_client)
    # An event whose organisers the report prints: one its accomplishment lists.
    event = (
        Event.objects.filter(
            chairmanship=draft_2014, organisers__isnull=False, accomplishments__list_linked_records=True
        )
        .order_by("pk")
        .first()
    )
    event.organisers.clear()
    assert _download(secretariat_client)["ETag"] != before["ETag"]


def test_a_deleted_event_changes_the_cached_download(secretariat_client, draft_2014):
    before = _download(secretariat_client)
    Event.objects.filter(chairmanship=draft_2014).order_by("pk").first().delete()
    assert _download(secretariat_client)["ETag"] != before["ETag"]


def test_each_language_is_remembered_apart(secretariat_client, draft_2014):
    english = _download(secretariat_client)
    french = secretariat_client.get(reverse("reports:report-pdf", kwargs={"slug": "2014-ilo"}) + "?lang=fr")
    assert french.status_code == 200
    assert french["ETag"] != english["ETag"]
    assert french["ETag"].endswith('-fr"')
