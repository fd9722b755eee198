from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from chairmanship.models import (
    Accomplishment,
    Agency,
    CarryForwardIssue,
    Chairmanship,
    Endorsement,
    Recommendation,
)
from chairmanship.resources import CarryForwardIssueResource, SpreadsheetAdminMixin
from chairmanship.services import carry_forward_issues
from gmg_portal.concurrency import VersionedAdminMixin, VersionedInlineMixin, VersionedModelForm
from reports.editions import publish_edition
from workplan.models import FocusArea, Objective

# A web address typed without a scheme ("ilo.org") is stored as https://.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}

admin.site.site_header = _("GMG Portal — secretariat")
admin.site.site_title = _("GMG Portal")
admin.site.index_title = _("Records of the chairmanships")


@admin.register(Agency)
class AgencyAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["acronym", "name", "kind", "membership_status"]
    list_filter = ["kind", "membership_status"]
    search_fields = ["acronym", "name"]


# Inlines hold a child's own fields only. Its many-to-many links (an
# objective's overarching objectives, an accomplishment's events) are edited
# on the child's own page, reached by its change link: a link field in every
# inline row would cost queries per row, so the page would slow down as a term
# grows.


class FocusAreaInline(VersionedInlineMixin, admin.TabularInline):
    model = FocusArea
    extra = 0


class ObjectiveInline(VersionedInlineMixin, admin.StackedInline):
    model = Objective
    extra = 0
    fields = ["number", "text"]
    show_change_link = True


class AccomplishmentInline(VersionedInlineMixin, admin.StackedInline):
    model = Accomplishment
    extra = 0
    fields = ["number", "title", "narrative"]
    show_change_link = True


PUBLICATION_HELP = _(
    "Edition 1 is issued: the report as it stands now is stored in every language and served to everyone; "
    "later edits need a corrected edition."
)
PUBLICATION_UNCONFIRMED = _(
    "Marking the report final publishes it. Edition 1 is issued: the report as it stands now is stored in every "
    "language and served to everyone; later edits need a corrected edition. Tick this box to publish it."
)


class ChairmanshipAdminForm(VersionedModelForm):
    """A term's change form: turning a draft report final needs the "Publish the final report" box ticked.

    Publishing cannot be taken back (save_related() stores edition 1, served
    to everyone from then on), so a stray change of the status is refused
    with what would happen. Saving a term that stays a draft, or that was
    already final, needs no tick.
    """

    confirm_publication = forms.BooleanField(
        label=_("Publish the final report"), required=False, help_text=PUBLICATION_HELP
    )
    # Set by clean(): this save turns the report final (read by ChairmanshipAdmin.save_related).
    publishes = False

    def _stored_status(self) -> str | None:
        """The report status as stored now (None for a new term), whatever copy of the term the form edits."""
        if self.instance.pk is None:
            return None
        stored = Chairmanship._base_manager.filter(pk=self.instance.pk).values_list("report_status", flat=True)
        return stored.first()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        final = Chairmanship.ReportStatus.FINAL
        self.publishes = cleaned.get("report_status") == final and self._stored_status() != final
        if self.publishes and not cleaned.get("confirm_publication"):
            self.add_error("confirm_publication", forms.ValidationError(PUBLICATION_UNCONFIRMED, code="unconfirmed"))
        return cleaned


@admin.register(Chairmanship)
class ChairmanshipAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    form = ChairmanshipAdminForm
    list_display = ["slug", "display_name", "start_date", "end_date", "report_status"]
    list_filter = ["report_status", "agency__kind"]
    list_select_related = ["agency"]
    search_fields = ["slug", "chair_label", "agency__acronym", "agency__name", "theme"]
    autocomplete_fields = ["agency"]
    readonly_fields = ["slug"]
    date_hierarchy = "start_date"
    inlines = [FocusAreaInline, ObjectiveInline, AccomplishmentInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "agency",
                    "chair_label",
                    "slug",
                    ("start_date", "end_date"),
                    "theme",
                    ("report_status", "confirm_publication"),
                ]
            },
        ),
        (
            _("Report narratives (Markdown)"),
            {"fields": ["introduction", "accomplishments_intro", "workplan_narrative", "handover_narrative"]},
        ),
        (_("Handover"), {"fields": ["handover_date"]}),
    ]

    actions = ["carry_open_issues_forward"]

    @admin.display(description=_("chair"), ordering="chair_label")
    def display_name(self, obj: Chairmanship) -> str:
        return obj.display_name

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # Marked final: the report as it is now is stored as edition 1 and served from then on (reports.editions).
        edition = publish_edition(chairmanship=form.instance, user=request.user)
        if edition is not None and getattr(form, "publishes", False):
            self.message_user(
                request,
                _("Edition %(number)d of the report was issued: it is served to everyone at %(url)s.")
                % {"number": edition.number, "url": form.instance.get_absolute_url()},
                messages.SUCCESS,
            )

    @admin.action(description=_("Carry open issues forward to the next term"), permissions=["change"])
    def carry_open_issues_forward(self, request: HttpRequest, queryset: QuerySet[Chairmanship]) -> None:
        """For each selected term: chairmanship.services.carry_forward_issues() into the term that follows it."""
        for term in queryset.order_by("start_date"):
            following = term.next_term
            if following is None:
                self.message_user(
                    request, _("%(slug)s: no later term to carry issues into.") % {"slug": term.slug}, messages.WARNING
                )
                continue
            try:
                result = carry_forward_issues(source=term, target=following)
            except ValidationError as exc:
                self.message_user(request, f"{term.slug}: {'; '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, result.message, messages.SUCCESS)


@admin.register(Accomplishment)
class AccomplishmentAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "title", "chairmanship"]
    list_display_links = ["number", "title"]
    list_filter = ["chairmanship"]
    list_select_related = ["chairmanship__agency"]
    search_fields = ["title", "narrative"]
    autocomplete_fields = ["chairmanship", "events", "outputs", "working_groups"]


@admin.register(Recommendation)
class RecommendationAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "short_text", "chairmanship", "source_output", "status"]
    list_display_links = ["number", "short_text"]
    list_filter = ["status", "chairmanship"]
    list_select_related = ["chairmanship__agency", "source_output"]
    search_fields = ["text"]
    autocomplete_fields = ["chairmanship", "source_output"]

    @admin.display(description=_("text"))
    def short_text(self, obj: Recommendation) -> str:
        return obj.text[:120]


@admin.register(Endorsement)
class EndorsementAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["body", "session", "outcome", "start_date", "output"]
    list_filter = ["outcome", "body"]
    list_select_related = ["output"]
    search_fields = ["body", "session", "output__title"]
    autocomplete_fields = ["output"]
    date_hierarchy = "start_date"


@admin.register(CarryForwardIssue)
class CarryForwardIssueAdmin(VersionedAdminMixin, SpreadsheetAdminMixin, SimpleHistoryAdmin):
    resource_classes = [CarryForwardIssueResource]
    list_display = ["number", "short_text", "handed_over_in", "origin", "status", "due_date"]
    list_display_links = ["number", "short_text"]
    list_filter = ["status", "handed_over_in", "origin"]
    list_select_related = ["handed_over_in__agency", "origin__agency"]
    search_fields = ["text", "addressed_to", "resolution"]
    autocomplete_fields = ["handed_over_in", "origin", "resolved_in", "continues"]

    @admin.display(description=_("text"))
    def short_text(self, obj: CarryForwardIssue) -> str:
        return obj.text[:120]
