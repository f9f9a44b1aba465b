"""The report as data: its scope, its parts (tables, headline, results framework, campaigns)
and the report itself, built once by `builder.build_report` and rendered to every format.

Tables hold raw numbers (the renderers format them in the report's language) and a stable
code per row, so that `Report.figures()` — the figures without any language — can be
compared between two issues of the same report. The annex (every contributing activity)
is a lazy query (`annex.annex_rows`): renderers stream it, so a year of a large register
is never held in memory.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from musow.indicators.codes import ACTIVITIES
from musow.indicators.engine import EVERYTHING, FILTER_FIELDS, Scope, provenance
from musow.indicators.models import Indicator
from musow.indicators.periods import Period
from musow.reports.annex import annex_rows

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
            row.code: {self.columns[i].key: plain(row.cells[i]) for i in numeric} for row in rows
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
        indicator = Indicator.objects.filter(code=ACTIVITIES).first()
        if indicator is None:
            raise ReportError(missing_indicator(ACTIVITIES))
        yield from annex_rows(indicator, self.period, self._annex_scope, self.lang, limit=limit)

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
            "headline": {h.code: plain(h.value) for h in self.headline},
            "framework": {
                line.code: {
                    "baseline": plain(line.baseline),
                    "target": plain(line.target),
                    "actual": plain(line.actual),
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
            "totals": {k: plain(v) for k, v in self.totals.items()},
            "annex_count": self.annex_count,
        }


def plain(value: Any) -> Any:
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
