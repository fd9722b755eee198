from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChairmanshipConfig(AppConfig):
    name = "chairmanship"
    verbose_name = _("Chairmanships")
