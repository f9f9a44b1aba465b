"""Providers' months from a CSV or XLSX template: one row per count (long format), with
French or English headers and an HXL row. All or nothing: every problem of the file is
listed (row by row, then month by month through `report_save`'s checks) and nothing is
written unless there is none; loading the same file again changes nothing."""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from musow.activities.models import Organisation, Sex
from musow.geo.models import Place
from musow.geo.services import SHIPPED_GAZETTEER
from musow.intake.readers import ReadError, cell_integer, cell_text, open_workbook
from musow.protection.models import (
    JUSTICE_FIELDS,
    AgeBand,
    Delay,
    IncidentType,
    ProviderReport,
    Sector,
)
from musow.protection.services import ReportInput, report_input_from, report_save

# key, French header, English header, HXL hashtag
COLUMNS = [
    ("provider", "prestataire", "provider", "#org+code"),
    ("place", "lieu", "place", "#adm1+code"),
    ("month", "mois", "month", "#date+month"),
    ("table", "tableau", "table", "#indicator+table"),
    ("category", "catégorie", "category", "#indicator+category"),
    ("sex", "sexe", "sex", "#group+sex"),
    ("age", "tranche d'âge", "age band", "#group+age"),
    ("count", "nombre", "count", "#affected+num"),
]
TABLES = ("total", "incidents", "delays", "services", "referrals", "justice")
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class _Month:
    provider: Organisation
    place: Place
    month: datetime.date
    incidents: int = 0
    by_type: dict[tuple[str, str, str], int] = field(default_factory=dict)
    delays: dict[str, int] = field(default_factory=dict)
    services: dict[str, int] = field(default_factory=dict)
    referrals: dict[str, int] = field(default_factory=dict)
    justice: dict[str, int] = field(default_factory=dict)
    legal_aid: int = 0

    def input(self) -> ReportInput:
        return ReportInput(
            provider=self.provider,
            place=self.place,
            month=self.month,
            incidents=self.incidents,
            by_type=self.by_type,
            delays=self.delays,
            services=self.services,
            referrals=self.referrals,
            justice=self.justice,
            legal_aid=self.legal_aid,
        )


