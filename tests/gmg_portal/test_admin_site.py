"""The admin's home lists the GMG's records first, in the secretariat's sections, and the technical ones last;
narratives say what Markdown allows and are previewed by the report's own sanitiser."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from chairmanship.models import Accomplishment
from chairmanship.models import Chairmanship

RECORD_SECTIONS = [
    "Terms and reports",
    "Workplan",
    "Events and outputs",
    "Follow-up: recommendations and carry-forward issues",
    "Accounts: who signs in, and for which agency",
    "Jobs",
]
PREVIEW = "/admin/markdown-preview/"


def section_captions(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", caption).strip() for caption in re.findall(r"<caption>(.*?)</caption>", html, re.S)]


def listed_models(html: str) -> list[str]:
    """Each model row of the home page, as `<section>-<model>` (the row's id)."""
    return re.findall(r'<th scope="row" id="([\w-]+)">', html)


@pytest.mark.django_db
def test_the_home_page_lists_the_records_first_and_the_technical_sections_last(secretariat_client, admin_client):
    """The secretariat's own home page holds its sections only; a superuser's has the technical ones after them."""
    assert section_captions(secretariat_client.get("/admin/").content.decode()) == RECORD_SECTIONS

    html = admin_client.get("/admin/").content.decode()
    captions = section_captions(html)
    assert captions[: len(RECORD_SECTIONS)] == RECORD_SECTIONS
    technical = captions[len(RECORD_SECTIONS) :]
    assert {"Auth Token", "Authentication and Authorization", "Axes"} <= set(technical)
    rows = listed_models(html)
    assert rows[:4] == [
        "terms-and-reports-chairmanship",
        "terms-and-reports-reportedition",
        "terms-and-reports-accomplishment",
        "terms-and-reports-agency",
    ]
    assert "events-and-outputs-event" in rows
    assert "follow-up-carryforwardissue" in rows
    assert "jobs-job" in rows


@pytest.mark.django_db
def test_every_registered_model_is_listed_once(admin_client):
    """A superuser sees every model of the site: none lost or doubled by the sections."""
    html = admin_client.get("/admin/").content.decode()
    rows = listed_models(html)
    names = [row.rsplit("-", 1)[1] for row in rows]

    assert sorted(names) == sorted(model._meta.model_name for model in admin.site._registry)
    assert "Records of the chairmanships" in html


@pytest.mark.django_db
def test_an_apps_own_page_still_lists_its_models(secretariat_client):
    response = secretariat_client.get(reverse("admin:app_list", args=["workplan"]))

    assert response.status_code == 200
    assert section_captions(response.content.decode()) == ["Workplan"]


# Markdown: help and preview -------------------------------------------------------


@pytest.mark.django_db
def test_narratives_say_what_markdown_allows_and_offer_a_preview(gmg, secretariat_client):
    term = Chairmanship.objects.get(slug="2014-ilo")
    html = secretariat_client.get(reverse("admin:chairmanship_chairmanship_change", args=[term.pk])).content.decode()

    for field in ("introduction", "accomplishments_intro", "workplan_narrative", "handover_narrative"):
        assert re.search(rf'<textarea[^>]*data-markdown-preview="{PREVIEW}"[^>]*id="id_{field}"', html), field
    # The accomplishments inline too.
    assert re.search(rf'<textarea[^>]*data-markdown-preview="{PREVIEW}"[^>]*id="id_accomplishments-0-narrative"', html)
    assert html.count("No images, scripts, styles or frames") >= 5
    assert "/static/js/markdown-preview.js" in html

    accomplishment = Accomplishment.objects.filter(chairmanship=term).first()
    page = secretariat_client.get(reverse("admin:chairmanship_accomplishment_change", args=[accomplishment.pk]))
    assert 'data-markdown-preview="/admin/markdown-preview/"' in page.content.decode()


@pytest.mark.django_db
def test_the_preview_is_the_reports_sanitised_html(secretariat_client):
    text = (
        "**Bold** and [a link](https://www.ilo.org).\n\n"
        "<script>alert('x')</script>\n\n<iframe src='https://evil.example'></iframe>\n\n"
        "[click](javascript:alert(1)) <img src='https://evil.example/x.png'>\n\n"
        "Note[^1].\n\n[^1]: A footnote."
    )
    response = secretariat_client.post(PREVIEW, {"text": text})

    assert response.status_code == 200
    html = response.json()["html"]
    assert "<strong>Bold</strong>" in html
    assert 'href="https://www.ilo.org"' in html
    assert "A footnote." in html
    for hostile in ("<script", "<iframe", "javascript:", "<img", "evil.example"):
        assert hostile not in html


@pytest.mark.django_db
def test_the_preview_of_nothing_is_empty_and_a_get_is_refused(secretariat_client):
    assert secretariat_client.post(PREVIEW, {}).json() == {"html": ""}
    assert secretariat_client.get(PREVIEW).status_code == 405


@pytest.mark.django_db
def test_the_preview_is_for_the_secretariat_only(client):
    """Anonymous visitors are sent to sign in; read-only staff (Agency, Principal) are refused."""
    response = client.post(PREVIEW, {"text": "**x**"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]

    for role in ("Agency", "Principal"):
        user = User.objects.create_user(username=role.lower(), password="a long passphrase", is_staff=True)  # noqa: S106
        user.groups.add(Group.objects.get(name=role))
        staff = Client()
        staff.force_login(user)
        assert staff.post(PREVIEW, {"text": "**x**"}).status_code == 403, role


@pytest.mark.django_db
def test_the_preview_needs_the_csrf_token(secretariat_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat_user)

    assert client.post(PREVIEW, {"text": "**x**"}).status_code == 403
