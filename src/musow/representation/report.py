"""The periodic report's "Participation des femmes / Women's participation" section: the
bodies with their latest validated composition at the period's end (women, men, the
share of women, flagged when either sex holds less than 30 % — Law No. 2015-052, art. 1),
the shares by role and by kind of body, the share of women at each year's end over the
years with data, attendance at the period's sittings, and the sources of the
compositions counted. Every figure from the one engine (the seats and sitting-attendance
indicators), in the report's period and scope. No table when the period and scope have
no composition nor sitting.

The report builder asks for them (`tables`); the HTML and PDF draw the time series
(`chart_svg`)."""

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Min
from django.utils.translation import gettext as _

from musow.indicators.engine import Result, Scope, get_indicator
from musow.indicators.periods import Period
from musow.lib.i18n import percent
from musow.representation.counting import seats_provenance
from musow.representation.models import Body, Composition, Status

if TYPE_CHECKING:
    from musow.reports.types import Column, Table

Compute = Callable[..., Result]
THRESHOLD = 0.30  # Law No. 2015-052, art. 1: at least 30 % of either sex
KEYS = (
    "participation_bodies",
    "participation_by_kind",
    "participation_by_role",
    "participation_by_year",
    "participation_sittings",
    "participation_sources",
)


def _threshold() -> str:
    return percent(THRESHOLD, 0)


def below_threshold(women: Any, total: Any) -> bool:
    if not total:
        return False
    share = float(women) / float(total)
    return min(share, 1 - share) < THRESHOLD


def _share(women: Any, total: Any) -> float | None:
    return float(women) / float(total) if total else None


def _counts_columns(key: str, with_total: bool = True) -> list["Column"]:
    from musow.reports.builder import Column

    return [
        Column("women", _("women"), f"#{key}+f+num", "number"),
        Column("men", _("men"), f"#{key}+m+num", "number"),
        *([Column("total", _("total"), f"#{key}+num", "number")] if with_total else []),
        Column("share", _("share of women"), f"#{key}+f+pct", "percent"),
    ]


def _cells(women: Any, total: Any, with_total: bool = True) -> list[Any]:
    women, total = int(women or 0), int(total or 0)
    return [women, total - women, *([total] if with_total else []), _share(women, total)]


def _by(compute: Compute, dim: str, period: Period | None = None) -> dict[str, Any]:
    """{member code: (label, women, total)} of the seats broken down by `dim`."""
    extra = {"period": period} if period is not None else {}
    everyone = compute("seats", (dim,), **extra)
    women = {r.key[dim].code: r.value for r in compute("seats-women", (dim,), **extra).rows}
    return {
        r.key[dim].code: (r.key[dim].label, women.get(r.key[dim].code) or 0, r.value or 0)
        for r in everyone.rows
    }


def tables(compute: Compute, period: Period, scope: Scope) -> list["Table"]:
    """The section's tables, computed with the report's `compute(code, by, period=…)`."""
    seats = compute("seats")
    attendance = compute("sitting-attendance")
    if seats.total is None and not attendance.total:
        return []
    out = []
    if seats.total is not None:
        compositions = list(
            seats_provenance(get_indicator("seats"), period, scope)
            .select_related("body")
            .order_by("body__kind", "body__code")
        )
        out += [
            _bodies(compute, compositions),
            _by_kind(compute),
            _by_role(compute),
            _by_year(compute, period, scope),
        ]
    if attendance.total:
        out.append(_sittings(compute))
    if seats.total is not None:
        out.append(_sources(compositions))
    return out


def _bodies(compute: Compute, compositions: list[Composition]) -> "Table":
    from musow.reports.types import Column, Table, TableRow

    counts = _by(compute, "body")
    kinds, levels = dict(Body.Kind.choices), dict(Body.Level.choices)
    table = Table(
        "participation_bodies",
        _("Women in each body (latest validated composition at the period's end)"),
        [
            Column("code", _("code"), "#group+body+code", "code"),
            Column("body", _("body"), "#group+body+name"),
            Column("kind_code", _("kind of body (code)"), "#group+body+type+code", "code"),
            Column("level_code", _("level (code)"), "#adm+level+code", "code"),
            Column("kind", _("kind of body, level"), "#group+body+type+name"),
            Column("as_of", _("composition on"), "#date+composition", "date"),
            *_counts_columns("indicator+seats", with_total=False),
            Column(
                "law",
                _("Law No. 2015-052 (%(threshold)s)") % {"threshold": _threshold()},
                "#indicator+seats+threshold",
            ),
        ],
    )
    women_all = total_all = 0
    for c in compositions:
        body = c.body
        _label, women, total = counts.get(body.code, (body.name, 0, 0))
        women_all, total_all = women_all + int(women), total_all + int(total)
        law = (
            _("below %(threshold)s") % {"threshold": _threshold()}
            if below_threshold(women, total)
            else _("met")
        )
        table.rows.append(
            TableRow(
                body.code,
                [
                    body.code,
                    body.name,
                    body.kind,
                    body.level,
                    f"{kinds.get(body.kind, body.kind)}, {levels.get(body.level, body.level)}",
                    c.as_of.isoformat(),
                    *_cells(women, total, with_total=False),
                    law,
                ],
            )
        )
    table.total = TableRow(
        "total",
        ["total", _("All bodies"), "", "", "", "", *_cells(women_all, total_all, False), ""],
    )
    table.note = _(
        "Law No. 2015-052 of 18 December 2015, art. 1: at least %(threshold)s of either sex "
        "among the people appointed to the institutions. A composition is a count at a date "
        "(a stock): each body counts once, at its own latest date, never summed over dates."
    ) % {"threshold": _threshold()}
    return table


