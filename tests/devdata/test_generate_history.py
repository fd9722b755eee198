"""The synthetic-history generator: what it creates, that it is reproducible, and that removing it spares real data."""

from __future__ import annotations

import datetime
import hashlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from chairmanship.models import Agency
from chairmanship.models import CarryForwardIssue
from chairmanship.models import Chairmanship
from chairmanship.models import Endorsement
from devdata.records import synthetic_history_exists
from devdata.records import synthetic_terms
from tests.factories import CarryForwardIssueFactory
from tests.factories import ChairmanshipFactory
from tests.factories import EventFactory
from workplan.models import Event
from workplan.models import MultiAnnualWorkPlan
from workplan.models import Output
from workplan.models import WorkingGroup

D = datetime.date


def generate(**options) -> str:
    out = StringIO()
    call_command("generate_history", stdout=out, **options)
    return out.getvalue()


def remove() -> str:
    out = StringIO()
    call_command("remove_generated_history", stdout=out)
    return out.getvalue()


def digest() -> str:
    """A fingerprint of the synthetic records' content (never their primary keys)."""
    terms = synthetic_terms().order_by("start_date")
    rows: list[tuple] = []
    rows += terms.values_list("slug", "start_date", "end_date", "theme", "report_status")
    rows += (
        Event.objects.filter(chairmanship__in=terms)
        .order_by("chairmanship__start_date", "pk")
        .values_list("chairmanship__slug", "title", "kind", "start_date", "end_date", "city", "country")
    )
    rows += (
        Event.organisers.through.objects.filter(event__chairmanship__in=terms)
        .order_by("event__start_date", "event__title", "agency__acronym")
        .values_list("event__start_date", "event__title", "agency__acronym")
    )
    rows += (
        Output.objects.filter(chairmanship__in=terms)
        .order_by("chairmanship__start_date", "pk")
        .values_list("chairmanship__slug", "title", "kind", "date", "date_note")
    )
    rows += (
        CarryForwardIssue.objects.filter(handed_over_in__in=terms)
        .order_by("handed_over_in__start_date", "number")
        .values_list(
            "handed_over_in__slug", "number", "origin__slug", "continues__handed_over_in__slug", "text", "status"
        )
    )
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every domain table and every many-to-many link, as plain values."""
    tables: dict[str, list[tuple]] = {}
    for app_label in ("chairmanship", "workplan"):
        for model in apps.get_app_config(app_label).get_models():
            tables[model._meta.label] = sorted(model.objects.order_by().values_list())
            for m2m in model._meta.many_to_many:
                through = m2m.remote_field.through
                tables[through._meta.label] = sorted(through.objects.order_by().values_list())
    return tables


@pytest.mark.django_db
def test_small_history_has_the_expected_records_and_reports_progress():
    output = generate(terms=3, events_per_term=20, seed=1)

    terms = list(synthetic_terms().order_by("start_date"))
    assert len(terms) == 3
    for term in terms:
        assert term.agency.acronym.startswith("SYN-")
        assert term.slug == f"{term.start_date.year}-{term.agency.acronym.lower()}"
        assert term.events.count() == 20
        assert term.outputs.count() == 2 + 20 // 10
        assert term.focus_areas.exists()
        assert term.objectives.count() >= 4
        assert term.accomplishments.exists()
        assert term.recommendations.exists()
        assert term.handed_over_issues.exists()
        assert term.theme and term.introduction and term.handover_narrative
    # The last term is the one still being written.
    assert [t.report_status for t in terms] == ["final", "final", "draft"]

    assert Agency.objects.filter(acronym__startswith="SYN-").count() == 14
    assert WorkingGroup.objects.filter(slug__startswith="syn-").count() == 7
    assert MultiAnnualWorkPlan.objects.filter(title__startswith="[synthetic]").exists()
    assert Endorsement.objects.filter(output__chairmanship__in=terms, body="CEB", outcome="endorsed").exists()

    # One progress line per term, then the summary.
    for index, term in enumerate(terms, start=1):
        assert f"[{index}/3] {term.slug}" in output
    assert "60 events" in output
    assert "3 terms" in output


@pytest.mark.django_db
def test_events_and_outputs_fall_inside_their_term_and_link_to_its_objectives():
    generate(terms=3, events_per_term=40, seed=7)

    for term in synthetic_terms():
        events = list(term.events.prefetch_related("objectives", "organisers"))
        assert all(term.start_date <= e.start_date <= e.end_date <= term.end_date for e in events)
        assert all(term.agency in e.organisers.all() for e in events)
        assert {o.chairmanship_id for e in events for o in e.objectives.all()} <= {term.pk}
        assert any(e.objectives.all() for e in events)
        dated = term.outputs.exclude(date=None)
        assert all(term.start_date <= o.date <= term.end_date for o in dated)
        assert all(o.date_note for o in term.outputs.filter(date=None))
        for accomplishment in term.accomplishments.prefetch_related("events"):
            assert {e.chairmanship_id for e in accomplishment.events.all()} == {term.pk}


@pytest.mark.django_db
def test_same_seed_gives_the_same_history_and_another_seed_a_different_one():
    generate(terms=3, events_per_term=20, seed=1)
    first = digest()

    generate(terms=3, events_per_term=20, seed=1, replace=True)
    assert digest() == first

    generate(terms=3, events_per_term=20, seed=2, replace=True)
    assert digest() != first


@pytest.mark.django_db
def test_terms_never_overlap_each_other_or_the_real_history(gmg):
    real = list(Chairmanship.objects.order_by("start_date").values_list("slug", "start_date", "end_date"))
    assert real, "the gmg fixture holds the real chair history"

    generate(terms=12, events_per_term=0, seed=3)

    synthetic = list(synthetic_terms().order_by("start_date"))
    assert synthetic[0].start_date == D(2101, 1, 1)
    every = list(Chairmanship.objects.order_by("start_date"))
    for earlier, later in zip(every, every[1:], strict=False):
        assert earlier.start_date <= earlier.end_date < later.start_date, (earlier.slug, later.slug)
    # Six-month and calendar-year terms, as in the real rotation.
    lengths = {(t.start_date.month, t.end_date.month) for t in synthetic}
    assert lengths <= {(1, 6), (7, 12), (1, 12)}
    assert (1, 12) in lengths
    assert lengths & {(1, 6), (7, 12)}
    # No chair follows itself.
    assert all(a.agency_id != b.agency_id for a, b in zip(synthetic, synthetic[1:], strict=False))
    assert (
        list(
            Chairmanship.objects.exclude(pk__in=[t.pk for t in synthetic])
            .values_list("slug", "start_date", "end_date")
            .order_by("start_date")
        )
        == real
    )


@pytest.mark.django_db
def test_history_starts_the_year_after_the_latest_existing_term():
    ChairmanshipFactory(start_date=D(2150, 1, 1), end_date=D(2150, 12, 31))

    generate(terms=2, events_per_term=0, seed=1)

    assert synthetic_terms().order_by("start_date").first().start_date == D(2151, 1, 1)


@pytest.mark.django_db
def test_carry_forward_chains_link_each_listing_to_the_previous_report():
    generate(terms=12, events_per_term=0, seed=1)

    terms = list(synthetic_terms().order_by("start_date"))
    previous_term = {later.pk: earlier.pk for earlier, later in zip(terms, terms[1:], strict=False)}
    issues = CarryForwardIssue.objects.filter(handed_over_in__in=terms).select_related("continues")

    continued = [issue for issue in issues if issue.continues_id]
    assert continued
    for issue in continued:
        # The same issue as the previous chair listed it, still credited to the term that raised it.
        assert issue.continues.handed_over_in_id == previous_term[issue.handed_over_in_id]
        assert issue.origin_id == issue.continues.origin_id
        assert issue.text == issue.continues.text
        assert issue.continues.is_unresolved
    for issue in issues.filter(continues=None):
        assert issue.origin_id == issue.handed_over_in_id

    # Some issues were resolved by the next chair, so their chain ends there.
    resolved = [issue for issue in issues if issue.status == CarryForwardIssue.Status.RESOLVED]
    assert resolved
    for issue in resolved:
        assert issue.resolved_in_id is not None
        assert previous_term[issue.resolved_in_id] == issue.handed_over_in_id
        assert not issue.continuations.exists()

    # At least one issue was handed over through three reports or more.
    longest = max(len({i.handed_over_in_id for i in _chain(issue)}) for issue in continued)
    assert longest >= 3

    # Numbers run 1, 2, 3… in every report.
    for term in terms:
        numbers = list(term.handed_over_issues.order_by("number").values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))


def _chain(issue: CarryForwardIssue) -> list[CarryForwardIssue]:
    chain = []
    while issue is not None:
        chain.append(issue)
        issue = issue.continues
    return chain


@pytest.mark.django_db
def test_removal_deletes_every_synthetic_record_and_leaves_the_real_ones(gmg):
    before = snapshot()
    assert len(before["chairmanship.Chairmanship"]) == 15

    generate(terms=4, events_per_term=30, seed=1)
    assert synthetic_history_exists()
    assert Chairmanship.objects.count() == 15 + 4

    output = remove()

    assert not synthetic_history_exists()
    assert snapshot() == before
    assert "120 events" in output
    assert "4 terms" in output


@pytest.mark.django_db
def test_removal_leaves_factory_data_and_then_has_nothing_left_to_remove():
    real_term = ChairmanshipFactory(start_date=D(2101, 1, 1), end_date=D(2101, 12, 31))
    EventFactory(chairmanship=real_term)
    before = snapshot()

    generate(terms=3, events_per_term=10, seed=5)
    remove()

    assert snapshot() == before
    assert "No synthetic history to remove" in remove()


@pytest.mark.django_db
def test_replace_swaps_the_history_instead_of_adding_to_it():
    generate(terms=3, events_per_term=10, seed=1)
    generate(terms=2, events_per_term=5, seed=1, replace=True)

    assert synthetic_terms().count() == 2
    assert Event.objects.count() == 10
    assert Agency.objects.filter(acronym__startswith="SYN-").count() == 14


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"terms": 0}, "--terms must be at least 1"),
        ({"terms": -3}, "--terms must be at least 1"),
        ({"terms": 1001}, "--terms must be at most 1000"),
        ({"events_per_term": -1}, "--events-per-term must be 0 or more"),
    ],
)
def test_bad_numbers_are_refused_naming_the_option(options, message):
    with pytest.raises(CommandError, match=message):
        generate(**{"terms": 2, "events_per_term": 5, "seed": 1, **options})
    assert not synthetic_history_exists()


@pytest.mark.django_db
def test_a_number_that_is_not_a_number_is_refused():
    with pytest.raises(CommandError, match="--terms"):
        call_command("generate_history", "--terms", "forty", stdout=StringIO())


@pytest.mark.django_db
def test_existing_history_is_refused_pointing_to_the_removal_command():
    generate(terms=2, events_per_term=5, seed=1)

    with pytest.raises(CommandError, match="remove_generated_history"):
        generate(terms=2, events_per_term=5, seed=2)

    assert synthetic_terms().count() == 2
    assert Event.objects.count() == 10


@pytest.mark.django_db
def test_removal_refuses_when_a_real_issue_names_a_synthetic_origin():
    real_term = ChairmanshipFactory(start_date=D(2101, 1, 1), end_date=D(2101, 12, 31))
    generate(terms=2, events_per_term=5, seed=1)
    CarryForwardIssueFactory(handed_over_in=real_term, origin=synthetic_terms().first())

    with pytest.raises(CommandError, match="origin"):
        remove()

    assert synthetic_terms().count() == 2


@pytest.mark.django_db
def test_generation_inserts_in_batches_not_row_by_row(django_assert_max_num_queries):
    # 3 terms × 300 events is 900 events, about 100 outputs and some 3,000
    # many-to-many links. Setup: 4 "does synthetic data exist" checks, the
    # latest term's end, the taken slugs, and one INSERT each for agencies,
    # working groups with their chairs and members, work plans, overarching
    # objectives and terms. Per term: the narratives UPDATE, one INSERT per
    # table and batch (SQLite binds at most 999 parameters, so ~60 events a
    # batch), and one UPDATE for the issues the chair resolved. ~35 per term.
    with django_assert_max_num_queries(12 + 3 * 35):
        generate(terms=3, events_per_term=300, seed=1)
    assert Event.objects.count() == 900


@pytest.mark.django_db
def test_generation_runs_on_postgresql_with_its_exclusion_constraint(postgres_only, gmg):
    # PostgreSQL refuses overlapping terms by an exclusion constraint: the
    # generated terms must pass it alongside the real history.
    generate(terms=6, events_per_term=25, seed=1)
    assert synthetic_terms().count() == 6
    remove()
    assert Chairmanship.objects.count() == 15
