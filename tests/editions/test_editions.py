"""Frozen editions of a final report: served byte for byte, corrected with a note, and what changed since."""

from __future__ import annotations

import io

import pytest
from django.db import IntegrityError
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from chairmanship.models import CarryForwardIssue
from chairmanship.models import Chairmanship
from chairmanship.services import chairmanship_save
from jobs.engine import queue_pending_work
from jobs.engine import run
from jobs.models import Job
from reports.editions import edition_diff
from reports.jobs import queue_edition
from reports.jobs import render_edition
from reports.models import ReportEdition
from reports.models import ReportEditionRendering
from reports.selectors import assemble_report
from tests.conftest import empty_cache
from tests.factories import ChairmanshipFactory
from tests.factories import EventFactory
from tests.jobs.support import work_off_the_queue
from workplan.models import Event
from workplan.services import event_save

# Every test here issues editions: each is its report rendered as HTML and PDF in every language.
pytestmark = pytest.mark.slow

LAUNCH = "Launch of the Turkish GFMD Chairmanship"


def pdf_text(content: bytes) -> str:
    """The text of every page, with line breaks as spaces."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def report_urls(slug: str) -> tuple[str, str]:
    return (
        reverse("reports:report-detail", kwargs={"slug": slug}),
        reverse("reports:report-pdf", kwargs={"slug": slug}),
    )


def stored(edition: ReportEdition, language: str = "en") -> ReportEditionRendering:
    """The edition's stored rendering in `language`."""
    return edition.renderings.get(language=language)


def rename_launch(title: str) -> Event:
    event = Event.objects.get(chairmanship__slug="2014-ilo", title=LAUNCH)
    return event_save(data={"title": title}, event=event)


@pytest.mark.django_db
def test_the_fixtures_final_term_gets_its_first_edition_from_a_worker(gmg, client, django_assert_num_queries):
    html_url, pdf_url = report_urls("2014-ilo")
    assert not ReportEdition.objects.exists()

    # Until a worker has rendered it, the report is said to be on its way; no request renders it.
    waiting = client.get(html_url)
    assert waiting.status_code == 200
    assert "first edition is being prepared" in waiting.content.decode()
    pending = client.get(pdf_url)
    assert (pending.status_code, pending["Retry-After"]) == (503, "30")
    assert APIClient().get("/api/v1/chairmanships/2014-ilo/report/").status_code == 503
    assert not ReportEdition.objects.exists()

    [job] = queue_pending_work()  # as after `load_real_data`, or when a worker starts
    assert queue_pending_work() == []  # queued once
    work_off_the_queue()

    job.refresh_from_db()
    assert (job.status, job.attempts, job.subject) == (Job.Status.DONE, 1, "2014-ilo")
    first = client.get(pdf_url)
    assert first.status_code == 200
    edition = ReportEdition.objects.get()
    assert (edition.chairmanship.slug, edition.number, edition.language, edition.note) == ("2014-ilo", 1, "en", "")
    assert edition.job == job and edition.data_read_at is not None
    assert job.result["edition"] == 1
    assert sorted(edition.renderings.values_list("language", flat=True)) == ["en", "es", "fr"]
    assert first.content == bytes(stored(edition).pdf)
    assert first["Content-Disposition"] == 'attachment; filename="gmg-chairmanship-report-2014-ilo.pdf"'
    text = pdf_text(first.content)
    assert "International Labour Organization Chairmanship Report" in text
    assert "Corrigendum" not in text  # edition 1 corrects nothing
    term = Chairmanship.objects.get(slug="2014-ilo")
    assert edition.data == assemble_report(chairmanship=term).as_dict()
    assert edition.fingerprint == assemble_report(chairmanship=term).fingerprint

    # Again: from the page cache, no query at all.
    with django_assert_num_queries(0):
        again = client.get(pdf_url)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    # With nothing remembered: 1 the term · 1 its latest edition's English rendering with the edition (stored
    # content deferred) · 1 the PDF bytes
    empty_cache()
    with django_assert_num_queries(3):
        again = client.get(pdf_url)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    # 1 the term · 1 its latest edition's English rendering with its HTML · 1 the layout's current term
    with django_assert_num_queries(3):
        page = client.get(html_url)
    assert page.status_code == 200
    assert stored(edition).html in page.content.decode()
    assert "Edition 1, issued" in stored(edition).html
    assert ReportEdition.objects.count() == 1


@pytest.mark.django_db
def test_a_job_taken_again_after_it_stored_its_edition_stores_no_second_one(gmg):
    [job] = queue_pending_work()
    work_off_the_queue()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED)  # as if its worker died before saying so

    assert run(job.pk) == {"edition": 1, "already_stored": True}
    assert ReportEdition.objects.count() == 1


