"""Import templates (XLSX and CSV), in French or English, and the writer exports share.

The XLSX template has an Instructions sheet, the four data sheets (headers in
the chosen language, the HXL hashtag row under them, drop-down lists on every
choice column) and a Lists sheet that feeds the drop-downs from the live
vocabularies. Exports write the same sheets with data (see `export`).
"""

import csv
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from musow.activities.models import (
    Activity,
    ActivityType,
    AgeGroup,
    Audience,
    Campaign,
    MediaReach,
    Objective,
    Organisation,
    Project,
    Sex,
    Theme,
)
from musow.geo.models import Place
from musow.intake.columns import SHEET_TITLES, SHEETS, Column, SheetKind
from musow.intake.readers import neutralise
from musow.intake.references import COLUMNS as REFERENCE_COLUMNS
from musow.intake.references import REFERENCE_KINDS, reference_kind
from musow.intake.references import TITLES as REFERENCE_TITLES
from musow.intake.references import headers as reference_headers

KINDS: tuple[SheetKind, ...] = ("activities", "participation", "media", "attendance")
FIRST_DATA_ROW = 3  # header, HXL hashtags, then data
LISTS_TITLE = {"fr": "Listes", "en": "Lists"}
INSTRUCTIONS_TITLE = {"fr": "Instructions", "en": "Instructions"}
# The Lists sheet's headers: the names of the lists, in the template's language.
LIST_HEADERS = {
    "activity_type": gettext_lazy("Activity type"),
    "theme": gettext_lazy("Themes"),
    "audience": gettext_lazy("Audience"),
    "age_group": gettext_lazy("Age group"),
    "campaign": gettext_lazy("Campaign"),
    "project": gettext_lazy("Project"),
    "organisation": gettext_lazy("Organisations"),
    "objective": gettext_lazy("Mandate lines"),
    "region": gettext_lazy("Region"),
    "sex": gettext_lazy("Sex"),
    "medium": gettext_lazy("Medium"),
    "status": gettext_lazy("Status"),
}


def headers(kind: str, lang: str) -> tuple[list[str], list[str]]:
    """A sheet's headers and HXL hashtags: a data sheet, or a sheet of entries."""
    if reference := reference_kind(kind):
        return reference_headers(reference, lang)
    columns = SHEETS[kind]  # type: ignore[index]
    return [c.header(lang) for c in columns], [c.hxl for c in columns]


def choice_lists(lang: str) -> dict[str, list[str]]:
    """The drop-down values of each vocabulary: names in `lang` (codes are accepted too)."""

    def names(model: Any, **filters: Any) -> list[str]:
        field = f"name_{lang}"
        return [str(getattr(o, field) or o.code) for o in model._default_manager.filter(**filters)]

    with translation.override(lang):
        return {
            "activity_type": names(ActivityType, is_active=True),
            "theme": names(Theme, is_active=True),
            "audience": names(Audience, is_active=True),
            "age_group": names(AgeGroup, is_active=True),
            "campaign": [c.code for c in Campaign.objects.order_by("-start_date")],
            "project": [p.code for p in Project.objects.order_by("code")],
            "organisation": [o.code for o in Organisation.objects.order_by("code")],
            "objective": [o.code for o in Objective.objects.order_by("code")],
            "region": [
                str(getattr(p, f"name_{lang}"))
                for p in Place.objects.filter(level=Place.Level.REGION).order_by("pcode")
            ],
            "sex": [str(label) for _v, label in Sex.choices],
            "medium": [str(label) for _v, label in MediaReach.Medium.choices],
            "status": [
                str(label)
                for v, label in Activity.Status.choices
                if v in ("draft", "submitted", "validated")
            ],
        }


def _instructions(lang: str) -> list[list[str]]:
    kinds = {
        "key": _("text, unique in the file (the same ID on every sheet of one activity)"),
        "text": _("text"),
        "date": _("a date: 2014-11-25 or 25/11/2014"),
        "integer": _("a whole number, 0 or more"),
        "choice": _("one value from the drop-down list (a name or its code)"),
        "choices": _(
            "one or more values from the drop-down list (names or codes), separated by a "
            "semicolon ; (no name contains one): for example “Résolution 1325 (Femmes, paix "
            "et sécurité); VBG”. Names are read whole, commas included"
        ),
        "place": _("a P-code or a name, in French or English, accents optional"),
    }
    rows = [
        [_("Import template for activities")],
        [
            _(
                "One row per activity on the Activities sheet, its participants by sex and age "
                "for its main audience in the count columns. An activity that reached several "
                "audiences leaves the count columns empty and gives one row per audience, sex "
                "and age group on the Participation sheet, with the same ID. Several media: "
                "the Media sheet. Attendance lists: the Attendance sheet (a participant code, "
                "or a name with a phone number or a year of birth; only a pseudonymous key is "
                "kept)."
            )
        ],
        [
            _(
                "Importing the same file again changes nothing; a changed row updates its "
                "activity. A file with a problem writes nothing: the report lists every "
                "problem."
            )
        ],
        [
            _(
                "An empty Status (or Review comment) keeps what the activity has; a new "
                "activity without a status is a draft. A status that changes is listed in "
                "the report. An activity without rows on the Attendance sheet keeps its "
                "attendance list."
            )
        ],
        [],
        [_("Sheet"), _("Column"), _("HXL hashtag"), _("Required"), _("What to write")],
    ]
    for kind in KINDS:
        for column in SHEETS[kind]:
            rows.append(
                [
                    SHEET_TITLES[kind][0 if lang == "fr" else 1],
                    column.header(lang),
                    column.hxl,
                    _("yes") if column.required else "",
                    str(kinds[column.kind]),
                ]
            )
    return rows


