"""Read-only roles write nothing through the admin, whatever admin URL they post to.

Every URL pattern under /admin/ is taken from Django's URL resolver, so a
view added later is covered without editing this file (a pattern whose
parameters cannot be filled in fails here, asking for a value). For each,
the secretariat opens the page as a browser would, and every form it is shown
(change and revert forms with their inlines, the changelist's actions with a
record selected, delete confirmations, an import with a file that changes a
record, the import's confirmation after a real preview) is posted back,
complete and valid, by an Agency and a Principal staff user and by an
anonymous visitor (an import's pages: its preview, made by the secretariat
and checked by a worker, and the button that confirms it). Afterwards the records, their history, the stored editions,
the accounts and the admin's log are exactly as they were.

Signing in, signing out and changing one's own password write by design:
they are the explicit allow-list below.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import get_resolver
from django.utils import timezone
from django_q.models import Schedule
from django_q.models import Task
from rest_framework.authtoken.models import Token

from audit.baseline import history_baseline
from chairmanship.models import Chairmanship
from chairmanship.models import FocalPoint
from gmg_portal.import_jobs import PREVIEW
from gmg_portal.import_jobs import queue_import_job
from jobs.models import Job
from reports.jobs import queue_edition
from reports.models import ReportEdition
from reports.models import ReportEditionRendering
from tests.factories import ActivityFactory
from tests.integrity.forms import HtmlForm
from tests.integrity.forms import post_forms
from tests.jobs.support import work_off_the_queue

# Views whose purpose is to change the signed-in person's own session or password.
ALLOWED_TO_WRITE = {"admin:login", "admin:logout", "admin:password_change", "admin:password_change_done"}
# The one table a read-only visit may change: sessions (the personas are signed in).
UNWATCHED_TABLES = {"django_session"}
READ_ONLY_ROLES = ["Agency", "Principal"]


@dataclass(frozen=True)
class AdminPattern:
    route: str  # as the resolver writes it, below the site root
    name: str | None
    model_prefix: str | None  # "<app_label>/<model_name>/" for a ModelAdmin's own URLs
    parameters: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.route


def _parameters(pattern: URLPattern) -> tuple[str, ...]:
    """The names of a pattern's parameters in order; unnamed regex groups take the view's argument names."""
    regex = pattern.pattern.regex
    if regex.groupindex:
        return tuple(sorted(regex.groupindex, key=regex.groupindex.get))
    if regex.groups:
        view = inspect.unwrap(pattern.callback)
        arguments = [name for name in inspect.signature(view).parameters if name not in ("self", "request")]
        return tuple(arguments[: regex.groups])
    return ()


def _walk(patterns, prefix: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def admin_patterns() -> list[AdminPattern]:
    found = []
    models = {f"{m._meta.app_label}/{m._meta.model_name}/" for m in admin.site._registry}
    for route, pattern in _walk(get_resolver().url_patterns):
        if not route.startswith("admin/"):
            continue
        below = route.removeprefix("admin/")
        prefix = next((p for p in models if below.startswith(p)), None)
        found.append(
            AdminPattern(
                route=below, name=pattern.name, model_prefix=prefix, parameters=_parameters(pattern) or _names(route)
            )
        )
    return found


def _names(route: str) -> tuple[str, ...]:
    return tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))


PATTERNS = admin_patterns()


def test_the_allow_list_names_real_admin_views():
    names = {f"admin:{pattern.name}" for pattern in PATTERNS if pattern.name}

    assert ALLOWED_TO_WRITE <= names
    assert len(PATTERNS) > 100  # every ModelAdmin's views, the site's own, import-export's and history's


# The world the forms act on ---------------------------------------------------------


@dataclass
class World:
    term: Chairmanship
    secretariat: User
    focal_point_user: User

    def record(self, pattern: AdminPattern):
        """The record a ModelAdmin's pages act on (with a history entry to revert to); the term for the site's."""
        if pattern.model_prefix is None:
            return self.term  # the site's own views (view on site) look at the term
        model = next(
            m for m in admin.site._registry if f"{m._meta.app_label}/{m._meta.model_name}/" == pattern.model_prefix
        )
        if model is Chairmanship:
            record = self.term  # the final report: a revert could unpublish it, an edit turn it back to draft
        elif model is User:
            record = self.secretariat
        elif model is Group:
            record = Group.objects.get(name="Secretariat")
        elif model is FocalPoint:
            record = FocalPoint.objects.get_or_create(user=self.focal_point_user, agency=self.term.agency)[0]
        else:
            record = model._default_manager.order_by("pk").first()
        assert record is not None, f"no {model._meta.label} to act on"
        if getattr(type(record), "history", None) is not None:
            history_baseline(instance=record)  # so its history page has a version to revert to
        return record


@pytest.fixture
def world(gmg, secretariat_user) -> World:
    """A record behind every registered admin: the real data, an activity, an edition, a token, sign-in logs."""
    from axes.models import AccessAttempt
    from axes.models import AccessFailureLog
    from axes.models import AccessLog

    term = Chairmanship.objects.get(slug="2014-ilo")
    ActivityFactory(objective=term.objectives.order_by("number").first())  # the real data records none
    edition = ReportEdition.objects.create(
        chairmanship=term, number=1, language="en", fingerprint="f" * 64, data={"slug": term.slug}
    )
    ReportEditionRendering.objects.create(edition=edition, language="en", title="Report", html="<p>", pdf=b"%PDF-")
    Token.objects.create(user=secretariat_user)
    attempt = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "someone", "http_accept": "*/*"}
    AccessAttempt.objects.create(**attempt, path_info="/admin/login/", failures_since_start=1)
    AccessLog.objects.create(**attempt, path_info="/admin/login/")
    AccessFailureLog.objects.create(**attempt, path_info="/admin/login/", locked_out=False)
    # The job engine's records: a job queued (with its task in the engine's queue), a schedule, results.
    queue_edition(chairmanship=term, note="Annex B: a date corrected.")
    Schedule.objects.create(func="jobs.engine.queue_pending_work", schedule_type=Schedule.HOURLY)
    for success in (True, False):
        Task.objects.create(
            id=f"task-{success}",
            name=f"task-{success}",
            func="jobs.engine.run",
            started=timezone.now(),
            stopped=timezone.now(),
            success=success,
        )
    focal_point_user = User.objects.create_user(username="focal-point")
    return World(term=term, secretariat=secretariat_user, focal_point_user=focal_point_user)


def _value(name: str, pattern: AdminPattern, world: World) -> str:
    if name in ("object_id", "pk", "id"):
        return str(world.record(pattern).pk)
    if name == "version_id":
        record = world.record(pattern)
        return str(type(record).history.filter(id=record.pk).latest("history_id").history_id)
    if name == "content_type_id":
        return str(ContentType.objects.get_for_model(Chairmanship).pk)
    if name == "app_label":
        return "chairmanship"
    if name == "slug":
        return "2014-ilo"
    if name == "url":
        return "no-such-page/"
    if name == "job_id":
        return str(import_preview(pattern, world).pk)
    pytest.fail(f"admin/{pattern.route}: no value for the parameter {name!r}; add one to _value() in {__file__}")


def concrete_url(pattern: AdminPattern, world: World) -> str:
    """The pattern with every parameter filled in, as a path."""
    route = pattern.route.replace("^", "").replace("$", "")  # a regex's anchors, where it joins its prefix
    values = iter([_value(name, pattern, world) for name in pattern.parameters])
    if "(" in route:  # a regular expression: each group, named or not, takes the next value
        route = re.sub(r"\((?:\?P<\w+>)?[^()]*\)", lambda _match: next(values), route)
        return "/admin/" + route.replace("\\", "")
    return "/admin/" + re.sub(r"<(?:\w+:)?\w+>", lambda _match: next(values), route)


# What a browser would post --------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    description: str
    data: dict[str, list[str]]
    files: dict[str, SimpleUploadedFile]


def _changed_export(pattern: AdminPattern, world: World) -> bytes:
    """The model's own CSV export with one text cell of its first record changed: importing it would write."""
    model = type(world.record(pattern))
    model_admin = admin.site._registry[model]
    resource = model_admin.get_export_resource_classes(None)[0]()
    dataset = resource.export(model._default_manager.filter(pk=world.record(pattern).pk))
    headers = dataset.headers
    column = next(name for name in ("title", "text", "name") if name in headers)
    row = list(dataset[0])
    row[headers.index(column)] = f"{row[headers.index(column)]} (changed by an import)"
    dataset[0] = row
    return dataset.csv.encode()


