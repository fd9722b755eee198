"""The jobs in the admin: what was asked, by whom, how far it has come, and how it ended. Read only."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from jobs.models import Job


class MadeByThePortalAdmin(admin.ModelAdmin):
    """For records the portal makes itself (jobs; report editions, rendered by jobs): shown, never edited by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Job)
class JobAdmin(MadeByThePortalAdmin):
    list_display = ["__str__", "kind", "subject", "status", "progress", "attempts", "requested_by", "requested_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["requested_by"]
    search_fields = ["subject", "error"]
    date_hierarchy = "requested_at"
    fields = [
        "kind",
        "subject",
        "status",
        "progress",
        "attempts",
        "requested_by",
        "requested_at",
        "started_at",
        "finished_at",
        "params",
        "result",
        "error",
        "upload_name",
    ]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).defer("upload")

    @admin.display(description=_("progress"))
    def progress(self, obj: Job) -> str:
        if not obj.progress_total:
            return "—"
        return format_html(
            '<progress value="{}" max="{}">{} / {}</progress> {} / {}',
            obj.progress_done,
            obj.progress_total,
            obj.progress_done,
            obj.progress_total,
            obj.progress_done,
            obj.progress_total,
        )
