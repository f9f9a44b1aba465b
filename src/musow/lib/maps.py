"""The map of Mali's regions: a choropleth drawn server-side in SVG from the boundaries
stored on `geo.Place`, for web pages and PDF reports (the same inline-safe SVG as the
charts in `musow.lib.charts`, whose drawing helpers it shares).

    choropleth_svg({"ML07": 120, "ML05": 80}, title="Participants par région", lang="fr")
    choropleth_svg({"ML07": 120}, title=…, lang="fr", outside={"ML01", …},
                   outside_label="hors de votre périmètre")

Regions with a value are shaded by class; regions in the scope without a value are hatched
"no data"; regions outside the scope the figures were counted in are drawn plain, without
a value, under a legend entry of their own — never as "no data".
"""

import json
import math
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext as _

from musow.lib.i18n import colon
from musow.lib.svg import (
    CLASS_COLOURS,
    HATCH,
    INK,
    LABEL_SIZE,
    MUTED,
    NO_DATA,
    OUTLINE_WIDTH,
    SMALL_SIZE,
    Number,
    _chart_id,
    _draw_title,
    _esc,
    _fmt,
    _ink_on,
    _list_desc,
    _open,
    _text,
    _text_width,
    _title_lines,
    _wrap,
    outline_of,
)

# Regions outside the scope: white under fine grey dots, with a grey edge — neither a class
# of values (flat colours) nor the diagonal hatching of "no data".
OUTSIDE = "#ffffff"
OUTSIDE_DOT = "#9a9a9a"
OUTSIDE_EDGE = "#a8a8a8"
# --- the map ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Region:
    pcode: str
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]  # lon/lat, exteriors and holes
    label_at: tuple[float, float]  # lon/lat of the point deepest inside the largest part
    label_room: float  # its distance to the edge, in degrees


@dataclass(frozen=True)
class _MapData:
    regions: tuple[_Region, ...]
    attribution: str
    licence: str


def _map_data(lang: str) -> _MapData:
    """Regions with a boundary in the shipped gazetteer (geoBoundaries / OCHA COD-AB)."""
    from musow.geo.models import Place
    from musow.geo.services import SHIPPED_GAZETTEER
    from musow.lib.i18n import localized

    places = Place.objects.filter(
        gazetteer__code=SHIPPED_GAZETTEER, level=Place.Level.REGION, boundary__isnull=False
    ).select_related("gazetteer")
    regions = []
    attribution = licence = ""
    for place in places.order_by("pcode"):
        attribution, licence = place.gazetteer.attribution, place.gazetteer.licence
        shape = _shape(json.dumps(place.boundary, sort_keys=True))
        if shape is None:
            continue
        rings, label_at, room = shape
        regions.append(_Region(place.pcode, localized(place, "name", lang), rings, label_at, room))
    return _MapData(tuple(regions), attribution, licence)


Ring = tuple[tuple[float, float], ...]
Projection = Callable[[float, float], tuple[float, float]]


@lru_cache(maxsize=64)
def _shape(geometry_json: str) -> tuple[tuple[Ring, ...], tuple[float, float], float] | None:
    """Rings of a GeoJSON (Multi)Polygon and a label point (cached: boundaries rarely move)."""
    geometry = json.loads(geometry_json)
    kind = geometry.get("type")
    if kind == "Polygon":
        polygons = [geometry["coordinates"]]
    elif kind == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        return None
    rings: list[Ring] = []
    best: list[Ring] = []
    best_area = -1.0
    for polygon in polygons:
        polygon_rings = [tuple((float(p[0]), float(p[1])) for p in ring) for ring in polygon]
        if not polygon_rings:
            continue
        rings.extend(polygon_rings)
        area = abs(_area(polygon_rings[0]))
        if area > best_area:
            best, best_area = polygon_rings, area
    if not best:
        return None
    label_at, room = _label_point(best)
    return tuple(rings), label_at, room


def _area(ring: Ring) -> float:
    return 0.5 * sum(
        x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
    )


def _inside(x: float, y: float, rings: Sequence[Ring]) -> bool:
    """Even–odd rule over all rings (holes included)."""
    inside = False
    for ring in rings:
        j = len(ring) - 1
        for i in range(len(ring)):
            xi, yi = ring[i]
            xj, yj = ring[j]
            if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                inside = not inside
            j = i
    return inside


