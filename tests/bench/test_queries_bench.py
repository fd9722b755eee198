"""Queries per page at 1× and 100× the data, and on the 40-term history: the counts must not grow.

Each page is requested once to reach its steady state (editions published,
caches filled), then counted, signed in, rendered afresh as after any change
of the records (the draft's cached PDF: served from the cache). The term
pages are measured on each dataset's latest final term (its stored
edition), then as a draft.
"""

from __future__ import annotations

from tests.bench.harness import run_probe


def _rows(bench_table, counts: dict[str, dict[str, int]], label: str) -> None:
    for page in next(iter(counts.values())):
        figures = [counts[name][page] for name in counts]
        bench_table.add(
            f"(d) queries {page}", label, " / ".join(str(n) for n in figures), "equal", len(set(figures)) == 1
        )


def test_query_counts_do_not_grow_with_the_data(datasets, scratch_copy, bench_table):
    # The same term (2014-ilo, 13 events) in 1×, 100× and the 40-term history: the lists grow around it.
    counts = {}
    for name in ("real", "x100", "history"):
        dataset = scratch_copy(datasets[name])
        counts[name] = run_probe(dataset.env(), "queries", "2014-ilo")
    sizes = " / ".join(str(datasets[n].events) for n in ("real", "x100", "history"))
    _rows(bench_table, counts, f"2014-ilo; 1× / 100× / history ({sizes} ev.)")
    # A synthetic term of 400 events (100×) against one of 500 in the 40-term history: the term's own data grows.
    synthetic = {}
    for name in ("x100", "history"):
        dataset = scratch_copy(datasets[name])
        synthetic[name] = run_probe(dataset.env(), "queries", dataset.final_slug)
    terms = " / ".join(f"{datasets[n].final_slug} {datasets[n].final_events} ev." for n in ("x100", "history"))
    _rows(bench_table, synthetic, f"synthetic terms ({terms})")
    assert datasets["x100"].events >= 100 * datasets["real"].events
