from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from reports.freshness import connect_signals

        connect_signals()  # a change to any record a report shows forgets the remembered report versions
