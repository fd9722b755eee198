"""The REST API: /api/v1/ resources and their OpenAPI documentation."""

from django.urls import include
from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from chairmanship import api as chairmanship_api
from reports import api as reports_api
from workplan import api as workplan_api


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar, runnable under the Content-Security-Policy.

    The split view serves its initialisation as a separate script
    (`/api/docs/?script`) instead of an inline one; the template keeps the
    page's styles in a static file. SWAGGER_UI_SETTINGS turns off the online
    validator badge (a remote image). Out of the schema, like its parent.
    """

    template_name = "api/swagger_ui.html"


# The resources, in the order the API root lists them: URL prefix, viewset, route name (`api:<name>-list`, …).
RESOURCES = (
    ("agencies", chairmanship_api.AgencyViewSet, "agency"),
    ("chairmanships", reports_api.ChairmanshipViewSet, "chairmanship"),
    ("mawps", workplan_api.MultiAnnualWorkPlanViewSet, "mawp"),
    ("focus-areas", workplan_api.FocusAreaViewSet, "focus-area"),
    ("objectives", workplan_api.ObjectiveViewSet, "objective"),
    ("activities", workplan_api.ActivityViewSet, "activity"),
    ("working-groups", workplan_api.WorkingGroupViewSet, "working-group"),
    ("events", workplan_api.EventViewSet, "event"),
    ("outputs", workplan_api.OutputViewSet, "output"),
    ("endorsements", chairmanship_api.EndorsementViewSet, "endorsement"),
    ("accomplishments", reports_api.AccomplishmentViewSet, "accomplishment"),
    ("recommendations", chairmanship_api.RecommendationViewSet, "recommendation"),
    ("carry-forward-issues", chairmanship_api.CarryForwardIssueViewSet, "carry-forward-issue"),
)

router = DefaultRouter()
for prefix, viewset, basename in RESOURCES:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("api/v1/", include((router.urls, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
