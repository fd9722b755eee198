"""The admin, installed with the portal's own site (gmg_portal/admin.py PortalAdminSite) as `admin.site`."""

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "gmg_portal.admin.PortalAdminSite"
