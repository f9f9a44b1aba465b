import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from musow.activities.models import Activity
from musow.indicators.engine import (
    EngineError,
    Result,
    compute,
    get_indicator,
    headline,
    records,
)
from musow.indicators.periods import Period, PeriodError
from musow.indicators.text import format_value, headline_sentence
from musow.lib.i18n import colon, command_language


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
        parser.add_argument(
            "--provenance",
            action="store_true",
            help=gettext("list the activities that make each figure"),
        )
        parser.add_argument(
            "--explain",
            action="store_true",
            help=gettext("say where each figure was computed, and the SQL that computed it"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lang = command_language(options.get("lang"))
        translation.activate(lang)
        if options["format"] not in ("text", "json"):
            raise CommandError(
                _("Unknown format “%(format)s”: text or json.") % {"format": options["format"]}
            )
        period, results = self._compute(options)
        if options["format"] == "json":
            self._write_json(period, results, options)
        else:
            self._write_text(period, results, options)

    def _compute(self, options: dict[str, Any]) -> tuple[Period, list[Result]]:
        if options["year"] and options["period"]:
            raise CommandError(_("Give --year or --period, not both."))
        text = options["period"] or options["year"]
        if not text:
            raise CommandError(_("Give a period: --year 2014 or --period 2014-Q4."))
        by = [d.strip() for d in options["by"].split(",") if d.strip()]
        if by and not options["indicator"]:
            raise CommandError(_("--by needs --indicator."))
        provisional = options["provisional"]
        try:
            period = Period.parse(str(text))
            if not options["indicator"]:
                return period, headline(period, provisional=provisional)
            indicators = [get_indicator(code) for code in options["indicator"]]
            return period, [compute(i, period, by=by, provisional=provisional) for i in indicators]
        except (PeriodError, EngineError) as exc:
            raise CommandError(str(exc)) from exc

    def _write_json(self, period: Period, results: list[Result], options: dict[str, Any]) -> None:
        figures = []
        for r in results:
            figure = {**r.as_dict(), "sentence": headline_sentence(r)}
            if options["provenance"] and _other_records(r) is not None:
                figure["records"] = [_record_dict(rec) for rec in _other_records(r) or []]
            elif options["provenance"]:
                figure["activities"] = [
                    {
                        "id": a.pk,
                        "start": a.start_date.isoformat(),
                        "place": a.place.pcode,
                        "title": a.title,
                        "source": a.source,
                        "key": a.source_key,
                    }
                    for a in _provenance(r)
                ]
            if options["explain"]:
                figure["computed_by"] = [{"where": c.where, "sql": c.sql()} for c in r.computed_by]
            figures.append(figure)
        payload = {
            "title": _("The Gender Unit in figures"),
            "period": period.code,
            "language": translation.get_language(),
            "provisional": options["provisional"],
            "figures": figures,
        }
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))

    def _write_text(self, period: Period, results: list[Result], options: dict[str, Any]) -> None:
        self.stdout.write(f"{_('The Gender Unit in figures')} — {period.label()}")
        if options["provisional"]:
            self.stdout.write(_("Provisional figures: drafts and submitted activities included."))
        self.stdout.write("")
        for r in results:
            self.stdout.write(f"- {headline_sentence(r)}")
            for row in r.rows:
                label = " · ".join(m.label for m in row.key.values())
                self.stdout.write("    " + colon(label, format_value(r, row.value)))
            if options["explain"]:
                for computation in r.computed_by:
                    self.stdout.write("    " + colon(_("computed on"), computation.where))
                    for sql in computation.sql():
                        self.stdout.write(f"      {sql}")
            if options["provenance"] and _other_records(r) is not None:
                for rec in _other_records(r) or []:
                    d = _record_dict(rec)
                    self.stdout.write(
                        f"    {d['kind']} #{d['id']} {d['date']} {d['label']} — {d['source']}"
                    )
            elif options["provenance"]:
                for a in _provenance(r):
                    self.stdout.write(
                        f"    #{a.pk} {a.start_date.isoformat()} {a.place} — {a.title}"
                    )


def _other_records(result: Result) -> Any:
    """The records behind a programme figure that are not activities (compositions,
    sittings…), oldest first; None when they are activities."""
    qs = records(result.indicator, result.period, result.scope, provisional=result.provisional)
    if qs.model is Activity:
        return None
    dates = [f.name for f in qs.model._meta.fields if f.name in ("as_of", "held_on")]
    return qs.order_by(*dates, "pk")


def _record_dict(record: Any) -> dict[str, Any]:
    day = getattr(record, "as_of", None) or getattr(record, "held_on", None)
    return {
        "kind": str(record._meta.verbose_name),
        "id": record.pk,
        "date": day.isoformat() if day else None,
        "label": str(record),
        "source": getattr(record, "source_document", ""),
        "status": getattr(record, "status", None),
    }


def _provenance(result: Result) -> Any:
    return result.activities().select_related("place").order_by("start_date", "pk")
