"""The programme's tables for one period and scope, as one release (disclosure.py):
built from a few GROUP BY queries over the providers' reports, then shown protected
(suppressed) or whole."""

import hashlib
from dataclasses import dataclass
from itertools import product
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from musow.activities.models import Sex
from musow.geo.models import Place
from musow.indicators.periods import Period
from musow.protection import disclosure
from musow.protection.disclosure import Cell, Release, Table
from musow.protection.models import (
    JUSTICE_STAGES,
    AgeBand,
    Delay,
    DelayCount,
    IncidentCount,
    IncidentType,
    ProviderReport,
    Sector,
    ServiceCount,
)

COUNTED = (ProviderReport.Status.VALIDATED,)
PROVISIONAL = (
    ProviderReport.Status.DRAFT,
    ProviderReport.Status.SUBMITTED,
    ProviderReport.Status.VALIDATED,
)


def reports_q(
    period: Period, regions: tuple[int, ...] = (), provisional: bool = False, prefix: str = ""
) -> Q:
    """The reports that count for a period and scope (validated ones, unless provisional)."""
    q = Q(
        **{
            f"{prefix}month__gte": period.start.replace(day=1),
            f"{prefix}month__lte": period.end,
            f"{prefix}status__in": PROVISIONAL if provisional else COUNTED,
        }
    )
    if regions:
        q &= Q(**{f"{prefix}region_id__in": regions})
    return q


def release_build(
    period: Period, regions: tuple[int, ...] = (), *, provisional: bool = False
) -> Release:
    """Every table of the programme for the period and scope, with the cells they share."""
    q = reports_q(period, regions, provisional, prefix="report__")
    incidents = {
        (r["incident_type"], r["sex"], r["age_band__code"], r["report__region_id"]): r["n"]
        for r in IncidentCount.objects.filter(q)
        .values("incident_type", "sex", "age_band__code", "report__region_id")
        .annotate(n=Sum("count"))
        .order_by()
    }
    delays = {
        r["delay"]: r["n"]
        for r in DelayCount.objects.filter(q).values("delay").annotate(n=Sum("count")).order_by()
    }
    services = {
        (r["kind"], r["sector"]): r["n"]
        for r in ServiceCount.objects.filter(q)
        .values("kind", "sector")
        .annotate(n=Sum("count"))
        .order_by()
    }
    stages = [code for code, _label in JUSTICE_STAGES] + ["legal_aid"]
    justice = ProviderReport.objects.filter(reports_q(period, regions, provisional)).aggregate(
        **{s: Sum(s) for s in stages}
    )
    region_ids = sorted({key[3] for key in incidents} | set(regions))
    trend = _by_quarter(period, q, reports_q(period, regions, provisional))
    return _release(incidents, delays, services, justice, region_ids, trend)


def quarters_of(period: Period) -> list[Period]:
    """The quarters a period spans (the months its reports are counted in)."""
    out = []
    year, q = period.start.year, (period.start.month - 1) // 3 + 1
    while (year, 3 * q - 2) <= (period.end.year, period.end.month):
        out.append(Period.parse(f"{year:04d}-Q{q}"))
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return out


