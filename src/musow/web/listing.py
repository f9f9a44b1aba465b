"""The activity list's query: filters, search and keyset pagination.

Pages are cut by (start_date, id), newest first, with a cursor in the URL
(`after=2014-11-26.812`): each page reads its own rows from the start-date index
and nothing else, so page 1 000 costs what page 1 costs, and no page counts the
whole table.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from musow.accounts import scopes
from musow.activities.models import Activity, Participation
from musow.indicators.engine import provenance
from musow.web import search

PER_PAGE = 25
# The list says how many activities match up to this many ("more than 1 000" beyond): a
# count that stops there costs the same on a register of any size.
COUNT_CAP = 1000
_CURSOR = re.compile(r"^(\d{4}-\d{2}-\d{2})\.(\d{1,19})$")


def activities_matching(user: Any, filters: dict[str, Any]) -> QuerySet[Activity]:
    """The user's activities (their scope), narrowed by the list's cleaned filters."""
    status = filters.get("status") or ""
    qs = scopes.activities_for(user, include_deleted=status == Activity.Status.DELETED)
    if status:
        qs = qs.filter(status=status)
    period = filters.get("period")
    if period is not None:
        qs = qs.filter(start_date__gte=period.start, start_date__lte=period.end)
    simple = {
        "region": "place__region__pcode",
        "type": "activity_type__code",
        "campaign": "campaign__code",
        "project": "project__code",
        "organiser": "organiser__code",
    }
    for name, lookup in simple.items():
        if filters.get(name):
            qs = qs.filter(**{lookup: filters[name]})
    if filters.get("theme"):
        qs = qs.filter(
            Exists(
                Activity.themes.through.objects.filter(
                    activity_id=OuterRef("pk"), theme__code=filters["theme"]
                )
            )
        )
    if text := (filters.get("q") or "").strip():
        qs = search.matching(qs, text)
    indicator = filters.get("indicator")
    if indicator is not None and period is not None:
        behind = provenance(
            indicator,
            period,
            scopes.figure_scope(user),
            provisional=bool(filters.get("provisional")),
        )
        qs = qs.filter(pk__in=behind.values("pk"))
    return qs


@dataclass
class KeysetPage:
    activities: list[Activity]
    next_cursor: str | None
    previous_cursor: str | None
    is_first: bool
    matching: int = 0  # how many activities match, up to COUNT_CAP + 1


def matching_count(qs: QuerySet[Activity], cap: int = COUNT_CAP) -> int:
    """How many activities `qs` holds, counted up to `cap + 1` and no further (a COUNT of
    a subquery with a LIMIT: the whole table is never counted)."""
    return qs.order_by().values("pk")[: cap + 1].count()


def with_participants(activities: list[Activity]) -> list[Activity]:
    """The page's activities, each with `participants`: the sum of its participation
    (one query for the page)."""
    totals = dict(
        Participation.objects.filter(activity_id__in=[a.pk for a in activities])
        .values("activity_id")
        .annotate(total=Sum("count"))
        .values_list("activity_id", "total")
    )
    for activity in activities:
        activity.participants = totals.get(activity.pk, 0)  # type: ignore[attr-defined]
    return activities


def cursor_of(activity: Activity) -> str:
    return f"{activity.start_date.isoformat()}.{activity.pk}"


def _parse(cursor: str | None) -> tuple[date, int] | None:
    m = _CURSOR.match(cursor or "")
    if not m:
        return None
    try:
        return date.fromisoformat(m[1]), int(m[2])
    except ValueError:
        return None


def keyset_page(
    qs: QuerySet[Activity],
    *,
    after: str | None = None,
    before: str | None = None,
    per_page: int = PER_PAGE,
) -> KeysetPage:
    """One page, newest first: the rows after the cursor `after` (next pages), or the
    rows just before `before` (going back). An unreadable cursor means the first page."""
    # Not the places' boundaries: a list has no use for their GeoJSON, and it is large.
    qs = qs.select_related("activity_type", "place", "place__region", "organiser").defer(
        "place__boundary", "place__region__boundary"
    )
    key = _parse(before)
    if key is not None:
        d, pk = key
        rows = list(
            qs.filter(Q(start_date__gt=d) | Q(start_date=d, pk__gt=pk)).order_by(
                "start_date", "id"
            )[: per_page + 1]
        )
        has_newer = len(rows) > per_page
        rows = rows[:per_page][::-1]
        return KeysetPage(
            rows,
            next_cursor=cursor_of(rows[-1]) if rows else None,
            previous_cursor=cursor_of(rows[0]) if rows and has_newer else None,
            is_first=not has_newer,
        )
    key = _parse(after)
    if key is not None:
        d, pk = key
        qs = qs.filter(Q(start_date__lt=d) | Q(start_date=d, pk__lt=pk))
    rows = list(qs.order_by("-start_date", "-id")[: per_page + 1])
    has_older = len(rows) > per_page
    rows = rows[:per_page]
    return KeysetPage(
        rows,
        next_cursor=cursor_of(rows[-1]) if rows and has_older else None,
        previous_cursor=cursor_of(rows[0]) if rows and key is not None else None,
        is_first=key is None,
    )
