"""Production settings: the deploy check, the security headers, hashed static files, the body limit."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from chairmanship.models import Chairmanship
from gmg_portal.middleware import MULTIPART_ALLOWANCE
from workplan.models import Event
from workplan.models import WorkingGroup

BASE_DIR = Path(settings.BASE_DIR)


def production_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CACHE_URL"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="gmg.example.org",
        DJANGO_SETTINGS_MODULE="gmg_portal.settings",
    )
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_stays_clean_behind_a_tls_proxy_without_the_ssl_redirect():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(DJANGO_SECURE_SSL_REDIRECT="0"))
    assert result.returncode == 0, result.stdout + result.stderr


def print_settings(env: dict[str, str], *names: str) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: str(getattr(settings, n)) for n in {list(names)!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_turns_on_hsts_secure_cookies_and_the_https_redirect():
    values = print_settings(
        production_env(),
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "X_FRAME_OPTIONS",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": "True",
        "SECURE_HSTS_SECONDS": "31536000",
        "SESSION_COOKIE_SECURE": "True",
        "CSRF_COOKIE_SECURE": "True",
        "X_FRAME_OPTIONS": "DENY",
    }
    behind_proxy = print_settings(production_env(DJANGO_SECURE_SSL_REDIRECT="0"), "SECURE_SSL_REDIRECT")
    assert behind_proxy == {"SECURE_SSL_REDIRECT": "False"}


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        ("", "DJANGO_SECRET_KEY must be set"),
        ("too-short", "DJANGO_SECRET_KEY must be set"),
        ("django-insecure-development-only-key-do-not-use-in-production", "DJANGO_SECRET_KEY must be set"),
    ],
)
def test_production_refuses_to_start_without_a_real_secret(secret, message):
    result = manage("check", env=production_env(DJANGO_SECRET_KEY=secret))
    assert result.returncode != 0
    assert message in result.stderr


def test_the_secret_can_come_from_a_file(tmp_path):
    secret = secrets.token_urlsafe(50)
    (tmp_path / "secret").write_text(secret + "\n")
    env = production_env(DJANGO_SECRET_KEY_FILE=str(tmp_path / "secret"))
    del env["DJANGO_SECRET_KEY"]
    assert print_settings(env, "SECRET_KEY") == {"SECRET_KEY": secret}

    env["DJANGO_SECRET_KEY_FILE"] = str(tmp_path / "missing")
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY_FILE: cannot read" in result.stderr


def test_a_malformed_proxy_count_names_the_variable():
    result = manage("check", env=production_env(DJANGO_PROXY_COUNT="two"))
    assert result.returncode != 0
    assert "DJANGO_PROXY_COUNT must be a whole number" in result.stderr


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    response = client.get("/")
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


class InlineCode(HTMLParser):
    """Collects what a `script-src 'self'; style-src 'self'` policy would block in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.blocked: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") not in {"application/json"}:
            self.blocked.append("inline <script>")
        if tag == "style":
            self.blocked.append("inline <style>")
        for name, value in attrs:
            if name.startswith("on"):
                self.blocked.append(f"<{tag} {name}=…>")
            if name == "style":
                self.blocked.append(f"<{tag} style={value!r}>")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith("javascript:"):
                self.blocked.append(f"<{tag} {name}={value!r}>")


