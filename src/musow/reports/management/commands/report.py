from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from musow.lib.i18n import command_language
from musow.reports.renderers import filename
from musow.reports.services import (
    issue_summary,
    report_issue,
    report_produce,
    report_request,
)
from musow.reports.types import ReportError


class Command(BaseCommand):
    help = gettext("Write the unit's report for a period (HTML, PDF, XLSX, CSV with HXL, JSON).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--period", help=gettext("2014, 2014-Q4, 2014-11 or 2014-01-01..2014-06-30")
        )
        parser.add_argument("--year", help=gettext("a year, e.g. 2014"))
        parser.add_argument("--lang", default="fr", help=gettext("fr (default) or en"))
        parser.add_argument(
            "--format", default="html", help=gettext("html (default), pdf, xlsx, csv or json")
        )
        parser.add_argument(
            "--scope",
            default="",
            help=gettext("a region (P-code or name), a campaign code or a project code"),
        )
        parser.add_argument("--out", help=gettext("file to write (default: a name in ./)"))
        parser.add_argument(
            "--issue",
            action="store_true",
            help=gettext("keep the report as issued and say what changed since the last issue"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lang = command_language(options.get("lang"))
        translation.activate(lang)
        if options["year"] and options["period"]:
            raise CommandError(_("Give --year or --period, not both."))
        try:
            request = report_request(
                period=options["period"] or options["year"],
                scope=options["scope"],
                fmt=options["format"],
                lang=lang,
            )
            report, content = report_produce(request)
        except ReportError as exc:
            raise CommandError(str(exc)) from exc
        out = Path(options["out"] or filename(report, request.fmt))
        try:
            out.write_bytes(content)
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s.") % {"file": out, "error": exc.strerror}
            ) from exc
        self.stdout.write(
            _("Report %(period)s (%(scope)s) written to %(file)s.")
            % {"period": report.period_label, "scope": report.scope_label, "file": out}
        )
        if not report.has_data:
            self.stdout.write(_("No validated activity in this period and scope."))
        if options["issue"]:
            try:
                outcome = report_issue(report=report)
            except ReportError as exc:  # an empty report is not issued
                raise CommandError(str(exc)) from exc
            for line in issue_summary(outcome):
                self.stdout.write(line)
