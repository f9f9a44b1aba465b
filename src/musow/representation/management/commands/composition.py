"""musow composition --body CODE --date 2015-06-20 --source "…" --count member:f:3
--count member:m:9 [--total 12] [--submit] [--validate] [--user NAME] [--lang fr|en]

Records who sits in a body at a date, through the same service as the web form: the
same checks, one message per problem, nothing written when anything is wrong."""

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
        parser.add_argument("--body", required=True, help=_("the body's code"))
        parser.add_argument("--date", required=True, help=_("the date, e.g. 2015-06-20"))
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
        body = Body.objects.filter(code=options["body"]).first()
        if body is None:
            raise CommandError(_("Unknown body “%(code)s”.") % {"code": options["body"]})
        try:
            as_of = date.fromisoformat(options["date"])
        except ValueError:
            raise CommandError(
                _("“%(date)s” is not a date: write it as 2015-06-20.") % {"date": options["date"]}
            ) from None
        user = None
        if options.get("user"):
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("Unknown account “%(name)s”.") % {"name": options["user"]})
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


def _count(text: str) -> Count:
    parts = text.split(":")
    try:
        role, sex, number = parts
        return Count(role.strip(), sex.strip(), int(number))
    except ValueError:
        raise CommandError(
            _("“%(text)s” is not role:sex:number (e.g. member:f:3).") % {"text": text}
        ) from None
