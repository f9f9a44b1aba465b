"""`musow scores template [--lang fr|en] [--format xlsx|csv] [--out FILE]`
`musow scores import FILE --activity ID [--course CODE] [--dry-run] [--user NAME] [--lang]`

The score sheet of a training session: one row per trainee (participant code, component,
category, country, rank band, pre- and post-test 0–100, completion, reaction 1–5,
follow-ups at 3 and 9 months). The activity must be a session of a course (`--course`
makes it one). All or nothing; the same sheet again changes nothing."""

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext

from musow.accounts import scopes
from musow.accounts.models import User
from musow.activities.models import Activity
from musow.intake.report import report_lines
from musow.lib.i18n import command_language
from musow.trainings import scoresheet
from musow.trainings.models import Course, TrainingSession
from musow.trainings.services import session_link


class Command(BaseCommand):
    help = gettext("Write the score sheet template, or import a training session's scores.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["template", "import"])
        parser.add_argument("file", nargs="?", metavar="FILE")
        parser.add_argument("--activity", type=int, help=gettext("the session's activity number"))
        parser.add_argument("--course", help=gettext("make the activity a session of this course"))
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--out", help=gettext("file to write"))
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext("check and report, write nothing")
        )
        parser.add_argument("--user", help=gettext("import as this user, within their scope"))
        parser.add_argument("--lang", default="fr", help=gettext("fr (default) or en"))

    def handle(self, *args: Any, **options: Any) -> None:
        lang = command_language(options.get("lang"))
        translation.activate(lang)
        if options["action"] == "template":
            self._template(lang, options)
        else:
            self._import(options)

    def _template(self, lang: str, options: dict[str, Any]) -> None:
        out = options.get("out")
        if options["format"] == "csv":
            if not out:
                scoresheet.write_csv(sys.stdout, lang=lang)
                return
            with open(out, "w", encoding="utf-8-sig", newline="") as fh:
                scoresheet.write_csv(fh, lang=lang)
        else:
            out = out or ("feuille-scores" if lang == "fr" else "score-sheet") + f"-{lang}.xlsx"
            scoresheet.write_xlsx(Path(out), lang=lang)
        self.stdout.write(gettext("Template written to %(file)s.") % {"file": out})

    def _import(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(role=User.Role.ADMIN, is_active=True).order_by("pk").first()
        if options.get("user"):
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(
                    gettext("No active user “%(name)s”.") % {"name": options["user"]}
                )
        if not options.get("file") or not Path(options["file"]).is_file():
            raise CommandError(gettext("No such file: %(file)s") % {"file": options.get("file")})
        session = self._session(user, options)
        report = scoresheet.scores_import(
            path=Path(options["file"]), session=session, user=user, dry_run=options["dry_run"]
        )
        lines = report_lines(report)
        if not report.ok:
            raise CommandError("\n".join(lines))
        for line in lines:
            self.stdout.write(line)

    def _session(self, user: Any, options: dict[str, Any]) -> TrainingSession:
        visible = scopes.activities_for(user) if user is not None else Activity.objects.all()
        activity = visible.filter(pk=options.get("activity") or 0).first()
        if activity is None or (user is not None and not scopes.may_record_training(user)):
            raise CommandError(
                gettext("No activity number %(n)s that you may record scores for.")
                % {"n": options.get("activity")}
            )
        if options.get("course"):
            course = Course.objects.filter(code=options["course"]).first()
            if course is None:
                raise CommandError(gettext("No course “%(code)s”.") % {"code": options["course"]})
            try:
                return session_link(activity=activity, course=course, user=user)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        session = TrainingSession.objects.filter(activity=activity).first()
        if session is None:
            raise CommandError(
                gettext("Activity %(n)s is not a training session: give its --course.")
                % {"n": activity.pk}
            )
        return session
