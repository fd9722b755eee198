"""Settings from the environment: loud failures that name the variable, and SQLite that waits for writers."""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from gmg_portal.env import cache_from_url
from gmg_portal.env import database_from_url
from gmg_portal.env import env_bool
from gmg_portal.env import env_int
from gmg_portal.env import env_list
from gmg_portal.env import env_public_url
from gmg_portal.env import env_str

BASE_DIR = Path(settings.BASE_DIR)


def clean_env(**variables: str) -> dict[str, str]:
    """This process's environment without any of the app's variables, plus the given ones."""
    ours = ("DJANGO_", "DATABASE_URL", "CACHE_URL", "GMG_PUBLIC_URL")
    env = {key: value for key, value in os.environ.items() if not key.startswith(ours)}
    env["DJANGO_SETTINGS_MODULE"] = "gmg_portal.settings"
    env.update(variables)
    return env


def start_django(env: dict[str, str]) -> subprocess.CompletedProcess:
    """Start the app in a fresh interpreter, as a server process would."""
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# Starting up ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "secret",
    [None, "", "too-short", "django-insecure-development-only-key-do-not-use-in-production"],
    ids=["unset", "empty", "short", "the-development-key"],
)
def test_without_a_real_secret_key_the_app_refuses_to_start_in_production(secret):
    env = clean_env(DJANGO_DEBUG="0")
    if secret is not None:
        env["DJANGO_SECRET_KEY"] = secret

    result = start_django(env)

    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "django.core.exceptions.ImproperlyConfigured: DJANGO_SECRET_KEY must be set" in result.stderr


def test_with_a_real_secret_key_the_app_starts_in_production():
    result = start_django(clean_env(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(50)))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


def test_the_secret_key_may_come_from_a_file(tmp_path):
    key_file = tmp_path / "secret"
    key_file.write_text(secrets.token_urlsafe(50) + "\n")

    result = start_django(clean_env(DJANGO_DEBUG="0", DJANGO_SECRET_KEY_FILE=str(key_file)))

    assert result.returncode == 0, result.stderr


def test_with_nothing_set_the_development_defaults_start():
    result = start_django(clean_env())

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DJANGO_DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://gmg@127.0.0.1/gmg"),
        ("CACHE_URL", "memcached://127.0.0.1:11211"),
        ("DJANGO_ALLOWED_HOSTS", "gmg.example.org,,www.gmg.example.org"),
        ("GMG_PUBLIC_URL", "gmg.example.org"),
    ],
)
def test_a_malformed_variable_stops_the_app_naming_it(variable, value):
    result = start_django(clean_env(**{variable: value}))

    assert result.returncode != 0
    assert f"django.core.exceptions.ImproperlyConfigured: {variable} " in result.stderr


# The readers, one by one ----------------------------------------------------------


@pytest.mark.parametrize("raw", ["maybe", "2", "tru", "yes please", "-1"])
def test_a_malformed_boolean_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv("DJANGO_DEBUG", raw)

    with pytest.raises(ImproperlyConfigured, match=r"^DJANGO_DEBUG must be one of 1/0, true/false"):
        env_bool("DJANGO_DEBUG", default=True)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1", True), ("true", True), ("YES", True), (" on ", True), ("0", False), ("False", False), ("off", False)],
)
def test_booleans_are_read_in_their_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("DJANGO_DEBUG", raw)

    assert env_bool("DJANGO_DEBUG", default=not value) is value


