"""What changed between two versions of a report's data (AnnualReport.as_dict()), named for the admin's issue page.

DeepDiff compares the two versions; this module says only how the report's
data is read and how a change is named:

- an item of a list is the same item in both versions when it has the same
  identity (ITEM_KEYS: its id, else its number…; else its whole content),
  wherever it stands: a list's order is not a change;
- a narrative (blocks, each with its HTML) and a list of plain values are one
  value, shown as text;
- a change says where it is (the section's key, then each item's label) and
  what it is ("title: Old → New", or the label of the item added or removed).
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import Any

from deepdiff import DeepDiff
from deepdiff.helper import CannotCompare
from deepdiff.helper import notpresent
from deepdiff.model import DiffLevel
from deepdiff.operator import BaseOperatorPlus
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy

# Top-level keys of AnnualReport.as_dict() the diff names, in reading order.
SECTION_LABELS = {
    "title": gettext_lazy("Title"),
    "chair": gettext_lazy("Chair"),
    "chair_acronym": gettext_lazy("Chair"),
    "chair_name": gettext_lazy("Chair"),
    "term": gettext_lazy("Term"),
    "start_date": gettext_lazy("Term"),
    "end_date": gettext_lazy("Term"),
    "years": gettext_lazy("Term"),
    "theme": gettext_lazy("Theme"),
    "status": gettext_lazy("Report status"),
    "status_label": gettext_lazy("Report status"),
    "is_draft": gettext_lazy("Report status"),
    "language": gettext_lazy("Language"),
    "introduction": gettext_lazy("I. Introduction"),
    "accomplishments_intro": gettext_lazy("II. Key accomplishments"),
    "accomplishments_note": gettext_lazy("II. Key accomplishments"),
    "accomplishments": gettext_lazy("II. Key accomplishments"),
    "other_recommendations": gettext_lazy("II. Key accomplishments"),
    "workplan": gettext_lazy("III. Workplan, objectives and thematic focus areas"),
    "mawp": gettext_lazy("III. Workplan, objectives and thematic focus areas"),
    "mawp_note": gettext_lazy("III. Workplan, objectives and thematic focus areas"),
    "focus_areas": gettext_lazy("III. Workplan, objectives and thematic focus areas"),
    "objectives": gettext_lazy("III. Workplan, objectives and thematic focus areas"),
    "incoming_chair": gettext_lazy("IV. Handover"),
    "incoming_chair_acronym": gettext_lazy("IV. Handover"),
    "incoming_term_slug": gettext_lazy("IV. Handover"),
    "handover_heading": gettext_lazy("IV. Handover"),
    "handover_date": gettext_lazy("IV. Handover"),
    "handover_date_label": gettext_lazy("IV. Handover"),
    "handover": gettext_lazy("IV. Handover"),
    "issue_groups": gettext_lazy("IV. Handover"),
    "annex_b": gettext_lazy("Annex B. Activities and outputs"),
    "annex_b_undated": gettext_lazy("Annex B. Activities and outputs"),
    "report_date": gettext_lazy("Report date"),
    "report_date_label": gettext_lazy("Report date"),
    "footnotes": gettext_lazy("Notes"),
}
# Not content: when the data last changed says nothing about what the report shows.
IGNORED_KEYS = {"last_modified"}
# How items of a list are matched between the two versions, tried in order.
ITEM_KEYS = (
    ("id",),
    ("number",),
    ("letter",),
    ("origin_slug",),
    ("ordinal",),
    ("kind", "title", "date"),
    ("body", "session"),
)
MAX_VALUE = 120


@dataclass(frozen=True)
class Change:
    kind: str  # "added", "removed" or "changed"
    where: str  # e.g. "accomplishments › 2. Strengthening… › events › Launch of…"
    what: str  # e.g. "title: Old → New", or the label of the item added or removed


@dataclass
class SectionChanges:
    section: str
    changes: list[Change] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Change]:
        return [change for change in self.changes if change.kind == kind]

    @property
    def added(self) -> list[Change]:
        return self.of_kind("added")

    @property
    def removed(self) -> list[Change]:
        return self.of_kind("removed")

    @property
    def changed(self) -> list[Change]:
        return self.of_kind("changed")


def data_diff(old: dict[str, Any], new: dict[str, Any]) -> list[SectionChanges]:
    """Added, removed and changed items per section between two versions of as_dict(), in reading order."""
    tree = DeepDiff(
        old,
        new,
        view="tree",
        ignore_order=False,  # items are matched by identity (_same_item); a move is not a change
        iterable_compare_func=_same_item,
        custom_operators=[_WholeValue()],
        exclude_paths=[f"root[{key!r}]" for key in IGNORED_KEYS],
        threshold_to_diff_deeper=0,  # always name the changed field, however much of a record changed
        report_repetition=True,  # an item removed and another added stay two changes, even at the same index
    )
    found = [_change(level) for report, levels in tree.items() if report != "iterable_item_moved" for level in levels]
    sections: dict[str, SectionChanges] = {}
    for _position, key, change in sorted(filter(None, found), key=lambda item: item[0]):
        label = str(SECTION_LABELS.get(key, key))
        sections.setdefault(label, SectionChanges(section=label)).changes.append(change)
    return list(sections.values())


class _WholeValue(BaseOperatorPlus):
    """A DeepDiff operator: a narrative or a list of plain values changes as one value, not item by item."""

    def match(self, level: DiffLevel) -> bool:
        old, new = level.t1, level.t2
        if not (isinstance(old, list) and isinstance(new, list)):
            return False
        items = (*old, *new)
        return not all(isinstance(item, dict) for item in items) or all("html" in item for item in items)

    def give_up_diffing(self, level: DiffLevel, diff_instance: DeepDiff) -> bool:
        if level.t1 != level.t2:
            diff_instance.custom_report_result("whole_value_changed", level)
        return True

    def normalize_value_for_hashing(self, parent: Any, obj: Any) -> Any:
        return obj


def _same_item(old: Any, new: Any, level: DiffLevel | None = None) -> bool:
    if not (isinstance(old, dict) and isinstance(new, dict)):
        raise CannotCompare
    return (_item_key(old) or old) == (_item_key(new) or new)


def _change(leaf: DiffLevel) -> tuple[list[tuple], str, Change] | None:
    """(its place in reading order, its section's key, the change) of one change DeepDiff reported."""
    position, names = _path(leaf)
    where = " › ".join(names[:-1])
    if leaf.report_type in ("iterable_item_added", "iterable_item_removed"):
        return position, names[0], Change(leaf.report_type.removeprefix("iterable_item_"), where, names[-1])
    old, new = (None if value is notpresent else value for value in (leaf.t1, leaf.t2))
    if old == new:  # a key missing on one side reads as None
        return None
    if notpresent in (leaf.t1, leaf.t2) and not (old or new):
        return None  # a key a later version of the report added, empty: nothing a reader sees changed
    return position, names[0], Change("changed", where, f"{names[-1]}: {_short(old)} → {_short(new)}")


def _path(leaf: DiffLevel) -> tuple[list[tuple], list[str]]:
    """The place of a change in reading order, and its names from the top: dict keys, and the labels of items.

    Reading order: a dict's keys as in the old version, then the new ones; a
    list's items in the old order, then the items added in the new order.
    """
    position: list[tuple] = []
    names: list[str] = []
    level = leaf.all_up
    while (child := level.down) is not None:
        if isinstance(level.t1, list):
            added = child.t1 is notpresent
            position.append((added, (level.t2_child_rel if added else level.t1_child_rel).param))
            names.append(_item_label(child.t2 if added else child.t1))
        else:
            key = (level.t1_child_rel or level.t2_child_rel).param
            keys = [*level.t1, *(k for k in level.t2 if k not in level.t1)]
            position.append((False, keys.index(key)))
            names.append(str(key))
        level = child
    return position, names


def _short(value: Any) -> str:
    if isinstance(value, list) and value and all(isinstance(item, dict) and "html" in item for item in value):
        value = " ".join(strip_tags(item["html"]) for item in value)  # narrative blocks: their text
    text = value if isinstance(value, str) else repr(value)
    text = " ".join(text.split())
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _item_key(item: Any) -> tuple | None:
    if not isinstance(item, dict):
        return None
    for names in ITEM_KEYS:
        if all(name in item and item[name] not in (None, "") for name in names):
            return tuple(item[name] for name in names)
    return None


def _item_label(item: Any) -> str:
    if not isinstance(item, dict):
        return _short(item)
    name = item.get("title") or item.get("heading") or item.get("text") or item.get("body") or ""
    number = item.get("number") or item.get("letter") or item.get("ordinal")
    label = f"{number}. {name}" if number not in (None, "") and name else str(name or number or "")
    return _short(label) or _short(item)
