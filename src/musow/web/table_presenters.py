"""What the pages of women at the table show: the share of women in each body's latest
validated composition, a composition's grid, and a body's timeline drawn on the server
(an SVG of the share of women at each validated composition, with the 30 % line of
Law No. 2015-052)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import OuterRef, Subquery, Sum

from musow.accounts import scopes
from musow.representation.models import Composition, Seat, Sitting, Status

THRESHOLD = 0.30  # Law No. 2015-052, art. 1: at least 30 % of either sex


@dataclass
class Share:
    women: int
    total: int

    @property
    def men(self) -> int:
        return self.total - self.women

    @property
    def share(self) -> float | None:
        return self.women / self.total if self.total else None

    @property
    def below_threshold(self) -> bool:
        share = self.share
        return share is not None and min(share, 1 - share) < THRESHOLD


def _shares(composition_ids: list[int]) -> dict[int, Share]:
    out = {pk: Share(0, 0) for pk in composition_ids}
    rows = (
        Seat.objects.filter(composition_id__in=composition_ids)
        .values("composition_id", "sex")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for row in rows:
        share = out[row["composition_id"]]
        share.total += row["n"] or 0
        if row["sex"] == "f":
            share.women += row["n"] or 0
    return out


def body_rows(user: Any) -> list[dict[str, Any]]:
    """Each body the user sees, with its latest validated composition's share of women."""
    latest = (
        Composition.objects.filter(body=OuterRef("pk"), status=Status.VALIDATED)
        .order_by("-as_of", "-pk")
        .values("pk")[:1]
    )
    bodies = list(
        scopes.bodies_for(user)
        .select_related("place")
        .defer("place__boundary")
        .annotate(latest_id=Subquery(latest))
        .order_by("kind", "code")
    )
    shares = _shares([b.latest_id for b in bodies if b.latest_id])
    latest_dates = dict(Composition.objects.filter(pk__in=list(shares)).values_list("pk", "as_of"))
    return [
        {
            "body": b,
            "as_of": latest_dates.get(b.latest_id),
            "share": shares.get(b.latest_id),
        }
        for b in bodies
    ]


def composition_grid(composition: Composition) -> dict[str, Any]:
    return _grid(composition.seats.select_related("role").order_by("role__order", "role__code"))


def attendance_grid(sitting: Sitting) -> dict[str, Any]:
    """A sitting's attendance by role and sex, with each role's share of women."""
    return _grid(sitting.presences.select_related("role").order_by("role__order", "role__code"))


def _grid(cells_of: Any) -> dict[str, Any]:
    cells: dict[Any, dict[str, int]] = {}
    for cell in cells_of:
        cells.setdefault(cell.role, {"f": 0, "m": 0})[cell.sex] += cell.count
    lines = [{"role": role, "share": Share(c["f"], c["f"] + c["m"])} for role, c in cells.items()]
    women = sum(line["share"].women for line in lines)
    total = sum(line["share"].total for line in lines)
    return {"lines": lines, "total": Share(women, total)}


WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 240, 48, 36, 14, 28


def timeline(compositions: list[Composition]) -> dict[str, Any] | None:
    """Points (date, share of women) of the validated compositions, in SVG coordinates."""
    validated = sorted(
        (c for c in compositions if c.status == Status.VALIDATED), key=lambda c: (c.as_of, c.pk)
    )
    if not validated:
        return None
    shares = _shares([c.pk for c in validated])
    first, last = validated[0].as_of.toordinal(), validated[-1].as_of.toordinal()
    span = max(last - first, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        if first == last:
            return LEFT + plot_w / 2
        return round(LEFT + plot_w * (day.toordinal() - first) / span, 1)

    def y(share: float) -> float:
        return round(TOP + plot_h * (1 - share), 1)

    def at(value: float) -> str:
        return f"{value:.1f}"  # SVG coordinates: never localised ("212,0" is not a number)

    points = []
    for c in validated:
        share = shares[c.pk].share
        if share is None:
            continue
        points.append({"x": at(x(c.as_of)), "y": at(y(share)), "as_of": c.as_of, "share": share})
    middle = [date(yr, 7, 1) for yr in sorted({c.as_of.year for c in validated})]
    years = [d for d in middle if first == last or first <= d.toordinal() <= last]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "label_x": LEFT - 6,
        "right": WIDTH - RIGHT,
        "year_y": HEIGHT - BOTTOM + 18,
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "threshold_y": at(y(THRESHOLD)),
        "grid": [{"y": at(y(v / 100)), "label": f"{v}"} for v in (0, 50, 100)],
        "years": [{"x": at(x(d)), "label": str(d.year)} for d in years],
    }


