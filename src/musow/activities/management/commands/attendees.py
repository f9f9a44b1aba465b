"""`musow attendees check` · `musow attendees rekey --new-key-env NAME [--lang fr|en]`

check: whether the configured MUSOW_ATTENDEE_KEY made the attendee keys stored.
rekey: rotate the attendee-key secret (musow.activities.keys): every stored key k becomes
HMAC(new, k), in one transaction; counts and figures do not change. The new secret is read
from the environment variable NAME (never from the command line, which other users of the
machine can read); afterwards MUSOW_ATTENDEE_KEY must list the old keys and then the new
one, separated by spaces. Stop the web server first; start it again once the variable is
set (it refuses to start before).
"""

import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from musow.activities.keys import WRONG_KEY, attendees_rekey, configured_key_matches, key_chain
from musow.activities.models import Attendee
from musow.lib.i18n import command_language, number

DEFAULT_ENV = "MUSOW_ATTENDEE_KEY_NEW"


class Command(BaseCommand):
    help = gettext(
        "Attendee keys: “check” that the configured MUSOW_ATTENDEE_KEY made the stored keys; "
        "“rekey” to rotate the secret without changing any count."
    )
    # The start-up check refuses a key that does not match: this command says so itself.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action",
            choices=["check", "rekey"],
            help=gettext(
                "check: compare the configured key with the database; rekey: re-key every "
                "attendee under a new secret"
            ),
        )
        parser.add_argument(
            "--new-key-env",
            default=DEFAULT_ENV,
            metavar="NAME",
            help=gettext(
                "rekey: the environment variable that holds the new secret "
                "(default MUSOW_ATTENDEE_KEY_NEW)"
            ),
        )
        parser.add_argument("--lang", default="fr", help=gettext("fr (default) or en"))

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(command_language(options.get("lang")))
        chain = key_chain()
        if options["action"] == "check":
            if not configured_key_matches():
                raise CommandError(str(WRONG_KEY))
            self.stdout.write(
                _(
                    "The configured attendee key (%(keys)s key(s) in the chain) made the "
                    "%(n)s attendee keys stored."
                )
                % {"keys": len(chain), "n": number(Attendee.objects.count())}
            )
            return
        name = options["new_key_env"]
        new_key = os.environ.get(name, "")
        if not new_key.strip():
            raise CommandError(
                _(
                    "Put the new secret in the environment variable %(name)s first, e.g. "
                    '%(name)s=$(python3 -c "import secrets; print(secrets.token_urlsafe(50))")'
                )
                % {"name": name}
            )
        try:
            changed = attendees_rekey(new_key=new_key)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        self.stdout.write(
            _(
                "%(n)s attendee keys re-keyed; the counts are unchanged. Now set "
                "MUSOW_ATTENDEE_KEY to the keys in use followed by the new one, separated by "
                'a space (MUSOW_ATTENDEE_KEY="$MUSOW_ATTENDEE_KEY $%(name)s"), then start '
                "musow again: it refuses to start until then."
            )
            % {"n": number(changed), "name": name}
        )
