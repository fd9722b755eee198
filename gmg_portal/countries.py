"""Country names as the United Nations writes them, in English, French and Spanish.

django-countries shows the ISO 3166 names (or common names: "Russia", "South
Korea", "Iran"), but the GMG's reports are UN documents: they use the short
names of the UN's country list. The table below is the only place the portal
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

from django.utils.functional import lazy
from django.utils.translation import get_language

# ISO 3166-1 alpha-2 code -> (English, French, Spanish) short name, as UNTERM gives it.
UN_SHORT_NAMES: dict[str, tuple[str, str, str]] = {
    "BN": ("Brunei Darussalam", "Brunéi Darussalam", "Brunei Darussalam"),
    "BO": ("Bolivia (Plurinational State of)", "Bolivie (État plurinational de)", "Bolivia (Estado Plurinacional de)"),
    "CD": (
        "Democratic Republic of the Congo",
        "République démocratique du Congo",
        "República Democrática del Congo",
    ),
    "CI": ("Côte d'Ivoire", "Côte d'Ivoire", "Côte d'Ivoire"),
    "CV": ("Cabo Verde", "Cabo Verde", "Cabo Verde"),
    "CZ": ("Czechia", "Tchéquie", "Chequia"),
    "FK": ("Falkland Islands (Malvinas)", "Îles Falkland (Malvinas)", "Islas Malvinas (Falkland)"),
    "FM": ("Micronesia (Federated States of)", "Micronésie (États fédérés de)", "Micronesia (Estados Federados de)"),
    "GB": (
        "United Kingdom of Great Britain and Northern Ireland",
        "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord",
        "Reino Unido de Gran Bretaña e Irlanda del Norte",
    ),
    "HK": (
        "China, Hong Kong Special Administrative Region",
        "Chine, région administrative spéciale de Hong Kong",
        "China, región administrativa especial de Hong Kong",
    ),
    "IR": ("Iran (Islamic Republic of)", "Iran (République islamique d')", "Irán (República Islámica del)"),
    "KP": (
        "Democratic People's Republic of Korea",
        "République populaire démocratique de Corée",
        "República Popular Democrática de Corea",
    ),
    "KR": ("Republic of Korea", "République de Corée", "República de Corea"),
    "LA": (
        "Lao People's Democratic Republic",
        "République démocratique populaire lao",
        "República Democrática Popular Lao",
    ),
    "MD": ("Republic of Moldova", "République de Moldova", "República de Moldova"),
    "MK": ("North Macedonia", "Macédoine du Nord", "Macedonia del Norte"),
    "MO": (
        "China, Macao Special Administrative Region",
        "Chine, région administrative spéciale de Macao",
        "China, región administrativa especial de Macao",
    ),
    "NL": ("Netherlands (Kingdom of the)", "Pays-Bas (Royaume des)", "Países Bajos (Reino de los)"),
    "PS": ("State of Palestine", "État de Palestine", "Estado de Palestina"),
    "RU": ("Russian Federation", "Fédération de Russie", "Federación de Rusia"),
    "SY": ("Syrian Arab Republic", "République arabe syrienne", "República Árabe Siria"),
    "SZ": ("Eswatini", "Eswatini", "Eswatini"),
    "TR": ("Türkiye", "Türkiye", "Türkiye"),
    "TZ": ("United Republic of Tanzania", "République-Unie de Tanzanie", "República Unida de Tanzanía"),
    "US": ("United States of America", "États-Unis d'Amérique", "Estados Unidos de América"),
    "VE": (
        "Venezuela (Bolivarian Republic of)",
        "Venezuela (République bolivarienne du)",
        "Venezuela (República Bolivariana de)",
    ),
    "VN": ("Viet Nam", "Viet Nam", "Viet Nam"),
}
LANGUAGE_COLUMNS = {"en": 0, "fr": 1, "es": 2}


def un_short_name(code: str) -> str:
    """The UN short name of a listed country in the active language (English for any other language)."""
    language = (get_language() or "en").split("-")[0]
    return UN_SHORT_NAMES[code][LANGUAGE_COLUMNS.get(language, 0)]


# Lazy, like django-countries' own names: the language is the one active when the name is shown, not at start-up.
_lazy_name = lazy(un_short_name, str)


def countries_override() -> dict[str, object]:
    """settings.COUNTRIES_OVERRIDE: each listed code's name, translated when it is shown."""
    return {code: _lazy_name(code) for code in UN_SHORT_NAMES}