@pytest.mark.django_db
def test_an_edit_after_publication_leaves_the_served_edition_byte_identical(
    gmg_published, client, django_assert_num_queries
):
    html_url, pdf_url = report_urls("2014-ilo")
    api = APIClient()
    pdf_before = client.get(pdf_url)
    html_before = client.get(html_url).content.decode()
    json_before = api.get("/api/v1/chairmanships/2014-ilo/report/").json()
    edition = ReportEdition.objects.get()

    rename_launch("Launch of the GFMD Chairmanship of Türkiye")
    term = Chairmanship.objects.get(slug="2014-ilo")
    chairmanship_save(data={"theme": "A theme written after publication"}, chairmanship=term)
    live = assemble_report(chairmanship=term)
    assert live.theme == "A theme written after publication"  # the data did change

    pdf_after = client.get(pdf_url)
    html_after = client.get(html_url).content.decode()
    json_after = api.get("/api/v1/chairmanships/2014-ilo/report/").json()

    assert pdf_after.content == pdf_before.content == bytes(stored(edition).pdf)
    assert pdf_after["ETag"] == pdf_before["ETag"]
    assert stored(edition).html in html_before and stored(edition).html in html_after
    assert "Türkiye" not in html_after and "A theme written after publication" not in html_after
    assert LAUNCH in pdf_text(pdf_after.content)
    assert json_after == json_before
    assert json_after["theme"] != "A theme written after publication"
    # The page cache's copy answers: no query.
    with django_assert_num_queries(0):
        revalidated = client.get(pdf_url, HTTP_IF_NONE_MATCH=pdf_before["ETag"])
    assert revalidated.status_code == 304
    # With nothing remembered: 1 the term · 1 the edition's rendering: a current copy costs no PDF bytes
    empty_cache()
    with django_assert_num_queries(2):
        revalidated = client.get(pdf_url, HTTP_IF_NONE_MATCH=pdf_before["ETag"])
    assert revalidated.status_code == 304
    assert ReportEdition.objects.count() == 1


@pytest.mark.django_db
def test_a_corrected_edition_is_one_action_and_is_served_with_its_note(gmg_published, client, secretariat_client):
    html_url, pdf_url = report_urls("2014-ilo")
    first = client.get(pdf_url)
    rename_launch("Launch of the GFMD Chairmanship of Türkiye")
    issue_url = reverse("admin:reports_reportedition_issue", kwargs={"slug": "2014-ilo"})

    review = secretariat_client.get(issue_url)
    assert review.status_code == 200
    page = review.content.decode()
    assert LAUNCH in page and "Launch of the GFMD Chairmanship of Türkiye" in page
    assert "Issue edition 2" in page

    note = "The name of the **launch** of the GFMD Chairmanship now follows the country's name."
    response = secretariat_client.post(issue_url, {"note": note})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:reports_reportedition_changelist")
    # Queued for a worker: meanwhile edition 1 stays served.
    assert not ReportEdition.objects.filter(number=2).exists()
    assert client.get(pdf_url).content == first.content
    work_off_the_queue()
    second = ReportEdition.objects.get(number=2)
    assert second.note == note and second.issued_by.username == "secretariat"
    served = client.get(pdf_url)
    assert served.content == bytes(stored(second).pdf) != first.content
    assert served["ETag"] != first["ETag"]
    text = pdf_text(served.content)
    assert "Corrigendum" in text
    assert "Edition 2, issued" in text and "replaces edition 1" in text
    assert "now follows the country's name" in text
    assert "Türkiye" in text
    html = client.get(html_url).content.decode()
    assert 'class="corrigendum"' in html
    assert "The name of the <strong>launch</strong> of the GFMD Chairmanship" in html
    assert "Türkiye" in html
    # Edition 1 stays stored, unchanged.
    assert bytes(stored(ReportEdition.objects.get(number=1)).pdf) == first.content