def import_preview(pattern: AdminPattern, world: World) -> Job:
    """The preview of an import that changes a record, asked for by the secretariat and checked by a worker."""
    model_admin = admin.site._registry[type(world.record(pattern))]
    job = queue_import_job(
        kind=PREVIEW,
        resource=model_admin.get_import_resource_classes(None)[0],
        file_format=model_admin.get_import_formats()[0],
        upload=_changed_export(pattern, world),
        upload_name="records.csv",
        user=world.secretariat,
        language="en",
    )
    work_off_the_queue()
    return job


def submissions(form: HtmlForm, pattern: AdminPattern, world: World) -> list[Submission]:
    """Every way the secretariat could submit this form: each action of a changelist, each submit button."""
    files = {}
    for name in form.files:
        content = _changed_export(pattern, world)
        files[name] = SimpleUploadedFile("records.csv", content, content_type="text/csv")

    def data(submit: tuple[str, str] | None = None) -> dict[str, list[str]]:
        sent = form.data(submit=submit)
        if "format" in sent and files:  # import-export's format choice: CSV is the first one
            sent["format"] = ["0"]
        return sent

    if "action" in form.selects:
        record = world.record(pattern) if pattern.model_prefix else None
        result = []
        for action in (value for value in form.selects["action"] if value):
            sent = {**data(), "action": [action], "post": ["yes"], "index": ["0"]}
            if record is not None:
                sent["_selected_action"] = [str(record.pk)]
            result.append(Submission(f"action {action}", sent, files))
        return result
    buttons = form.submits or [None]
    return [Submission(f"button {button[0] if button else '(none)'}", data(button), files) for button in buttons]


