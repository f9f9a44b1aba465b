"""musow places load FILE [--gazetteer CODE] [--dry-run] [--lang fr|en]
musow places list [--level N] [--gazetteer CODE] [--lang fr|en]"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from musow.geo.models import Place
from musow.geo.services import (
    SHIPPED_GAZETTEER,
    PlacesLoadError,
    PlacesLoadReport,
    places_list,
    places_load,
)
from musow.lib.i18n import command_language, number


class Command(BaseCommand):
    help = _(
        "Load cercles, communes and localities from an OCHA P-coded gazetteer table "
        "(CSV or XLSX), or list the places."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{load,list}")
        load = actions.add_parser(
            "load",
            help=_("load a P-coded table (OCHA COD-AB: ADM1_PCODE, ADM2_PCODE, ADM2_FR…)"),
        )
        load.add_argument("file", help=_("CSV (UTF-8 or Windows-1252) or XLSX file"))
        load.add_argument(
            "--dry-run", action="store_true", help=_("check and report, write nothing")
        )
        self._common(load)
        listing = actions.add_parser("list", help=_("list the places of a gazetteer"))
        listing.add_argument(
            "--level",
            type=int,
            choices=Place.Level.values,
            help=_("1 region … 4 locality"),
        )
        self._common(listing)

    @staticmethod
    def _common(parser: ArgumentParser) -> None:
        parser.add_argument(
            "--gazetteer", default=SHIPPED_GAZETTEER, help=f"default: {SHIPPED_GAZETTEER}"
        )
        parser.add_argument("--lang", help=_("fr or en (default: the active language)"))

    def handle(self, *args: Any, **options: Any) -> None:
        lang = command_language(options.get("lang"))
        with translation.override(lang):
            if options["action"] == "load":
                self._load(options)
            else:
                self._list(options)

    def _load(self, options: dict[str, Any]) -> None:
        try:
            report = places_load(
                path=options["file"], gazetteer=options["gazetteer"], dry_run=options["dry_run"]
            )
        except PlacesLoadError as exc:
            raise CommandError("\n".join([_("Nothing was written."), *exc.messages])) from exc
        for line in report_lines(report):
            self.stdout.write(line)

    def _list(self, options: dict[str, Any]) -> None:
        for place in places_list(gazetteer=options["gazetteer"], level=options.get("level")):
            parent = place.parent.pcode if place.parent else ""
            self.stdout.write(
                "\t".join([place.pcode, str(place.level), place.name, parent, place.kind])
            )


def report_lines(report: PlacesLoadReport) -> list[str]:
    """What a load did (or would do, with --dry-run), in the active language."""
    head = _("Gazetteer %(code)s: %(rows)s rows read") % {
        "code": report.gazetteer,
        "rows": number(report.rows),
    }
    if report.sheet:
        head += " " + _("(sheet “%(sheet)s”)") % {"sheet": report.sheet}
    lines = [head + "."]
    levels = sorted(set(report.created) | set(report.updated) | set(report.unchanged))
    for level in levels:
        lines.append(
            _("%(level)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {
                "level": capfirst(Place.Level(level).label),
                "created": number(report.created[level]),
                "updated": number(report.updated[level]),
                "unchanged": number(report.unchanged[level]),
            }
        )
    lines.append(
        _("Total: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        % {
            "created": number(report.created.total()),
            "updated": number(report.updated.total()),
            "unchanged": number(report.unchanged.total()),
        }
    )
    if report.dry_run:
        lines.append(_("Dry run: nothing was written."))
    return lines