def _columns(header: list[str], tags: list[str]) -> dict[str, int]:
    """Where each column is: by HXL hashtag, else by its French or English header."""
    found: dict[str, int] = {}
    for key, fr, en, tag in COLUMNS:
        for i, (text, hxl) in enumerate(zip(header, tags or [""] * len(header), strict=False)):
            if hxl.strip().lower() == tag or text.strip().lower() in (fr, en):
                found[key] = i
                break
    missing = [en for key, _fr, en, _tag in COLUMNS if key not in found]
    if missing:
        raise ReadError(
            _("The file lacks these columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return found


def months_read(path: Path, name: str) -> tuple[dict[tuple[int, int, str], _Month], list[str]]:
    """The file's months, by (provider, place, month), and the problems of its rows."""
    book = open_workbook(path, name)
    months: dict[tuple[int, int, str], _Month] = {}
    problems: list[str] = []
    providers = {o.code: o for o in Organisation.objects.all()}
    places = {
        p.pcode: p
        for p in Place.objects.filter(gazetteer__code=SHIPPED_GAZETTEER, level__in=(1, 2)).defer(
            "boundary"
        )
    }
    bands = set(AgeBand.objects.values_list("code", flat=True))
    seen: set[tuple[Any, ...]] = set()
    try:
        table = book.tables[0]
        where = _columns(table.header, table.tags)
        for number, cells in table.rows:
            row = {k: (cells[i] if i < len(cells) else None) for k, i in where.items()}
            problem = _row(row, providers, places, bands, months, seen)
            if problem:
                problems.append(_("Row %(row)s: %(problem)s") % {"row": number, "problem": problem})
    finally:
        book.close()
    return months, problems


def _row(
    row: dict[str, Any],
    providers: dict[str, Organisation],
    places: dict[str, Place],
    bands: set[str],
    months: dict[tuple[int, int, str], _Month],
    seen: set[tuple[Any, ...]],
) -> str | None:
    text = {k: cell_text(v).strip() for k, v in row.items() if k != "count"}
    provider = providers.get(text["provider"])
    if provider is None:
        return _("unknown provider “%(code)s”.") % {"code": text["provider"]}
    place = places.get(text["place"])
    if place is None:
        return _("unknown region or cercle P-code “%(code)s”.") % {"code": text["place"]}
    match = MONTH.match(text["month"])
    if not match or not 1 <= int(match[2]) <= 12:
        return _("the month is written YYYY-MM (e.g. 2014-03), not “%(value)s”.") % {
            "value": text["month"]
        }
    try:
        count = cell_integer(row["count"])
    except ValueError:
        count = None
    if count is None:
        return _("the count is not a whole number.")
    if count < 0:
        return _("Counts cannot be negative.")
    table, category = text["table"].lower(), text["category"]
    cell = (provider.pk, place.pk, text["month"], table, category, text["sex"], text["age"])
    if cell in seen:
        return _("this count appears twice in the file.")
    seen.add(cell)
    day = datetime.date(int(match[1]), int(match[2]), 1)
    month = months.setdefault(
        (provider.pk, place.pk, day.isoformat()), _Month(provider, place, day)
    )
    if table == "total":
        month.incidents = count
    elif table == "incidents":
        if (
            category not in IncidentType.values
            or text["sex"] not in Sex.values
            or text["age"] not in bands
        ):
            return _("an incident row needs a GBVIMS type, a sex (f, m, u) and an age band.")
        month.by_type[(category, text["sex"], text["age"])] = count
    elif table == "delays" and category in Delay.values:
        month.delays[category] = count
    elif table in ("services", "referrals") and category in Sector.values:
        getattr(month, table)[category] = count
    elif table == "justice" and category in (*JUSTICE_FIELDS, "legal_aid"):
        if category == "legal_aid":
            month.legal_aid = count
        else:
            month.justice[category] = count
    else:
        return _("unknown table or category “%(table)s / %(category)s”.") % {
            "table": table,
            "category": category,
        }
    return None


@transaction.atomic
def reports_import(*, user: Any, path: Path, name: str) -> Outcome:
    """Write every month of the file, or nothing (ValidationError listing every problem)."""
    try:
        months, problems = months_read(path, name)
    except ReadError as exc:
        raise ValidationError([str(exc)]) from exc
    outcome = Outcome()
    for data in months.values():
        label = f"{data.provider.code} {data.place.pcode} {data.month:%Y-%m}"
        stored = ProviderReport.objects.filter(
            provider=data.provider, place=data.place, month=data.month
        ).first()
        try:
            if stored is None:
                report_save(user=user, data=data.input())
                outcome.created += 1
            elif _same(report_input_from(stored), data.input()):
                outcome.unchanged += 1
            else:
                report_save(user=user, data=data.input(), report=stored)
                outcome.updated += 1
        except ValidationError as exc:
            problems += [f"{label}: {m}" for m in exc.messages]
    if problems:
        raise ValidationError(problems)
    return outcome


def _same(a: ReportInput, b: ReportInput) -> bool:
    def counts(x: ReportInput) -> tuple[Any, ...]:
        nonzero = lambda d: {k: v for k, v in d.items() if v}  # noqa: E731
        return (
            x.incidents,
            nonzero(x.by_type),
            nonzero(x.delays),
            nonzero(x.services),
            nonzero(x.referrals),
            nonzero(x.justice),
            x.legal_aid,
        )

    return counts(a) == counts(b)


# --- the template -------------------------------------------------------------------


def template_header(lang: str) -> tuple[list[str], list[str]]:
    return [fr if lang == "fr" else en for _k, fr, en, _t in COLUMNS], [t for *_x, t in COLUMNS]


def template_csv(lang: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if lang == "fr" else ",", lineterminator="\r\n")
    header, tags = template_header(lang)
    writer.writerow(header)
    writer.writerow(tags)
    return "\ufeff" + out.getvalue()


def template_xlsx(lang: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "rapports" if lang == "fr" else "reports"
    header, tags = template_header(lang)
    sheet.append(header)
    sheet.append(tags)
    codes = book.create_sheet("codes")
    codes.append([_("table"), _("category"), _("sex"), _("age band")])
    codes.append(["total", "", "", ""])
    for t in IncidentType.values:
        codes.append(
            [
                "incidents",
                t,
                "f / m / u",
                " / ".join(AgeBand.objects.values_list("code", flat=True)),
            ]
        )
    for d in Delay.values:
        codes.append(["delays", d, "", ""])
    for kind in ("services", "referrals"):
        for s in Sector.values:
            codes.append([kind, s, "", ""])
    for j in (*JUSTICE_FIELDS, "legal_aid"):
        codes.append(["justice", j, "", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
