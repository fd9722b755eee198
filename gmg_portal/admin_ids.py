"""Admin pages answer a malformed id as they answer an unknown one, never with a 500.

An id arrives in a URL (`…/abc/history/`, `…/16/history/1.5/`), in a change
list's selection (`_selected_action=abc`) or in a picker's value (`output=abc`):
Django's admin and django-simple-history pass each to the database, which
refuses it with a ValueError. Here a malformed id in a URL is a 404, a
selection holding one runs no action and says so, and a picker shows only the
values that can be records (the form then says "Select a valid choice").
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db import models
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from gmg_portal.db import is_id


class _ValidValuesOnly:
    """An autocomplete picker that shows only the values that can be records of its model."""

    def optgroups(self, name: str, value: list, attr: dict | None = None) -> list:
        remote = self.field.remote_field
        target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        return super().optgroups(name, [item for item in value if is_id(target, item)], attr)


class IdAutocompleteSelect(_ValidValuesOnly, AutocompleteSelect):
    pass


class IdAutocompleteSelectMultiple(_ValidValuesOnly, AutocompleteSelectMultiple):
    pass


class MalformedIdsMixin:
    """For a ModelAdmin (SimpleHistoryAdmin's history views included): see the module's docstring."""

    def _object_id(self, object_id: str) -> None:
        if not is_id(self.model._meta.pk, unquote(object_id)):
            raise Http404

    def formfield_for_foreignkey(self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = IdAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: models.ManyToManyField, request: HttpRequest, **kwargs: Any):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = IdAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def history_view(self, request: HttpRequest, object_id: str, extra_context: dict | None = None) -> HttpResponse:
        self._object_id(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        self._object_id(object_id)
        if not is_id(models.BigIntegerField(), version_id):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def response_action(self, request: HttpRequest, queryset: models.QuerySet) -> HttpResponse | None:
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(is_id(self.model._meta.pk, unquote(value)) for value in selected):
            self.message_user(
                request, _("The selection names records that do not exist: nothing was done."), messages.WARNING
            )
            return None
        return super().response_action(request, queryset)
