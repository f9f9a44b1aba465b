from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "musow.analytics"
    verbose_name = _("analytics store")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core.signals import request_finished
        from django.db.models.signals import post_migrate

        from musow.analytics import triggers
        from musow.analytics.figures import aggregate, reading_session
        from musow.analytics.sync import sync_after_request
        from musow.indicators import engine

        engine.use_aggregator(aggregate, reading_session)
        # SQLite drops a table's triggers when a migration rebuilds the table: put them back.
        post_migrate.connect(triggers.ensure, sender=self, dispatch_uid="musow.analytics.triggers")
        request_finished.connect(sync_after_request, dispatch_uid="musow.analytics.sync")
