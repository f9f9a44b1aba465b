"""The score sheet: one row per trainee of a session (participant code, facts, pre- and
post-test scores, completion, reaction, follow-ups), as XLSX or CSV, headers in French or
English with an HXL row under them. Read with the intake's readers and reported with its
problem report; written through `services.trainees_save`, all or nothing; importing the
same sheet again changes nothing."""

import csv
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from musow.activities.services import attendee_key, identifies_no_one
from musow.intake import odk
from musow.intake.columns import Column, fold, hxl_key
from musow.intake.readers import (
    CellError,
    ReadError,
    Workbook,
    cell_integer,
    cell_text,
    neutralise,
    open_workbook,
)
from musow.intake.report import ImportReport, Problem
from musow.intake.templates import csv_dialect
from musow.trainings.inputs import TraineeInput, score_problem
from musow.trainings.models import (
    Category,
    Component,
    FollowUp,
    Question,
    RankBand,
    TestResult,
    TrainingSession,
)
from musow.trainings.services import trainee_snapshot, trainees_check, trainees_save
from musow.trainings.xlsform import QUESTION_PREFIX

COLUMNS = (
    Column("code", "#participant+code", "Code participant", "Participant code", "key", "", True),
    Column("component", "#participant+component", "Composante", "Component", "choice"),
    Column("category", "#participant+category", "Catégorie", "Category", "choice"),
    Column("country", "#country+code", "Pays contributeur", "Contributing country"),
    Column("rank_band", "#participant+rank", "Grade", "Rank band", "choice"),
    Column("pre", "#indicator+pre+score", "Pré-test (0-100)", "Pre-test (0-100)"),
    Column("post", "#indicator+post+score", "Post-test (0-100)", "Post-test (0-100)"),
    Column("completed", "#indicator+completed", "Formation achevée", "Completed", "choice"),
    Column("reaction", "#indicator+reaction", "Satisfaction (1-5)", "Reaction (1-5)", "integer"),
    Column("applied_3", "#indicator+applied+m3", "Appliqué à 3 mois", "Applied at 3 months"),
    Column("applied_9", "#indicator+applied+m9", "Appliqué à 9 mois", "Applied at 9 months"),
    # Only in a KoboToolbox / ODK export of the course's XLSForm (xlsform.py).
    Column("test", "#indicator+test", "Test", "Test", "choice"),
)
SHEET_TITLE = {"fr": "Scores", "en": "Scores"}
YES = {"oui", "yes", "o", "y", "1", "true", "vrai"}
NO = {"non", "no", "n", "0", "false", "faux"}


def headers(lang: str) -> tuple[list[str], list[str]]:
    columns = [c for c in COLUMNS if c.key != "test"]
    return [c.header(lang) for c in columns], [c.hxl for c in columns]


def write_csv(out: IO[str], *, lang: str) -> None:
    writer = csv.writer(out, delimiter=csv_dialect(lang), lineterminator="\r\n")
    for row in headers(lang):
        writer.writerow(row)