def blocked_by_csp(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.blocked


@pytest.mark.django_db
def test_no_page_needs_inline_script_or_style(gmg, secretariat_client):
    event = Event.objects.filter(chairmanship__slug="2014-ilo").first()
    group = WorkingGroup.objects.first()
    final = Chairmanship.objects.get(slug="2014-ilo")
    pages = [
        "/",
        f"/workplan/{final.slug}/",
        "/events/",
        f"/events/{event.pk}/",
        "/working-groups/",
        f"/working-groups/{group.slug}/",
        "/carry-forward/",
        "/recommendations/",
        "/reports/",
        f"/reports/{final.slug}/",
        "/api/docs/",
        "/admin/",
        "/admin/chairmanship/chairmanship/",
        f"/admin/chairmanship/chairmanship/{final.pk}/change/",
        "/admin/workplan/event/add/",
    ]
    for url in pages:
        response = secretariat_client.get(url)
        assert response.status_code == 200, url
        assert blocked_by_csp(response.content.decode()) == [], url
    login = Client().get("/admin/login/")
    assert blocked_by_csp(login.content.decode()) == []


@pytest.mark.django_db
def test_with_debug_off_pages_reference_hashed_static_files(tmp_path, settings):
    """The production storage (as settings.py picks it when DEBUG is off) on the project's own static files.

    Only the project's static/ folder is collected here (the apps' files, the
    admin's and Swagger UI's, would take a minute to compress); the fault tests
    serve every page from a full collectstatic under gunicorn.
    """
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)

    response = Client().get("/")
    assert response.status_code == 200
    stylesheet = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', response.content.decode())
    assert stylesheet, "the page does not reference a hashed stylesheet"
    assert (settings.STATIC_ROOT / stylesheet.group(1).removeprefix("/static/")).is_file()


@pytest.mark.django_db
def test_an_oversized_api_body_gets_a_clear_413(secretariat_client):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = json.dumps({"acronym": "BIG", "name": "x" * (limit + 1)})
    response = secretariat_client.post("/api/v1/agencies/", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"] == f"The request body is larger than the limit of {limit} bytes."


@pytest.mark.django_db
def test_an_oversized_form_gets_a_clear_413(client):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.post("/admin/login/", {"username": "someone", "password": "x" * (limit + 1)})
    assert response.status_code == 413
    assert f"larger than the limit of {limit} bytes" in response.content.decode()


@pytest.mark.django_db
def test_an_oversized_urlencoded_form_is_refused_before_it_is_read(client):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = f"username=someone&password={'x' * limit}"
    response = client.post("/admin/login/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert f"larger than the limit of {limit} bytes" in response.content.decode()


@pytest.mark.django_db
def test_an_upload_beyond_the_import_cap_and_its_allowance_gets_a_clear_413(client, settings):
    # 5 MB and 8 MiB in use: a small pair keeps the test quick.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    settings.GMG_IMPORT_MAX_BYTES = 8192
    limit = settings.GMG_IMPORT_MAX_BYTES + MULTIPART_ALLOWANCE
    upload = SimpleUploadedFile("events.csv", b"x" * limit, content_type="text/csv")

    response = client.post("/admin/login/", {"import_file": upload})

    assert response.status_code == 413
    assert f"larger than the limit of {limit} bytes" in response.content.decode()


def test_the_import_cap_is_read_from_the_environment():
    unset = production_env()
    unset.pop("GMG_IMPORT_MAX_BYTES", None)
    assert print_settings(unset, "GMG_IMPORT_MAX_BYTES") == {"GMG_IMPORT_MAX_BYTES": str(8 * 1024 * 1024)}
    one_mib = production_env(GMG_IMPORT_MAX_BYTES="1048576")
    assert print_settings(one_mib, "GMG_IMPORT_MAX_BYTES") == {"GMG_IMPORT_MAX_BYTES": "1048576"}


@pytest.mark.parametrize(
    ("value", "message"),
    [("8MB", "GMG_IMPORT_MAX_BYTES must be a whole number"), ("0", "GMG_IMPORT_MAX_BYTES must be 1 or more")],
)
def test_a_malformed_import_cap_names_the_variable(value, message):
    result = manage("check", env=production_env(GMG_IMPORT_MAX_BYTES=value))
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.django_db
def test_a_body_within_the_limit_is_handled_as_usual(secretariat_client):
    response = secretariat_client.post(
        "/api/v1/agencies/", {"acronym": "SMALL", "name": "A small agency"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_a_malformed_content_length_is_a_400_not_a_500(client):
    response = client.generic("POST", "/admin/login/", b"", CONTENT_LENGTH="lots")
    assert response.status_code == 400
    assert "Content-Length" in response.content.decode()
