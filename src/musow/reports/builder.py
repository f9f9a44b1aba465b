"""The unit's periodic report as one data structure, built once, rendered to every format.

    report = build_report(period=Period.parse("2014"), scope=ReportScope.everything(), lang="fr")

Every figure comes from the counting engine (`musow.indicators.engine.compute`, one
GROUP BY query each); nothing is counted in Python. Tables hold raw numbers (the
renderers format them in the report's language) and a stable code per row, so that
`Report.figures()` — the figures without any language — can be compared between
two issues of the same report. The annex (every contributing activity) is a lazy
query: renderers stream it, so a year of a large register is never held in memory.
"""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from musow.activities.models import (
    Activity,
    Attendance,
    Campaign,
    CampaignSeries,
    Objective,
    Organisation,
    Participation,
    Project,
)
from musow.analytics.cache import remember
from musow.geo.models import Place
from musow.geo.services import SHIPPED_GAZETTEER
from musow.indicators.codes import ACTIVITIES, MEDIA, PARTICIPANTS, WOMEN
from musow.indicators.engine import (
    EVERYTHING,
    FILTER_FIELDS,
    EngineError,
    Member,
    Result,
    Row,
    Scope,
    compute,
    headline,
    provenance,
)
from musow.indicators.models import Indicator, Target
from musow.indicators.periods import Period
from musow.indicators.text import headline_sentence
from musow.lib.i18n import localized
from musow.lib.maps import regions_outside
from musow.reports import narrative
from musow.reports.trainings import trainings_tables

Number = int | float | Decimal

# An HTML or PDF annex lists this many activities (WeasyPrint lays out about 80 annex rows
# a second on this machine); the XLSX and the JSON list them all.
ANNEX_PRINT_LIMIT = 200
# Share of the target reached from which an indicator counts as "close" (not "behind").
CLOSE_TO_TARGET = 0.75


class ReportError(ValueError):
    """A report that cannot be built as asked (unknown scope, …), in the user's language."""


def missing_indicator(code: str) -> str:
    return _(
        "The report needs the indicator “%(code)s”, which is missing: run “musow check” "
        "and “musow setup”."
    ) % {"code": code}


# --- scope ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportScope:
    """What a report covers: everything, a region, a campaign (one edition or a series), a
    project or an organisation; `code` is what the user typed, normalised (a P-code for a
    region)."""

    kind: str  # "all", "region", "campaign", "series", "project", "organisation"
    code: str
    name_fr: str
    name_en: str
    scope: Scope

    @classmethod
    def everything(cls) -> "ReportScope":
        return cls("all", "", "toutes les régions", "all regions", EVERYTHING)

    def label(self, lang: str) -> str:
        name = self.name_fr if lang == "fr" else self.name_en
        if self.kind == "all":
            return name
        kinds = {
            "fr": {
                "organisation": "organisation",
                "region": "région",
                "campaign": "campagne",
                "series": "campagne",
                "project": "projet",
            },
            "en": {
                "organisation": "organisation",
                "region": "region",
                "campaign": "campaign",
                "series": "campaign",
                "project": "project",
            },
        }
        return f"{name} ({kinds[lang][self.kind]})"  # "Gao (région)", after a colon too

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "code": self.code}


def scope_parse(text: str | None) -> ReportScope:
    """A region (P-code, ISO code or name in either language), a campaign edition or series
    code, or a project code. Raises ReportError in the active language."""
    text = (text or "").strip()
    if not text or text.lower() in ("all", "tout", "toutes", "*"):
        return ReportScope.everything()
    regions = Place.objects.filter(level=Place.Level.REGION, gazetteer__code=SHIPPED_GAZETTEER)
    place = (
        regions.filter(pcode__iexact=text).first()
        or regions.filter(iso_3166_2__iexact=text).first()
        or regions.filter(name_fr__iexact=text).first()
        or regions.filter(name_en__iexact=text).first()
    )
    if place is not None:
        return ReportScope(
            "region",
            place.pcode or place.iso_3166_2,
            place.name_fr,
            place.name_en,
            Scope(regions=(place.pk,)),
        )
    campaign = Campaign.objects.filter(code=text).first()
    if campaign is not None:
        return ReportScope(
            "campaign",
            campaign.code,
            campaign.name_fr,
            campaign.name_en,
            Scope(campaigns=(campaign.pk,)),
        )
    series = CampaignSeries.objects.filter(code=text).first()
    if series is not None:
        ids = tuple(sorted(series.campaigns.values_list("pk", flat=True))) or (-1,)
        return ReportScope(
            "series", series.code, series.name_fr, series.name_en, Scope(campaigns=ids)
        )
    project = Project.objects.filter(code=text).first()
    if project is not None:
        return ReportScope(
            "project", project.code, project.name_fr, project.name_en, Scope(projects=(project.pk,))
        )
    organisation = Organisation.objects.filter(code=text).first()
    if organisation is not None:
        return ReportScope(
            "organisation",
            organisation.code,
            organisation.name,
            organisation.name,
            Scope(organisations=(organisation.pk,)),
        )
    raise ReportError(
        _(
            "Unknown scope “%(scope)s”: give a region (P-code such as ML07, or its name), "
            "a campaign code or a project code."
        )
        % {"scope": text}
    )


