"""An import's report: what it did (or would do) and every problem, where it is.

Each problem names its sheet, row, column and value, with a reason in the
active language. Problems are counted per sheet and per kind (column and reason)
and listed up to `MAX_PROBLEMS_PER_SHEET` per sheet, the main sheet first, so a long
sheet's problems never hide another's. Status changes are listed (dry run too).
`report_summary` and `report_lines` turn a report into sentences for the upload
page and the command line.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from musow.intake.tables import excerpt
from musow.lib.i18n import number as localized_number

MAX_PROBLEMS_PER_SHEET = 200
MAX_KINDS_SHOWN = 20
MAX_STATUS_CHANGES = 50


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

    @property
    def kind(self) -> str:
        """The kind of problem: its column and its reason without the values in it."""
        reason = re.sub(r"“[^”]*”", "“…”", self.message)
        reason = re.sub(r"\d[\d\u202f\u00a0 ,.]*\d|\d", "…", reason).rstrip(". ")
        return f"{self.column or '—'} · {reason}"


@dataclass(frozen=True)
class StatusChange:
    key: str
    old: str
    new: str


@dataclass
class SheetProblems:
    """The problems of one sheet: how many, the first ones, and how many of each kind."""

    title: str
    listed: list[Problem] = field(default_factory=list)
    total: int = 0
    kinds: Counter[str] = field(default_factory=Counter)

    @property
    def more(self) -> int:
        return self.total - len(self.listed)

    def top_kinds(self) -> list[tuple[str, int]]:
        return self.kinds.most_common(MAX_KINDS_SHOWN)


@dataclass
class ImportReport:
    file: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0  # rows with at least one problem
    main_sheet: str = ""  # the Activities sheet: its problems come first
    warnings: list[str] = field(default_factory=list)
    status_changes: list[StatusChange] = field(default_factory=list)
    status_change_count: int = 0
    added: dict[str, int] = field(default_factory=dict)  # entries added, by sheet kind
    _sheets: dict[str, SheetProblems] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self._sheets

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    @property
    def problem_count(self) -> int:
        return sum(s.total for s in self._sheets.values())

    @property
    def more_problems(self) -> int:
        return sum(s.more for s in self._sheets.values())

    def sheets(self) -> list[SheetProblems]:
        """Problems by sheet: the file's own first, then the main sheet, then the others
        in the order met; each sheet's by row."""

        def rank(title: str) -> int:
            return 0 if not title else 1 if title == self.main_sheet else 2

        ordered = sorted(self._sheets.values(), key=lambda s: rank(s.title))
        for sheet in ordered:
            sheet.listed.sort(key=lambda p: p.row or 0)
        return ordered

    @property
    def problems(self) -> list[Problem]:
        return [p for sheet in self.sheets() for p in sheet.listed]

    def problem(self, problem: Problem) -> None:
        sheet = self._sheets.get(problem.sheet)
        if sheet is None:
            sheet = self._sheets[problem.sheet] = SheetProblems(problem.sheet)
        sheet.total += 1
        sheet.kinds[problem.kind] += 1
        if len(sheet.listed) < MAX_PROBLEMS_PER_SHEET:
            sheet.listed.append(problem)

    def status_change(self, key: str, old: str, new: str) -> None:
        self.status_change_count += 1
        if len(self.status_changes) < MAX_STATUS_CHANGES:
            self.status_changes.append(StatusChange(key, old, new))


def _status_label(code: str) -> str:
    from musow.activities.models import Activity

    return str(Activity.Status(code).label) if code in Activity.Status.values else code


def status_changes_text(report: ImportReport) -> str:
    """“2 status changes: A-1 validated → draft; A-2 draft → submitted.”"""
    if not report.status_change_count:
        return ""
    listed = "; ".join(
        f"{c.key} {_status_label(c.old)} → {_status_label(c.new)}" for c in report.status_changes
    )
    more = report.status_change_count - len(report.status_changes)
    if more:
        listed += " " + _("… and %(n)s more") % {"n": localized_number(more)}
    count = report.status_change_count
    return ngettext("%(n)s status change: %(list)s.", "%(n)s status changes: %(list)s.", count) % {
        "n": localized_number(count),
        "list": listed,
    }


def added_text(report: ImportReport) -> str:
    """“Added to the register: 18 organisations, 3 campaigns, 1 project.”"""
    words = {
        "organisations": lambda n: ngettext("%(n)s organisation", "%(n)s organisations", n),
        "campaigns": lambda n: ngettext("%(n)s campaign", "%(n)s campaigns", n),
        "projects": lambda n: ngettext("%(n)s project", "%(n)s projects", n),
    }
    parts = [
        words[kind](n) % {"n": localized_number(n)}
        for kind, n in report.added.items()
        if n and kind in words
    ]
    if not parts:
        return ""
    return _("Added to the register: %(list)s.") % {"list": ", ".join(parts)}


# From this many problems on a sheet, the report also counts them by kind.
KINDS_FROM = 10


def sheet_heading(sheet: SheetProblems) -> str:
    """“Activités: 579 problems (Thèmes · Unknown theme.: 500; …).”"""
    where = sheet.title or _("the file")
    numbers = {"sheet": where, "n": localized_number(sheet.total)}
    if sheet.total < KINDS_FROM:
        return ngettext("%(sheet)s: %(n)s problem.", "%(sheet)s: %(n)s problems.", sheet.total) % (
            numbers
        )
    kinds = "; ".join(
        _("%(kind)s: %(n)s") % {"kind": kind, "n": localized_number(n)}
        for kind, n in sheet.top_kinds()
    )
    return ngettext(
        "%(sheet)s: %(n)s problem (%(kinds)s).",
        "%(sheet)s: %(n)s problems (%(kinds)s).",
        sheet.total,
    ) % {**numbers, "kinds": kinds}


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
    if report.ok and (changes := status_changes_text(report)):
        lines.append(changes)
    if report.ok and (added := added_text(report)):
        lines.append(added)
    lines += [f"! {w}" for w in report.warnings]
    for sheet in report.sheets():
        lines.append(sheet_heading(sheet))
        lines += [f"- {p}" for p in sheet.listed]
        if sheet.more:
            lines.append(
                _("… and %(n)s more problems on this sheet.") % {"n": localized_number(sheet.more)}
            )
    return lines
