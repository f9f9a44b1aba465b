from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _

from musow.analytics import check, sync
from musow.analytics.stores import StoreBusy, StoreMissing
from musow.lib.i18n import command_language, number


class Command(BaseCommand):
    help = gettext(
        "The analytics store: rebuild it from the register, check it against the register, "
        "or say where it stands."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "check", "sync", "status"])
        parser.add_argument(
            "--repair",
            action="store_true",
            help=gettext("with check: copy the activities that differ again"),
        )
        parser.add_argument(
            "--if-needed",
            action="store_true",
            help=gettext("with rebuild: only if the store is missing or out of step"),
        )
        parser.add_argument("--lang", default="fr", help=gettext("fr (default) or en"))

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(command_language(options.get("lang")))
        try:
            getattr(self, f"_{options['action']}")(options)
        except (StoreBusy, StoreMissing, sync.StoreStale) as exc:
            raise CommandError(self._unavailable(exc)) from exc

    def _unavailable(self, exc: Exception) -> str:
        if isinstance(exc, StoreBusy):
            return _("The analytics store is busy (a rebuild?): try again in a moment.")
        if isinstance(exc, sync.StoreStale):
            return _(
                "The analytics store was built from another register or an older version: "
                "run “musow analytics rebuild”."
            )
        if sync.current_store() is None:
            return _("MUSOW_ANALYTICS=register: figures are computed on the register; no store.")
        return _("There is no analytics store yet: run “musow analytics rebuild”.")

    def _rebuild(self, options: dict[str, Any]) -> None:
        store = sync.current_store()
        if options["if_needed"] and store is not None and sync.in_step(store, 60):
            copied = sync.sync().activities
            self.stdout.write(
                _("The analytics store is in step (%(n)s changed activities copied).")
                % {"n": number(copied)}
            )
            return
        figures = sync.rebuild()
        rows = figures["rows"]
        self.stdout.write(
            _(
                "Analytics store rebuilt in %(seconds)s s (%(store)s): %(activities)s activities, "
                "%(participation)s participation rows, %(attendance)s attendances, "
                "%(media)s media estimates; %(sync)s changed meanwhile, copied after."
            )
            % {
                "seconds": number(round(figures["seconds"], 1)),
                "store": figures["store"],
                "activities": number(rows["activity"]),
                "participation": number(rows["participation"]),
                "attendance": number(rows["attendance"]),
                "media": number(rows["media"]),
                "sync": number(figures["sync"]),
            }
        )

    def _sync(self, options: dict[str, Any]) -> None:
        report = sync.sync()
        self.stdout.write(
            ngettext(
                "%(n)s changed activity copied to the analytics store.",
                "%(n)s changed activities copied to the analytics store.",
                report.activities,
            )
            % {"n": number(report.activities)}
        )

    def _status(self, options: dict[str, Any]) -> None:
        store = sync.current_store()
        register_id, generation = sync.generation()
        where = store.describe() if store else _("the register (no analytics store)")
        self.stdout.write(_("Figures are computed on: %(where)s") % {"where": where})
        self.stdout.write(
            _("Changes waiting to be copied: %(n)s; generation %(generation)s.")
            % {"n": number(sync.Change.objects.count()), "generation": generation}
        )
        if store is not None:
            state = _("in step") if sync.in_step(store, 10) else _("to be rebuilt")
            self.stdout.write(_("Store: %(state)s.") % {"state": state})

    def _check(self, options: dict[str, Any]) -> None:
        report = check.check()
        self.stdout.write(_("Analytics store: %(store)s") % {"store": report.store})
        if not report.identity:
            self.stdout.write(
                _("It was not built from this register (or by this version): rebuild it.")
            )
        for table in report.tables:
            line = _("%(kind)s: %(register)s rows in the register, %(store)s in the store") % {
                "kind": table.kind,
                "register": number(table.register_rows),
                "store": number(table.store_rows),
            }
            if table.activities:
                shown = ", ".join(str(a) for a in table.activities[: check.SHOWN])
                more = len(table.activities) - check.SHOWN
                line += " — " + ngettext(
                    "%(n)s activity differs: %(ids)s",
                    "%(n)s activities differ: %(ids)s",
                    len(table.activities),
                ) % {
                    "n": number(len(table.activities)),
                    "ids": shown + (f" … (+{number(more)})" if more > 0 else ""),
                }
            self.stdout.write(line)
        if report.in_step:
            self.stdout.write(_("The store equals the register."))
            return
        if options["repair"] and report.identity:
            n = check.repair(report)
            self.stdout.write(
                ngettext("%(n)s activity copied again.", "%(n)s activities copied again.", n)
                % {"n": number(n)}
            )
            return
        raise CommandError(
            _(
                "The store differs from the register: run “musow analytics check --repair” "
                "or “musow analytics rebuild”."
            )
        )
