"""python manage.py build_report <slug> --format pdf|html --output FILE [--live]

python manage.py build_report --all DIR [--include-drafts] [--live]: every term's report
(final ones; drafts too with --include-drafts) as PDF and HTML into DIR, with a
progress line per term and a summary (count, failures, time).

A final report is written as the portal serves it: its latest stored edition
(the PDF byte for byte, the HTML article in a standalone page). A final term
whose first edition no worker has stored yet is an error naming the way out,
not a silent build from the live records: `--live` builds from the records as
they are now (which is what a draft always gets). The HTML is one
self-contained file (reports/standalone.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.utils import translation

from chairmanship.models import Chairmanship
from reports.editions import EditionNotReady
from reports.editions import rendering_served
from reports.pdf import pdf_filename
from reports.pdf import render_report_pdf
from reports.selectors import assemble_report
from reports.standalone import live_article
from reports.standalone import standalone_page


class NoEditionYet(Exception):
    """A final term without a stored edition, built without --live."""


@dataclass(frozen=True)
class Built:
    pdf: bytes | None
    html: str | None
    source: str  # "edition 1" or "the live records", for the line printed


def build(term: Chairmanship, *, formats: tuple[str, ...], live: bool) -> Built:
    """The term's report in `formats` ("pdf", "html"): its stored edition if final (unless `live`), else live."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if term.is_final and not live:
        try:
            rendering = rendering_served(chairmanship=term, language=language, content=("html", "pdf"))
        except EditionNotReady:
            raise NoEditionYet(
                f"edition: {term.slug} is final but no edition of it is stored yet (a worker renders edition 1: "
                f"make worker). Pass --live to build it from the records as they are now, which is not "
                f"what the portal serves."
            ) from None
        return Built(
            pdf=bytes(rendering.pdf) if "pdf" in formats else None,
            html=standalone_page(article_html=rendering.html, title=rendering.title, language=rendering.language)
            if "html" in formats
            else None,
            source=f"edition {rendering.edition.number}",
        )
    report = assemble_report(chairmanship=term)
    return Built(
        pdf=render_report_pdf(report)[2] if "pdf" in formats else None,
        html=standalone_page(article_html=live_article(report), title=report.title, language=report.language)
        if "html" in formats
        else None,
        source="the live records",
    )


class Command(BaseCommand):
    help = (
        "Write the annual report of a term as PDF or as a self-contained HTML file; a final report as its "
        "stored edition unless --live."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", nargs="?", help="The term's slug, e.g. 2014-ilo.")
        parser.add_argument("--format", choices=["pdf", "html"], default="pdf", dest="output_format")
        parser.add_argument("--output", help="The file to write (with a slug).")
        parser.add_argument("--all", dest="all_dir", metavar="DIR", help="Build every term's PDF and HTML into DIR.")
        parser.add_argument("--include-drafts", action="store_true", help="With --all: drafts too, not only finals.")
        parser.add_argument(
            "--live",
            action="store_true",
            help="Build a final report from the records as they are now instead of its stored edition.",
        )

    def handle(
        self, *args, slug: str | None, output_format: str, output: str | None, live: bool = False, **options
    ) -> None:
        if options.get("all_dir"):
            if slug or output:
                raise CommandError("all: give either --all DIR or a slug with --output, not both.")
            self.build_all(Path(options["all_dir"]), include_drafts=options["include_drafts"], live=live)
            return
        if not slug:
            raise CommandError("slug: name a term (e.g. 2014-ilo), or use --all DIR.")
        if not output:
            raise CommandError("output: the --output FILE to write is required with a slug.")
        try:
            chairmanship = Chairmanship.objects.get(slug=slug)
        except Chairmanship.DoesNotExist:
            known = ", ".join(Chairmanship.objects.order_by("start_date").values_list("slug", flat=True)[:30])
            raise CommandError(f"slug: no chairmanship {slug!r}. Known terms: {known or 'none'}.") from None
        path = Path(output)
        if not path.parent.exists():
            raise CommandError(f"output: the folder {path.parent} does not exist.")
        if path.is_dir():
            raise CommandError(f"output: {path} is a folder; name the file to write (or use --all {path}).")
        try:
            built = build(chairmanship, formats=(output_format,), live=live)
        except NoEditionYet as exc:
            raise CommandError(str(exc)) from None
        try:
            if output_format == "pdf":
                path.write_bytes(built.pdf)
            else:
                path.write_text(built.html, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"output: {path} could not be written ({exc.strerror or exc}).") from None
        self.stdout.write(f"Wrote the {output_format.upper()} report of {slug} ({built.source}) to {path}")

    def build_all(self, folder: Path, *, include_drafts: bool, live: bool) -> None:
        """Each term's PDF and HTML into `folder`; a failing term is reported and the others still built."""
        if not folder.is_dir():
            raise CommandError(f"all: the folder {folder} does not exist.")
        terms = Chairmanship.objects.order_by("start_date")
        if not include_drafts:
            terms = terms.published()
        terms = list(terms)
        started = time.monotonic()
        failures: list[str] = []
        for index, term in enumerate(terms, start=1):
            began = time.monotonic()
            filename = pdf_filename(term.slug)
            try:
                built = build(term, formats=("pdf", "html"), live=live)
                (folder / filename).write_bytes(built.pdf)
                (folder / filename.replace(".pdf", ".html")).write_text(built.html, encoding="utf-8")
            except Exception as exc:  # one broken term must not stop the others; it is counted and named
                failures.append(term.slug)
                reason = str(exc) if isinstance(exc, NoEditionYet) else f"{type(exc).__name__}: {exc}"
                self.stderr.write(f"[{index}/{len(terms)}] {term.slug}: FAILED ({reason})")
            else:
                self.stdout.write(f"[{index}/{len(terms)}] {term.slug}: {filename} ({time.monotonic() - began:.1f} s)")
        elapsed = time.monotonic() - started
        done = len(terms) - len(failures)
        summary = f"Built {done} of {len(terms)} reports into {folder} in {elapsed:.1f} s; {len(failures)} failed"
        self.stdout.write(summary + (f": {', '.join(failures)}." if failures else "."))
        if failures:
            raise CommandError(f"all: {len(failures)} report(s) failed: {', '.join(failures)}.")
