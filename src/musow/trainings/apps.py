from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "musow.trainings"
    verbose_name = _("Trainings")

    def ready(self) -> None:
        from musow.trainings import rules

        rules.rules_register()