def test_an_unset_boolean_takes_its_default(monkeypatch):
    monkeypatch.delenv("DJANGO_DEBUG", raising=False)

    assert env_bool("DJANGO_DEBUG", default=True) is True
    assert env_bool("DJANGO_DEBUG", default=False) is False


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("mysql://gmg@127.0.0.1/gmg", "must be an sqlite:// or postgres:// URL"),
        ("127.0.0.1:5432/gmg", "must be an sqlite:// or postgres:// URL"),
        ("postgres://gmg@127.0.0.1:port/gmg", "is not a valid database URL"),
        ("postgres://gmg@127.0.0.1:5432", "must name a database"),
        ("postgres://gmg@127.0.0.1:5432/", "must name a database"),
    ],
)
def test_a_malformed_database_url_names_the_variable(monkeypatch, raw, message):
    monkeypatch.setenv("DATABASE_URL", raw)

    with pytest.raises(ImproperlyConfigured, match=rf"^DATABASE_URL {message}"):
        database_from_url("DATABASE_URL", default="sqlite:///db.sqlite3")


def test_a_database_url_error_does_not_print_the_password(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://gmg:s3cret-pass@db.example.org/gmg")

    with pytest.raises(ImproperlyConfigured) as error:
        database_from_url("DATABASE_URL", default="sqlite:///db.sqlite3")

    assert "s3cret-pass" not in str(error.value)
    assert "mysql://gmg:***@db.example.org/gmg" in str(error.value)


def test_a_postgres_url_keeps_connections_and_checks_them(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://gmg:pw@db.example.org:5433/portal?sslmode=require")

    config = database_from_url("DATABASE_URL", default="sqlite:///db.sqlite3")

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["HOST"], config["PORT"], config["USER"]) == ("portal", "db.example.org", 5433, "gmg")
    assert config["OPTIONS"] == {"sslmode": "require"}
    assert config["CONN_HEALTH_CHECKS"] is True


def test_the_sqlite_default_makes_writers_wait(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)

    config = database_from_url("DATABASE_URL", default=f"sqlite:///{tmp_path / 'db.sqlite3'}")

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "db.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] >= 5  # seconds a writer waits for the lock


def test_the_settings_of_this_run_use_those_options_on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("this run is on PostgreSQL; the SQLite leg checks its options")
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert settings.DATABASES["default"]["OPTIONS"]["timeout"] >= 5


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("memcached://127.0.0.1:11211", "must be a locmem://, dummy:// or redis:// URL"),
        ("127.0.0.1:6379", "must be a locmem://, dummy:// or redis:// URL"),
        ("redis://", "must name a host"),
        ("redis://127.0.0.1:port/0", "has a port that is not a number"),
    ],
)
def test_a_malformed_cache_url_names_the_variable(monkeypatch, raw, message):
    monkeypatch.setenv("CACHE_URL", raw)

    with pytest.raises(ImproperlyConfigured, match=rf"^CACHE_URL {message}"):
        cache_from_url("CACHE_URL", default="locmem://gmg-portal")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("gmg.example.org,,www.gmg.example.org", "without empty items"),
        (",", "without empty items"),
        ("gmg.example.org,", "without empty items"),
        ("gmg.example.org www.gmg.example.org", "with commas, not spaces"),
    ],
)
def test_a_malformed_host_list_names_the_variable(monkeypatch, raw, message):
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", raw)

    with pytest.raises(ImproperlyConfigured, match=rf"^DJANGO_ALLOWED_HOSTS must .*{message}"):
        env_list("DJANGO_ALLOWED_HOSTS", default=[])


def test_a_host_list_is_split_on_commas(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "gmg.example.org, www.gmg.example.org ,.example.net")

    assert env_list("DJANGO_ALLOWED_HOSTS", default=[]) == ["gmg.example.org", "www.gmg.example.org", ".example.net"]


