"""Countries are named as the UN writes them (gmg_portal/countries.py), in English, French and Spanish,
wherever a country is shown or chosen: the report, event pages, the admin's filter and the API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from chairmanship.models import Chairmanship
from gmg_portal.countries import UN_SHORT_NAMES
from tests.factories import EventFactory

RUSSIA = {"en": "Russian Federation", "fr": "Fédération de Russie", "es": "Federación de Rusia"}
# django-countries' own names, which the portal no longer shows.
ISO_NAMES = {"en": "Russia", "fr": "Russie", "es": "Rusia"}
LANGUAGES = ["en", "fr", "es"]


@pytest.fixture
def moscow_event(gmg):
    """An event of the World Bank's term (a draft report, read by the secretariat) held in Moscow."""
    term = Chairmanship.objects.get(slug="2015-wb")
    return EventFactory(chairmanship=term, title="Consultation in Moscow", city="Moscow", country="RU")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_table_is_what_django_countries_shows(language):
    from django_countries import countries

    with translation.override(language):
        for code, names in UN_SHORT_NAMES.items():
            assert countries.name(code) == names[language], code
        assert dict(countries)["TR"] == "Türkiye"


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_report_admin_and_api_use_the_un_name(moscow_event, secretariat_user, language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(secretariat_user)
    expected = f"Moscow, {RUSSIA[language]}"

    event_page = client.get(f"/events/{moscow_event.pk}/").content.decode()
    assert RUSSIA[language] in event_page
    events = client.get("/events/?country=RU").content.decode()
    assert f'<option value="RU" selected>{RUSSIA[language]}</option>' in events

    report = client.get(f"/reports/2015-wb/?lang={language}").content.decode()
    assert expected in report
    assert f"Moscow, {ISO_NAMES[language]}<" not in report

    changelist = client.get("/admin/workplan/event/").content.decode()
    assert f'<a href="?country=RU">{RUSSIA[language]}</a>' in changelist  # the filter's choice
    assert expected in changelist  # the place column

    api = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    api.force_authenticate(secretariat_user)
    places = [entry["place"] for entry in api.get("/api/v1/chairmanships/2015-wb/report/").json()["annex_b"]]
    assert expected in places
    choices = api.options("/api/v1/events/").json()["actions"]["POST"]["country"]["choices"]
    assert {"value": "RU", "display_name": RUSSIA[language]} in choices


@pytest.mark.django_db
def test_the_admin_filter_offers_only_the_countries_where_events_took_place(gmg, secretariat_client):
    html = secretariat_client.get("/admin/workplan/event/").content.decode()
    offered = html.split('data-filter-title="country"', 1)[1].split("</details>", 1)[0]

    assert offered.count("<li") == 4  # "All" and the three countries where the real data's events took place
    for name in ("Sweden", "Switzerland", "United States of America"):
        assert f">{name}</a>" in offered
    # Santiago and Rome are where other bodies met (endorsements), not where the GMG's events took place.
    for name in ("Afghanistan", "Chile", "Italy"):
        assert name not in offered
    filtered = secretariat_client.get("/admin/workplan/event/?country=SE").content.decode()
    assert filtered.count('class="action-select"') == 3  # the three events in Sweden (the GFMD Summit is no event)
    for typed in ("ZZ", "%00%FF"):  # a code no event has, a NUL byte: no event, no error
        response = secretariat_client.get(f"/admin/workplan/event/?country={typed}")
        assert response.status_code == 200
        assert response.content.decode().count('class="action-select"') == 0


def test_unlisted_user_language_falls_back_to_english():
    from django_countries import countries

    with translation.override("de"):
        assert countries.name("RU") == "Russian Federation"
