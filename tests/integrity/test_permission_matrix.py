"""Who sees and edits what: every page, report URL, admin page and API endpoint × every role, in pretix's style.

The GMG's records are public: every page answers anyone. Reports are the
exception: a draft report (HTML, PDF, JSON, handover pack, and its key
accomplishments in the API) is shown, marked DRAFT, to the secretariat, to
principals and to the focal points of the agency chairing the term, and is a
404 for everyone else, signed in or not. Only the
secretariat (staff in the Secretariat group) enters the admin; anyone else
is sent to its sign-in page. Through the API anyone reads and only the
secretariat writes (an anonymous write is a 401, a signed-in reader's a 403).

The decisions come from one place: gmg_portal.permissions (is_secretariat,
draft_agency_ids, can_see_report, ReadPublicWriteSecretariat), which
Chairmanship.objects.readable_by() turns into a query.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.models import User
from django.shortcuts import resolve_url

from chairmanship.models import Chairmanship
from chairmanship.models import FocalPoint
from tests.api.support import RESOURCES
from tests.api.support import create_payload
from tests.factories import EventFactory
from tests.factories import ObjectiveFactory
from tests.integrity.conftest import DRAFT_READERS
from tests.integrity.conftest import READERS
from tests.integrity.conftest import ROLES
from workplan.models import Event
from workplan.models import Output

FINAL, DRAFT = "2014-ilo", "2015-wb"  # the real data: ILO's report is final, the World Bank's a draft

# Pages: (path, expected status for every role). Anyone reads the records.
PAGES = [
    "/",
    "/workplan/2014-ilo/",
    "/workplan/2015-wb/",  # a draft term's workplan is a record like any other: public
    "/events/",
    "/events/{event}/",
    "/events.ics",
    "/events.csv",
    "/outputs/",
    "/outputs/{output}/",
    "/working-groups/",
    "/working-groups/data-and-research/",
    "/carry-forward/",
    "/recommendations/",
    "/dashboard/",
    "/reports/",
    "/healthz",
]


def _event_path(path: str) -> str:
    """The path with a real 2014 event or output where it names one."""
    if "{event}" in path:
        return path.format(
            event=Event.objects.get(chairmanship__slug=FINAL, title__startswith="Technical Working Level Meeting").pk
        )
    if "{output}" in path:
        return path.format(output=Output.objects.filter(chairmanship__slug=FINAL).order_by("pk").first().pk)
    return path


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_every_role(gmg, page_client, path, role):
    response = page_client(role).get(_event_path(path))

    assert response.status_code == 200, (path, role, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_the_workplan_sends_everyone_to_the_latest_term_that_has_a_workplan(gmg, page_client, role):
    response = page_client(role).get("/workplan/")

    assert response.status_code == 302
    # The current term (2015-wb, the latest that has started) has no workplan recorded; ILO's 2014 one has.
    assert response["Location"] == f"/workplan/{FINAL}/"


@pytest.mark.parametrize("role", ROLES)
def test_the_workplan_sends_everyone_to_the_current_term_once_it_has_a_workplan(gmg, page_client, role):
    ObjectiveFactory(chairmanship=Chairmanship.objects.get(slug=DRAFT), number=1)

    assert page_client(role).get("/workplan/")["Location"] == f"/workplan/{DRAFT}/"


@pytest.mark.parametrize("role", ROLES)
def test_the_list_of_reports_links_a_draft_only_for_those_who_may_read_it(gmg, page_client, role):
    EventFactory(chairmanship=Chairmanship.objects.get(slug=DRAFT))  # the real data records nothing of 2015 yet

    html = page_client(role).get("/reports/").content.decode()

    assert f"/reports/{FINAL}/" in html
    assert (f"/reports/{DRAFT}/" in html) is (role in DRAFT_READERS)


# A focal point's own agency: anyone signed in gets the page (one who speaks for no agency is told so), an
# anonymous visitor is sent to sign in; its lists' CSVs are a focal point's only (tests/pages/test_my_agency.py).
FOCAL_POINTS = {"other_focal_point", "chair_focal_point"}


@pytest.mark.parametrize("role", ROLES)
def test_my_agency_is_for_those_signed_in_and_its_csvs_for_focal_points(gmg, page_client, role):
    client = page_client(role)

    page, download = client.get("/my-agency/"), client.get("/my-agency/outputs.csv")

    if role == "anonymous":
        login = resolve_url(settings.LOGIN_URL)
        assert (page.status_code, download.status_code) == (302, 302)
        assert page["Location"].startswith(f"{login}?") and download["Location"].startswith(f"{login}?")
    else:
        assert (page.status_code, download.status_code) == (200, 200 if role in FOCAL_POINTS else 404)


@pytest.mark.parametrize("role", ROLES)
def test_the_list_of_reports_links_no_term_with_nothing_recorded(gmg, page_client, role):
    html = page_client(role).get("/reports/").content.decode()

    assert f"/reports/{FINAL}/" in html
    assert f"/reports/{DRAFT}/" not in html  # listed as "not in the portal", for its readers too


# Reports: every rendering of a final and of a draft report. A final report is stored as an
# edition (three languages rendered) on its first request, so each term is one test that asks
# for every rendering as every role, rather than one test (and one rendering) per cell.
REPORT_URLS = [
    "/reports/{slug}/",
    "/reports/{slug}.pdf",
    "/reports/{slug}/handover/",
    "/reports/{slug}/handover.pdf",
    "/api/v1/chairmanships/{slug}/report/",
]


def _report_statuses(page_client, api_client, slug: str) -> dict[tuple[str, str], int]:
    statuses = {}
    for role in ROLES:
        for template in REPORT_URLS:
            url = template.format(slug=slug)
            client = api_client(role) if url.startswith("/api/") else page_client(role)
            response = client.get(url)
            statuses[(role, url)] = response.status_code
            if response.status_code == 200 and url == f"/reports/{slug}/":
                assert ("DRAFT" in response.content.decode()) is (slug == DRAFT), (role, url)
    return statuses


@pytest.mark.slow
def test_a_final_report_is_public_in_every_form(gmg_published, page_client, api_client):
    statuses = _report_statuses(page_client, api_client, FINAL)

    assert statuses == {(role, template.format(slug=FINAL)): 200 for role in ROLES for template in REPORT_URLS}


@pytest.mark.slow
def test_a_draft_report_is_read_only_by_its_readers_in_every_form(gmg, page_client, api_client):
    statuses = _report_statuses(page_client, api_client, DRAFT)

    expected = {
        (role, template.format(slug=DRAFT)): 200 if role in DRAFT_READERS else 404
        for role in ROLES
        for template in REPORT_URLS
    }
    assert statuses == expected


def test_a_link_to_the_chairing_agency_reads_no_draft_without_the_agency_role(gmg, client):
    # The secretariat took the Agency role away, or linked an account that never held it: the link left behind
    # grants nothing until the account is a focal point again.
    draft = Chairmanship.objects.get(slug=DRAFT)
    user = User.objects.create_user("former-focal-point", password="correct horse battery staple")  # noqa: S106
    FocalPoint.objects.create(user=user, agency=draft.agency)
    client.force_login(user)

    assert [client.get(url.format(slug=DRAFT)).status_code for url in REPORT_URLS] == [404] * len(REPORT_URLS)
    assert 'href="/my-agency/"' not in client.get("/").content.decode()

    user.groups.add(Group.objects.get(name="Agency"))
    assert client.get(f"/reports/{DRAFT}/").status_code == 200


def test_an_unknown_report_is_a_404_for_everyone(gmg, page_client, api_client):
    for role in ROLES:
        assert page_client(role).get("/reports/2099-nobody/").status_code == 404
        assert page_client(role).get("/reports/2099-nobody.pdf").status_code == 404
        assert api_client(role).get("/api/v1/chairmanships/2099-nobody/report/").status_code == 404


# The admin: the secretariat only; anyone else is sent to sign in.
ADMIN_PAGES = [
    "/admin/",
    "/admin/workplan/event/",
    "/admin/workplan/event/add/",
    "/admin/workplan/event/{event}/change/",
    "/admin/workplan/event/{event}/history/",
    "/admin/chairmanship/chairmanship/",
    "/admin/chairmanship/chairmanship/add/",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_only_the_secretariat_enters_the_admin(gmg, page_client, path, role):
    path = _event_path(path)

    response = page_client(role).get(path)

    if role == "secretariat":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"] == f"/admin/login/?next={path}"


@pytest.mark.parametrize("role", READERS)
def test_nobody_but_the_secretariat_adds_through_the_admin(gmg, page_client, role):
    before = Event.objects.count()

    response = page_client(role).post("/admin/workplan/event/add/", {"title": "Smuggled in"})

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert Event.objects.count() == before


# The API: anyone reads every resource, but for a draft report's content (the world's term is a draft: its
# key accomplishments are unseen by anonymous callers); only the secretariat writes.
DRAFT_REPORT_CONTENT = {("accomplishments", role) for role in ROLES if role not in DRAFT_READERS}
WRITE_STATUS = {"anonymous": 401, "secretariat": 201} | {role: 403 for role in READERS if role != "anonymous"}
UPDATE_STATUS = {**WRITE_STATUS, "secretariat": 200}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", RESOURCES)
def test_the_api_lists_and_shows_every_resource_to_every_role(world, api_client, resource, role):
    client = api_client(role)

    listing = client.get(f"/api/v1/{resource}/")
    detail = client.get(f"/api/v1/{resource}/{world.ids[resource]}/")

    hidden = (resource, role) in DRAFT_REPORT_CONTENT
    assert (listing.status_code, detail.status_code) == (200, 404 if hidden else 200)
    assert (listing.json()["count"] >= 1) is not hidden


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", RESOURCES)
def test_only_the_secretariat_creates_and_updates_through_the_api(world, api_client, resource, role):
    client = api_client(role)
    url = f"/api/v1/{resource}/"

    created = client.post(url, create_payload(resource, world), format="json")
    updated = client.patch(f"{url}{world.ids[resource]}/", {}, format="json")

    assert (created.status_code, updated.status_code) == (WRITE_STATUS[role], UPDATE_STATUS[role]), created.content
    if role == "anonymous":
        assert created["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("role", READERS)
def test_a_reader_cannot_delete_through_the_api(world, api_client, role):
    response = api_client(role).delete(f"/api/v1/events/{world.event.pk}/")

    assert response.status_code == WRITE_STATUS[role]
    assert Event.objects.filter(pk=world.event.pk).exists()
