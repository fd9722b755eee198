"""The French and Spanish catalogs: complete, faithful to their placeholders, current, and compilable."""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

from gmg_portal import compile_messages
from tests.conftest import require_service

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["fr", "es"]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdr]|%[sdr]")


def _catalog(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))


def _entries(language: str) -> list[polib.POEntry]:
    return [entry for entry in _catalog(language) if not entry.obsolete]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language: str) -> None:
    entries = _entries(language)
    assert len(entries) > 300, "the catalog should hold the whole interface"
    untranslated = [entry.msgid for entry in entries if not entry.translated()]
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    empty_forms = [entry.msgid for entry in entries if entry.msgid_plural and not all(entry.msgstr_plural.values())]
    assert untranslated == []
    assert fuzzy == []
    assert empty_forms == []
    assert not _catalog(language).metadata_is_fuzzy


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language: str) -> None:
    """A translation that drops or renames %(chair)s would raise KeyError (a 500) or lose the value."""
    wrong = []
    for entry in _entries(language):
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            if sorted(PLACEHOLDER.findall(translation)) != expected and not (
                # A singular form may say "one" instead of the count, as long as it names nothing else.
                entry.msgid_plural and set(PLACEHOLDER.findall(translation)) <= set(expected)
            ):
                wrong.append((entry.msgid, translation))
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_are_not_left_in_english(language: str) -> None:
    """Interface labels that read the same in English are rare; these are the only ones allowed."""
    same_everywhere = {
        "PDF",
        "Markdown.",
        "%(record)s",
        "Page",
        "Pages",
        "Notes",
        "Communiqué",
        "Session",
        "Source",
        "Date",
        "Publication",
        "Debate",
        "Troika",
        "Final",
        "Conference",
        "Member",
        "version",
        "session",
        "date",
        "note",
        "description",
        "introduction",
        "migration",
        "ordinal",
        "Recommendation %(number)s (%(chair)s %(year)s)",
        "I. Introduction",
        "Total",
        "Dates",
        "HTML",
        "j F Y",
        "j F",
        "F Y",
        "error",
        "Participants",
        "participants",
        "Menu",
        "; ",  # between a list's items; French alone puts a space before the semicolon
        ":",  # after a label ({% colon %}); French alone puts a space before the colon
    }
    same = [
        entry.msgid
        for entry in _entries(language)
        if not entry.msgid_plural and entry.msgstr == entry.msgid and entry.msgid not in same_everywhere
    ]
    assert same == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_python_compiler_gives_the_catalog_msgfmt_gives(language: str, tmp_path: Path) -> None:
    """gmg_portal.compile_messages (used where GNU gettext is missing) gives the catalog msgfmt gives."""
    po_path = tmp_path / "django.po"
    shutil.copy(LOCALE_DIR / language / "LC_MESSAGES" / "django.po", po_path)
    ours = gettext.GNUTranslations(compile_messages.compile_po(po_path).open("rb"))

    reference_path = tmp_path / "reference.mo"
    _catalog(language).save_as_mofile(str(reference_path))
    reference = gettext.GNUTranslations(reference_path.open("rb"))
    assert ours._catalog == reference._catalog  # the whole catalog, key by key

    if shutil.which("msgfmt"):
        msgfmt_path = tmp_path / "msgfmt.mo"
        subprocess.run(["msgfmt", "--check", "-o", str(msgfmt_path), str(po_path)], check=True)
        by_msgfmt = gettext.GNUTranslations(msgfmt_path.open("rb"))
        # msgfmt rewrites the header (it drops POT-Creation-Date); every message is the same.
        assert _without_header(ours._catalog) == _without_header(by_msgfmt._catalog)
        assert ours.plural(2) == by_msgfmt.plural(2)

    assert ours.gettext("Carry-forward issues") == _catalog(language).find("Carry-forward issues").msgstr
    assert ours.ngettext("%(counter)s event", "%(counter)s events", 2) != "%(counter)s events"


