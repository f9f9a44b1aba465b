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
from musow.intake.references import REFERENCE_KINDS, reference_kind
from musow.intake.references import TITLES as REFERENCE_TITLES
from musow.intake.references import headers as reference_headers

KINDS: tuple[SheetKind, ...] = ("activities", "participation", "media", "attendance")
FIRST_DATA_ROW = 3  # header, HXL hashtags, then data
LISTS_TITLE = {"fr": "Listes", "en": "Lists"}
INSTRUCTIONS_TITLE = {"fr": "Instructions", "en": "Instructions"}


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
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    with translation.override(lang):
        book = Workbook(write_only=True)
        lists = choice_lists(lang)
        list_names = list(lists)
        if instructions:
            sheet = book.create_sheet(INSTRUCTIONS_TITLE[lang])
            for row in _instructions(lang):
                sheet.append(row)
        lists_title = LISTS_TITLE[lang]
        sheets: dict[str, Any] = {}
        for kind in kinds:
            sheet = book.create_sheet(SHEET_TITLES[kind][0 if lang == "fr" else 1])
            names, tags = headers(kind, lang)
            sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
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
            bold = []
            for name in names:
                cell = WriteOnlyCell(sheet, value=name)
                cell.font = Font(bold=True)
                bold.append(cell)
            sheet.append(bold)
            sheet.append(tags)
            sheets[kind] = sheet
        for reference in REFERENCE_KINDS if references else ():
            sheet = book.create_sheet(REFERENCE_TITLES[reference][0 if lang == "fr" else 1])
            names, tags = reference_headers(reference, lang)
            sheet.append([_bold(sheet, name) for name in names])
            sheet.append(tags)
            sheets[reference] = sheet
        for name, values in rows:
            sheets[name].append([neutralise(v) for v in values])
        lists_sheet = book.create_sheet(lists_title)
        lists_sheet.append(list_names)
        longest = max((len(v) for v in lists.values()), default=0)
        for i in range(longest):
            lists_sheet.append(
                [values[i] if i < len(values) else None for values in lists.values()]
            )
        book.save(target)


def _bold(sheet: Any, value: str) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell


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
