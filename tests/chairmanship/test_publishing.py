"""Publishing is deliberate: marking a report final issues edition 1, served to everyone from then on.

Three guards stand around it. The model's rule (Chairmanship.clean(), so the
admin and the API alike): a term is final only if it has something to
report, a narrative or a key accomplishment. And the admin's confirmation:
turning a draft final needs the "Publish the final report" box ticked.
And once published, a report stays final (Chairmanship.clean() again): a
correction is a corrected edition, never a return to draft.
"""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from chairmanship.models import Chairmanship
from reports.models import ReportEdition
from tests.api.conftest import token_client
from tests.factories import AccomplishmentFactory
from tests.factories import AgencyFactory
from tests.factories import ChairmanshipFactory
from tests.jobs.support import work_off_the_queue

NARRATIVES = ["introduction", "accomplishments_intro", "workplan_narrative", "handover_narrative"]
NOTHING_TO_REPORT = "has nothing to report yet: no narrative and no key accomplishment"


@pytest.fixture
def secretariat_api(secretariat_user):
    """The secretariat calling the API with its token."""
    return token_client(secretariat_user)


def empty_term(**fields) -> Chairmanship:
    """A draft term with no narrative and no accomplishment."""
    return ChairmanshipFactory(**{**{name: "" for name in NARRATIVES}, **fields})


def change_url(term: Chairmanship) -> str:
    return reverse("admin:chairmanship_chairmanship_change", args=[term.pk])


def change_form(client: Client, term: Chairmanship, **changes: str) -> dict[str, str]:
    """The term's admin change form as the browser sends it (the values shown), with `changes` made."""
    page = client.get(change_url(term))
    form = page.context["adminform"].form
    data: dict[str, str] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else str(value)
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): str(management[name].value()) for name in management.fields})
        for row in inline.formset.initial_forms:
            data.update({row.add_prefix(name): str(row[name].value() or "") for name in row.fields})
    data.update(changes)
    return data


def field_errors(response, name: str) -> list[str]:
    return response.context["adminform"].form.errors.get(name, [])


def refused_status(client: Client, term: Chairmanship, **changes: str) -> str:
    """The one error the admin names on report_status when the term's form is sent with `changes`."""
    response = client.post(change_url(term), change_form(client, term, **changes))
    assert response.status_code == 200
    [error] = field_errors(response, "report_status")
    return error


# The rule: something to report -------------------------------------------------------


@pytest.mark.django_db
def test_a_term_with_nothing_to_report_cannot_be_final():
    term = empty_term(introduction="   \n")  # blank space is no introduction
    term.report_status = Chairmanship.ReportStatus.FINAL

    with pytest.raises(ValidationError) as refused:
        term.full_clean()

    [message] = refused.value.message_dict["report_status"]
    assert NOTHING_TO_REPORT in message
    assert "Write the introduction or add an accomplishment before marking it final." in message


@pytest.mark.django_db
@pytest.mark.parametrize("narrative", NARRATIVES)
def test_one_narrative_is_enough_to_be_final(narrative):
    term = empty_term(**{narrative: "What the chair did."})
    term.report_status = Chairmanship.ReportStatus.FINAL

    term.full_clean()


@pytest.mark.django_db
def test_one_key_accomplishment_is_enough_to_be_final():
    term = empty_term()
    AccomplishmentFactory(chairmanship=term)
    term.report_status = Chairmanship.ReportStatus.FINAL

    term.full_clean()


@pytest.mark.django_db
def test_a_draft_may_have_nothing_to_report():
    empty_term().full_clean()


# The admin asks before it publishes ------------------------------------------------------


@pytest.mark.django_db
def test_the_confirmation_box_stands_next_to_the_report_status(secretariat_client):
    term = ChairmanshipFactory()

    html = secretariat_client.get(change_url(term)).content.decode()

    assert 'name="confirm_publication"' in html
    assert "Publish the final report" in html
    assert (
        html.index('name="report_status"')
        < html.index('name="confirm_publication"')
        < html.index('name="introduction"')
    )
    assert "Edition 1 is issued: the report as it stands now is stored in every language" in html


@pytest.mark.django_db
def test_the_admin_refuses_to_publish_without_the_tick(secretariat_client):
    term = ChairmanshipFactory(theme="The theme before")
    data = change_form(secretariat_client, term, report_status="final", theme="The theme after")

    response = secretariat_client.post(change_url(term), data)

    assert response.status_code == 200  # the form again, with the explanation on the box
    [error] = field_errors(response, "confirm_publication")
    assert "Edition 1 is issued" in error and "served to everyone" in error
    term.refresh_from_db()
    assert (term.report_status, term.theme, term.version) == ("draft", "The theme before", 1)
    assert not ReportEdition.objects.exists()


