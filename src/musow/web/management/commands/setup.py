from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from musow.reference import reference_load


class Command(BaseCommand):
    help = _(
        "Create or migrate the database and load the reference data "
        "(places, vocabularies, indicators)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        reference_load()
        self.stdout.write(str(_("Database ready.")))
