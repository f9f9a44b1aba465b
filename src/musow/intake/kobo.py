"""KoboToolbox exports of the musow XLSForm, rewritten into the import template's shape.

What KoboToolbox writes (its export library, formpack, and its v2 API):

- XLSX and CSV: one column per field, headed by its XML name or its label in one of the
  form's languages, with or without the group labels (joined by "/" or "."), the HXL
  row under the header; choices as codes or labels, a multiple choice as one column,
  one 0/1 column per choice, or both; then its metadata (`_id`, `_uuid`,
  `_submission_time`, `_validation_status`, `_notes`, `_status`, `_submitted_by`,
  `__version__`, `_tags`, `meta/rootUuid`, `_index`). An XLSX puts each repeat group
  (the attendance list) on a sheet of its own (`_index`, `_parent_index`,
  `_submission__uuid`, `_submission_meta/rootUuid`…); a CSV holds the main table only.
- JSON (`/api/v2/assets/…/data/`): a page `{count, next, previous, results}` of
  submissions keyed by XML path, each repeat group a list inside its submission.

Each submission is keyed by `meta/rootUuid`, which an edit on the server keeps (`_uuid`
and `meta/instanceID` change), or by `_uuid` for exports without it: importing a later
export updates the edited activity. `__version__` is KoboToolbox's own version of the
form, not the XLSForm's: the form is checked by the fields the export holds (a field
the current form lacks is listed by the importer as not recognised). The review on the
server (`_validation_status`) sets the status (`submissions.Reviews`).
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from musow.intake.columns import fold
from musow.intake.readers import Table, Workbook, open_workbook, read_kobo_json
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

KEY = "meta/rootUuid"  # the rewritten tables' submission key (columns.SUBMISSION_ID_HEADERS)
_SEPARATORS = "/."
# Columns that hold the submission's key, newest first.
_KEYS = ("meta/rootuuid", "_uuid", "meta/instanceid")
_REPEAT_KEYS = ("_submission_meta/rootuuid", "_submission__uuid")


def _lower(header: Any) -> str:
    return str(header or "").strip().lower()


def _is_main(table: Table) -> bool:
    headers = {_lower(h) for h in table.header}
    return bool(headers & {"_uuid", "meta/rootuuid"}) and "_parent_index" not in headers


def _is_repeat(table: Table) -> bool:
    headers = {_lower(h) for h in table.header}
    return bool(headers & {"_parent_index", *_REPEAT_KEYS})


def owns(book: Workbook) -> bool:
    """A table of the book carries KoboToolbox's submission metadata."""
    return any(_is_main(t) or _is_repeat(t) for t in book.tables)


def _metadata(header: str) -> bool:
    text = _lower(header)
    return text.startswith(("_", "meta/", "meta.", "formhub/", "formhub."))


def rewrite(book: Workbook, exports: Exports, *, path: Path) -> Workbook:
    result = Workbook(name=book.name, format=book.format, _closers=book._closers)
    reviews = Reviews(exports.validator)
    for table in book.tables:
        if _is_main(table):
            result.tables.append(_main(table, exports, reviews, result))
        elif _is_repeat(table):
            result.tables.append(_repeat(table, exports, path, book.name))
        else:
            result.tables.append(table)
    return result


def _how() -> str:
    return _("the XLS export (each attendance list on a sheet of its own) or the JSON of the API")


def _main(table: Table, exports: Exports, reviews: Reviews, book: Workbook) -> Table:
    form = exports.form
    rewrite = Rewrite(form)
    keys: dict[str, int] = {}
    review: int | None = None
    for index, header in enumerate(table.header):
        tag = table.tags[index] if index < len(table.tags) else ""
        text = _lower(header)
        if text in _KEYS:
            keys.setdefault(text, index)
            continue
        if text == "_validation_status":
            review = index
            continue
        if _metadata(header):
            continue
        column = form.column(header, tag, "", _SEPARATORS)
        if column is None or not rewrite.add(index, column):
            if header or tag:
                rewrite.others.append(index)
    order = [keys[k] for k in _KEYS if k in keys]
    heads, tags = rewrite.header(table)
    heads, tags = [KEY, *heads], ["", *tags]
    if review is not None:
        heads, tags = [KEY, "status", *heads[1:]], ["", "#status", *tags[1:]]

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, cells in table.rows:
            key = next((bare_uuid(cells[i]) for i in order if i < len(cells) and cells[i]), "")
            values = rewrite.values(cells)
            if review is not None:
                status = reviews.status(cells[review] if review < len(cells) else None)
                yield number, [key, status, *values]
            else:
                yield number, [key, *values]
        book.warnings.extend(reviews.warnings())
        if book.format == "csv" and exports.lacks_repeats():  # the main table only
            book.warnings.append(missing_attendance(book.name, _how()))

    return rewritten(table, heads, tags, rows())


