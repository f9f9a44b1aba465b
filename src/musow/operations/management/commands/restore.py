from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from musow.analytics.sync import register_replaced
from musow.lib.i18n import command_language
from musow.operations.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = gettext(
        "Restore the database from a FILE written by “musow backup”: checks that it is a "
        "musow backup of this engine and of a migration state this version knows; refuses "
        "to replace a database that holds data unless --force is given."
    )
    requires_system_checks: list[str] = []  # it is what repairs the database

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=gettext("the backup file to restore"))
        parser.add_argument(
            "--force",
            action="store_true",
            help=gettext("replace the configured database even if it holds data"),
        )
        parser.add_argument("--lang", default="fr", help=gettext("fr (default) or en"))

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(command_language(options.get("lang")))
        source = Path(options["file"])
        try:
            backup_restore(source, force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        register_replaced()  # the analytics store never serves the state it replaced
        self.stdout.write(
            _("Database restored from %(file)s. Restart “musow serve” if it is running.")
            % {"file": source}
        )
