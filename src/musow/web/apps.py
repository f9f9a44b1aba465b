from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "musow.web"
    verbose_name = _("Web")

    def ready(self) -> None:
        from musow.web.search import ensure_search_index

        # After every migrate: the activity list's full-text index exists and is filled.
        # (Sent per app that has models: the activities app's signal is the one.)
        post_migrate.connect(
            ensure_search_index,
            sender=apps.get_app_config("activities"),
            dispatch_uid="musow.web.search",
        )
