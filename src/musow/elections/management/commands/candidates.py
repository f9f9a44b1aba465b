"""musow candidates --election CODE --party "…" --council communal-council --place ML07
--candidates FMFMMF [--elected-women 1] [--elected-men 2] [--elected-positions 1,2,4]
--source "…" [--submit] [--validate] [--user NAME] [--lang fr|en]

Records a candidate list (candidates by position and sex, no names) through the same
service as the web form: the same checks, one message per problem naming its field,
nothing written when anything is wrong; then says whether it meets Law No. 2015-052.

    musow candidates import FILE [--user NAME] [--check] [--lang fr|en]
    musow candidates template FILE.csv|FILE.xlsx [--lang fr|en]
    musow candidates export FILE.csv|FILE.xlsx [--lang fr|en]

import: candidate lists from the template (CSV or XLSX, French or English headers, HXL),
all or nothing, idempotent (`elections/imports.py`); --check lists the problems and what
would change without writing; template: the empty template; export: every list in the
template's layout (it imports back unchanged)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from musow.accounts.models import User
from musow.elections import law, services
from musow.elections.models import Election
from musow.elections.services import ListInput, numbers_parse, positions_parse
from musow.geo.models import Place
from musow.lib.i18n import command_language


class Command(BaseCommand):
    help = _("Record a candidate list: its candidates' sexes by position and the elected.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action",
            nargs="?",
            choices=["import", "template", "export"],
            help=_("import a file, write the template, or export every list"),
        )
        parser.add_argument("file", nargs="?", help=_("the file to import or to write"))
        parser.add_argument(
            "--check", action="store_true", help=_("check the file and write nothing")
        )
        parser.add_argument("--election", help=_("the election's code"))
        parser.add_argument("--party", default="", help=_("the party or grouping"))
        parser.add_argument("--council", default="communal-council", help=_("the body"))
        parser.add_argument("--place", help=_("the P-code of the list's place, e.g. ML07"))
        parser.add_argument(
            "--candidates", default="", help=_("F or M by position, e.g. FMFMMF or 1F 2M 3F")
        )
        parser.add_argument("--elected-women", type=int, help=_("women elected"))
        parser.add_argument("--elected-men", type=int, help=_("men elected"))
        parser.add_argument("--elected-positions", default="", help=_("e.g. 1,2,4"))
        parser.add_argument("--source", default="", help=_("the source document"))
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
        if not options.get("election"):
            raise CommandError(_("Give --election (or: import FILE, template FILE)."))
        election = Election.objects.filter(code=options["election"]).first()
        if election is None:
            raise CommandError(_("Unknown election “%(code)s”.") % {"code": options["election"]})
        place = None
        if options.get("place"):
            place = Place.objects.defer("boundary").filter(pcode=options["place"]).first()
            if place is None:
                raise CommandError(_("Unknown P-code “%(code)s”.") % {"code": options["place"]})
        user = None
        if options.get("user"):
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("Unknown account “%(name)s”.") % {"name": options["user"]})
        try:
            elected_positions = numbers_parse(options["elected_positions"])
        except ValueError:
            raise CommandError(
                _("Write the positions elected as numbers separated by commas, e.g. 1, 2, 4.")
            ) from None
        data = ListInput(
            election=election,
            party=options["party"],
            council=options["council"],
            place=place,
            candidates=positions_parse(options["candidates"]),
            elected_women=options.get("elected_women"),
            elected_men=options.get("elected_men"),
            elected_positions=elected_positions,
            source_document=options["source"],
        )
        try:
            saved = services.list_save(data=data, user=user)
            if options["submit"] or options["validate"]:
                services.list_submit(candidate_list=saved, user=user)
            if options["validate"]:
                services.list_validate(candidate_list=saved, user=user)
        except ValidationError as error:
            problems = getattr(error, "message_dict", {"": error.messages})
            for name, messages in problems.items():
                for message in messages:
                    self.stderr.write(f"{name}: {message}" if name else message)
            raise CommandError(_("Nothing was written.")) from None
        self.stdout.write(
            _("List “%(party)s” recorded (%(status)s).")
            % {"party": saved.party, "status": saved.get_status_display()}
        )
        for verdict in law.list_verdicts(saved.sexes, saved.council):
            self.stdout.write(f"  art. {verdict.article}: {verdict.reason}")

    def _file(self, options: dict[str, Any]) -> None:
        from pathlib import Path

        from musow.elections import imports

        if not options.get("file"):
            raise CommandError(_("Name the file."))
        path = Path(options["file"])
        lang = translation.get_language() or "fr"
        if options["action"] == "import":
            if not path.is_file():
                raise CommandError(_("No such file: %(file)s") % {"file": path})
            user = None
            if options.get("user"):
                user = User.objects.filter(username=options["user"]).first()
                if user is None:
                    raise CommandError(_("Unknown account “%(name)s”.") % {"name": options["user"]})
            else:
                user = (
                    User.objects.filter(role=User.Role.ADMIN, is_active=True).order_by("pk").first()
                )
            try:
                outcome = imports.lists_import(
                    user=user, path=path, name=path.name, check=options["check"]
                )
            except ValidationError as error:
                for message in error.messages:
                    self.stderr.write(message)
                raise CommandError(_("Nothing was written.")) from None
            message = _(
                "Candidate lists: %(created)s created, %(updated)s updated, "
                "%(unchanged)s unchanged."
            ) % vars(outcome)
            if options["check"]:
                message = _("Check only, nothing written. %(outcome)s") % {"outcome": message}
            self.stdout.write(message)
            return None
        rows: list[Any] = []
        if options["action"] == "export":
            from musow.elections.models import CandidateList

            rows = imports.export_rows(
                CandidateList.objects.order_by("election__code", "party", "pk")
            )
        if path.suffix.lower() == ".xlsx":
            path.write_bytes(imports.template_xlsx(lang, rows))
        else:
            path.write_text(imports.template_csv(lang, rows), encoding="utf-8", newline="")
        self.stdout.write(_("Written: %(file)s") % {"file": path})
        return None