# --- the report's parts -------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    hxl: str  # HXL hashtag with attributes, for the CSV
    kind: str = "text"  # "text", "code", "number", "percent"


@dataclass
class TableRow:
    code: str
    cells: list[Any]


@dataclass
class Table:
    """A table of the report: a title, columns, and rows with a stable code each."""

    key: str
    title: str
    columns: list[Column]
    rows: list[TableRow] = field(default_factory=list)
    note: str = ""
    total: TableRow | None = None

    def figures(self) -> dict[str, dict[str, Any]]:
        numeric = [i for i, c in enumerate(self.columns) if c.kind in ("number", "percent")]
        rows = [*self.rows, *([self.total] if self.total else [])]
        return {
            row.code: {self.columns[i].key: _plain(row.cells[i]) for i in numeric} for row in rows
        }


@dataclass
class Headline:
    code: str
    sentence: str
    value: Number | None
    name: str = ""


@dataclass
class FrameworkLine:
    code: str
    name: str
    rule: str
    baseline: Number | None
    target: Number | None
    actual: Number | None
    previous: Number | None
    ratio: bool = False

    @property
    def achieved(self) -> float | None:
        if self.target is None or not self.target or self.actual is None:
            return None
        return float(self.actual) / float(self.target)

    @property
    def change(self) -> Number | None:
        if self.actual is None or self.previous is None:
            return None
        return _sub(self.actual, self.previous)

    @property
    def status(self) -> str:
        """ "met", "close", "behind", or "" without a target."""
        share = self.achieved
        if share is None:
            return ""
        if share >= 1:
            return "met"
        return "close" if share >= CLOSE_TO_TARGET else "behind"


@dataclass
class Mandate:
    code: str
    name: str
    text: str
    lines: list[FrameworkLine]


@dataclass
class CampaignSection:
    code: str
    name: str
    start: date
    end: date
    activities: int
    participants: int
    women: int
    regions: Table
    sentence: str


@dataclass
class Report:
    lang: str
    period: Period
    previous: Period
    scope: ReportScope
    generated_at: datetime
    has_data: bool
    headline: list[Headline]
    framework: list[Mandate]
    tables: list[Table]
    campaigns: list[CampaignSection]
    narrative: list[str]
    totals: dict[str, Any]
    provenance_codes: list[str]
    attribution: str
    chart_data: dict[str, Any]
    annex_count: int = 0
    _annex_scope: Scope = EVERYTHING
    # For roles that see aggregates only (viewers): the annex's activities are not listed.
    annex_hidden: bool = False
    # The unit's own words in the report's language ({"highlights": …}) and, when these
    # figures were issued, when (reports/services.report_build fills both).
    texts: dict[str, str] = field(default_factory=dict)
    issued_at: datetime | None = None

    @property
    def title(self) -> str:
        with translation.override(self.lang):
            return _("The Gender Unit's report")

    @property
    def period_label(self) -> str:
        return self.period.label(self.lang)

    @property
    def scope_label(self) -> str:
        return self.scope.label(self.lang)

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)

    def annex(self, limit: int | None = None) -> Iterator[dict[str, Any]]:
        """Every contributing activity (streamed), with its source."""
        if self.annex_hidden:
            return
        yield from annex_rows(self.period, self._annex_scope, self.lang, limit=limit)

    def annex_columns(self) -> list[Column]:
        return annex_columns(self.lang)

    def provenance_ids(self) -> dict[str, list[int]]:
        """The activities behind each figure, by indicator code (read when a report is
        issued, not to show it)."""
        indicators = Indicator.objects.filter(code__in=self.provenance_codes).prefetch_related(
            *FILTER_FIELDS
        )
        return {
            i.code: sorted(
                provenance(i, self.period, self._annex_scope).values_list("id", flat=True)
            )
            for i in indicators
        }

    def figures(self) -> dict[str, Any]:
        """The report's figures, without any language: what an issue keeps and compares."""
        return {
            "period": self.period.code,
            "scope": self.scope.as_dict(),
            "headline": {h.code: _plain(h.value) for h in self.headline},
            "framework": {
                line.code: {
                    "baseline": _plain(line.baseline),
                    "target": _plain(line.target),
                    "actual": _plain(line.actual),
                }
                for mandate in self.framework
                for line in mandate.lines
            },
            "tables": {t.key: t.figures() for t in self.tables},
            "campaigns": {
                c.code: {
                    "activities": c.activities,
                    "participants": c.participants,
                    "women": c.women,
                }
                for c in self.campaigns
            },
            "totals": {k: _plain(v) for k, v in self.totals.items()},
            "annex_count": self.annex_count,
        }


