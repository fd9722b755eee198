"""The CSVs of /my-agency/: each list of the agency's records, as the spreadsheet exports write them.

Outputs, activities and carry-forward issues are written by the resources
the secretariat's spreadsheets already use (workplan/resources.py,
chairmanship/resources.py), so a file has the same columns wherever it comes
from. Terms, recommendations and working groups have no such resource: the
ones below write them the same way (stored values, natural keys, lists joined
with ";", no cell a spreadsheet would run as a formula: gmg_portal/spreadsheets.py);
they are for export only. Events are not here: /events.csv?agency=<acronym> is
their CSV.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from import_export import fields

from chairmanship.models import Agency
from chairmanship.models import Chairmanship
from chairmanship.models import Recommendation
from chairmanship.resources import CarryForwardIssueResource
from chairmanship.resources import agencies_field
from chairmanship.resources import agency_lookup
from chairmanship.resources import term_field
from gmg_portal.spreadsheets import KeyForeignKeyWidget
from gmg_portal.spreadsheets import PortalResource
from gmg_portal.spreadsheets import date_field
from gmg_portal.spreadsheets import id_field
from pages.my_agency import WORKING_GROUPS
from pages.my_agency import of_agency
from workplan.models import Output
from workplan.models import WorkingGroup
from workplan.resources import ActivityResource
from workplan.resources import OutputResource
from workplan.resources import flag_field
from workplan.resources import id_lookup


class TermResource(PortalResource):
    """Chair terms by slug, the agency by acronym; the report's narratives stay in the report."""

    agency = fields.Field(attribute="agency", column_name="agency", widget=KeyForeignKeyWidget(Agency, agency_lookup()))
    start_date = date_field("start_date")
    end_date = date_field("end_date")
    handover_date = date_field("handover_date")

    class Meta:
        model = Chairmanship
        fields = ("slug", "agency", "chair_label", "start_date", "end_date", "theme", "handover_date", "report_status")

    def get_queryset(self) -> models.QuerySet:
        return Chairmanship.objects.order_by("start_date")


class RecommendationResource(PortalResource):
    """Recommendations: the term by slug, the output they come from by id."""

    id = id_field()
    chairmanship = term_field("chairmanship")
    source_output = fields.Field(
        attribute="source_output",
        column_name="source_output",
        widget=KeyForeignKeyWidget(Output, id_lookup(Output, _("output id"))),
    )

    class Meta:
        model = Recommendation
        fields = ("id", "chairmanship", "number", "source_output", "text", "status")

    def get_queryset(self) -> models.QuerySet:
        return Recommendation.objects.select_related("chairmanship", "source_output").order_by(
            "chairmanship__start_date", "number", "pk"
        )


class AgencyWorkingGroupResource(PortalResource):
    """Working groups by slug, with the agency's seat in each (`role`: `chair` or `member`)."""

    active = flag_field("active")
    chair_agencies = agencies_field("chair_agencies")
    member_agencies = agencies_field("member_agencies")
    role = fields.Field(column_name="role", readonly=True)

    class Meta:
        model = WorkingGroup
        fields = ("slug", "name", "kind", "chair_agencies", "member_agencies", "mandate", "active", "role")

    def get_queryset(self) -> models.QuerySet:
        return WorkingGroup.objects.prefetch_related("chair_agencies", "member_agencies").order_by("name")

    def dehydrate_role(self, group: WorkingGroup) -> str:
        # `chaired` is annotated by pages.my_agency.groups_with_seat; a chair sits in the group too.
        return "chair" if group.chaired else "member"


# The lists a focal point downloads as /my-agency/<name>.csv, by name.
AGENCY_EXPORTS: dict[str, type[PortalResource]] = {
    "terms": TermResource,
    "outputs": OutputResource,
    "activities": ActivityResource,
    WORKING_GROUPS: AgencyWorkingGroupResource,
    "carry-forward": CarryForwardIssueResource,
    "recommendations": RecommendationResource,
}


def agency_csv(*, name: str, agency_id: int) -> str:
    """List `name` (an AGENCY_EXPORTS key) of the agency as CSV text with a header row; a fixed number of queries.

    The records are read into a list first: given a queryset with prefetches, django-import-export pages
    through it (a count and a query per page).
    """
    resource = AGENCY_EXPORTS[name]()
    records = list(of_agency(resource.get_queryset(), name=name, agency_id=agency_id))
    return resource.export(records).csv
