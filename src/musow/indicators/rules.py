"""Counting rules the programme modules add to the one engine.

The engine's own rules (contacts, unique persons, activities, media reach, ratio) count
the register's activities (`engine.RULES`). A programme module — women at the table,
trainings, mainstreaming reviews, the SGBV programme — records other things (seats,
test scores, markers, aggregate statistics). It registers each of its counting rules
here from its `AppConfig.ready()`:

    rule_register(ProgrammeRule(
        code="seats",
        label=_("seats held (decision-making bodies)"),
        dimensions=(("body", _("body")), ("role", _("role")), ("sex", _("sex"))),
        aggregate=seats_aggregate,        # (indicator, period, scope, by, provisional) -> Aggregate
        members=seats_members,            # (dimension, values) -> {value: Member}
        provenance=seats_provenance,      # optional: (indicator, period, scope, provisional)
    ))                                    #   -> the records behind a figure (compositions)

Then an `Indicator(rule="seats")` is computed by `engine.compute()` like any other: the
headline, the dashboard, reports, the API and `musow figures --explain` read it, ratios
combine it (share of women = seats of women / all seats), and its allowed breakdowns are
year, quarter, month, region and the rule's own dimensions. `aggregate` must group in
the database (one GROUP BY) and return the SQL it ran in its `Computation`. A rule whose
records are not activities may supply `provenance`: `engine.records()` (and `musow
figures --provenance`) then list them; `engine.provenance()` stays the activities.
"""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from musow.indicators.results import Aggregate, Member

# The dimensions every rule is broken down by (the period's parts and the region).
COMMON_DIMENSIONS: tuple[tuple[str, Promise], ...] = (
    ("year", _("year")),
    ("quarter", _("quarter")),
    ("month", _("month")),
    ("region", _("region")),
)


@dataclass(frozen=True)
class ProgrammeRule:
    code: str
    label: Promise | str
    dimensions: tuple[tuple[str, Promise | str], ...]  # beyond COMMON_DIMENSIONS
    aggregate: Callable[..., "Aggregate"]
    members: Callable[[str, set[Any]], dict[Any, "Member"]] | None = None
    additive: bool = True  # whether a total is the sum of its breakdown
    # The records behind a figure, when they are not activities (compositions, sittings…):
    # (indicator, period, scope, provisional) -> a queryset of the module's records.
    provenance: Callable[..., "QuerySet[Any]"] | None = None


_REGISTERED: dict[str, ProgrammeRule] = {}


def rule_register(rule: ProgrammeRule) -> None:
    """Add a programme's counting rule (idempotent: ready() may run twice in tests)."""
    known = _REGISTERED.get(rule.code)
    if known is not None and known.aggregate is not rule.aggregate:
        raise ValueError(f"Counting rule {rule.code!r} is registered twice.")
    _REGISTERED[rule.code] = rule


# Within one ratio's computation (women's share of seats = seats of women / all seats), a
# programme rule may answer both terms from one query: it groups by sex once and each term
# keeps its sexes. The answers live only as long as that computation (never stale).
_shared: ContextVar[dict[Hashable, Any] | None] = ContextVar("musow_rule_shared", default=None)


@contextmanager
def shared_answers() -> Iterator[None]:
    """Let the terms of one computation share their programme queries (see `shared`)."""
    token = _shared.set({} if _shared.get() is None else _shared.get())
    try:
        yield
    finally:
        _shared.reset(token)


def shared(key: Hashable, answer: Callable[[], Any]) -> Any:
    """`answer()`, run once per `key` within `shared_answers()` (every time outside it)."""
    answers = _shared.get()
    if answers is None:
        return answer()
    if key not in answers:
        answers[key] = answer()
    return answers[key]


def programme_rule(code: str) -> ProgrammeRule | None:
    return _REGISTERED.get(code)


def rule_choices() -> list[tuple[str, Any]]:
    """Every counting rule an indicator may use: the engine's, then the programmes'."""
    from musow.indicators.models import Indicator

    return [*Indicator.Rule.choices, *((r.code, r.label) for r in _REGISTERED.values())]


def dimension_choices() -> list[tuple[str, Any]]:
    """Every dimension an indicator may allow (the engine's, then the programmes')."""
    from musow.indicators.models import DIMENSION_CHOICES

    seen = {code for code, _label in DIMENSION_CHOICES}
    extra: list[tuple[str, Any]] = []
    for rule in _REGISTERED.values():
        for code, label in rule.dimensions:
            if code not in seen:
                seen.add(code)
                extra.append((code, label))
    return [*DIMENSION_CHOICES, *extra]
