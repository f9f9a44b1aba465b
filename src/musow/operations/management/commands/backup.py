from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from musow.lib.i18n import command_language
from musow.operations.backup import BackupError, backup_write, engine


class Command(BaseCommand):
    help = gettext(
        "Back up the whole database to FILE: SQLite's online backup (a SQLite file) or "
        "pg_dump's custom format (PostgreSQL), while musow keeps running."
    )
    requires_system_checks: list[str] = []  # a backup is wanted most when something is wrong

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=gettext("the backup file to write"))
        parser.add_argument("--lang", default="fr", help=gettext("fr (default) or en"))

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(command_language(options.get("lang")))
        out = Path(options["file"])
        try:
            backup_write(out)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Backup of the %(engine)s database written to %(file)s (%(size)s bytes).")
            % {
                "engine": "SQLite" if engine() == "sqlite" else "PostgreSQL",
                "file": out,
                "size": out.stat().st_size,
            }
        )
