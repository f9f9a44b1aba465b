from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext as _

from musow.activities.models import Activity, Campaign, Organisation, Project
from musow.demo.data2014 import SOURCE
from musow.demo.elections import elections_demo_load
from musow.demo.load import Tally, demo_load
from musow.demo.security import security_demo_load
from musow.demo.table import table_load
from musow.demo.users import DEMO_PASSWORD, DEMO_USERS, demo_login_text, demo_users_ensure
from musow.elections.models import CandidateList, Election
from musow.indicators.models import Target
from musow.lib.i18n import colon, command_language
from musow.protection.demo import protection_demo_load
from musow.representation.models import (
    Agreement,
    Body,
    Composition,
    Process,
    Sitting,
    Submission,
)
from musow.security.models import Report, Strength
from musow.trainings.models import Trainee

KINDS: dict[str, Any] = {
    "organisations": Organisation,
    "campaigns": Campaign,
    "projects": Project,
    "activities": Activity,
    "targets": Target,
    "trainees": Trainee,
    "processes": Process,
    "bodies": Body,
    "compositions": Composition,
    "sittings": Sitting,
    "elections": Election,
    "lists": CandidateList,
    "strengths": Strength,
    "reports": Report,
    "agreements": Agreement,
    "submissions": Submission,
}


class Command(BaseCommand):
    # It makes or repairs what the system checks look at (the reference indicators).
    requires_system_checks: list[str] = []
    help = gettext(
        "Set up the database and load the 2014 demo data set and demo accounts "
        "(safe to run again: what is already there is left unchanged)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--lang", default="fr", help=gettext("fr (default) or en"))
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000",
            help=gettext("the address shown for signing in (default http://127.0.0.1:8000)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lang = command_language(options.get("lang"))
        translation.activate(lang)
        call_command("setup", stdout=self.stdout, stderr=self.stderr)
        counts = demo_load()
        self.stdout.write(_("2014 demo data (source “%(source)s”):") % {"source": SOURCE})
        for kind, tally in counts.items():
            self.stdout.write(f"  {self._tally_line(kind, tally)}")
        self.stdout.write(
            _(
                "Women at the table: public figures with their sources (governments of 2017 "
                "and 2018, National Assemblies of 2013 and 2020; the title and dates of the "
                "2015 Agreement); the Algiers talks, their delegations and rounds, the "
                "follow-up committee, the Gao committee, the women's organisations' "
                "submissions and what came of them, and the Agreement's signatories by sex "
                "and gender provisions are ILLUSTRATIVE (invented for trying musow, not the "
                "mission's figures):"
            )
        )
        for kind, tally in table_load().items():
            self.stdout.write(f"  {self._tally_line(kind, tally)}")
        self.stdout.write(
            _(
                "Elections: public figures with their sources (women councillors elected in "
                "the communal elections of 2016, 2,800, and 2009, 927; the men elected are not "
                "given: no data); the Gao partial elections and their three lists are "
                "ILLUSTRATIVE (invented for trying musow, not the mission's figures):"
            )
        )
        for kind, tally in elections_demo_load().items():
            self.stdout.write(f"  {self._tally_line(kind, tally)}")
        self.stdout.write(
            _(
                "Security sector and DDR, ILLUSTRATIVE (invented for trying musow, not the "
                "mission's nor the forces' figures): strengths of the forces at the end of 2015 "
                "and 2016, DDR figures for Gao and Tombouctou in 2015–2016, a recruitment and "
                "a CVR project:"
            )
        )
        for kind, tally in security_demo_load().items():
            self.stdout.write(f"  {self._tally_line(kind, tally)}")
        reports = protection_demo_load()
        self.stdout.write(
            _(
                "SGBV programme, ILLUSTRATIVE provider reports (invented, not real data): "
                "%(created)s created, %(unchanged)s unchanged"
            )
            % {"created": reports.created, "unchanged": reports.unchanged}
        )
        self._users(options["url"])
        self._reviews()

    def _tally_line(self, kind: str, tally: Tally) -> str:
        label = str(KINDS[kind]._meta.verbose_name_plural)
        text = _("%(what)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "what": label,
            "created": tally.created,
            "updated": tally.updated,
            "unchanged": tally.unchanged,
        }
        if tally.removed:
            text += ", " + _("%(removed)s removed") % {"removed": tally.removed}
        return text

    def _reviews(self) -> None:
        """The illustrative gender reviews (their reviewer is the demo gender officer)."""
        from musow.mainstreaming.demo import mainstreaming_demo_load

        outcomes = list(mainstreaming_demo_load().values())
        text = _(
            "Illustrative gender reviews and project markers: %(created)s created, "
            "%(updated)s updated, %(unchanged)s unchanged"
        ) % {kind: outcomes.count(kind) for kind in ("created", "updated", "unchanged")}
        self.stdout.write(text)

    def _users(self, url: str) -> None:
        self.stdout.write(
            _("Demo accounts (for trying musow only; change or delete them before real use):")
        )
        results = demo_users_ensure()
        for result in results:
            user = result.user
            outcome = {
                "created": pgettext("account", "created"),
                "updated": pgettext("account", "updated"),
                "unchanged": pgettext("account", "unchanged"),
            }[result.outcome]
            if not user.is_active:
                password = _("deactivated, left as it is")
            elif result.demo_password:
                password = _("password “%(password)s”") % {"password": DEMO_PASSWORD}
            else:
                password = _("password changed since, left as it is")
            label = f"{user.username} ({user.get_role_display()})"
            self.stdout.write("  " + colon(label, f"{outcome}, {password}"))
        admin = next(r for r in results if r.user.username == DEMO_USERS[0].username)
        if admin.demo_password:
            self.stdout.write(demo_login_text(url))
