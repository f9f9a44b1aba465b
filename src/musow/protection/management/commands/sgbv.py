"""`musow sgbv import FILE [--user NAME]`: providers' months from a CSV or XLSX template
(all or nothing; again: nothing changes). `musow sgbv template --format csv|xlsx --lang
fr|en --output FILE`: the empty template (French or English headers and an HXL row).
`musow sgbv tables --period 2014 [--user NAME]`: the programme's tables, protected
unless NAME may see them whole (then the view is audited)."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext

from musow.accounts import scopes
from musow.accounts.models import User
from musow.indicators.periods import Period, PeriodError
from musow.lib.i18n import command_language
from musow.protection.imports import reports_import, template_csv, template_xlsx
from musow.protection.release import release_build, release_show
from musow.protection.services import whole_view_record


class Command(BaseCommand):
    help = gettext("The SGBV programme: import providers' months, templates, tables.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help=gettext("import providers' months (CSV or XLSX)"))
        load.add_argument("file")
        load.add_argument("--user", help=gettext("import as this user, within their scope"))
        load.add_argument("--lang", default="fr")
        template = sub.add_parser("template", help=gettext("write the empty template"))
        template.add_argument("--format", choices=["csv", "xlsx"], default="xlsx")
        template.add_argument("--lang", default="fr")
        template.add_argument("--output", required=True)
        tables = sub.add_parser("tables", help=gettext("print the programme's tables"))
        tables.add_argument("--period", default="2014")
        tables.add_argument("--user", help=gettext("a user allowed to see them whole"))
        tables.add_argument("--lang", default="fr")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(command_language(options.get("lang")))
        getattr(self, f"_{options['action']}")(options)

    def _user(self, name: str | None) -> User | None:
        if not name:
            return None
        user = User.objects.filter(username=name, is_active=True).first()
        if user is None:
            raise CommandError(gettext("No active user “%(name)s”.") % {"name": name})
        return user

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(gettext("No such file: %(file)s") % {"file": path})
        try:
            outcome = reports_import(
                user=self._user(options.get("user")), path=path, name=path.name
            )
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(
            gettext(
                "provider reports: %(created)s created, %(updated)s updated, "
                "%(unchanged)s unchanged"
            )
            % vars(outcome)
        )

    def _template(self, options: dict[str, Any]) -> None:
        out = Path(options["output"])
        lang = command_language(options.get("lang"))
        if options["format"] == "csv":
            out.write_text(template_csv(lang), encoding="utf-8")
        else:
            out.write_bytes(template_xlsx(lang))
        self.stdout.write(str(out))

    def _tables(self, options: dict[str, Any]) -> None:
        try:
            period = Period.parse(options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        user = self._user(options.get("user"))
        whole = user is not None and scopes.sees_protection_whole(user)
        regions = scopes.protection_region_ids(user) if user else ()
        tables = release_show(release_build(period, regions), whole=whole)
        if whole:
            whole_view_record(
                user=user,
                tables=[t.code for t in tables],
                scope=",".join(map(str, regions)) or "*",
                period=period.code,
                door="command",
            )
        for table in tables:
            self.stdout.write(f"\n{table.title}")
            lines = [table.header, *table.rows, *([table.footer] if table.footer else [])]
            widths = [max(len(str(line[i])) for line in lines) for i in range(len(table.header))]
            for line in lines:
                self.stdout.write(
                    "  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True))
                )
            if table.hidden:
                self.stdout.write(table.footnote)
