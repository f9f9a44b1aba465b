"""An import's report: what it did (or would do) and every problem, where it is.

Each problem names its sheet, row, column and value, with a reason in the
active language; `report_summary` and `report_lines` turn a report into
sentences for the upload page and the command line.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from musow.intake.tables import excerpt
from musow.lib.i18n import number as localized_number

MAX_PROBLEMS = 500


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str
    value: str
    message: str

    def __post_init__(self) -> None:
        # A report shows an excerpt of a cell, never the whole cell (a page or a command's
        # output must not echo a 400 MB header back).
        object.__setattr__(self, "column", excerpt(self.column))
        object.__setattr__(self, "value", excerpt(self.value))

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(_("sheet %(sheet)s") % {"sheet": self.sheet})
        if self.row:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        head = ", ".join(where)
        if self.value:
            text = _("%(where)s “%(value)s”: %(message)s") % {
                "where": head,
                "value": self.value,
                "message": self.message,
            }
        elif head:
            text = _("%(where)s: %(message)s") % {"where": head, "message": self.message}
        else:
            return self.message
        return text[:1].upper() + text[1:]


@dataclass
class ImportReport:
    file: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0  # rows with at least one problem
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0  # problems beyond MAX_PROBLEMS, counted but not listed
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.more_problems

    def problem(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more_problems += 1


def report_summary(report: ImportReport) -> str:
    """One sentence saying what the import did (or would do), in the active language."""
    numbers = {
        "file": report.file,
        "rows": localized_number(report.rows),
        "created": localized_number(report.created),
        "updated": localized_number(report.updated),
        "unchanged": localized_number(report.unchanged),
        "rejected": localized_number(report.rejected),
        "problems": localized_number(report.problem_count),
    }
    if not report.ok:
        return (
            _(
                "Nothing was written: %(problems)s problem(s) in %(file)s "
                "(%(rejected)s row(s) rejected of %(rows)s read)."
            )
            % numbers
        )
    if report.dry_run:
        return (
            _(
                "Dry run, nothing written: %(file)s (%(rows)s rows) would create %(created)s, "
                "update %(updated)s and leave %(unchanged)s unchanged; 0 rejected."
            )
            % numbers
        )
    return (
        _(
            "%(file)s imported (%(rows)s rows): %(created)s created, %(updated)s updated, "
            "%(unchanged)s unchanged, 0 rejected."
        )
        % numbers
    )


def report_lines(report: ImportReport) -> list[str]:
    lines = [report_summary(report)]
    lines += [f"! {w}" for w in report.warnings]
    lines += [f"- {p}" for p in report.problems]
    if report.more_problems:
        lines.append(_("… and %(n)s more problems.") % {"n": report.more_problems})
    return lines
