"""Delete the synthetic history made by generate_history, leaving every real record."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from devdata.records import SyntheticHistoryError
from devdata.records import synthetic_history_exists
from devdata.records import synthetic_history_remove


class Command(BaseCommand):
    help = (
        "Delete every synthetic record (SYN- agencies and their terms with everything they report, "
        "syn- working groups, [synthetic] work plans). Real records are left untouched."
    )

    def handle(self, *args, **options) -> None:
        if not synthetic_history_exists():
            self.stdout.write("No synthetic history to remove.")
            return
        try:
            counts = synthetic_history_remove(progress=self.stdout.write)
        except SyntheticHistoryError as error:
            raise CommandError(str(error)) from error
        summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Removed: {summary}."))
