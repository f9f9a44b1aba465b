"""The programme's counting rules in the one engine (indicators/rules.py).

Incidents by type, sex and age band; incidents reported within 72 hours (the share is a
ratio indicator of the two); referrals to legal aid; the justice chain by stage. Each
aggregate is one GROUP BY over the providers' reports. Figures of these rules leave the
engine protected: each result (its rows and its total) goes through disclosure control,
whatever door asked for it (dashboard, report, API, public page); only a protection page
that has recorded the view in the audit trail computes them whole (`whole_figures`).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connection
from django.db.models import F, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from musow.activities.models import Sex
from musow.indicators.dateparts import MonthOf, QuarterOf, YearOf
from musow.indicators.engine import Aggregate, Computation, Member, Scope
from musow.indicators.periods import Period
from musow.indicators.rules import ProgrammeRule, rule_register
from musow.protection import disclosure
from musow.protection.models import JUSTICE_STAGES, AgeBand, IncidentType
from musow.protection.release import reports_q

_WHOLE: ContextVar[bool] = ContextVar("musow_protection_whole", default=False)


@contextmanager
def whole_figures() -> Iterator[None]:
    """Compute the programme's figures unsuppressed (for a page that audited the view)."""
    token = _WHOLE.set(True)
    try:
        yield
    finally:
        _WHOLE.reset(token)


def _common(prefix: str) -> dict[str, Any]:
    month = f"{prefix}month"
    return {
        "year": YearOf(month),
        "quarter": QuarterOf(month),
        "month": MonthOf(month),
        "region": F(f"{prefix}region_id"),
    }


def _grouped(
    qs: QuerySet[Any], value: str, by: tuple[str, ...], columns: dict[str, Any], where: str
) -> Aggregate:
    executed: list[str] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append(sql % tuple(repr(p) for p in params or ()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        if not by:
            total = qs.aggregate(v=Sum(value))["v"] or 0
            raw: list[tuple[tuple[Any, ...], Any]] = []
        else:
            aliases = {f"d_{d}": columns[d] for d in by}
            rows = qs.values(**aliases).annotate(v=Sum(value)).order_by()
            raw = [(tuple(r[f"d_{d}"] for d in by), r["v"] or 0) for r in rows]
            total = sum(v for _k, v in raw)
    rows_out, total_out = _protected(raw, total, by)
    return Aggregate(rows_out, total_out, Computation(where, lambda: list(executed)))


def _protected(
    raw: list[tuple[tuple[Any, ...], Any]], total: int, by: tuple[str, ...]
) -> tuple[list[tuple[tuple[Any, ...], Any]], Any]:
    """The result's rows and total with small cells (and those that would recover them)
    hidden (None), unless the figures are asked whole."""
    if _WHOLE.get():
        return raw, total
    limit = disclosure.threshold()
    micro: dict[Any, int] = {key: value for key, value in raw}
    cells: dict[Any, disclosure.Cell] = {
        key: disclosure.Cell(key, (frozenset({key}),)) for key in micro
    }
    cells["__total__"] = disclosure.Cell("__total__", (frozenset(micro),))
    rows = [(k, str(k)) for k in micro]
    table = disclosure.Table(
        "result",
        "",
        rows,
        [("n", "")],
        {(k, "n"): k for k in micro},
        col_totals={"n": "__total__"},
    )
    status = disclosure.suppress(disclosure.Release(micro, cells, [table]), limit)
    shown = [(k, None if k in status else v) for k, v in raw]
    return shown, None if "__total__" in status else total


def _reports(model_prefix: str, period: Period, scope: Scope, provisional: bool) -> Q:
    return reports_q(period, scope.regions, provisional, prefix=model_prefix)


def incidents_aggregate(
    indicator: Any, period: Period, scope: Scope, by: tuple[str, ...], provisional: bool
) -> Aggregate:
    from musow.protection.models import IncidentCount

    qs = IncidentCount.objects.filter(_reports("report__", period, scope, provisional))
    columns = {
        **_common("report__"),
        "incident_type": F("incident_type"),
        "sex": F("sex"),
        "age_band": F("age_band__code"),
    }
    return _grouped(qs, "count", by, columns, f"protection ({connection.vendor})")


def reported_72h_aggregate(
    indicator: Any, period: Period, scope: Scope, by: tuple[str, ...], provisional: bool
) -> Aggregate:
    from musow.protection.models import DelayCount

    qs = DelayCount.objects.filter(_reports("report__", period, scope, provisional), delay="0-72h")
    return _grouped(qs, "count", by, _common("report__"), f"protection ({connection.vendor})")


def referred_legal_aggregate(
    indicator: Any, period: Period, scope: Scope, by: tuple[str, ...], provisional: bool
) -> Aggregate:
    from musow.protection.models import ServiceCount

    qs = ServiceCount.objects.filter(
        _reports("report__", period, scope, provisional), kind="referral", sector="legal"
    )
    return _grouped(qs, "count", by, _common("report__"), f"protection ({connection.vendor})")


def _stage_aggregate(stage: str) -> Any:
    def aggregate(
        indicator: Any, period: Period, scope: Scope, by: tuple[str, ...], provisional: bool
    ) -> Aggregate:
        from musow.protection.models import ProviderReport

        qs = ProviderReport.objects.filter(_reports("", period, scope, provisional))
        return _grouped(qs, stage, by, _common(""), f"protection ({connection.vendor})")

    aggregate.__name__ = f"{stage}_aggregate"
    return aggregate


def _incident_members(dim: str, values: set[Any]) -> dict[Any, Member]:
    if dim == "incident_type":
        return {v: Member(v, str(IncidentType(v).label)) for v in values if v}
    if dim == "sex":
        return {v: Member(v, str(Sex(v).label)) for v in values if v}
    names = {b.code: b.name for b in AgeBand.objects.filter(code__in=values)}
    return {v: Member(v, names.get(v, v)) for v in values if v}


STAGE_AGGREGATES = {code: _stage_aggregate(code) for code, _label in JUSTICE_STAGES}


def rules_register() -> None:
    rule_register(
        ProgrammeRule(
            code="sgbv_incidents",
            label=_("SGBV incidents reported to service providers"),
            dimensions=(
                ("incident_type", _("incident type")),
                ("sex", _("survivor's sex")),
                ("age_band", _("survivor's age band")),
            ),
            aggregate=incidents_aggregate,
            members=_incident_members,
        )
    )
    rule_register(
        ProgrammeRule(
            code="sgbv_reported_72h",
            label=_("SGBV incidents reported within 72 hours"),
            dimensions=(),
            aggregate=reported_72h_aggregate,
        )
    )
    rule_register(
        ProgrammeRule(
            code="sgbv_referred_legal_aid",
            label=_("survivors referred to legal aid"),
            dimensions=(),
            aggregate=referred_legal_aggregate,
        )
    )
    for code, label in JUSTICE_STAGES:
        rule_register(
            ProgrammeRule(
                code=f"sgbv_{code}",
                label=label,
                dimensions=(),
                aggregate=STAGE_AGGREGATES[code],
            )
        )
