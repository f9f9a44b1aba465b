"""`musow template activities [--lang fr|en] [--format xlsx|csv] [--sheet KIND] [--out FILE]`"""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext

from musow.intake.templates import KINDS, write_csv, write_xlsx
from musow.lib.i18n import command_language


class Command(BaseCommand):
    help = gettext("Write the import template (XLSX with drop-down lists, or CSV).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("template", choices=["activities"])
        parser.add_argument("--lang", default="fr", help=gettext("fr (default) or en"))
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument(
            "--sheet",
            choices=list(KINDS),
            default="activities",
            help=gettext("for CSV: which sheet of the template"),
        )
        parser.add_argument(
            "--out",
            help=gettext("file to write (default: modele-activites-LANG.xlsx, or stdout for CSV)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lang = command_language(options.get("lang"))
        translation.activate(lang)
        out = options.get("out")
        if options["format"] == "csv":
            if out:
                with open(out, "w", encoding="utf-8-sig", newline="") as fh:
                    write_csv(fh, kind=options["sheet"], lang=lang)
            else:
                write_csv(sys.stdout, kind=options["sheet"], lang=lang)
                return
        else:
            stem = "modele-activites" if lang == "fr" else "activities-template"
            out = out or f"{stem}-{lang}.xlsx"
            try:
                write_xlsx(Path(out), lang=lang)
            except OSError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(gettext("Template written to %(file)s.") % {"file": out})
