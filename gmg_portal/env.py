"""Reading configuration from the environment, loudly.

A typo in a deployment variable must stop the app at start-up with the
variable's name, never silently become a default.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """A string, or the contents of the file named by NAME_FILE (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            with open(file_name, encoding="utf-8") as fh:
                return fh.read().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_name!r}: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name} must be a comma-separated list without empty items; got {raw!r}")
    if any(char.isspace() for item in items for char in item):
        # "example.org www.example.org" is one item with a space: a missing comma.
        raise ImproperlyConfigured(f"{name} must separate its items with commas, not spaces; got {raw!r}")
    return items


def _redacted(url: str) -> str:
    """The URL as it may appear in an error message: without its password."""
    parts = urlsplit(url)
    try:
        password = parts.password
    except ValueError:
        password = None
    if not password:
        return url
    return url.replace(f":{password}@", ":***@", 1)


def database_from_url(name: str, default: str) -> dict:
    raw = os.environ.get(name) or default
    scheme = urlsplit(raw).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(f"{name} must be an sqlite:// or postgres:// URL; got {_redacted(raw)!r}")
    try:
        config = dj_database_url.parse(raw, conn_max_age=0)
    except Exception as exc:  # dj-database-url raises several kinds of errors
        raise ImproperlyConfigured(f"{name} is not a valid database URL ({_redacted(raw)!r}): {exc}") from exc
    if config["ENGINE"] != "django.db.backends.sqlite3" and not config["NAME"]:
        raise ImproperlyConfigured(
            f"{name} must name a database, as in postgres://user@host:5432/gmg; got {_redacted(raw)!r}"
        )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Concurrent writers wait for the lock instead of failing with
        # "database is locked": take the write lock at BEGIN.
        config["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
        # Kept open between requests: a new connection reads the whole schema again before its first query
        # (every request reads the generations: gmg_portal.cache), which cost more than the page itself.
        config["CONN_MAX_AGE"] = 60
    else:
        config["CONN_MAX_AGE"] = 60
        # A PostgreSQL restart must not need an app restart.
        config["CONN_HEALTH_CHECKS"] = True
    return config


# Connect and read timeouts of the cache's connections, in seconds: a healthy Redis on the same network
# answers in well under a millisecond.
REDIS_TIMEOUT = 0.25


def _seconds(name: str, options: dict[str, list[str]], key: str, default: float) -> float:
    raw = options.get(key, [None])[0]
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= 60:
        raise ImproperlyConfigured(f"{name}: {key} must be a number of seconds above 0 and at most 60; got {raw!r}")
    return value


def cache_from_url(name: str, default: str) -> dict:
    raw = os.environ.get(name) or default
    parts = urlsplit(raw)
    if parts.scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": parts.netloc or "gmg-portal",
        }
    if parts.scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if parts.scheme in {"redis", "rediss"}:
        try:
            parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        except ValueError:
            raise ImproperlyConfigured(f"{name} has a port that is not a number; got {_redacted(raw)!r}") from None
        if not parts.hostname:
            raise ImproperlyConfigured(
                f"{name} must name a host, as in redis://127.0.0.1:6379/0; got {_redacted(raw)!r}"
            )
        options = parse_qs(parts.query)
        return {
            "BACKEND": "gmg_portal.redis_cache.RedisCache",
            "LOCATION": raw.split("?", 1)[0],
            "KEY_PREFIX": options.get("prefix", ["gmg"])[0],
            # A cache that does not answer within these is treated as down (gmg_portal/cache.py): pages are
            # rendered without it rather than waiting. Seconds; `?timeout=0.5` sets both.
            "OPTIONS": {
                "socket_connect_timeout": _seconds(name, options, "timeout", REDIS_TIMEOUT),
                "socket_timeout": _seconds(name, options, "timeout", REDIS_TIMEOUT),
            },
        }
    raise ImproperlyConfigured(f"{name} must be a locmem://, dummy:// or redis:// URL; got {_redacted(raw)!r}")


def env_public_url(name: str) -> str:
    """An http(s) address with a host (and perhaps a path), without a trailing slash; "" when unset.

    For addresses printed in documents that leave the server (a PDF forwarded by e-mail): a query,
    a fragment, credentials or a missing host would be copied into every link, so they are refused.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return ""
    problem = None
    parts = urlsplit(raw)
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        problem = "its port is not a number"
    if problem is None:
        if parts.scheme not in {"http", "https"}:
            problem = "it must start with https:// or http://"
        elif not parts.hostname:
            problem = "it must name a host"
        elif parts.username or parts.password:
            problem = "it must not carry a user name or password"
        elif parts.query or parts.fragment or raw.endswith(("?", "#")):
            problem = "it must not have a query (?…) or a fragment (#…)"
        elif any(char.isspace() for char in raw):
            problem = "it must not contain spaces"
    if problem:
        raise ImproperlyConfigured(
            f"{name} must be the portal's public address, as in https://gmg.example.org ({problem}); got {raw!r}"
        )
    return raw.rstrip("/")


# Seconds to wait for the mail server: a stalled server must not hold a request (the admin's invitation) for long.
EMAIL_TIMEOUT = 10


def email_from_env() -> dict:
    """Django's EMAIL_* settings: from EMAIL_URL (smtp://user:password@host:587/?tls=True), else from the usual
    EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS and EMAIL_USE_SSL variables;
    with neither, messages are printed on the console (make run)."""
    raw = env_str("EMAIL_URL")
    if raw:
        scheme = urlsplit(raw).scheme
        if scheme not in {"smtp", "smtps", "submission", "console", "file", "memory", "dummy"}:
            raise ImproperlyConfigured(f"EMAIL_URL must be an smtp:// (or console://) URL; got {_redacted(raw)!r}")
        try:
            config = dj_email_url.parse(raw)
        except Exception as exc:  # dj-email-url raises several kinds of errors
            raise ImproperlyConfigured(f"EMAIL_URL is not a valid e-mail URL ({_redacted(raw)!r}): {exc}") from exc
        config["EMAIL_TIMEOUT"] = config["EMAIL_TIMEOUT"] or EMAIL_TIMEOUT
        return {key: value for key, value in config.items() if value is not None and key != "EMAIL_FILE_PATH"}
    host = env_str("EMAIL_HOST")
    if not host:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    config = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": host,
        "EMAIL_PORT": env_int("EMAIL_PORT", 25),
        "EMAIL_HOST_USER": env_str("EMAIL_HOST_USER"),
        "EMAIL_HOST_PASSWORD": env_str("EMAIL_HOST_PASSWORD"),
        "EMAIL_USE_TLS": env_bool("EMAIL_USE_TLS", default=False),
        "EMAIL_USE_SSL": env_bool("EMAIL_USE_SSL", default=False),
        "EMAIL_TIMEOUT": EMAIL_TIMEOUT,
    }
    if config["EMAIL_USE_TLS"] and config["EMAIL_USE_SSL"]:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on: choose one")
    return config
