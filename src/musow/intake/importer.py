"""Import activities from spreadsheets and KoboToolbox/ODK exports: all or nothing.

The importer reads the file row by row (`readers`), recognises its columns
(`columns`), turns each row into an `ActivityInput` (codes and names resolved
from vocabularies held in memory, so a row costs no query), and writes chunks
of rows through `activity_upsert_batch`, the write path's batch form, in one
transaction. Every problem of every row is collected (sheet, row, column,
value, reason, in the active language); if there is any, the transaction is
rolled back and nothing is written. A dry run is the same import rolled back
at the end, so its counts are exact.
"""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from musow.accounts import scopes
from musow.activities.models import (
    Activity,
)
from musow.activities.services import (
    ActivityInput,
    BatchItem,
    MediaEstimate,
    ParticipationCount,
)
from musow.intake.columns import (
    ACTIVITY_COLUMNS,
    COUNT_CELLS,
    SHEET_NAMES,
    SHEETS,
    SUBMISSION_METADATA,
    SheetKind,
    fold,
    guess_kind,
    is_form_version,
    is_submission_id,
    match_header,
    sheet_kind,
)
from musow.intake.keyspace import KeySpace
from musow.intake.lines import read_lines
from musow.intake.readers import (
    COMMAND_LIMITS,
    Limits,
    ReadError,
    Table,
    Workbook,
    cell_text,
    excerpt,
)
from musow.intake.references import RefKind, load_references, reference_kind
from musow.intake.report import (
    ImportReport,
    Problem,
)
from musow.intake.rows import Cell, Line, Prepared, Row, Sheet, age_group_of
from musow.intake.submissions import Exports
from musow.intake.vocabulary import Places, Vocabulary
from musow.intake.writing import write_chunk
from musow.lib.i18n import current_lang
from musow.lib.i18n import number as localized_number

DEFAULT_SOURCE = "import"
SUBMISSION_SOURCE = "odk"
CHUNK = 1000
# Sheets of our own template that hold no data.
_IGNORED_SHEETS = {"instructions", "listes", "lists", "choices", "settings", "survey"}