@pytest.mark.django_db
def test_the_change_list_names_what_changed_since_the_latest_edition(gmg_published):
    term = Chairmanship.objects.get(slug="2014-ilo")
    assert not edition_diff(chairmanship=term).has_changes

    rename_launch("Launch of the GFMD Chairmanship of Türkiye")
    added = event_save(
        data={
            "chairmanship": term,
            "title": "A meeting recorded after publication",
            "kind": Event.Kind.MEETING,
            "start_date": term.start_date,
            "chair_role": Event.ChairRole.CONVENED,
        }
    )
    dropped = CarryForwardIssue.objects.filter(handed_over_in=term, origin=term).order_by("number").last()
    dropped.delete()

    diff = edition_diff(chairmanship=term)

    assert diff.edition.number == 1
    sections = {section.section: section for section in diff.sections}
    annex = sections["Annex B. Activities and outputs"]
    assert [change.what for change in annex.added if "after publication" in change.what] == [added.title]
    assert any(change.what == LAUNCH for change in annex.removed)
    renamed = [change for section in diff.sections for change in section.changed if "title" in change.what]
    assert any(LAUNCH in change.what and "Türkiye" in change.what for change in renamed)
    handover = sections["IV. Handover"]
    assert len(handover.removed) == 1
    assert handover.removed[0].what.startswith(f"{dropped.number}. {dropped.text[:60]}")
    assert handover.removed[0].where.startswith("issue_groups › From ILO's Chairmanship")
    assert "Term" not in sections and "Theme" not in sections


@pytest.mark.django_db
def test_issuing_refuses_a_missing_note_and_a_draft_naming_the_field(gmg_published, secretariat_client):
    term = Chairmanship.objects.get(slug="2014-ilo")
    issue_url = reverse("admin:reports_reportedition_issue", kwargs={"slug": "2014-ilo"})

    response = secretariat_client.post(issue_url, {"note": "   "})
    assert response.status_code == 200
    assert "note" in response.context["form"].errors
    assert ReportEdition.objects.count() == 1

    draft = secretariat_client.post(
        reverse("admin:reports_reportedition_issue", kwargs={"slug": "2015-wb"}), {"note": "A correction."}
    )
    assert draft.status_code == 200
    assert "still a draft" in draft.content.decode()
    assert not ReportEdition.objects.filter(chairmanship__slug="2015-wb").exists()
    with pytest.raises(Exception, match="note"):
        queue_edition(chairmanship=term, note="")
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_only_the_secretariat_issues_editions(gmg, client, agency_user, secretariat_client):
    issue_url = reverse("admin:reports_reportedition_issue", kwargs={"slug": "2014-ilo"})
    agency_user.is_staff = True  # even a staff account outside the Secretariat group
    agency_user.save(update_fields=["is_staff"])
    client.force_login(agency_user)
    assert client.post(issue_url, {"note": "A correction."}).status_code == 403
    assert not ReportEdition.objects.exists()
    client.logout()
    assert client.get(issue_url).status_code == 302  # to the sign-in page


@pytest.mark.django_db
def test_the_edition_admin_lists_and_downloads_editions_and_offers_the_issue_button(
    gmg_published, secretariat_client, django_assert_num_queries
):
    edition = ReportEdition.objects.get(chairmanship__slug="2014-ilo")
    # 1 session · 1 user · 2 permissions (user's, groups') · 2 counts (all, filtered) · 1 the page of editions
    # with term, agency and issuer (stored content deferred)
    with django_assert_num_queries(7):
        listing = secretariat_client.get(reverse("admin:reports_reportedition_changelist"))
    assert listing.status_code == 200 and "2014-ilo" in listing.content.decode()
    change = secretariat_client.get(reverse("admin:reports_reportedition_change", args=[edition.pk]))
    issue_url = reverse("admin:reports_reportedition_issue", kwargs={"slug": "2014-ilo"})
    assert issue_url in change.content.decode()
    pdf_url = reverse("admin:reports_reportedition_pdf", args=[edition.pk])
    for language in ("en", "fr", "es"):
        assert f"{pdf_url}?lang={language}" in change.content.decode()
    download = secretariat_client.get(pdf_url)
    assert download.content == bytes(stored(edition).pdf)
    french = secretariat_client.get(pdf_url, {"lang": "fr"})
    assert french.content == bytes(stored(edition, "fr").pdf) != download.content
    assert french["Content-Disposition"].endswith('-edition-1-fr.pdf"')
    unknown = secretariat_client.get(pdf_url, {"lang": "xx"})
    assert unknown.status_code == 400 and unknown.content.decode().startswith("lang: this edition is stored in en,")
    action = secretariat_client.post(
        reverse("admin:reports_reportedition_changelist"),
        {"action": "issue_corrected_edition_action", "_selected_action": [edition.pk]},
    )
    assert action.status_code == 302 and action["Location"] == issue_url


