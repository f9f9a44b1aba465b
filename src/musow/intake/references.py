"""The organisations, campaigns and projects an export uses, on sheets of their own.

An export carries every organisation, campaign edition and project its activities
name, so that it imports into a fresh install (`musow setup`, which has the shipped
vocabularies but none of these). On import, these sheets are read before the
activities: an entry the register lacks is added (by the unit admin or the command
line: `scopes.can_manage`), through `activities.services.reference_entry_create`, audited;
an entry the register has is left as it is, and the report says when the file's
details differ from it.
"""

from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from musow.accounts import scopes
from musow.activities.models import Campaign, CampaignSeries, Organisation, Project
from musow.activities.services import reference_entry_create
from musow.geo.models import Place
from musow.intake.columns import Column, fold, hxl_key
from musow.intake.readers import CellError, ReadError, Table, cell_date, cell_text
from musow.intake.report import ImportReport, Problem
from musow.lib.i18n import current_lang
from musow.lib.spreadsheet import spreadsheet_dates

if TYPE_CHECKING:
    from musow.intake.importer import Importer

RefKind = Literal["organisations", "campaigns", "projects"]
REFERENCE_KINDS: tuple[RefKind, ...] = ("organisations", "campaigns", "projects")
TITLES: dict[RefKind, tuple[str, str]] = {
    "organisations": ("Organisations", "Organisations"),
    "campaigns": ("Campagnes", "Campaigns"),
    "projects": ("Projets", "Projects"),
}
MODELS: dict[RefKind, Any] = {
    "organisations": Organisation,
    "campaigns": Campaign,
    "projects": Project,
}
VOCABULARY: dict[RefKind, str] = {
    "organisations": "organisation",
    "campaigns": "campaign",
    "projects": "project",
}
NAMES = {
    "organisations": gettext_lazy("organisations"),
    "campaigns": gettext_lazy("campaigns"),
    "projects": gettext_lazy("projects"),
}


def _code(hxl: str) -> Column:
    return Column("code", hxl, "Code", "Code", required=True)


COLUMNS: dict[RefKind, list[Column]] = {
    "organisations": [
        _code("#org+code"),
        Column("name", "#org+name", "Nom", "Name", required=True),
        Column("acronym", "#org+acronym", "Sigle", "Acronym"),
        Column("kind", "#org+type", "Type", "Kind", required=True),
        Column("place", "#loc+code", "Lieu (P-code)", "Place (P-code)"),
    ],
    "campaigns": [
        _code("#activity+campaign+code"),
        Column("series", "#activity+campaign+series", "Série", "Series", required=True),
        Column("name_fr", "#activity+campaign+name+i_fr", "Nom (français)", "Name (French)"),
        Column("name_en", "#activity+campaign+name+i_en", "Nom (anglais)", "Name (English)"),
        Column("start_date", "#date+start", "Date de début", "Start date", "date", required=True),
        Column("end_date", "#date+end", "Date de fin", "End date", "date", required=True),
    ],
    "projects": [
        _code("#activity+project+code"),
        Column("name_fr", "#activity+project+name+i_fr", "Nom (français)", "Name (French)"),
        Column("name_en", "#activity+project+name+i_en", "Nom (anglais)", "Name (English)"),
        Column(
            "description_fr", "#description+i_fr", "Description (français)", "Description (French)"
        ),
        Column(
            "description_en", "#description+i_en", "Description (anglais)", "Description (English)"
        ),
        Column("start_date", "#date+start", "Date de début", "Start date", "date"),
        Column("end_date", "#date+end", "Date de fin", "End date", "date"),
    ],
}


def reference_kind(title: str) -> RefKind | None:
    """The kind of a sheet (or CSV file) of entries, from its title in French or English."""
    folded = fold(title.rsplit(".", 1)[0] if title.lower().endswith(".csv") else title)
    for kind, (fr, en) in TITLES.items():
        if folded in (fold(fr), fold(en), kind):
            return kind
    return None


def _header(kind: RefKind, key: str) -> str:
    column = next(c for c in COLUMNS[kind] if c.key == key)
    return column.header(current_lang())


def headers(kind: RefKind, lang: str) -> tuple[list[str], list[str]]:
    return [c.header(lang) for c in COLUMNS[kind]], [c.hxl for c in COLUMNS[kind]]


# -- export -------------------------------------------------------------------------------


def _values(kind: RefKind, obj: Any) -> dict[str, Any]:
    if kind == "organisations":
        place = obj.place.pcode if obj.place_id else None
        return {"name": obj.name, "acronym": obj.acronym, "kind": obj.kind, "place": place}
    if kind == "campaigns":
        values = {"series": obj.series.code}
    else:
        values = {"description_fr": obj.description_fr, "description_en": obj.description_en}
    return {
        **values,
        "name_fr": obj.name_fr,
        "name_en": obj.name_en,
        "start_date": obj.start_date,
        "end_date": obj.end_date,
    }


def export_rows(used: dict[RefKind, set[int]]) -> Iterator[tuple[RefKind, list[Any]]]:
    """The rows of the entries whose ids are in `used`, sheet by sheet, by code."""
    for kind in REFERENCE_KINDS:
        qs = MODELS[kind]._default_manager.filter(pk__in=used[kind]).order_by("code")
        if kind == "organisations":
            qs = qs.select_related("place")
        elif kind == "campaigns":
            qs = qs.select_related("series")
        for obj in qs:
            values = {"code": obj.code, **_values(kind, obj)}
            yield kind, [values.get(c.key) for c in COLUMNS[kind]]