def _list_column(column: Column) -> str:
    if column.key == "region":
        return "region"
    return column.choices


# -- how the sheets look and print -------------------------------------------------------

FONT = "Calibri"  # named: a bold header without a name falls back to a serif font
TEXT_FORMAT = "@"  # what is typed in a code or text column stays text (never a date)
WIDTHS = {"key": 20, "text": 24, "date": 12, "integer": 11, "choice": 24, "choices": 30}
WIDE_TEXTS = {"title": 40, "description": 50, "review_comment": 36, "method": 30, "name": 30}
PRINT_CHARACTERS = 190  # what a landscape A4 page holds at ~75 %, in Calibri 11 characters
PORTRAIT_CHARACTERS = 130  # and a portrait one


def column_width(column: Column) -> float:
    if column.key in WIDE_TEXTS:
        return WIDE_TEXTS[column.key]
    if column.kind == "place":
        return 16 if column.key.endswith("_code") else 20
    return WIDTHS.get(column.kind, 20)


def _header_lines(text: str, width: float) -> int:
    words, lines, used = text.split(), 1, 0
    for word in words:
        if used and used + 1 + len(word) > width - 1:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines


def lay_out(sheet: Any, columns: Sequence[Column], names: Sequence[str]) -> None:
    """Widths, text columns that stay text, a header that wraps and repeats on every
    printed page, landscape A4 fitted to as few pages wide as the columns need. Before the
    first row is written (write-only mode writes the columns first)."""
    from openpyxl.styles import Alignment, Font, Protection
    from openpyxl.utils import get_column_letter

    total = 0.0
    lines = 1
    for index, (column, name) in enumerate(zip(columns, names, strict=True), start=1):
        longest_word = max((len(w) for w in name.split()), default=0)
        width = max(column_width(column), longest_word + 2)  # a header word is never cut
        total += width
        lines = max(lines, _header_lines(name, width))
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = width
        if column.kind not in ("date", "integer"):
            dimension.number_format = TEXT_FORMAT
            dimension.protection = Protection(locked=False)
        dimension.font = Font(name=FONT, size=11)
        dimension.alignment = Alignment(vertical="top")
    sheet.row_dimensions[1].height = 15 * min(lines, 4) + 2
    setup = sheet.page_setup
    wide = total > PORTRAIT_CHARACTERS
    setup.orientation = "landscape" if wide else "portrait"
    setup.paperSize = 9  # A4
    per_page = PRINT_CHARACTERS if wide else PORTRAIT_CHARACTERS
    setup.fitToWidth = max(1, -(-int(total) // per_page))
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:2"
    if setup.fitToWidth > 1:
        sheet.print_title_cols = "A:A"
    sheet.print_options.gridLines = True


def header_cells(sheet: Any, names: Sequence[str]) -> list[Any]:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    cells = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
        cells.append(cell)
    return cells


def _tag_cells(sheet: Any, tags: Sequence[str]) -> list[Any]:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cells = []
    for tag in tags:
        cell = WriteOnlyCell(sheet, value=tag)
        cell.font = Font(name=FONT, size=9, color="555555")
        cells.append(cell)
    return cells


def _instructions_sheet(book: Any, lang: str) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    sheet = book.create_sheet(INSTRUCTIONS_TITLE[lang])
    widths = (14, 30, 26, 10, 60)
    for letter, width in zip("ABCDE", widths, strict=True):
        sheet.column_dimensions[letter].width = width
    setup = sheet.page_setup
    setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight = "portrait", 9, 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    rows = _instructions(lang)
    table_head = next(i for i, r in enumerate(rows) if len(r) == 5)
    sheet.print_title_rows = f"{table_head + 1}:{table_head + 1}"
    span = sum(widths)
    for number, row in enumerate(rows, start=1):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            head = number == 1 or number == table_head + 1
            cell.font = Font(name=FONT, size=14 if number == 1 else 11, bold=head)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cells.append(cell)
        if len(row) == 1 and number > 1:  # a paragraph, across the five columns
            sheet.merged_cells.add(f"A{number}:E{number}")
            sheet.row_dimensions[number].height = 15 * (len(row[0]) // (span - 12) + 1) + 3
        elif len(row) == 5:
            longest = max(_header_lines(str(v), w) for v, w in zip(row, widths, strict=True))
            sheet.row_dimensions[number].height = 15 * longest + 2
        sheet.append(cells)


def write_xlsx(
    target: str | Path | IO[bytes],
    *,
    lang: str,
    rows: Iterable[tuple[str, Sequence[Any]]] = (),
    instructions: bool = True,
    kinds: Sequence[SheetKind] = KINDS,
    references: bool = False,
) -> None:
    """The template (no `rows`), or an export: `rows` are (sheet kind, cells in column
    order), in any order, written as they come (write-only mode: nothing is held).
    `kinds` are the data sheets written; `references` adds the sheets of organisations,
    campaigns and projects (intake/references.py)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    with translation.override(lang):
        book = Workbook(write_only=True)
        lists = choice_lists(lang)
        list_names = list(lists)
        if instructions:
            _instructions_sheet(book, lang)
        lists_title = LISTS_TITLE[lang]
        sheets: dict[str, Any] = {}
        for kind in kinds:
            sheet = book.create_sheet(SHEET_TITLES[kind][0 if lang == "fr" else 1])
            names, tags = headers(kind, lang)
            sheet.freeze_panes = f"B{FIRST_DATA_ROW}"
            lay_out(sheet, SHEETS[kind], names)
            for index, column in enumerate(SHEETS[kind], start=1):
                source = _list_column(column)
                if column.kind not in ("choice", "choices") and source != "region":
                    continue
                if source not in lists or not lists[source]:
                    continue
                letter = get_column_letter(list_names.index(source) + 1)
                # No error on other text: a cell of several values is typed "A; B", and
                # codes are accepted as well as the names of the list.
                validation = DataValidation(
                    type="list",
                    formula1=f"'{lists_title}'!${letter}$2:${letter}${len(lists[source]) + 1}",
                    allow_blank=True,
                    showErrorMessage=False,
                )
                if column.kind == "choices":
                    validation.showInputMessage = True
                    validation.promptTitle = _("Several values")[:32]
                    validation.prompt = _(
                        "Pick one in the list; to give several, type them separated by ; "
                        "(for example: VBG; Autonomisation)."
                    )[:255]
                col = get_column_letter(index)
                validation.add(f"{col}{FIRST_DATA_ROW}:{col}1048576")
                sheet.data_validations.append(validation)
            sheet.append(header_cells(sheet, names))
            sheet.append(_tag_cells(sheet, tags))
            sheets[kind] = sheet
        for reference in REFERENCE_KINDS if references else ():
            sheet = book.create_sheet(REFERENCE_TITLES[reference][0 if lang == "fr" else 1])
            names, tags = reference_headers(reference, lang)
            sheet.freeze_panes = f"B{FIRST_DATA_ROW}"
            lay_out(sheet, REFERENCE_COLUMNS[reference], names)
            sheet.append(header_cells(sheet, names))
            sheet.append(_tag_cells(sheet, tags))
            sheets[reference] = sheet
        for name, values in rows:
            sheets[name].append([neutralise(v) for v in values])
        lists_sheet = book.create_sheet(lists_title)
        list_columns = [Column(n, "", n, n, "choice") for n in list_names]
        list_headers = [str(LIST_HEADERS[n]) for n in list_names]
        lay_out(lists_sheet, list_columns, list_headers)
        lists_sheet.freeze_panes = "A2"
        lists_sheet.print_title_rows = "1:1"
        lists_sheet.append(header_cells(lists_sheet, list_headers))
        longest = max((len(v) for v in lists.values()), default=0)
        for i in range(longest):
            lists_sheet.append(
                [values[i] if i < len(values) else None for values in lists.values()]
            )
        book.save(target)


def csv_dialect(lang: str) -> str:
    """French spreadsheets expect `;` (the comma is their decimal mark); English ones `,`."""
    return ";" if lang == "fr" else ","


def write_csv(
    out: IO[str], *, kind: str, lang: str, rows: Iterable[Sequence[Any]] = ()
) -> Callable[[Sequence[Any]], None]:
    """One sheet as CSV: header, HXL hashtags, rows (texts neutralised against formulas).

    Returns a function that writes one more row.
    """
    with translation.override(lang):
        writer = csv.writer(out, delimiter=csv_dialect(lang), lineterminator="\r\n")
        names, tags = headers(kind, lang)
        writer.writerow(names)
        writer.writerow(tags)

    def write(row: Sequence[Any]) -> None:
        writer.writerow(["" if v is None else neutralise(v) for v in row])

    for row in rows:
        write(row)
    return write