@pytest.mark.django_db
def test_marking_a_report_final_through_the_api_queues_edition_1(secretariat_user):
    term = ChairmanshipFactory(theme="The theme as finalised")
    api = APIClient()
    api.force_authenticate(secretariat_user)
    url = f"/api/v1/chairmanships/{term.slug}/"

    assert api.patch(url, {"theme": "Still a draft"}, format="json").status_code == 200
    assert not ReportEdition.objects.exists()
    marked = api.patch(url, {"theme": "The theme as finalised", "report_status": "final"}, format="json")
    assert marked.status_code == 200 and marked["ETag"]
    assert marked.json()["edition_status"] == "queued"
    assert not ReportEdition.objects.exists()  # the answer did not wait for a rendering
    work_off_the_queue()
    assert api.get(url).json()["edition_status"] == "stored"

    edition = ReportEdition.objects.get()
    assert (edition.chairmanship_id, edition.number, edition.data["theme"]) == (term.pk, 1, "The theme as finalised")
    assert api.patch(url, {"theme": "Edited after publication"}, format="json").status_code == 200
    assert ReportEdition.objects.count() == 1
    report = APIClient().get(f"/api/v1/chairmanships/{term.slug}/report/").json()
    assert report["theme"] == "The theme as finalised"
    assert "The theme as finalised" in pdf_text(APIClient().get(f"/reports/{term.slug}.pdf").content)


@pytest.mark.django_db
def test_a_term_reads_stored_as_soon_as_its_edition_is_served_not_when_the_worker_reports_back(secretariat_user):
    term = ChairmanshipFactory(report_status=Chairmanship.ReportStatus.FINAL)
    job = queue_edition(chairmanship=term)
    api = APIClient()
    api.force_authenticate(secretariat_user)
    url = f"/api/v1/chairmanships/{term.slug}/"
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    assert api.get(url).json()["edition_status"] == "running"

    # A worker between storing the edition and recording its job done: the PDF is already served.
    render_edition(job=Job.objects.get(pk=job.pk))
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING
    assert APIClient().get(report_urls(term.slug)[1]).status_code == 200
    assert api.get(url).json()["edition_status"] == "stored"


@pytest.mark.django_db
def test_marking_a_report_final_in_the_admin_queues_edition_1(secretariat_client):
    term = ChairmanshipFactory(theme="Finalised in the admin")
    url = reverse("admin:chairmanship_chairmanship_change", args=[term.pk])
    form = secretariat_client.get(url)
    data = {}
    for name, value in form.context["adminform"].form.initial.items():
        if value is not None and not isinstance(value, list):
            data[name] = value.pk if hasattr(value, "pk") else value
    for formset in form.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{management.prefix}-{name}"] = management[name].value()
    data["report_status"] = Chairmanship.ReportStatus.FINAL
    data["confirm_publication"] = "on"  # publishing is confirmed (tests/chairmanship/test_publishing.py)

    response = secretariat_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert not ReportEdition.objects.exists()
    work_off_the_queue()
    edition = ReportEdition.objects.get(chairmanship=term)
    assert edition.number == 1 and edition.issued_by.username == "secretariat"
    for language in ("en", "fr", "es"):
        assert "Finalised in the admin" in stored(edition, language).html


@pytest.mark.django_db
def test_drafts_keep_following_the_data(gmg, principal_client):
    html_url, pdf_url = report_urls("2015-wb")
    term = Chairmanship.objects.get(slug="2015-wb")
    EventFactory(chairmanship=term, title="A draft's first event", start_date=term.start_date)
    assert "A draft&#x27;s first event" in principal_client.get(html_url).content.decode()
    EventFactory(chairmanship=term, title="A draft's second event", start_date=term.start_date)
    assert "A draft&#x27;s second event" in principal_client.get(html_url).content.decode()
    assert "A draft's second event" in pdf_text(principal_client.get(pdf_url).content)
    assert not ReportEdition.objects.exists()


@pytest.mark.django_db
def test_an_edition_number_is_unique_within_a_term(gmg_published):
    edition = ReportEdition.objects.get(chairmanship__slug="2014-ilo")
    with pytest.raises(IntegrityError):
        ReportEdition.objects.create(
            chairmanship=edition.chairmanship,
            number=1,
            language="en",
            fingerprint="x",
            data={},
        )


@pytest.mark.django_db
def test_a_language_is_stored_once_per_edition(gmg_published):
    edition = ReportEdition.objects.get(chairmanship__slug="2014-ilo")
    with pytest.raises(IntegrityError):
        ReportEditionRendering.objects.create(edition=edition, language="fr", title="", html="", pdf=b"")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_taking_the_same_job_store_one_edition(postgres_only, caplog):
    """Both render (the engine handed the job to two workers); the edition is stored once, and the job is done."""
    import logging
    import threading

    from django.core.management import call_command
    from django.db import connection

    call_command("loaddata", "gmg", verbosity=0)
    [job] = queue_pending_work()
    caplog.set_level(logging.INFO, logger="reports.editions")
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            run(job.pk)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert ReportEdition.objects.count() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and ReportEdition.objects.get().job == job
