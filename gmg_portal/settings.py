"""Settings for the GMG Portal, read once from the environment.

With nothing set, development defaults serve the portal on an SQLite file in
the project folder. See README.md for every variable.
"""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from gmg_portal.countries import countries_override
from gmg_portal.env import cache_from_url
from gmg_portal.env import database_from_url
from gmg_portal.env import email_from_env
from gmg_portal.env import env_bool
from gmg_portal.env import env_int
from gmg_portal.env import env_list
from gmg_portal.env import env_public_url
from gmg_portal.env import env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=True)

_DEV_SECRET = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105 - refused when DEBUG is off
SECRET_KEY = env_str("DJANGO_SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 32 characters when DJANGO_DEBUG=0"
    )

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "gmg_portal.apps.PortalAdminConfig",  # django.contrib.admin with the portal's site (records first)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "django_countries",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "import_export",
    "simple_history",
    "django_q",
    "gmg_portal.apps.PortalConfig",  # the core's own tables (the generations: gmg_portal.cache)
    "jobs",  # heavy work done by workers (jobs/engine.py: django-q2 on the portal's own database)
    "audit",  # the domain models' history (django-simple-history), kept out of the domain apps
    "chairmanship",
    "workplan",
    "reports",
    "pages",  # the home page and the dashboard, across domains
    "devdata",  # synthetic history for benchmarks and load tests (generate_history)
]

MIDDLEWARE = [
    # The generations are read at most once a request (gmg_portal.cache): session, user and page share them.
    "gmg_portal.cache.OneGenerationPerRequest",
    # A page the page cache shares, answered again before the rest of the stack runs (gmg_portal.replay).
    "gmg_portal.replay.ReplayMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "gmg_portal.middleware.RequestBodyLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's AuthenticationMiddleware, with the user kept in memory while nothing changed (gmg_portal.signed_in).
    "gmg_portal.signed_in.SignedInMiddleware",
    # Puts a signed-in visitor's own links into the page (cached pages name nobody).
    "gmg_portal.account_links.AccountLinksMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records request.user as the author of every history entry (admin, pages and API alike).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the "locked out" response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gmg_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chairmanship.context_processors.current_chairmanship",
                "gmg_portal.context_processors.focal_point",
            ],
            # {{ value|http_url }}: stored URLs become links only if they are http(s).
            "builtins": ["gmg_portal.safe_urls", "gmg_portal.typography"],
        },
    },
]

WSGI_APPLICATION = "gmg_portal.wsgi.application"

DATABASES = {"default": database_from_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# `loaddata gmg` finds the real dataset here.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

CACHES = {"default": cache_from_url("CACHE_URL", default="locmem://gmg-portal")}
# Whether one process alone serves and writes, so that it may count the changes in its memory (gmg_portal.cache);
# never so in a deployment (gunicorn's workers, the job worker, commands): the database counts them there.
PORTAL_ONE_PROCESS = False

# django-axes first: it refuses a locked-out sign-in before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Dates as the UN writes them in English ("18 December 2014", not "Dec. 18, 2014"); French and Spanish
# keep Django's own formats, which already do (gmg_portal/formats/en/formats.py).
FORMAT_MODULE_PATH = ["gmg_portal.formats"]
# Countries by their UN short names in every language ("Russian Federation", "Türkiye"): gmg_portal/countries.py.
COUNTRIES_OVERRIDE = countries_override()

STATIC_URL = "/static/"
# Where collectstatic puts the hashed files whitenoise serves when DEBUG is off.
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# The site's own sign-in (focal points, principals; the secretariat too). The admin keeps its own page.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "pages:home"
LOGOUT_REDIRECT_URL = "pages:home"
# An invitation's link to set a password, like a reset link, works for this long (and only once).
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600

# E-mail (invitations, password resets): EMAIL_URL or the usual EMAIL_* variables; the console otherwise.
globals().update(email_from_env())  # EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT… as dj-email-url's docs suggest
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="GMG Portal <gmg-portal@localhost>")

# Requests larger than this are refused with 413 before anything reads them
# (gmg_portal.middleware.RequestBodyLimitMiddleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# The largest spreadsheet the admin imports (8 MiB); the import form refuses a
# larger one naming both sizes. Multipart bodies (uploads) may be this large
# plus a small allowance (gmg_portal.middleware.MULTIPART_ALLOWANCE); Django
# still holds their other fields to DATA_UPLOAD_MAX_MEMORY_SIZE.
GMG_IMPORT_MAX_BYTES = env_int("GMG_IMPORT_MAX_BYTES", 8 * 1024 * 1024)
if GMG_IMPORT_MAX_BYTES < 1:
    raise ImproperlyConfigured(f"GMG_IMPORT_MAX_BYTES must be 1 or more; got {GMG_IMPORT_MAX_BYTES}")

