"""The template context of a report, for the web page and for the PDF."""

from __future__ import annotations

from reports.narrative import inline_footnotes
from reports.report_data import HTML
from reports.report_data import AnnualReport
from reports.report_data import Block


def _print_flow(blocks: list[Block], report: AnnualReport) -> list[Block]:
    """Footnote references replaced by the notes themselves, which the print stylesheet floats to the page foot."""
    notes = report.notes_by_number
    return [
        Block(kind=block.kind, html=inline_footnotes(block.html, notes=notes)) if block.kind == HTML else block
        for block in blocks
    ]


def report_context(report: AnnualReport, *, for_print: bool) -> dict:
    """What templates/reports/snippets/report_body.html needs; no query runs while it renders.

    The report is also `document`, what the page and print skeletons (reports/page_base.html,
    reports/print_base.html) read. An edition adds its `edition_number` and `edition_issued`.
    """
    if not for_print:
        return {
            "report": report,
            "document": report,
            "print": False,
            "introduction": report.introduction,
            "accomplishments_intro": report.accomplishments_intro,
            "accomplishments": [(item, item.flow) for item in report.accomplishments],
            "workplan": report.workplan,
            "handover": report.handover,
        }
    return {
        "report": report,
        "document": report,
        "print": True,
        "introduction": _print_flow(report.introduction, report),
        "accomplishments_intro": _print_flow(report.accomplishments_intro, report),
        "accomplishments": [(item, _print_flow(item.flow, report)) for item in report.accomplishments],
        "workplan": _print_flow(report.workplan, report),
        "handover": _print_flow(report.handover, report),
        "accomplishments_note": report.notes_by_number[report.accomplishments_note],
    }