class Importer:
    def __init__(
        self,
        *,
        user: Any = None,
        source: str | None = None,
        dry_run: bool = False,
        progress: Callable[[int | None], Callable[[int], None]] | None = None,
        max_rows: int | None = None,
    ) -> None:
        self.user = user
        self.max_rows = max_rows
        # The readers stop at these: a page's upload is bounded by its row limit.
        self.limits = Limits.for_web(max_rows) if max_rows else COMMAND_LIMITS
        self.source = source
        self.dry_run = dry_run
        self.progress = progress
        self.vocabulary = Vocabulary()
        self.places = Places()
        self.validator = scopes.may_validate_by_import(user)
        self.keyspace = KeySpace(user)
        self.reference_tables: dict[RefKind, Table] = {}
        self._form_version: str | None = None

    # The whole run ---------------------------------------------------------------

    def run(self, paths: list[tuple[Path, str]]) -> ImportReport:
        report = ImportReport(file=", ".join(name for _p, name in paths), dry_run=self.dry_run)
        books: list[Workbook] = []
        # A KoboToolbox / ODK Central export comes back in the template's shape.
        exports = Exports(validator=self.validator, limits=self.limits)
        try:
            try:
                for path, name in paths:
                    books.append(exports.open(path, name))
            except ReadError as exc:
                report.problem(Problem("", None, "", "", str(exc)))
                return report
            sheets = self._sheets(books, report)
            if report.problems:
                return report
            if "activities" not in sheets:
                report.problem(
                    Problem(
                        "",
                        None,
                        "",
                        "",
                        _(
                            "No sheet of activities found: the file needs a sheet “Activités” "
                            "(or “Activities”) whose columns are those of the template."
                        ),
                    )
                )
                return report
            with transaction.atomic():
                self._import(sheets, report)
                if not report.ok or self.dry_run:
                    transaction.set_rollback(True)
        finally:
            for book in books:
                report.warnings.extend(book.warnings)  # what a file lacks (kobo, odk)
                book.close()
        return report

    # Sheets and columns ----------------------------------------------------------

    def _sheets(self, books: list[Workbook], report: ImportReport) -> dict[SheetKind, Sheet]:
        sheets: dict[SheetKind, Sheet] = {}
        for book in books:
            for table in book.tables:
                if not table.header:
                    continue
                if fold(table.sheet) in _IGNORED_SHEETS:
                    continue
                if reference := reference_kind(table.sheet):  # organisations, campaigns…
                    self.reference_tables[reference] = table
                    continue
                kind = sheet_kind(table.sheet) or guess_kind(table.header, table.tags)
                if kind is None:
                    report.warnings.append(
                        _("The sheet “%(sheet)s” was not recognised and was ignored.")
                        % {"sheet": table.sheet}
                    )
                    continue
                if kind in sheets:
                    report.problem(
                        Problem(
                            table.sheet,
                            None,
                            "",
                            "",
                            _("A second sheet of %(kind)s (the first is “%(first)s”).")
                            % {"kind": SHEET_NAMES[kind], "first": sheets[kind].title},
                        )
                    )
                    continue
                sheets[kind] = self._columns(kind, table, report)
        return sheets

    def _columns(self, kind: SheetKind, table: Table, report: ImportReport) -> Sheet:
        sheet = Sheet(kind=kind, table=table, columns={})
        seen: dict[str, int] = {}
        unknown = []
        for index, header in enumerate(table.header):
            tag = table.tags[index] if index < len(table.tags) else ""
            if not header and not tag:
                continue
            if kind == "activities" and is_submission_id(header):
                sheet.submission_id = index
                continue
            if kind == "activities" and is_form_version(header):
                sheet.form_version = index
                continue
            if kind != "activities" and header.strip().lower() == "_submission__uuid":
                header = "activity_id"  # a KoboToolbox repeat sheet names its submission
            column = match_header(kind, header, tag)
            if column is None:
                if not _metadata(kind, header):
                    unknown.append(header or tag)
                continue
            if column.key in seen:
                report.problem(
                    Problem(
                        table.sheet,
                        table.header_row,
                        header,
                        "",
                        _("This column appears twice (also column %(n)s).")
                        % {"n": seen[column.key] + 1},
                    )
                )
                continue
            seen[column.key] = index
            sheet.columns[index] = column
            sheet.by_key[column.key] = column
            sheet.headers[column.key] = header or tag or column.hxl
        if unknown:
            report.warnings.append(
                _("Sheet %(sheet)s: columns not recognised, ignored: %(columns)s.")
                % {"sheet": table.sheet, "columns": _listed(unknown)}
            )
        needed = [c for c in SHEETS[kind] if c.required]
        if kind == "activities" and sheet.submission_id is not None:
            needed = [c for c in needed if c.key != "activity_id"]
        for column in needed:
            if column.key not in seen:
                report.problem(
                    Problem(
                        table.sheet,
                        table.header_row,
                        "",
                        "",
                        _("The column “%(column)s” (%(hxl)s) is missing.")
                        % {"column": column.header(_lang()), "hxl": column.hxl},
                    )
                )
        if kind == "activities" and not {
            "region_code",
            "region",
            "cercle_code",
            "cercle",
            "commune_code",
            "commune",
        } & set(seen):
            report.problem(
                Problem(
                    table.sheet,
                    table.header_row,
                    "",
                    "",
                    _("No place column: give the region (#adm1+code or #adm1+name)."),
                )
            )
        return sheet

    # Rows ------------------------------------------------------------------------

    def _rows(self, sheet: Sheet, report: ImportReport) -> Iterator[tuple[int, dict[str, Any]]]:
        try:
            for number, cells in sheet.table.rows:
                values: dict[str, Any] = {}
                for index, column in sheet.columns.items():
                    if index < len(cells):
                        values[column.key] = cells[index]
                if sheet.submission_id is not None and sheet.submission_id < len(cells):
                    values["activity_id"] = _uuid(cells[sheet.submission_id])
                if sheet.form_version is not None and sheet.form_version < len(cells):
                    values["__version__"] = cells[sheet.form_version]
                yield number, values
        except ReadError as exc:
            report.problem(Problem(sheet.title, None, "", "", str(exc)))

    def _import(self, sheets: dict[SheetKind, Sheet], report: ImportReport) -> None:
        lines: dict[SheetKind, dict[str, list[Line]]] = {}
        kinds: tuple[SheetKind, ...] = ("participation", "media", "attendance")
        for kind in kinds:
            if kind in sheets:
                lines[kind] = read_lines(self, sheets[kind], report)
        main = sheets["activities"]
        report.main_sheet = main.title
        load_references(self, self.reference_tables, report)
        default_source = self.source or (
            SUBMISSION_SOURCE if main.submission_id is not None else DEFAULT_SOURCE
        )
        # The IDs met so far, by hash (a million rows: ~130 MB instead of ~250 MB for the
        # keys themselves); the row where each was first met.
        seen: dict[int, int] = {}
        chunk: list[Prepared] = []
        tick = self.progress(main.table.total) if self.progress else None
        limit = self.max_rows
        if limit is not None and (main.table.total or 0) - main.table.header_row > limit * 1.1:
            self._too_many_rows(main, report)
            return
        for number, values in self._rows(main, report):
            if limit is not None and report.rows >= limit:
                self._too_many_rows(main, report)
                return
            report.rows += 1
            if tick:
                tick(number)
            problems_before = report.problem_count
            item = self._activity(main, number, values, lines, default_source, seen, report)
            if report.problem_count > problems_before:
                report.rejected += 1
                self._version_note(main, number, values, report)
                continue
            if item is not None:
                chunk.append(item)
                if len(chunk) >= CHUNK:
                    write_chunk(self, chunk, report)
                    chunk = []
        if chunk:
            write_chunk(self, chunk, report)
        for kind, by_key in lines.items():
            for key, waiting in by_key.items():
                first = waiting[0].cell
                report.problem(
                    Problem(
                        first.sheet,
                        first.row,
                        sheets[kind].header(ACTIVITY_COLUMNS[0]),
                        key,
                        _("No activity with this ID on the sheet %(sheet)s.")
                        % {"sheet": main.title},
                    )
                )
        if report.rows == 0 and report.ok:
            report.problem(
                Problem(main.title, None, "", "", _("The sheet has no data rows under its header."))
            )

    def _too_many_rows(self, sheet: Sheet, report: ImportReport) -> None:
        report.problem(
            Problem(
                sheet.title,
                None,
                "",
                "",
                _(
                    "This file has more than %(max)s rows: the web page imports up to %(max)s "
                    "rows at a time. Split the file, or ask the unit admin to import it with "
                    "“musow import”."
                )
                % {"max": localized_number(self.max_rows)},
            )
        )

    def _version_note(
        self, sheet: Sheet, number: int, values: dict[str, Any], report: ImportReport
    ) -> None:
        """A refused submission made with another version of the form says so."""
        given = cell_text(values.get("__version__")) if values.get("__version__") else ""
        if not given:
            return
        if self._form_version is None:
            from musow.intake.xlsform import xlsform_rows

            self._form_version = str(xlsform_rows(["fr", "en"])["settings"][1][2])
        if given != self._form_version:
            report.problem(
                Problem(
                    sheet.title,
                    number,
                    "",
                    "",
                    _(
                        "This submission was made with version %(old)s of the form; the "
                        "current version is %(new)s: a field or a choice it uses has changed "
                        "since."
                    )
                    % {"old": given, "new": self._form_version},
                )
            )

    # One activity ----------------------------------------------------------------

    def _activity(
        self,
        sheet: Sheet,
        number: int,
        values: dict[str, Any],
        lines: dict[SheetKind, dict[str, list[Line]]],
        default_source: str,
        seen: dict[int, int],
        report: ImportReport,
    ) -> "Prepared | None":
        row = Row(self, sheet, number, values, report)
        key = row.text("activity_id")
        source = row.text("source") or default_source
        if not key:
            row.problem(
                "activity_id",
                _(
                    "Each activity needs an ID, unique in the file, so that importing it again "
                    "changes nothing."
                ),
            )
        elif (fingerprint := hash((source, key))) in seen:
            row.problem(
                "activity_id",
                _("This ID is already used on row %(row)s.") % {"row": seen[fingerprint]},
            )
        else:
            seen[fingerprint] = number
        activity_type = row.choice("activity_type", required=True)
        title = row.text("title")
        if not title:
            row.problem("title", _("The title is required."))
        start = row.date("start_date", required=True)
        end = row.date("end_date") or start
        place = row.place()
        # An empty status (or review comment) keeps the stored activity's (writing.py);
        # a new activity without one is a draft, a phone submission submitted.
        given_status = row.choice("status")
        status = given_status or (
            Activity.Status.SUBMITTED if sheet.submission_id is not None else Activity.Status.DRAFT
        )
        review_comment = row.text("review_comment")
        participation, origins = self._participation(row, lines.get("participation", {}), key)
        media, media_origins = self._media(row, lines.get("media", {}), key)
        listed = lines.get("attendance", {}).pop(key, [])
        attendance = [line.item for line in listed]
        if not row.ok or activity_type is None or start is None or place is None:
            return None
        assert end is not None
        data = ActivityInput(
            activity_type=activity_type,
            title=title,
            description=row.text("description"),
            start_date=start,
            end_date=end,
            place=place,
            themes=row.choices("themes"),
            campaign=row.choice("campaign"),
            project=row.choice("project"),
            organiser=row.choice("organiser"),
            partners=row.choices("partners"),
            objectives=row.choices("objectives"),
            participation=participation,
            participants_total=row.integer("total"),
            media_reach=media,
            attendance=attendance,
            status=status,
            review_comment=review_comment,
            source=source,
            source_key=key,
        )
        if not row.ok:
            return None
        if self.user is not None and not scopes.may_write(self.user, data):
            row.problem(
                "",
                _(
                    "Outside your scope: you may not write activities of this region or "
                    "organisation."
                ),
            )
            return None
        version = values.get("__version__")
        origin = (
            _("%(file)s, submission %(key)s") % {"file": report.file, "key": key}
            if sheet.submission_id is not None
            else _("%(file)s, sheet %(sheet)s, row %(row)s")
            % {"file": report.file, "sheet": sheet.title, "row": number}
        )
        if version:
            origin += " " + _("(form version %(version)s)") % {"version": cell_text(version)}
        return Prepared(
            BatchItem(data=data, origin=origin),
            row,
            origins,
            media_origins,
            attendance_origins=[line.cell for line in listed],
            keep_status=given_status is None,
            keep_comment=not review_comment,
            # No row on the attendance sheet (or no such sheet: an export without attendee
            # keys) keeps the stored list; rows replace it.
            keep_attendance=not listed,
        )

    def _participation(
        self, row: "Row", waiting: dict[str, list[Line]], key: str
    ) -> tuple[list[ParticipationCount], list[Cell | str]]:
        counts: list[ParticipationCount] = []
        origins: list[Cell | str] = []
        wide = [(k, sex, age) for k, sex, age in COUNT_CELLS if row.has(k)]
        long = waiting.pop(key, []) if key else []
        audience = row.choice("audience")
        if wide and long:
            row.problem(
                wide[0][0],
                _(
                    "Give the participants either on this sheet or on the Participation sheet, "
                    "not on both."
                ),
            )
            return [], []
        if wide:
            if audience is None and not row.has("audience"):
                row.problem("audience", _("Say which audience these participants belong to."))
            for column_key, sex, age_code in wide:
                count = row.integer(column_key)
                age = age_group_of(self.vocabulary, age_code)
                if count is not None and audience is not None and age is not None:
                    counts.append(ParticipationCount(audience, sex, age, count))
                    origins.append(column_key)  # the cell, looked up only for a message
        for line in long:
            counts.append(line.item)
            origins.append(line.cell)
        return counts, origins

    def _media(
        self, row: "Row", waiting: dict[str, list[Line]], key: str
    ) -> tuple[list[MediaEstimate], list[Cell | str]]:
        long = waiting.pop(key, []) if key else []
        if row.has("medium") or row.has("estimated_audience"):
            if long:
                row.problem(
                    "medium",
                    _("Give the media either on this sheet or on the Media sheet, not on both."),
                )
                return [], []
            medium = row.choice("medium", required=True)
            estimate = row.integer("estimated_audience")
            if estimate is None:
                row.problem("estimated_audience", _("The estimated audience is required."))
            if medium is None or estimate is None:
                return [], []
            media = MediaEstimate(medium, estimate, row.text("outlet"), row.text("method"))
            return [media], ["estimated_audience"]
        return [line.item for line in long], [line.cell for line in long]


