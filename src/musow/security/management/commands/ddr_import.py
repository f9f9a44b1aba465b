"""musow ddr_import FILE [--user NAME] [--lang fr|en] — programme figures (DDR,
recruitment, CVR) from a CSV or XLSX file, all or nothing, through security/services.py.
musow ddr_import --template fr|en --format csv|xlsx --output FILE writes the template."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from musow.accounts.models import User
from musow.lib.i18n import command_language
from musow.security.imports import reports_import, template_csv, template_xlsx


class Command(BaseCommand):
    help = _(
        "Import DDR, recruitment and CVR figures from a CSV or XLSX file (all or nothing), "
        "or write its template."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help=_("the CSV or XLSX file"))
        parser.add_argument("--user", help=_("write as this account (its scope applies)"))
        parser.add_argument("--lang", default="fr", help=_("fr (default) or en"))
        parser.add_argument("--template", choices=["fr", "en"], help=_("write the template"))
        parser.add_argument("--format", choices=["csv", "xlsx"], default="xlsx")
        parser.add_argument("--output", help=_("where to write the template"))

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(command_language(options.get("lang"))):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        if options.get("template"):
            if not options.get("output"):
                raise CommandError(_("Say where to write the template (--output)."))
            lang, out = options["template"], Path(options["output"])
            if options["format"] == "csv":
                out.write_text(template_csv(lang), encoding="utf-8")
            else:
                out.write_bytes(template_xlsx(lang))
            self.stdout.write(_("Template written: %(path)s") % {"path": out})
            return
        if not options.get("file"):
            raise CommandError(_("Name the file to import."))
        user = None
        if options.get("user"):
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("Unknown account “%(name)s”.") % {"name": options["user"]})
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:
            outcome = reports_import(user=user, path=path, name=path.name)
        except ValidationError as error:
            raise CommandError(
                _("Nothing was imported:") + "\n" + "\n".join(f"  {m}" for m in error.messages)
            ) from None
        self.stdout.write(
            _(
                "Programme figures: %(created)s created, %(updated)s updated, "
                "%(unchanged)s unchanged"
            )
            % {
                "created": outcome.created,
                "updated": outcome.updated,
                "unchanged": outcome.unchanged,
            }
        )
