"""A programme module's counting rule goes through the one engine like the engine's own:
breakdowns checked, labels from the module, ratios of its figures, indicators validated."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count

from musow.activities.models import Activity
from musow.indicators import rules
from musow.indicators.engine import (
    Aggregate,
    Computation,
    EngineError,
    Member,
    Scope,
    compute,
    dimensions_for,
)
from musow.indicators.models import Indicator
from musow.indicators.periods import Period
from tests.factories import make_activity

pytestmark = pytest.mark.django_db


def _aggregate(
    indicator: Indicator, period: Period, scope: Scope, by: tuple[str, ...], provisional: bool
) -> Aggregate:
    """A stand-in programme: activities counted by their type's code, in the database."""
    qs = Activity.objects.filter(
        status=Activity.Status.VALIDATED, start_date__range=(period.start, period.end)
    )
    if scope.regions:
        qs = qs.filter(place__region_id__in=scope.regions)
    columns = {"kind": "activity_type__code"}
    if not by:
        return Aggregate([], qs.count(), Computation("test programme", lambda: []))
    grouped = qs.values(*(columns[d] for d in by)).annotate(n=Count("id")).order_by()
    raw = [(tuple(r[columns[d]] for d in by), r["n"]) for r in grouped]
    return Aggregate(raw, sum(v for _k, v in raw), Computation("test programme", lambda: []))


def _members(dim: str, values: set[Any]) -> dict[Any, Member]:
    return {v: Member(v, f"kind {v}") for v in values if v is not None}


@pytest.fixture
def programme(monkeypatch):
    monkeypatch.setattr(rules, "_REGISTERED", {})
    rules.rule_register(
        rules.ProgrammeRule(
            code="kinds",
            label="activities by kind",
            dimensions=(("kind", "kind"),),
            aggregate=_aggregate,
            members=_members,
        )
    )


def _indicator(code: str, **fields: Any) -> Indicator:
    fields.setdefault("rule", "kinds")
    fields.setdefault("disaggregations", ["kind", "year"])
    indicator = Indicator(code=code, name_fr=code, name_en=code, **fields)
    indicator.full_clean()
    indicator.save()
    return indicator


def test_it_computes_a_registered_rule_with_its_own_labels(programme):
    make_activity(type="conference")
    make_activity(type="conference", title="Deuxième")
    make_activity(type="workshop", title="Atelier")
    result = compute(_indicator("by-kind"), "2014", by=["kind"])
    assert result.total == 3
    assert {(r.key["kind"].label, r.value) for r in result.rows} == {
        ("kind conference", 2),
        ("kind workshop", 1),
    }
    assert [c.where for c in result.computed_by] == ["test programme"]
    assert not result.activities().exists()  # its records are not activities


def test_it_refuses_a_breakdown_the_rule_does_not_know(programme):
    indicator = _indicator("by-kind", disaggregations=["kind", "theme"])
    assert "theme" not in dimensions_for("kinds")
    with pytest.raises(EngineError):
        compute(indicator, "2014", by=["theme"])


def test_a_ratio_of_programme_figures_breaks_down_by_their_dimensions(programme):
    make_activity(type="conference")
    make_activity(type="workshop", title="Atelier")
    everything = _indicator("all-kinds")
    ratio = _indicator(
        "share",
        rule="ratio",
        numerator=everything,
        denominator=everything,
        disaggregations=["kind"],
    )
    result = compute(ratio, "2014", by=["kind"])
    assert result.total == 1.0
    assert {r.key["kind"].code: r.value for r in result.rows} == {
        "conference": 1.0,
        "workshop": 1.0,
    }


def test_it_refuses_an_indicator_with_an_unknown_rule_or_dimension(programme):
    with pytest.raises(ValidationError) as error:
        _indicator("nonsense", rule="seats-of-the-moon", disaggregations=["moon"])
    assert set(error.value.message_dict) == {"rule", "disaggregations"}


def test_the_admin_offers_the_registered_rules_and_dimensions(programme):
    from musow.indicators.admin import IndicatorAdminForm

    form = IndicatorAdminForm()
    assert ("kinds", "activities by kind") in list(form.fields["rule"].choices)
    assert ("kind", "kind") in list(form.fields["disaggregations"].choices)
