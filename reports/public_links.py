"""Links to the portal in documents that leave the server: absolute from GMG_PUBLIC_URL, or none at all.

A PDF is forwarded by e-mail and kept in archives; build_report's HTML is
opened from a disk. A link written relative to the portal (`/working-groups/…/`
in a narrative, `/reports/2014-ilo.pdf` on a page) means nothing there, and
resolving it against the host a request came through (or `localhost`) prints
an address that is dead in every copy. So every such link is made absolute
from settings.GMG_PUBLIC_URL; when no public address is configured, the
link is taken out and its text kept. Links within the document (`#section-2`)
and links elsewhere (`https://…`, `mailto:`) are left as they are.

The HTML is the portal's own (templates and nh3-sanitised narratives, which
always quote attributes with double quotes), so a pattern suffices.
"""

from __future__ import annotations

import re

from django.conf import settings

_ANCHOR = re.compile(r'<a\b([^>]*?)\shref="([^"]*)"([^>]*)>(.*?)</a>', re.DOTALL)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# An actions line (the web page's "Download the report as PDF · All reports") whose links were all taken out.
_EMPTY_ACTIONS = re.compile(r'<p class="report__actions">(?:(?!<a\b)(?!</p>).)*</p>\s*', re.DOTALL)


def public_url() -> str:
    """The portal's public address without a trailing slash, "" when none is configured."""
    return getattr(settings, "GMG_PUBLIC_URL", "") or ""


def is_portal_link(href: str) -> bool:
    """A link relative to the portal: neither within the document, nor with a scheme, nor to another host."""
    href = href.strip()
    return bool(href) and not href.startswith(("#", "//")) and not _SCHEME.match(href)


def absolute_portal_links(html: str, *, base: str | None = None) -> str:
    """`html` with every portal link made absolute from `base` (GMG_PUBLIC_URL), or unlinked when there is none."""
    base = public_url() if base is None else base.rstrip("/")

    def rewrite(match: re.Match) -> str:
        before, href, after, text = match.groups()
        if not is_portal_link(href):
            return match.group(0)
        if not base:
            return text
        path = href.strip()
        return f'<a{before} href="{base}{path if path.startswith("/") else "/" + path}"{after}>{text}</a>'

    rewritten = _ANCHOR.sub(rewrite, html)
    return rewritten if base else _EMPTY_ACTIONS.sub("", rewritten)
