"""ODK Central exports of the musow XLSForm, rewritten into the import template's shape.

What ODK Central writes (`lib/data/briefcase.js`, `lib/util/zip.js`):

- `<form>.csv.zip` ("Download all data"): the main table `<form>.csv` and one CSV per
  repeat group, `<form>-attendees.csv`, whose rows name their submission by
  `PARENT_KEY` (`uuid:…`) and themselves by `KEY` (`uuid:…/attendees[2]`);
- `<form>.csv` (the main table alone). Its columns: `SubmissionDate`, the fields by XML
  name (with the group names joined by "-" unless "group names" was turned off; a
  multiple choice as one column of codes, plus one 0/1 column per choice seen when
  "split select multiples" is on), then `meta-instanceID`, `KEY`, `SubmitterID`,
  `SubmitterName`, `AttachmentsPresent`, `AttachmentsExpected`, `Status`,
  `ReviewState`, `DeviceID`, `Edits`, `FormVersion`.

Each submission is keyed by `KEY`, its first instance ID, which an edit keeps
(`meta-instanceID` is the current one): importing a later export updates the edited
activity. `ReviewState` sets the status (`submissions.Reviews`; a rejected submission is
a draft, never validated). A row whose `Status` says it could not be decrypted holds no
data: it is left out and the report says so. `FormVersion` is the XLSForm's version,
kept so that a refused submission says which version of the form it was made with.
"""

import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from musow.intake.readers import ReadError, Table, Workbook, open_workbook
from musow.intake.submissions import (
    TAGS,
    Exports,
    Reviews,
    Rewrite,
    bare_uuid,
    missing_attendance,
    rewritten,
    shown,
)

KEY = "KEY"  # the rewritten tables' submission key (columns.SUBMISSION_ID_HEADERS)
_SEPARATORS = "-"
_METADATA = {
    "submissiondate",
    "key",
    "submitterid",
    "submittername",
    "attachmentspresent",
    "attachmentsexpected",
    "status",
    "reviewstate",
    "deviceid",
    "edits",
    "formversion",
    "parent_key",
    "instanceid",
    "instancename",
}
# The CSV files of a .csv.zip are unpacked to read them: at most this much.
MAX_UNZIPPED = 512 * 1024 * 1024


def _lower(header: Any) -> str:
    return str(header or "").strip().lower()


def _headers(table: Table) -> set[str]:
    return {_lower(h) for h in table.header}


def _is_main(table: Table) -> bool:
    headers = _headers(table)
    return {"submissiondate", "key"} <= headers and "parent_key" not in headers


def _is_repeat(table: Table) -> bool:
    return {"parent_key", "key"} <= _headers(table)


def owns(book: Workbook) -> bool:
    return any(_is_main(t) or _is_repeat(t) for t in book.tables)


def _metadata(header: str) -> bool:
    text = _lower(header)
    return text in _METADATA or text.startswith(("meta-", "meta/"))


# The .csv.zip ---------------------------------------------------------------------------


def is_csv_zip(path: Path) -> bool:
    """A ZIP archive of CSV files (not an Excel workbook, which is a ZIP too)."""
    try:
        with open(path, "rb") as fh:
            if fh.read(4) != b"PK\x03\x04":
                return False
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return False
    return "xl/workbook.xml" not in names and any(n.lower().endswith(".csv") for n in names)


