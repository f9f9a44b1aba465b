"""Loading places: Mali's regions shipped with musow, deeper levels from OCHA gazetteers."""

import csv
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from musow.geo.models import Gazetteer, Place

DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED_GAZETTEER = "ocha-cod-ab-mli"


@transaction.atomic
def regions_load_shipped() -> int:
    """Create or update Mali's first-level units (2013–2021 OCHA COD-AB frame) with boundaries.

    Ménaka (ML10) and Taoudénit (no P-code in that frame) became operational in
    2016: they are loaded with `valid_from` 2016-01-01 and no boundary of their own.
    Returns the number of places written.
    """
    gazetteer, _created = Gazetteer.objects.update_or_create(
        code=SHIPPED_GAZETTEER,
        defaults={
            "name": "OCHA COD-AB Mali (DNCT)",
            "vintage": "2013–2021",
            "source": (
                "geoBoundaries gbHumanitarian MLI ADM1 (boundaryID MLI-ADM1-25159768, "
                "boundaryYear 2013), from OCHA COD-AB / DNCT; ISO 3166-2:ML codes."
            ),
            "licence": "CC BY 3.0 IGO",
            "attribution": "geoBoundaries (wmgeolab) / OCHA COD-AB Mali / DNCT",
        },
    )
    with open(DATA_DIR / "mali_admin1.geojson", encoding="utf-8") as fh:
        geometries = {
            feature["properties"]["pcode"]: feature["geometry"]
            for feature in json.load(fh)["features"]
        }
    count = 0
    with open(DATA_DIR / "mali_admin1.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            later = row["in_geojson"] != "yes"
            lookup: dict[str, Any] = (
                {"pcode": row["pcode"]} if row["pcode"] else {"iso_3166_2": row["iso_3166_2"]}
            )
            Place.objects.update_or_create(
                gazetteer=gazetteer,
                level=Place.Level.REGION,
                **lookup,
                defaults={
                    "pcode": row["pcode"],
                    "iso_3166_2": row["iso_3166_2"],
                    "name_fr": row["name_fr"],
                    "name_en": row["name_en"],
                    "kind_fr": row["type_fr"],
                    "kind_en": row["type_en"],
                    "valid_from": date(2016, 1, 1) if later else None,
                    "boundary": geometries.get(row["pcode"]),
                    "note": row["note"],
                },
            )
            count += 1
    return count


# ---------------------------------------------------------------------------
# Deeper levels (cercles, communes, localities) from an OCHA COD-AB table
# ---------------------------------------------------------------------------

MAX_LEVEL = 4  # ADM4 (localities) is the deepest Place level
_KINDS = {
    Place.Level.CERCLE: ("Cercle", "Cercle"),
    Place.Level.COMMUNE: ("Commune", "Commune"),
    Place.Level.LOCALITY: ("Localité", "Locality"),
}
# Header conventions, compared without case, spaces, "_" or "-":
# ADM2_PCODE, admin2Pcode, adm2_pcode · ADM2_FR, admin2Name_fr · adm2_name, admin2Name
_PCODE_COLUMN = re.compile(r"^adm(?:in)?([0-9])p?code$")
_NAME_COLUMN = re.compile(r"^adm(?:in)?([0-9])(?:name)?(fr|en)$")
_ANY_NAME_COLUMN = re.compile(r"^adm(?:in)?([0-9])name$")
_MAX_ERRORS = 50


class PlacesLoadError(ValueError):
    """The table cannot be loaded; each message names the row and column. Nothing was written."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Table:
    """A table as read from a file: header and data rows with their spreadsheet row numbers."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    sheet: str = ""


@dataclass(frozen=True)
class _Columns:
    header: list[str]
    pcode: dict[int, int]  # level → column index
    names: dict[int, dict[str, int]]  # level → {"fr"|"en"|"": column index}

    @property
    def levels(self) -> list[int]:
        return sorted(self.pcode)

    def label(self, index: int) -> str:
        return self.header[index]


@dataclass(frozen=True)
class _Unit:
    level: int
    pcode: str
    parent: str  # the parent's P-code
    name_fr: str
    name_en: str
    row: int


@dataclass(frozen=True)
class _Known:
    pk: int
    level: int
    parent: str
    region_id: int | None
    name_fr: str
    name_en: str


@dataclass
class PlacesLoadReport:
    gazetteer: str
    rows: int
    dry_run: bool
    sheet: str = ""
    created: Counter[int] = field(default_factory=Counter)  # by level
    updated: Counter[int] = field(default_factory=Counter)
    unchanged: Counter[int] = field(default_factory=Counter)


def places_load(
    *, path: str | Path, gazetteer: str = SHIPPED_GAZETTEER, dry_run: bool = False
) -> PlacesLoadReport:
    """Load cercles, communes (and localities) from a P-coded table as OCHA publishes it.

    Each row describes the deepest unit and its ancestors (ADM1_PCODE, ADM2_PCODE,
    ADM2_FR, …). The shallowest P-code column is a reference: those places must
    already be in the gazetteer (regions come with `musow setup`); the levels below
    it are created or updated. Everything is checked before anything is written,
    all or nothing; loading the same table again changes nothing.
    Raises PlacesLoadError with one message per problem.
    """
    gz = Gazetteer.objects.filter(code=gazetteer).first()
    if gz is None:
        raise PlacesLoadError([_("Unknown gazetteer “%(code)s”.") % {"code": gazetteer}])
    table = table_read(Path(path))
    columns = _columns(table)
    known = _known_places(gz)
    units = _units(table, columns, known)
    report = PlacesLoadReport(
        gazetteer=gz.code, rows=len(table.rows), dry_run=dry_run, sheet=table.sheet
    )
    creates, updates = _plan(units, known, report)
    if not dry_run:
        with transaction.atomic():
            _apply(gz, creates, updates, known)
    return report


# -- reading ----------------------------------------------------------------


def table_read(path: Path) -> Table:
    """Read a CSV (UTF-8 with or without BOM, UTF-16, or Windows-1252) or XLSX file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlacesLoadError(
            [_("Cannot read the file %(file)s: %(error)s.") % {"file": path, "error": exc.strerror}]
        ) from exc
    if not data.strip():
        raise PlacesLoadError([_("The file %(file)s is empty.") % {"file": path.name}])
    if data[:4] == b"PK\x03\x04":
        table = _xlsx_table(data, path.name)
    else:
        table = _csv_table(_decode(data, path.name), path.name)
    if not table.header or not table.rows:
        raise PlacesLoadError(
            [_("The file %(file)s has no data rows under its header.") % {"file": path.name}]
        )
    return table


def _decode(data: bytes, name: str) -> str:
    encodings = ["utf-16"] if data[:2] in (b"\xff\xfe", b"\xfe\xff") else []
    for encoding in [*encodings, "utf-8-sig", "cp1252"]:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise PlacesLoadError(
        [
            _(
                "The file %(file)s is not readable as text: save it as CSV in UTF-8 "
                "(or Windows-1252), or as XLSX."
            )
            % {"file": name}
        ]
    )


def _csv_table(text: str, name: str) -> Table:
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        lines = list(
            csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
        )
    except csv.Error as exc:
        raise PlacesLoadError(
            [
                _("The file %(file)s is not a valid CSV table: %(error)s.")
                % {"file": name, "error": exc}
            ]
        ) from exc
    return _table([[cell.strip() for cell in line] for line in lines])


def _xlsx_table(data: bytes, name: str) -> Table:
    """The sheet with the deepest P-code column (OCHA workbooks have one sheet per level)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise PlacesLoadError(
            [_("The file %(file)s is not a readable XLSX workbook.") % {"file": name}]
        ) from exc
    best: Table | None = None
    best_depth = -1
    for sheet in book.worksheets:
        rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        table = _table(rows, sheet=sheet.title)
        depth = max(_header_levels(table.header), default=0)
        if depth > best_depth:
            best, best_depth = table, depth
    book.close()
    return best or Table(header=[], rows=[])


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(lines: list[list[str]], sheet: str = "") -> Table:
    """Header = first non-empty line; an HXL hashtag row (#adm1+code…) under it is skipped."""
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if any(line)]
    if not numbered:
        return Table(header=[], rows=[], sheet=sheet)
    (_n, header), *rows = numbered
    if rows and all(cell.startswith("#") for cell in rows[0][1] if cell):
        rows = rows[1:]
    return Table(header=[h.strip().lstrip("\ufeff") for h in header], rows=rows, sheet=sheet)


