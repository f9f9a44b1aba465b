from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "musow.security"
    verbose_name = _("Security sector and DDR")

    def ready(self) -> None:
        from musow.security import counting

        counting.rules_register()
