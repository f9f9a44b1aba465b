"""The unit's periodic report as one data structure, built once, rendered to every format.

    report = build_report(period=Period.parse("2014"), scope=ReportScope.everything(), lang="fr")

Every figure comes from the counting engine (`musow.indicators.engine.compute`, one
GROUP BY query each); nothing is counted in Python. Where things are: the report's types
in `types.py`, its scope in `scope.py`, the figures it is built from in `breakdowns.py`,
its sections (tables, campaigns, results framework) in `sections.py`, its annex in
`annex.py`; this module assembles them.
"""

from typing import Any

from django.utils import timezone, translation

from musow.analytics.cache import remember
from musow.geo.models import Gazetteer
from musow.geo.services import SHIPPED_GAZETTEER
from musow.geo.shapes import regions_outside
from musow.indicators.codes import ACTIVITIES, MEDIA, PARTICIPANTS, WOMEN
from musow.indicators.engine import Result, Scope, headline
from musow.indicators.periods import Period
from musow.indicators.text import headline_sentence
from musow.protection.report import report_tables
from musow.reports import narrative
from musow.reports.scope import scope_parse
from musow.reports.sections import Sections
from musow.reports.trainings import trainings_tables
from musow.reports.types import (
    ANNEX_PRINT_LIMIT,
    CampaignSection,
    Column,
    FrameworkLine,
    Headline,
    Mandate,
    Report,
    ReportError,
    ReportScope,
    Table,
    TableRow,
)

# The report's types used to live here: callers (and reports cached before they moved, which
# name their classes by this module) may still find them here.
__all__ = [
    "ANNEX_PRINT_LIMIT",
    "CampaignSection",
    "Column",
    "FrameworkLine",
    "Headline",
    "Mandate",
    "Report",
    "ReportError",
    "ReportScope",
    "Table",
    "TableRow",
    "build_report",
    "scope_parse",
]

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
    return report_tables(period, scope)


class _Builder(Sections):
    """Assembles the report from its sections (`sections.py`), each figure computed once
    (`breakdowns.py`)."""

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
            *self.participation(),
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

    # -- provenance -----------------------------------------------------------------

    def provenance_codes(self, results: list[Result], framework: list[Mandate]) -> list[str]:
        codes = {r.indicator.code for r in results} | {
            line.code for m in framework for line in m.lines
        }
        if ACTIVITIES in self.indicators:
            codes.add(ACTIVITIES)  # every activity of the report, for "what changed since"
        return sorted(codes)


def _attribution() -> str:
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