def _normal(column: str) -> str:
    return re.sub(r"[\s_\-]", "", column).lower()


def _header_levels(header: list[str]) -> list[int]:
    return [int(m[1]) for h in header if (m := _PCODE_COLUMN.match(_normal(h)))]


def _columns(table: Table) -> _Columns:
    pcode: dict[int, int] = {}
    names: dict[int, dict[str, int]] = {}
    for index, column in enumerate(table.header):
        text = _normal(column)
        if (m := _PCODE_COLUMN.match(text)) and 1 <= int(m[1]) <= MAX_LEVEL:
            pcode.setdefault(int(m[1]), index)
        elif (m := _NAME_COLUMN.match(text)) and 1 <= int(m[1]) <= MAX_LEVEL:
            names.setdefault(int(m[1]), {}).setdefault(m[2], index)
        elif (m := _ANY_NAME_COLUMN.match(text)) and 1 <= int(m[1]) <= MAX_LEVEL:
            names.setdefault(int(m[1]), {}).setdefault("", index)
    columns = _Columns(header=table.header, pcode=pcode, names=names)
    _check_header(columns)
    return columns


def _check_header(columns: _Columns) -> None:
    levels = columns.levels
    found = ", ".join(columns.header)
    if not levels or levels[-1] < 2 or len(levels) < 2:
        raise PlacesLoadError(
            [
                _(
                    "No P-code columns of a unit and its parent (e.g. ADM1_PCODE and "
                    "ADM2_PCODE) in the header. Columns found: %(columns)s."
                )
                % {"columns": found}
            ]
        )
    missing = [n for n in range(levels[0], levels[-1] + 1) if n not in columns.pcode]
    if missing:
        raise PlacesLoadError(
            [
                _("The header lacks the P-code column of level %(levels)s (e.g. %(example)s).")
                % {
                    "levels": ", ".join(map(str, missing)),
                    "example": f"ADM{missing[0]}_PCODE",
                }
            ]
        )
    if levels[-1] not in columns.names:
        raise PlacesLoadError(
            [
                _(
                    "The header has no name column for level %(level)s "
                    "(e.g. ADM%(level)s_FR, ADM%(level)s_EN or adm%(level)s_name)."
                )
                % {"level": levels[-1]}
            ]
        )


