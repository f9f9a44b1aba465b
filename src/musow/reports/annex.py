"""The report's annex: every activity behind its figures, streamed from the register (a
year of a large register is never held in memory), with where each came from."""

from collections.abc import Iterator
from typing import Any

from django.db.models import OuterRef, Subquery, Sum
from django.utils import translation
from django.utils.translation import gettext as _

from musow.activities.models import Activity, Participation
from musow.indicators.engine import Scope, provenance
from musow.indicators.models import Indicator
from musow.indicators.periods import Period


def loaded_from(source: str) -> str:
    """The origin of an activity that a command loaded without saying more."""
    if source == "demo":
        return _("loaded with the demonstration data")
    return _("loaded from %(source)s") % {"source": source} if source else ""


def annex_rows(
    activities: Indicator, period: Period, scope: Scope, lang: str, *, limit: int | None = None
) -> Iterator[dict[str, Any]]:
    """The activities counted by the indicator `activities` in the period and scope, in
    the order they started."""
    ids = provenance(activities, period, scope)
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
