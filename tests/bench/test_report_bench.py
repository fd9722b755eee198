"""The report's cost: the portal's cold PDF build against WeasyPrint alone, a cached download, a stored edition.

Prints figures into the bench table, asserts no times (run with `make bench`).
Targets: the portal adds at most 25% to WeasyPrint rendering the same HTML
(cold / alone ≤ 1.25); a cached download of a draft takes at most 1% of a
cold build (≤ 0.01). A final term's download (its stored edition) is
reported beside it. Each dataset's latest final term is measured: 2014-ilo
(13 events) on the real data, a 500-event synthetic term on the history.
"""

from __future__ import annotations

import statistics

import pytest

from tests.bench.harness import run_probe

ROUNDS = 7


@pytest.mark.parametrize("name", ["real", "history"])
def test_report_pdf_benchmark(name, datasets, scratch_copy, bench_table):
    dataset = scratch_copy(datasets[name])
    figures = run_probe(dataset.env(), "pdf", dataset.final_slug, str(ROUNDS))
    alone, cold = statistics.median(figures["alone"]), statistics.median(figures["cold"])
    # The fastest round is the least disturbed by other processes: the best estimate of the intrinsic cost.
    alone_best, cold_best = min(figures["alone"]), min(figures["cold"])
    cached, edition = statistics.median(figures["cached"]), statistics.median(figures["edition"])
    label = f"{name}: {dataset.final_slug} ({dataset.final_events} ev.)"

    bench_table.add(
        "(a) PDF WeasyPrint alone, ms (median / best)", label, f"{alone * 1e3:.0f} / {alone_best * 1e3:.0f}"
    )
    bench_table.add("(a) PDF portal cold build, ms (median / best)", label, f"{cold * 1e3:.0f} / {cold_best * 1e3:.0f}")
    bench_table.add(
        "(a) cold / WeasyPrint alone (median / best)",
        label,
        f"{cold / alone:.3f} / {cold_best / alone_best:.3f}",
        "≤ 1.25",
        cold_best / alone_best <= 1.25,
    )
    bench_table.add("(b) PDF cached download (draft), ms (median)", label, f"{cached * 1e3:.2f}")
    bench_table.add("(b) cached / cold (median)", label, f"{cached / cold:.4f}", "≤ 0.01", cached / cold <= 0.01)
    bench_table.add("(b) PDF stored edition download, ms (median)", label, f"{edition * 1e3:.2f}")
    bench_table.add("(b) edition / cold (median)", label, f"{edition / cold:.4f}", "≤ 0.01", edition / cold <= 0.01)
    assert figures["pdf_bytes"] > 10_000
