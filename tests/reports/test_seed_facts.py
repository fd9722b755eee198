"""The 2014 report, as the public reads it (the stored first edition, HTML and PDF), beside the seed.

The lists below are drawn by hand from `shared/seed/000_f276018610deea88.txt`
(the ILO's own 2014 report), not from the fixture or the code: a fact the
data or the report loses makes a test fail; so does anything the report says
that neither the seed nor the records state (a role for the chair, another
body's meeting among the GMG's activities, a recommendation printed twice).

The HTML and the PDF are those a worker stored as edition 1 (the
`gmg_published` dataset renders them once per test process); the PDF's text
is read back with pypdf once per module.
"""

from __future__ import annotations

import datetime
import html as html_lib
import io
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from pypdf import PdfReader

# Every fact of the seed, in its words (a few of its typing slips aside, quoted as the data corrects them).
SEED_FACTS = [
    # Cover and I. Introduction
    "International Labour Organization Chairmanship Report",
    "1 January – 31 December 2014",
    "held the Chair of the Global Migration Group (GMG) from 1 January 2014 to 31 December 2014",
    "Advancing Strategic Cooperation and Inclusiveness on Migration and Development: Towards the UN Post-2015 "
    "Development Agenda",
    # II. Key accomplishments
    "The key accomplishments of ILO's Chairmanship of the GMG in 2014 include the following:",
    "See Annex B for a comprehensive list of the GMG's activities and outputs in 2014.",
    "Influencing the deliberations and outcomes on migrants and migration related to the post-2015 development agenda",
    "Reporting on the GMG and UN system follow-up actions to the 2013 UN High-level Dialogue on International "
    "Migration and Development (HLD)",
    "Mainstreaming migration into UN Development Assistance Frameworks (UNDAFs), Delivering as One (DaO) initiatives "
    "and other development planning processes",
    "Closer cooperation and more regularized engagement with governments (particularly those participating in the "
    "GFMD)",
    "Initiating a GMG response to the issue of crisis-related migration and protection at sea",
    "Completion of the publication initiated under UNICEF's Chairmanship on Migration and Youth: Opportunities and "
    "Challenges",
    # II.1
    "Realizing the Inclusion of Migrants and Migration in the Post-2015 United Nations Development Agenda",
    "adopted by consensus, endorsed by GMG Principals and conveyed to the UN Secretary-General on 12 November 2014",
    "GMG Working Group on Data and Research",
    "Working Group on Migration, Human Rights and Gender",
    "position document on Including migrants in the post-2015 UN Development Agenda",
    "prepared by the GMG Working Group on Migration, Human Rights and Gender in May 2014",
    "Technical Working Level Meeting on Realizing Post-2015 Aspirations for Migrants and Migration in New York from "
    "16-17 October 2014",
    "Open Working Group (OWG) on Sustainable Development Goals (SDGs)",
    "UN Secretary-General's Synthesis report on the post-2015 development agenda",
    # II.2
    "in response to a request from the High-Level Committee on Programmes (HLCP) and UN Chief Executives Board (CEB)",
    "the NGO Committee on Migration",
    "Special Rapporteur on the Human Rights of Migrants, François Crépeau",
    "UN Secretary-General's eight-point agenda for action on migration and development",
    "Recommendation 1: Mainstream migration and the human rights of migrants into the activities of the UN System",
    "Recommendation 2: Emphasize the importance of the inclusion of migrants and migration into the post-2015 UN "
    "development agenda",
    "an annex proposing broader, area-specific recommendations",
    "The HLCP considered the report at its 27th session held in Santiago, Chile from 17-24 March 2014",
    "The CEB subsequently endorsed both at its first regular session held in Rome, Italy on 8 May 2014",
    "Follow-up by GMG agencies to the 2013 UN High-level Dialogue on International Migration and Development (HLD)",
    "Global Forum on Migration and Development (GFMD) Summit in Stockholm, Sweden from 14-16 May 2014",
    "HLD Declaration (A/68/L.5)",
    # II.3
    "subsequently endorsed by the GMG Principals at the Principals' Meeting on 8 July 2014",
    "GMG Working Group on Mainstreaming Migration into National Development Strategies",
    "migration-related targets and indicators that will be adopted in 2015 and 2016",
    # II.4
    "in particular para. 32",
    "greater engagement of workers' and employers' organizations in global migration debates",
    "convened/ co-convened or was invited to participate in",
    "an initial teleconference meeting on 14 April 2014",
    # II.5
    "19 November 2014 GMG Principals' Meeting",
    "a request from the International Maritime Organization (IMO) to collaborate with the GMG",
    "read-out of the discussion and decision to the Office of the UN Secretary-General",
    "UNHCR High Commissioner's Dialogue on Protection Challenges, which was focused in 2014 on Protection at Sea",
    "unique 18-member constituency",
    "(as set out in SDG target 10.7)",
    # II.6
    "initiated in 2011 under the GMG Chairmanship of UNICEF",
    "GMG publication on Migration and Youth: Challenges and Opportunities",
    "from a score of United Nations agencies",
    "launched on International Migrants' Day on 18 December 2014, in coordination with UNICEF and UNESCO",
    # III
    "centred around two key focus areas, namely:",
    "Greater multi-stakeholder cooperation, coordination and coherence on migration and development",
    "The post-2015 development agenda",
    "the GMG 2013-2015 Multi-Annual Work Plan (MAWP) and its two overarching objectives",
    "(i) Ensure effective GMG coordination and collaboration, as well as visibility and outreach towards member "
    "States and other stakeholders",
    "(ii) contribute to ensuring that migration is included in the post-2015 development agenda",
    "The five objectives are spelled out below:",
    "Objective 1: Promote closer coordination between the GMG and governments as well as greater opportunities for "
    "consultation and information sharing",
    "Objective 2: Strengthen collaboration between the GMG and representative employers' and workers' organizations "
    "and other stakeholders, including civil society organizations, UN entities and international organizations",
    "Objective 3: Identify opportunities for the cross-fertilization of experiences and good practices between the "
    "field and global levels of engagement and integrate these more closely with the GMG's work",
    "Objective 4: Increase GMG communication, visibility and information sharing, including in fostering greater "
    "multi-stakeholder engagement",
    "Objective 5: Oversee implementation of the GMG MAWP",
    "a dedicated core team of colleagues in Geneva and New York as well as by the GMG Support Team",
    # IV
    "Handover to the World Bank and proposed issues to be carried forward",
    "The last working level meeting of the GMG in 2014 was held on 16 December 2014",
    "officially came to an end on 31 December 2014",
    "From ESCAP's Chairmanship:",
    "GMG review and assessment, including the development of a 2016–2018 MAWP",
    "From IOM's Chairmanship:",
    "Survey of GMG agencies on the perceptions of migrants",
    "From ILO's Chairmanship:",
    "Continue to foster the creation of greater synergies in the work of the GMG Working Groups and Task Forces",
    "Promote closer coordination between the GMG and GFMD Troikas and the SRSG",
    "Finalize the GMG post-2015 discussion paper and disseminate the joint GMG communiqué",
    "membership application of the World Meteorological Organization (WMO)",
    "within the first quarter of 2015",
    "ahead of the first GMG Principals' meeting in 2015",
    "Institutionalize dedicated GMG briefings to governments, to take place at least once a year",
    "Enhance collaboration between the GMG and social partners and other stakeholders",
    "Build on the experiences of GMG member agencies with their respective national counterparts",
    "Develop draft guidance on migration for United Nations Development Assistance Frameworks (UNDAFs)",
    "Support the processes to develop migration indicators to measure the migration-related SDG targets",
    "Explore prospects for continued GMG engagement with the High-level Committee on Programmes (HLCP)",
    "possible translation of the GMG website and materials into French and Spanish as well as other languages",
]

