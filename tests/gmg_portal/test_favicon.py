"""The portal's icon: linked from every page, and /favicon.ico (where browsers look unasked) answers."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static


def test_favicon_ico_redirects_to_the_icon_among_the_static_files(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("favicon.svg")
    assert "max-age=86400" in response["Cache-Control"]
    assert finders.find("favicon.svg") is not None


@pytest.mark.django_db
def test_every_page_links_the_icon(client):
    html = client.get("/events/").content.decode()
    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in html