def _edge_distance(x: float, y: float, rings: Sequence[Ring]) -> float:
    best = math.inf
    for ring in rings:
        for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1], strict=True):
            dx, dy = bx - ax, by - ay
            t = (
                0.0
                if dx == dy == 0
                else max(0, min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
            )
            best = min(best, math.hypot(x - (ax + t * dx), y - (ay + t * dy)))
    return best


def _coarse(ring: Ring, points: int = 100) -> Ring:
    step = max(1, len(ring) // points)
    return ring[::step]


def _label_point(polygon: list[Ring]) -> tuple[tuple[float, float], float]:
    """The point of the polygon farthest from its edges (a grid search, refined twice):
    where a label fits best, even in a region that wraps around another."""
    rings = [_coarse(ring) for ring in polygon]
    xs = [p[0] for p in polygon[0]]
    ys = [p[1] for p in polygon[0]]
    x_min, x_max, y_min, y_max = min(xs), max(xs), min(ys), max(ys)
    best = ((x_min + x_max) / 2, (y_min + y_max) / 2)
    best_room = 0.0
    span_x, span_y = x_max - x_min, y_max - y_min
    cx, cy = best
    for _round in range(3):
        n = 10
        for i in range(n + 1):
            for j in range(n + 1):
                x = cx - span_x / 2 + span_x * i / n
                y = cy - span_y / 2 + span_y * j / n
                if not _inside(x, y, rings):
                    continue
                room = _edge_distance(x, y, rings)
                if room > best_room:
                    best, best_room = (x, y), room
        cx, cy = best
        span_x, span_y = span_x / 4, span_y / 4
    return best, best_room


def _classes(values: Sequence[float]) -> list[float]:
    """Upper bounds of the map's classes (one per colour): the values' thirds (their
    quantiles), rounded up to two significant digits, so each class holds about as many
    regions, however one region outweighs the others."""
    positive = sorted(float(v) for v in values if v > 0)
    if not positive:
        return [0.0]
    integers = all(v.is_integer() for v in positive)
    n = len(CLASS_COLOURS)
    top = _round_up(positive[-1], integers)
    bounds: list[float] = []
    for k in range(1, n):
        bound = _round_up(positive[math.ceil(k * len(positive) / n) - 1], integers)
        if bound < top and (not bounds or bound > bounds[-1]):
            bounds.append(bound)
    return [*bounds, top]


def _round_up(value: float, integers: bool) -> float:
    """`value` rounded up to two significant digits (4 175 -> 4 200, 46 -> 46)."""
    step = 10 ** (math.floor(math.log10(value)) - 1)
    if integers:
        step = max(1.0, step)
    return math.ceil(value / step - 1e-9) * step


def _class_of(value: float, bounds: list[float]) -> int:
    for i, bound in enumerate(bounds):
        if value <= bound:
            return min(i, len(CLASS_COLOURS) - 1)
    return len(CLASS_COLOURS) - 1


def regions_outside(region_ids: Collection[int]) -> set[str]:
    """P-codes of the regions that a scope limited to `region_ids` leaves out (nothing when
    it is not limited to regions): what the map draws as "outside the scope"."""
    if not region_ids:
        return set()
    from musow.geo.models import Place

    regions = Place.objects.filter(level=Place.Level.REGION)
    inside = set(regions.filter(pk__in=region_ids).values_list("pcode", flat=True))
    return set(regions.exclude(pcode__in=inside).values_list("pcode", flat=True))


def choropleth_svg(
    values: Mapping[str, Number | None],
    *,
    title: str,
    lang: str,
    width: int = 480,
    outside: Collection[str] = (),
    outside_label: str | None = None,
) -> str:
    """Mali's regions shaded by value (keys are region P-codes, `Place.pcode`), labelled
    with name and value, with a legend, the regions without data marked as such, and
    the boundaries' source and licence. Regions that have a value but no boundary of
    their own in the shipped frame (Ménaka, Taoudénit before they were drawn) are
    listed under the map.

    `outside`: P-codes of the regions outside the scope the values were counted in (a focal
    point's other regions): drawn plain, without a value, under `outside_label` in the
    legend (default "outside the scope"), never hatched as "no data"."""
    with translation.override(lang):
        label = outside_label or _("outside the scope")
        return _choropleth(values, title, lang, width, frozenset(outside), label)


def _choropleth(
    values: Mapping[str, Number | None],
    title: str,
    lang: str,
    width: int,
    outside: frozenset[str],
    outside_label: str,
) -> str:
    width = max(280, int(width))
    data = _map_data(lang)
    chart_id = _chart_id("map", title, sorted(values.items()), width, sorted(outside))
    drawn = {r.pcode for r in data.regions}
    numbers = [float(v) for v in values.values() if v is not None]
    bounds = _classes(numbers)

    title_svg, top = _draw_title(_title_lines(title, width))
    if not data.regions:
        desc = _("No region boundaries are loaded.")
        parts = [*title_svg, _text(8, top + LABEL_SIZE, desc, fill=MUTED)]
        height = top + LABEL_SIZE + 12
        return "".join([*_open(chart_id, width, height, title, desc), *parts, "</svg>"])

    all_points = [p for r in data.regions for ring in r.rings for p in ring]
    lon_min = min(p[0] for p in all_points)
    lon_max = max(p[0] for p in all_points)
    lat_min = min(p[1] for p in all_points)
    lat_max = max(p[1] for p in all_points)
    k_lon = math.cos(math.radians((lat_min + lat_max) / 2))
    margin = 8.0
    scale = (width - 2 * margin) / ((lon_max - lon_min) * k_lon)
    map_h = (lat_max - lat_min) * scale

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return margin + (lon - lon_min) * k_lon * scale, top + (lat_max - lat) * scale

    no_data = f"url(#{chart_id}-nodata)"
    out_fill = f"url(#{chart_id}-outside)"
    parts = [
        f'<defs><pattern id="{chart_id}-nodata" patternUnits="userSpaceOnUse" width="6" '
        f'height="6"><rect width="6" height="6" fill="{NO_DATA}"/>'
        f'<path d="M0 6L6 0M-1 1L1 -1M5 7L7 5" stroke="{HATCH}" stroke-width="1"/>'
        "</pattern>"
        f'<pattern id="{chart_id}-outside" patternUnits="userSpaceOnUse" width="5" '
        f'height="5"><rect width="5" height="5" fill="{OUTSIDE}"/>'
        f'<circle cx="2.5" cy="2.5" r="0.7" fill="{OUTSIDE_DOT}"/></pattern></defs>',
        *title_svg,
    ]
    labels: list[str] = []
    callouts: list[tuple[float, float, str, str]] = []
    desc_rows = []
    no_data_drawn = False
    # regions outside the scope first, so that the scope's borders are drawn over theirs
    regions = sorted(data.regions, key=lambda r: r.pcode not in outside)
    for region in regions:
        if region.pcode in outside and region.pcode not in values:
            desc_rows.append((region.name, outside_label))
            parts.append(
                f'<path d="{_path(region.rings, xy)}" fill="{out_fill}" fill-rule="evenodd" '
                f'stroke="{OUTSIDE_EDGE}" stroke-width="0.6" stroke-linejoin="round">'
                f"<title>{_esc(region.name)} – {_esc(outside_label)}</title></path>"
            )
            lx, ly = xy(*region.label_at)
            room = region.label_room * scale
            if room * 2.2 >= _text_width(region.name, SMALL_SIZE) and room >= SMALL_SIZE * 1.2:
                labels.append(
                    _text(lx, ly + 3, region.name, anchor="middle", size=SMALL_SIZE, fill=MUTED)
                )
            continue
        value = values.get(region.pcode)
        no_data_drawn = no_data_drawn or value is None
        colour = NO_DATA if value is None else CLASS_COLOURS[_class_of(float(value), bounds)]
        fill = no_data if value is None else colour
        shown = _fmt(value) if value is not None else _("no data")
        desc_rows.append((region.name, shown))
        parts.append(
            f'<path d="{_path(region.rings, xy)}" fill="{fill}" fill-rule="evenodd" '
            f'stroke="{outline_of(colour)}" stroke-width="{OUTLINE_WIDTH}" '
            f'stroke-linejoin="round">'
            f"<title>{_esc(region.name)} – {_esc(shown)}</title></path>"
        )
        lx, ly = xy(*region.label_at)
        room = region.label_room * scale
        text_w = max(_text_width(region.name, SMALL_SIZE), _text_width(shown, SMALL_SIZE))
        if room * 2.2 >= text_w and room >= SMALL_SIZE * 1.2:
            ink = _ink_on(colour)
            labels.append(
                _text(lx, ly - 1, region.name, anchor="middle", size=SMALL_SIZE, fill=ink)
            )
            labels.append(
                _text(
                    lx,
                    ly + SMALL_SIZE + 1,
                    shown,
                    anchor="middle",
                    size=SMALL_SIZE,
                    fill=ink,
                    font_weight="bold",
                )
            )
        else:
            callouts.append((lx, ly, region.name, shown))
    parts += labels

    y = top + map_h + 6
    # small regions (the District of Bamako): labelled under the map, with a leader line
    for lx, ly, name, shown in sorted(callouts):
        y += SMALL_SIZE + 4
        tx = max(8.0, lx - 40)
        parts.append(
            f'<line x1="{lx:.1f}" y1="{ly:.1f}" x2="{tx:.1f}" y2="{y - SMALL_SIZE:.1f}" '
            f'stroke="{INK}" stroke-width="0.8"/>'
            f'<circle cx="{lx:.1f}" cy="{ly:.1f}" r="1.6" fill="{INK}"/>'
        )
        parts.append(
            _text(
                tx + 3,
                y,
                colon(name, shown),
                size=SMALL_SIZE,
            )
        )

    # values for regions not drawn (no boundary of their own in this frame)
    undrawn = [(code, v) for code, v in sorted(values.items()) if code not in drawn]
    if undrawn:
        names = _region_names([code for code, _v in undrawn], lang)
        text = colon(
            _("Not on the map (no boundary of their own in this frame)"),
            "; ".join(f"{names.get(code, code)} {_fmt(v)}" for code, v in undrawn),
        )
        for line in _wrap(text, SMALL_SIZE, width - 16, max_lines=3):
            y += SMALL_SIZE + 4
            parts.append(_text(8, y, line, size=SMALL_SIZE, fill=MUTED))
        desc_rows += [(names.get(code, code), _fmt(v)) for code, v in undrawn]

    # legend, in the empty north-west corner (Mauritania's side of the frame)
    legend_y = top + 4
    parts.append(
        _text(margin + 2, legend_y + SMALL_SIZE, _("Legend"), size=SMALL_SIZE, font_weight="bold")
    )
    low = 0.0
    legend_items: list[tuple[str, str]] = []
    if numbers:
        for i, bound in enumerate(bounds):
            if i == 0:
                label = f"{_fmt(0)} – {_fmt(bound)}"
            else:
                label = f"{_fmt(low)} – {_fmt(bound)}"
            legend_items.append((CLASS_COLOURS[min(i, len(CLASS_COLOURS) - 1)], label))
            low = bound
    if no_data_drawn:
        legend_items.append((no_data, _("no data")))
    if any(r.pcode in outside and r.pcode not in values for r in data.regions):
        legend_items.append((out_fill, outside_label))
    for i, (colour, label) in enumerate(legend_items):
        ry = legend_y + SMALL_SIZE + 5 + i * (SMALL_SIZE + 5)
        edge = OUTSIDE_EDGE if colour == out_fill else MUTED
        parts.append(
            f'<rect x="{margin + 2:.1f}" y="{ry:.1f}" width="12" height="{SMALL_SIZE + 1}" '
            f'fill="{colour}" stroke="{edge}" stroke-width="0.5"/>'
        )
        parts.append(_text(margin + 18, ry + SMALL_SIZE, label, size=SMALL_SIZE))

    # attribution (required by the licence) and the usual disclaimer
    source = _("Boundaries: %(attribution)s, %(licence)s.") % {
        "attribution": data.attribution,
        "licence": data.licence,
    }
    disclaimer = _(
        "The boundaries and names shown do not imply official endorsement or acceptance "
        "by the United Nations."
    )
    y += 4
    for line in [
        *_wrap(source, SMALL_SIZE - 1, width - 16, 3),
        *_wrap(disclaimer, SMALL_SIZE - 1, width - 16, 3),
    ]:
        y += SMALL_SIZE + 2
        parts.append(_text(8, y, line, size=SMALL_SIZE - 1, fill=MUTED))
    height = y + 8
    desc = _list_desc(desc_rows) + " " + source
    return "".join([*_open(chart_id, width, height, title, desc), *parts, "</svg>"])


def _path(rings: Sequence[Ring], xy: Projection) -> str:
    return " ".join(_ring_path(ring, xy) for ring in rings)


def _ring_path(ring: Ring, xy: Projection) -> str:
    points = list(_dedup(xy(lon, lat) for lon, lat in ring))
    if len(points) < 3:
        return ""
    head = f"M{points[0][0]:.1f} {points[0][1]:.1f}"
    return head + "".join(f"L{x:.1f} {y:.1f}" for x, y in points[1:]) + "Z"


def _dedup(points: Iterator[tuple[float, float]]) -> Iterator[tuple[float, float]]:
    last = None
    for x, y in points:
        key = (round(x, 1), round(y, 1))
        if key != last:
            yield key
            last = key


def _region_names(pcodes: Sequence[str], lang: str) -> dict[str, str]:
    from musow.geo.models import Place
    from musow.lib.i18n import localized

    places = Place.objects.filter(pcode__in=pcodes, level=Place.Level.REGION)
    return {p.pcode: localized(p, "name", lang) for p in places}
