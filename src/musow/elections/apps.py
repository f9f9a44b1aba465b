from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "musow.elections"
    verbose_name = _("Elections and appointments")

    def ready(self) -> None:
        from musow.elections import counting

        counting.rules_register()
