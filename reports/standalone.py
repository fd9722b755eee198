"""The report as one self-contained HTML file (build_report --format html), to be opened from a disk.

It looks like the report's page (`/reports/<slug>/`): the same article, the
site's and the report's stylesheets inlined (nothing to fetch, no script),
footnotes listed as notes at the end as on the web page. A final report's
article is the stored edition's, exactly as the portal serves it; a draft's
(or a live build's) is rendered from the records now. Links to the portal are
absolute from GMG_PUBLIC_URL, or taken out when it is unset
(reports/public_links.py): a file has no server to be relative to.
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from reports.public_links import absolute_portal_links
from reports.rendering import report_context
from reports.report_data import AnnualReport

PAGE_TEMPLATE = "reports/standalone.html"
LIVE_ARTICLE_TEMPLATE = "reports/standalone_article.html"
# What the report's page links: the site's layout, then the report's own styles (templates/reports/page_base.html).
STYLESHEETS = ("css/portal.css", "reports/report-web.css")


def inline_styles() -> str:
    """The page's stylesheets, read from the app's static files (they reference no other file)."""
    styles = []
    for name in STYLESHEETS:
        path = finders.find(name)
        if not path:
            raise FileNotFoundError(f"static file {name!r} not found: the standalone page needs it")
        with open(path, encoding="utf-8") as handle:
            styles.append(f"/* {name} */\n{handle.read().strip()}")
    return "\n\n".join(styles)


def live_article(report: AnnualReport) -> str:
    """The report's article from the records as they are now (a draft, or a final report built with --live)."""
    return render_to_string(LIVE_ARTICLE_TEMPLATE, report_context(report, for_print=False))


def standalone_page(*, article_html: str, title: str, language: str) -> str:
    """`article_html` in a page of its own, styles inlined, portal links absolute (or none)."""
    html = render_to_string(
        PAGE_TEMPLATE, {"article": article_html, "title": title, "language": language, "styles": inline_styles()}
    )
    return absolute_portal_links(html)