def _by_quarter(period: Period, counts_q: Q, reports: Q) -> dict[str, dict[str, int]] | None:
    """Incidents and the justice chain by quarter, when the period spans more than one:
    the trend, published with (and protected together with) the period's tables."""
    quarters = quarters_of(period)
    if len(quarters) < 2:
        return None
    trend: dict[str, dict[str, int]] = {p.code: {} for p in quarters}

    def quarter(month: Any) -> str:
        return f"{month.year:04d}-Q{(month.month - 1) // 3 + 1}"

    for r in (
        IncidentCount.objects.filter(counts_q)
        .values("report__month")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        row = trend[quarter(r["report__month"])]
        row["incidents"] = row.get("incidents", 0) + (r["n"] or 0)
    stages = [code for code, _label in JUSTICE_STAGES]
    for r in (
        ProviderReport.objects.filter(reports)
        .values("month")
        .annotate(**{s: Sum(s) for s in stages})
        .order_by()
    ):
        row = trend[quarter(r["month"])]
        for s in stages:
            row[s] = row.get(s, 0) + (r[s] or 0)
    return trend


@dataclass(frozen=True)
class Dims:
    types: list[tuple[str, str]]
    sexes: list[tuple[str, str]]
    bands: list[tuple[str, str]]
    regions: list[tuple[int, str]]


def _dims(region_ids: list[int]) -> Dims:
    places = Place.objects.defer("boundary").in_bulk(region_ids)
    return Dims(
        types=[(str(v), str(label)) for v, label in IncidentType.choices],
        sexes=[(str(v), str(label)) for v, label in Sex.choices],
        bands=[(b.code, b.name) for b in AgeBand.objects.filter(is_active=True)],
        regions=[(pk, places[pk].name) for pk in region_ids if pk in places],
    )


def _release(
    incidents: dict[tuple[Any, ...], int],
    delays: dict[str, int],
    services: dict[tuple[str, str], int],
    justice: dict[str, int | None],
    region_ids: list[int],
    trend: dict[str, dict[str, int]] | None = None,
) -> Release:
    d = _dims(region_ids)
    micro: dict[Any, int] = {}
    regions: list[tuple[Any, str]] = list(d.regions) or [(None, "")]
    for t, s, a, r in product(d.types, d.sexes, d.bands, regions):
        micro[("inc", t[0], s[0], a[0], r[0])] = incidents.get((t[0], s[0], a[0], r[0]), 0)
    for code, _label in Delay.choices:
        micro[("del", code)] = delays.get(code, 0)
    for kind, sector in product(("service", "referral"), Sector.values):
        micro[("svc", kind, sector)] = services.get((kind, sector), 0)
    stage_codes = [code for code, _label in JUSTICE_STAGES]
    for code in [*stage_codes, "legal_aid"]:
        micro[("jus", code)] = justice.get(code) or 0
    cells: dict[Any, Cell] = {}
    # the incidents' microcells under every cell that adds them up (any part left open)
    under: dict[tuple[Any, ...], set[Any]] = {}
    for m in micro:
        if m[0] == "inc":
            for keep in product((True, False), repeat=4):
                pattern = tuple(v if k else None for v, k in zip(m[1:], keep, strict=True))
                under.setdefault(pattern, set()).add(m)

    def inc(t: str | None, s: str | None, a: str | None, r: int | None) -> Any:
        key = ("inc", t, s, a, r)
        if key not in cells:
            cells[key] = Cell(key, (frozenset(under.get((t, s, a, r), ())),))
        return key

    def one(key: Any) -> Any:
        cells.setdefault(key, Cell(key, (frozenset({key}),)))
        return key

    tables = [
        _grid(
            "incidents-type-sex",
            _("Incidents by type and survivor's sex"),
            d.types,
            d.sexes,
            lambda t, s: inc(t, s, None, None),
            lambda t: inc(t, None, None, None),
            lambda s: inc(None, s, None, None),
            inc(None, None, None, None),
        ),
        _grid(
            "incidents-type-age",
            _("Incidents by type and survivor's age"),
            d.types,
            d.bands,
            lambda t, a: inc(t, None, a, None),
            lambda t: inc(t, None, None, None),
            lambda a: inc(None, None, a, None),
            inc(None, None, None, None),
        ),
        _grid(
            "incidents-region-type",
            _("Incidents by region and type"),
            d.regions,
            d.types,
            lambda r, t: inc(t, None, None, r),
            lambda r: inc(None, None, None, r),
            lambda t: inc(t, None, None, None),
            inc(None, None, None, None),
        ),
    ]
    grand = cells[("inc", None, None, None, None)]
    delay_keys = frozenset(("del", code) for code in Delay.values)
    delay_total = sum(micro[k] for k in delay_keys)
    if delay_total == sum(micro[m] for m in grand.definitions[0]):
        # Every provider that counts incidents says when they were reported: the table by
        # time to report adds up to the same total, and everyone can see it does.
        grand.definitions = (grand.definitions[0], delay_keys)
        delay_total_key = grand.key
    else:
        delay_total_key = ("del", None)
        cells[delay_total_key] = Cell(delay_total_key, (delay_keys,))
    count = [("n", _("incidents"))]
    tables.append(
        _grid(
            "delays",
            _("Time between incident and report"),
            list(Delay.choices),
            count,
            lambda k, _n: one(("del", k)),
            None,
            lambda _n: delay_total_key,
            None,
        )
    )
    kinds = [("service", _("services provided")), ("referral", _("referrals made"))]
    for kind, _kind_label in kinds:
        one_total = ("svc", kind, None)
        cells[one_total] = Cell(one_total, (frozenset(("svc", kind, s) for s in Sector.values),))
    tables.append(
        _grid(
            "services",
            _("Services provided and referrals made"),
            list(Sector.choices),
            kinds,
            lambda s, k: one(("svc", k, s)),
            None,
            lambda k: ("svc", k, None),
            None,
        )
    )
    stages = [*JUSTICE_STAGES, ("legal_aid", _("legal aid supported by the programme"))]
    tables.append(
        _grid(
            "justice",
            _("The justice chain"),
            [(c, str(lab)) for c, lab in stages],
            [("n", _("cases"))],
            lambda c, _n: one(("jus", c)),
            None,
            None,
            None,
        )
    )
    chain = [("jus", code) for code in stage_codes]
    at_most = list(zip(chain[1:], chain, strict=False))
    if trend:
        tables.append(_trend(trend, micro, cells, grand, stage_codes, at_most))
    return Release(micro, cells, tables, at_most)


def _trend(
    trend: dict[str, dict[str, int]],
    micro: dict[Any, int],
    cells: dict[Any, Cell],
    grand: Cell,
    stage_codes: list[str],
    at_most: list[tuple[Any, Any]],
) -> Table:
    """Incidents and the justice chain by quarter: each column adds up to the period's
    cell (the incidents' grand total, each stage), which everyone can check; the chain's
    order holds in each quarter too."""
    measures = ["incidents", *stage_codes]
    for q, row in trend.items():
        for m in measures:
            key = ("q", m, q)
            micro[key] = row.get(m, 0)
            cells[key] = Cell(key, (frozenset({key}),))
        chain = [("q", code, q) for code in stage_codes]
        at_most += list(zip(chain[1:], chain, strict=False))
    grand.definitions = (*grand.definitions, frozenset(("q", "incidents", q) for q in trend))
    for code in stage_codes:
        cell = cells[("jus", code)]
        cell.definitions = (*cell.definitions, frozenset(("q", code, q) for q in trend))
    labels = dict(JUSTICE_STAGES)
    columns = [("incidents", _("incidents")), *((c, labels[c]) for c in stage_codes)]
    totals = {"incidents": grand.key, **{c: ("jus", c) for c in stage_codes}}
    return _grid(
        "trend",
        _("Incidents and the justice chain by quarter"),
        [(q, Period.parse(q).label()) for q in trend],
        columns,
        lambda q, m: ("q", m, q),
        None,
        lambda m: totals[m],
        None,
    )


def _grid(
    code: str,
    title: str,
    rows: list[tuple[Any, Any]],
    cols: list[tuple[Any, Any]],
    cell: Any,
    row_total: Any,
    col_total: Any,
    total: Any,
) -> Table:
    return Table(
        code,
        title,
        [(k, str(label)) for k, label in rows],
        [(k, str(label)) for k, label in cols],
        {(r, c): cell(r, c) for (r, _l), (c, _m) in product(rows, cols)},
        {r: row_total(r) for r, _l in rows} if row_total else {},
        {c: col_total(c) for c, _l in cols} if col_total else {},
        total,
    )


# --- shown --------------------------------------------------------------------------------


@dataclass
class Shown:
    """A table as a page, a sheet or a file shows it: labels and cell texts."""

    code: str
    title: str
    header: list[str]
    rows: list[list[str]]
    footer: list[str] | None
    hidden: int
    values: list[list[int | None]]  # the values shown (None where hidden), for files
    row_codes: list[str]
    col_codes: list[str]
    footer_values: list[int | None]

    @property
    def footnote(self) -> str:
        return disclosure.footnote(self.hidden) if self.hidden else ""


def release_show(
    release: Release,
    *,
    whole: bool,
    limit: int | None = None,
    status: dict[Any, str] | None = None,
) -> list[Shown]:
    """Every table of the release as shown: protected (suppressed, unless `status` says
    already which cells to hide), or whole."""
    limit = limit or disclosure.threshold()
    if status is None:
        status = {} if whole else disclosure.suppress(release, limit)
    out = []
    for t in release.tables:
        has_totals = bool(t.row_totals)

        def text(key: Any) -> tuple[str, int | None]:
            state = status.get(key, disclosure.PUBLISHED)
            value = release.cells[key].value
            return (
                disclosure.shown(value, state, limit),
                value if state == disclosure.PUBLISHED else None,
            )

        header = ["", *(label for _k, label in t.cols)] + ([_("Total")] if has_totals else [])
        rows, values = [], []
        for r, label in t.rows:
            cells = [text(t.grid[(r, c)]) for c, _l in t.cols]
            if has_totals:
                cells.append(text(t.row_totals[r]))
            rows.append([label, *(c[0] for c in cells)])
            values.append([c[1] for c in cells])
        footer, footer_values = None, []
        if t.col_totals:
            cells = [text(t.col_totals[c]) for c, _l in t.cols]
            if t.total is not None:
                cells.append(text(t.total))
            footer = [_("Total"), *(c[0] for c in cells)]
            footer_values = [c[1] for c in cells]
        hidden = sum(1 for k in set(t.cell_keys()) if k in status)
        row_codes = [str(r) for r, _l in t.rows]
        col_codes = [str(c) for c, _l in t.cols] + (["total"] if has_totals else [])
        out.append(
            Shown(
                t.code,
                t.title,
                header,
                rows,
                footer,
                hidden,
                values,
                row_codes,
                col_codes,
                footer_values,
            )
        )
    return out


def hidden_count(shown: list[Shown]) -> int:
    return sum(s.hidden for s in shown)


def number(value: int) -> str:
    return number_format(value, force_grouping=True)


def release_protected(period: Period, regions: tuple[int, ...] = ()) -> list[Shown]:
    """The protected tables of a period and scope, as everyone but protection officers
    sees them: the same for all of them, so kept in the cache until a report of that
    scope changes (suppression takes seconds; a page must not)."""
    state = ProviderReport.objects.filter(reports_q(period, regions)).aggregate(
        n=Count("id"), changed=Max("updated_at"), version=Sum("version")
    )
    parts = [
        period.code,
        ",".join(map(str, regions)),
        get_language(),
        disclosure.threshold(),
        state["n"],
        state["changed"],
        state["version"],
    ]
    key = "protection:" + hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()
    shown = cache.get(key)
    if shown is None:
        shown = release_show(release_build(period, regions), whole=False)
        cache.set(key, shown, 24 * 3600)
    return shown