def _by_kind(compute: Compute) -> "Table":
    from musow.reports.types import Column, Table, TableRow

    rows = _by(compute, "body_kind")
    table = Table(
        "participation_by_kind",
        _("Share of women by kind of body at the period's end"),
        [
            Column("code", _("code"), "#group+body+type+code", "code"),
            Column("kind", _("kind of body"), "#group+body+type"),
            *_counts_columns("indicator+seats"),
        ],
    )
    for code, (label, women, total) in sorted(rows.items(), key=lambda kv: kv[1][0]):
        table.rows.append(TableRow(code, [code, label, *_cells(women, total)]))
    women = sum(int(w) for _l, w, _t in rows.values())
    total = sum(int(t) for _l, _w, t in rows.values())
    table.total = TableRow("total", ["total", _("Total"), *_cells(women, total)])
    return table


def _by_role(compute: Compute) -> "Table":
    from musow.reports.types import Column, Table, TableRow
    from musow.representation.models import Role

    rows = _by(compute, "role")
    order = dict(Role.objects.values_list("code", "order"))
    table = Table(
        "participation_by_role",
        _("Share of women by role at the period's end"),
        [
            Column("code", _("code"), "#group+role+code", "code"),
            Column("role", _("role"), "#group+role"),
            *_counts_columns("indicator+seats"),
        ],
    )
    for code, (label, women, total) in sorted(rows.items(), key=lambda kv: order.get(kv[0], 0)):
        table.rows.append(TableRow(code, [code, label, *_cells(women, total)]))
    return table


def first_year(period: Period, scope: Scope) -> int | None:
    """The first year with a validated composition (of a body in scope) by the period's end."""
    qs = Composition.objects.filter(status=Status.VALIDATED, as_of__lte=period.end)
    if scope.regions:
        qs = qs.filter(body__place__region_id__in=scope.regions)
    first = qs.aggregate(first=Min("as_of"))["first"]
    return first.year if first else None


def _by_year(compute: Compute, period: Period, scope: Scope) -> "Table":
    from musow.reports.types import Column, Table, TableRow

    table = Table(
        "participation_by_year",
        _("Share of women in all bodies at each year's end"),
        [
            Column("code", _("code"), "#date+year+code", "code"),
            Column("year", _("year"), "#date+year"),
            *_counts_columns("indicator+seats"),
        ],
    )
    start = first_year(period, scope)
    if start is None:
        return table
    series = Period(date(start, 1, 1), period.end, f"{start:04d}-01-01..{period.end.isoformat()}")
    rows = _by(compute, "year", series)
    for year in range(start, period.end.year + 1):
        label, women, total = rows.get(str(year), (str(year), 0, 0))
        if not total:
            table.rows.append(TableRow(str(year), [str(year), str(year), None, None, None, None]))
            continue
        table.rows.append(TableRow(str(year), [str(year), str(year), *_cells(women, total)]))
    if period.end != date(period.end.year, 12, 31):
        table.note = _("The last year's figures are at the period's end (%(day)s).") % {
            "day": period.end.isoformat()
        }
    return table


def _sittings(compute: Compute) -> "Table":
    from musow.reports.types import Column, Table, TableRow

    everyone = compute("sitting-attendance", ("body",))
    women = {
        r.key["body"].code: r.value for r in compute("sitting-attendance-women", ("body",)).rows
    }
    table = Table(
        "participation_sittings",
        _("Attendance at the period's sittings (rounds of talks, sessions)"),
        [
            Column("code", _("code"), "#group+body+code", "code"),
            Column("body", _("body"), "#group+body+name"),
            *_counts_columns("indicator+attendance"),
        ],
    )
    for r in everyone.rows:
        code = r.key["body"].code
        table.rows.append(
            TableRow(code, [code, r.key["body"].label, *_cells(women.get(code), r.value)])
        )
    w = sum(int(v or 0) for v in women.values())
    table.total = TableRow("total", ["total", _("Total"), *_cells(w, everyone.total)])
    table.note = _("A flow: every person present at each sitting counts, once per sitting.")
    return table


def _sources(compositions: list[Composition]) -> "Table":
    from musow.reports.types import Column, Table, TableRow

    table = Table(
        "participation_sources",
        _("Sources of the compositions counted"),
        [
            Column("code", _("code"), "#meta+composition+id", "code"),
            Column("body", _("body"), "#group+body+name"),
            Column("as_of", _("composition on"), "#date+composition", "date"),
            Column("source", _("source"), "#meta+source"),
            Column("source_date", _("date of the source"), "#date+source", "date"),
            Column("url", _("link"), "#meta+url"),
        ],
    )
    illustrative = False
    for c in compositions:
        source = c.source_document
        if c.is_illustrative or c.body.is_illustrative:
            illustrative = True
            source = f"{source} ({_('ILLUSTRATIVE')})" if "ILLUSTRATI" not in source else source
        table.rows.append(
            TableRow(
                str(c.pk),
                [
                    str(c.pk),
                    c.body.name,
                    c.as_of.isoformat(),
                    source,
                    c.source_date.isoformat() if c.source_date else "",
                    c.source_url,
                ],
            )
        )
    if illustrative:
        table.note = _(
            "Compositions marked ILLUSTRATIVE were invented to try musow: they are not the "
            "mission's figures."
        )
    return table


def chart_svg(table: "Table", lang: str) -> str:
    """The share of women at each year's end, with the 30 % line (HTML and PDF)."""
    from musow.lib.charts import share_line_chart_svg

    points = [(str(r.cells[1]), r.cells[-1]) for r in table.rows]
    return share_line_chart_svg(
        points,
        threshold=THRESHOLD,
        threshold_label=_("%(threshold)s (Law No. 2015-052)") % {"threshold": _threshold()},
        title=_("Share of women in all bodies at each year's end"),
        lang=lang,
        width=500,
    )
