"""The admin, installed with the portal's own site (gmg_portal/admin.py PortalAdminSite) as `admin.site`."""

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "gmg_portal.admin.PortalAdminSite"

    def ready(self) -> None:
        super().ready()
        from gmg_portal.signed_in import track_sign_ins

        # The portal's own app config: who is signed in is kept while no user, group or session changes.
        track_sign_ins()
