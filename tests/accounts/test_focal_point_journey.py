"""A focal point's first day, end to end: invited by the secretariat, they choose a password, sign in at
/accounts/login/, land on /my-agency/, and read their own term's draft report and not another agency's.

Real parts throughout: the admin's form, an SMTP server on 127.0.0.1, Django's reset token, the sign-in form.
"""

from __future__ import annotations

import re

from django.test import Client

from chairmanship.models import Agency
from chairmanship.models import Chairmanship
from tests.factories import EventFactory

PASSWORD = "a passphrase of my own 2015"


def test_an_invited_focal_point_signs_in_and_sees_its_own_draft_and_not_anothers(gmg, secretariat_client, mailbox):
    world_bank = Agency.objects.get(acronym="WB")
    own, other = Chairmanship.objects.get(slug="2015-wb"), Chairmanship.objects.get(slug="2013-iom")
    assert not own.is_final and not other.is_final
    # The World Bank's term has something recorded: a report with nothing in it is linked for no one.
    EventFactory(chairmanship=own, title="A first consultation of the incoming chair")

    # The secretariat opens the account; the invitation arrives.
    opened = secretariat_client.post(
        "/admin/auth/user/add/",
        {
            "email": "focal@worldbank.example",
            "first_name": "Ana",
            "last_name": "López",
            "role": "Agency",
            "agency": world_bank.pk,
        },
    )
    assert opened.status_code == 302
    body = mailbox.only().get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", body).group(1)

    # They choose a password from the link (Django moves the token into the session first).
    browser = Client()
    form = browser.get(link, follow=True)
    assert "Choose your password" in form.content.decode()
    chosen = browser.post(form.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert chosen["Location"] == "/accounts/reset/done/"
    assert browser.get(link, follow=True).context["validlink"] is False  # the link works once

    # They sign in on the site, and land on their agency's page.
    signed_in = browser.post(
        "/accounts/login/", {"username": "focal@worldbank.example", "password": PASSWORD}, follow=True
    )
    assert signed_in.redirect_chain[-1][0] == "/my-agency/"
    page = signed_in.content.decode()
    assert "World Bank" in page
    assert f'href="/reports/{own.slug}/"' in page

    # Their own term's draft report, in every form; another agency's draft stays unseen.
    for url in (f"/reports/{own.slug}/", f"/reports/{own.slug}.pdf", f"/api/v1/chairmanships/{own.slug}/report/"):
        assert browser.get(url).status_code == 200, url
    assert "DRAFT" in browser.get(f"/reports/{own.slug}/").content.decode()
    for url in (f"/reports/{other.slug}/", f"/reports/{other.slug}.pdf", f"/api/v1/chairmanships/{other.slug}/report/"):
        assert browser.get(url).status_code == 404, url
    admin = browser.get("/admin/")  # not staff: the admin is the secretariat's
    assert admin.status_code == 302 and admin["Location"].startswith("/admin/login/")
