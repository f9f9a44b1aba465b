"""`musow xlsform [--lang fr,en] [--out FILE.xlsx]`: the XLSForm for KoboCollect / ODK Collect."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from musow.intake.xlsform import write_xlsform
from musow.lib.i18n import LANGS, command_language


class Command(BaseCommand):
    help = gettext("Write the XLSForm (KoboToolbox / ODK) built from the live choice lists.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--lang", default="fr,en", help=gettext("label languages, first is the default")
        )
        parser.add_argument("--out", default="musow-activites.xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        langs = [command_language(lang.strip()) for lang in options["lang"].split(",") if lang]
        if not langs or len(set(langs)) != len(langs) or not set(langs) <= set(LANGS):
            raise CommandError(gettext("Give fr, en or fr,en."))
        try:
            version = write_xlsform(Path(options["out"]), langs=langs)
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            gettext("XLSForm written to %(file)s (version %(version)s).")
            % {"file": options["out"], "version": version}
        )
