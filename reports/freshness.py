"""A report's version, remembered while the data is unchanged, so that a cached PDF download assembles nothing.

Keyed on the data generation (gmg_portal/cache.py: `while_unchanged`), the
version of a term's report in a language (its fingerprint and last change) is
remembered: a download whose PDF is cached then costs a cache read or two
instead of assembling the whole report (~25 queries). Any change to a record
the report can show moves the generation on, so the next download computes
the version afresh.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from gmg_portal.cache import while_unchanged

VERSION_TIMEOUT = 60 * 60 * 24 * 30


@dataclass(frozen=True)
class ReportVersion:
    """What the PDF view needs to answer without assembling the report: its ETag and Last-Modified."""

    fingerprint: str
    last_modified: datetime.datetime | None


def report_version_remembered(*, slug: str, language: str, generation: int | None) -> ReportVersion | None:
    place = while_unchanged("report-version", slug, language, generation=generation) if generation else None
    return place.get() if place else None


def report_version_remember(*, slug: str, language: str, generation: int | None, version: ReportVersion) -> None:
    place = while_unchanged("report-version", slug, language, generation=generation) if generation else None
    if place:
        place.set(version, VERSION_TIMEOUT)