def dashboard_panel(period: Any, scope: Any) -> dict[str, Any]:
    """The dashboard's "women at the table" panel: seats of women and all seats by kind of
    body (each body's latest validated composition at the period's end), and the share."""
    from musow.indicators.engine import compute

    everyone = compute("seats", period, scope, by=["body_kind"])
    women = {
        r.key["body_kind"].code: r.value
        for r in compute("seats-women", period, scope, by=["body_kind"]).rows
    }
    shares: list[tuple[str, Share]] = [
        (
            r.key["body_kind"].label,
            Share(int(women.get(r.key["body_kind"].code) or 0), int(r.value or 0)),
        )
        for r in everyone.rows
    ]
    total = None
    if everyone.total is not None:
        total = Share(sum(share.women for _kind, share in shares), int(everyone.total))
    rows = [
        {"kind": kind, "code": r.key["body_kind"].code, "share": share}
        for (kind, share), r in zip(shares, everyone.rows, strict=True)
    ]
    return {"rows": rows, "total": total, "period": period.code}


# --- drill-down: the compositions and sittings behind a figure ----------------------

# The cell of a figure a drill-down may narrow to: query parameter -> field of the body
# (a role narrows to the records that hold seats, or attendance, in it).
CELL_FILTERS = {
    "body_kind": "body__kind",
    "level": "body__level",
    "body": "body__code",
    "region": "body__place__region__pcode",
}


def records_behind(indicator: Any, period: Any, user: Any, cell: dict[str, str]) -> dict[str, Any]:
    """The validated compositions (or sittings) a figure counts — each body's latest at the
    period's end, within the user's figures' scope — narrowed to one cell of its breakdown
    (`cell`: kind of body, level, body, region, role, year) and to the records the user may
    see (`accounts.scopes`), with the women and men of each."""
    from musow.indicators.engine import records
    from musow.indicators.periods import Period
    from musow.representation.models import Presence, Sitting

    if cell.get("year", "").isdigit():
        year = int(cell["year"])
        end = min(period.end, Period.year(year).end)
        period = Period(max(period.start, Period.year(year).start), end, f"{year}")
    qs = records(indicator, period, scopes.figure_scope(user))
    if qs.model not in (Composition, Sitting):
        return {"records": [], "model": None, "period": period}
    for name, path in CELL_FILTERS.items():
        if cell.get(name):
            qs = qs.filter(**{path: cell[name]})
    counted = Seat if qs.model is Composition else Presence
    link = "composition" if qs.model is Composition else "sitting"
    if cell.get("role"):
        qs = qs.filter(pk__in=counted.objects.filter(role__code=cell["role"]).values(f"{link}_id"))
    visible = scopes.compositions_for(user) if link == "composition" else scopes.sittings_for(user)
    qs = qs.filter(pk__in=visible.values("pk")).select_related("body")
    items = list(qs.order_by("body__kind", "body__code", "pk"))
    rows = (
        counted.objects.filter(**{f"{link}_id__in": [r.pk for r in items]})
        .values(f"{link}_id", "sex")
        .annotate(n=Sum("count"))
        .order_by()
    )
    shares = {r.pk: Share(0, 0) for r in items}
    for row in rows:
        share = shares[row[f"{link}_id"]]
        share.total += row["n"] or 0
        if row["sex"] == "f":
            share.women += row["n"] or 0
    return {
        "records": [{"record": r, "share": shares[r.pk]} for r in items],
        "model": link,
        "period": period,
    }


def advocacy_of(body: Any, user: Any) -> dict[str, Any]:
    """A body's submissions (each with how many of its recommendations stand at each
    follow-up status today) and its agreements with their gender provisions."""
    from musow.representation.models import FollowUp

    submissions = list(
        scopes.submissions_for(user)
        .filter(body=body)
        .prefetch_related("organisations", "recommendations")
    )
    for submission in submissions:
        counts = {status: 0 for status in FollowUp.values}
        for recommendation in submission.recommendations.all():
            counts[recommendation.status] += 1
        submission.follow_up_counts = [  # type: ignore[attr-defined]
            (label, counts[value]) for value, label in FollowUp.choices if counts[value]
        ]
    agreements = list(scopes.agreements_for(user).filter(body=body).prefetch_related("provisions"))
    return {"submissions": submissions, "agreements": agreements}
