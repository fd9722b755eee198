"""build_report --all DIR: every term's report as PDF and HTML, a progress line per term and a summary.

The final terms made here have no stored edition (no worker ran): --live builds them from their records.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError
from django.core.management import call_command
from pypdf import PdfReader

from chairmanship.models import Chairmanship
from tests.factories import ChairmanshipFactory


def build(*args: str) -> str:
    out = io.StringIO()
    call_command("build_report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def terms(db) -> list[Chairmanship]:
    return [
        ChairmanshipFactory(report_status=Chairmanship.ReportStatus.FINAL),
        ChairmanshipFactory(report_status=Chairmanship.ReportStatus.FINAL),
        ChairmanshipFactory(),  # a draft
    ]


def test_all_builds_every_final_report_with_progress_and_a_summary(terms, tmp_path):
    output = build("--all", str(tmp_path), "--live")

    lines = output.strip().splitlines()
    assert re.fullmatch(
        rf"\[1/2\] {terms[0].slug}: gmg-chairmanship-report-{terms[0].slug}\.pdf \(\d+\.\d s\)", lines[0]
    )
    assert lines[1].startswith(f"[2/2] {terms[1].slug}: ")
    assert re.fullmatch(rf"Built 2 of 2 reports into {tmp_path} in \d+\.\d s; 0 failed\.", lines[2])
    for term in terms[:2]:
        reader = PdfReader(tmp_path / f"gmg-chairmanship-report-{term.slug}.pdf")
        assert term.agency.name in reader.metadata.title
        html = (tmp_path / f"gmg-chairmanship-report-{term.slug}.html").read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>")
    assert not (tmp_path / f"gmg-chairmanship-report-{terms[2].slug}.pdf").exists()


def test_include_drafts_builds_the_drafts_too(terms, tmp_path):
    output = build("--all", str(tmp_path), "--include-drafts", "--live")

    assert "Built 3 of 3 reports" in output
    assert (tmp_path / f"gmg-chairmanship-report-{terms[2].slug}.pdf").exists()


def test_all_refuses_a_missing_folder_and_mixed_arguments(terms, tmp_path):
    with pytest.raises(CommandError, match="all: the folder .* does not exist"):
        build("--all", str(tmp_path / "missing"))
    with pytest.raises(CommandError, match="all: give either --all DIR or a slug"):
        build(terms[0].slug, "--all", str(tmp_path))
    with pytest.raises(CommandError, match="output: the --output FILE to write is required"):
        build(terms[0].slug)
    with pytest.raises(CommandError, match="slug: name a term"):
        build()


def test_all_without_live_names_each_final_term_that_has_no_stored_edition(terms, tmp_path):
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"all: 2 report\(s\) failed"):
        call_command("build_report", "--all", str(tmp_path), stdout=io.StringIO(), stderr=err)

    for term in terms[:2]:
        assert (
            f"{term.slug}: FAILED (edition: {term.slug} is final but no edition of it is stored yet" in err.getvalue()
        )
        assert not (tmp_path / f"gmg-chairmanship-report-{term.slug}.pdf").exists()
