"""A template filter that lets only web links through: `{{ event.url|http_url }}`.

URL fields are validated by forms and the API, but data can also arrive by
fixtures, imports or the shell, which skip validation. A stored
`javascript:` or `data:` URL must never become a link in a page or in the
PDF, so templates pass every stored URL through this filter (a builtin:
no `{% load %}` needed).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django import template

register = template.Library()

WEB_SCHEMES = {"http", "https"}


@register.filter
def http_url(value: object) -> str:
    """The URL if it is an absolute http(s) URL with a host, else the empty string."""
    if not value:
        return ""
    url = str(value).strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.netloc:
        return ""
    return url
