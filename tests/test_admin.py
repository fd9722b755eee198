"""The secretariat's admin: every page of every domain model, its query budget, and who may enter.

The pages are tried on the real dataset (fixtures/gmg.json) with one
activity added (the seed names none), then again with 200 more events: the
number of queries a page makes must not grow with the data.
"""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from chairmanship.models import Agency
from chairmanship.models import Chairmanship
from chairmanship.models import FocalPoint
from chairmanship.models import Recommendation
from chairmanship.rotation import Rotation
from tests.factories import ActivityFactory
from tests.factories import WorkingGroupFactory
from tests.workplan.bulk import add_events
from workplan.models import Objective
from workplan.models import Output
from workplan.models import WorkingGroup

DOMAIN_APPS = {"chairmanship", "workplan"}
DOMAIN_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in DOMAIN_APPS),
    key=lambda model: model._meta.label,
)

# Every admin page reads the session, the user, the user's own permissions
# and its groups' permissions (4), and may look up the model's content type
# once a process (1). Then:
# - a changelist: the filtered count, the total count, the page of rows (the
#   related objects their __str__ needs joined by list_select_related), and
#   one query per related-object or distinct-value filter and for the date
#   hierarchy's years: at most 10;
# - an add page: the choices of each plain select (autocompletes load later):
#   at most 6;
# - a change page: the record, the label of each autocomplete foreign key
#   that is set, two per many-to-many field that has values (its values and
#   their labels), the choices of a plain select, and one per inline. These
#   depend on the model's fields, never on how many records exist.
BUDGET = {"changelist": 10, "add": 6}
CHANGE_BUDGET = {
    "chairmanship.Accomplishment": 13,  # chairmanship; events, outputs, working groups
    "chairmanship.Agency": 6,  # the record only
    "chairmanship.CarryForwardIssue": 8,  # handed over in, origin
    "chairmanship.Chairmanship": 10,  # agency; focus area, objective and accomplishment inlines
    "chairmanship.Endorsement": 7,  # output
    "chairmanship.FocalPoint": 8,  # user, agency (their labels in the pickers)
    "chairmanship.Recommendation": 8,  # chairmanship, source output
    "workplan.Activity": 15,  # objective; lead agencies, lead groups, events, outputs
    "workplan.Event": 13,  # chairmanship; organisers, working groups, objectives
    "workplan.FocusArea": 7,  # chairmanship
    "workplan.MultiAnnualWorkPlan": 7,  # overarching objective inline
    "workplan.Objective": 10,  # chairmanship; overarching objectives (choices, values); activity inline
    "workplan.Output": 14,  # chairmanship; producers, producing groups, objectives; endorsement inline
    "workplan.OverarchingObjective": 7,  # the work plans to choose from
    "workplan.WorkingGroup": 10,  # chair agencies, member agencies
}


def test_every_domain_model_has_an_admin():
    every = {model for app in DOMAIN_APPS for model in apps.get_app_config(app).get_models()}

    assert set(DOMAIN_MODELS) == every


def sample(model: type[Model]) -> Model:
    """A record with as much around it as the real data has (inlines, links)."""
    special = {
        Agency: lambda: Agency.objects.get(acronym="ILO"),
        Chairmanship: lambda: Chairmanship.objects.get(slug="2014-ilo"),
        Objective: lambda: Objective.objects.get(chairmanship__slug="2014-ilo", number=1),
        Output: lambda: Output.objects.filter(endorsements__isnull=False).distinct().first(),
        Recommendation: lambda: Recommendation.objects.filter(source_output__isnull=False).first(),
        FocalPoint: lambda: FocalPoint.objects.get_or_create(
            user=User.objects.get_or_create(username="focal-point")[0], agency=Agency.objects.get(acronym="ILO")
        )[0],
    }
    if model in special:
        return special[model]()
    return model._default_manager.order_by("pk").first()


def admin_url(model: type[Model], page: str) -> str:
    opts = model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}_{page}"
    if page == "change":
        return reverse(name, args=[sample(model).pk])
    return reverse(name)


@pytest.fixture
def records(gmg) -> None:
    """The real data plus an activity; every sampled record has each of its many-to-many links set.

    A change page costs queries per link field that has values, so the
    budgets below are measured with all of them filled.
    """
    ActivityFactory(objective=Objective.objects.get(chairmanship__slug="2014-ilo", number=1))
    WorkingGroupFactory()
    for model in DOMAIN_MODELS:
        record = sample(model)
        for field in model._meta.many_to_many:
            links = getattr(record, field.name)
            if not links.exists():
                links.set(field.related_model._default_manager.order_by("pk")[:2])


@pytest.mark.parametrize("extra_events", [0, 200], ids=["real-data", "200-more-events"])
@pytest.mark.parametrize("page", ["changelist", "add", "change"])
@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda model: model._meta.label)
def test_every_admin_page_answers_within_its_query_budget(
    records, secretariat_user, django_assert_max_num_queries, model, page, extra_events
):
    assert not secretariat_user.is_superuser  # the Secretariat group's permissions, not a superuser's
    if extra_events:
        add_events(extra_events, term=Chairmanship.objects.get(slug="2014-ilo"))
    url = admin_url(model, page)
    client = Client()
    client.force_login(secretariat_user)

    budget = CHANGE_BUDGET[model._meta.label] if page == "change" else BUDGET[page]

    with django_assert_max_num_queries(budget):
        response = client.get(url)

    assert response.status_code == 200
    if page == "changelist":
        assert response.context["cl"].result_count == model._default_manager.count() > 0
    if page == "change":
        assert response.context["original"] == sample(model)


