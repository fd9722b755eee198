"""A bare Django project for the throughput bench: one view answering "ok"; no app, middleware or database.

gunicorn serves it under the portal's own settings (gunicorn.conf.py, with
this module's `application` named on the command line), so /healthz against
it is what the portal's middleware stack, its URL table and /healthz's
`SELECT 1` cost on top of Django itself. Information only: no target.
"""

from __future__ import annotations

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest
from django.http import HttpResponse
from django.urls import path

# Configured here rather than through DJANGO_SETTINGS_MODULE: nothing of gmg_portal.settings may leak in.
settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-bare-site-serves-no-secret",  # signs nothing: no session, no CSRF, no messages
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    DATABASES={},
)

BARE_PATH = "/ok"


def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path(BARE_PATH.lstrip("/"), ok)]

application = get_wsgi_application()