# -- checking ---------------------------------------------------------------


def _known_places(gz: Gazetteer) -> dict[str, _Known]:
    rows = (
        Place.objects.filter(gazetteer=gz)
        .exclude(pcode="")
        .values_list("pcode", "pk", "level", "parent__pcode", "region_id", "name_fr", "name_en")
    )
    return {
        pcode: _Known(pk, level, parent or "", region_id, name_fr, name_en)
        for pcode, pk, level, parent, region_id, name_fr, name_en in rows
    }


def _where(row: int, column: str) -> str:
    return _("Row %(row)s, column %(column)s") % {"row": row, "column": column}


def _units(table: Table, columns: _Columns, known: dict[str, _Known]) -> dict[str, _Unit]:
    """The units the table describes, by P-code, after checking every row."""
    errors: list[str] = []
    units: dict[str, _Unit] = {}
    references: list[tuple[int, int, str, str]] = []  # row, level, pcode, column
    levels = columns.levels
    for number, cells in table.rows:
        row_units, row_refs = _row_units(number, cells, columns, levels, errors)
        references.extend(row_refs)
        for unit in row_units:
            _merge(units, unit, columns, errors)
    for number, level, pcode, column in references:
        if pcode not in units and (pcode not in known or known[pcode].level != level):
            errors.append(_unknown_parent(number, column, pcode, level))
    for unit in units.values():
        _check_existing(unit, known, columns, errors)
    if errors:
        raise PlacesLoadError(_truncate(errors))
    return units