def _plain(value: Any) -> Any:
    if isinstance(value, str):  # a hidden count's mark ("< 5"): not a figure, in no language
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        return value
    return value


def _sub(a: Number, b: Number) -> Number:
    if isinstance(a, int) and isinstance(b, int):
        return a - b
    return float(a) - float(b)


# --- building ----------------------------------------------------------------------------


def build_report(*, period: Period, scope: ReportScope, lang: str) -> Report:
    """Compute every figure of the report for the period and scope, labelled in `lang`
    (once for all the server's processes until the data changes: analytics.cache)."""

    def build() -> Report:
        with translation.override(lang):
            return _Builder(period, scope, lang).build()

    key = [period.code, period.start, period.end, scope.kind, scope.code, scope.scope, lang]
    return remember("report", key, build)


def _protection_tables(period: Period, scope: Scope) -> list[Table]:
    from musow.protection.report import report_tables

    return report_tables(period, scope)


class _Builder:
    def __init__(self, period: Period, scope: ReportScope, lang: str) -> None:
        self.period = period
        self.rscope = scope
        self.scope = scope.scope
        self.lang = lang
        self.indicators = {
            i.code: i
            for i in Indicator.objects.select_related(
                "numerator", "denominator", "objective"
            ).prefetch_related(*FILTER_FIELDS)
        }
        self._wide: dict[tuple[str, tuple[str, ...]], _Wide] = {}
        self._results: dict[tuple[str, tuple[str, ...], str], Result] = {}

    def compute(self, code: str, by: Sequence[str] = (), period: Period | None = None) -> Result:
        indicator = self.needed(code)
        key = (code, tuple(by), (period or self.period).code)
        if key not in self._results:
            try:
                self._results[key] = compute(indicator, period or self.period, self.scope, by)
            except EngineError as exc:
                raise ReportError(str(exc)) from exc
        return self._results[key]

    def needed(self, code: str) -> Indicator:
        """An indicator the report is built on; its absence is an error (the system check
        `musow check` reports it at start-up), never a 0 in the report."""
        indicator = self.indicators.get(code)
        if indicator is None:
            raise ReportError(missing_indicator(code))
        return indicator

    def wide(self, code: str, dims: tuple[str, ...]) -> "_Wide":
        """One GROUP BY over several dimensions, computed once and kept for the roll-ups."""
        key = (code, dims)
        if key not in self._wide:
            self._wide[key] = _Wide.of(self.compute(code, dims))
        return self._wide[key]

    def _unfiltered(self, code: str) -> bool:
        indicator = self.indicators.get(code)
        return indicator is not None and _filters(indicator) == _filters(None)

    def _women_from_participants(self) -> bool:
        """Whether "women and girls" is "participants" restricted to sex f (as shipped):
        then it is read from the participants' breakdown by sex, without a scan of its own."""
        women, everyone = self.indicators.get(WOMEN), self.indicators.get(PARTICIPANTS)
        if women is None or everyone is None or women.rule != everyone.rule:
            return False
        return (
            list(women.sexes or []) == ["f"]
            and not everyone.sexes
            and (_filters(women) == _filters(everyone))
        )

    def grouped(self, code: str, dims: tuple[str, ...]) -> list[Row]:
        """The breakdown of `code` by `dims`: summed from a wider breakdown already computed
        (contacts and activities add up), or computed on its own."""
        if code == WOMEN and "sex" not in dims and self._women_from_participants():
            rows = self.grouped(PARTICIPANTS, (*dims, "sex"))
            return [
                Row({d: row.key[d] for d in dims}, row.value)
                for row in rows
                if row.key["sex"].code == "f"
            ]
        additive = self.needed(code).rule in (Indicator.Rule.CONTACTS, Indicator.Rule.ACTIVITIES)
        for wide_dims in WIDE.get(code, ()) if additive else ():
            if set(dims) <= set(wide_dims):
                return self.wide(code, wide_dims).rollup(dims)
        return self.compute(code, dims).rows

    def total(self, code: str) -> Number | None:
        if code == WOMEN and self._women_from_participants():
            return sum(int(row.value or 0) for row in self.grouped(WOMEN, ("region",)))
        for wide_dims in WIDE.get(code, ())[:1]:
            return self.wide(code, wide_dims).total
        return self.compute(code).total

    def by(self, code: str, dim: str) -> dict[str, tuple[str, Number]]:
        """{member code: (label, value)} for a one-dimension breakdown."""
        return {
            row.key[dim].code: (row.key[dim].label, row.value or 0)
            for row in self.grouped(code, (dim,))
        }

    def build(self) -> Report:
        n_activities = int(self.total(ACTIVITIES) or 0)
        totals: dict[str, Any] = {
            "activities": n_activities,
            "participants": int(self.total(PARTICIPANTS) or 0),
            "women": int(self.total(WOMEN) or 0),
            "media_audience": int(self.total(MEDIA) or 0),
        }
        trainees = self.by(PARTICIPANTS, "activity_type").get("training")
        if trainees:
            totals["trainees"] = int(trainees[1])
            totals["women_trained"] = int(
                self.by(WOMEN, "activity_type").get("training", ("", 0))[1]
            )
        totals["share_women"] = (
            totals["women"] / totals["participants"] if totals["participants"] else None
        )
        results = headline(self.period, self.scope)
        for result in results:  # the framework shows them again: computed once
            self._results[(result.indicator.code, (), self.period.code)] = result
        heads = [
            Headline(r.indicator.code, headline_sentence(r), r.total, r.indicator.name)
            for r in results
        ]
        tables = [
            self.by_type(),
            self.by_theme(),
            self.by_organiser(),
            self.by_region(),
            self.by_month(),
            self.by_sex(),
            self.by_age_and_sex(),
            self.by_audience(),
            self.unique_persons(totals),
            self.media(),
            *self.mainstreaming(),
            *trainings_tables(self.period, self.scope),
            *_protection_tables(self.period, self.scope),  # protected (musow.protection)
        ]
        campaigns = self.campaigns()
        framework = self.framework()
        provenance_codes = self.provenance_codes(results, framework)
        regions_reached = len(self.by(ACTIVITIES, "region"))
        totals["regions"] = regions_reached
        report = Report(
            lang=self.lang,
            period=self.period,
            previous=self.period.previous(),
            scope=self.rscope,
            generated_at=timezone.now(),
            has_data=n_activities > 0,
            headline=heads,
            framework=framework,
            tables=[t for t in tables if t is not None],
            campaigns=campaigns,
            narrative=[],
            totals=totals,
            provenance_codes=provenance_codes,
            attribution=_attribution(),
            chart_data={},
            annex_count=n_activities,
            _annex_scope=self.scope,
        )
        report.narrative = narrative.sentences(report)
        report.chart_data = _chart_data(report)
        return report

    # -- tables ---------------------------------------------------------------------

    def _simple(
        self, key: str, title: str, dim: str, dim_label: str, hxl: str, code: str = ACTIVITIES
    ) -> Table:
        data = self.by(code, dim)
        table = Table(
            key,
            title,
            [
                Column("code", _("code"), f"{hxl}+code", "code"),
                Column("name", dim_label, f"{hxl}+name"),
                Column("activities", _("activities"), "#activity+num", "number"),
            ],
        )
        for member, (label, value) in sorted(data.items(), key=lambda kv: (-kv[1][1], kv[0])):
            table.rows.append(TableRow(member or "-", [member, label, value]))
        return table

    def by_type(self) -> Table:
        return self._simple(
            "activities_by_type",
            _("Activities by type"),
            "activity_type",
            _("type"),
            "#activity+type",
        )

    def by_theme(self) -> Table:
        table = self._simple(
            "activities_by_theme", _("Activities by theme"), "theme", _("theme"), "#sector"
        )
        table.note = _("An activity may have several themes: the column does not add up.")
        return table

    def by_organiser(self) -> Table:
        table = self._simple(
            "activities_by_organiser",
            _("Activities by organiser"),
            "organiser",
            _("organiser"),
            "#org",
        )
        table.note = _("Partners are not counted here: each activity under its organiser.")
        return table

    def _reach_columns(self) -> list[Column]:
        return [
            Column("activities", _("activities"), "#activity+num", "number"),
            Column("participants", _("participants (contacts)"), "#reached+num", "number"),
            Column("women", _("women and girls"), "#reached+f+num", "number"),
            Column("share_women", _("share of women and girls"), "#reached+f+pct", "percent"),
        ]

    def _reach_cells(
        self,
        code: str,
        acts: dict[str, tuple[str, Number]],
        parts: dict[str, tuple[str, Number]],
        women: dict[str, tuple[str, Number]],
    ) -> list[Any]:
        p = parts.get(code, ("", 0))[1]
        w = women.get(code, ("", 0))[1]
        return [acts.get(code, ("", 0))[1], p, w, (float(w) / float(p)) if p else None]

    def by_region(self) -> Table:
        acts = self.by(ACTIVITIES, "region")
        parts = self.by(PARTICIPANTS, "region")
        women = self.by(WOMEN, "region")
        table = Table(
            "by_region",
            _("Activities and reach by region"),
            [
                Column("pcode", _("P-code"), "#adm1+code", "code"),
                Column("region", _("region"), "#adm1+name"),
                *self._reach_columns(),
            ],
        )
        names = {code: label for src in (acts, parts, women) for code, (label, _v) in src.items()}
        for code in sorted(names, key=lambda c: (c == "", c)):
            table.rows.append(
                TableRow(
                    code or "-", [code, names[code], *self._reach_cells(code, acts, parts, women)]
                )
            )
        return table

    def _months(self) -> list[str]:
        months: list[str] = []
        y, m = self.period.start.year, self.period.start.month
        while (y, m) <= (self.period.end.year, self.period.end.month) and len(months) < 240:
            months.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return months

    def by_month(self) -> Table:
        acts = self.by(ACTIVITIES, "month")
        parts = self.by(PARTICIPANTS, "month")
        women = self.by(WOMEN, "month")
        table = Table(
            "by_month",
            _("Activities and reach by month"),
            [
                Column("month", _("month"), "#date+month", "code"),
                Column("label", _("month"), "#date+month+name"),
                *self._reach_columns(),
            ],
        )
        for code in self._months():
            label = Period.parse(code).label(self.lang)
            table.rows.append(
                TableRow(code, [code, label, *self._reach_cells(code, acts, parts, women)])
            )
        return table

    def by_sex(self) -> Table:
        parts = self.by(PARTICIPANTS, "sex")
        total = sum(v for _l, v in parts.values())
        table = Table(
            "reach_by_sex",
            _("Reach by sex"),
            [
                Column("code", _("code"), "#group+sex+code", "code"),
                Column("sex", _("sex"), "#group+sex"),
                Column("participants", _("participants (contacts)"), "#reached+num", "number"),
                Column("share", _("share"), "#reached+pct", "percent"),
            ],
        )
        for code in ("f", "m", "u"):
            if code in parts:
                label, value = parts[code]
                table.rows.append(
                    TableRow(
                        code, [code, label, value, float(value) / float(total) if total else None]
                    )
                )
        return table

    def by_age_and_sex(self) -> Table:
        rows = self.grouped(PARTICIPANTS, ("age_group", "sex"))
        sexes = [("f", _("female")), ("m", _("male")), ("u", _("not recorded"))]
        table = Table(
            "reach_by_age_sex",
            _("Reach by age group and sex"),
            [
                Column("code", _("code"), "#group+age+code", "code"),
                Column("age_group", _("age group"), "#group+age"),
                Column("f", _("female"), "#reached+f+num", "number"),
                Column("m", _("male"), "#reached+m+num", "number"),
                Column("u", _("not recorded"), "#reached+unknown+num", "number"),
                Column("total", _("total"), "#reached+num", "number"),
            ],
        )
        cells: dict[str, dict[str, Number]] = {}
        labels: dict[str, str] = {}
        for row in rows:
            age, sex = row.key["age_group"], row.key["sex"]
            labels[age.code] = age.label
            cells.setdefault(age.code, {})[sex.code] = row.value or 0
        order = _age_order()
        for code in sorted(cells, key=lambda c: (order.get(c, 99), c)):
            values = [cells[code].get(s, 0) for s, _l in sexes]
            table.rows.append(TableRow(code or "-", [code, labels[code], *values, sum(values)]))
        totals = [sum(r.cells[2 + i] for r in table.rows) for i in range(3)]
        table.total = TableRow("total", ["", _("total"), *totals, sum(totals)])
        return table

    def by_audience(self) -> Table:
        parts = self.by(PARTICIPANTS, "audience")
        women = self.by(WOMEN, "audience")
        table = Table(
            "reach_by_audience",
            _("Reach by audience"),
            [
                Column("code", _("code"), "#group+code", "code"),
                Column("audience", _("audience"), "#group+name"),
                Column("participants", _("participants (contacts)"), "#reached+num", "number"),
                Column("women", _("women and girls"), "#reached+f+num", "number"),
                Column("share_women", _("share of women and girls"), "#reached+f+pct", "percent"),
            ],
        )
        for code, (label, value) in sorted(parts.items(), key=lambda kv: (-kv[1][1], kv[0])):
            w = women.get(code, ("", 0))[1]
            table.rows.append(
                TableRow(
                    code or "-", [code, label, value, w, float(w) / float(value) if value else None]
                )
            )
        return table

    def unique_persons(self, totals: dict[str, Any]) -> Table:
        """Unique persons beside contacts, and how much of the contacts attendance lists
        cover (DESIGN: "Reports say how much of the contacts the unique count covers")."""
        table = Table(
            "unique_persons",
            _("Unique persons and contacts"),
            [
                Column("indicator", _("indicator"), "#indicator+code", "code"),
                Column("name", _("indicator"), "#indicator+name"),
                Column("unique", _("unique persons"), "#reached+unique+num", "number"),
                Column("listed", _("attendances on lists"), "#reached+listed+num", "number"),
                Column("contacts", _("contacts"), "#reached+num", "number"),
                Column(
                    "coverage", _("contacts covered by lists"), "#reached+listed+pct", "percent"
                ),
            ],
        )
        for indicator in self.indicators.values():
            if indicator.rule != Indicator.Rule.UNIQUE_PERSONS:
                continue
            result = self.compute(indicator.code)
            if not result.total:
                continue
            ids = provenance(indicator, self.period, self.scope)
            listed = Attendance.objects.filter(activity__in=ids).count()
            contacts = (
                Participation.objects.filter(activity__in=ids).aggregate(n=Sum("count"))["n"] or 0
            )
            table.rows.append(
                TableRow(
                    indicator.code,
                    [
                        indicator.code,
                        indicator.name,
                        result.total,
                        listed,
                        contacts,
                        listed / contacts if contacts else None,
                    ],
                )
            )
        all_ids = self._all_activities()
        if self._unfiltered(PARTICIPANTS):
            contacts = int(totals["participants"])
        else:
            contacts = (
                Participation.objects.filter(activity__in=all_ids).aggregate(n=Sum("count"))["n"]
                or 0
            )
        # driven by the activities that have a list: reads their participation rows only
        listed_activities = Attendance.objects.filter(activity__in=all_ids).values("activity_id")
        on_lists = (
            Participation.objects.filter(activity_id__in=listed_activities).aggregate(
                n=Sum("count")
            )["n"]
            or 0
        )
        totals["contacts_with_lists"] = on_lists
        totals["list_coverage"] = on_lists / contacts if contacts else None
        table.note = _(
            "Unique persons are counted where an attendance list exists; across all "
            "activities of the period, lists cover %(share)s of contacts."
        ) % {"share": _pct(totals["list_coverage"])}
        return table

    def media(self) -> Table:
        data = self.by(MEDIA, "medium")
        table = Table(
            "media_reach",
            _("Media reach (estimated audience, not added to participants)"),
            [
                Column("code", _("code"), "#channel+code", "code"),
                Column("medium", _("medium"), "#channel+name"),
                Column("audience", _("estimated audience"), "#reached+media+num", "number"),
            ],
        )
        for code, (label, value) in sorted(data.items()):
            table.rows.append(TableRow(code or "-", [code, label, value]))
        return table

    def mainstreaming(self) -> list[Table]:
        """The gender mainstreaming section's tables (none without reviews or budgets)."""
        from musow.mainstreaming.report import tables

        return tables(self.compute)

    def _all_activities(self) -> QuerySet[Activity]:
        return provenance(self.needed(ACTIVITIES), self.period, self.scope)

    # -- campaigns ------------------------------------------------------------------

    def campaigns(self) -> list[CampaignSection]:
        acts = self.by(ACTIVITIES, "campaign")
        parts = self.by(PARTICIPANTS, "campaign")
        women = self.by(WOMEN, "campaign")
        by_region = self.grouped(PARTICIPANTS, ("campaign", "region"))
        acts_region = self.grouped(ACTIVITIES, ("campaign", "region"))
        campaigns = {c.code: c for c in Campaign.objects.filter(code__in=[c for c in acts if c])}
        sections = []
        for code in sorted(campaigns, key=lambda c: campaigns[c].start_date):
            campaign = campaigns[code]
            table = Table(
                f"campaign_{code}",
                _("%(campaign)s: reach by region") % {"campaign": campaign.name},
                [
                    Column("pcode", _("P-code"), "#adm1+code", "code"),
                    Column("region", _("region"), "#adm1+name"),
                    Column("activities", _("activities"), "#activity+num", "number"),
                    Column("participants", _("participants (contacts)"), "#reached+num", "number"),
                ],
            )
            rows: dict[str, list[Any]] = {}
            for result, index in ((acts_region, 2), (by_region, 3)):
                for row in result:
                    if row.key["campaign"].code != code:
                        continue
                    region = row.key["region"]
                    cells = rows.setdefault(region.code, [region.code, region.label, 0, 0])
                    cells[index] = row.value or 0
            table.rows = [TableRow(c or "-", rows[c]) for c in sorted(rows)]
            section = CampaignSection(
                code=code,
                name=campaign.name,
                start=campaign.start_date,
                end=campaign.end_date,
                activities=int(acts.get(code, ("", 0))[1]),
                participants=int(parts.get(code, ("", 0))[1]),
                women=int(women.get(code, ("", 0))[1]),
                regions=table,
                sentence="",
            )
            section.sentence = narrative.campaign_sentence(section, self.lang)
            sections.append(section)
        return sections

    # -- results framework ----------------------------------------------------------

    def framework(self) -> list[Mandate]:
        previous = self.period.previous()
        targets = {
            t.indicator_id: t
            for t in Target.objects.filter(
                period=self.period.code, indicator__objective__isnull=False
            )
        }
        mandates: dict[int, Mandate] = {}
        objectives = {o.pk: o for o in Objective.objects.all()}
        lines = sorted(
            (i for i in self.indicators.values() if i.objective_id is not None),
            key=lambda i: (
                objectives[i.objective_id].order,
                objectives[i.objective_id].code,
                i.order,
                i.code,
            ),
        )
        # Without any activity in the previous period there is nothing to compare with:
        # its values are unknown (the change is "n/a"), not zero.
        had_data = bool(lines) and int(self.compute(ACTIVITIES, period=previous).total or 0) > 0
        for indicator in lines:
            objective = objectives[indicator.objective_id]
            now = self.compute(indicator.code)
            before = self.compute(indicator.code, period=previous) if had_data else None
            target = targets.get(indicator.pk)
            mandate = mandates.setdefault(
                objective.pk,
                Mandate(
                    objective.code, objective.name, localized(objective, "text", self.lang), []
                ),
            )
            mandate.lines.append(
                FrameworkLine(
                    code=indicator.code,
                    name=indicator.name,
                    rule=indicator.rule,
                    baseline=_plain(target.baseline)
                    if target and target.baseline is not None
                    else None,
                    target=_plain(target.target) if target and target.target is not None else None,
                    actual=now.total,
                    previous=before.total if before is not None else None,
                    ratio=indicator.rule == Indicator.Rule.RATIO,
                )
            )
        return list(mandates.values())

    # -- provenance -----------------------------------------------------------------

    def provenance_codes(self, results: list[Result], framework: list[Mandate]) -> list[str]:
        codes = {r.indicator.code for r in results} | {
            line.code for m in framework for line in m.lines
        }
        if ACTIVITIES in self.indicators:
            codes.add(ACTIVITIES)  # every activity of the report, for "what changed since"
        return sorted(codes)


