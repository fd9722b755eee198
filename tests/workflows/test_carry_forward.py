"""Carrying open issues forward: the service, the command and the admin action; idempotent, with lineage."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError
from django.core.management import call_command
from django.urls import reverse

from chairmanship.models import CarryForwardIssue
from chairmanship.models import Chairmanship
from chairmanship.selectors import carry_forward_issues_for_list
from chairmanship.selectors import carry_forward_tracker
from chairmanship.services import carry_forward_issues
from tests.factories import CarryForwardIssueFactory
from tests.factories import ChairmanshipFactory


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("carry_forward", *args, stdout=out)
    return out.getvalue().strip()


def test_the_command_carries_the_14_issues_of_2014_into_2015_once(gmg):
    assert run("2014-ilo", "2015-wb") == "Carried 14 issues from 2014-ilo to 2015-wb; 0 already there."
    assert run("2014-ilo", "2015-wb") == "Carried 0 issues from 2014-ilo to 2015-wb; 14 already there."

    wb = Chairmanship.objects.get(slug="2015-wb")
    copies = list(wb.handed_over_issues.select_related("continues", "origin").order_by("number"))
    assert [c.number for c in copies] == list(range(1, 15))
    for copy in copies:
        original = copy.continues
        assert original.handed_over_in.slug == "2014-ilo"
        assert (copy.origin_id, copy.text, copy.status, copy.due_note) == (
            original.origin_id,
            original.text,
            original.status,
            original.due_note,
        )
        assert copy.number == original.number  # the target had no issues: the order is kept
    assert {c.origin.slug for c in copies} == {"2013-escap", "2013-iom", "2014-ilo"}


def test_the_lineage_of_a_carried_issue_runs_through_every_term(gmg):
    run("2014-ilo", "2015-wb")
    escap_issue = CarryForwardIssue.objects.get(handed_over_in__slug="2015-wb", origin__slug="2013-escap")

    (tracked,) = carry_forward_tracker(issues=carry_forward_issues_for_list().filter(pk=escap_issue.pk))

    assert [term.slug for term in tracked.lineage] == ["2013-escap", "2014-ilo", "2015-wb"]


def test_only_open_and_in_progress_issues_go_and_numbers_follow_the_existing_ones(db):
    source, target = ChairmanshipFactory(), ChairmanshipFactory()
    kept = [
        CarryForwardIssueFactory(handed_over_in=source, number=1, status=CarryForwardIssue.Status.OPEN),
        CarryForwardIssueFactory(handed_over_in=source, number=2, status=CarryForwardIssue.Status.IN_PROGRESS),
    ]
    CarryForwardIssueFactory(handed_over_in=source, number=3, status=CarryForwardIssue.Status.RESOLVED)
    CarryForwardIssueFactory(handed_over_in=source, number=4, status=CarryForwardIssue.Status.DROPPED)
    CarryForwardIssueFactory(handed_over_in=target, number=1, text="Raised by the new chair.")

    result = carry_forward_issues(source=source, target=target)

    assert [(c.number, c.continues, c.status) for c in result.carried] == [
        (2, kept[0], CarryForwardIssue.Status.OPEN),
        (3, kept[1], CarryForwardIssue.Status.IN_PROGRESS),
    ]
    assert result.already_there == 0
    # a second run finds both continued and adds nothing
    again = carry_forward_issues(source=source, target=target)
    assert (again.carried, again.already_there) == ([], 2)
    assert target.handed_over_issues.count() == 3


def test_an_issue_added_to_the_source_later_is_carried_on_the_next_run(db):
    source, target = ChairmanshipFactory(), ChairmanshipFactory()
    CarryForwardIssueFactory(handed_over_in=source, number=1)
    carry_forward_issues(source=source, target=target)
    late = CarryForwardIssueFactory(handed_over_in=source, number=2)

    result = carry_forward_issues(source=source, target=target)

    assert [c.continues for c in result.carried] == [late]
    assert result.message == f"Carried 1 issue from {source.slug} to {target.slug}; 1 already there."


def test_unknown_slugs_and_a_target_not_after_the_source_are_refused(gmg):
    with pytest.raises(CommandError, match="from: no chairmanship 'nope'"):
        run("nope", "2015-wb")
    with pytest.raises(CommandError, match="to: no chairmanship '2099-x'"):
        run("2014-ilo", "2099-x")
    with pytest.raises(
        CommandError, match=r"to: 2013-iom starts on 2013-07-01, not after 2014-ilo ends \(2014-12-31\)"
    ):
        run("2014-ilo", "2013-iom")
    with pytest.raises(CommandError, match="to: 2014-ilo starts on"):
        run("2014-ilo", "2014-ilo")
    assert not CarryForwardIssue.objects.filter(handed_over_in__slug__in=["2013-iom", "2015-wb"]).exists()


def test_the_admin_action_carries_into_the_next_term(gmg, secretariat_client):
    ilo = Chairmanship.objects.get(slug="2014-ilo")
    wb = Chairmanship.objects.get(slug="2015-wb")
    url = reverse("admin:chairmanship_chairmanship_changelist")

    response = secretariat_client.post(
        url, {"action": "carry_open_issues_forward", "_selected_action": [ilo.pk, wb.pk]}, follow=True
    )

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert "Carried 14 issues from 2014-ilo to 2015-wb; 0 already there." in messages
    assert "2015-wb: no later term to carry issues into." in messages
    assert wb.handed_over_issues.count() == 14

    secretariat_client.post(url, {"action": "carry_open_issues_forward", "_selected_action": [ilo.pk]})
    assert wb.handed_over_issues.count() == 14


def test_the_action_is_offered_to_the_secretariat(gmg, secretariat_client):
    response = secretariat_client.get(reverse("admin:chairmanship_chairmanship_changelist"))
    assert "Carry open issues forward to the next term" in response.content.decode()
