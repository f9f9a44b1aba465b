"""The mainstreaming counting rules go through the one engine and agree with a plain
Python count of random registers (hypothesis), on SQLite and PostgreSQL: reviews by
document kind × marker, the share of reports to the Security Council with a gender
analysis, recommendations accepted / implemented / overdue at the period's end, and the
budget share coded 2 or 3 by year and section."""

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from musow.activities.models import Project
from musow.geo.models import Place
from musow.indicators.engine import EngineError, Scope, compute
from musow.indicators.periods import Period
from musow.mainstreaming.models import (
    ChecklistItem,
    DocumentKind,
    ProjectBudget,
    ProjectMarker,
    Recommendation,
    Review,
    ReviewAnswer,
    Section,
)
from tests.mainstreaming_helpers import make_project_marker, make_recommendation, make_review
from tests.mainstreaming_helpers import reviewer as the_reviewer

pytestmark = pytest.mark.django_db

KINDS = ["sc-report", "policy", "sop"]
SECTIONS = ["political", "cvr", "police"]
REGIONS = [None, "ML07", "ML09"]
CODES = {"0": 0, "1": 1, "2a": 2, "2b": 2, "2": 2, "3": 3}
START = date(2014, 1, 1)
PERIODS = ["2014", "2014-Q2", "2015", "2014-11"]
FEW = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

review_spec = st.fixed_dictionaries(
    {
        "day": st.integers(0, 700),
        "kind": st.sampled_from(KINDS),
        "code": st.sampled_from(sorted(CODES)),
        "section": st.sampled_from(SECTIONS),
        "region": st.sampled_from(REGIONS),
        "analysis": st.sampled_from([None, "yes", "partly", "no"]),
        # recommendations: (days after the review, days to due, follow-up)
        "recommendations": st.lists(
            st.tuples(
                st.integers(0, 60),
                st.integers(0, 200),
                st.sampled_from(["open", "accepted", "implemented", "not_accepted"]),
                st.integers(0, 200),
                st.integers(0, 200),
            ),
            max_size=3,
        ),
    }
)


def _load(specs):
    """The register, written directly (the rules are under test, not the services)."""
    user = the_reviewer()
    kinds = {k.code: k for k in DocumentKind.objects.all()}
    sections = {s.code: s for s in Section.objects.all()}
    regions = {p.pcode: p for p in Place.objects.filter(pcode__in=["ML07", "ML09"])}
    analysis = ChecklistItem.objects.get(code="gender-analysis")
    recs = []
    for spec in specs:
        review = Review.objects.create(
            kind=kinds[spec["kind"]],
            title="R",
            section=sections[spec["section"]],
            reviewer=user,
            reviewed_on=START + timedelta(days=spec["day"]),
            region=regions.get(spec["region"] or ""),
            marker=CODES[spec["code"]],
            marker_code=spec["code"],
            justification="J",
        )
        if spec["analysis"]:
            ReviewAnswer.objects.create(review=review, item=analysis, answer=spec["analysis"])
        for after, due, status, step1, step2 in spec["recommendations"]:
            made = review.reviewed_on + timedelta(days=after)
            fields = {"status": status}
            if status in ("accepted", "implemented"):
                fields["accepted_on"] = made + timedelta(days=step1)
            if status == "implemented":
                fields["implemented_on"] = fields["accepted_on"] + timedelta(days=step2)
            if status == "not_accepted":
                fields["not_accepted_on"] = made + timedelta(days=step1)
            recs.append(
                Recommendation(
                    review=review,
                    text="T",
                    section=sections[spec["section"]],
                    made_on=made,
                    due_date=made + timedelta(days=due),
                    **fields,
                )
            )
    Recommendation.objects.bulk_create(recs)


def _reviewed_in(spec, period: Period) -> bool:
    return period.start <= START + timedelta(days=spec["day"]) <= period.end


def _recommendations(specs):
    for spec in specs:
        reviewed = START + timedelta(days=spec["day"])
        for after, due, status, step1, step2 in spec["recommendations"]:
            made = reviewed + timedelta(days=after)
            accepted = (
                made + timedelta(days=step1) if status in ("accepted", "implemented") else None
            )
            implemented = accepted + timedelta(days=step2) if status == "implemented" else None
            declined = made + timedelta(days=step1) if status == "not_accepted" else None
            yield spec, made, made + timedelta(days=due), accepted, implemented, declined


