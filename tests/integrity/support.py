"""Helpers for the integrity tests: an admin change form posted back as the browser sends it."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.test import Client


def _form_fields(form: forms.BaseForm) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for bound in form:
        value = bound.value()
        if isinstance(bound.field, forms.BooleanField):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(item) for item in value]
        elif value is None:
            data[bound.html_name] = ""
        elif isinstance(value, datetime.date):
            data[bound.html_name] = value.isoformat()
        else:
            data[bound.html_name] = str(value)
    return data


def admin_form(client: Client, url: str) -> dict[str, Any]:
    """Every field of an admin change (or revert) page and of its inlines, with the values it shows."""
    page = client.get(url)
    assert page.status_code == 200, url
    data = _form_fields(page.context["adminform"].form)
    for inline in page.context.get("inline_admin_formsets", []):
        formset = inline.formset
        data.update(_form_fields(formset.management_form))
        for row in formset.forms:
            data.update(_form_fields(row))
    return data


def page_errors(response) -> list[str]:
    """The errors an admin page shows above its form and in its inline rows."""
    errors = list(response.context["adminform"].form.non_field_errors())
    for inline in response.context.get("inline_admin_formsets", []):
        for row in inline.formset.forms:
            errors.extend(row.non_field_errors())
    return errors