@pytest.mark.parametrize("persona", ["agency_client", "principal_client", "anonymous_client"])
@pytest.mark.parametrize("url", ["/admin/", "/admin/chairmanship/chairmanship/", "/admin/workplan/event/add/"], ids=str)
def test_people_without_staff_rights_are_sent_to_the_admin_sign_in(db, request, persona, url):
    client = request.getfixturevalue(persona)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"


def test_a_signed_in_agency_user_cannot_add_a_record_by_posting(agency_client):
    agency = Agency.objects.create(acronym="ILO", name="International Labour Organization")

    response = agency_client.post(
        reverse("admin:chairmanship_chairmanship_add"),
        {"agency": agency.pk, "start_date": "2101-01-01", "end_date": "2101-12-31", "report_status": "draft"},
    )

    assert response.status_code == 302
    assert not Chairmanship.objects.exists()


# Adding a term through the admin form ---------------------------------------------


def chairmanship_form(client: Client, **fields: str) -> dict[str, str]:
    """The add form's fields and its inlines' management forms, as the browser sends them."""
    page = client.get(reverse("admin:chairmanship_chairmanship_add"))
    data = {
        "agency": "",
        "chair_label": "",
        "start_date": "",
        "end_date": "",
        "theme": "",
        "report_status": Chairmanship.ReportStatus.DRAFT,
        "introduction": "",
        "accomplishments_intro": "",
        "workplan_narrative": "",
        "handover_narrative": "",
        "handover_date": "",
    }
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): value for name, value in management.initial.items()})
    data.update(fields)
    return data


def test_the_secretariat_adds_a_term_through_the_admin(gmg, secretariat_client):
    wb = Agency.objects.get(acronym="WB")
    data = chairmanship_form(
        secretariat_client,
        agency=str(wb.pk),
        start_date="2016-01-01",
        end_date="2016-12-31",
        theme="Migration and development",
    )

    response = secretariat_client.post(reverse("admin:chairmanship_chairmanship_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert response["Location"] == reverse("admin:chairmanship_chairmanship_changelist")
    added = Chairmanship.objects.get(slug="2016-wb")
    assert (added.agency, added.start_date, added.end_date) == (
        wb,
        datetime.date(2016, 1, 1),
        datetime.date(2016, 12, 31),
    )
    assert Rotation.read().next(Chairmanship.objects.get(slug="2015-wb")) == added


def test_an_overlapping_term_is_refused_with_the_error_on_the_page(gmg, secretariat_client):
    before = Chairmanship.objects.count()
    data = chairmanship_form(
        secretariat_client,
        agency=str(Agency.objects.get(acronym="IOM").pk),
        start_date="2015-06-01",
        end_date="2016-05-31",
    )

    response = secretariat_client.post(reverse("admin:chairmanship_chairmanship_add"), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Please correct the error below." in html
    assert "This term overlaps" in html and "[2015-wb]" in html
    assert response.context["adminform"].form.errors["start_date"][0].startswith("This term overlaps World Bank")
    assert Chairmanship.objects.count() == before


def test_a_term_ending_before_it_starts_is_refused_on_the_page(gmg, secretariat_client):
    data = chairmanship_form(
        secretariat_client,
        agency=str(Agency.objects.get(acronym="IOM").pk),
        start_date="2016-12-31",
        end_date="2016-01-01",
    )

    response = secretariat_client.post(reverse("admin:chairmanship_chairmanship_add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["end_date"] == ["The end date must not be before the start date."]
    assert not Chairmanship.objects.filter(start_date=datetime.date(2016, 12, 31)).exists()


def test_a_working_group_whose_slug_is_taken_is_refused_on_the_page(gmg, secretariat_client):
    assert WorkingGroup.objects.filter(slug="data-and-research").exists()
    data = {
        "name": "GMG Working Group on Data and Research",
        "kind": WorkingGroup.Kind.WORKING_GROUP,
        "mandate": "",
        "active": "on",
    }

    response = secretariat_client.post(reverse("admin:workplan_workinggroup_add"), data)

    assert response.status_code == 200
    assert "“data-and-research” already exists" in response.context["adminform"].form.errors["name"][0]


def test_a_web_address_without_a_scheme_is_stored_as_https(db, secretariat_client):
    data = {
        "acronym": "ILO",
        "name": "International Labour Organization",
        "kind": Agency.Kind.UN_ENTITY,
        "membership_status": Agency.MembershipStatus.MEMBER,
        "website": "www.ilo.org",
    }

    response = secretariat_client.post(reverse("admin:chairmanship_agency_add"), data)

    assert response.status_code == 302
    assert Agency.objects.get(acronym="ILO").website == "https://www.ilo.org"