# Breakdowns computed once each, in one GROUP BY, that the report's tables are summed from
# (their rules add up: contacts and activities): two scans of the year instead of sixteen
# (women and girls are read from the participants' breakdown by sex when the indicators
# say they are the same people; see _women_from_participants).
WIDE: dict[str, tuple[tuple[str, ...], ...]] = {
    PARTICIPANTS: (
        ("month", "region", "sex", "age_group", "audience", "activity_type", "campaign"),
    ),
    WOMEN: (("month", "region", "age_group", "audience"), ("activity_type", "campaign")),
    ACTIVITIES: (("month", "region", "activity_type", "campaign", "organiser"),),
}


def _filters(indicator: Indicator | None) -> tuple[tuple[int, ...], ...]:
    """What an indicator selects besides sex (prefetched: no query)."""
    if indicator is None:
        return tuple(() for _f in FILTER_FIELDS)
    return tuple(tuple(sorted(o.pk for o in getattr(indicator, f).all())) for f in FILTER_FIELDS)


@dataclass
class _Wide:
    """A wide breakdown as tuples of member codes and counts, to sum quickly over subsets of
    its dimensions (a year of a large register gives tens of thousands of rows)."""

    dims: tuple[str, ...]
    rows: list[tuple[tuple[str, ...], int]]
    members: dict[str, dict[str, Member]]
    total: Number | None
    cache: dict[tuple[str, ...], list[Row]] = field(default_factory=dict)

    @classmethod
    def of(cls, result: Result) -> "_Wide":
        members: dict[str, dict[str, Member]] = {d: {} for d in result.by}
        rows = []
        for row in result.rows:
            codes = []
            for d in result.by:
                member = row.key[d]
                members[d].setdefault(member.code, member)
                codes.append(member.code)
            rows.append((tuple(codes), int(row.value or 0)))  # counts: whole numbers
        return cls(result.by, rows, members, result.total)

    def rollup(self, dims: tuple[str, ...]) -> list[Row]:
        """The rows summed over the dimensions not in `dims`."""
        if dims not in self.cache:
            pick = itemgetter(*(self.dims.index(d) for d in dims))
            sums: dict[Any, int] = defaultdict(int)
            for codes, value in self.rows:
                sums[pick(codes)] += value
            rows = []
            for key in sorted(sums):
                parts = (key,) if len(dims) == 1 else key
                rows.append(
                    Row(
                        {d: self.members[d][c] for d, c in zip(dims, parts, strict=True)}, sums[key]
                    )
                )
            self.cache[dims] = rows
        return self.cache[dims]