# §II.4's bullets: each line of the generated list carries what the seed's bullet carries. The first fact starts
# the line; the others follow before the next line starts.
SEED_BULLETS = [
    ("Side event: Good Practices for Empowering Migrant Domestic Workers", "GFMD Civil Society Days (CSDs)",
     "Stockholm", "13 May 2014"),
    ("Side event: Migration and Youth: Challenges and Opportunities", "GFMD Summit", "Stockholm", "15 May 2014"),
    ("Meeting: GFMD Special Session on Enhancing Coordination between the GFMD and the United Nations System",
     "Secretary-General (SRSG) for International Migration, Mr Peter Sutherland", "GMG and GFMD troikas",
     "GFMD Summit", "Stockholm", "16 May 2014"),
    ("Side event: Fair Migration and the Sustainable Post-2015 Development Agenda", "ECOSOC High-level segment",
     "Global Forum on Migration and Development", "Permanent Mission of Turkey to the UN", "New York", "9 July 2014"),
    ("Launch of the Turkish GFMD Chairmanship", "New York", "22 September 2014"),
    ("Debate on International Migration and Development", "69th session of the UN General Assembly", "New York",
     "27 October 2014"),
    ("Briefing: The Global Migration Group: Work, Priorities and Future Directions", "governments", "Geneva",
     "24 November 2014"),
]  # fmt: skip

