"""The 2014 report as PDF, parsed with pypdf: structure, metadata, the cover, tagging, the embedded data, links,
and every fact of the seed report."""

from __future__ import annotations

import io
import json
import re

import pytest
from pypdf import PdfReader

from tests.reports.conftest import render_real_pdf
from tests.reports.conftest import render_real_report
from tests.reports.pdf_reading import associated_files
from tests.reports.pdf_reading import link_uris
from tests.reports.pdf_reading import pdfa_identification
from tests.reports.pdf_reading import structure_elements
from tests.reports.pdf_reading import structure_types
from tests.reports.pdf_reading import text_runs

# The PDFs are rendered once per module, by module fixtures. pytest-django creates the test database only
# for the collected tests that ask for one, so without this mark the file failed when run on its own.
pytestmark = pytest.mark.django_db

PUBLIC_URL = "https://gmg.example.org"

SECTIONS = [
    "I. Introduction",
    "II. Key accomplishments",
    "III. Workplan, objectives and thematic focus areas",
    "IV. Handover to the World Bank and proposed issues to be carried forward",
    "Annex A. Workplan",
    "Annex B. Activities and outputs",
]
ACCOMPLISHMENTS = [
    "Influencing the deliberations and outcomes on migrants and migration related to the post-2015 development agenda",
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


def _flat(text: str) -> str:
    """Text as a reader sees it: hyphenation and line breaks undone, spaces collapsed."""
    text = text.replace("\u2010\n", "").replace("-\n", "-")
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def ilo_rendered(django_db_setup, django_db_blocker) -> tuple[bytes, dict]:
    """The 2014 report built from the live records, with GMG_PUBLIC_URL set, and the data it shows."""
    return render_real_report(django_db_blocker, "2014-ilo", public_url=PUBLIC_URL)


@pytest.fixture(scope="module")
def ilo_pdf(ilo_rendered) -> PdfReader:
    return PdfReader(io.BytesIO(ilo_rendered[0]))


@pytest.fixture(scope="module")
def ilo_text(ilo_pdf: PdfReader) -> str:
    return _flat(" ".join(page.extract_text() for page in ilo_pdf.pages))


def _outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        if isinstance(item, list):
            titles.extend(_outline_titles(item))
        else:
            titles.append(item.title)
    return titles


def test_the_pdf_has_several_a4_pages(ilo_pdf):
    assert len(ilo_pdf.pages) > 1
    for page in ilo_pdf.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_every_section_and_annex_has_a_bookmark(ilo_pdf):
    top_level = [item.title for item in ilo_pdf.outline if not isinstance(item, list)]
    assert top_level == SECTIONS
    nested = _outline_titles(ilo_pdf.outline)
    for number, title in enumerate(ACCOMPLISHMENTS, start=1):
        assert f"{number}. {title}" in nested


def test_every_page_after_the_cover_says_page_x_of_y_and_carries_the_running_header(ilo_pdf):
    total = len(ilo_pdf.pages)
    for number, page in enumerate(ilo_pdf.pages[1:], start=2):
        text = page.extract_text()
        assert f"Page {number} of {total}" in text
        assert "GMG Chairmanship Report — ILO · 1 January – 31 December 2014" in text


def test_a_headings_footnote_call_is_set_as_a_superscript_of_the_heading(ilo_pdf):
    # Section II's heading carries the first footnote: its call inherited the note's small type and sat on the
    # heading's baseline, a speck a reader could miss.
    # The heading, not its line in the contents: the largest type that says it.
    runs, at = max(
        ((runs, i) for runs in map(text_runs, ilo_pdf.pages) for i, run in enumerate(runs)),
        key=lambda found: (found[0][found[1]][0] == "II. Key accomplishments", found[0][found[1]][1]),
    )
    heading, call = runs[at], runs[at + 1]
    assert call[0] == "1"
    assert call[1] >= 0.6 * heading[1]
    assert call[2] - heading[2] >= 0.3 * heading[1]


def test_the_cover_is_a_cover_with_the_report_date_and_no_running_header_or_footer(ilo_pdf):
    cover = _flat(ilo_pdf.pages[0].extract_text())
    assert "Page 1 of" not in cover and "Page " not in cover
    assert "GMG Chairmanship Report — ILO" not in cover
    assert cover.startswith("Global Migration Group International Labour Organization Chairmanship Report")
    # The report is dated by its handover (16 December 2014), not by the end of the term.
    assert "Report date 16 December 2014" in cover
    # Built from the live records, it says it is no issued edition (an edition's cover: tests/editions).
    assert "Issued Not issued: built from the records as they are now." in cover


def test_metadata_names_chair_term_and_language(ilo_pdf):
    meta = ilo_pdf.metadata
    assert meta.title == "GMG Chairmanship Report — International Labour Organization (1 January – 31 December 2014)"
    assert "International Labour Organization" in meta.author
    assert "Chairmanship of the Global Migration Group" in meta.subject
    assert "ILO" in meta["/Keywords"] and "2014" in meta["/Keywords"]
    assert ilo_pdf.trailer["/Root"]["/Lang"] == "en"


def test_the_pdf_is_pdf_a_3a(ilo_pdf):
    root = ilo_pdf.trailer["/Root"]
    assert pdfa_identification(ilo_pdf) == ("3", "A")
    assert "/OutputIntents" in root


def test_the_pdf_is_tagged_with_headings_lists_and_tables_in_its_language(ilo_pdf):
    root = ilo_pdf.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 - a pypdf BooleanObject, not the bool
    assert root["/Lang"] == "en"
    types = structure_types(ilo_pdf)
    # One title, then one H2 per section and annex plus the contents; an H3 per accomplishment and more.
    assert types.count("/H1") == 1
    assert types.index("/H1") < types.index("/H2")
    assert types.count("/H2") == len(SECTIONS) + 1  # and the contents
    assert types.count("/H3") >= len(ACCOMPLISHMENTS)
    # Lists: items with their labels and bodies (focus areas, objectives, issues, the contents).
    assert types.count("/L") >= 5 and types.count("/LI") >= 20 and "/LBody" in types and "/Lbl" in types
    # Annex A (the workplan) and Annex B are tables whose column headers are header cells that every data
    # cell points to (WeasyPrint tags the header row again where a table continues on the next page).
    assert types.count("/Table") >= 2 and "/THead" in types and "/Caption" in types
    elements = structure_elements(ilo_pdf)
    headers = [element for element in elements if element["/S"] == "/TH"]
    assert len(headers) >= 5 + 4  # Annex A's five columns, Annex B's four
    header_ids = {str(element["/ID"]) for element in headers}
    cells = [element for element in elements if element["/S"] == "/TD"]
    assert cells
    for cell in cells:
        named = {str(name) for name in cell["/A"]["/Headers"]}
        assert named and named <= header_ids


def test_the_pdf_carries_the_data_it_shows_as_its_source(ilo_pdf, ilo_rendered):
    _, data = ilo_rendered
    files = associated_files(ilo_pdf)
    assert list(files) == ["gmg-chairmanship-report-2014-ilo.json"]
    relationship, content = files["gmg-chairmanship-report-2014-ilo.json"]
    assert relationship == "/Source"
    assert json.loads(content) == json.loads(json.dumps(data, default=str))
    assert json.loads(content)["slug"] == "2014-ilo"
    # A reader's attachment pane lists it too.
    assert list(ilo_pdf.attachments) == ["gmg-chairmanship-report-2014-ilo.json"]


def test_the_contents_give_page_numbers(ilo_pdf):
    contents = _flat(ilo_pdf.pages[1].extract_text())
    assert "Contents" in contents
    for title in ("I. Introduction", "Annex B. Activities and outputs"):
        assert re.search(re.escape(title) + r" \.+ \d+", contents), title


def test_cover_and_introduction(ilo_text):
    assert "International Labour Organization Chairmanship Report" in ilo_text
    assert (
        "Advancing Strategic Cooperation and Inclusiveness on Migration and Development: Towards the UN "
        "Post-2015 Development Agenda" in ilo_text
    )
    assert "Report status Final" in ilo_text
    assert "DRAFT" not in ilo_text
    assert "held the Chair of the Global Migration Group (GMG) from 1 January 2014 to 31 December 2014" in ilo_text


def test_key_accomplishments_with_their_records(ilo_text):
    for title in ACCOMPLISHMENTS:
        assert _flat(title) in ilo_text
    assert (
        "Recommendation 1: Mainstream migration and the human rights of migrants into the activities of the "
        "UN System; and" in ilo_text
    )
    assert (
        "Recommendation 2: Emphasize the importance of the inclusion of migrants and migration into the "
        "post-2015 UN development agenda." in ilo_text
    )
    # The endorsement trail: HLCP in Santiago forwarded it, the CEB in Rome endorsed it.
    assert "HLCP, 27th session, Santiago, Chile, 17–24 March 2014: forwarded" in ilo_text
    assert "CEB, First regular session 2014, Rome, Italy, 8 May 2014: endorsed" in ilo_text
    # Accomplishment 4's side events, generated from records, with dates and places.
    assert (
        "Side event: Good Practices for Empowering Migrant Domestic Workers, GFMD Civil Society Days (CSDs), "
        "Stockholm, Sweden, 13 May 2014" in ilo_text
    )
    assert (
        "Briefing: The Global Migration Group: Work, Priorities and Future Directions, Geneva, Switzerland, "
        "24 November 2014, with governments" in ilo_text
    )


def test_footnotes_are_numbered_through_the_report(ilo_text):
    assert "II. Key accomplishments1" in ilo_text
    assert "1. See Annex B for a comprehensive list of the GMG's activities and outputs in 2014." in ilo_text
    assert "its two overarching objectives,2 and the ongoing work" in ilo_text
    assert (
        "2. (i) Ensure effective GMG coordination and collaboration, as well as visibility and outreach towards "
        "member States and other stakeholders; and (ii) contribute to ensuring that migration is included in the "
        "post-2015 development agenda." in ilo_text
    )
    assert "[^mawp]" not in ilo_text


def test_each_footnote_sits_at_the_foot_of_the_page_that_calls_it(ilo_pdf):
    pages = [_flat(page.extract_text()) for page in ilo_pdf.pages]
    calls = [
        ("II. Key accomplishments1", "1. See Annex B for a comprehensive list"),
        ("overarching objectives,2", "2. (i) Ensure effective GMG coordination"),
    ]
    for call, note in calls:
        [page] = [text for text in pages if call in text]
        assert note in page


def test_workplan_focus_areas_and_objectives(ilo_text):
    assert "a. Greater multi-stakeholder cooperation, coordination and coherence on migration and development; and" in (
        ilo_text
    )
    assert "b. The post-2015 development agenda." in ilo_text
    assert "Objective 1: Promote closer coordination between the GMG and governments" in ilo_text
    assert "Objective 5: Oversee implementation of the GMG MAWP" in ilo_text
    # The focus areas follow the paragraph that announces them, as in the seed.
    assert ilo_text.index("two key focus areas, namely:") < ilo_text.index("a. Greater multi-stakeholder")


def test_handover_and_every_carry_forward_group(ilo_text):
    assert "Incoming chair: World Bank (WB)" in ilo_text
    assert "Handover date: 16 December 2014" in ilo_text
    escap = ilo_text.index("From ESCAP's Chairmanship:")
    iom = ilo_text.index("From IOM's Chairmanship:")
    ilo = ilo_text.index("From ILO's Chairmanship:")
    assert escap < iom < ilo  # oldest origin first
    assert "GMG review and assessment, including the development of a 2016–2018 MAWP" in ilo_text[escap:iom]
    assert "Survey of GMG agencies on the perceptions of migrants" in ilo_text[iom:ilo]
    for issue in (
        "Continue to foster the creation of greater synergies",
        "Promote closer coordination between the GMG and GFMD Troikas and the SRSG",
        "Finalize the GMG post-2015 discussion paper and disseminate the joint GMG communiqué",
        "Address the question of GMG membership and alternative engagement mechanisms",
        "Take stock of all the existing efforts on crisis-related migration and protection at sea",
        "Institutionalize dedicated GMG briefings to governments",
        "Enhance collaboration between the GMG and social partners",
        "Build on the experiences of GMG member agencies",
        "Develop draft guidance on migration for United Nations Development Assistance Frameworks",
        "Support the processes to develop migration indicators",
        "Explore prospects for continued GMG engagement with the High-level Committee on Programmes",
        "Enhance GMG communication including the finalization of a comprehensive GMG communication strategy",
    ):
        assert issue in ilo_text[ilo:], issue


def test_annexes_list_the_workplan_and_every_event_in_date_order(ilo_pdf, ilo_text):
    # Annex A: the workplan's objectives in a table that says once that nothing is linked to them.
    annex_a = ilo_text.index(
        "Annex A. Workplan No activities, events or outputs are linked to the workplan's objectives."
    )
    annex_b = ilo_text.index("Annex B. Activities and outputs The GMG's activities and outputs in 2014")
    assert annex_a < annex_b
    assert "Objective 5: Oversee implementation of the GMG MAWP" in ilo_text[annex_a:annex_b]
    body = ilo_text[annex_b:]
    order = [
        "Initial teleconference meeting",
        "May 2014 Including migrants in the post-2015 UN Development Agenda",
        "Good Practices for Empowering Migrant Domestic Workers",
        "Technical Working Level Meeting on Realizing Post-2015 Aspirations",
        "Last working level meeting of the GMG in 2014",
        "Undated outputs",
        "HLCP/CEB synthesis paper on UN system-wide follow-up to the HLD",
    ]
    positions = [body.index(title) for title in order]
    assert positions == sorted(positions)


def test_links_in_narratives_are_kept_and_point_at_the_public_address(ilo_pdf):
    uris = link_uris(ilo_pdf)
    assert f"{PUBLIC_URL}/working-groups/data-and-research/" in uris
    assert not [uri for uri in uris if "localhost" in uri or not uri.startswith(("https://", "http://", "mailto:"))]


@pytest.fixture(scope="module")
def draft_pdf(django_db_setup, django_db_blocker) -> PdfReader:
    # 2015-wb is a draft with no records yet: it also shows the empty-term wording.
    return PdfReader(io.BytesIO(render_real_pdf(django_db_blocker, "2015-wb")))


def test_a_draft_carries_the_draft_mark_on_every_page(draft_pdf):
    assert len(draft_pdf.pages) > 1
    for page in draft_pdf.pages:
        assert "DRAFT" in page.extract_text()


def test_an_empty_term_says_so_in_every_section(draft_pdf):
    text = _flat(" ".join(page.extract_text() for page in draft_pdf.pages))
    assert "No key accomplishments have been recorded for this term." in text
    assert "No focus areas have been recorded for this term." in text
    assert "No objectives have been recorded for this term." in text
    assert "No issues to be carried forward have been recorded for this term." in text
    assert "No events or outputs have been recorded for this term." in text
    assert "Report status Draft" in text