def zip_workbook(path: Path, name: str, exports: Exports) -> Workbook:
    """The CSV files of an ODK Central .csv.zip, each a table, rewritten."""
    folder = Path(tempfile.mkdtemp(prefix="musow-odk-"))
    book = Workbook(name=name, format="csv", _closers=[lambda: shutil.rmtree(folder, True)])
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
            if sum(m.file_size for m in members) > MAX_UNZIPPED:
                raise ReadError(
                    _("The CSV files of %(file)s are larger than %(max)s MB unpacked.")
                    % {"file": name, "max": MAX_UNZIPPED // (1024 * 1024)}
                )
            for number, member in enumerate(members):
                target = folder / f"{number}.csv"
                with archive.open(member) as source, open(target, "wb") as out:
                    shutil.copyfileobj(source, out)
                shown = f"{name} › {Path(member.filename).name}"
                part = open_workbook(target, shown, exports.limits)
                book._closers[:0] = part._closers
                book.tables += part.tables
    except (zipfile.BadZipFile, OSError) as exc:
        book.close()
        raise ReadError(_("%(file)s is a damaged ZIP archive.") % {"file": name}) from exc
    except ReadError:
        book.close()
        raise
    if exports.form.repeats:  # the .csv.zip holds every repeat group there is
        exports.repeats |= set(exports.form.repeats)
    return rewrite(book, exports, path=path)


# Tables -------------------------------------------------------------------------------


def rewrite(book: Workbook, exports: Exports, *, path: Path) -> Workbook:
    result = Workbook(name=book.name, format=book.format, _closers=book._closers)
    reviews = Reviews(exports.validator)
    for table in book.tables:
        if _is_main(table):
            result.tables.append(_main(table, exports, reviews, result))
        elif _is_repeat(table):
            result.tables.append(_repeat(table, exports))
        else:
            result.tables.append(table)
    return result


def _main(table: Table, exports: Exports, reviews: Reviews, book: Workbook) -> Table:
    rewrite = Rewrite(exports.form)
    special: dict[str, int] = {}
    for index, header in enumerate(table.header):
        text = _lower(header)
        if text in ("key", "meta-instanceid", "instanceid", "reviewstate", "status", "formversion"):
            special.setdefault(text, index)
            continue
        if _metadata(header):
            continue
        column = exports.form.column(header, "", "", _SEPARATORS)
        if column is None or not rewrite.add(index, column):
            if header:
                rewrite.others.append(index)
    keys = [special[k] for k in ("key", "meta-instanceid", "instanceid") if k in special]
    review, status, version = (special.get(k) for k in ("reviewstate", "status", "formversion"))
    heads, tags = rewrite.header(table)
    heads, tags = [KEY, "status", "FormVersion", *heads], ["", "#status", "", *tags]
    unreadable: list[str] = []

    def cell(cells: list[Any], index: int | None) -> Any:
        return cells[index] if index is not None and index < len(cells) else None

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, cells in table.rows:
            key = next((bare_uuid(cells[i]) for i in keys if i < len(cells) and cells[i]), "")
            if str(cell(cells, status) or "").strip():
                # "missing encrypted form data", "not decrypted": no data in the row.
                unreadable.append(key)
                continue
            values = rewrite.values(cells)
            yield number, [key, reviews.status(cell(cells, review)), cell(cells, version), *values]
        book.warnings.extend(reviews.warnings())
        if unreadable:
            book.warnings.append(
                ngettext(
                    "%(n)s submission is encrypted and was not decrypted (%(keys)s): it was "
                    "not imported. Export it from ODK Central with the form's passphrase.",
                    "%(n)s submissions are encrypted and were not decrypted (%(keys)s): they "
                    "were not imported. Export them from ODK Central with the form's "
                    "passphrase.",
                    len(unreadable),
                )
                % {"n": len(unreadable), "keys": ", ".join(unreadable[:5])}
            )
        if exports.lacks_repeats():  # the main CSV alone, without the repeat CSV files
            book.warnings.append(
                missing_attendance(book.name, _("“Download all data” in ODK Central, a .csv.zip"))
            )

    return rewritten(table, heads, tags, rows())


def _repeat(table: Table, exports: Exports) -> Table:
    form = exports.form
    stem = Path(table.sheet.rsplit("›", 1)[-1].strip()).stem
    named = stem.rsplit("-", 1)[-1]
    repeat = named if named in form.repeats else ""
    lowered = [_lower(h) for h in table.header]
    parent = lowered.index("parent_key")
    columns: dict[str, int] = {}
    for index, header in enumerate(table.header):
        if _metadata(header):
            continue
        for candidate in [repeat] if repeat else list(form.repeats):
            column = form.column(header, "", candidate, _SEPARATORS)
            if column is not None and column.option is None:
                repeat = candidate
                columns.setdefault(column.field.name, index)
                break
    if repeat:
        exports.repeats.add(repeat)
    fields = [n for n in form.fields if n in columns]
    heads = ["activity_id", *(shown(table, columns[n], n) for n in fields)]
    tags = ["#activity+id", *(TAGS.get(n, "") for n in fields)]

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, cells in table.rows:
            key = bare_uuid(cells[parent]) if parent < len(cells) else ""
            values = [
                form.choice(form.fields[n], cells[columns[n]] if columns[n] < len(cells) else None)
                for n in fields
            ]
            yield number, [key, *values]

    return rewritten(table, heads, tags, rows())
