"""gmg_portal.safe_urls.http_url: only web links become links."""

import pytest
from django.template import Context
from django.template import Template

from gmg_portal.safe_urls import http_url


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://www.ilo.org/migration", "https://www.ilo.org/migration"),
        ("http://example.org/a?b=c", "http://example.org/a?b=c"),
        ("  HTTPS://EXAMPLE.ORG/  ", "HTTPS://EXAMPLE.ORG/"),
        ("javascript:alert(1)", ""),
        (" JavaScript:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("vbscript:msgbox(1)", ""),
        ("file:///etc/passwd", ""),
        ("//evil.example/x", ""),
        ("/relative/path", ""),
        ("http://[::1", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_http_url(value, expected):
    assert http_url(value) == expected


def test_it_is_a_builtin_filter_that_templates_use_without_load():
    template = Template('{% if url|http_url %}<a href="{{ url|http_url }}">x</a>{% else %}x{% endif %}')
    assert template.render(Context({"url": "javascript:alert(1)"})) == "x"
    assert template.render(Context({"url": "https://gmg.example.org/"})) == '<a href="https://gmg.example.org/">x</a>'
