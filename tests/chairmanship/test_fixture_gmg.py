"""The real dataset, fixtures/gmg.json, checked against its sources.

The tables below are written from the 2014 ILO chairmanship report (the
seed) and from the chair history of DESIGN.md's "Data" section, not from the
fixture: a fact the fixture loses, changes or invents makes a test fail.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError
from django.db import connection
from django.db import transaction

from chairmanship.models import Accomplishment
from chairmanship.models import Agency
from chairmanship.models import CarryForwardIssue
from chairmanship.models import Chairmanship
from chairmanship.models import Endorsement
from chairmanship.rotation import Rotation
from chairmanship.selectors import rotation_around
from gmg_portal.markdown import render_markdown
from workplan.models import Event
from workplan.models import FocusArea
from workplan.models import MultiAnnualWorkPlan
from workplan.models import Objective
from workplan.models import Output
from workplan.models import WorkingGroup

D = datetime.date

# The chair history: DESIGN.md "Data" (the CEB's page on the GMG, and the seed).
CHAIR_HISTORY = [
    # slug, chair agency, chair label, first day, last day
    ("2006-unhcr", "UNHCR", "", D(2006, 7, 1), D(2006, 12, 31)),
    ("2007-iom", "IOM", "", D(2007, 1, 1), D(2007, 6, 30)),
    ("2007-un-desa", "UN DESA", "", D(2007, 7, 1), D(2007, 12, 31)),
    ("2008-unfpa", "UNFPA", "", D(2008, 1, 1), D(2008, 6, 30)),
    ("2008-unctad", "UNCTAD", "", D(2008, 7, 1), D(2008, 12, 31)),
    ("2009-unitar", "UNITAR", "", D(2009, 6, 1), D(2009, 12, 31)),
    ("2010-undp", "UNDP", "", D(2010, 1, 1), D(2010, 6, 30)),
    ("2010-ohchr", "OHCHR", "", D(2010, 7, 1), D(2010, 12, 31)),
    ("2011-unicef", "UNICEF", "", D(2011, 1, 1), D(2011, 6, 30)),
    ("2011-unesco", "UNESCO", "", D(2011, 7, 1), D(2011, 12, 31)),
    ("2012-unodc", "UNODC", "", D(2012, 7, 1), D(2012, 12, 31)),
    ("2013-escap", "ESCAP", "Regional Commissions, coordinated by ESCAP", D(2013, 1, 1), D(2013, 6, 30)),
    ("2013-iom", "IOM", "", D(2013, 7, 1), D(2013, 12, 31)),
    ("2014-ilo", "ILO", "", D(2014, 1, 1), D(2014, 12, 31)),
    ("2015-wb", "WB", "", D(2015, 1, 1), D(2015, 12, 31)),
]

THEME = (
    "Advancing Strategic Cooperation and Inclusiveness on Migration and Development: "
    "Towards the UN Post-2015 Development Agenda"
)

# Every dated gathering of the GMG's own that the seed names: title, kind, first day, last day, city, country,
# role of the chair. The role is `unspecified` wherever the seed leaves it open: its §II.4 list is of events "the
# Chair convened/ co-convened or was invited to participate in". It states one role only: "The GMG Chair convened
# a Technical Working Level Meeting" (§II.1 ¶4). The sessions of the HLCP, the CEB and the GFMD Summit are not
# here: they are meetings of other bodies that considered a GMG output (its endorsements, below).
SEED_EVENTS = [
    ("Initial teleconference meeting on GFMD, GMG and SRSG cooperation", "teleconference",
     D(2014, 4, 14), D(2014, 4, 14), "", "", "unspecified"),
    ("Good Practices for Empowering Migrant Domestic Workers", "side_event",
     D(2014, 5, 13), D(2014, 5, 13), "Stockholm", "SE", "unspecified"),
    ("Migration and Youth: Challenges and Opportunities", "side_event",
     D(2014, 5, 15), D(2014, 5, 15), "Stockholm", "SE", "unspecified"),
    ("GFMD Special Session on Enhancing Coordination between the GFMD and the United Nations System", "meeting",
     D(2014, 5, 16), D(2014, 5, 16), "Stockholm", "SE", "unspecified"),
    ("GMG Principals' Meeting", "meeting",
     D(2014, 7, 8), D(2014, 7, 8), "", "", "unspecified"),
    ("Fair Migration and the Sustainable Post-2015 Development Agenda", "side_event",
     D(2014, 7, 9), D(2014, 7, 9), "New York", "US", "unspecified"),
    ("Launch of the Turkish GFMD Chairmanship", "launch",
     D(2014, 9, 22), D(2014, 9, 22), "New York", "US", "unspecified"),
    ("Technical Working Level Meeting on Realizing Post-2015 Aspirations for Migrants and Migration", "meeting",
     D(2014, 10, 16), D(2014, 10, 17), "New York", "US", "convened"),
    ("Debate on International Migration and Development", "debate",
     D(2014, 10, 27), D(2014, 10, 27), "New York", "US", "unspecified"),
    ("GMG Principals' Meeting", "meeting",
     D(2014, 11, 19), D(2014, 11, 19), "", "", "unspecified"),
    ("The Global Migration Group: Work, Priorities and Future Directions", "briefing",
     D(2014, 11, 24), D(2014, 11, 24), "Geneva", "CH", "unspecified"),
    ("Last working level meeting of the GMG in 2014: handover to the World Bank", "meeting",
     D(2014, 12, 16), D(2014, 12, 16), "", "", "unspecified"),
    ("Launch of the GMG publication Migration and Youth: Challenges and Opportunities on International Migrants' Day",
     "launch", D(2014, 12, 18), D(2014, 12, 18), "", "", "unspecified"),
]  # fmt: skip

# Every output the seed names: title, kind, date (None where the seed gives no day), date as worded, submitted to.
SEED_OUTPUTS = [
    ("Realizing the Inclusion of Migrants and Migration in the Post-2015 United Nations Development Agenda",
     "communique", D(2014, 11, 12), "", "UN Secretary-General"),
    ("Including migrants in the post-2015 UN Development Agenda",
     "position_paper", None, "May 2014", ""),
    ("HLCP/CEB synthesis paper on UN system-wide follow-up to the HLD",
     "report", None, "", "High-Level Committee on Programmes (HLCP) and UN Chief Executives Board (CEB)"),
    ("Follow-up by GMG agencies to the 2013 UN High-level Dialogue on International Migration and Development (HLD)",
     "report", None, "", "GFMD"),
    ("Migration and Youth: Challenges and Opportunities",
     "publication", D(2014, 12, 18), "", ""),
    ("Read-out of the GMG Principals' discussion and decision on crisis-related migration and protection at sea",
     "other", None, "", "Office of the UN Secretary-General"),
]  # fmt: skip

HLCP_REPORT = "HLCP/CEB synthesis paper on UN system-wide follow-up to the HLD"
COMMUNIQUE = SEED_OUTPUTS[0][0]

# The models the fixture fills (named, so that tables other apps add, e.g. history, are not counted).
DOMAIN_MODELS = [
    apps.get_model(label)
    for label in (
        "chairmanship.Agency",
        "chairmanship.Chairmanship",
        "chairmanship.Accomplishment",
        "chairmanship.Recommendation",
        "chairmanship.Endorsement",
        "chairmanship.CarryForwardIssue",
        "workplan.MultiAnnualWorkPlan",
        "workplan.OverarchingObjective",
        "workplan.FocusArea",
        "workplan.Objective",
        "workplan.Activity",
        "workplan.WorkingGroup",
        "workplan.Event",
        "workplan.Output",
    )
]


GMG_JSON = settings.BASE_DIR / "fixtures" / "gmg.json"


def _ilo() -> Chairmanship:
    return Chairmanship.objects.get(slug="2014-ilo")


def _table_counts() -> dict[str, int]:
    """Rows of every domain table and of every many-to-many table between them."""
    counts = {}
    for model in DOMAIN_MODELS:
        counts[model._meta.label] = model.objects.count()
        for field in model._meta.local_many_to_many:
            counts[field.remote_field.through._meta.db_table] = field.remote_field.through.objects.count()
    return counts


# --- The chair history ----------------------------------------------------------------------------


def test_the_chair_history_has_every_known_term_with_its_dates_and_label(gmg):
    terms = [
        (t.slug, t.agency.acronym, t.chair_label, t.start_date, t.end_date)
        for t in Chairmanship.objects.order_by("start_date")
    ]

    assert terms == CHAIR_HISTORY


def test_only_the_2014_report_is_final(gmg):
    statuses = dict(Chairmanship.objects.values_list("slug", "report_status"))

    assert statuses.pop("2014-ilo") == Chairmanship.ReportStatus.FINAL
    assert set(statuses.values()) == {Chairmanship.ReportStatus.DRAFT}
    assert len(statuses) == len(CHAIR_HISTORY) - 1


def test_terms_other_than_2014_hold_no_report_text(gmg):
    # The seed reports only 2014; the chair history gives dates and labels, nothing else.
    others = Chairmanship.objects.exclude(slug="2014-ilo")

    assert set(
        others.values_list(
            "theme",
            "introduction",
            "accomplishments_intro",
            "workplan_narrative",
            "handover_narrative",
            "handover_date",
        )
    ) == {("", "", "", "", "", None)}


def test_slugs_follow_the_derivation_rule_and_terms_do_not_overlap(gmg):
    terms = list(Chairmanship.objects.order_by("start_date"))

    for term in terms:
        assert term.slug == term.derive_slug()
    for earlier, later in zip(terms, terms[1:], strict=False):
        assert earlier.end_date < later.start_date, f"{earlier.slug} overlaps {later.slug}"


def test_the_incoming_chair_of_2014_is_the_world_bank_derived_from_dates(gmg):
    ilo = _ilo()
    rotation = Rotation.read()

    assert rotation.next(ilo).slug == "2015-wb"
    assert rotation.next(ilo).agency.acronym == "WB"
    assert rotation.next(ilo).agency.name == "World Bank"
    assert rotation.previous(ilo).slug == "2013-iom"
    assert [t.slug for t in rotation_around(term=ilo).troika] == ["2013-iom", "2014-ilo", "2015-wb"]


# --- Agencies --------------------------------------------------------------------------------------


def test_every_chair_of_the_history_is_a_member(gmg):
    chairs = Agency.objects.filter(chairmanships__isnull=False).distinct()

    assert {a.acronym for a in chairs} == {acronym for _, acronym, *_ in CHAIR_HISTORY}
    assert {a.membership_status for a in chairs} == {Agency.MembershipStatus.MEMBER}


@pytest.mark.parametrize(
    ("acronym", "name", "kind", "status"),
    [
        ("ILO", "International Labour Organization", "un_entity", "member"),
        ("WB", "World Bank", "un_entity", "member"),
        ("IOM", "International Organization for Migration", "international_organization", "member"),
        ("ESCAP", "Economic and Social Commission for Asia and the Pacific", "regional_commission", "member"),
        ("WMO", "World Meteorological Organization", "un_entity", "applicant"),
        ("IMO", "International Maritime Organization", "un_entity", "non_member"),
        ("Permanent Mission of Turkey", "Permanent Mission of Turkey to the UN", "government", "non_member"),
        ("NGO Committee on Migration", "NGO Committee on Migration", "civil_society", "non_member"),
        ("GFMD", "Global Forum on Migration and Development", "other", "non_member"),
    ],
)
def test_organisations_named_by_the_seed_have_their_kind_and_membership(gmg, acronym, name, kind, status):
    agency = Agency.objects.get(acronym=acronym)

    assert (agency.name, agency.kind, agency.membership_status) == (name, kind, status)


# --- The 2014 ILO chairmanship ---------------------------------------------------------------------


def test_the_2014_term_theme_and_handover(gmg):
    ilo = _ilo()

    assert (ilo.agency.acronym, ilo.start_date, ilo.end_date) == ("ILO", D(2014, 1, 1), D(2014, 12, 31))
    assert ilo.theme == THEME
    assert ilo.handover_date == D(2014, 12, 16)
    assert ilo.accomplishments_intro == (
        "The key accomplishments of ILO's Chairmanship of the GMG in 2014 include the following:"
    )


def test_the_2014_report_has_the_counts_of_the_seed(gmg):
    ilo = _ilo()

    assert list(ilo.accomplishments.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert list(ilo.objectives.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    assert list(ilo.focus_areas.values_list("letter", flat=True)) == ["a", "b"]
    assert list(ilo.recommendations.values_list("number", flat=True)) == [1, 2]
    assert list(ilo.handed_over_issues.values_list("number", flat=True)) == list(range(1, 15))
    assert ilo.events.count() == len(SEED_EVENTS)
    assert ilo.outputs.count() == len(SEED_OUTPUTS)


def test_no_other_term_has_records_the_seed_does_not_give(gmg):
    others = Chairmanship.objects.exclude(slug="2014-ilo")

    assert not Event.objects.filter(chairmanship__in=others).exists()
    assert not Output.objects.filter(chairmanship__in=others).exists()
    assert not Accomplishment.objects.filter(chairmanship__in=others).exists()
    assert not Objective.objects.filter(chairmanship__in=others).exists()
    assert not CarryForwardIssue.objects.filter(handed_over_in__in=others).exists()
    assert not apps.get_model("workplan", "Activity").objects.exists()  # the seed states no activities


def test_accomplishment_titles_are_the_seed_headings(gmg):
    titles = list(_ilo().accomplishments.values_list("title", flat=True))

    assert titles == [
        "Influencing the deliberations and outcomes on migrants and migration related to the post-2015 "
        "development agenda",
        "Reporting on the GMG and UN system follow-up actions to the 2013 UN High-level Dialogue on International "
        "Migration and Development (HLD)",
        "Mainstreaming migration into UN Development Assistance Frameworks (UNDAFs), Delivering as One (DaO) "
        "initiatives and other development planning processes",
        "Closer cooperation and more regularized engagement with governments (particularly those participating in "
        "the GFMD)",
        "Initiating a GMG response to the issue of crisis-related migration and protection at sea",
        "Completion of the publication initiated under UNICEF's Chairmanship on Migration and Youth: Opportunities "
        "and Challenges",
    ]


def test_focus_areas_objectives_and_the_mawp_are_verbatim(gmg):
    ilo = _ilo()
    mawp = MultiAnnualWorkPlan.objects.get()

    assert [f.title for f in FocusArea.objects.filter(chairmanship=ilo)] == [
        "Greater multi-stakeholder cooperation, coordination and coherence on migration and development",
        "The post-2015 development agenda",
    ]
    texts = [o.text for o in ilo.objectives.all()]
    assert texts[0] == (
        "Promote closer coordination between the GMG and governments as well as greater opportunities for "
        "consultation and information sharing"
    )
    assert texts[1].startswith("Strengthen collaboration between the GMG and representative employers'")
    assert texts[2].endswith("integrate these more closely with the GMG's work")
    assert texts[3].startswith("Increase GMG communication, visibility and information sharing")
    assert texts[4] == "Oversee implementation of the GMG MAWP"
    assert not any(t.endswith(";") for t in texts)
    assert (mawp.title, mawp.start_year, mawp.end_year) == ("GMG 2013–2015 Multi-Annual Work Plan", 2013, 2015)
    assert list(mawp.overarching_objectives.values_list("ordinal", "text")) == [
        (
            "i",
            "Ensure effective GMG coordination and collaboration, as well as visibility and outreach towards member "
            "States and other stakeholders",
        ),
        ("ii", "contribute to ensuring that migration is included in the post-2015 development agenda"),
    ]


def test_the_working_groups_named_by_the_seed(gmg):
    groups = {g.slug: g for g in WorkingGroup.objects.all()}

    assert set(groups) == {
        "data-and-research",
        "migration-human-rights-and-gender",
        "mainstreaming-migration-into-national-development-strategies",
    }
    for slug, group in groups.items():
        assert group.derive_slug() == slug
        assert group.kind == WorkingGroup.Kind.WORKING_GROUP


# --- Events and outputs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "kind", "start", "end", "city", "country", "role"),
    SEED_EVENTS,
    ids=[f"{row[2]:%Y-%m-%d}" for row in SEED_EVENTS],
)
def test_every_dated_gathering_of_the_seed_is_an_event(gmg, title, kind, start, end, city, country, role):
    event = Event.objects.get(chairmanship__slug="2014-ilo", title=title, start_date=start)

    assert (event.kind, event.end_date, event.city, event.country.code or "", event.chair_role) == (
        kind,
        end,
        city,
        country,
        role,
    )


def test_events_name_their_forum_and_organisers_as_the_seed_does(gmg):
    events = {e.title: e for e in Event.objects.prefetch_related("organisers")}

    def organisers(title: str) -> set[str]:
        return {a.acronym for a in events[title].organisers.all()}

    assert events["Good Practices for Empowering Migrant Domestic Workers"].forum == "GFMD Civil Society Days (CSDs)"
    assert events["Migration and Youth: Challenges and Opportunities"].forum == "GFMD Summit 2014"
    assert events["Debate on International Migration and Development"].forum == (
        "69th session of the UN General Assembly"
    )
    fair = "Fair Migration and the Sustainable Post-2015 Development Agenda"
    assert events[fair].forum == "ECOSOC High-level segment"
    assert organisers(fair) == {"ILO", "GFMD", "Permanent Mission of Turkey"}
    launch = next(t for t in events if t.startswith("Launch of the GMG publication"))
    assert organisers(launch) == {"ILO", "UNICEF", "UNESCO"}
    # The seed names no one who held the briefing or the Principals' and working level meetings.
    assert organisers("The Global Migration Group: Work, Priorities and Future Directions") == set()
    assert organisers("Last working level meeting of the GMG in 2014: handover to the World Bank") == set()
    assert not Event.objects.filter(title="GMG Principals' Meeting", organisers__isnull=False).exists()


def test_events_name_the_participants_the_seed_names(gmg):
    participants = dict(Event.objects.exclude(participants="").values_list("title", "participants"))

    assert participants == {
        "Initial teleconference meeting on GFMD, GMG and SRSG cooperation": (
            "the GMG and GFMD Troikas and the SRSG and his team"
        ),
        "GFMD Special Session on Enhancing Coordination between the GFMD and the United Nations System": (
            "the Special Representative of the Secretary-General (SRSG) for International Migration, "
            "Mr Peter Sutherland, and the GMG and GFMD troikas"
        ),
        "The Global Migration Group: Work, Priorities and Future Directions": "governments",
    }


def test_only_titles_the_dataset_composed_are_descriptive(gmg):
    # The seed links each formal title; the others were built from its words (fixtures/README.md).
    assert set(Event.objects.filter(descriptive_title=True).values_list("title", flat=True)) == {
        "Initial teleconference meeting on GFMD, GMG and SRSG cooperation",
        "Last working level meeting of the GMG in 2014: handover to the World Bank",
        SEED_EVENTS[-1][0],
    }
    assert set(Output.objects.filter(descriptive_title=True).values_list("title", flat=True)) == {
        HLCP_REPORT,
        SEED_OUTPUTS[5][0],
    }


def test_producers_are_recorded_only_where_the_seed_names_them(gmg):
    producers = {
        o.title: {a.acronym for a in o.producer_agencies.all()} | {g.slug for g in o.producer_working_groups.all()}
        for o in Output.objects.prefetch_related("producer_agencies", "producer_working_groups")
    }

    # "a GMG publication" drawing on a score of agencies, and "the GMG developed a joint communiqué": no agency.
    assert producers["Migration and Youth: Challenges and Opportunities"] == set()
    assert producers[COMMUNIQUE] == set()
    assert producers[HLCP_REPORT] == {"ILO"}  # "The GMG Chair … developed a report"


@pytest.mark.parametrize(("title", "kind", "date", "date_note", "submitted_to"), SEED_OUTPUTS)
def test_every_output_the_seed_names_is_present(gmg, title, kind, date, date_note, submitted_to):
    output = Output.objects.get(chairmanship__slug="2014-ilo", title=title)

    assert (output.kind, output.date, output.date_note) == (kind, date, date_note)
    assert submitted_to in output.submitted_to
    assert output.symbol == ""  # the seed gives no UN document symbol for a 2014 output


def test_the_position_document_was_prepared_by_its_working_group(gmg):
    position = Output.objects.get(title="Including migrants in the post-2015 UN Development Agenda")

    assert [g.slug for g in position.producer_working_groups.all()] == ["migration-human-rights-and-gender"]
    assert position.when == "May 2014"


# --- Recommendations and endorsements --------------------------------------------------------------


def test_the_two_recommendations_come_from_the_hlcp_ceb_report_and_are_endorsed(gmg):
    recommendations = list(_ilo().recommendations.select_related("source_output"))

    assert [(r.number, r.text, r.status, r.source_output.title) for r in recommendations] == [
        (
            1,
            "Mainstream migration and the human rights of migrants into the activities of the UN System",
            "endorsed",
            HLCP_REPORT,
        ),
        (
            2,
            "Emphasize the importance of the inclusion of migrants and migration into the post-2015 UN development "
            "agenda",
            "endorsed",
            HLCP_REPORT,
        ),
    ]


def test_the_endorsement_trail_of_the_hlcp_ceb_report(gmg):
    trail = Endorsement.objects.filter(output__title=HLCP_REPORT).order_by("start_date")

    assert [(e.body, e.city, e.country.code or "", e.start_date, e.end_date, e.outcome) for e in trail] == [
        ("HLCP", "Santiago", "CL", D(2014, 3, 17), D(2014, 3, 24), "forwarded"),
        ("CEB", "Rome", "IT", D(2014, 5, 8), D(2014, 5, 8), "endorsed"),
        ("GMG Principals", "", "", D(2014, 7, 8), D(2014, 7, 8), "endorsed"),
    ]
    assert trail[0].session == "27th session"
    assert trail[1].session == "First regular session 2014"


def test_the_synthesis_report_was_considered_at_the_gfmd_summit(gmg):
    trail = list(Endorsement.objects.filter(output__title=SEED_OUTPUTS[3][0]))

    assert [(e.body, e.city, e.country.code, e.start_date, e.end_date, e.outcome) for e in trail] == [
        ("GFMD", "Stockholm", "SE", D(2014, 5, 14), D(2014, 5, 16), "considered")
    ]


def test_the_communique_was_endorsed_by_the_principals_on_no_stated_date(gmg):
    trail = list(Endorsement.objects.filter(output__title=COMMUNIQUE))

    assert [(e.body, e.start_date, e.end_date, e.outcome) for e in trail] == [
        ("GMG Principals", None, None, "endorsed")
    ]


# --- Carry-forward issues --------------------------------------------------------------------------


def test_fourteen_issues_handed_over_in_2014_with_their_origins(gmg):
    issues = list(_ilo().handed_over_issues.select_related("origin"))

    assert Counter(i.origin.slug for i in issues) == {"2013-escap": 1, "2013-iom": 1, "2014-ilo": 12}
    assert [i.origin.slug for i in issues[:3]] == ["2013-escap", "2013-iom", "2014-ilo"]
    assert issues[0].text == "GMG review and assessment, including the development of a 2016–2018 MAWP"
    assert issues[-1].text.startswith("Enhance GMG communication including the finalization")
    assert {i.status for i in issues} == {CarryForwardIssue.Status.OPEN}
    assert {i.addressed_to for i in issues} == {"the incoming GMG Chair as well as future Chairs"}
    assert not any(re.search(r"(;|; and|\.)$", i.text) for i in issues)


def test_deadlines_are_kept_in_the_seeds_words(gmg):
    issues = CarryForwardIssue.objects.exclude(due_date=None, due_note="")

    assert [(i.number, i.due_date, i.due_note) for i in issues] == [
        (6, D(2015, 3, 31), "within the first quarter of 2015"),
        (7, None, "ahead of the first GMG Principals' meeting in 2015"),
    ]
    assert "World Meteorological Organization (WMO)" in issues[0].text


# --- Narratives ------------------------------------------------------------------------------------


def _narratives() -> dict[str, str]:
    ilo = _ilo()
    texts = {
        "introduction": ilo.introduction,
        "workplan_narrative": ilo.workplan_narrative,
        "handover_narrative": ilo.handover_narrative,
    }
    texts.update({f"accomplishment {a.number}": a.narrative for a in ilo.accomplishments.all()})
    return texts


def test_the_introduction_keeps_the_theme_in_bold(gmg):
    introduction = _ilo().introduction

    assert introduction.startswith("The International Labour Organization (ILO) held the Chair of the Global")
    assert f'**"{THEME}"**' in introduction
    assert f'<strong>"{THEME}"</strong>' in render_markdown(introduction)


def test_links_of_the_seed_point_at_portal_pages_or_are_plain_text(gmg):
    slugs = set(WorkingGroup.objects.values_list("slug", flat=True))
    links = []
    for name, text in _narratives().items():
        assert "](#)" not in text, name
        links += re.findall(r"\]\(([^)]*)\)", text)

    assert sorted(links) == ["/working-groups/data-and-research/", "/working-groups/migration-human-rights-and-gender/"]
    assert {re.fullmatch(r"/working-groups/([a-z0-9-]+)/", link).group(1) for link in links} <= slugs
    html = render_markdown(_ilo().accomplishments.get(number=1).narrative)
    assert '<a href="/working-groups/data-and-research/"' in html


def test_narratives_hold_prose_only_not_what_the_report_generates(gmg):
    texts = _narratives()
    everything = "\n".join(texts.values())

    # Footnote markers of the extracted text and the footnote ¹ on section II's heading.
    assert not re.search("[¹²]", everything)
    assert "See Annex B" not in everything
    # Lists generated from records: recommendations, events, focus areas, objectives, issues.
    assert "Recommendation 1" not in everything
    assert "Side event on" not in everything
    assert "Greater multi-stakeholder cooperation, coordination and coherence" not in everything
    assert "Objective 1" not in everything
    assert "Oversee implementation of the GMG MAWP" not in everything
    assert "From ESCAP's Chairmanship" not in everything
    assert "Institutionalize dedicated GMG briefings" not in everything


def test_the_workplan_narrative_refers_to_the_generated_mawp_footnote(gmg):
    narrative = _ilo().workplan_narrative

    assert "its two overarching objectives,[^mawp] and the ongoing work" in narrative
    assert "[^mawp]:" not in narrative
    assert narrative.startswith('Under the theme of, "Advancing Strategic Cooperation')
    # The paragraph the seed splits around its footnote is whole again.
    assert "the labour rights of migrant workers. In addition to more inclusive" in narrative
    assert narrative.endswith("as well as by the GMG Support Team.")


def test_narratives_keep_the_text_around_the_lists(gmg):
    texts = _narratives()

    assert texts["accomplishment 2"].count("\n\n") == 3
    assert (
        "made several proposals and key strategic recommendations, specifically:\n\nThe report also"
        in (texts["accomplishment 2"])
    )
    assert (
        "was invited to participate in, including the following:\n\nThe Chair, in coordination with the GMG "
        in (texts["accomplishment 4"])
    )
    assert "an initial teleconference meeting on 14 April 2014" in texts["accomplishment 4"]
    assert texts["handover_narrative"].startswith("The last working level meeting of the GMG in 2014 was held on")
    assert texts["handover_narrative"].endswith(
        "warrant the attention of the incoming GMG Chair as well as future Chairs:"
    )
    assert (
        "UNHCR High Commissioner's Dialogue on Protection Challenges, which was focused in 2014"
        in (texts["accomplishment 5"])
    )
    assert texts["accomplishment 6"].endswith("in coordination with UNICEF and UNESCO and a range of other partners.")


@pytest.mark.parametrize(
    ("number", "events", "outputs", "groups"),
    [
        (
            1,
            {"Technical Working Level Meeting on Realizing Post-2015 Aspirations for Migrants and Migration"},
            {COMMUNIQUE, "Including migrants in the post-2015 UN Development Agenda"},
            {"data-and-research", "migration-human-rights-and-gender"},
        ),
        # The sessions that considered the HLCP/CEB report are its endorsements, not events.
        (2, set(), {HLCP_REPORT, SEED_OUTPUTS[3][0]}, set()),
        (
            3,
            {"GMG Principals' Meeting"},
            {HLCP_REPORT},
            {"mainstreaming-migration-into-national-development-strategies"},
        ),
        (
            4,
            {
                "Good Practices for Empowering Migrant Domestic Workers",
                "Migration and Youth: Challenges and Opportunities",
                "GFMD Special Session on Enhancing Coordination between the GFMD and the United Nations System",
                "Fair Migration and the Sustainable Post-2015 Development Agenda",
                "Launch of the Turkish GFMD Chairmanship",
                "Debate on International Migration and Development",
                "The Global Migration Group: Work, Priorities and Future Directions",
            },
            set(),
            set(),
        ),
        (5, {"GMG Principals' Meeting"}, {SEED_OUTPUTS[5][0]}, set()),
        (6, {SEED_EVENTS[-1][0]}, {"Migration and Youth: Challenges and Opportunities"}, set()),
    ],
)
def test_accomplishments_link_what_their_narrative_mentions(gmg, number, events, outputs, groups):
    accomplishment = Accomplishment.objects.get(chairmanship__slug="2014-ilo", number=number)

    assert {e.title for e in accomplishment.events.all()} == events
    assert {o.title for o in accomplishment.outputs.all()} == outputs
    assert {g.slug for g in accomplishment.working_groups.all()} == groups


def test_only_the_accomplishment_whose_list_the_seed_prints_lists_its_records(gmg):
    # §II.4 alone lists its events ("including the following:"); every other narrative names its records itself.
    listing = Accomplishment.objects.filter(chairmanship__slug="2014-ilo", list_linked_records=True)

    assert list(listing.values_list("number", flat=True)) == [4]


def test_principals_meetings_are_linked_by_their_dates(gmg):
    linked = {
        a.number: [e.start_date for e in a.events.all()] for a in Accomplishment.objects.filter(number__in=[3, 5])
    }

    assert linked == {3: [D(2014, 7, 8)], 5: [D(2014, 11, 19)]}


# --- Loading ---------------------------------------------------------------------------------------


def test_every_record_passes_model_validation(gmg):
    # loaddata saves raw: full_clean() catches choice values, country codes and lengths it would let through.
    checked = 0
    for model in DOMAIN_MODELS:
        for record in model.objects.all():
            record.full_clean()
            checked += 1

    rows = json.loads(GMG_JSON.read_text(encoding="utf-8"))
    assert checked == len(rows)  # every row of the file is in the database, and nothing else


def test_loading_twice_updates_the_same_rows(gmg):
    before = _table_counts()
    Event.objects.filter(title="Launch of the Turkish GFMD Chairmanship").update(city="Ankara")

    call_command("loaddata", "gmg", verbosity=0)

    assert _table_counts() == before
    assert Event.objects.get(title="Launch of the Turkish GFMD Chairmanship").city == "New York"


def test_the_fixture_loads_with_the_postgresql_constraints_on(gmg, postgres_only):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'chairmanship_chairmanship'::regclass AND contype = 'x'"
        )
        exclusion = [row[0] for row in cursor.fetchall()]
    assert "chairmanship_terms_do_not_overlap" in exclusion

    # With the real history in place, a term overlapping ILO's is refused by the database itself.
    overlapping = Chairmanship(
        slug="2014-iom", agency=Agency.objects.get(acronym="IOM"), start_date=D(2014, 6, 1), end_date=D(2014, 6, 30)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        overlapping.save()
