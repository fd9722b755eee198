"""Country names as the United Nations writes them, in English, French and Spanish.

django-countries shows the ISO 3166 names (or common names: "Russia", "South
Korea", "Iran"), but the GMG's reports are UN documents: they use the short
names of the UN's country list. The table un_short_names.csv is the only place the portal
says how a country is named; settings.COUNTRIES_OVERRIDE hands it to
django-countries, so every page, filter, form, export and the report read it.

Source: UNTERM, the United Nations terminology database (https://unterm.un.org,
"Country names"), which holds the short names of the standard country or area
list of the UN Statistics Division (M49, https://unstats.un.org/unsd/methodology/m49/)
in the six official languages. Only countries whose UN short name differs from
django-countries' name in at least one of our languages are listed; the rest
keep django-countries' (ISO) names and translations.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.utils.functional import lazy
from django.utils.translation import get_language

# ISO 3166-1 alpha-2 code -> {language: short name}, as UNTERM gives it. The table is data, kept beside this
# module as a CSV file (a column per language), so the secretariat can check it against UNTERM line by line.
with (Path(__file__).parent / "un_short_names.csv").open(encoding="utf-8", newline="") as table:
    UN_SHORT_NAMES: dict[str, dict[str, str]] = {row.pop("code"): row for row in csv.DictReader(table)}


def un_short_name(code: str) -> str:
    """The UN short name of a listed country in the active language (English for any other language)."""
    language = (get_language() or "en").split("-")[0]
    names = UN_SHORT_NAMES[code]
    return names.get(language, names["en"])


# Lazy, like django-countries' own names: the language is the one active when the name is shown, not at start-up.
_lazy_name = lazy(un_short_name, str)


def countries_override() -> dict[str, object]:
    """settings.COUNTRIES_OVERRIDE: each listed code's name, translated when it is shown."""
    return {code: _lazy_name(code) for code in UN_SHORT_NAMES}
