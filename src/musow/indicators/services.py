"""Writing indicator data: targets and baselines per indicator and period, from a table.

    indicator,period,baseline,target,note
    students-sensitised-gbv,2014,150,300,
    people-sensitised-vawg,2014-Q4,"4 000","5 000",16 jours

Headers in English or French (indicateur, période, valeur de référence / référence,
cible, note), or HXL hashtags (#indicator+code, #date+period, #indicator+baseline,
#indicator+target). Numbers may use a space, a narrow no-break space or a comma as
thousands separator, and a decimal comma. Every row is checked before anything is
written, all or nothing; loading the same table again changes nothing.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from musow.audit.models import Entry
from musow.audit.services import diff, entry_record
from musow.geo.services import PlacesLoadError, Table, table_read
from musow.indicators.models import Indicator, Target
from musow.indicators.periods import Period, PeriodError

_MAX_ERRORS = 50
_HEADERS = {
    "indicator": {"indicator", "indicateur", "code", "#indicator+code", "#indicator"},
    "period": {"period", "période", "periode", "#date+period", "#date"},
    "baseline": {
        "baseline",
        "référence",
        "reference",
        "valeur de référence",
        "valeur de reference",
        "#indicator+baseline",
    },
    "target": {"target", "cible", "#indicator+target"},
    "note": {"note", "comment", "commentaire", "#meta+note"},
}
_MAX_VALUE = Decimal("999999999999.99")


class TargetsLoadError(ValueError):
    """The table cannot be loaded; one message per problem. Nothing was written."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class TargetsLoadReport:
    rows: int
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class _Row:
    number: int
    indicator: Indicator
    period: str
    baseline: Decimal | None
    target: Decimal | None
    note: str


def targets_load(*, path: str | Path, dry_run: bool = False) -> TargetsLoadReport:
    """Create or update the targets and baselines a CSV or XLSX table lists."""
    try:
        table = table_read(Path(path))
    except PlacesLoadError as exc:
        raise TargetsLoadError(exc.messages) from exc
    rows = _rows(table)
    report = TargetsLoadReport(rows=len(rows), dry_run=dry_run)
    existing = {
        (t.indicator_id, t.period): t
        for t in Target.objects.filter(indicator__in=[r.indicator for r in rows])
    }
    writes: list[_Row] = []
    for row in rows:
        current = existing.get((row.indicator.pk, row.period))
        if current is None:
            report.created += 1
            writes.append(row)
        elif (current.baseline, current.target, current.note) != (
            row.baseline,
            row.target,
            row.note,
        ):
            report.updated += 1
            writes.append(row)
        else:
            report.unchanged += 1
    if not dry_run and writes:
        _write(writes)
    return report


@transaction.atomic
def _write(rows: list[_Row]) -> None:
    for row in rows:
        target_set(
            indicator=row.indicator,
            period=row.period,
            baseline=row.baseline,
            target=row.target,
            note=row.note,
        )


@transaction.atomic
def target_set(
    *,
    indicator: Indicator,
    period: str,
    baseline: Decimal | None,
    target: Decimal | None,
    note: str = "",
    user: Any = None,
) -> str:
    """Create or change one indicator's baseline and target for a period (audited).

    Returns "created", "updated" or "unchanged"."""
    current = Target.objects.filter(indicator=indicator, period=period).first()
    values = {"baseline": baseline, "target": target, "note": note}
    before = {k: _plain(getattr(current, k)) for k in values} if current is not None else {}
    after = {k: _plain(v) for k, v in values.items()}
    if current is not None and before == after:
        return "unchanged"
    obj, created = Target.objects.update_or_create(
        indicator=indicator, period=period, defaults=values
    )
    entry_record(
        actor=user,
        action=Entry.Action.CREATE if created else Entry.Action.UPDATE,
        target=obj,
        changes=diff(before, after),
    )
    return "created" if created else "updated"


def _plain(value: Any) -> Any:
    return str(value.normalize()) if isinstance(value, Decimal) else value


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        text = " ".join(name.strip().lower().split())
        for key, names in _HEADERS.items():
            if text in names:
                found.setdefault(key, index)
    missing = [key for key in ("indicator", "period") if key not in found]
    if missing or not ({"baseline", "target"} & set(found)):
        raise TargetsLoadError(
            [
                _(
                    "The table needs the columns indicator, period, and baseline or target "
                    "(found: %(found)s)."
                )
                % {"found": ", ".join(header) or "–"}
            ]
        )
    return found


def _rows(table: Table) -> list[_Row]:
    columns = _columns(table.header)
    indicators = {i.code: i for i in Indicator.objects.all()}
    errors: list[str] = []
    rows: list[_Row] = []
    seen: dict[tuple[str, str], int] = {}
    for number, cells in table.rows:

        def cell(key: str, cells: list[str] = cells) -> str:
            index = columns.get(key)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        code, period_text = cell("indicator"), cell("period")
        indicator = indicators.get(code)
        if indicator is None:
            errors.append(
                _("Row %(row)s: unknown indicator “%(code)s”.") % {"row": number, "code": code}
            )
        period = None
        try:
            period = Period.parse(period_text)
        except PeriodError as exc:
            errors.append(_("Row %(row)s: %(error)s") % {"row": number, "error": exc})
        values = {}
        for key in ("baseline", "target"):
            values[key] = _decimal(cell(key), number, key, errors)
        if not cell("baseline") and not cell("target"):
            errors.append(_("Row %(row)s: give a baseline, a target or both.") % {"row": number})
        if indicator is None or period is None:
            continue
        pair = (indicator.code, period.code)
        if pair in seen:
            errors.append(
                _("Row %(row)s: %(code)s for %(period)s is already on row %(other)s.")
                % {"row": number, "code": code, "period": period.code, "other": seen[pair]}
            )
            continue
        seen[pair] = number
        rows.append(
            _Row(number, indicator, period.code, values["baseline"], values["target"], cell("note"))
        )
    if errors:
        more = len(errors) - _MAX_ERRORS
        shown = errors[:_MAX_ERRORS]
        if more > 0:
            shown.append(_("… and %(n)s more problems.") % {"n": more})
        raise TargetsLoadError(shown)
    return rows


def _decimal(text: str, row: int, key: str, errors: list[str]) -> Decimal | None:
    if not text:
        return None
    label = _("baseline") if key == "baseline" else _("target")
    cleaned = re.sub(r"[\s\u202f\u00a0]", "", text)
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", cleaned):
        cleaned = cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        errors.append(
            _("Row %(row)s: the %(field)s “%(value)s” is not a number.")
            % {"row": row, "field": label, "value": text}
        )
        return None
    if value < 0 or value > _MAX_VALUE:
        errors.append(
            _("Row %(row)s: the %(field)s %(value)s must be between 0 and 999 999 999 999.")
            % {"row": row, "field": label, "value": text}
        )
        return None
    return value.quantize(Decimal("0.01"))
