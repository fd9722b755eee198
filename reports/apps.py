from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from gmg_portal.cache import track_changes

        # A stored edition is what a final report's page shows: a new one forgets the pages remembered.
        track_changes(self)
