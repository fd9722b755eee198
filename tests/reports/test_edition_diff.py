"""data_diff(): what changed between two versions of a report's data, named as the admin's issue page lists it."""

from __future__ import annotations

import copy

from reports.edition_diff import data_diff

EVENT = {"id": 7, "title": "Launch of the Turkish GFMD Chairmanship", "organisers": ["ILO"]}
DATA = {
    "title": "GMG Chairmanship Report — ILO (2014)",
    "theme": "Migration and development",
    "introduction": [{"kind": "html", "html": "<p>The ILO held the Chair.</p>"}],
    "accomplishments": [
        {"number": 1, "title": "Influencing the post-2015 agenda", "events": [EVENT], "working_groups": []},
        {"number": 2, "title": "Reporting on the HLD", "events": [], "working_groups": ["Data"]},
    ],
    "annex_b": [
        {"kind": "event", "title": "Launch of the Turkish GFMD Chairmanship", "date": "2014-09-22"},
        {"kind": "event", "title": "GMG Principals' Meeting", "date": "2014-05-01"},
    ],
    "last_modified": "2014-12-31T00:00:00",
}


def changed(edit) -> list[tuple[str, str, str, str]]:
    new = copy.deepcopy(DATA)
    edit(new)
    return [(s.section, c.kind, c.where, c.what) for s in data_diff(DATA, new) for c in s.changes]


def test_the_same_data_has_no_changes_and_when_it_last_changed_is_not_content():
    assert data_diff(DATA, copy.deepcopy(DATA)) == []
    assert changed(lambda d: d.update(last_modified="2015-01-01T00:00:00")) == []


def test_a_changed_field_is_named_where_it_is_by_the_labels_of_its_items():
    def rename(data):
        data["accomplishments"][0]["events"][0]["title"] = "Launch of the GFMD Chairmanship of Türkiye"

    assert changed(rename) == [
        (
            "II. Key accomplishments",
            "changed",
            "accomplishments › 1. Influencing the post-2015 agenda › events › Launch of the Turkish GFMD Chairmanship",
            "title: Launch of the Turkish GFMD Chairmanship → Launch of the GFMD Chairmanship of Türkiye",
        )
    ]


def test_items_are_matched_by_identity_so_a_new_order_is_no_change():
    assert changed(lambda d: d["accomplishments"].reverse()) == []
    assert changed(lambda d: d["annex_b"].reverse()) == []


def test_an_annex_line_renamed_is_one_removed_and_one_added():
    assert changed(lambda d: d["annex_b"][0].update(title="Launch of the GFMD Chairmanship of Türkiye")) == [
        ("Annex B. Activities and outputs", "removed", "annex_b", "Launch of the Turkish GFMD Chairmanship"),
        ("Annex B. Activities and outputs", "added", "annex_b", "Launch of the GFMD Chairmanship of Türkiye"),
    ]


def test_items_added_and_removed_are_named_by_their_label():
    def edit(data):
        data["accomplishments"].pop(0)
        data["accomplishments"].append({"number": 3, "title": "A response to crises", "events": []})

    assert changed(edit) == [
        ("II. Key accomplishments", "removed", "accomplishments", "1. Influencing the post-2015 agenda"),
        ("II. Key accomplishments", "added", "accomplishments", "3. A response to crises"),
    ]


def test_a_narrative_and_a_list_of_values_change_as_one_value():
    def edit(data):
        data["introduction"].append({"kind": "html", "html": "<p>And more.</p>"})
        data["accomplishments"][1]["working_groups"].append("Human rights")

    assert changed(edit) == [
        ("I. Introduction", "changed", "", "introduction: The ILO held the Chair. → The ILO held the Chair. And more."),
        (
            "II. Key accomplishments",
            "changed",
            "accomplishments › 2. Reporting on the HLD",
            "working_groups: ['Data'] → ['Data', 'Human rights']",
        ),
    ]


def test_a_key_missing_on_one_side_reads_as_none_and_long_values_are_cut():
    assert changed(lambda d: d.pop("theme")) == [("Theme", "changed", "", "theme: Migration and development → None")]
    assert changed(lambda d: d.update(theme="x" * 200)) == [
        ("Theme", "changed", "", f"theme: Migration and development → {'x' * 119}…")
    ]


def test_a_part_a_later_version_of_the_report_added_is_no_change_while_it_is_empty():
    # Editions stored before the report printed "other recommendations" have no such key.
    assert changed(lambda d: d.update(other_recommendations=[])) == []
    assert changed(lambda d: d.update(other_recommendations=[{"number": 3, "text": "Meet twice a year"}])) == [
        (
            "II. Key accomplishments",
            "changed",
            "",
            "other_recommendations: None → [{'number': 3, 'text': 'Meet twice a year'}]",
        )
    ]


def test_sections_and_changes_come_in_reading_order():
    def edit(data):
        data["annex_b"].pop()
        data["theme"] = "A new theme"
        data["title"] = "A new title"

    assert [(section, kind) for section, kind, _where, _what in changed(edit)] == [
        ("Title", "changed"),
        ("Theme", "changed"),
        ("Annex B. Activities and outputs", "removed"),
    ]
