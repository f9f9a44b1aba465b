"""musow composition --body CODE --date 2015-06-20 --source "…" --count member:f:3
--count member:m:9 [--total 12] [--submit] [--validate] [--user NAME] [--lang fr|en]

Records who sits in a body at a date, through the same service as the web form: the
same checks, one message per problem, nothing written when anything is wrong.

    musow composition import FILE [--user NAME] [--lang fr|en]
    musow composition template FILE.csv|FILE.xlsx [--lang fr|en]
    musow composition export FILE.csv|FILE.xlsx [--lang fr|en]

import: compositions and sittings from the template (CSV or XLSX, French or English
headers, HXL), all or nothing, idempotent (`representation/imports.py`); template: the
empty template; export: every composition and sitting in the template's layout (it
imports back unchanged)."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from musow.accounts.models import User
from musow.lib.i18n import command_language
from musow.representation import services
from musow.representation.models import Body
from musow.representation.services import CompositionInput, Count


class Command(BaseCommand):
    help = _("Record the composition of a body at a date: numbers of women and men by role.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action",
            nargs="?",
            choices=["import", "template", "export"],
            help=_("import a file, write the template, or export every record"),
        )
        parser.add_argument("file", nargs="?", help=_("the file to import or to write"))
        parser.add_argument("--body", help=_("the body's code"))
        parser.add_argument("--date", help=_("the date, e.g. 2015-06-20"))
        parser.add_argument("--source", default="", help=_("the source document"))
        parser.add_argument(
            "--count",
            action="append",
            default=[],
            help=_("role:sex:number, e.g. member:f:3 (repeat for each cell)"),
        )
        parser.add_argument("--total", type=int, help=_("the total the source gives"))
        parser.add_argument("--submit", action="store_true", help=_("submit it for validation"))
        parser.add_argument("--validate", action="store_true", help=_("submit and validate it"))
        parser.add_argument("--user", help=_("write as this account (its scope applies)"))
        parser.add_argument("--lang", help=_("fr or en (default: the active language)"))

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(command_language(options.get("lang"))):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        if options.get("action"):
            return self._file(options)
        if not options.get("body") or not options.get("date"):
            raise CommandError(_("Give --body and --date (or: import FILE, template FILE)."))
        body = Body.objects.filter(code=options["body"]).first()
        if body is None:
            raise CommandError(_("Unknown body “%(code)s”.") % {"code": options["body"]})
        try:
            as_of = date.fromisoformat(options["date"])
        except ValueError:
            raise CommandError(
                _("“%(date)s” is not a date: write it as 2015-06-20.") % {"date": options["date"]}
            ) from None
        user = _user(options)
        data = CompositionInput(
            body=body,
            as_of=as_of,
            counts=tuple(_count(text) for text in options["count"]),
            source_document=options["source"],
            declared_total=options.get("total"),
        )
        try:
            composition = services.composition_save(data=data, user=user)
            if options["submit"] or options["validate"]:
                services.composition_submit(composition=composition, user=user)
            if options["validate"]:
                services.composition_validate(composition=composition, user=user)
        except ValidationError as error:
            problems = getattr(error, "message_dict", {"": error.messages})
            for name, messages in problems.items():
                for message in messages:
                    self.stderr.write(f"{name}: {message}" if name else message)
            raise CommandError(_("Nothing was written.")) from None
        self.stdout.write(
            _("Composition of “%(body)s” on %(date)s recorded (%(status)s).")
            % {
                "body": body.name,
                "date": as_of.isoformat(),
                "status": composition.get_status_display(),
            }
        )

    def _file(self, options: dict[str, Any]) -> None:
        from pathlib import Path

        from musow.representation import imports

        if not options.get("file"):
            raise CommandError(_("Name the file."))
        path = Path(options["file"])
        lang = translation.get_language() or "fr"
        if options["action"] == "import":
            if not path.is_file():
                raise CommandError(_("No such file: %(file)s") % {"file": path})
            user = (
                _user(options)
                or User.objects.filter(role=User.Role.ADMIN, is_active=True).order_by("pk").first()
            )
            try:
                outcome = imports.records_import(user=user, path=path, name=path.name)
            except ValidationError as error:
                for message in error.messages:
                    self.stderr.write(message)
                raise CommandError(_("Nothing was written.")) from None
            self.stdout.write(
                _(
                    "Compositions and sittings: %(created)s created, %(updated)s updated, "
                    "%(unchanged)s unchanged."
                )
                % vars(outcome)
            )
            return
        rows: list[Any] = []
        if options["action"] == "export":
            from musow.representation.models import Composition, Sitting

            rows = imports.export_rows(
                Composition.objects.order_by("body__code", "as_of", "pk"),
                Sitting.objects.order_by("body__code", "held_on", "pk"),
                lang,
            )
        if path.suffix.lower() == ".xlsx":
            path.write_bytes(imports.template_xlsx(lang, rows))
        else:
            path.write_text(imports.template_csv(lang, rows), encoding="utf-8", newline="")
        self.stdout.write(_("Written: %(file)s") % {"file": path})


def _user(options: dict[str, Any]) -> Any:
    if not options.get("user"):
        return None
    user = User.objects.filter(username=options["user"]).first()
    if user is None:
        raise CommandError(_("Unknown account “%(name)s”.") % {"name": options["user"]})
    return user


def _count(text: str) -> Count:
    parts = text.split(":")
    try:
        role, sex, number = parts
        return Count(role.strip(), sex.strip(), int(number))
    except ValueError:
        raise CommandError(
            _("“%(text)s” is not role:sex:number (e.g. member:f:3).") % {"text": text}
        ) from None
