"""Form helpers every page's filters share."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_filters import FilterSet


def label_empty_choices(filterset: FilterSet) -> FilterSet:
    """Name the empty choice of every select "Any" (read aloud better than a row of dashes)."""
    for field in filterset.form.fields.values():
        if getattr(field, "empty_label", None) is not None:
            field.empty_label = _("Any")
            field.widget.choices = field.choices  # the widget's copy still reads the class-level field
    return filterset
