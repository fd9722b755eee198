"""API personas (token and session clients) and one record of every kind to read and write."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from chairmanship.models import Agency
from chairmanship.models import Chairmanship
from tests.factories import AccomplishmentFactory
from tests.factories import ActivityFactory
from tests.factories import AgencyFactory
from tests.factories import CarryForwardIssueFactory
from tests.factories import ChairmanshipFactory
from tests.factories import EndorsementFactory
from tests.factories import EventFactory
from tests.factories import FocusAreaFactory
from tests.factories import MultiAnnualWorkPlanFactory
from tests.factories import ObjectiveFactory
from tests.factories import OutputFactory
from tests.factories import OverarchingObjectiveFactory
from tests.factories import RecommendationFactory
from tests.factories import WorkingGroupFactory
from workplan.models import Event
from workplan.models import Objective
from workplan.models import Output
from workplan.models import WorkingGroup


def token_client(user: User | None) -> APIClient:
    """A client that sends `Authorization: Token …` for the user (none for an anonymous caller)."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api_anonymous(db) -> APIClient:
    return token_client(None)


@pytest.fixture
def api_agency(agency_user: User) -> APIClient:
    return token_client(agency_user)


@pytest.fixture
def api_chair_focal_point(chair_focal_point_user: User) -> APIClient:
    return token_client(chair_focal_point_user)


@pytest.fixture
def api_principal(principal_user: User) -> APIClient:
    return token_client(principal_user)


@pytest.fixture
def api_secretariat(secretariat_user: User) -> APIClient:
    return token_client(secretariat_user)


@dataclass
class World:
    """One record of every kind, in a factory term of 2101, with a second term to create things in."""

    agency: Agency
    term: Chairmanship
    group: WorkingGroup
    objective: Objective
    event: Event
    output: Output
    ids: dict[str, str]


@pytest.fixture
def world(db) -> World:
    agency = AgencyFactory(acronym="UN DESA", name="United Nations Department of Economic and Social Affairs")
    term = ChairmanshipFactory(agency=agency, start_date=datetime.date(2101, 1, 1), end_date=datetime.date(2101, 6, 30))
    group = WorkingGroupFactory(name="Working Group on Data and Research")
    objective = ObjectiveFactory(chairmanship=term, number=1)
    event = EventFactory(chairmanship=term)
    event.organisers.add(agency)
    event.working_groups.add(group)
    output = OutputFactory(chairmanship=term)
    mawp = MultiAnnualWorkPlanFactory()
    OverarchingObjectiveFactory(mawp=mawp, ordinal="i")
    ids = {
        "agencies": agency.acronym,
        "chairmanships": term.slug,
        "mawps": str(mawp.pk),
        "focus-areas": str(FocusAreaFactory(chairmanship=term, letter="a").pk),
        "objectives": str(objective.pk),
        "activities": str(ActivityFactory(objective=objective).pk),
        "working-groups": group.slug,
        "events": str(event.pk),
        "outputs": str(output.pk),
        "endorsements": str(EndorsementFactory(output=output).pk),
        "accomplishments": str(AccomplishmentFactory(chairmanship=term, number=1).pk),
        "recommendations": str(RecommendationFactory(chairmanship=term, number=1).pk),
        "carry-forward-issues": str(CarryForwardIssueFactory(handed_over_in=term, number=1).pk),
    }
    return World(agency=agency, term=term, group=group, objective=objective, event=event, output=output, ids=ids)
