"""The annual report of a term, assembled from records in a fixed number of queries.

`assemble_report()` is the one read the HTML page, the PDF, the
`build_report` command and the API share. It returns the plain dataclasses
of reports.report_data: templates read attributes and run no queries, and
`as_dict()` is the JSON of the whole report. The sections are built by
reports.assembly, one builder per section.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from chairmanship.models import Chairmanship
from gmg_portal.dates import dates_label
from gmg_portal.dates import day_label
from reports import assembly
from reports.labels import years_label
from reports.narrative import FootnoteCounter
from reports.report_data import AnnualReport
from reports.report_records import read_records

__all__ = ["AnnualReport", "assemble_report"]


def assemble_report(*, chairmanship: Chairmanship) -> AnnualReport:
    """Everything the report of `chairmanship` shows, in a fixed number of queries.

    Queries (whatever the number of records): 8 the events and outputs
    (read_records), 5 section II (assembly.accomplishments), 10 section III
    (assembly.workplan), 2 section IV (assembly.handover); each builder's
    docstring names its own.
    """
    term = chairmanship
    records = read_records(term)
    # Footnotes are numbered in reading order: the sections are built in that order.
    counter = FootnoteCounter()
    introduction = assembly.introduction(term, counter=counter)
    accomplishments = assembly.accomplishments(term, records=records, counter=counter)
    workplan = assembly.workplan(term, records=records, counter=counter)
    handover = assembly.handover(term, counter=counter)

    annex = assembly.annex_b(records)
    report_date = term.handover_date or term.end_date
    rows = (*records.rows, *accomplishments.rows, *workplan.rows, *handover.rows)
    chair = term.display_name
    term_text = dates_label(term.start_date, term.end_date)
    incoming = handover.incoming
    return AnnualReport(
        slug=term.slug,
        language=translation.get_language() or "en",
        chair=chair,
        chair_acronym=term.agency.acronym,
        chair_name=term.agency.name,
        term=term_text,
        start_date=term.start_date,
        end_date=term.end_date,
        years=years_label(term.start_date, term.end_date),
        theme=term.theme,
        status=term.report_status,
        status_label=term.get_report_status_display(),
        is_draft=not term.is_final,
        title=_("GMG Chairmanship Report — %(chair)s (%(term)s)") % {"chair": chair, "term": term_text},
        introduction=introduction,
        accomplishments_intro=accomplishments.intro,
        accomplishments_note=accomplishments.note,
        accomplishments=accomplishments.items,
        other_recommendations=accomplishments.others,
        workplan=workplan.flow,
        mawp=workplan.mawp,
        mawp_note=workplan.mawp_note,
        focus_areas=workplan.focus_areas,
        objectives=workplan.objectives,
        incoming_chair=incoming.display_name if incoming else "",
        incoming_chair_acronym=incoming.agency.acronym if incoming else "",
        incoming_term_slug=incoming.slug if incoming else "",
        handover_heading=handover.heading,
        handover_date=term.handover_date,
        handover_date_label=day_label(term.handover_date),
        handover=handover.flow,
        issue_groups=handover.issue_groups,
        annex_b=annex.dated,
        annex_b_undated=annex.undated,
        report_date=report_date,
        report_date_label=day_label(report_date),
        footnotes=list(counter.notes),
        last_modified=max([term.updated_at, *(row.updated_at for row in rows)]),
    )
