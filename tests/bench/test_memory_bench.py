"""Peak memory of one PDF build, in a fresh process: its peak RSS before and after the build, and tracemalloc."""

from __future__ import annotations

import pytest

from tests.bench.harness import run_probe


@pytest.mark.parametrize("name", ["real", "history"])
def test_pdf_build_peak_memory(name, datasets, scratch_copy, bench_table):
    dataset = scratch_copy(datasets[name])
    figures = run_probe(dataset.env(), "memory", dataset.final_slug)
    label = f"{name}: {dataset.final_slug} ({dataset.final_events} ev.)"
    bench_table.add(
        "(e) PDF build: peak RSS, MiB (process before → peak)",
        label,
        f"{figures['rss_before_mib']:.0f} → {figures['rss_peak_mib']:.0f}",
    )
    bench_table.add("(e) PDF build: Python allocations peak, MiB", label, f"{figures['python_peak_mib']:.1f}")
    assert figures["rss_peak_mib"] >= figures["rss_before_mib"]
