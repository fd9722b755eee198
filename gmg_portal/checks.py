"""System checks of the portal's own: what must hold before a server or a worker starts.

Django runs them before `runserver`, `migrate` and the job worker (`manage.py worker`).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.checks import Error
from django.core.checks import Warning  # noqa: A004 - Django's name
from django.core.checks import register


@register()
def translations_compiled(app_configs=None, **kwargs) -> list:
    """Every language but the default has its catalog compiled, and not older than its source.

    Without the .mo file Django falls back to English without a word: a worker would store a final report's
    French and Spanish editions in English, for good (an edition is never rendered again).
    """
    found = []
    default = settings.LANGUAGE_CODE.split("-")[0]
    for code, _name in settings.LANGUAGES:
        if code.split("-")[0] == default:
            continue
        sources = [Path(folder) / code / "LC_MESSAGES" / "django.po" for folder in settings.LOCALE_PATHS]
        for source in (path for path in sources if path.exists()):
            compiled = source.with_suffix(".mo")
            if not compiled.exists():
                found.append(
                    Error(
                        f"The {code} catalog is not compiled: {compiled} is missing.",
                        hint="Run `make messages` (or `manage.py compilemessages`) before starting.",
                        id="gmg_portal.E001",
                    )
                )
            elif compiled.stat().st_mtime < source.stat().st_mtime:
                found.append(
                    Warning(
                        f"The {code} catalog is older than its source {source}: pages would miss the newest "
                        "translations.",
                        hint="Run `make messages` (or `manage.py compilemessages`).",
                        id="gmg_portal.W001",
                    )
                )
    return found