def write_xlsx(target: str | Path | IO[bytes], *, lang: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE[lang]
    names, tags = headers(lang)
    sheet.append(names)
    sheet.append(tags)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A3"
    with translation.override(lang):
        lists = book.create_sheet(_("Lists")[:31])
        for i, choices in enumerate((Component, Category, RankBand, FollowUp.Applied), start=1):
            lists.cell(row=1, column=i, value=str(choices.__name__))
            for j, (code, label) in enumerate(choices.choices, start=2):
                lists.cell(row=j, column=i, value=neutralise(f"{code} — {label}"))
    book.save(target)


def _columns(header: list[str], tags: list[str]) -> dict[str, int]:
    known: dict[str, int] = {}
    for column in COLUMNS:
        names = {fold(column.fr), fold(column.en), fold(column.key)}
        for i, name in enumerate(header):
            tag = tags[i] if i < len(tags) else ""
            if (tag and hxl_key(str(tag)) == hxl_key(column.hxl)) or fold(str(name)) in names:
                known.setdefault(column.key, i)
    return known


def _choice(value: str, choices: Any, message: str) -> str:
    if not value:
        return ""
    code = fold(value.split("—")[0])
    for lang in ("fr", "en"):
        with translation.override(lang):
            for v, label in choices.choices:
                if code in (fold(v), fold(str(label))):
                    return str(v)
    raise CellError(message % {"value": value, "known": ", ".join(choices.values)})


def _yes_no(value: str) -> bool | None:
    if not value:
        return None
    if fold(value) in YES:
        return True
    if fold(value) in NO:
        return False
    raise CellError(_("“%(value)s”: write yes or no (oui / non).") % {"value": value})


def _row_input(cells: dict[str, Any]) -> TraineeInput:
    """One row as a trainee's input; a CellError says what is wrong with a cell."""
    text = {k: cell_text(v) for k, v in cells.items() if k not in ("reaction",)}
    code = text.get("code", "")
    if not code or identifies_no_one(code):
        raise CellError(
            _("A test result or a trainee's facts need a trainee (a participant code).")
        )
    for name, label in (("pre", _("pre-test")), ("post", _("post-test"))):
        if problem := score_problem(text.get(name) or None, label):
            raise CellError(problem)
    follow_ups = {}
    for months in (3, 9):
        if value := text.get(f"applied_{months}", ""):
            follow_ups[months] = _choice(
                value,
                FollowUp.Applied,
                _("“%(value)s” is not an answer to “applied at work” (yes, partly, no)."),
            )
    return TraineeInput(
        key=attendee_key(code),
        component=_choice(
            text.get("component", ""),
            Component,
            _("“%(value)s” is not a component (%(known)s)."),
        )
        or Component.OTHER,
        category=_choice(
            text.get("category", ""), Category, _("“%(value)s” is not a category (%(known)s).")
        ),
        country=text.get("country", "").upper(),
        rank_band=_choice(
            text.get("rank_band", ""),
            RankBand,
            _("“%(value)s” is not a rank band (%(known)s)."),
        ),
        completed=_yes_no(text.get("completed", "")),
        reaction=cell_integer(cells.get("reaction")),
        pre=text.get("pre") or None,
        post=text.get("post") or None,
        follow_ups=follow_ups,
    )


def scores_import(
    *,
    path: Path,
    session: TrainingSession,
    name: str | None = None,
    user: Any = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import a score sheet into `session`: every problem listed, nothing written if
    there is one (rows already as stored are "unchanged")."""
    report = ImportReport(file=name or path.name, dry_run=dry_run)
    try:
        book = _open(path, name or path.name)
    except ReadError as exc:
        report.problem(Problem("", None, "", "", str(exc)))
        return report
    try:
        rows = _read(book.tables, report, session)
    except ReadError as exc:
        report.problem(Problem("", None, "", "", str(exc)))
        return report
    finally:
        book.close()
    inputs = [data for _sheet, _row, data in rows]
    for (sheet, row, _data), problems in zip(rows, trainees_check(session, inputs), strict=True):
        for message in problems:
            report.problem(Problem(sheet, row, "", "", message))
        report.rejected += bool(problems)
    if not report.ok:
        return report
    try:
        outcome = _write(session, inputs, user, report.file, dry_run)
    except ValidationError as exc:
        for message in exc.messages:
            report.problem(Problem("", None, "", "", message))
        return report
    report.created, report.updated, report.unchanged = (
        outcome.created,
        outcome.updated,
        outcome.unchanged,
    )
    return report


def _open(path: Path, name: str) -> Workbook:
    """The file's tables; an ODK Central .csv.zip ("Download all data") gives its CSV
    files (the course's form has no repeat group: its main table comes first)."""
    if not odk.is_csv_zip(path):
        return open_workbook(path, name)
    folder = Path(tempfile.mkdtemp(prefix="musow-scores-"))
    book = Workbook(name=name, format="csv", _closers=[lambda: shutil.rmtree(folder, True)])
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
            if sum(m.file_size for m in members) > odk.MAX_UNZIPPED:
                raise ReadError(
                    _("The CSV files of %(file)s are larger than %(max)s MB unpacked.")
                    % {"file": name, "max": odk.MAX_UNZIPPED // (1024 * 1024)}
                )
            for number, member in enumerate(members):
                target = folder / f"{number}.csv"
                with archive.open(member) as source, open(target, "wb") as out:
                    shutil.copyfileobj(source, out)
                part = open_workbook(target, f"{name} › {Path(member.filename).name}")
                book._closers[:0] = part._closers
                book.tables += part.tables
    except (zipfile.BadZipFile, OSError) as exc:
        book.close()
        raise ReadError(_("%(file)s is a damaged ZIP archive.") % {"file": name}) from exc
    except ReadError:
        book.close()
        raise
    return book


def _write(
    session: TrainingSession, inputs: list[TraineeInput], user: Any, file: str, dry_run: bool
) -> Any:
    from django.db import transaction

    with transaction.atomic():
        outcome = trainees_save(
            session=session,
            trainees=inputs,
            user=user,
            comment=_("score sheet %(file)s") % {"file": file},
        )
        if dry_run:
            transaction.set_rollback(True)
    return outcome


def _read(
    tables: Iterable[Any], report: ImportReport, session: TrainingSession
) -> list[tuple[str, int, TraineeInput]]:
    out = []
    for table in tables:
        found = _columns(table.header, table.tags)
        if "code" not in found:
            report.problem(
                Problem(
                    table.sheet,
                    None,
                    "",
                    "",
                    _("No “participant code” column (#participant+code): is this a score sheet?"),
                )
            )
            continue
        if "test" in found:  # a KoboToolbox / ODK export of the course's XLSForm
            return _submissions(table, found, report, session)
        for number, cells in table.rows:
            values = {k: cells[i] if i < len(cells) else None for k, i in found.items()}
            if all(v in (None, "") for v in values.values()):
                continue
            report.rows += 1
            try:
                out.append((table.sheet, number, _row_input(values)))
            except CellError as exc:
                report.problem(Problem(table.sheet, number, "", "", str(exc)))
                report.rejected += 1
        break  # the first sheet is the score sheet (the others are lists)
    return out


def _question_columns(header: list[str], questions: list[Question]) -> dict[str, int]:
    """The column of each question: its XLSForm name (q_<code>) or its text."""
    out: dict[str, int] = {}
    for question in questions:
        names = {
            fold(f"{QUESTION_PREFIX}{question.code}"),
            fold(question.text_fr),
            fold(question.text_en),
        }
        for i, name in enumerate(header):
            if fold(str(name).rsplit("/", 1)[-1]) in names:
                out.setdefault(question.code, i)
    return out


def _answer(question: Question, value: str) -> str:
    """A choice's code from its code or its label in either language (as exported)."""
    for choice in question.choices:
        if fold(value) in {fold(str(choice.get(k, ""))) for k in ("code", "fr", "en")}:
            return str(choice["code"])
    return value  # not a choice: the services say so


def _submissions(
    table: Any, found: dict[str, int], report: ImportReport, session: TrainingSession
) -> list[tuple[str, int, TraineeInput]]:
    """One submission per test: merged into each trainee's stored facts and other test
    (a post-test import keeps the pre-test imported before)."""
    questions = list(session.course.questions.all())
    columns = _question_columns(table.header, questions)
    stored = {t.attendee.key: t for t in session.trainees.select_related("attendee")}
    merged: dict[str, tuple[int, TraineeInput]] = {}
    given: set[tuple[str, str]] = set()
    for number, cells in table.rows:

        def cell(i: int, cells: list[Any] = cells) -> str:
            return cell_text(cells[i] if i < len(cells) else None)

        try:
            code = cell(found["code"])
            if not code and all(not cell(i) for i in columns.values()):
                continue
            report.rows += 1
            if not code or identifies_no_one(code):
                raise CellError(
                    _("A test result or a trainee's facts need a trainee (a participant code).")
                )
            kind = _choice(
                cell(found["test"]), TestResult.Kind, _("A test is a pre-test or a post-test.")
            )
            if not kind:
                raise CellError(_("A test is a pre-test or a post-test."))
        except CellError as exc:
            report.problem(Problem(table.sheet, number, "", "", str(exc)))
            report.rejected += 1
            continue
        by_code = {q.code: q for q in questions}
        answers = {q: _answer(by_code[q], cell(i)) for q, i in columns.items() if cell(i)}
        key = attendee_key(code)
        _row, base = merged.get(key) or (number, _stored_input(key, stored.get(key)))
        if (key, kind) in given:  # twice in this file (what is stored is replaced)
            report.problem(
                Problem(table.sheet, number, "", code, _("This participant's test is given twice."))
            )
            report.rejected += 1
            continue
        given.add((key, kind))
        changes: dict[str, Any] = {kind: None, f"{kind}_answers": answers}
        merged[key] = (number, replace(base, **changes))
    return [(table.sheet, number, data) for number, data in merged.values()]


def _stored_input(key: str, trainee: Any) -> TraineeInput:
    if trainee is None:
        return TraineeInput(key=key)
    snapshot = trainee_snapshot(trainee)
    return TraineeInput(
        key=key,
        component=snapshot["component"],
        category=snapshot["category"],
        country=snapshot["country"],
        rank_band=snapshot["rank_band"],
        completed=snapshot["completed"],
        reaction=snapshot["reaction"],
        pre=None if snapshot["pre_answers"] else snapshot["pre"],
        post=None if snapshot["post_answers"] else snapshot["post"],
        pre_answers=snapshot["pre_answers"],
        post_answers=snapshot["post_answers"],
        follow_ups={int(m): a for m, a in snapshot["follow_ups"].items()},
    )
