"""/dashboard/: figures against the data (counted here from the ORM), a fixed number of queries, valid SVG."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils.html import escape

from chairmanship.models import CarryForwardIssue
from chairmanship.models import Chairmanship
from chairmanship.models import Recommendation
from pages.dashboard import carry_forward_ageing
from pages.dashboard import carry_forward_by_term_and_status
from pages.dashboard import events_by_month_and_kind
from pages.dashboard import months_before
from pages.dashboard import recommendations_by_status
from tests.factories import CarryForwardIssueFactory
from tests.factories import ChairmanshipFactory
from tests.factories import EventFactory
from workplan.models import Event

SVG = "{http://www.w3.org/2000/svg}"
DASHBOARD_QUERIES = (
    6  # events by month and kind · issues by term and status · ageing · recommendations · terms · layout
)


def svgs(html: str) -> list[ET.Element]:
    # The portal's own output, parsed to check it is well-formed.
    return [ET.fromstring(match) for match in re.findall(r"<svg .*?</svg>", html, flags=re.S)]  # noqa: S314


@pytest.mark.django_db
def test_the_dashboard_figures_match_the_real_data(gmg, client, django_assert_num_queries):
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("pages:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()

    # Events per month and kind, counted independently.
    expected: dict[tuple[datetime.date, str], int] = {}
    for event in Event.objects.all():
        key = (event.start_date.replace(day=1), event.kind)
        expected[key] = expected.get(key, 0) + 1
    assert events_by_month_and_kind() == expected
    assert f"{Event.objects.count()} events in" in html

    # Carry-forward issues by term and status: the 2014 report lists all fourteen.
    terms, counts = carry_forward_by_term_and_status()
    assert [term.slug for term in terms] == ["2014-ilo"]
    for status in CarryForwardIssue.Status.values:
        assert counts.get(("2014-ilo", status), 0) == CarryForwardIssue.objects.filter(status=status).count()
    assert sum(counts.values()) == 14
    assert "14 issues listed in the reports of 1 term;" in html  # one term: not "1 terms"

    recommendations = recommendations_by_status()
    assert recommendations == {
        status: Recommendation.objects.filter(status=status).count()
        for status in Recommendation.Status.values
        if Recommendation.objects.filter(status=status).exists()
    }

    # The chair timeline: every term since 2006, in the table.
    table = html[html.index('id="chart-chairs"') :]
    for term in Chairmanship.objects.all():
        assert f'<td class="number">{term.start_date.isoformat()}</td>' in table
        assert escape(term.display_name) in table
    assert table.index(">UNHCR<") < table.index(">IOM<") < table.index(">WB<")  # oldest first


@pytest.mark.django_db
def test_every_chart_is_an_svg_image_with_a_title_and_a_description(gmg, client):
    html = client.get(reverse("pages:dashboard")).content.decode()
    drawings = svgs(html)
    assert len(drawings) == 5
    for svg in drawings:
        assert svg.get("role") == "img"
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert title is not None and title.text
        assert desc is not None and desc.text
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert "style" not in ET.tostring(svg, encoding="unicode").replace("font-", "")
    assert html.count('<table class="chart-data">') == 5
    assert 'aria-current="page"' in html[: html.index("</nav>")]


@pytest.mark.django_db
def test_the_ageing_buckets_count_unresolved_issues_once_by_the_age_of_their_origin():
    today = datetime.date(2110, 6, 15)
    old = ChairmanshipFactory(start_date=datetime.date(2105, 1, 1), end_date=datetime.date(2105, 12, 31))
    last_year = ChairmanshipFactory(start_date=datetime.date(2109, 1, 1), end_date=datetime.date(2109, 12, 31))
    this_year = ChairmanshipFactory(start_date=datetime.date(2110, 1, 1), end_date=datetime.date(2110, 1, 1))
    recent = ChairmanshipFactory(start_date=datetime.date(2110, 1, 2), end_date=datetime.date(2110, 1, 3))
    first = CarryForwardIssueFactory(handed_over_in=old, origin=old)
    CarryForwardIssueFactory(handed_over_in=last_year, origin=old, continues=first)  # the same issue, listed again
    CarryForwardIssueFactory(handed_over_in=last_year, origin=last_year)  # 17 months old
    CarryForwardIssueFactory(handed_over_in=this_year, origin=this_year, status=CarryForwardIssue.Status.IN_PROGRESS)
    CarryForwardIssueFactory(handed_over_in=recent, origin=recent, status=CarryForwardIssue.Status.RESOLVED)

    ageing = carry_forward_ageing(today=today)
    assert ageing["over_2_years"] == 1  # the 2105 issue, counted once though listed twice
    assert ageing["1_to_2_years"] == 1
    assert ageing["6_to_12_months"] == 0
    assert ageing["under_6_months"] == 1  # 2110-01-01 is five and a half months before today; resolved ones don't count
    assert months_before(datetime.date(2024, 3, 31), 1) == datetime.date(2024, 2, 29)


@pytest.mark.django_db
def test_the_query_count_stays_fixed_with_more_events_and_issues(gmg, client, django_assert_num_queries):
    term = Chairmanship.objects.get(slug="2014-ilo")
    for index in range(40):
        EventFactory(
            chairmanship=term,
            kind=[Event.Kind.SIDE_EVENT, Event.Kind.BRIEFING][index % 2],
            start_date=datetime.date(2014, 1 + index % 12, 1 + index % 28),
        )
    extra = ChairmanshipFactory()
    for _ in range(10):
        CarryForwardIssueFactory(handed_over_in=extra, origin=term)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("pages:dashboard"))

    html = response.content.decode()
    assert f"{Event.objects.count()} events in" in html
    assert f"{CarryForwardIssue.objects.count()} issues listed in the reports of 2 terms" in html
    january = Event.objects.filter(start_date__year=2014, start_date__month=1, kind=Event.Kind.SIDE_EVENT).count()
    assert f"Jan 2014 — Side event: {january}</title>" in html


@pytest.mark.django_db
def test_the_events_legend_names_every_kind_it_colours(client):
    """Every kind of event at once: each colour of the bars has its name in the legend, inside the drawing."""
    term = ChairmanshipFactory(start_date=datetime.date(2101, 1, 1), end_date=datetime.date(2101, 12, 31))
    for kind in Event.Kind.values:
        EventFactory(chairmanship=term, kind=kind)
    html = client.get(reverse("pages:dashboard")).content.decode()
    drawing = svgs(html[html.index('id="chart-events"') :])[0]
    width = float(drawing.get("viewBox").split()[2])

    legend = {}
    for item in (g for g in drawing.iter(f"{SVG}g") if g.get("class") == "chart-legend-item"):
        swatch, label = item.find(f"{SVG}rect"), item.find(f"{SVG}text")
        assert float(label.get("x")) < width
        legend[swatch.get("fill")] = label.text
    assert sorted(legend.values()) == sorted(str(label) for label in Event.Kind.labels)
    coloured = {g.find(f"{SVG}rect").get("fill") for g in drawing.iter(f"{SVG}g") if g.get("class") == "chart-segment"}
    assert coloured == set(legend)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", ["Événements par mois et par type", "Recommandations par statut", "14 questions inscrites"]),
        ("es", ["Eventos por mes y por tipo", "Recomendaciones por estado", "14 cuestiones incluidas"]),
    ],
)
def test_the_charts_speak_the_language_of_the_page(gmg, client, language, words):
    html = client.get(reverse("pages:dashboard"), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    for text in words:
        assert text in html
    for english in ["Events per month, by kind", "Recommendations by status", "The table below gives the same"]:
        assert english not in html