@FEW
@given(st.lists(review_spec, max_size=8), st.sampled_from(PERIODS), st.sampled_from(REGIONS))
def test_reviews_by_kind_and_marker_match_a_plain_count(specs, period_code, region):
    period = Period.parse(period_code)
    with transaction.atomic():
        _load(specs)
        scope = Scope()
        if region:
            scope = Scope(regions=(Place.objects.get(pcode=region).pk,))
        expected = Counter(
            (s["kind"], str(CODES[s["code"]]))
            for s in specs
            if _reviewed_in(s, period) and (region is None or s["region"] == region)
        )
        result = compute("gem-documents-reviewed", period, scope, by=["document_kind", "marker"])
        got = {(r.key["document_kind"].code, r.key["marker"].code): r.value for r in result.rows}
        assert got == dict(expected)
        assert result.total == sum(expected.values())
        assert compute("gem-documents-reviewed", period, scope).total == result.total
        transaction.set_rollback(True)


@FEW
@given(st.lists(review_spec, max_size=8), st.sampled_from(PERIODS))
def test_the_share_of_security_council_reports_with_a_gender_analysis(specs, period_code):
    period = Period.parse(period_code)
    with transaction.atomic():
        _load(specs)
        reports = [s for s in specs if s["kind"] == "sc-report" and _reviewed_in(s, period)]
        analysed = [s for s in reports if s["analysis"] == "yes"]
        result = compute("gem-sc-reports-analysis-share", period)
        assert result.total == (len(analysed) / len(reports) if reports else None)
        by_year = compute("gem-sc-reports-analysis-share", period, by=["year"])
        for row in by_year.rows:
            year = int(row.key["year"].code)
            n = [s for s in reports if (START + timedelta(days=s["day"])).year == year]
            a = [s for s in n if s["analysis"] == "yes"]
            assert row.value == len(a) / len(n)
        transaction.set_rollback(True)


@FEW
@given(st.lists(review_spec, max_size=8), st.sampled_from(PERIODS))
def test_recommendations_accepted_implemented_and_overdue_at_the_period_end(specs, period_code):
    period = Period.parse(period_code)
    end = period.end
    with transaction.atomic():
        _load(specs)
        expected: dict[str, Counter] = {
            "made": Counter(),
            "accepted": Counter(),
            "implemented": Counter(),
            "overdue": Counter(),
        }
        for spec, made, due, accepted, implemented, declined in _recommendations(specs):
            if made > end:
                continue
            section = spec["section"]
            expected["made"][section] += 1
            if accepted and accepted <= end:
                expected["accepted"][section] += 1
            if implemented and implemented <= end:
                expected["implemented"][section] += 1
            still_open = not (implemented and implemented <= end) and not (
                declined and declined <= end
            )
            if due < end and still_open:
                expected["overdue"][section] += 1
        for name, counter in expected.items():
            result = compute(f"gem-recommendations-{name}", period, by=["section"])
            assert {r.key["section"].code: r.value for r in result.rows} == dict(counter), name
            assert result.total == sum(counter.values())
        transaction.set_rollback(True)


budget_spec = st.fixed_dictionaries(
    {
        "code": st.sampled_from(sorted(CODES)),
        "section": st.sampled_from(SECTIONS),
        "budgets": st.dictionaries(
            st.integers(2013, 2016),
            st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
            max_size=3,
        ),
    }
)


