import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from musow.indicators.engine import EngineError, compute, get_indicator, headline
from musow.indicators.periods import Period, PeriodError
from musow.indicators.text import format_value, headline_sentence


class Command(BaseCommand):
    help = gettext("Print “L'Unité Genre en chiffres” (the headline figures) for a period.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", help=gettext("a year, e.g. 2014"))
        parser.add_argument(
            "--period", help=gettext("2014, 2014-Q4, 2014-11 or 2014-01-01..2014-06-30")
        )
        parser.add_argument("--lang", default="fr", help=gettext("fr (default) or en"))
        parser.add_argument("--format", default="text", help=gettext("text (default) or json"))
        parser.add_argument(
            "--indicator",
            action="append",
            default=[],
            help=gettext("an indicator code instead of the headline figures (repeatable)"),
        )
        parser.add_argument(
            "--by", default="", help=gettext("breakdown, e.g. sex,age_group,region")
        )
        parser.add_argument(
            "--provisional",
            action="store_true",
            help=gettext("count drafts and submitted activities too"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lang = options["lang"]
        if lang not in ("fr", "en"):
            raise CommandError(
                f"Langue inconnue « {lang} » : fr ou en. / Unknown language “{lang}”: fr or en."
            )
        translation.activate(lang)
        if options["format"] not in ("text", "json"):
            raise CommandError(
                _("Unknown format “%(format)s”: text or json.") % {"format": options["format"]}
            )
        if options["year"] and options["period"]:
            raise CommandError(_("Give --year or --period, not both."))
        text = options["period"] or options["year"]
        if not text:
            raise CommandError(_("Give a period: --year 2014 or --period 2014-Q4."))
        try:
            period = Period.parse(str(text))
            by = [d.strip() for d in options["by"].split(",") if d.strip()]
            if options["indicator"]:
                results = [
                    compute(get_indicator(code), period, by=by, provisional=options["provisional"])
                    for code in options["indicator"]
                ]
            else:
                if by:
                    raise CommandError(_("--by needs --indicator."))
                results = headline(period, provisional=options["provisional"])
        except (PeriodError, EngineError) as exc:
            raise CommandError(str(exc)) from exc

        if options["format"] == "json":
            payload = {
                "title": _("The Gender Unit in figures"),
                "period": period.code,
                "language": lang,
                "provisional": options["provisional"],
                "figures": [{**r.as_dict(), "sentence": headline_sentence(r)} for r in results],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        title = _("The Gender Unit in figures")
        self.stdout.write(f"{title} — {period.label()}")
        if options["provisional"]:
            self.stdout.write(_("Provisional figures: drafts and submitted activities included."))
        self.stdout.write("")
        for r in results:
            self.stdout.write(f"- {headline_sentence(r)}")
            for row in r.rows:
                label = " · ".join(m.label for m in row.key.values())
                self.stdout.write(f"    {label}: {format_value(r, row.value)}")
