"""/healthz tells a load balancer whether this app server can reach its database; /healthz/queue, the jobs."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.engine import enqueue
from jobs.models import Job

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_with_json_when_the_database_answers(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]  # a stale cached "ok" would hide an outage


def test_healthz_is_named_and_needs_no_sign_in(client):
    assert reverse("healthz") == "/healthz"
    assert client.get(reverse("healthz")).status_code == 200


def test_healthz_answers_head_and_refuses_writes(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


# /healthz/queue: for monitoring the job engine's workers ------------------------------


def test_the_queue_is_healthy_while_nothing_waits_too_long(client, settings):
    settings.GMG_QUEUE_MAX_AGE = 600
    assert client.get("/healthz/queue").json() == {
        "status": "ok",
        "oldest_queued_seconds": None,
        "max_age_seconds": 600,
    }
    enqueue(handler="tests.jobs.handlers.count_words", kind="count")

    response = client.get("/healthz/queue")

    assert response.status_code == 200
    assert response.json()["oldest_queued_seconds"] < 600


def test_the_queue_answers_503_when_a_job_waited_past_the_limit(client, settings):
    settings.GMG_QUEUE_MAX_AGE = 600
    job = enqueue(handler="tests.jobs.handlers.count_words", kind="count")
    Job.objects.filter(pk=job.pk).update(requested_at=timezone.now() - datetime.timedelta(minutes=11))

    response = client.get("/healthz/queue")

    assert response.status_code == 503
    assert response.json()["status"] == "late" and response.json()["oldest_queued_seconds"] >= 660
    assert response["Cache-Control"].startswith("max-age=0")
    assert client.get("/healthz").status_code == 200  # the load balancer keeps the server: it can still serve
