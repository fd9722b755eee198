"""The handover pack: HTML page and PDF (parsed with pypdf), content, visibility and query count."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from chairmanship.models import Chairmanship
from chairmanship.models import Recommendation
from gmg_portal.cache import data_generation_bump
from reports.handover import assemble_handover
from reports.pdf import render_handover_pdf
from tests.factories import AgencyFactory
from tests.factories import CarryForwardIssueFactory
from tests.factories import ChairmanshipFactory
from tests.factories import EventFactory
from tests.factories import RecommendationFactory
from tests.factories import WorkingGroupFactory
from tests.reports.pdf_reading import pdfa_identification
from tests.reports.pdf_reading import structure_types

SECTIONS = [
    "1. Open issues carried forward",
    "2. Recommendations not yet implemented",
    "3. Upcoming events",
    "4. Working groups and their chairs",
]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2010\n", "").replace("-\n", "-"))


@pytest.fixture
def carried(gmg) -> Chairmanship:
    """2015-wb with the 14 issues of 2014 carried into it, as the secretariat would do it."""
    call_command("carry_forward", "2014-ilo", "2015-wb", stdout=io.StringIO())
    return Chairmanship.objects.get(slug="2015-wb")


def test_the_pack_lists_open_issues_with_lineage_and_age(carried):
    pack = assemble_handover(chairmanship=carried, today=datetime.date(2015, 12, 31))

    assert len(pack.issues) == 14
    first = pack.issues[0]
    assert first.origin.slug == "2013-escap"
    assert [t.slug for t in first.lineage] == ["2013-escap", "2014-ilo", "2015-wb"]
    assert first.age == "2 years, 11 months"  # from 1 January 2013 to 31 December 2015
    assert [t.label for t in first.lineage] == ["ESCAP (2013)", "ILO (2014)", "WB (2015)"]
    assert pack.incoming_chair == ""  # no later term is known


def test_resolved_issues_implemented_recommendations_and_past_events_stay_out(db):
    term = ChairmanshipFactory()
    later = ChairmanshipFactory(agency=AgencyFactory(acronym="NEXT"))
    CarryForwardIssueFactory(handed_over_in=term, text="Still open.")
    CarryForwardIssueFactory(handed_over_in=term, text="Done.", status="resolved")
    RecommendationFactory(chairmanship=term, text="Pending.", status=Recommendation.Status.ENDORSED)
    RecommendationFactory(chairmanship=term, text="Implemented.", status=Recommendation.Status.IMPLEMENTED)
    RecommendationFactory(chairmanship=later, text="Of a later term.")
    EventFactory(chairmanship=term, title="Past", start_date=term.start_date, end_date=term.start_date)
    EventFactory(chairmanship=later, title="Coming", start_date=later.start_date, end_date=later.start_date)
    chair = AgencyFactory(acronym="CHAIR")
    group = WorkingGroupFactory(name="Working Group on Data")
    group.chair_agencies.add(chair)
    WorkingGroupFactory(name="Dormant group", active=False)

    # Factory terms fall in whatever year their sequence reaches: judge from the next term's first day.
    pack = assemble_handover(chairmanship=term, today=later.start_date)

    assert [i.text for i in pack.issues] == ["Still open."]
    assert [r.text for r in pack.recommendations] == ["Pending."]
    assert pack.upcoming_from == term.end_date  # the term is over: from its last day
    assert [e.title for e in pack.events] == ["Coming"]
    assert [(g.name, g.chairs) for g in pack.working_groups] == [("Working Group on Data", ["CHAIR"])]
    assert pack.incoming_chair == later.display_name


def test_a_running_term_lists_events_from_today(db):
    term = ChairmanshipFactory()
    EventFactory(chairmanship=term, title="Earlier this term", start_date=term.start_date)
    EventFactory(chairmanship=term, title="Later this term", start_date=term.start_date + datetime.timedelta(days=100))

    pack = assemble_handover(chairmanship=term, today=term.start_date + datetime.timedelta(days=50))

    assert [e.title for e in pack.events] == ["Later this term"]


def test_the_page_shows_the_pack(carried, secretariat_client):
    response = secretariat_client.get(reverse("reports:handover-detail", kwargs={"slug": "2015-wb"}))

    assert response.status_code == 200
    html = response.content.decode()
    for heading in SECTIONS:
        assert heading in html
    assert "ESCAP (2013) → ILO (2014) → WB (2015)" in html
    assert "Working Group on" in html
    assert reverse("reports:handover-pdf", kwargs={"slug": "2015-wb"}) in html


def test_drafts_are_a_404_for_anonymous_visitors(carried, client):
    assert client.get(reverse("reports:handover-detail", kwargs={"slug": "2015-wb"})).status_code == 404
    assert client.get(reverse("reports:handover-pdf", kwargs={"slug": "2015-wb"})).status_code == 404
    assert client.get(reverse("reports:handover-detail", kwargs={"slug": "2014-ilo"})).status_code == 200
    assert client.get(reverse("reports:handover-detail", kwargs={"slug": "nope"})).status_code == 404


def test_the_page_costs_the_same_queries_whatever_the_number_of_issues(carried, client, django_assert_num_queries):
    ilo = Chairmanship.objects.get(slug="2014-ilo")
    wb = Chairmanship.objects.get(slug="2015-wb")
    organiser = AgencyFactory(acronym="ORG")
    for n in range(40):
        CarryForwardIssueFactory(handed_over_in=ilo, origin=ilo, number=100 + n)
        EventFactory(chairmanship=wb, start_date=wb.start_date + datetime.timedelta(days=n)).organisers.add(organiser)
    url = reverse("reports:handover-detail", kwargs={"slug": "2014-ilo"})
    client.get(url)  # warm up: the session and the template loaders
    data_generation_bump()  # the page rendered afresh, not the copy the page cache keeps

    # the term; the base layout's rotation (every term); every term (incoming chair); the open issues;
    # the links between issues; every term (lineage); recommendations; upcoming events; their organisers;
    # working groups; their chairs
    with django_assert_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200
    pack = response.context["pack"]
    assert (len(pack.issues), len(pack.events)) == (14 + 40, 40)


@pytest.fixture(scope="module")
def pack_pdf(django_db_setup, django_db_blocker) -> PdfReader:
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", "gmg", verbosity=0)
        call_command("carry_forward", "2014-ilo", "2015-wb", stdout=io.StringIO())
        pack = assemble_handover(
            chairmanship=Chairmanship.objects.get(slug="2015-wb"), today=datetime.date(2015, 6, 30)
        )
        filename, content_type, content = render_handover_pdf(pack)
        transaction.set_rollback(True)
    assert (filename, content_type) == ("gmg-handover-pack-2015-wb.pdf", "application/pdf")
    return PdfReader(io.BytesIO(content))


def test_the_pdf_has_bookmarks_page_footers_and_metadata(pack_pdf):
    assert [item.title for item in pack_pdf.outline if not isinstance(item, list)] == SECTIONS
    total = len(pack_pdf.pages)
    assert total > 1
    for number, page in enumerate(pack_pdf.pages, start=1):
        assert f"Page {number} of {total}" in page.extract_text()
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    assert pack_pdf.metadata.title == "GMG Handover Pack — World Bank (1 January – 31 December 2015)"
    assert "World Bank" in pack_pdf.metadata.author


def test_the_pdf_holds_every_open_issue_with_its_lineage(pack_pdf):
    text = _flat(" ".join(page.extract_text() for page in pack_pdf.pages))

    assert "DRAFT" in text  # 2015-wb's report is a draft
    assert text.count("Lineage:") == 14
    assert "ESCAP (2013) → ILO (2014) → WB (2015)" in text
    assert "IOM (2013) → ILO (2014) → WB (2015)" in text
    assert "ILO (2014) → WB (2015)" in text
    assert "2 years, 5 months" in text  # the ESCAP issue, raised 1 January 2013, on 30 June 2015


def test_the_pdf_is_pdf_a(pack_pdf):
    catalog = pack_pdf.trailer["/Root"]
    metadata = catalog["/Metadata"].get_object().get_data().decode("utf-8", "replace")
    assert "pdfaid:part" in metadata
    assert "/OutputIntents" in catalog


def test_the_pdf_is_tagged_pdf_a_3a_in_its_language(pack_pdf):
    assert pdfa_identification(pack_pdf) == ("3", "A")
    assert pack_pdf.trailer["/Root"]["/Lang"] == "en"
    types = structure_types(pack_pdf)
    assert types.count("/H1") == 1
    assert types.count("/H2") == 5  # the contents and the four sections
    assert "/L" in types and "/LI" in types and "/LBody" in types  # the issues, recommendations, groups
    # (No upcoming event is recorded after 30 June 2015, so this pack has no table: the report's Annex B
    # shows tables tagged with their header cells, tests/reports/test_pdf.py.)
