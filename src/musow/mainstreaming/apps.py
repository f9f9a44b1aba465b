from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MainstreamingConfig(AppConfig):
    name = "musow.mainstreaming"
    verbose_name = _("Gender mainstreaming")

    def ready(self) -> None:
        from musow.mainstreaming import figures

        figures.rules_register()
