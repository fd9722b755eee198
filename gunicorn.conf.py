"""gunicorn's configuration for the GMG Portal (`make serve`, production).

Every value can be changed from the environment, read once here; a
malformed number stops gunicorn with the variable's name.

    GUNICORN_BIND              address to listen on (default 127.0.0.1:8000; 0.0.0.0:8000 behind a load balancer)
    GUNICORN_WORKERS           worker processes (default 3)
    GUNICORN_TIMEOUT           seconds before a silent worker is killed and replaced (default 60: a cold PDF)
    GUNICORN_GRACEFUL_TIMEOUT  seconds a worker may finish its requests on restart or shutdown (default 30)
    GUNICORN_MAX_REQUESTS      requests before a worker is recycled (default 1000, with up to 10 % jitter)
"""

import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number; got {raw!r}") from None
    if value < 0:
        raise SystemExit(f"{name} must not be negative; got {value}")
    return value


wsgi_app = "gmg_portal.wsgi:application"
bind = [address.strip() for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")]
workers = _int("GUNICORN_WORKERS", 3)
worker_class = "sync"
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Recycling workers bounds any slow leak; the jitter keeps them from restarting together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max(1, max_requests // 10) if max_requests else 0
# Load Django once in the master: workers fork ready, and a broken setting
# stops the server at start-up instead of in every worker.
preload_app = True
# Request lines and headers beyond these are refused by gunicorn itself (400);
# bodies are limited by the app (DATA_UPLOAD_MAX_MEMORY_SIZE, answered with 413).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Logs to stdout/stderr for the process manager or container runtime to collect.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
# Behind a load balancer: trust X-Forwarded-* only from these addresses.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "gmg-portal"
