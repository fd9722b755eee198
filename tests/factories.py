"""factory_boy factories for variable test data.

Terms made here start in 2101 and later, one year each, so they never
overlap the real chair history of fixtures/gmg.json.
"""

from __future__ import annotations

import datetime

import factory

from chairmanship.models import Accomplishment
from chairmanship.models import Agency
from chairmanship.models import CarryForwardIssue
from chairmanship.models import Chairmanship
from chairmanship.models import Endorsement
from chairmanship.models import Recommendation
from workplan.models import Activity
from workplan.models import Event
from workplan.models import FocusArea
from workplan.models import MultiAnnualWorkPlan
from workplan.models import Objective
from workplan.models import Output
from workplan.models import OverarchingObjective
from workplan.models import WorkingGroup


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["acronym"]

    acronym = factory.Sequence(lambda n: f"AG{n}")
    name = factory.LazyAttribute(lambda o: f"Agency {o.acronym}")
    kind = Agency.Kind.UN_ENTITY
    membership_status = Agency.MembershipStatus.MEMBER


class ChairmanshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chairmanship

    agency = factory.SubFactory(AgencyFactory)
    # Terms of the future, one a year, within the years a record may hold (gmg_portal.db.LATEST_DAY).
    start_date = factory.Sequence(lambda n: datetime.date(2101 + n % 800, 1, 1))
    end_date = factory.LazyAttribute(lambda o: datetime.date(o.start_date.year, 12, 31))
    theme = factory.Faker("sentence", nb_words=8)
    introduction = "The chair held the chair."


class MultiAnnualWorkPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MultiAnnualWorkPlan

    title = factory.Sequence(lambda n: f"Multi-Annual Work Plan {n}")
    start_year = 2101
    end_year = 2103


class OverarchingObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OverarchingObjective

    mawp = factory.SubFactory(MultiAnnualWorkPlanFactory)
    ordinal = factory.Sequence(lambda n: "i" * (n % 3 + 1) + str(n))
    text = factory.Faker("sentence")


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    chairmanship = factory.SubFactory(ChairmanshipFactory)
    letter = factory.Sequence(lambda n: chr(ord("a") + n % 26) + str(n // 26))
    title = factory.Faker("sentence")


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    chairmanship = factory.SubFactory(ChairmanshipFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Faker("sentence")


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    name = factory.Sequence(lambda n: f"Working Group on Topic {n}")
    kind = WorkingGroup.Kind.WORKING_GROUP


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    chairmanship = factory.SubFactory(ChairmanshipFactory)
    title = factory.Sequence(lambda n: f"Event number {n}")
    kind = Event.Kind.MEETING
    start_date = factory.LazyAttribute(lambda o: o.chairmanship.start_date + datetime.timedelta(days=30))
    end_date = factory.LazyAttribute(lambda o: o.start_date)
    city = "Geneva"
    country = "CH"


class OutputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Output

    chairmanship = factory.SubFactory(ChairmanshipFactory)
    title = factory.Sequence(lambda n: f"Output number {n}")
    kind = Output.Kind.REPORT
    date = factory.LazyAttribute(lambda o: o.chairmanship.start_date + datetime.timedelta(days=60))


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    objective = factory.SubFactory(ObjectiveFactory)
    title = factory.Sequence(lambda n: f"Activity {n}")
    status = Activity.Status.PLANNED


class AccomplishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Accomplishment

    chairmanship = factory.SubFactory(ChairmanshipFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Accomplishment {n}")
    narrative = "What was done."


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    chairmanship = factory.SubFactory(ChairmanshipFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Faker("sentence")
    status = Recommendation.Status.PROPOSED


class EndorsementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Endorsement

    output = factory.SubFactory(OutputFactory)
    body = "HLCP"
    session = "99th session"
    outcome = Endorsement.Outcome.FORWARDED


class CarryForwardIssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarryForwardIssue

    handed_over_in = factory.SubFactory(ChairmanshipFactory)
    origin = factory.SelfAttribute("handed_over_in")
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Faker("sentence")
    status = CarryForwardIssue.Status.OPEN
