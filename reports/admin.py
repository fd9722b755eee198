"""The admin of terms and their reports: a term's page (its report written and published), and its editions.

A term's page edits the term, its report's narratives and status, and, inline,
its focus areas, objectives (workplan) and key accomplishments; turning the
report final queues edition 1 for a worker (reports/jobs.py), after a
confirmation.

Report editions: read-only records, each language's PDF downloadable, one page to issue a correction.

Editions are never edited or deleted here: they are official documents. The
secretariat issues a corrected edition from an edition's page (a button) or
from the list (an action): the issue page shows what changed in the data
since the latest edition, asks for the corrigendum note, and issues.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import HttpResponseBadRequest
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.urls import reverse
from django.urls import reverse_lazy
from django.utils.html import format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from chairmanship.models import Accomplishment
from chairmanship.models import Chairmanship
from chairmanship.rotation import Rotation
from chairmanship.services import carry_forward_issues
from gmg_portal.admin import MarkdownFieldsMixin
from gmg_portal.admin import RecordAdmin
from gmg_portal.concurrency import VersionedInlineMixin
from gmg_portal.concurrency import VersionedModelForm
from gmg_portal.forms import MARKDOWN_HELP
from gmg_portal.forms import MarkdownTextarea
from jobs.admin import MadeByThePortalAdmin
from reports.editions import edition_diff
from reports.jobs import queue_edition
from reports.jobs import queue_missing_editions
from reports.models import ReportEdition
from reports.models import ReportEditionRendering
from reports.pdf import PDF_CONTENT_TYPE
from workplan.models import FocusArea
from workplan.models import Objective

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

    def get_queryset(self, request: HttpRequest) -> QuerySet[Objective]:
        return super().get_queryset(request).select_related("chairmanship")  # each row's name says its term


class AccomplishmentInline(MarkdownFieldsMixin, VersionedInlineMixin, admin.StackedInline):
    model = Accomplishment
    extra = 0
    fields = ["number", "title", "narrative", "list_linked_records"]
    markdown_fields = ("narrative",)
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

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        final = Chairmanship.ReportStatus.FINAL
        self.publishes = cleaned.get("report_status") == final and self.instance.stored_report_status() != final
        if self.publishes and not cleaned.get("confirm_publication"):
            self.add_error("confirm_publication", forms.ValidationError(PUBLICATION_UNCONFIRMED, code="unconfirmed"))
        return cleaned


@admin.register(Chairmanship)
class ChairmanshipAdmin(RecordAdmin):
    form = ChairmanshipAdminForm
    list_display = ["slug", "display_name", "start_date", "end_date", "report_status"]
    list_filter = ["report_status", "agency__kind"]
    list_select_related = ["agency"]
    search_fields = ["slug", "chair_label", "agency__acronym", "agency__name", "theme"]
    autocomplete_fields = ["agency"]
    readonly_fields = ["slug"]
    date_hierarchy = "start_date"
    inlines = [FocusAreaInline, ObjectiveInline, AccomplishmentInline]
    markdown_fields = ("introduction", "accomplishments_intro", "workplan_narrative", "handover_narrative")
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
        # Marked final: edition 1 (the report as it is when a worker renders it) is queued (reports/jobs.py).
        queued = queue_missing_editions(user=request.user, terms=[form.instance])
        if queued and getattr(form, "publishes", False):
            self.message_user(
                request,
                _(
                    "Edition 1 of the report is being prepared: a worker renders it in every language, and it "
                    "is then served to everyone at %(url)s. Until then the page says it is being prepared."
                )
                % {"url": form.instance.get_absolute_url()},
                messages.SUCCESS,
            )

    @admin.action(description=_("Carry open issues forward to the next term"), permissions=["change"])
    def carry_open_issues_forward(self, request: HttpRequest, queryset: QuerySet[Chairmanship]) -> None:
        """For each selected term: chairmanship.services.carry_forward_issues() into the term that follows it."""
        rotation = Rotation.read()
        for term in queryset.order_by("start_date"):
            following = rotation.next(term)
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


class IssueEditionForm(forms.Form):
    note = forms.CharField(
        label=_("Corrigendum note"),
        widget=MarkdownTextarea(preview_url=reverse_lazy("admin:markdown-preview"), attrs={"rows": 6, "cols": 80}),
        help_text=format_lazy(
            "{} {}",
            _("Say what this edition corrects; the note is shown in the report's Corrigendum box."),
            MARKDOWN_HELP,
        ),
    )


@admin.register(ReportEdition)
class ReportEditionAdmin(MadeByThePortalAdmin):
    list_display = ["chairmanship", "number", "issued_at", "issued_by", "language", "has_note"]
    list_display_links = ["chairmanship", "number"]
    list_filter = ["issued_at"]
    list_select_related = ["chairmanship__agency", "issued_by"]
    search_fields = ["chairmanship__slug", "chairmanship__agency__acronym", "note"]
    fields = ["chairmanship", "number", "issued_at", "issued_by", "language", "fingerprint", "note", "pdf_link"]
    readonly_fields = fields
    actions = ["issue_corrected_edition_action"]
    change_form_template = "admin/reports/reportedition/change_form.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReportEdition]:
        return super().get_queryset(request).without_content().select_related("chairmanship__agency", "issued_by")

    def may_issue(self, request: HttpRequest) -> bool:
        return request.user.has_perm("reports.add_reportedition")

    @admin.display(description=_("corrigendum"), boolean=True)
    def has_note(self, obj: ReportEdition) -> bool:
        return bool(obj.note)

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj: ReportEdition) -> str:
        """One download link per language the edition is stored in (one query)."""
        languages = dict(settings.LANGUAGES)
        url = reverse("admin:reports_reportedition_pdf", args=[obj.pk])
        stored = obj.renderings.order_by("language").values_list("language", flat=True)
        return format_html_join(
            " · ",
            '<a href="{}?lang={}" lang="{}">{}</a>',
            (
                (
                    url,
                    code,
                    code,
                    _("Download the PDF of this edition (%(language)s)") % {"language": languages.get(code, code)},
                )
                for code in stored
            ),
        )

    def get_urls(self):
        own = [
            path(
                "issue/<slug:slug>/",
                self.admin_site.admin_view(self.issue_view),
                name="reports_reportedition_issue",
            ),
            path("<int:pk>/pdf/", self.admin_site.admin_view(self.pdf_view), name="reports_reportedition_pdf"),
        ]
        return own + super().get_urls()

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):
        extra_context = {**(extra_context or {}), "may_issue": self.may_issue(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Issue a corrected edition of the selected report"))
    def issue_corrected_edition_action(self, request: HttpRequest, queryset: QuerySet[ReportEdition]):
        slugs = sorted(set(queryset.values_list("chairmanship__slug", flat=True)))
        if len(slugs) != 1:
            self.message_user(request, _("Select editions of one report."), level=messages.ERROR)
            return None
        return HttpResponseRedirect(reverse("admin:reports_reportedition_issue", args=[slugs[0]]))

    def pdf_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        edition = get_object_or_404(ReportEdition.objects.without_content().select_related("chairmanship"), pk=pk)
        language = request.GET.get("lang", edition.language)
        rendering = ReportEditionRendering.objects.filter(edition=edition, language=language).first()
        if rendering is None:
            stored = ", ".join(edition.renderings.order_by("language").values_list("language", flat=True))
            return HttpResponseBadRequest(
                f"lang: this edition is stored in {stored}.\n", content_type="text/plain; charset=utf-8"
            )
        response = HttpResponse(bytes(rendering.pdf), content_type=PDF_CONTENT_TYPE)
        suffix = "" if language == edition.language else f"-{language}"
        filename = f"gmg-chairmanship-report-{edition.chairmanship.slug}-edition-{edition.number}{suffix}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def issue_view(self, request: HttpRequest, slug: str) -> HttpResponse:
        """GET: what changed since the latest edition and the note form; POST: issue the next edition."""
        if not self.may_issue(request):
            raise PermissionDenied
        term = get_object_or_404(Chairmanship.objects.select_related("agency"), slug=slug)
        form = IssueEditionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                queue_edition(chairmanship=term, note=form.cleaned_data["note"], user=request.user)
            except ValidationError as error:
                for name, messages_ in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, messages_)
            else:
                self.message_user(
                    request,
                    _(
                        "The corrected edition of the report %(slug)s is being prepared: a worker renders it in "
                        "every language. The current edition stays served until it is stored."
                    )
                    % {"slug": term.slug},
                    level=messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:reports_reportedition_changelist"))
        diff = edition_diff(chairmanship=term)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Issue a corrected edition: %(term)s") % {"term": term},
            "term": term,
            "diff": diff,
            "next_number": (diff.edition.number if diff.edition else 0) + 1,
            "form": form,
        }
        return TemplateResponse(request, "admin/reports/reportedition/issue.html", context)
