from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplanConfig(AppConfig):
    name = "workplan"
    verbose_name = _("Workplan")

    def ready(self) -> None:
        from gmg_portal.cache import track_changes

        # Its records are what pages and reports show: any change forgets what was remembered of them.
        track_changes(self)
