"""The portal's system checks: a server or a worker does not start on what would spoil what it serves."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.checks import Error
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from gmg_portal.checks import translations_compiled


def _catalog(root: Path, language: str, *, compiled: bool) -> Path:
    folder = root / language / "LC_MESSAGES"
    folder.mkdir(parents=True)
    source = folder / "django.po"
    source.write_text('msgid ""\nmsgstr ""\n')
    if compiled:
        source.with_suffix(".mo").write_bytes(b"")
    return source


def test_a_language_without_its_compiled_catalog_stops_the_server_and_the_worker(settings, tmp_path):
    # A worker would otherwise store a final report's French edition in English, for good.
    _catalog(tmp_path, "fr", compiled=False)
    _catalog(tmp_path, "es", compiled=True)
    settings.LOCALE_PATHS = [tmp_path]

    [problem] = translations_compiled()

    assert isinstance(problem, Error) and problem.id == "gmg_portal.E001"
    assert "fr catalog is not compiled" in problem.msg and "make messages" in problem.hint
    with pytest.raises(SystemCheckError, match="gmg_portal.E001"):
        call_command("check")  # what runserver, migrate and `manage.py worker` run before they start


def test_a_catalog_older_than_its_source_is_a_warning(settings, tmp_path):
    source = _catalog(tmp_path, "fr", compiled=True)
    _catalog(tmp_path, "es", compiled=True)
    compiled = source.with_suffix(".mo")
    os.utime(compiled, (source.stat().st_mtime - 60, source.stat().st_mtime - 60))
    settings.LOCALE_PATHS = [tmp_path]

    assert [problem.id for problem in translations_compiled()] == ["gmg_portal.W001"]


def test_the_portals_own_catalogs_are_compiled():
    # make run, make test and make worker compile them first.
    assert translations_compiled() == []