def _row_units(
    number: int, cells: list[str], columns: _Columns, levels: list[int], errors: list[str]
) -> tuple[list[_Unit], list[tuple[int, int, str, str]]]:
    def cell(index: int) -> str:
        return cells[index].strip() if index < len(cells) else ""

    units: list[_Unit] = []
    refs: list[tuple[int, int, str, str]] = []
    parent = ""
    parent_column = ""
    for level in levels:
        column = columns.label(columns.pcode[level])
        pcode = cell(columns.pcode[level])
        if not pcode:
            errors.append(
                _("%(where)s: the P-code is missing.") % {"where": _where(number, column)}
            )
            return [], []
        if parent and not (pcode.startswith(parent) and len(pcode) > len(parent)):
            errors.append(
                _(
                    "%(where)s: the P-code %(pcode)s does not start with the P-code of its "
                    "parent %(parent)s (column %(parent_column)s)."
                )
                % {
                    "where": _where(number, column),
                    "pcode": pcode,
                    "parent": parent,
                    "parent_column": parent_column,
                }
            )
            return [], []
        names = {lang: cell(index) for lang, index in columns.names.get(level, {}).items()}
        fr = names.get("fr") or names.get("") or names.get("en") or ""
        en = names.get("en") or names.get("") or names.get("fr") or ""
        if level == levels[0] or (not fr and level != levels[-1]):
            refs.append((number, level, pcode, column))
        elif not fr:
            name_columns = [columns.label(i) for i in columns.names[level].values()]
            errors.append(
                _("%(where)s: the name of %(pcode)s is missing.")
                % {"where": _where(number, " / ".join(name_columns)), "pcode": pcode}
            )
        else:
            units.append(_Unit(level, pcode, parent, fr, en, number))
        parent, parent_column = pcode, column
    return units, refs


def _merge(units: dict[str, _Unit], unit: _Unit, columns: _Columns, errors: list[str]) -> None:
    """The same unit repeated on several rows (a cercle on each of its communes' rows)."""
    seen = units.get(unit.pcode)
    if seen is None:
        units[unit.pcode] = unit
    elif (seen.level, seen.parent, seen.name_fr, seen.name_en) != (
        unit.level,
        unit.parent,
        unit.name_fr,
        unit.name_en,
    ):
        column = columns.label(columns.pcode[unit.level])
        errors.append(
            _(
                "%(where)s: %(pcode)s is described differently on row %(other)s "
                "(“%(name)s” under %(parent)s here, “%(other_name)s” under %(other_parent)s there)."
            )
            % {
                "where": _where(unit.row, column),
                "pcode": unit.pcode,
                "other": seen.row,
                "name": unit.name_fr,
                "parent": unit.parent,
                "other_name": seen.name_fr,
                "other_parent": seen.parent,
            }
        )


def _check_existing(
    unit: _Unit, known: dict[str, _Known], columns: _Columns, errors: list[str]
) -> None:
    existing = known.get(unit.pcode)
    if existing is not None and existing.level != unit.level:
        errors.append(
            _("%(where)s: %(pcode)s is already in the gazetteer as a %(level)s.")
            % {
                "where": _where(unit.row, columns.label(columns.pcode[unit.level])),
                "pcode": unit.pcode,
                "level": Place.Level(existing.level).label,
            }
        )


