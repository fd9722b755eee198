"""Benchmarks run only when asked for (`make bench` = `pytest tests/bench -s`), never in the default suite."""

from __future__ import annotations

from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


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
