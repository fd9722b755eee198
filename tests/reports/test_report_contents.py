"""What the annual report prints from the records: only what they hold, each thing once, narrative first.

Each test builds the records it needs (factories), assembles the report and
reads the HTML the PDF is made from (templates/reports/report_pdf.html); the
real 2014 report is read beside the seed in test_seed_facts.py.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from chairmanship.models import Agency
from chairmanship.models import Chairmanship
from reports.handover import assemble_handover
from reports.rendering import report_context
from reports.selectors import assemble_report
from tests.factories import AccomplishmentFactory
from tests.factories import ActivityFactory
from tests.factories import AgencyFactory
from tests.factories import CarryForwardIssueFactory
from tests.factories import ChairmanshipFactory
from tests.factories import EndorsementFactory
from tests.factories import EventFactory
from tests.factories import ObjectiveFactory
from tests.factories import OutputFactory
from tests.factories import RecommendationFactory
from tests.reports.test_seed_facts import text_of
from workplan.models import Event

pytestmark = pytest.mark.django_db


def report_html(term: Chairmanship) -> str:
    return render_to_string(
        "reports/report_pdf.html", report_context(assemble_report(chairmanship=term), for_print=True)
    )


def section(html: str, anchor: str, until: str | None = None) -> str:
    start = html.index(f'id="{anchor}"')
    return html[start : html.index(f'id="{until}"', start)] if until else html[start:]


def test_an_event_prints_the_chairs_role_only_where_one_is_recorded():
    term = ChairmanshipFactory()
    stated = EventFactory(chairmanship=term, title="Convened meeting", chair_role=Event.ChairRole.CONVENED)
    unstated = EventFactory(chairmanship=term, title="Meeting of unknown role")  # the default: unspecified
    AccomplishmentFactory(chairmanship=term).events.add(stated, unstated)

    lines = {text_of(line) for line in re.findall(r'<li class="event">(.*?)</li>', report_html(term), re.S)}

    [convened] = [line for line in lines if "Convened meeting" in line]
    [unknown] = [line for line in lines if "Meeting of unknown role" in line]
    assert convened.endswith("(the Chair: convened);")
    assert "Chair" not in unknown
    assert unstated.chair_role == Event.ChairRole.UNSPECIFIED


def test_a_recommendation_and_its_trail_are_printed_once_under_the_first_accomplishment_naming_its_output():
    term = ChairmanshipFactory()
    report = OutputFactory(chairmanship=term, title="The synthesis paper")
    EndorsementFactory(output=report, body="HLCP", session="27th session", outcome="forwarded")
    RecommendationFactory(chairmanship=term, source_output=report, number=1, text="Mainstream migration")
    RecommendationFactory(chairmanship=term, source_output=report, number=2, text="Include migrants")
    first = AccomplishmentFactory(chairmanship=term, number=1, narrative="It made recommendations, specifically:")
    second = AccomplishmentFactory(chairmanship=term, number=2, narrative="The same paper again.")
    first.outputs.add(report)
    second.outputs.add(report)

    html = report_html(term)
    text = text_of(html)

    for recommendation in ("Mainstream migration", "Include migrants"):
        assert text.count(recommendation) == 1
    assert text.count("27th session") == 1  # the trail, once
    assert "Mainstream migration" in text_of(section(html, "accomplishment-1", "accomplishment-2"))
    # The second accomplishment still lists the paper, without repeating its trail.
    assert "The synthesis paper" in text_of(section(html, "accomplishment-2", "section-3"))
    # Placed where the narrative announces them.
    first_section = text_of(section(html, "accomplishment-1", "accomplishment-2"))
    assert first_section.index("specifically:") < first_section.index("Recommendation 1: Mainstream migration")


def test_a_recommendation_no_accomplishment_produced_is_printed_once_after_the_accomplishments():
    term = ChairmanshipFactory()
    paper = OutputFactory(chairmanship=term, title="A paper no accomplishment names")
    EndorsementFactory(output=paper, body="CEB", session="Spring session", outcome="endorsed")
    RecommendationFactory(chairmanship=term, source_output=paper, number=1, text="Share data on remittances")
    RecommendationFactory(chairmanship=term, source_output=None, number=2, text="Meet twice a year")
    AccomplishmentFactory(chairmanship=term, number=1, narrative="A meeting was held.")

    html = report_html(term)
    text = text_of(html)

    others = text_of(section(html, "other-recommendations", "section-3"))
    for recommendation in ("Recommendation 1: Share data on remittances", "Recommendation 2: Meet twice a year"):
        assert text.count(recommendation) == 1
        assert recommendation in others
    assert text.count("Spring session") == 1  # with its endorsement trail, once


def test_a_report_whose_recommendations_all_have_their_accomplishment_has_no_other_recommendations(gmg):
    html = report_html(Chairmanship.objects.get(slug="2014-ilo"))

    assert "other-recommendations" not in html  # the seed prints both under accomplishments 2 and 3


def test_linked_records_follow_the_narrative_compactly_or_not_at_all():
    term = ChairmanshipFactory()
    listed = AccomplishmentFactory(chairmanship=term, number=1, narrative="First paragraph.\n\nLast paragraph.")
    hidden = AccomplishmentFactory(chairmanship=term, number=2, narrative="Told in prose.", list_linked_records=False)
    announced = AccomplishmentFactory(
        chairmanship=term, number=3, narrative="Events we held, including the following:\n\nAfter the list."
    )
    listed.events.add(EventFactory(chairmanship=term, title="Listed event"))
    hidden.events.add(EventFactory(chairmanship=term, title="Hidden event"))
    hidden.outputs.add(OutputFactory(chairmanship=term, title="Hidden output"))
    announced.events.add(EventFactory(chairmanship=term, title="Announced event"))

    html = report_html(term)

    first = text_of(section(html, "accomplishment-1", "accomplishment-2"))
    assert first.index("Last paragraph.") < first.index("Events and outputs") < first.index("Listed event")
    second = text_of(section(html, "accomplishment-2", "accomplishment-3"))
    assert "Hidden event" not in second and "Hidden output" not in second
    assert "Hidden event" in text_of(section(html, "annex-b"))  # still among the term's activities
    third = text_of(section(html, "accomplishment-3", "section-3"))
    assert third.index("including the following:") < third.index("Announced event") < third.index("After the list.")
    assert "Events and outputs" not in third  # the lead-in announces the list


def test_a_composed_title_is_printed_plainly_and_a_formal_title_cited():
    term = ChairmanshipFactory()
    accomplishment = AccomplishmentFactory(chairmanship=term)
    accomplishment.events.add(
        EventFactory(chairmanship=term, title="Last working level meeting of the year", descriptive_title=True),
        EventFactory(chairmanship=term, title="Fair Migration and Development", kind=Event.Kind.SIDE_EVENT),
    )
    accomplishment.outputs.add(
        OutputFactory(chairmanship=term, title="Read-out of a discussion", descriptive_title=True)
    )

    html = report_html(term)

    assert "<cite" not in re.sub(r"<cite[^>]*>(?:<a [^>]*>)?Fair Migration and Development", "", html)
    assert re.search(r'<cite class="event__title">Fair Migration and Development</cite>', html)
    assert '<span class="event__title">Last working level meeting of the year</span>' in html
    assert '<span class="output__title">Read-out of a discussion</span>' in html


def test_partners_are_named_and_participants_said_on_the_event_line():
    term = ChairmanshipFactory()
    mission = AgencyFactory(
        acronym="PM Turkey",
        name="Permanent Mission of Turkey to the UN",
        kind=Agency.Kind.GOVERNMENT,
        membership_status=Agency.MembershipStatus.NON_MEMBER,
    )
    event = EventFactory(
        chairmanship=term,
        title="Fair Migration",
        kind=Event.Kind.SIDE_EVENT,
        forum="ECOSOC High-level segment",
        city="New York",
        country="US",
        participants="the SRSG for International Migration, Mr Peter Sutherland",
    )
    event.organisers.add(AgencyFactory(acronym="ILO"), mission)
    AccomplishmentFactory(chairmanship=term).events.add(event)

    [line] = [text_of(li) for li in re.findall(r'<li class="event">(.*?)</li>', report_html(term), re.S)]

    assert line.startswith("Side event: Fair Migration, ECOSOC High-level segment, New York, United States of America")
    assert "with the SRSG for International Migration, Mr Peter Sutherland" in line
    assert "organisers: ILO, Permanent Mission of Turkey to the UN" in line  # a member by acronym, a partner by name


def test_producers_are_printed_only_where_recorded():
    term = ChairmanshipFactory()
    accomplishment = AccomplishmentFactory(chairmanship=term)
    produced = OutputFactory(chairmanship=term, title="Produced paper")
    produced.producer_agencies.add(AgencyFactory(acronym="ILO"))
    accomplishment.outputs.add(produced, OutputFactory(chairmanship=term, title="A GMG publication"))

    lines = [text_of(li) for li in re.findall(r'<li class="output">(.*?)</li>', report_html(term), re.S)]

    assert [line for line in lines if "Produced paper" in line][0].endswith("; by ILO)")
    assert " by " not in [line for line in lines if "A GMG publication" in line][0]


def test_annex_a_is_a_workplan_table_that_says_once_when_nothing_is_linked():
    empty = ChairmanshipFactory()
    for number in (1, 2, 3):
        ObjectiveFactory(chairmanship=empty, number=number, text=f"Aim {number}")
    annex = section(report_html(empty), "annex-a", "annex-b")

    assert text_of(annex).count("No activities, events or outputs are linked") == 1
    assert [text_of(th) for th in re.findall(r"<thead>.*?</thead>", annex, re.S)] == [
        "Objective Activities Lead Timeline Status"
    ]
    assert all(f"Objective {n}: Aim {n}" in text_of(annex) for n in (1, 2, 3))

    planned = ChairmanshipFactory()
    objective = ObjectiveFactory(chairmanship=planned, number=1, text="Engage governments")
    activity = ActivityFactory(objective=objective, title="Briefings to governments", timeline="Q4", status="done")
    activity.lead_agencies.add(AgencyFactory(acronym="ILO"))
    annex = section(report_html(planned), "annex-a", "annex-b")

    assert "No activities, events or outputs are linked" not in annex
    row = text_of(re.search(r'<tr class="annex-a__objective">.*?</tr>', annex, re.S).group(0))
    assert row == "Objective 1: Engage governments Briefings to governments ILO Q4 Done"


def test_annex_b_puts_undated_outputs_last_under_their_own_heading_with_only_dates_in_the_date_column():
    term = ChairmanshipFactory(start_date=datetime.date(2301, 1, 1), end_date=datetime.date(2301, 12, 31))
    EventFactory(chairmanship=term, title="June event", start_date=datetime.date(2301, 6, 3))
    OutputFactory(chairmanship=term, title="May paper", date=None, date_note="May 2301")
    OutputFactory(chairmanship=term, title="Dated paper", date=datetime.date(2301, 12, 18))
    OutputFactory(chairmanship=term, title="Presented paper", date=None, date_note="presented at the Summit")
    OutputFactory(chairmanship=term, title="Undated paper", date=None)
    OutputFactory(chairmanship=term, title="Summit paper", date=datetime.date(2301, 6, 3), date_note="at the Summit")

    annex = section(report_html(term), "annex-b")
    dated, undated = annex.split('id="annex-b-undated"')

    rows = [text_of(row) for row in re.findall(r"<tbody>.*?</tbody>", dated, re.S)[0].split("</tr>") if "<td" in row]
    assert [row.split(" ", 2)[:2] for row in rows] == [
        ["May", "2301"],
        ["3", "June"],
        ["3", "June"],
        ["18", "December"],
    ]
    assert re.findall(r'<td class="annex-b__date">(.*?)</td>', dated) == [
        "May 2301",
        "3 June 2301",
        "3 June 2301",
        "18 December 2301",
    ]
    assert "Summit paper (at the Summit)" in text_of(dated)  # words that are not a date go beside the title
    assert "Undated outputs" in text_of(undated)
    assert "Presented paper (presented at the Summit)" in text_of(undated)
    assert "Undated paper" in text_of(undated)


def test_the_report_date_is_the_handover_else_the_terms_last_day():
    handed_over = ChairmanshipFactory(
        start_date=datetime.date(2302, 1, 1),
        end_date=datetime.date(2302, 12, 31),
        handover_date=datetime.date(2302, 12, 16),
    )
    running = ChairmanshipFactory()

    assert assemble_report(chairmanship=handed_over).report_date == handed_over.handover_date
    assert assemble_report(chairmanship=running).report_date == running.end_date
    cover = text_of(section(report_html(handed_over), "cover", "contents-heading"))
    assert "Report date 16 December 2302" in cover


def test_the_contents_of_the_report_and_the_handover_pack_are_numbered_once():
    # Each entry carries its numeral ("I.", "1."): the list that holds them shows none of its own.
    term = ChairmanshipFactory()
    pack = assemble_handover(chairmanship=term)
    report = report_html(term)
    handover = render_to_string("reports/handover_pdf.html", {"pack": pack, "document": pack, "print": True})

    for html in (report, handover):
        contents = re.search(r'<nav class="contents".*?</nav>', html, re.S).group(0)
        assert "<ol" not in contents
        assert '<ul class="contents__list">' in contents
    for stylesheet in ("report-print.css", "report-web.css"):
        css = (settings.BASE_DIR / "static" / "reports" / stylesheet).read_text()
        assert re.search(r"\.contents__list \{[^}]*list-style: none", css), stylesheet


def test_the_handover_pack_of_a_past_term_is_dated_and_measures_ages_at_the_terms_end():
    term = ChairmanshipFactory()
    CarryForwardIssueFactory(handed_over_in=term, text="Still open")
    years_later = term.end_date + datetime.timedelta(days=4000)

    pack = assemble_handover(chairmanship=term, today=years_later)

    assert pack.as_of == term.end_date
    assert pack.issues[0].age == "11 months"  # from the term's first day to its last, not to today
    running = assemble_handover(chairmanship=term, today=term.start_date + datetime.timedelta(days=40))
    assert running.as_of == term.start_date + datetime.timedelta(days=40)