def _repeat(table: Table, exports: Exports, path: Path, name: str) -> Table:
    form = exports.form
    repeat = table.sheet if table.sheet in form.repeats else ""
    lowered = [_lower(h) for h in table.header]
    columns: dict[str, int] = {}
    for index, header in enumerate(table.header):
        if _metadata(header):
            continue
        tag = table.tags[index] if index < len(table.tags) else ""
        for candidate in [repeat] if repeat else list(form.repeats):
            column = form.column(header, tag, candidate, _SEPARATORS)
            if column is not None and column.option is None:
                repeat = candidate
                columns.setdefault(column.field.name, index)
                break
    root = lowered.index(_REPEAT_KEYS[0]) if _REPEAT_KEYS[0] in lowered else None
    parent = lowered.index("_parent_index") if "_parent_index" in lowered else None
    uuid = lowered.index(_REPEAT_KEYS[1]) if _REPEAT_KEYS[1] in lowered else None
    parents: dict[str, str] = {}
    if root is None and parent is not None:
        parents = _main_keys(path, name, exports)
    if repeat:
        exports.repeats.add(repeat)
    fields = [n for n in form.fields if n in columns]
    heads = ["activity_id", *(shown(table, columns[n], n) for n in fields)]
    tags = ["#activity+id", *(TAGS.get(n, "") for n in fields)]

    def key(cells: list[Any]) -> str:
        if root is not None and root < len(cells) and cells[root]:
            return bare_uuid(cells[root])
        if parent is not None and parent < len(cells) and str(cells[parent]) in parents:
            return parents[str(cells[parent])]
        if uuid is not None and uuid < len(cells):
            return bare_uuid(cells[uuid])
        return ""

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, cells in table.rows:
            values = [
                form.choice(form.fields[n], cells[columns[n]] if columns[n] < len(cells) else None)
                for n in fields
            ]
            yield number, [key(cells), *values]

    return rewritten(table, heads, tags, rows())


def _main_keys(path: Path, name: str, exports: Exports) -> dict[str, str]:
    """`_index` → key of the main sheet, for repeat sheets joined by `_parent_index`
    alone (the file is read a second time, the main sheet's two columns only)."""
    keys: dict[str, str] = {}
    book = open_workbook(path, name, exports.limits)
    try:
        for table in book.tables:
            if not _is_main(table):
                continue
            lowered = [_lower(h) for h in table.header]
            if "_index" not in lowered:
                continue
            index = lowered.index("_index")
            order = [lowered.index(k) for k in _KEYS if k in lowered]
            for _number, cells in table.rows:
                key = next((bare_uuid(cells[i]) for i in order if i < len(cells) and cells[i]), "")
                if index < len(cells) and key:
                    keys[str(cells[index])] = key
    finally:
        book.close()
    return keys


# JSON --------------------------------------------------------------------------------


def json_workbook(path: Path, name: str, exports: Exports) -> Workbook:
    """A KoboToolbox JSON export (an API page, or a list of submissions) as tables."""
    # The reader streams the file within the import's limits (submissions, depth,
    # values); a page's `count` and `next` are known once it has been read.
    reader = read_kobo_json(path, name, exports.limits)
    submissions = list(reader)
    book = Workbook(name=name, format="json")
    if reader.next:
        book.warnings.append(
            _(
                "%(file)s is one page of an export: it holds %(n)s of %(count)s submissions; "
                "the others are on the next pages (%(next)s). Import every page, or the "
                "XLS export."
            )
            % {
                "file": name,
                "n": len(submissions),
                "count": reader.count if reader.count is not None else "?",
                "next": reader.next[:200],
            }
        )
    form = exports.form
    repeats = set(form.repeats)
    header: dict[str, None] = {}
    lists: dict[str, dict[str, None]] = {}
    for submission in submissions:
        for key, value in submission.items():
            if isinstance(value, list) and _repeat_name(key, repeats):
                for entry in value:
                    if isinstance(entry, dict):
                        lists.setdefault(key, {}).update(dict.fromkeys(_inner(key, entry)))
            elif not isinstance(value, list | dict) or key == "_validation_status":
                header[key] = None
    main = Table(
        sheet=name,
        header=list(header),
        tags=[],
        rows=iter((number, [s.get(h) for h in header]) for number, s in enumerate(submissions, 1)),
        total=len(submissions),
    )
    rewrite_book = Workbook(name=name, format="json")
    rewrite_book.tables.append(main)
    for key, columns in lists.items():
        repeat = _repeat_name(key, repeats)
        entries = [(s, e) for s in submissions for e in s.get(key) or [] if isinstance(e, dict)]
        rows = [[_submission_key(s), *(_inner(key, e).get(c) for c in columns)] for s, e in entries]
        rewrite_book.tables.append(
            Table(
                sheet=repeat,
                header=["_submission_meta/rootUuid", *columns],
                tags=[],
                rows=iter(enumerate(rows, 1)),
                total=len(rows),
            )
        )
    exports.repeats |= set(form.repeats)  # a submission holds its repeat groups
    result = rewrite(rewrite_book, exports, path=path)
    result.warnings[:0] = book.warnings
    return result


def _repeat_name(key: str, repeats: set[str]) -> str:
    last = key.replace(".", "/").rsplit("/", 1)[-1]
    return last if last in repeats else ""


def _inner(key: str, entry: dict[str, Any]) -> dict[str, Any]:
    """An entry of a repeat group: its fields by their path below the repeat."""
    prefix = key + "/"
    return {(k[len(prefix) :] if k.startswith(prefix) else k): v for k, v in entry.items()}


def _submission_key(submission: dict[str, Any]) -> str:
    for key in _KEYS:
        for name, value in submission.items():
            if fold(name) == fold(key) and value:
                return bare_uuid(value)
    return ""
