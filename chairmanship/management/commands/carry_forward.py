"""python manage.py carry_forward <from-slug> <to-slug>"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from chairmanship.models import Chairmanship
from chairmanship.services import carry_forward_issues


def _term(slug: str, argument: str) -> Chairmanship:
    try:
        return Chairmanship.objects.get(slug=slug)
    except Chairmanship.DoesNotExist:
        known = ", ".join(Chairmanship.objects.order_by("start_date").values_list("slug", flat=True)[:30])
        raise CommandError(f"{argument}: no chairmanship {slug!r}. Known terms: {known or 'none'}.") from None


class Command(BaseCommand):
    help = (
        "Copy every open or in-progress carry-forward issue handed over in one term into a later term's list, "
        "each copy continuing the original. Running it again changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("from_slug", help="The term that hands the issues over, e.g. 2014-ilo.")
        parser.add_argument("to_slug", help="The later term that takes them on, e.g. 2015-wb.")

    def handle(self, *args, from_slug: str, to_slug: str, **options) -> None:
        source, target = _term(from_slug, "from"), _term(to_slug, "to")
        if target.start_date <= source.end_date:
            raise CommandError(
                f"to: {target.slug} starts on {target.start_date.isoformat()}, "
                f"not after {source.slug} ends ({source.end_date.isoformat()})."
            )
        try:
            result = carry_forward_issues(source=source, target=target)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(result.message)