@FEW
@given(st.lists(budget_spec, max_size=6), st.sampled_from(["2014", "2014..2015", "2014-Q3"]))
def test_the_budget_share_coded_2_or_3_by_year_and_section(specs, period_code):
    period = Period.parse("2014-01-01..2015-12-31" if period_code == "2014..2015" else period_code)
    years = range(period.start.year, period.end.year + 1)
    with transaction.atomic():
        sections = {s.code: s for s in Section.objects.all()}
        for i, spec in enumerate(specs):
            project = Project.objects.create(code=f"p{i}", name_fr="P", name_en="P")
            pm = ProjectMarker.objects.create(
                project=project,
                marker=CODES[spec["code"]],
                marker_code=spec["code"],
                section=sections[spec["section"]],
            )
            ProjectBudget.objects.bulk_create(
                ProjectBudget(project_marker=pm, year=y, amount=a)
                for y, a in spec["budgets"].items()
            )
        everything: Counter = Counter()
        significant: Counter = Counter()
        for spec in specs:
            for year, amount in spec["budgets"].items():
                if year in years:
                    everything[(str(year), spec["section"])] += amount
                    if CODES[spec["code"]] >= 2:
                        significant[(str(year), spec["section"])] += amount
        result = compute("gem-budget-share-significant", period, by=["year", "section"])
        got = {(r.key["year"].code, r.key["section"].code): r.value for r in result.rows}
        want = {
            key: float(significant[key]) / float(total)
            for key, total in everything.items()
            if key in significant and total
        }
        assert {k: v for k, v in got.items() if v is not None} == pytest.approx(want)
        total = sum(everything.values(), Decimal(0))
        share = compute("gem-budget-share-significant", period).total
        expected_share = (
            float(sum(significant.values(), Decimal(0))) / float(total) if total else None
        )
        assert share == pytest.approx(expected_share)
        transaction.set_rollback(True)


def test_a_figure_names_its_rule_and_labels_in_the_users_language():
    from django.utils import translation

    review = make_review(region="ML07")
    make_recommendation(review)
    with translation.override("en"):
        result = compute("gem-documents-reviewed", "2014", by=["document_kind", "marker", "region"])
    (row,) = result.rows
    assert row.key["document_kind"].label == "Report to the Security Council"
    assert row.key["marker"].label.startswith("2 – significant")
    assert row.key["region"].code == "ML07"
    assert "gender mainstreaming" in result.computed_by[0].where
    assert "mainstreaming_review" in result.computed_by[0].sql()[0]


def test_budgets_have_no_region_nor_quarter():
    make_project_marker("cvr", "3", {2014: 100})
    with pytest.raises(EngineError):
        compute("gem-project-budget", "2014", by=["quarter"])
    assert compute("gem-project-budget", "2014", Scope(regions=(1,))).total == 0
    assert compute("gem-project-budget", "2014").total == 100


def test_the_report_has_a_gender_mainstreaming_section_in_every_format():
    import io
    import json

    from musow.reports.builder import build_report
    from musow.reports.renderers import render
    from musow.reports.types import ReportScope
    from tests.factories import make_activity

    make_activity()  # a report with no activity shows no section
    review = make_review(marker_code="2b", answers={"gender-analysis": "yes"})
    make_review(kind="policy", marker_code="0", answers={})
    make_recommendation(review)
    make_project_marker("cvr", "3", {2014: 300}, section="cvr")
    make_project_marker("qip", "1", {2014: 100}, section="civil-affairs")
    from musow.indicators.periods import Period

    report = build_report(period=Period.parse("2014"), scope=ReportScope.everything(), lang="fr")
    by_marker = report.table("gem_reviews_by_marker")
    assert by_marker is not None
    assert by_marker.figures()["2"]["reviews"] == 1 and by_marker.figures()["0"]["reviews"] == 1
    recommendations = report.table("gem_recommendations")
    assert recommendations is not None
    assert recommendations.figures()["overdue"]["recommendations"] == 1
    budget = report.table("gem_budget_by_marker")
    assert budget is not None and budget.figures()["3"]["share"] == 0.75
    assert "75,0" in budget.note
    html = io.BytesIO()
    render(report, "html", html)
    assert "Intégration du genre" in html.getvalue().decode()
    out = io.BytesIO()
    render(report, "json", out)
    keys = {t["key"] for t in json.loads(out.getvalue())["tables"]}
    assert {"gem_reviews_by_kind", "gem_recommendations"} <= keys


def test_a_report_without_reviews_has_no_mainstreaming_section():
    from musow.indicators.periods import Period
    from musow.reports.builder import build_report
    from musow.reports.types import ReportScope

    report = build_report(period=Period.parse("2014"), scope=ReportScope.everything(), lang="en")
    assert report.table("gem_reviews_by_marker") is None
