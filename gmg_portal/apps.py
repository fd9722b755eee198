"""The admin, installed with the portal's own site (gmg_portal/admin.py PortalAdminSite) as `admin.site`."""

from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "gmg_portal.admin.PortalAdminSite"

    def ready(self) -> None:
        super().ready()
        from gmg_portal.signed_in import track_sign_ins

        # The portal's own app config: who is signed in is kept while no user, group or session changes.
        track_sign_ins()


class PortalConfig(AppConfig):
    """The core's own tables (the generations every process shares: gmg_portal.cache) and system checks."""

    name = "gmg_portal"
    verbose_name = "GMG Portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gmg_portal import checks  # noqa: F401 - registers the portal's system checks
