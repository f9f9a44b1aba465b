"""musow targets load FILE [--dry-run] [--lang fr|en]
musow targets list [--period P] [--lang fr|en]"""

from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from musow.indicators.models import Target
from musow.indicators.services import TargetsLoadError, targets_load
from musow.lib.i18n import command_language, number


class Command(BaseCommand):
    help = _("Load the targets and baselines of indicators per period (CSV or XLSX), or list them.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{load,list}")
        load = actions.add_parser(
            "load", help=_("load a table: indicator, period, baseline, target, note")
        )
        load.add_argument("file", help=_("CSV (UTF-8 or Windows-1252) or XLSX file"))
        load.add_argument(
            "--dry-run", action="store_true", help=_("check and report, write nothing")
        )
        load.add_argument("--lang", help=_("fr or en (default: the active language)"))
        listing = actions.add_parser("list", help=_("list the targets"))
        listing.add_argument("--period", help=_("only this period, e.g. 2014"))
        listing.add_argument("--lang", help=_("fr or en (default: the active language)"))

    def handle(self, *args: Any, **options: Any) -> None:
        lang = command_language(options.get("lang"))
        with translation.override(lang):
            if options["action"] == "load":
                self._load(options)
            else:
                self._list(options)

    def _load(self, options: dict[str, Any]) -> None:
        try:
            report = targets_load(path=options["file"], dry_run=options["dry_run"])
        except TargetsLoadError as exc:
            raise CommandError("\n".join([_("Nothing was written."), *exc.messages])) from exc
        if report.dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        self.stdout.write(
            _("%(rows)s rows: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {
                "rows": number(report.rows),
                "created": number(report.created),
                "updated": number(report.updated),
                "unchanged": number(report.unchanged),
            }
        )

    def _list(self, options: dict[str, Any]) -> None:
        targets = Target.objects.select_related("indicator").order_by("indicator__code", "period")
        if options.get("period"):
            targets = targets.filter(period=options["period"])
        for t in targets:
            self.stdout.write(
                "\t".join(
                    [
                        t.indicator.code,
                        t.period,
                        _value(t.baseline),
                        _value(t.target),
                        t.note,
                    ]
                )
            )


def _value(value: Decimal | None) -> str:
    if value is None:
        return "–"
    return number(int(value)) if value == value.to_integral_value() else number(value, 2)
