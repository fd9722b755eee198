"""Report editions in the admin: read-only records, each language's PDF downloadable, one page to issue a correction.

Editions are never edited or deleted here: they are official documents. The
secretariat issues a corrected edition from an edition's page (a button) or
from the list (an action): the issue page shows what changed in the data
since the latest edition, asks for the corrigendum note, and issues.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from chairmanship.models import Chairmanship
from reports.editions import edition_diff, issue_corrected_edition
from reports.models import ReportEdition, ReportEditionRendering
from reports.pdf import PDF_CONTENT_TYPE


class IssueEditionForm(forms.Form):
    note = forms.CharField(
        label=_("Corrigendum note"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=_("Markdown. Say what this edition corrects; the note is shown in the report's Corrigendum box."),
    )


@admin.register(ReportEdition)
class ReportEditionAdmin(admin.ModelAdmin):
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

    # Editions are made by the services (publishing, issuing), never by hand, and never removed.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ReportEdition | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ReportEdition | None = None) -> bool:
        return False

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
                edition = issue_corrected_edition(chairmanship=term, note=form.cleaned_data["note"], user=request.user)
            except ValidationError as error:
                for name, messages_ in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, messages_)
            else:
                self.message_user(
                    request,
                    _("Edition %(number)d of the report %(slug)s is issued and now served.")
                    % {"number": edition.number, "slug": term.slug},
                    level=messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:reports_reportedition_change", args=[edition.pk]))
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
