from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepresentationConfig(AppConfig):
    name = "musow.representation"
    verbose_name = _("Women at the table")

    def ready(self) -> None:
        from musow.representation import advocacy_counting, counting

        counting.rules_register()
        advocacy_counting.rules_register()
