from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The history of every domain record (django-simple-history), who changed what and when.

    The historical models are declared beside their models (`history =
    HistoricalRecords(app="audit", …)` in chairmanship/models.py and
    workplan/models.py) but belong to this app, so the domain apps hold only
    the domain: `dumpdata chairmanship workplan` dumps records, not their
    history, and the history never needs an admin of its own.
    """

    name = "audit"
    verbose_name = _("History")
    default_auto_field = "django.db.models.BigAutoField"
