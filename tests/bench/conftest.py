"""Benchmarks run only when asked for (`make bench` = `pytest tests/bench -s`), never in the default suite.

Every benchmark adds rows to one table (`bench_table`), printed at the end of
the run with each figure, its target and whether the target is met; a bench
with a table of its own (the throughput bench) adds it to `bench_reports`,
printed before. The datasets are SQLite files made at most once per run, when
first read, in the run's temporary folder: the real data (1×), the real data
with 100× its events, and the real data with the 40-term synthetic history
(`generate_history --terms 40 --events-per-term 500 --seed 1`).
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.bench.harness import Dataset
from tests.bench.harness import build_dataset
from tests.bench.harness import collect_static

BENCH_DIR = Path(__file__).resolve().parent
_TABLE_KEY = pytest.StashKey[list]()
_REPORTS_KEY = pytest.StashKey[list]()


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


@pytest.fixture(scope="session")
def bench_reports(request) -> list:
    """Objects with a `lines()` method: tables of their own (the throughput bench's), printed before the main one."""
    return request.config.stash.setdefault(_REPORTS_KEY, [])


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    for report in config.stash.get(_REPORTS_KEY, []):
        terminalreporter.write_sep("=", report.title)
        for line in report.lines():
            terminalreporter.write_line(line)
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


class Datasets(Mapping[str, Dataset]):
    """real (fixtures/gmg.json), x100 (100× its events), history (40 terms × 500 events), each built when first read.

    A run of one bench file (the throughput bench reads real and history) builds only the datasets it uses.
    """

    def __init__(self, folder: Path, static_root: Path) -> None:
        self.folder, self.static_root = folder, static_root
        self.built: dict[str, Dataset] = {}

    def _build(self, name: str) -> Dataset:
        if name == "real":
            return build_dataset("real", self.folder, self.static_root)
        if name == "x100":
            real = self["real"]
            # 4 terms of about 25 × (real events) more: at least 100× the real record in all.
            per_term = -(-99 * real.events // 4)
            return build_dataset("x100", self.folder, self.static_root, terms=4, events_per_term=per_term)
        if name == "history":
            return build_dataset("history", self.folder, self.static_root, terms=40, events_per_term=500)
        raise KeyError(name)

    def __getitem__(self, name: str) -> Dataset:
        if name not in self.built:
            self.built[name] = self._build(name)
        return self.built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(("real", "x100", "history"))

    def __len__(self) -> int:
        return 3


@pytest.fixture(scope="session")
def datasets(bench_folder: Path, static_root: Path) -> Datasets:
    return Datasets(bench_folder, static_root)


@pytest.fixture
def scratch_copy(tmp_path):
    """A copy of a dataset for a probe that edits it."""

    def copy(dataset: Dataset) -> Dataset:
        path = tmp_path / dataset.path.name
        shutil.copyfile(dataset.path, path)
        return dataclasses.replace(dataset, path=path)

    return copy