def _page_forms(client: Client, url: str) -> list[HtmlForm]:
    response = client.get(url, follow=True)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    forms = post_forms(response.content.decode())
    # The header's language switcher and sign-out are not the page's forms.
    return [form for form in forms if not form.action.endswith(("/i18n/setlang/", "/logout/"))]


def _confirmation_forms(client: Client, url: str, forms: list[HtmlForm], pattern: AdminPattern, world: World):
    """An import's preview, uploaded by the secretariat and checked by a worker, yields the form that confirms it."""
    found = []
    for form in forms:
        if not form.files:
            continue
        for submission in submissions(form, pattern, world):
            response = client.post(form.action or url, {**submission.data, **submission.files})
            if response.status_code != 302:
                continue
            work_off_the_queue()
            page = client.get(response["Location"])
            found.extend(f for f in post_forms(page.content.decode()) if f.action.endswith("/confirm/"))
    return found


# The database, as far as a write would show ---------------------------------------


def _watched_tables() -> list[str]:
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    return sorted(t for t in tables if t not in UNWATCHED_TABLES)


def database_state() -> dict[str, list[tuple]]:
    quote = connection.ops.quote_name
    state = {}
    with connection.cursor() as cursor:
        for table in _watched_tables():
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY 1")  # noqa: S608 - names from introspection
            columns = [column[0] for column in cursor.description]
            rows = cursor.fetchall()
            if table == "auth_user":  # signing the personas in is not a write to a record
                at = columns.index("last_login")
                rows = [(*row[:at], *row[at + 1 :]) for row in rows]
            state[table] = rows
    return state


def _read_only_client(role: str) -> Client:
    user = User.objects.create_user(username=f"{role.lower()}-staff", password="a long passphrase", is_staff=True)  # noqa: S106
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


def _differences(before: dict, after: dict) -> dict[str, str]:
    return {
        table: f"{len(before.get(table, []))} rows before, {len(after.get(table, []))} after"
        for table in sorted(set(before) | set(after))
        if before.get(table) != after.get(table)
    }


def _attempts(pattern: AdminPattern, world: World, secretariat_client: Client) -> list[tuple[str, Submission]]:
    url = concrete_url(pattern, world)
    forms = _page_forms(secretariat_client, url)
    forms += _confirmation_forms(secretariat_client, url, forms, pattern, world)
    attempts = [(url, Submission(f"{pattern.label}: an empty POST", {}, {}))]
    for form in forms:
        for submission in submissions(form, pattern, world):
            attempts.append(
                (
                    form.action or url,
                    Submission(f"{pattern.label}: {submission.description}", submission.data, submission.files),
                )
            )
    return attempts


# One test for each ModelAdmin (all its URLs) and one for the site's own views.
GROUPS = sorted({pattern.model_prefix or "" for pattern in PATTERNS})


@pytest.mark.parametrize("group", GROUPS, ids=lambda group: group or "the admin site")
def test_read_only_roles_write_nothing_through_any_admin_url(world, secretariat_client, group):
    patterns = [
        pattern
        for pattern in PATTERNS
        if (pattern.model_prefix or "") == group and f"admin:{pattern.name}" not in ALLOWED_TO_WRITE
    ]
    attempts = [attempt for pattern in patterns for attempt in _attempts(pattern, world, secretariat_client)]
    clients = {role: _read_only_client(role) for role in READ_ONLY_ROLES} | {"anonymous": Client()}
    before = database_state()

    for role, client in clients.items():
        for target, submission in attempts:
            files = {name: SimpleUploadedFile(f.name, f.read(), f.content_type) for name, f in submission.files.items()}
            for upload in submission.files.values():
                upload.seek(0)
            response = client.post(target, {**submission.data, **files})

            assert response.status_code < 500, (role, target, submission.description)

    tried = "; ".join(f"POST {target} ({submission.description})" for target, submission in attempts)
    assert _differences(before, database_state()) == {}, f"as {', '.join(clients)}, one of: {tried}"
