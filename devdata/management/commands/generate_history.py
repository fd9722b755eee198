"""Fill the database with a synthetic chair history for benchmarks and load tests."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.core.management.base import CommandParser

from devdata.history import synthetic_history_generate
from devdata.records import SyntheticHistoryError


class Command(BaseCommand):
    help = (
        "Generate a deterministic synthetic history (terms from 2101 on, or after the latest existing term, "
        "chaired by SYN- agencies). Remove it with `manage.py remove_generated_history`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--terms", type=int, default=40, help="Number of terms (default 40).")
        parser.add_argument("--events-per-term", type=int, default=500, help="Events in each term (default 500).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed; the same seed gives the same data.")
        parser.add_argument(
            "--replace", action="store_true", help="Remove an existing synthetic history first instead of refusing."
        )

    def handle(self, *args, terms: int, events_per_term: int, seed: int, replace: bool, **options) -> None:
        started = time.monotonic()
        try:
            counts = synthetic_history_generate(
                terms=terms, events_per_term=events_per_term, seed=seed, replace=replace, progress=self.stdout.write
            )
        except SyntheticHistoryError as error:
            raise CommandError(str(error)) from error
        summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Generated in {time.monotonic() - started:.1f} s: {summary}."))
