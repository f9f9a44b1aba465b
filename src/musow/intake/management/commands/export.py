"""`musow export [--out FILE.xlsx | --format csv --out DIR] [--year Y] [--region P] [--user U]`"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext

from musow.accounts import scopes
from musow.accounts.models import User
from musow.intake.export import ExportError, activities_to_export, export_csv, export_xlsx
from musow.lib.i18n import command_language


class Command(BaseCommand):
    help = gettext("Export activities in the import template (it imports back unchanged).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", help=gettext("file (XLSX) or folder (CSV) to write"))
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--year", type=int)
        parser.add_argument("--region", help=gettext("P-code of a region"))
        parser.add_argument("--user", help=gettext("export what this user may see"))
        parser.add_argument("--lang", default="fr", help=gettext("fr (default) or en"))

    def handle(self, *args: Any, **options: Any) -> None:
        lang = command_language(options.get("lang"))
        translation.activate(lang)
        user = None
        if options.get("user"):
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(
                    gettext("No active user “%(name)s”.") % {"name": options["user"]}
                )
        # Attendee keys only in the unit admin's export (the command line without --user).
        keys = scopes.may_export_attendee_keys(user)
        activities = activities_to_export(
            user, year=options.get("year"), region=options.get("region")
        )
        try:
            if options["format"] == "csv":
                folder = Path(options.get("out") or "musow-export")
                files = export_csv(folder, activities=activities, lang=lang, keys=keys)
                self.stdout.write(
                    gettext("Exported to %(files)s.") % {"files": ", ".join(map(str, files))}
                )
            else:
                out = Path(options.get("out") or "musow-export.xlsx")
                count = export_xlsx(out, activities=activities, lang=lang, keys=keys)
                self.stdout.write(
                    gettext("%(count)s activities exported to %(file)s.")
                    % {"count": count, "file": out}
                )
        except (OSError, ExportError) as exc:
            raise CommandError(str(exc)) from exc
