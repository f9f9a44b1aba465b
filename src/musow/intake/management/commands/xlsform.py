"""`musow xlsform [--lang fr,en] [--out FILE.xlsx]`: the XLSForm for KoboCollect / ODK Collect.

`--course CODE`: the course's pre/post test from its question bank instead (trainings).
`--compositions`: the composition of a body, for focal points (women at the table)."""

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
        parser.add_argument("--course", help=gettext("the pre/post test of this course"))
        parser.add_argument(
            "--compositions",
            action="store_true",
            help=gettext("the form of a body's composition (women at the table)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        langs = [command_language(lang.strip()) for lang in options["lang"].split(",") if lang]
        if not langs or len(set(langs)) != len(langs) or not set(langs) <= set(LANGS):
            raise CommandError(gettext("Give fr, en or fr,en."))
        if options.get("course"):
            return self._course(options, langs)
        if options.get("compositions"):
            from musow.representation.xlsform import write_composition_xlsform

            out = options["out"]
            if out == "musow-activites.xlsx":
                out = "musow-compositions.xlsx"
            version = write_composition_xlsform(Path(out), langs=langs)
            self.stdout.write(
                gettext("XLSForm written to %(file)s (version %(version)s).")
                % {"file": out, "version": version}
            )
            return None
        try:
            version = write_xlsform(Path(options["out"]), langs=langs)
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            gettext("XLSForm written to %(file)s (version %(version)s).")
            % {"file": options["out"], "version": version}
        )

    def _course(self, options: dict[str, Any], langs: list[str]) -> None:
        from musow.trainings.models import Course
        from musow.trainings.xlsform import write_course_xlsform

        course = Course.objects.filter(code=options["course"]).first()
        if course is None:
            raise CommandError(gettext("No course “%(code)s”.") % {"code": options["course"]})
        out = options["out"]
        if out == "musow-activites.xlsx":
            out = f"musow-test-{course.code}.xlsx"
        version = write_course_xlsform(Path(out), course=course, langs=langs)
        self.stdout.write(
            gettext("XLSForm written to %(file)s (version %(version)s).")
            % {"file": out, "version": version}
        )
