"""`musow import FILE [FILE…] [--dry-run] [--user NAME] [--source NAME] [--lang fr|en]`

FILE is an import template (XLSX, or the CSV of its Activities sheet, with the
CSV of its other sheets as further FILEs), or a KoboToolbox / ODK Central
export of the musow XLSForm (Kobo XLSX, CSV or API JSON; ODK Central .csv.zip or
CSV). All or nothing: every
problem is listed and nothing is written if there is one. A progress bar shows
on large files when the output is a terminal.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import OperationalError
from django.utils import translation
from django.utils.translation import gettext

from musow.accounts.models import User
from musow.intake.importer import import_files
from musow.intake.report import report_lines
from musow.lib.busy import BUSY_MESSAGE, is_busy
from musow.lib.i18n import command_language

PROGRESS_FROM = 5000  # rows: smaller files need no progress bar


def _progress(total: int | None) -> Callable[[int], None]:
    from tqdm import tqdm

    if not total or total < PROGRESS_FROM:
        return lambda _row: None
    bar = tqdm(total=total, unit=gettext("rows"), disable=None, mininterval=0.5)

    def tick(row: int) -> None:
        if row >= total:
            bar.n = total
            bar.close()
        elif row - bar.n >= 1000:
            bar.update(row - bar.n)

    return tick


class Command(BaseCommand):
    help = gettext("Import activities from a template (XLSX/CSV) or a KoboToolbox/ODK export.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext("check and report, write nothing")
        )
        parser.add_argument(
            "--user",
            help=gettext("import as this user, within their scope (default: the unit admin)"),
        )
        parser.add_argument(
            "--source",
            help=gettext("the source the IDs are unique in (default: “import”, or “odk”)"),
        )
        parser.add_argument("--lang", default="fr", help=gettext("fr (default) or en"))

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(command_language(options.get("lang")))
        # Without --user, the import runs as the unit admin (the first active one), so the
        # audit trail names someone; a database without one imports as the system.
        user = User.objects.filter(role=User.Role.ADMIN, is_active=True).order_by("pk").first()
        if options.get("user"):
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(
                    gettext("No active user “%(name)s”.") % {"name": options["user"]}
                )
        paths = [Path(f) for f in options["files"]]
        for path in paths:
            if not path.is_file():
                raise CommandError(gettext("No such file: %(file)s") % {"file": path})
        try:
            report = import_files(
                paths,
                user=user,
                source=options.get("source"),
                dry_run=options["dry_run"],
                progress=_progress,
            )
        except OperationalError as exc:
            if not is_busy(exc):
                raise
            raise CommandError(str(BUSY_MESSAGE)) from exc
        lines = report_lines(report)
        if not report.ok:
            raise CommandError("\n".join(lines))
        self.stdout.write("\n".join(lines))
