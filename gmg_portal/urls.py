from django.conf import settings
from django.contrib import admin
from django.urls import include
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from gmg_portal import views

urlpatterns = [
    path("admin/", admin.site.urls),
    # The site's sign-in, sign-out, password change and reset (Django's views, the site's layout).
    path("accounts/", include("gmg_portal.accounts")),
    # Exempt from CSRF so the language switcher (templates/base.html) carries no token and public pages
    # can be shared from the page cache (gmg_portal/page_cache.py): a cross-site POST can only change a
    # visitor's language preference (and redirect to a safe URL of this site), which is harmless.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/queue", views.healthz_queue, name="healthz-queue"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("", include("pages.urls")),
    path("", include("chairmanship.urls")),
    path("", include("workplan.urls")),
    path("", include("reports.urls")),
    path("", include("gmg_portal.api_urls")),
]

# A database outage is a 503 with Retry-After; anything else unhandled stays a 500 (gmg_portal/errors.py).
handler500 = "gmg_portal.errors.server_error"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
