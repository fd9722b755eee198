"""python manage.py build_report <slug> --format pdf|html --output FILE

python manage.py build_report --all DIR [--include-drafts]: every term's report
(final ones; drafts too with --include-drafts) as PDF and HTML into DIR, with a
progress line per term and a summary (count, failures, time).
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from chairmanship.models import Chairmanship
from reports.pdf import render_report_pdf
from reports.pdf import report_print_html
from reports.selectors import assemble_report


class Command(BaseCommand):
    help = "Write the annual report of a term as PDF or as standalone HTML."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", nargs="?", help="The term's slug, e.g. 2014-ilo.")
        parser.add_argument("--format", choices=["pdf", "html"], default="pdf", dest="output_format")
        parser.add_argument("--output", help="The file to write (with a slug).")
        parser.add_argument("--all", dest="all_dir", metavar="DIR", help="Build every term's PDF and HTML into DIR.")
        parser.add_argument("--include-drafts", action="store_true", help="With --all: drafts too, not only finals.")

    def handle(self, *args, slug: str | None, output_format: str, output: str | None, **options) -> None:
        if options.get("all_dir"):
            if slug or output:
                raise CommandError("all: give either --all DIR or a slug with --output, not both.")
            self.build_all(Path(options["all_dir"]), include_drafts=options["include_drafts"])
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
        report = assemble_report(chairmanship=chairmanship)
        path = Path(output)
        if not path.parent.exists():
            raise CommandError(f"output: the folder {path.parent} does not exist.")
        if output_format == "pdf":
            _, _, content = render_report_pdf(report)
            path.write_bytes(content)
        else:
            path.write_text(report_print_html(report), encoding="utf-8")
        self.stdout.write(f"Wrote the {output_format.upper()} report of {slug} to {path}")

    def build_all(self, folder: Path, *, include_drafts: bool) -> None:
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
            try:
                report = assemble_report(chairmanship=term)
                filename, _, content = render_report_pdf(report)
                (folder / filename).write_bytes(content)
                (folder / filename.replace(".pdf", ".html")).write_text(report_print_html(report), encoding="utf-8")
            except Exception as exc:  # one broken term must not stop the others; it is counted and named
                failures.append(term.slug)
                self.stderr.write(f"[{index}/{len(terms)}] {term.slug}: FAILED ({type(exc).__name__}: {exc})")
            else:
                self.stdout.write(f"[{index}/{len(terms)}] {term.slug}: {filename} ({time.monotonic() - began:.1f} s)")
        elapsed = time.monotonic() - started
        built = len(terms) - len(failures)
        summary = f"Built {built} of {len(terms)} reports into {folder} in {elapsed:.1f} s; {len(failures)} failed"
        self.stdout.write(summary + (f": {', '.join(failures)}." if failures else "."))
        if failures:
            raise CommandError(f"all: {len(failures)} report(s) failed: {', '.join(failures)}.")
