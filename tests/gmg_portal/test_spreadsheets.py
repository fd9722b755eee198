"""The formula rule for spreadsheet cells: neutralised on export, restored on import, exact both ways."""

from __future__ import annotations

import datetime

import pytest

from gmg_portal.spreadsheets import FORMULA_PREFIXES
from gmg_portal.spreadsheets import neutralise_formula
from gmg_portal.spreadsheets import restore_formula

FORMULAS = ('=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(1)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0")
TEXTS = ("Side event on remittances", "", "2014-ilo", "ILO;UN DESA", "'quoted", "'", "''", "Geneva -2", "a=b")


@pytest.mark.parametrize("first", FORMULA_PREFIXES)
def test_text_starting_with_a_formula_character_gets_a_leading_apostrophe(first):
    assert neutralise_formula(f"{first}SUM(A1)") == f"'{first}SUM(A1)"


@pytest.mark.parametrize("text", FORMULAS)
def test_formulas_people_type_are_neutralised(text):
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("value", [*TEXTS, None, 3, -2, 2.5, datetime.date(2014, 5, 8)])
def test_other_values_are_written_as_they_are(value):
    assert neutralise_formula(value) == value


def test_the_import_removes_the_apostrophe_only_before_a_formula_character():
    assert restore_formula("'=SUM(A1)") == "=SUM(A1)"
    assert restore_formula("'-2") == "-2"
    assert restore_formula("'quoted") == "'quoted"
    assert restore_formula("'") == "'"
    assert restore_formula("=SUM(A1)") == "=SUM(A1)"  # typed without the apostrophe: read as it is
    assert restore_formula(None) is None


@pytest.mark.parametrize("text", [*FORMULAS, *TEXTS, "'=already quoted", "''+1", "'\t"])
def test_every_text_comes_back_as_it_was(text):
    assert restore_formula(neutralise_formula(text)) == text
    assert not neutralise_formula(text).startswith(FORMULA_PREFIXES)