# The portal's public address (https://gmg.example.org): links printed in documents that leave the
# server (the report's and the handover pack's PDFs, build_report's standalone HTML) are built from it.
# Unset, those documents carry no link to the portal at all: never one to localhost or to whichever
# host name a request happened to use.
GMG_PUBLIC_URL = env_public_url("GMG_PUBLIC_URL")

# The job engine (django-q2) keeps its queue in the portal's database (ORM broker): no other service.
# A task whose worker died is handed to another once its lock expires (`retry` seconds, longer than the
# longest job may run: `timeout`); a failing job is tried at most `max_attempts` times (jobs/engine.py).
GMG_JOB_TIMEOUT = env_int("GMG_JOB_TIMEOUT", 300)
GMG_JOB_RETRY = env_int("GMG_JOB_RETRY", GMG_JOB_TIMEOUT + 30)
if not 0 < GMG_JOB_TIMEOUT < GMG_JOB_RETRY:
    raise ImproperlyConfigured(
        f"GMG_JOB_RETRY ({GMG_JOB_RETRY}) must be longer than GMG_JOB_TIMEOUT ({GMG_JOB_TIMEOUT}), and both above 0"
    )
Q_CLUSTER = {
    "name": "gmg",
    "orm": "default",
    "workers": env_int("GMG_WORKER_PROCESSES", 2),
    "timeout": GMG_JOB_TIMEOUT,
    "retry": GMG_JOB_RETRY,
    "max_attempts": env_int("GMG_JOB_MAX_ATTEMPTS", 3),
    "ack_failures": False,
    "catch_up": False,
    "save_limit": 500,
    "poll": 0.5,
    "bulk": 1,
    "recycle": 100,
    "label": _("Job engine (django-q2)"),
}
# Functions (dotted paths) that queue the work the records are waiting for, such as the first edition of
# a final report; run after the real dataset is loaded and when a worker starts (jobs.engine.queue_pending_work).
GMG_PENDING_WORK = ["reports.jobs.queue_missing_editions"]
# /healthz/queue answers 503 when a job has waited longer than this (seconds): workers are missing or stuck.
GMG_QUEUE_MAX_AGE = env_int("GMG_QUEUE_MAX_AGE", 600)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["gmg_portal.permissions.ReadPublicWriteSecretariat"],
    # JSON only, and a body nested too deeply is a 400 (gmg_portal/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["gmg_portal.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "gmg_portal.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "GMG Portal API",
    "DESCRIPTION": "The Global Migration Group's chairmanships, workplans, events, outputs and reports.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No online validator badge: it is a remote image.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Production hardening: on by default when DEBUG is off.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
if not DEBUG and not SECURE_SSL_REDIRECT:
    # Turned off on purpose: a TLS-terminating proxy in front redirects HTTP to HTTPS.
    SILENCED_SYSTEM_CHECKS = ["security.W008"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Django's database sessions, each read once per process while nothing changed (gmg_portal.signed_in).
SESSION_ENGINE = "gmg_portal.signed_in"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): nothing inline, nothing remote. The
# Swagger UI at /api/docs/ loads its initialisation as a separate script
# (SpectacularSwaggerSplitView) and its assets from the sidecar's static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}

# Brute force (django-axes): five failed sign-ins for the same user name from
# the same address lock that pair out for 30 minutes, the right password
# included; other users and other addresses are unaffected. Attempts are kept
# in the database, so every app server sees them and the secretariat can
# review and clear them in the admin ("Access attempts").
AXES_FAILURE_LIMIT = env_int("DJANGO_AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_RESET_ON_SUCCESS = True
# The 30 minutes run from the lockout: retrying meanwhile does not extend them.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
# Behind load balancers the client's address comes from X-Forwarded-For:
# DJANGO_PROXY_COUNT says how many proxies in front of the app append to it.
GMG_PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)
if GMG_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"DJANGO_PROXY_COUNT must be 0 or more; got {GMG_PROXY_COUNT}")
AXES_CLIENT_IP_CALLABLE = "gmg_portal.middleware.client_ip"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