def _age_order() -> dict[str, int]:
    from musow.activities.models import AgeGroup

    return {code: order for code, order in AgeGroup.objects.values_list("code", "order")}


def _pct(share: float | None) -> str:
    from musow.lib.i18n import percent

    return percent(share)


def _attribution() -> str:
    from musow.geo.models import Gazetteer

    gz = Gazetteer.objects.filter(code=SHIPPED_GAZETTEER).first()
    return f"{gz.attribution}, {gz.licence}" if gz else ""


def _chart_data(report: Report) -> dict[str, Any]:
    """What the charts draw, taken from the tables (the same numbers as the tables)."""
    data: dict[str, Any] = {}
    month = report.table("by_month")
    if month:
        data["months"] = [(r.cells[1], r.cells[2]) for r in month.rows]
    region = report.table("by_region")
    if region:
        data["regions"] = [(r.cells[1], r.cells[3]) for r in region.rows]
        data["map"] = {r.cells[0]: r.cells[3] for r in region.rows if r.cells[0]}
        data["outside"] = sorted(regions_outside(report._annex_scope.regions))
    age_sex = report.table("reach_by_age_sex")
    if age_sex:
        data["age_sex"] = [(r.cells[1], r.cells[2:5]) for r in age_sex.rows]
        data["sexes"] = [c.label for c in age_sex.columns[2:5]]
    return data