def test_the_python_compiler_leaves_out_fuzzy_and_empty_entries(tmp_path: Path) -> None:
    po_path = tmp_path / "django.po"
    po_path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        '#, fuzzy\nmsgid "Events"\nmsgstr "Évènements"\n\n'
        'msgid "Reports"\nmsgstr ""\n\n'
        'msgctxt "menu"\nmsgid "Home"\nmsgstr ""\n"Accu"\n"eil"\n\n'
        'msgid "%(n)d day"\nmsgid_plural "%(n)d days"\nmsgstr[0] "%(n)d jour"\nmsgstr[1] "%(n)d jours"\n\n'
        '#~ msgid "Old"\n#~ msgstr "Ancien"\n',
        encoding="utf-8",
    )
    catalog = gettext.GNUTranslations(compile_messages.compile_po(po_path).open("rb"))
    assert catalog.gettext("Events") == "Events"
    assert catalog.gettext("Reports") == "Reports"
    assert catalog.pgettext("menu", "Home") == "Accueil"
    assert catalog.ngettext("%(n)d day", "%(n)d days", 1) == "%(n)d jour"
    assert catalog.ngettext("%(n)d day", "%(n)d days", 3) == "%(n)d jours"
    assert catalog.gettext("Old") == "Old"


def test_the_python_compiler_names_the_line_of_a_syntax_error(tmp_path: Path) -> None:
    po_path = tmp_path / "broken.po"
    po_path.write_text('msgid "Events"\nmsgstr "Évènements"\nÉvènements\n', encoding="utf-8")
    with pytest.raises(OSError, match=r"broken\.po \(line 3\)"):
        compile_messages.compile_po(po_path)
    assert not po_path.with_suffix(".mo").exists()


def test_the_catalogs_hold_every_string_the_code_marks(tmp_path: Path) -> None:
    """makemessages on a copy of the source finds no msgid the committed catalogs lack."""
    require_service("GNU gettext (xgettext)", shutil.which("xgettext") is not None, "apt-get install gettext")
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    for name in ("manage.py", "pyproject.toml"):
        shutil.copy(base / name, copy / name if copy.exists() else _mkdir(copy) / name)
    # Every project app (a folder with apps.py), whatever apps are added later, plus templates and catalogs.
    apps = sorted(path.parent.name for path in base.glob("*/apps.py"))
    for folder in ["gmg_portal", *apps, "templates", "locale", "fixtures", "static"]:
        if not (base / folder).is_dir() or (copy / folder).exists():
            continue
        shutil.copytree(base / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "-l", "es", "--no-obsolete", "-v0"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "gmg_portal.settings", "PYTHONPATH": str(copy)},
    )
    for language in LANGUAGES:
        fresh = polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / "django.po"))
        committed = {(entry.msgctxt, entry.msgid) for entry in _entries(language)}
        new = sorted(entry.msgid for entry in fresh if (entry.msgctxt, entry.msgid) not in committed)
        assert new == [], f"run makemessages and translate these {language} entries"
        # Nothing in the extracted copy is left untranslated or fuzzy either.
        assert [entry.msgid for entry in fresh if not entry.translated() and not entry.obsolete] == []


# The names makemessages has xgettext look for (Django's keywords and xgettext's own for Python).
TRANSLATION_CALLS = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


def _project_modules() -> list[tuple[str, ast.Module]]:
    base = Path(settings.BASE_DIR)
    apps = sorted(path.parent.name for path in base.glob("*/apps.py"))
    return [
        (str(source.relative_to(base)), ast.parse(source.read_text(), filename=str(source)))
        for folder in ["gmg_portal", *apps]
        for source in sorted((base / folder).rglob("*.py"))
        if "migrations" not in source.parts
    ]


def test_no_string_is_marked_for_translation_inside_an_f_string() -> None:
    """xgettext does not look inside f-strings: a string marked there never reaches the catalogs, and French and
    Spanish readers get it in English (the Spanish report's dates lost their "de" that way)."""
    hidden = [
        f"{name}:{call.lineno}"
        for name, module in _project_modules()
        for node in ast.walk(module)
        if isinstance(node, ast.JoinedStr)
        for call in ast.walk(node)
        if isinstance(call, ast.Call) and getattr(call.func, "id", None) in TRANSLATION_CALLS
    ]
    assert hidden == []


def test_translation_functions_keep_names_the_extractor_knows() -> None:
    """`gettext as t` hides every string marked with t() from makemessages: the dashboard's charts were English
    on French and Spanish pages."""
    renamed = [
        f"{name}:{node.lineno} {alias.name} as {alias.asname}"
        for name, module in _project_modules()
        for node in ast.walk(module)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.asname and alias.asname not in TRANSLATION_CALLS
    ]
    assert renamed == []


def _without_header(catalog: dict) -> dict:
    return {key: value for key, value in catalog.items() if key != ""}


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True)
    return path
