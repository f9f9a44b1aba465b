from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "musow.indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from musow.indicators import checks  # noqa: F401  (registers the system checks)
