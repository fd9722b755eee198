"""What every record's admin shares: versions that refuse stale edits, history with revert, https URLs.

A domain app's ModelAdmin subclasses `RecordAdmin` (and its inlines mix in
`VersionedInlineMixin`), so the rules below hold on every page without being
repeated on each:
- a save claims the version the page was loaded with (gmg_portal/concurrency.py);
- History lists every version and reverts to one, for those who may change
  the record (django-simple-history, with gmg_portal/concurrency.py's checks);
- a web address typed without a scheme ("ilo.org") is stored as https://.

The site itself (`PortalAdminSite`, installed by gmg_portal/apps.py) lists the
GMG's records first, in the sections of ADMIN_SECTIONS, and the technical
apps (tokens, accounts, sign-in logs, the job engine's tables) after them.
It also serves the Markdown preview of narratives (`markdown_preview`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import JsonResponse
from django.urls import path
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from gmg_portal.admin_ids import MalformedIdsMixin
from gmg_portal.concurrency import VersionedAdminMixin
from gmg_portal.forms import MARKDOWN_HELP
from gmg_portal.forms import MarkdownTextarea
from gmg_portal.markdown import render_markdown
from gmg_portal.permissions import is_secretariat

HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}

# The admin's home as the secretariat thinks of its records: each section lists models by
# "<app label>.<model name>" (strings, so the core imports no domain app), in the order shown.
# Registered models not named here (tokens, accounts, sign-in logs, the job engine's own tables,
# whatever an app adds later) follow in Django's usual per-app sections, after these.
ADMIN_SECTIONS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    (
        "terms-and-reports",
        _("Terms and reports"),
        ("chairmanship.chairmanship", "reports.reportedition", "chairmanship.accomplishment", "chairmanship.agency"),
    ),
    (
        "workplan",
        _("Workplan"),
        (
            "workplan.multiannualworkplan",
            "workplan.overarchingobjective",
            "workplan.focusarea",
            "workplan.objective",
            "workplan.activity",
            "workplan.workinggroup",
        ),
    ),
    ("events-and-outputs", _("Events and outputs"), ("workplan.event", "workplan.output")),
    (
        "follow-up",
        _("Follow-up: recommendations and carry-forward issues"),
        ("chairmanship.recommendation", "chairmanship.endorsement", "chairmanship.carryforwardissue"),
    ),
    ("accounts", _("Accounts: who signs in, and for which agency"), ("auth.user", "chairmanship.focalpoint")),
    ("jobs", _("Jobs"), ("jobs.job",)),
)


def _model_key(entry: dict[str, Any]) -> str:
    opts = entry["model"]._meta
    return f"{opts.app_label}.{opts.model_name}"


class PortalAdminSite(admin.AdminSite):
    """The secretariat's admin: records first (ADMIN_SECTIONS), technical sections last; a Markdown preview."""

    site_header = _("GMG Portal — secretariat")
    site_title = _("GMG Portal")
    index_title = _("Records of the chairmanships")
    # The sidebar repeating the home page takes a quarter of a 1280 px screen, which change lists need
    # for their columns; the home page and the breadcrumbs lead everywhere it does.
    enable_nav_sidebar = False

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
        apps = super().get_app_list(request, app_label)
        if app_label is not None:  # an app's own page lists that app's models, as Django does
            return apps
        entries = {_model_key(entry): entry for app in apps for entry in app["models"]}
        index = reverse("admin:index", current_app=self.name)
        sections = []
        for anchor, title, keys in ADMIN_SECTIONS:
            models_shown = [entries.pop(key) for key in keys if key in entries]
            if models_shown:  # only what this user may see
                sections.append(
                    {
                        "name": title,
                        "app_label": anchor,
                        "app_url": f"{index}#{anchor}",
                        "has_module_perms": True,
                        "models": models_shown,
                    }
                )
        technical = []
        for app in apps:
            rest = [entry for entry in app["models"] if _model_key(entry) in entries]
            if rest:
                technical.append({**app, "models": rest})
        return sections + technical

    def get_urls(self) -> list:
        preview = path(
            "markdown-preview/", self.admin_view(markdown_preview), name="markdown-preview"
        )  # admin_view: staff only (others are sent to sign in), CSRF-checked, never cached
        return [preview, *super().get_urls()]


@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """A narrative's Markdown as the report shows it: the same sanitiser (gmg_portal/markdown.py). Writes nothing.

    For those who write narratives (the secretariat); read-only roles are refused like any admin write.
    """
    if not is_secretariat(request.user):
        raise PermissionDenied
    text = request.POST.get("text", "")
    return JsonResponse({"html": str(render_markdown(text))})


class MarkdownFieldsMixin:
    """`markdown_fields`: text fields written in Markdown, said so in their help text and given a preview."""

    markdown_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field: models.Field, request: HttpRequest, **kwargs: Any):
        if db_field.name in self.markdown_fields:
            kwargs["widget"] = MarkdownTextarea(preview_url=reverse("admin:markdown-preview"))
            field = super().formfield_for_dbfield(db_field, request, **kwargs)
            if field is not None:
                field.help_text = MARKDOWN_HELP
            return field
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class RecordAdmin(MalformedIdsMixin, MarkdownFieldsMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    formfield_overrides = HTTPS_URLS
    # Relations a record's name (__str__) reads, joined wherever a picker lists records of this model
    # (its autocomplete, and the selects and autocompletes of other models' pages), so a picker costs
    # the same number of queries however many records it shows.
    picker_select_related: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        queryset = super().get_queryset(request)
        if not self.picker_select_related:
            return queryset
        # A change list skips list_select_related once the queryset joins anything: join both here.
        listed = self.list_select_related if isinstance(self.list_select_related, list | tuple) else []
        return queryset.select_related(*self.picker_select_related, *listed)

    def get_field_queryset(self, db, db_field: models.Field, request: HttpRequest):
        queryset = super().get_field_queryset(db, db_field, request)
        related_admin = self.admin_site._registry.get(db_field.remote_field.model)
        joined = getattr(related_admin, "picker_select_related", ())
        if not joined:
            return queryset
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(db).all()
        return queryset.select_related(*joined)


def term_column(field: str, description: Any) -> Any:
    """A change list column naming a term by its slug ("2014-ilo"), sorted by the term's start.

    A term's full name ("International Labour Organization (1 January – 31 December 2014)") made every
    list that showed it wider than a 1280 px screen; the filters beside the list still give the names.
    Join the field in list_select_related.
    """

    @admin.display(description=description, ordering=f"{field}__start_date")
    def column(obj: models.Model) -> str:
        term = getattr(obj, field)
        return term.slug if term is not None else "-"

    column.__name__ = field  # the column's CSS class: field-<field>
    return column


class ShortTextMixin:
    """`short_text` for a change list: the record's text, cut to 120 characters."""

    @admin.display(description=_("text"))
    def short_text(self, obj: models.Model) -> str:
        return obj.text[:120]
