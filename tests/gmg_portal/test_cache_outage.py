"""When Redis is down or hangs, every page is still answered, rendered without the cache, and the cache is left alone.

The cache is a real Redis client (Django's RedisCache, with the connect and
read timeouts gmg_portal.env gives it) pointed at a port where nothing
listens, or at a server on 127.0.0.1 that accepts connections and never
answers. What is asserted is what a visitor and an operator see: every page
answers 200 with its content, and the hanging server is contacted once, not
once per request (gmg_portal/cache.py leaves a failed cache alone for a while).
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator

import pytest
from django.test import override_settings

from gmg_portal import cache as shared_cache
from gmg_portal.env import cache_from_url

PAGES = ["/", "/events/", "/workplan/2014-ilo/", "/carry-forward/", "/api/v1/events/", "/api/v1/chairmanships/"]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SilentServer:
    """Accepts every connection and never answers: a Redis that hangs."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.socket.settimeout(0.05)
        self.port = self.socket.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.accepted.append(connection)

    def __enter__(self) -> SilentServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for connection in self.accepted:
            connection.close()
        self.socket.close()


@pytest.fixture
def silent_redis() -> Iterator[SilentServer]:
    with SilentServer() as server:
        yield server


def _redis_cache(port: int) -> dict:
    return {"default": cache_from_url("CACHE_URL_UNSET", default=f"redis://127.0.0.1:{port}/0")}


@pytest.mark.parametrize("role", ["anonymous", "secretariat"])
def test_pages_answer_when_redis_is_down(gmg, request, role):
    client = request.getfixturevalue(f"{role}_client")
    with override_settings(CACHES=_redis_cache(_closed_port())):
        shared_cache.resume()
        for path in PAGES:
            response = client.get(path)
            assert response.status_code == 200, path
        events = client.get("/events/").content.decode()

    assert "Launch of the Turkish GFMD Chairmanship" in events


def test_an_outage_is_reported_once_and_the_cache_left_alone(gmg, anonymous_client, caplog):
    caplog.set_level(logging.WARNING, logger="gmg_portal.cache")
    with override_settings(CACHES=_redis_cache(_closed_port())):
        shared_cache.resume()
        for path in PAGES:
            anonymous_client.get(path)

    assert not shared_cache.available()
    assert len([r for r in caplog.records if "left alone" in r.getMessage()]) == 1


def test_a_hanging_redis_is_waited_for_once_not_on_every_page(gmg, anonymous_client, silent_redis):
    with override_settings(CACHES=_redis_cache(silent_redis.port)):
        shared_cache.resume()
        for _ in range(3):
            for path in PAGES:
                response = anonymous_client.get(path)
                assert response.status_code == 200, path

    assert len(silent_redis.accepted) == 1


def test_the_cache_is_used_again_after_the_pause(gmg, anonymous_client, silent_redis):
    with override_settings(CACHES=_redis_cache(silent_redis.port)):
        shared_cache.resume()
        anonymous_client.get("/events/")
        anonymous_client.get("/events/")
        assert len(silent_redis.accepted) == 1
        shared_cache.resume()  # the pause is over
        # A page this process does not hold yet (/events/ it keeps in its memory, under the generation).
        anonymous_client.get("/carry-forward/")

    assert len(silent_redis.accepted) == 2
