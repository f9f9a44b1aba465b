"""What `musow kobo pull` and `musow odk pull` share: options, language, the report."""

from abc import ABC, abstractmethod
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext

from musow.accounts.models import User
from musow.api.pull import PullError, PullResult
from musow.intake.report import report_lines
from musow.lib.i18n import command_language


class PullCommand(BaseCommand, ABC):
    """A pull command says how to reach its server in `pull`; the rest is shared."""

    server = ""

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["pull"])
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext("check and report, write nothing")
        )
        parser.add_argument(
            "--user",
            help=gettext("import as this user, within their scope (default: the unit admin)"),
        )
        parser.add_argument("--lang", default="fr", help=gettext("fr (default) or en"))

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(command_language(options["lang"])):
            user = None
            if options["user"]:
                user = User.objects.filter(username=options["user"]).first()
                if user is None:
                    raise CommandError(
                        gettext("Unknown user “%(name)s”.") % {"name": options["user"]}
                    )
            try:
                result = self.pull(user=user, dry_run=options["dry_run"], progress=self.say)
            except PullError as exc:
                raise CommandError(str(exc)) from None
            for line in report_lines(result.report):
                self.stdout.write(line)
            if not result.report.ok:
                raise CommandError(gettext("Nothing was imported."))

    def say(self, message: str) -> None:
        self.stderr.write(message)

    @abstractmethod
    def pull(self, **kwargs: Any) -> PullResult:
        """Fetch the server's submissions and import them (kobo_pull, odk_pull)."""
