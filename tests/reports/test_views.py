"""/reports/, /reports/<slug>/ and /reports/<slug>.pdf: visibility, content, caching, revalidation."""

from __future__ import annotations

import io
import logging

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from chairmanship.models import CarryForwardIssue
from chairmanship.models import Chairmanship
from chairmanship.models import Recommendation
from gmg_portal.dates import dates_label
from reports.handover import assemble_handover
from reports.pdf import handover_print_html
from tests.factories import AccomplishmentFactory
from tests.factories import ChairmanshipFactory
from tests.factories import EventFactory
from tests.factories import ObjectiveFactory
from tests.factories import OutputFactory
from tests.workplan.bulk import add_events
from workplan.models import Event

RENDER_LOG = "Rendered the PDF of the report"


def _renders(caplog) -> int:
    return sum(RENDER_LOG in record.getMessage() for record in caplog.records if record.name == "reports.pdf")


def ilo_2014() -> Chairmanship:
    return Chairmanship.objects.get(slug="2014-ilo")


@pytest.fixture
def count_renders(caplog):
    caplog.set_level(logging.INFO, logger="reports.pdf")
    return lambda: _renders(caplog)


# The list of reports --------------------------------------------------------------------------------------

LIST_URL = reverse("reports:report-list")
OLD_TERMS = [
    "2006-unhcr", "2007-iom", "2007-un-desa", "2008-unfpa", "2008-unctad", "2009-unitar", "2010-undp",
    "2010-ohchr", "2011-unicef", "2011-unesco", "2012-unodc", "2013-escap", "2013-iom",
]  # fmt: skip


def _listed(response) -> dict[str, tuple[str, bool]]:
    return {listing.term.slug: (listing.status, listing.linked) for listing in response.context["listings"]}


def _record_something_in_2015() -> None:
    EventFactory(chairmanship=Chairmanship.objects.get(slug="2015-wb"))


@pytest.mark.django_db
def test_the_list_shows_every_term_to_everyone_latest_first(gmg, client):
    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert [slug for slug in _listed(response)] == list(
        Chairmanship.objects.order_by("-start_date").values_list("slug", flat=True)
    )
    html = response.content.decode()
    for term in Chairmanship.objects.all():
        assert term.agency.acronym in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["anonymous", "agency", "other_focal_point", "chair_focal_point", "principal", "secretariat"]
)
def test_terms_with_nothing_recorded_are_not_in_the_portal_for_anyone(gmg, request, role):
    response = request.getfixturevalue(f"{role}_client").get(LIST_URL)
    listed = _listed(response)

    assert listed["2014-ilo"] == ("final", True)
    for slug in [*OLD_TERMS, "2015-wb"]:  # the real data records nothing of these terms
        assert listed[slug] == ("not_in_portal", False), slug
        assert f"/reports/{slug}/" not in response.content.decode()
    assert "Not in the portal" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "linked"),
    [
        ("anonymous", False),
        ("agency", False),
        ("other_focal_point", False),
        ("chair_focal_point", True),
        ("principal", True),
        ("secretariat", True),
    ],
)
def test_a_draft_with_records_is_in_preparation_and_linked_for_its_readers(gmg, request, role, linked):
    _record_something_in_2015()

    response = request.getfixturevalue(f"{role}_client").get(LIST_URL)
    html = response.content.decode()

    assert _listed(response)["2015-wb"] == ("in_preparation", linked)
    assert "In preparation" in html
    assert ("/reports/2015-wb/" in html) is linked
    assert ("/reports/2015-wb.pdf" in html) is linked
    assert "/reports/2014-ilo/" in html and "/reports/2014-ilo.pdf" in html


@pytest.mark.django_db
@pytest.mark.parametrize("record", ["output", "objective", "accomplishment", "narrative"])
def test_any_record_or_narrative_puts_a_draft_in_preparation(gmg, secretariat_client, record):
    term = Chairmanship.objects.get(slug="2013-iom")
    if record == "output":
        OutputFactory(chairmanship=term)
    elif record == "objective":
        ObjectiveFactory(chairmanship=term, number=1)
    elif record == "accomplishment":
        AccomplishmentFactory(chairmanship=term, number=1)
    else:
        Chairmanship.objects.filter(pk=term.pk).update(introduction="The IOM chaired the GMG.")

    assert _listed(secretariat_client.get(LIST_URL))["2013-iom"] == ("in_preparation", True)


@pytest.mark.django_db
def test_the_list_costs_a_fixed_number_of_queries(gmg, client, principal_client, django_assert_max_num_queries):
    for _ in range(20):
        term = ChairmanshipFactory()
        EventFactory(chairmanship=term)
        OutputFactory(chairmanship=term)
    add_events(200)

    with django_assert_max_num_queries(2):  # the terms with their agency and whether they have records · the layout's
        assert client.get(LIST_URL).status_code == 200
    # a signed-in user's session and user, and their groups and focal point (read once for every term)
    with django_assert_max_num_queries(6):
        assert principal_client.get(LIST_URL).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["reports:report-detail", "reports:report-pdf"])
def test_a_draft_is_a_404_for_anonymous_visitors(gmg, client, name):
    assert client.get(reverse(name, kwargs={"slug": "2015-wb"})).status_code == 404
    assert client.get(reverse(name, kwargs={"slug": "no-such-term"})).status_code == 404


