"""The secretariat's lists read: dates as the language writes them, objectives named with their term."""

from __future__ import annotations

import pytest
from django.test import Client

from workplan.models import Event
from workplan.models import Objective

LAUNCH = {"en": "18 December 2014", "fr": "18 décembre 2014", "es": "18 de diciembre de 2014"}


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_event_dates_read_in_the_language_of_the_page(gmg, secretariat_user, language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(secretariat_user)

    html = client.get("/admin/workplan/event/").content.decode()

    assert f'<td class="field-dates">{LAUNCH[language]}</td>' in html
    assert "Dec. 18, 2014" not in html
    # A two-day event: both days, one per line.
    two_days = "16 October 2014 –<br>17 October 2014" if language == "en" else "–<br>"
    assert two_days in html


@pytest.mark.django_db
def test_objective_pickers_name_the_term(gmg, secretariat_client):
    response = secretariat_client.get(
        "/admin/autocomplete/",
        {"app_label": "workplan", "model_name": "event", "field_name": "objectives", "term": "coordination"},
    )

    labels = [result["text"] for result in response.json()["results"]]
    assert len(labels) == 1
    assert labels[0].startswith("2014-ilo · Objective 1: Promote closer coordination between the GMG and governments")

    event = Event.objects.filter(chairmanship__slug="2014-ilo").first()
    event.objectives.set(Objective.objects.filter(chairmanship__slug="2014-ilo", number__in=[1, 2]))
    page = secretariat_client.get(f"/admin/workplan/event/{event.pk}/change/").content.decode()
    assert "2014-ilo · Objective 2:" in page  # the chosen objectives, as the picker shows them