def _unknown_parent(number: int, column: str, pcode: str, level: int) -> str:
    return _(
        "%(where)s: unknown parent P-code %(pcode)s: no %(level)s with this P-code in the "
        "gazetteer (regions are loaded by “musow setup”; load the upper levels first)."
    ) % {"where": _where(number, column), "pcode": pcode, "level": Place.Level(level).label}


def _truncate(errors: list[str]) -> list[str]:
    if len(errors) <= _MAX_ERRORS:
        return errors
    more = len(errors) - _MAX_ERRORS
    return [*errors[:_MAX_ERRORS], _("… and %(n)s more problems.") % {"n": more}]


# -- writing ----------------------------------------------------------------


def _plan(
    units: dict[str, _Unit], known: dict[str, _Known], report: PlacesLoadReport
) -> tuple[list[_Unit], list[_Unit]]:
    creates: list[_Unit] = []
    updates: list[_Unit] = []
    for unit in sorted(units.values(), key=lambda u: (u.level, u.pcode)):
        existing = known.get(unit.pcode)
        if existing is None:
            creates.append(unit)
            report.created[unit.level] += 1
        elif (existing.parent, existing.name_fr, existing.name_en) != (
            unit.parent,
            unit.name_fr,
            unit.name_en,
        ):
            updates.append(unit)
            report.updated[unit.level] += 1
        else:
            report.unchanged[unit.level] += 1
    return creates, updates


def _apply(
    gz: Gazetteer, creates: list[_Unit], updates: list[_Unit], known: dict[str, _Known]
) -> None:
    ids = {pcode: (k.pk, k.region_id) for pcode, k in known.items()}
    for level in range(2, MAX_LEVEL + 1):
        new = [u for u in creates if u.level == level]
        Place.objects.bulk_create([_new_place(gz, u, ids) for u in new], batch_size=500)
        for pcode, pk, region_id in Place.objects.filter(
            gazetteer=gz, pcode__in=[u.pcode for u in new]
        ).values_list("pcode", "pk", "region_id"):
            ids[pcode] = (pk, region_id)
    changed = []
    for unit in updates:
        place = Place.objects.get(pk=ids[unit.pcode][0])
        place.name_fr, place.name_en = unit.name_fr, unit.name_en
        place.parent_id, place.region_id = ids[unit.parent]
        changed.append(place)
    Place.objects.bulk_update(changed, ["name_fr", "name_en", "parent", "region"], batch_size=500)
    if any(known[u.pcode].parent != u.parent for u in updates):
        _refresh_regions(gz)


def _new_place(gz: Gazetteer, unit: _Unit, ids: dict[str, tuple[int, int | None]]) -> Place:
    parent_id, region_id = ids[unit.parent]
    kind_fr, kind_en = _KINDS[Place.Level(unit.level)]
    return Place(
        gazetteer=gz,
        pcode=unit.pcode,
        level=unit.level,
        parent_id=parent_id,
        region_id=region_id,
        name_fr=unit.name_fr,
        name_en=unit.name_en,
        kind_fr=kind_fr,
        kind_en=kind_en,
    )


def _refresh_regions(gz: Gazetteer) -> None:
    """A unit moved under another parent: its descendants follow it to its region."""
    for level in range(3, MAX_LEVEL + 1):
        Place.objects.filter(gazetteer=gz, level=level).update(
            region_id=Subquery(
                Place.objects.filter(pk=OuterRef("parent_id")).values("region_id")[:1]
            )
        )


def places_list(*, gazetteer: str = SHIPPED_GAZETTEER, level: int | None = None) -> QuerySet[Place]:
    places = Place.objects.filter(gazetteer__code=gazetteer).select_related("parent")
    if level is not None:
        places = places.filter(level=level)
    return places.order_by("level", "pcode", "name_fr")
