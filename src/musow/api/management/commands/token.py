"""`musow token create USERNAME NAME [--days N]` prints a new personal API token (for a
scheduled script run by the unit's administrator); `musow token revoke PREFIX`.

The token is printed once; musow keeps only its digest. Audited as on the account page.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext

from musow.accounts.models import User
from musow.api import services
from musow.api.models import Token
from musow.lib.i18n import command_language


class Command(BaseCommand):
    help = gettext("Create or revoke a personal API token.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["create", "revoke"])
        parser.add_argument("target", metavar="USERNAME|PREFIX")
        parser.add_argument("name", nargs="?", default="", metavar="NAME")
        parser.add_argument("--days", type=int, default=None)
        parser.add_argument("--lang", default="fr", help=gettext("fr (default) or en"))

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(command_language(options["lang"])):
            if options["action"] == "create":
                user = User.objects.filter(username=options["target"], is_active=True).first()
                if user is None:
                    raise CommandError(
                        gettext("Unknown user “%(name)s”.") % {"name": options["target"]}
                    )
                try:
                    _token, secret = services.token_create(
                        user=user, name=options["name"], days=options["days"]
                    )
                except ValidationError as exc:
                    raise CommandError(" ".join(exc.messages)) from None
                self.stdout.write(secret)
                return
            token = Token.objects.filter(prefix=options["target"]).first()
            if token is None:
                raise CommandError(gettext("Unknown token."))
            admin = User.objects.filter(role=User.Role.ADMIN, is_active=True).first()
            try:
                services.token_revoke(token=token, actor=admin)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            self.stdout.write(gettext("Token revoked: it no longer opens the API."))
