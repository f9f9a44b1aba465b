from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from musow.reference import reference_load


class Command(BaseCommand):
    # It makes or repairs what the system checks look at (the reference indicators).
    requires_system_checks: list[str] = []
    help = _(
        "Create or migrate the database and load the reference data "
        "(places, vocabularies, indicators)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        reference_load()
        self.stdout.write(str(_("Database ready.")))
