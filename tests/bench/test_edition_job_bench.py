"""Marking a term final queues its edition and returns at once; a worker stores it at the cost of its renderings.

Prints figures into the bench table (run with `make bench`). Measured on the
500-event synthetic term of the history dataset, through the API as the
secretariat: the request's time (target under 0.5 s: it renders nothing),
and the time from marking final to a stored edition — the request, then the
job as a worker runs it — against the sum of the same renderings made one by
one (each language's HTML and PDF; target at most 1.2×: reading the data once,
storing, and the job's bookkeeping cost little beside rendering).
"""

from __future__ import annotations

from tests.bench.harness import run_probe


def test_marking_final_and_storing_the_edition(datasets, scratch_copy, bench_table):
    dataset = scratch_copy(datasets["history"])
    figures = run_probe(dataset.env(), "mark_final", dataset.final_slug)
    label = f"history: {dataset.final_slug} ({dataset.final_events} ev.)"
    request, to_stored, renderings = figures["request"], figures["to_stored"], figures["renderings"]

    bench_table.add("(f) mark final through the API, request s", label, f"{request:.3f}", "< 0.5", request < 0.5)
    bench_table.add(
        f"(f) sum of the edition's renderings ({figures['languages']} languages, HTML + PDF), s",
        label,
        f"{renderings:.1f}",
    )
    bench_table.add("(f) mark final → edition stored, s", label, f"{to_stored:.1f}")
    bench_table.add(
        "(f) mark final → stored / sum of renderings",
        label,
        f"{to_stored / renderings:.2f}",
        "≤ 1.2",
        to_stored / renderings <= 1.2,
    )
