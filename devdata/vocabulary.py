"""The words and places the synthetic history is made of: agencies, working groups, topics, titles."""

from __future__ import annotations

import datetime

from chairmanship.models import Agency
from workplan.models import Event
from workplan.models import Output
from workplan.models import WorkingGroup

AGENCIES = [
    # (letter, name, kind, membership status)
    ("A", "Synthetic Agency for Labour Mobility", Agency.Kind.UN_ENTITY, Agency.MembershipStatus.MEMBER),
    ("B", "Synthetic Office for Refugees", Agency.Kind.UN_ENTITY, Agency.MembershipStatus.MEMBER),
    (
        "C",
        "Synthetic Organization for Migration",
        Agency.Kind.INTERNATIONAL_ORGANIZATION,
        Agency.MembershipStatus.MEMBER,
    ),
    ("D", "Synthetic Fund for Children", Agency.Kind.UN_ENTITY, Agency.MembershipStatus.MEMBER),
    (
        "E",
        "Synthetic Economic Commission for the North",
        Agency.Kind.REGIONAL_COMMISSION,
        Agency.MembershipStatus.MEMBER,
    ),
    (
        "F",
        "Synthetic Economic Commission for the South",
        Agency.Kind.REGIONAL_COMMISSION,
        Agency.MembershipStatus.MEMBER,
    ),
    ("G", "Synthetic Development Programme", Agency.Kind.UN_ENTITY, Agency.MembershipStatus.MEMBER),
    ("H", "Synthetic Office on Drugs and Crime", Agency.Kind.UN_ENTITY, Agency.MembershipStatus.MEMBER),
    ("I", "Synthetic Human Rights Office", Agency.Kind.UN_ENTITY, Agency.MembershipStatus.MEMBER),
    ("J", "Synthetic Population Fund", Agency.Kind.UN_ENTITY, Agency.MembershipStatus.MEMBER),
    ("K", "Synthetic Bank for Development", Agency.Kind.INTERNATIONAL_ORGANIZATION, Agency.MembershipStatus.MEMBER),
    ("L", "Synthetic Institute for Training", Agency.Kind.UN_ENTITY, Agency.MembershipStatus.MEMBER),
    ("M", "Synthetic Maritime Organization", Agency.Kind.UN_ENTITY, Agency.MembershipStatus.NON_MEMBER),
    ("N", "Synthetic Permanent Mission", Agency.Kind.GOVERNMENT, Agency.MembershipStatus.NON_MEMBER),
]
# The last two are partners, never chairs.
CHAIR_LETTERS = [letter for letter, *_ in AGENCIES[:12]]

WORKING_GROUPS = [
    ("data-and-research", "Synthetic Working Group on Data and Research", WorkingGroup.Kind.WORKING_GROUP),
    ("human-rights-and-gender", "Synthetic Working Group on Human Rights and Gender", WorkingGroup.Kind.WORKING_GROUP),
    (
        "migration-and-development",
        "Synthetic Working Group on Migration and Development",
        WorkingGroup.Kind.WORKING_GROUP,
    ),
    ("decent-work", "Synthetic Working Group on Decent Work and Labour Mobility", WorkingGroup.Kind.WORKING_GROUP),
    ("capacity-building", "Synthetic Working Group on Capacity Building", WorkingGroup.Kind.WORKING_GROUP),
    ("crisis-response", "Synthetic Task Force on Migrants in Crisis", WorkingGroup.Kind.TASK_FORCE),
    ("climate-mobility", "Synthetic Task Force on Climate and Human Mobility", WorkingGroup.Kind.TASK_FORCE),
]

TOPICS = [
    "labour migration",
    "migration and development",
    "remittances",
    "children on the move",
    "climate-induced displacement",
    "migration data",
    "the human rights of migrants",
    "trafficking in persons",
    "smuggling of migrants",
    "diaspora engagement",
    "the recognition of skills",
    "migrant health",
    "return and reintegration",
    "women migrant workers",
    "migration governance",
    "fair recruitment",
    "refugee protection",
    "integration in cities",
    "portable social protection",
    "migrants in crisis situations",
]

PLACES = [
    ("Geneva", "CH"),
    ("New York", "US"),
    ("Stockholm", "SE"),
    ("Bangkok", "TH"),
    ("Addis Ababa", "ET"),
    ("Santiago", "CL"),
    ("Beirut", "LB"),
    ("Vienna", "AT"),
    ("Rome", "IT"),
    ("Paris", "FR"),
    ("Nairobi", "KE"),
    ("Dhaka", "BD"),
    ("Manila", "PH"),
    ("Istanbul", "TR"),
    ("Brussels", "BE"),
    ("Marrakech", "MA"),
    ("Quito", "EC"),
    ("Dakar", "SN"),
]

VENUES = ["Palais des Nations", "UN Headquarters", "Conference Centre", "UN House", "Town Hall", ""]

EVENT_TITLES = {
    Event.Kind.SIDE_EVENT: "Side event on {topic}",
    Event.Kind.MEETING: "Technical meeting on {topic}",
    Event.Kind.BRIEFING: "Briefing to Member States on {topic}",
    Event.Kind.LAUNCH: "Launch of the report on {topic}",
    Event.Kind.DEBATE: "Panel debate on {topic}",
    Event.Kind.TELECONFERENCE: "Teleconference on {topic}",
    Event.Kind.CONFERENCE: "International conference on {topic}",
    Event.Kind.OTHER: "Consultation on {topic}",
}
EVENT_KIND_WEIGHTS = {
    Event.Kind.SIDE_EVENT: 5,
    Event.Kind.MEETING: 6,
    Event.Kind.BRIEFING: 3,
    Event.Kind.LAUNCH: 2,
    Event.Kind.DEBATE: 2,
    Event.Kind.TELECONFERENCE: 3,
    Event.Kind.CONFERENCE: 2,
    Event.Kind.OTHER: 1,
}
# What the chair did at a synthetic event; like the real record, some events say nothing of it.
CHAIR_ROLE_WEIGHTS = {
    Event.ChairRole.UNSPECIFIED: 2,
    Event.ChairRole.CONVENED: 6,
    Event.ChairRole.CO_CONVENED: 2,
    Event.ChairRole.PARTICIPATED: 2,
}

OUTPUT_TITLES = {
    Output.Kind.COMMUNIQUE: "Joint communiqué on {topic}",
    Output.Kind.REPORT: "Report on {topic}",
    Output.Kind.POSITION_PAPER: "Position paper on {topic}",
    Output.Kind.PUBLICATION: "Handbook on {topic}",
    Output.Kind.STATEMENT: "Joint statement on {topic}",
    Output.Kind.OTHER: "Briefing note on {topic}",
}

ISSUE_TEXTS = [
    "Review the GMG's working methods on {topic}",
    "Survey member agencies on {topic}",
    "Finalize the joint paper on {topic} and disseminate it",
    "Promote closer coordination with the Global Forum on {topic}",
    "Take stock of existing efforts on {topic}",
    "Institutionalize briefings to Member States on {topic}",
    "Develop draft guidance for country teams on {topic}",
    "Support the development of indicators on {topic}",
]
ADDRESSEES = ["Incoming chair", "GMG Principals", "GMG Focal Points", "Working groups", ""]


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def roman(n: int) -> str:
    numerals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, letters in numerals:
        while n >= value:
            out += letters
            n -= value
    return out


def month_name(date: datetime.date) -> str:
    return f"{date:%B %Y}"
