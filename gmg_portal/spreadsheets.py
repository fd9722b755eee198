"""Spreadsheet cells that cannot run as formulas (the OWASP "CSV injection" rule), in one place.

A spreadsheet program opening a CSV or XLSX file runs a cell whose text
starts with `=`, `+`, `-` or `@` as a formula (and one starting with a tab
or a carriage return, which it skips before looking): a title such as
`=HYPERLINK("http://evil.example","Click")` typed into the portal would
become a live link, or worse, on the computer of whoever opens an export.
Every export of the portal writes such text with a leading apostrophe,
which spreadsheets read as "this cell is text"; every import removes it
again, so a file exported and imported back changes nothing.

The rule is exact both ways: `restore_formula(neutralise_formula(text)) ==
text` for every text. To keep it so, text that already starts with
apostrophes followed by one of those characters (`'=x`) gets one apostrophe
more on export; text with an apostrophe before anything else (`'quoted`) is
left alone both ways.

This module is part of the core: it imports nothing from the domain apps.
"""

from __future__ import annotations

from typing import TypeVar

# The characters a spreadsheet program treats as the start of a formula.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
APOSTROPHE = "'"

Value = TypeVar("Value")


def _starts_a_formula(text: str) -> bool:
    """True when the text, after any apostrophes it starts with, starts with a formula character."""
    return text.lstrip(APOSTROPHE).startswith(FORMULA_PREFIXES)


def neutralise_formula(value: Value) -> Value | str:
    """The value as an export writes it: text a spreadsheet would run as a formula gets a leading apostrophe.

    Anything that is not text (numbers, dates, None) is returned unchanged:
    a spreadsheet shows those as values, never runs them.
    """
    if isinstance(value, str) and _starts_a_formula(value):
        return APOSTROPHE + value
    return value


def restore_formula(value: Value) -> Value | str:
    """The value as an import reads it: the apostrophe `neutralise_formula` added is removed.

    Only an apostrophe standing before a formula character is removed, so
    `'=SUM(A1)` reads as `=SUM(A1)` (the text, stored as text: the portal never
    evaluates it) while `'quoted` stays `'quoted`.
    """
    if isinstance(value, str) and value.startswith(APOSTROPHE) and _starts_a_formula(value):
        return value[len(APOSTROPHE) :]
    return value
