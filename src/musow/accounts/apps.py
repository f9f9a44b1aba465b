from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "musow.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from musow.accounts import checks  # noqa: F401  (registers the start-up checks)
