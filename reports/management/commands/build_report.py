"""python manage.py build_report <slug> --format pdf|html --output FILE"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chairmanship.models import Chairmanship
from reports.pdf import render_report_pdf, report_print_html
from reports.selectors import assemble_report


class Command(BaseCommand):
    help = "Write the annual report of a term as PDF or as standalone HTML."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", help="The term's slug, e.g. 2014-ilo.")
        parser.add_argument("--format", choices=["pdf", "html"], default="pdf", dest="output_format")
        parser.add_argument("--output", required=True, help="The file to write.")

    def handle(self, *args, slug: str, output_format: str, output: str, **options) -> None:
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
