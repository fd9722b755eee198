"""A malformed id sent to the admin is answered as an unknown one (404, a message, a form error), never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chairmanship.models import Endorsement
from tests.factories import EndorsementFactory
from tests.factories import EventFactory
from tests.factories import OutputFactory

MALFORMED = ["abc", "1.5", "99999999999999999999999", "1\x00"]


@pytest.mark.django_db
@pytest.mark.parametrize("bad", MALFORMED)
def test_a_malformed_id_in_a_history_address_is_a_404(secretariat_client, bad):
    event = EventFactory()

    assert secretariat_client.get(f"/admin/workplan/event/{bad}/history/").status_code == 404
    assert secretariat_client.get(f"/admin/workplan/event/{event.pk}/history/{bad}/").status_code == 404
    assert secretariat_client.get(f"/admin/workplan/event/{event.pk}/history/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("bad", MALFORMED)
def test_a_selection_naming_no_record_runs_no_action_and_says_so(secretariat_client, bad):
    event = EventFactory()
    url = reverse("admin:workplan_event_changelist")

    response = secretariat_client.post(
        url, {"action": "delete_selected", "_selected_action": [str(event.pk), bad], "post": "yes"}, follow=True
    )

    assert response.status_code == 200
    assert "records that do not exist: nothing was done" in response.content.decode()
    event.refresh_from_db()  # still there


@pytest.mark.django_db
@pytest.mark.parametrize("bad", MALFORMED)
def test_a_picker_given_a_malformed_value_is_a_form_error_on_its_field(secretariat_client, bad):
    endorsement = EndorsementFactory(output=OutputFactory(title="The synthesis paper"))
    url = reverse("admin:chairmanship_endorsement_change", args=[endorsement.pk])
    form = secretariat_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, False)}

    response = secretariat_client.post(url, {**data, "output": bad})

    assert response.status_code == 200
    assert "output" in response.context["adminform"].form.errors
    assert Endorsement.objects.get(pk=endorsement.pk).output.title == "The synthesis paper"