def test_a_malformed_number_names_the_variable(monkeypatch):
    monkeypatch.setenv("DJANGO_SECURE_HSTS_SECONDS", "one year")

    with pytest.raises(ImproperlyConfigured, match=r"^DJANGO_SECURE_HSTS_SECONDS must be a whole number"):
        env_int("DJANGO_SECURE_HSTS_SECONDS", 0)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("gmg.example.org", "must start with https:// or http://"),
        ("ftp://gmg.example.org", "must start with https:// or http://"),
        ("https://", "must name a host"),
        ("https://admin:pw@gmg.example.org", "must not carry a user name or password"),
        ("https://gmg.example.org/?lang=fr", "must not have a query"),
        ("https://gmg.example.org/#top", "must not have a query"),
        ("https://gmg.example.org:eighty", "its port is not a number"),
        ("https://gmg.example.org/my portal", "must not contain spaces"),
    ],
)
def test_a_malformed_public_url_names_the_variable(monkeypatch, raw, message):
    monkeypatch.setenv("GMG_PUBLIC_URL", raw)

    with pytest.raises(ImproperlyConfigured, match=rf"^GMG_PUBLIC_URL must be the portal's public address.*{message}"):
        env_public_url("GMG_PUBLIC_URL")


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("", ""),
        ("  ", ""),
        ("https://gmg.example.org", "https://gmg.example.org"),
        ("https://gmg.example.org/", "https://gmg.example.org"),
        ("http://gmg.example.org:8080/portal/", "http://gmg.example.org:8080/portal"),
    ],
)
def test_a_public_url_is_read_without_its_trailing_slash_and_unset_is_empty(monkeypatch, raw, value):
    monkeypatch.setenv("GMG_PUBLIC_URL", raw)

    assert env_public_url("GMG_PUBLIC_URL") == value


def test_the_public_url_is_unset_by_default(monkeypatch):
    monkeypatch.delenv("GMG_PUBLIC_URL", raising=False)

    assert env_public_url("GMG_PUBLIC_URL") == ""


def test_an_unreadable_secret_file_names_the_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("DJANGO_SECRET_KEY_FILE", str(tmp_path / "missing"))

    with pytest.raises(ImproperlyConfigured, match=r"^DJANGO_SECRET_KEY_FILE: cannot read"):
        env_str("DJANGO_SECRET_KEY")


# Concurrent writers on SQLite ----------------------------------------------------

WRITER = """
import sys, time, pathlib, django
django.setup()
from django.db import connection, transaction

name, other, folder = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])


def wait_for(path):
    deadline = time.monotonic() + 60
    while not path.exists():
        if time.monotonic() > deadline:
            sys.exit(f"{path.name} never appeared")
        time.sleep(0.005)


wait_for(folder / "go")
(folder / f"{name}-arrived").touch()  # the next step is BEGIN
with transaction.atomic():
    with connection.cursor() as cursor:
        # Read, then write in the same transaction: with SQLite's default
        # deferred transactions two such writers deadlock and one fails at
        # once with "database is locked".
        cursor.execute("SELECT COUNT(*) FROM writes")
        (seen,) = cursor.fetchone()
        # Hold the transaction until the other writer has reached its BEGIN, so the two overlap.
        wait_for(folder / f"{other}-arrived")
        cursor.execute("INSERT INTO writes (writer, seen) VALUES (%s, %s)", [name, seen])
print("committed")
"""


def test_two_concurrent_writers_on_sqlite_both_succeed_the_second_waiting(tmp_path):
    database = tmp_path / "concurrent.sqlite3"
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE writes (writer TEXT, seen INTEGER)")
    env = clean_env(DATABASE_URL=f"sqlite:///{database}")
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, name, other, str(tmp_path)],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, other in (("first", "second"), ("second", "first"))
    ]
    (tmp_path / "go").touch()  # both writers start at once
    results = [writer.communicate(timeout=120) for writer in writers]

    for writer, (stdout, stderr) in zip(writers, results, strict=True):
        assert writer.returncode == 0, stderr
        assert stdout.strip() == "committed"
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT writer, seen FROM writes").fetchall()
    # Both rows are there, and the transactions ran one after the other: the
    # writer that waited saw the other's row.
    assert sorted(seen for _, seen in rows) == [0, 1]
    assert {writer for writer, _ in rows} == {"first", "second"}
