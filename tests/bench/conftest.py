"""Benchmarks run only when asked for (`make bench` = `pytest tests/bench -s`), never in the default suite.

Every benchmark adds rows to one table (`bench_table`), printed at the end of
the run with each figure, its target and whether the target is met. The
datasets are SQLite files made once per run in the run's temporary folder:
the real data (1×), the real data with 100× its events, and the real data
with the 40-term synthetic history (`generate_history --terms 40
--events-per-term 500 --seed 1`).
"""

from __future__ import annotations

import dataclasses
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.bench.harness import Dataset
from tests.bench.harness import build_dataset
from tests.bench.harness import collect_static

BENCH_DIR = Path(__file__).resolve().parent
_TABLE_KEY = pytest.StashKey[list]()


def _asked_for(config) -> bool:
    for arg in config.args:
        path = Path(arg.split("::")[0]).resolve()
        if path == BENCH_DIR or BENCH_DIR in path.parents:
            return True
    return False


def pytest_collection_modifyitems(config, items):
    if _asked_for(config):
        return
    benches = [item for item in items if BENCH_DIR in Path(str(item.fspath)).resolve().parents]
    if benches:
        config.hook.pytest_deselected(items=benches)
        items[:] = [item for item in items if item not in benches]


@dataclass(frozen=True)
class Row:
    measure: str
    dataset: str
    figure: str
    target: str
    met: bool | None  # None: no target, reported only


class BenchTable:
    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows

    def add(self, measure: str, dataset: str, figure: str, target: str = "—", met: bool | None = None) -> None:
        self.rows.append(Row(measure, dataset, figure, target, met))


@pytest.fixture(scope="session")
def bench_table(request) -> BenchTable:
    return BenchTable(request.config.stash.setdefault(_TABLE_KEY, []))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    rows = config.stash.get(_TABLE_KEY, [])
    if not rows:
        return
    headers = ("measure", "dataset", "figure", "target", "met")
    cells = [(r.measure, r.dataset, r.figure, r.target, {True: "yes", False: "NO", None: ""}[r.met]) for r in rows]
    widths = [max(len(str(c[i])) for c in [headers, *cells]) for i in range(len(headers))]
    terminalreporter.write_sep("=", "benchmarks (machine: 2 cores, shared)")
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    terminalreporter.write_line(line)
    terminalreporter.write_line("-" * len(line))
    for cell in cells:
        terminalreporter.write_line("  ".join(str(c).ljust(w) for c, w in zip(cell, widths, strict=True)))
    missed = sum(1 for r in rows if r.met is False)
    terminalreporter.write_line(f"{len(rows)} figures, {missed} target(s) missed")


@pytest.fixture(scope="session")
def bench_folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("bench")


@pytest.fixture(scope="session")
def static_root(bench_folder: Path) -> Path:
    root = bench_folder / "static"
    collect_static(root)
    return root


@pytest.fixture(scope="session")
def datasets(bench_folder: Path, static_root: Path) -> dict[str, Dataset]:
    """real (1×: 16 events), x100 (100× the events), history (40 terms × 500 events)."""
    real = build_dataset("real", bench_folder, static_root)
    # 4 terms × 4 × (real events) more: 100× the real record in all.
    per_term = (100 * real.events - real.events) // 4
    return {
        "real": real,
        "x100": build_dataset("x100", bench_folder, static_root, terms=4, events_per_term=per_term),
        "history": build_dataset("history", bench_folder, static_root, terms=40, events_per_term=500),
    }


@pytest.fixture
def scratch_copy(tmp_path):
    """A copy of a dataset for a probe that edits it."""

    def copy(dataset: Dataset) -> Dataset:
        path = tmp_path / dataset.path.name
        shutil.copyfile(dataset.path, path)
        return dataclasses.replace(dataset, path=path)

    return copy
