"""Form helpers: the filters every page shares, and the Markdown field of the admin's narratives."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import FilterSet

# What gmg_portal/markdown.py keeps, said where a narrative is written.
MARKDOWN_HELP = gettext_lazy(
    "Markdown: *italic*, **bold**, [a link](https://…), lists (lines starting with - or 1.), "
    "headings (###), quotes (>), tables, footnotes ([^1] in the text, [^1]: the note on a line of its own). "
    "No images, scripts, styles or frames: the report removes them. Preview shows the text as the report does."
)


class MarkdownTextarea(forms.Textarea):
    """A textarea with a Preview button (static/js/markdown-preview.js: a script file, as the CSP allows).

    The script posts the text to `preview_url` (the admin's markdown-preview view) and shows the
    sanitised HTML it answers below the field.
    """

    def __init__(self, *, preview_url: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={
                **(attrs or {}),
                "data-markdown-preview": preview_url,
                "data-preview-label": gettext_lazy("Preview"),
                "data-preview-title": gettext_lazy("Preview, as the report shows it"),
                "data-preview-error": gettext_lazy("The preview could not be made; try again."),
            }
        )

    class Media:
        js = ["js/markdown-preview.js"]
        css = {"all": ["css/admin.css"]}


def label_empty_choices(filterset: FilterSet) -> FilterSet:
    """Name the empty choice of every select "Any" (read aloud better than a row of dashes)."""
    for field in filterset.form.fields.values():
        if getattr(field, "empty_label", None) is not None:
            field.empty_label = _("Any")
            field.widget.choices = field.choices  # the widget's copy still reads the class-level field
    return filterset


# What a number or text input carries (a year's bounds) and a select must not.
TEXT_INPUT_ATTRS = frozenset({"min", "max", "step", "maxlength", "minlength", "placeholder", "inputmode"})


def offer_only(filterset: FilterSet, options: dict[str, list[tuple[str, str]]]) -> FilterSet:
    """Show each named filter as a select of `options` (what the records hold), after "Any".

    Only the form's widget changes: the field still accepts every valid value. A value asked for that
    is not among the options (a country with no event yet) is kept as an option, so the form shows
    the filter it applied.
    """
    form = filterset.form
    for name, choices in options.items():
        field = form.fields[name]
        choices = [("", _("Any")), *choices]
        current = form.data.get(name, "")
        if current and current not in {value for value, _label in choices}:
            choices.append((current, _known_label(field, current)))
        attrs = {key: value for key, value in field.widget.attrs.items() if key not in TEXT_INPUT_ATTRS}
        field.widget = forms.Select(attrs=attrs, choices=choices)
    return filterset


def _known_label(field: forms.Field, value: str) -> str:
    """The label a plain choice field gives `value` (a country's name), else the value as asked for."""
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return str(dict(field.choices).get(value, value))
    return value