RECOMMENDATIONS = [
    "Mainstream migration and the human rights of migrants into the activities of the UN System",
    "Emphasize the importance of the inclusion of migrants and migration into the post-2015 UN development agenda",
]

# Sessions of other bodies that considered the GMG's outputs (endorsements, never the GMG's own activities): the
# HLCP in Santiago, the CEB in Rome, the GFMD Summit in Stockholm. (The HLCP/CEB paper is the GMG's own output.)
OTHER_BODIES_MEETINGS = [
    "27th session",
    "High-Level Committee on Programmes",
    "regular session",
    "Chief Executives Board",
    "Santiago",
    "Rome",
    "Global Forum on Migration and Development (GFMD) Summit",
]


class _Text(HTMLParser):
    """The text a reader sees of an HTML fragment (no head, style or script), blocks apart."""

    BLOCKS = frozenset(
        "p li dt dd td th tr h1 h2 h3 h4 h5 h6 div section article header nav ul ol dl table caption br".split()
    )

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"head", "style", "script"}:
            self._skip += 1
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in {"head", "style", "script"}:
            self._skip -= 1
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def text_of(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


def _flat(text: str) -> str:
    """Text as a reader sees it: hyphenation and line breaks undone, spaces collapsed."""
    text = text.replace("\u2010\n", "").replace("-\n", "-")
    return re.sub(r"\s+", " ", text)


_PAGE_FURNITURE = re.compile(r"GMG Chairmanship Report — ILO · 1 January – 31 December 2014|Page \d+ of \d+|•")
_PDF_TEXT: dict[bytes, str] = {}


def pdf_text(content: bytes, *, notes: list[str]) -> str:
    """The PDF's text as read: no running header, page numbers or list bullets, and the footnotes (`notes`, the
    texts of notes 1, 2…), which the page sets at its foot, inside a sentence running on to the next page, moved
    to the end. Parsed once per module."""
    if content not in _PDF_TEXT:
        pages = []
        moved = []
        for page in PdfReader(io.BytesIO(content)).pages:
            text = _PAGE_FURNITURE.sub(" ", page.extract_text())
            for number, note in enumerate(notes, start=1):
                words = r"\s+".join(re.escape(word) for word in note.split())
                pattern = re.compile(rf"(?:^|\n){number}\.\s+{words}")
                if match := pattern.search(text):
                    moved.append(match.group(0))
                    text = text[: match.start()] + "\n" + text[match.end() :]
            pages.append(text)
        _PDF_TEXT[content] = _flat(" ".join([*pages, *moved]))
    return _PDF_TEXT[content]


@pytest.fixture
def published(gmg_published, client) -> tuple[str, str]:
    """The stored edition's HTML (the report's article) and its PDF's text, as an anonymous reader gets them."""
    page = client.get(reverse("reports:report-detail", kwargs={"slug": "2014-ilo"}))
    pdf = client.get(reverse("reports:report-pdf", kwargs={"slug": "2014-ilo"}))
    assert (page.status_code, pdf.status_code) == (200, 200)
    article = re.search(r'<article class="report.*</article>', page.content.decode(), re.S).group(0)
    notes = [text_of(note).rstrip(" ↩") for note in re.findall(r'<li id="fn-\d+"[^>]*>(.*?)</li>', article, re.S)]
    return article, pdf_text(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content, notes=notes)


def _section(markup: str, anchor: str, until: str | None = None) -> str:
    start = markup.index(f'id="{anchor}"')
    end = markup.index(f'id="{until}"', start) if until else len(markup)
    return markup[start:end]


def test_every_fact_of_the_seed_is_in_the_html_and_the_pdf(published):
    article, pdf = published
    text = text_of(article)

    missing_html = [fact for fact in SEED_FACTS if fact not in text]
    missing_pdf = [fact for fact in SEED_FACTS if fact not in pdf]

    assert missing_html == []
    assert missing_pdf == []


def test_each_event_line_carries_what_the_seeds_bullet_carries(published):
    article, pdf = published
    listed = _section(article, "accomplishment-4", "accomplishment-5")
    lines = [text_of(item) for item in re.findall(r'<li class="event">(.*?)</li>', listed, re.S)]
    assert len(lines) == len(SEED_BULLETS)
    for line, (lead, *facts) in zip(lines, SEED_BULLETS, strict=True):
        assert line.startswith(lead), line
        for fact in facts:
            assert fact.lower() in line.lower(), (fact, line)

    starts = [pdf.index(lead) for lead, *_ in SEED_BULLETS]
    assert starts == sorted(starts)  # in the seed's order
    for start, end, (_lead, *facts) in zip(starts, [*starts[1:], None], SEED_BULLETS, strict=True):
        line = pdf[start:end] if end else pdf[start : start + 400]
        for fact in facts:
            assert fact.lower() in line.lower(), (fact, line)


def test_no_role_is_printed_for_the_chair_where_none_is_recorded(published):
    # Only the technical meeting has a recorded role (the seed: "The GMG Chair convened…"), and no list shows it.
    article, pdf = published
    for text in (text_of(article), pdf):
        assert "the Chair:" not in text
        assert not re.search(r"\((?:[^()]*; )?the Chair", text)


def test_each_recommendation_is_printed_once_in_the_html_and_the_pdf(published):
    article, pdf = published
    text = text_of(article)
    for recommendation in RECOMMENDATIONS:
        assert text.count(recommendation) == 1, recommendation
        assert pdf.count(recommendation) == 1, recommendation
    # Once, under the accomplishment whose report made them (§II.2), with the endorsement trail once too.
    second = text_of(_section(article, "accomplishment-2", "accomplishment-3"))
    assert all(recommendation in second for recommendation in RECOMMENDATIONS)
    assert text.count("Endorsement trail of") == 1
    assert pdf.count("Endorsement trail of") == 1


def _day(cell: str) -> datetime.date:
    """The first day a date cell names: '16–17 October 2014', '30 April – 2 May 2014', 'May 2014'."""
    cell = cell.strip()
    if match := re.fullmatch(r"(\d+)–\d+ (\w+ \d{4})", cell):
        cell = f"{match.group(1)} {match.group(2)}"
    elif match := re.fullmatch(r"(\d+ \w+) – \d+ \w+ (\d{4})", cell):
        cell = f"{match.group(1)} {match.group(2)}"
    for pattern in ("%d %B %Y", "%B %Y"):
        try:
            return datetime.datetime.strptime(cell, pattern).date()  # noqa: DTZ007 - a calendar day
        except ValueError:
            continue
    raise AssertionError(f"not a date: {cell!r}")


def test_annex_b_is_in_date_order_with_only_dates_in_its_date_column(published):
    article, _ = published
    annex = _section(article, "annex-b", "notes")
    cells = [html_lib.unescape(cell) for cell in re.findall(r'<td class="annex-b__date">(.*?)</td>', annex, re.S)]

    days = [_day(cell) for cell in cells]  # every cell is a date
    assert days == sorted(days)
    assert len(days) == 13 + 3  # the GMG's 13 events and its 3 dated outputs ("May 2014" among them)
    # The outputs the seed gives no date for come last, under their own heading.
    undated = text_of(annex[annex.index('id="annex-b-undated"') :])
    assert "HLCP/CEB synthesis paper on UN system-wide follow-up to the HLD" in undated
    assert "presented at" not in text_of(annex)


def test_no_meeting_of_another_body_is_among_the_gmgs_activities(published):
    article, pdf = published
    annex = text_of(_section(article, "annex-b", "notes"))
    pdf_annex = pdf[pdf.rindex("Annex B. Activities and outputs") :]
    for words in OTHER_BODIES_MEETINGS:
        assert words not in annex
        assert words not in pdf_annex


def test_the_report_dates_itself_apart_from_its_edition(published):
    article, pdf = published
    text = text_of(article)
    assert "Report date 16 December 2014" in text  # the handover, as the seed dates it
    assert re.search(r"Edition 1, issued \d+ \w+ \d{4}\.", text)
    assert "Report date 16 December 2014" in pdf


def test_titles_the_dataset_composed_are_not_styled_as_formal_titles(published):
    article, _ = published
    # A formal title is cited; the titles built from the seed's words are plain text.
    assert "<cite>Debate on International Migration and Development</cite>" in article
    assert "Last working level meeting of the GMG in 2014: handover to the World Bank" in article
    assert "<cite>Last working level meeting" not in article
    assert "<cite>HLCP/CEB synthesis paper" not in article
