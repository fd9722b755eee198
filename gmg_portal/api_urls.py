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


router = DefaultRouter()
router.register("agencies", chairmanship_api.AgencyViewSet, basename="agency")
router.register("chairmanships", reports_api.ChairmanshipViewSet, basename="chairmanship")
router.register("mawps", workplan_api.MultiAnnualWorkPlanViewSet, basename="mawp")
router.register("focus-areas", workplan_api.FocusAreaViewSet, basename="focus-area")
router.register("objectives", workplan_api.ObjectiveViewSet, basename="objective")
router.register("activities", workplan_api.ActivityViewSet, basename="activity")
router.register("working-groups", workplan_api.WorkingGroupViewSet, basename="working-group")
router.register("events", workplan_api.EventViewSet, basename="event")
router.register("outputs", workplan_api.OutputViewSet, basename="output")
router.register("endorsements", chairmanship_api.EndorsementViewSet, basename="endorsement")
router.register("accomplishments", reports_api.AccomplishmentViewSet, basename="accomplishment")
router.register("recommendations", chairmanship_api.RecommendationViewSet, basename="recommendation")
router.register("carry-forward-issues", chairmanship_api.CarryForwardIssueViewSet, basename="carry-forward-issue")

urlpatterns = [
    path("api/v1/", include((router.urls, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