@pytest.mark.django_db
def test_with_the_tick_the_admin_publishes_edition_1_and_says_where(secretariat_client):
    term = ChairmanshipFactory()  # the factory's term has an introduction, and nothing else
    data = change_form(secretariat_client, term, report_status="final", confirm_publication="on")

    response = secretariat_client.post(change_url(term), data)

    assert response.status_code == 302, field_errors(response, "__all__") or response.context["adminform"].errors
    term.refresh_from_db()
    assert term.is_final
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("Edition 1" in text and f"/reports/{term.slug}/" in text for text in said), said
    assert not ReportEdition.objects.exists()  # queued for a worker, not rendered in the request
    work_off_the_queue()
    edition = ReportEdition.objects.get(chairmanship=term)
    assert edition.number == 1


@pytest.mark.django_db
def test_editing_a_final_term_needs_no_tick(secretariat_client):
    term = ChairmanshipFactory(report_status=Chairmanship.ReportStatus.FINAL)
    data = change_form(secretariat_client, term, theme="Edited after publication")

    response = secretariat_client.post(change_url(term), data)

    assert response.status_code == 302
    term.refresh_from_db()
    assert term.theme == "Edited after publication"
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert not any("Edition 1" in text for text in said)  # nothing published by this save


@pytest.mark.django_db
def test_a_draft_saved_as_a_draft_needs_no_tick(secretariat_client):
    term = ChairmanshipFactory()
    data = change_form(secretariat_client, term, theme="Still a draft")

    assert secretariat_client.post(change_url(term), data).status_code == 302
    term.refresh_from_db()
    assert (term.theme, term.report_status) == ("Still a draft", "draft")


@pytest.mark.django_db
def test_the_admin_refuses_to_publish_a_term_with_nothing_to_report(secretariat_client):
    term = empty_term()

    error = refused_status(secretariat_client, term, report_status="final", confirm_publication="on")

    assert NOTHING_TO_REPORT in error
    term.refresh_from_db()
    assert term.report_status == "draft"
    assert not ReportEdition.objects.exists()


# The API -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_refuses_to_publish_a_term_with_nothing_to_report(secretariat_api):
    term = empty_term()

    response = secretariat_api.patch(f"/api/v1/chairmanships/{term.slug}/", {"report_status": "final"}, format="json")

    assert response.status_code == 400
    [message] = response.json()["report_status"]
    assert NOTHING_TO_REPORT in message
    term.refresh_from_db()
    assert term.report_status == "draft"
    assert not ReportEdition.objects.exists()


@pytest.mark.django_db
def test_the_api_refuses_to_create_a_final_term_with_nothing_to_report(secretariat_api):
    AgencyFactory(acronym="UN DESA")
    body = {"agency": "UN DESA", "start_date": "2101-07-01", "end_date": "2101-12-31", "report_status": "final"}

    response = secretariat_api.post("/api/v1/chairmanships/", body, format="json")

    assert response.status_code == 400
    assert NOTHING_TO_REPORT in response.json()["report_status"][0]
    assert not Chairmanship.objects.filter(start_date="2101-07-01").exists()


@pytest.mark.django_db
def test_the_api_publishes_a_term_with_only_an_accomplishment(secretariat_api):
    term = empty_term()
    AccomplishmentFactory(chairmanship=term, title="The one thing done")

    response = secretariat_api.patch(f"/api/v1/chairmanships/{term.slug}/", {"report_status": "final"}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["edition_status"] == "queued"
    work_off_the_queue()
    edition = ReportEdition.objects.get(chairmanship=term)
    assert edition.number == 1
    assert [item["title"] for item in edition.data["accomplishments"]] == ["The one thing done"]


# Published stays published -------------------------------------------------------------


PUBLISHED = "is published and cannot become a draft again"


def published_term() -> Chairmanship:
    term = ChairmanshipFactory(introduction="What the chair did.")
    term.report_status = Chairmanship.ReportStatus.FINAL
    term.save()
    return term


@pytest.mark.django_db
def test_a_published_report_cannot_become_a_draft_again():
    term = published_term()
    term.report_status = Chairmanship.ReportStatus.DRAFT

    with pytest.raises(ValidationError) as refused:
        term.full_clean()

    assert PUBLISHED in refused.value.message_dict["report_status"][0]


@pytest.mark.django_db
def test_the_api_refuses_to_turn_a_published_report_back_into_a_draft(secretariat_api):
    term = published_term()

    response = secretariat_api.patch(f"/api/v1/chairmanships/{term.slug}/", {"report_status": "draft"}, format="json")

    assert response.status_code == 400
    assert PUBLISHED in response.json()["report_status"][0]
    term.refresh_from_db()
    assert term.report_status == "final"
    assert Client().get(reverse("reports:report-detail", args=[term.slug])).status_code != 404


@pytest.mark.django_db
def test_the_admin_refuses_to_turn_a_published_report_back_into_a_draft(secretariat_client):
    term = published_term()

    error = refused_status(secretariat_client, term, report_status="draft")

    assert PUBLISHED in error
    term.refresh_from_db()
    assert term.report_status == "final"