# --- annex --------------------------------------------------------------------------------


def annex_columns(lang: str) -> list[Column]:
    with translation.override(lang):
        return [
            Column("id", _("no."), "#activity+id", "code"),
            Column("date", _("date"), "#date+start", "code"),
            Column("title", _("activity"), "#activity+name"),
            Column("type", _("type"), "#activity+type"),
            Column("pcode", _("P-code"), "#adm1+code", "code"),
            Column("place", _("place"), "#loc+name"),
            Column("campaign", _("campaign"), "#event+name"),
            Column("participants", _("participants"), "#reached+num", "number"),
            Column("source", _("source"), "#meta+source"),
            Column("origin", _("origin"), "#meta+origin"),
        ]


def loaded_from(source: str) -> str:
    """The origin of an activity that a command loaded without saying more."""
    if source == "demo":
        return _("loaded with the demonstration data")
    return _("loaded from %(source)s") % {"source": source} if source else ""


def annex_rows(
    period: Period, scope: Scope, lang: str, *, limit: int | None = None
) -> Iterator[dict[str, Any]]:
    indicator = Indicator.objects.filter(code=ACTIVITIES).first()
    if indicator is None:
        raise ReportError(missing_indicator(ACTIVITIES))
    ids = provenance(indicator, period, scope)
    qs = (
        Activity.objects.filter(id__in=ids.values("id"))
        .order_by("start_date", "id")
        .annotate(
            # a correlated sum, not a GROUP BY over the year: the first rows stream at once
            participants=Subquery(
                Participation.objects.filter(activity_id=OuterRef("pk"))
                .values("activity_id")
                .annotate(n=Sum("count"))
                .values("n")[:1]
            ),
        )
        .values(
            "id",
            "start_date",
            "title",
            f"activity_type__name_{lang}",
            "place__name_fr",
            "place__name_en",
            "place__region__pcode",
            f"campaign__name_{lang}",
            "participants",
            "source",
            "source_key",
            "origin",
            "created_by__username",
        )
    )
    # A whole annex streams through a cursor; a first page is one plain query (PostgreSQL
    # plans a LIMIT in a cursor as if every row were read: 4.5 s instead of a few ms).
    rows = qs.iterator(chunk_size=2000) if limit is None else qs[:limit]
    with translation.override(lang):
        entered_by = _("entered by %(user)s")
        for a in rows:
            origin = a["origin"] or (
                entered_by % {"user": a["created_by__username"]}
                if a["created_by__username"]
                else loaded_from(a["source"])
            )
            source = f"{a['source']} · {a['source_key']}" if a["source_key"] else a["source"]
            yield {
                "id": a["id"],
                "date": a["start_date"].isoformat(),
                "title": a["title"],
                "type": a[f"activity_type__name_{lang}"],
                "pcode": a["place__region__pcode"] or "",
                "place": a[f"place__name_{lang}"] or a["place__name_fr"],
                "campaign": a[f"campaign__name_{lang}"] or "",
                "participants": a["participants"] or 0,
                "source": source,
                "origin": origin,
            }