def _metadata(kind: SheetKind, header: str) -> bool:
    """Columns of a KoboToolbox / ODK export that are not data: _id, start, themes/gbv…"""
    text = header.strip().lower()
    if text.startswith("_") or text in SUBMISSION_METADATA:
        return True
    if "/" in text:  # a multiple choice split into one 0/1 column per choice
        column = match_header(kind, text.rsplit("/", 1)[0])
        return column is not None and column.kind == "choices"
    return False


def _listed(headers: list[str], most: int = 20) -> str:
    """Headers for a message: an excerpt of each, the first `most` of them."""
    shown = ", ".join(f"“{excerpt(h)}”" for h in headers[:most])
    if len(headers) > most:
        shown += " " + _("and %(n)s more") % {"n": localized_number(len(headers) - most)}
    return shown


def _uuid(value: Any) -> str:
    text = "" if value is None else str(value).strip()
    return text[5:] if text.lower().startswith("uuid:") else text


def _lang() -> str:
    return current_lang()


def import_files(
    paths: list[Path] | list[tuple[Path, str]],
    *,
    user: Any = None,
    source: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int | None], Callable[[int], None]] | None = None,
    max_rows: int | None = None,
) -> ImportReport:
    """Import one file (or the CSV files of one template's sheets) all or nothing.

    `paths` are paths, or (path, name shown to the user) pairs. `user` is who
    imports (scopes apply); None is the system itself (the command line run by
    the unit's administrator), with every right. `max_rows` bounds the rows of the
    Activities sheet (the web page's requests must end in seconds).
    """
    named = [p if isinstance(p, tuple) else (p, p.name) for p in paths]
    importer = Importer(
        user=user, source=source, dry_run=dry_run, progress=progress, max_rows=max_rows
    )
    return importer.run(named)