# -- import -------------------------------------------------------------------------------


def load_references(
    importer: "Importer", tables: dict[RefKind, Table], report: ImportReport
) -> None:
    """Add the entries the register lacks (before the activities that name them)."""
    may_add = importer.user is None or scopes.can_manage(importer.user)
    for kind in REFERENCE_KINDS:
        table = tables.get(kind)
        if table is None:
            continue
        differ: list[str] = []
        for number, values in _read(kind, table, report):
            code = values.get("code") or ""
            if not code:
                report.problem(
                    Problem(
                        table.sheet, number, _header(kind, "code"), "", _("The code is required.")
                    )
                )
                continue
            model = MODELS[kind]
            existing = model._default_manager.filter(code=code).first()
            if existing is None and spreadsheet_dates(code):  # a code a spreadsheet turned
                existing = importer.vocabulary.by_date(VOCABULARY[kind], code)  # into a date
                if isinstance(existing, CellError):
                    header = _header(kind, "code")
                    report.problem(Problem(table.sheet, number, header, code, str(existing)))
                    continue
            if existing is not None:
                if _differs(kind, existing, values):
                    differ.append(code)
                continue
            if not may_add:
                report.problem(
                    Problem(
                        table.sheet,
                        number,
                        _header(kind, "code"),
                        code,
                        _(
                            "Not in the register: only the unit admin adds organisations, "
                            "campaigns and projects. Ask them to add it, or leave it out."
                        ),
                    )
                )
                continue
            entry = _entry(kind, values, table.sheet, number, report)
            if entry is None:
                continue
            try:
                reference_entry_create(entry=entry, user=importer.user)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    header = (
                        _header(kind, name) if any(c.key == name for c in COLUMNS[kind]) else ""
                    )
                    for message in messages:
                        report.problem(Problem(table.sheet, number, header, "", message))
                continue
            importer.vocabulary.add(VOCABULARY[kind], entry)
            report.added[kind] = report.added.get(kind, 0) + 1
        if differ:
            report.warnings.append(
                _(
                    "Sheet %(sheet)s: %(codes)s differ from the register's %(kind)s of the same "
                    "code; the register's are kept."
                )
                % {"sheet": table.sheet, "codes": ", ".join(differ[:20]), "kind": NAMES[kind]}
            )


def _read(
    kind: RefKind, table: Table, report: ImportReport
) -> Iterable[tuple[int, dict[str, Any]]]:
    columns: dict[int, Column] = {}
    for index, header in enumerate(table.header):
        tag = table.tags[index] if index < len(table.tags) else ""
        for column in COLUMNS[kind]:
            names = {fold(column.fr), fold(column.en), column.key}
            if (tag and hxl_key(tag) == hxl_key(column.hxl)) or fold(header or "") in names:
                columns[index] = column
                break
    try:
        for number, cells in table.rows:
            values: dict[str, Any] = {}
            for index, column in columns.items():
                raw = cells[index] if index < len(cells) else None
                try:
                    values[column.key] = cell_date(raw) if column.kind == "date" else cell_text(raw)
                except CellError as exc:
                    report.problem(
                        Problem(
                            table.sheet,
                            number,
                            column.header(current_lang()),
                            str(raw)[:80],
                            str(exc),
                        )
                    )
            if any(v for v in values.values()):
                yield number, values
    except ReadError as exc:
        report.problem(Problem(table.sheet, None, "", "", str(exc)))


def _differs(kind: RefKind, existing: Any, values: dict[str, Any]) -> bool:
    stored = _values(kind, existing)
    return any((values.get(k) or None) != (v or None) for k, v in stored.items() if k in values)


def _entry(
    kind: RefKind, values: dict[str, Any], sheet: str, number: int, report: ImportReport
) -> models.Model | None:
    def text(name: str) -> str:
        return str(values.get(name) or "")

    def day(name: str) -> date | None:
        value = values.get(name)
        return value if isinstance(value, date) else None

    if kind == "organisations":
        place = None
        if pcode := text("place"):
            found = list(Place.objects.filter(pcode__iexact=pcode)[:2])
            if len(found) != 1:
                report.problem(
                    Problem(sheet, number, _header(kind, "place"), pcode, _("Unknown P-code."))
                )
                return None
            place = found[0]
        return Organisation(
            code=text("code"),
            name=text("name"),
            acronym=text("acronym"),
            kind=text("kind"),
            place=place,
        )
    if kind == "campaigns":
        series = CampaignSeries.objects.filter(code=text("series")).first()
        if series is None:
            report.problem(
                Problem(
                    sheet,
                    number,
                    _header(kind, "series"),
                    text("series"),
                    _("Unknown campaign series."),
                )
            )
            return None
        campaign = Campaign(
            code=text("code"),
            series=series,
            name_fr=text("name_fr") or text("name_en"),
            name_en=text("name_en") or text("name_fr"),
        )
        # Missing dates: full_clean says they are required.
        campaign.start_date, campaign.end_date = day("start_date"), day("end_date")  # type: ignore[assignment]
        return campaign
    return Project(
        code=text("code"),
        name_fr=text("name_fr") or text("name_en"),
        name_en=text("name_en") or text("name_fr"),
        description_fr=text("description_fr"),
        description_en=text("description_en"),
        start_date=day("start_date"),
        end_date=day("end_date"),
    )
