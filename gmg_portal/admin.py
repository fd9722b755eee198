"""What every record's admin shares: versions that refuse stale edits, history with revert, https URLs.

A domain app's ModelAdmin subclasses `RecordAdmin` (and its inlines mix in
`VersionedInlineMixin`), so the rules below hold on every page without being
repeated on each:
- a save claims the version the page was loaded with (gmg_portal/concurrency.py);
- History lists every version and reverts to one, for those who may change
  the record (django-simple-history, with gmg_portal/concurrency.py's checks);
- a web address typed without a scheme ("ilo.org") is stored as https://.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from gmg_portal.concurrency import VersionedAdminMixin

HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}

admin.site.site_header = _("GMG Portal — secretariat")
admin.site.site_title = _("GMG Portal")
admin.site.index_title = _("Records of the chairmanships")


class RecordAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    formfield_overrides = HTTPS_URLS


class ShortTextMixin:
    """`short_text` for a change list: the record's text, cut to 120 characters."""

    @admin.display(description=_("text"))
    def short_text(self, obj: models.Model) -> str:
        return obj.text[:120]
