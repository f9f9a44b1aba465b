from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    name = "musow.protection"
    verbose_name = _("SGBV access to justice")

    def ready(self) -> None:
        from musow.protection import figures

        figures.rules_register()