@pytest.mark.django_db
def test_a_draft_is_shown_marked_draft_to_a_principal(gmg, principal_client):
    response = principal_client.get(reverse("reports:report-detail", kwargs={"slug": "2015-wb"}))
    assert response.status_code == 200
    assert "DRAFT" in response.content.decode()
    assert "No key accomplishments have been recorded for this term." in response.content.decode()
    pdf = principal_client.get(reverse("reports:report-pdf", kwargs={"slug": "2015-wb"}))
    assert pdf.status_code == 200
    assert "private" in pdf["Cache-Control"]
    for page in PdfReader(io.BytesIO(pdf.content)).pages:
        assert "DRAFT" in page.extract_text()


@pytest.mark.django_db
def test_the_html_report_holds_every_event_of_2014_with_its_date(gmg_published, client, django_assert_num_queries):
    # 2014-ilo is final: a worker has stored edition 1 (tests/editions), which every request serves.
    # 1 the term (visible to this user) · 1 its latest edition with the stored HTML · 1 the layout's current term
    with django_assert_num_queries(3):
        response = client.get(reverse("reports:report-detail", kwargs={"slug": "2014-ilo"}))
    assert response.status_code == 200
    html = response.content.decode()
    events = Event.objects.filter(chairmanship__slug="2014-ilo")
    assert events.count() == 13
    for event in events:
        assert event.title.replace("'", "&#x27;") in html
        assert dates_label(event.start_date, event.end_date) in html
    assert "DRAFT" not in html
    assert 'href="/working-groups/data-and-research/"' in html
    assert 'id="fn-2"' in html and "(i) Ensure effective GMG coordination" in html


@pytest.mark.django_db
def test_the_pdf_download_is_cached_revalidated_and_refreshed_by_an_edit(
    gmg, principal_client, count_renders, django_assert_num_queries
):
    # A draft follows the data (a final report is served from its frozen edition: tests/editions). The real
    # 2014 report, as if it had never been published: a published report cannot become a draft again.
    Chairmanship.objects.filter(slug="2014-ilo").update(report_status=Chairmanship.ReportStatus.DRAFT)
    client = principal_client
    url = reverse("reports:report-pdf", kwargs={"slug": "2014-ilo"})

    # 1 session · 1 user · 1 the user's roles · 1 the term · 21 the report (its fingerprint is the cache key)
    with django_assert_num_queries(25):
        first = client.get(url)
    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert first["Content-Disposition"] == 'attachment; filename="gmg-chairmanship-report-2014-ilo.pdf"'
    assert first["ETag"] and first["Last-Modified"]
    assert count_renders() == 1

    repeat = client.get(url)
    assert repeat.content == first.content
    assert repeat["ETag"] == first["ETag"]
    assert count_renders() == 1  # served from the cache, not rendered again

    revalidated = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert revalidated.status_code == 304
    assert revalidated.content == b""
    assert count_renders() == 1

    event = Event.objects.get(chairmanship__slug="2014-ilo", title="Launch of the Turkish GFMD Chairmanship")
    event.city = "Ankara"
    event.save()

    stale = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert stale.status_code == 200
    assert stale["ETag"] != first["ETag"]
    assert stale.content != first.content
    assert count_renders() == 2
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(stale.content)).pages)
    assert "Ankara" in text


@pytest.mark.django_db
def test_every_term_of_the_chair_history_renders_as_html(gmg, principal_client):
    for term in Chairmanship.objects.all():
        response = principal_client.get(reverse("reports:report-detail", kwargs={"slug": term.slug}))
        assert response.status_code == 200, term.slug
        assert term.agency.acronym in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["2013-escap", "2009-unitar"])
def test_short_terms_of_the_history_render_as_pdf(gmg, principal_client, slug):
    response = principal_client.get(reverse("reports:report-pdf", kwargs={"slug": slug}))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) > 1
    assert Chairmanship.objects.get(slug=slug).display_name in reader.metadata.title


@pytest.mark.django_db
def test_the_report_pages_refuse_writes(gmg, client):
    assert client.post(reverse("reports:report-pdf", kwargs={"slug": "2014-ilo"})).status_code == 405


@pytest.mark.django_db
def test_the_handover_page_links_a_recommendations_source_output_as_it_links_events(gmg, client):
    recommendation = Recommendation.objects.filter(source_output__isnull=False).order_by("pk").first()
    html = client.get(reverse("reports:handover-detail", kwargs={"slug": "2014-ilo"})).content.decode()

    assert f'href="{reverse("workplan:output-detail", args=[recommendation.source_output_id])}"' in html

    # The PDF's HTML gets no relative link to the portal (reports/public_links.py makes the PDF's links absolute).
    printed = handover_print_html(assemble_handover(chairmanship=ilo_2014()))
    assert recommendation.source_output.title in printed
    assert 'href="/outputs/' not in printed


HANDOVER_RENDER_LOG = "Rendered the PDF of the handover pack"


@pytest.mark.django_db
def test_the_handover_pack_is_rendered_once_for_its_readers_until_the_records_change(gmg, caplog):
    caplog.set_level(logging.INFO, logger="reports.pdf")
    url = reverse("reports:handover-pdf", kwargs={"slug": "2014-ilo"})

    def renders() -> int:
        return sum(HANDOVER_RENDER_LOG in record.getMessage() for record in caplog.records)

    first, repeat = Client().get(url), Client().get(url)
    assert first.status_code == repeat.status_code == 200
    assert first["Cache-Control"] == "no-cache"  # public: browsers and proxies may keep it, and revalidate
    assert repeat.content == first.content
    assert renders() == 1  # a crowd of downloads costs one rendering, not one each

    issue = CarryForwardIssue.objects.filter(handed_over_in__slug="2014-ilo").order_by("pk").first()
    issue.text = "Rewritten by the secretariat"
    issue.save()

    fresh = Client().get(url)
    assert renders() == 2
    assert "Rewritten by the secretariat" in " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(fresh.content)).pages
    )
