"""Server-side SVG charts and the map of Mali's regions, for web pages and PDF reports.

Pure functions returning an SVG string (the map reads the region boundaries stored on
`geo.Place`). The SVG is inline-safe: no script, no external reference, no CSS
class to resolve; every colour and font is an attribute, so WeasyPrint draws it the
same as a browser. Each chart carries a <title> and a <desc> that states its data in
words (screen readers; `role="img"`), text labels on the marks, and numbers in the
chart's language (`5 400` in French, `5,400` in English).

    bar_chart_svg([("Gao", 120), ("Mopti", 80)], title="Activités par région", lang="fr")
    stacked_bar_chart_svg([("18 ans et plus", [300, 120, 0])],
                          series=["femmes", "hommes", "non précisé"], title=…, lang="fr")
    choropleth_svg({"ML07": 120, "ML05": 80}, title="Participants par région", lang="fr")

Signatures are stable: the dashboard and the reports both call them.
"""

import hashlib
import json
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from html import escape

from django.utils import translation
from django.utils.translation import gettext as _

from musow.lib.i18n import colon, number

Number = float | int | Decimal

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
INK = "#1f1f1f"
MUTED = "#555555"
GRID = "#d0d0d0"
BACKGROUND = "#ffffff"
BAR = "#3b5b92"
NO_DATA = "#e3e3e3"  # under diagonal hatching, so "no data" never reads as "few"
HATCH = "#6b6b6b"  # the hatching: 4:1 against NO_DATA
# Colours are checked in tests/test_chart_colours.py (WCAG 1.4.11, non-text contrast):
# every mark 3:1 against the white background, neighbours 3:1 against each other, and
# still apart for protan, deutan and tritan colour vision.
# Stacked series (female, male, not recorded): blue, near-black, mid grey: each 3:1
# against white, 3:1 against the next, and a white gap between segments.
SERIES_COLOURS = ("#3182bd", "#1b1f24", "#8a8a8a")
SEGMENT_GAP = 1.5
# Map classes: three purples (ColorBrewer's, re-spaced) 3:1 apart, lightest to darkest,
# so neighbouring classes read apart in grey too. No palette holds more classes 3:1
# apart (3 × 3 × 3 > 21, the widest contrast there is); values are on the map anyway.
CLASS_COLOURS = ("#f2f0f7", "#8c6bb1", "#2d004b")
# Each region is outlined in INK, or in white when its fill is too dark for INK to show:
# the country's edge is dark against the page where the fill is light, and every
# border is 3:1 against a fill beside it.
OUTLINE_WIDTH = 1.2

TITLE_SIZE = 13
LABEL_SIZE = 11
SMALL_SIZE = 9
CHAR_WIDTH = 0.58  # average advance of DejaVu Sans, in ems, to size label columns


# --- shared pieces ----------------------------------------------------------------------


def _esc(text: object) -> str:
    return escape(str(text), quote=True)


def _fmt(value: Number | None) -> str:
    """A number in the active language; fractions keep one decimal."""
    if value is None:
        return "–"
    if isinstance(value, int) or float(value).is_integer():
        return number(int(value))
    return number(float(value), 1)


def _text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def _wrap(text: str, size: float, width: float, max_lines: int = 2) -> list[str]:
    """Split `text` on spaces into lines that fit `width`; an ellipsis ends the last line
    when it still does not fit."""
    limit = max(4, int(width / (size * CHAR_WIDTH)))
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if len(candidate) <= limit or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    return [line if len(line) <= limit else line[: limit - 1].rstrip() + "…" for line in lines]


def _chart_id(kind: str, *parts: object) -> str:
    digest = hashlib.sha1(json.dumps([kind, *parts], default=str).encode()).hexdigest()
    return f"{kind}-{digest[:10]}"


def _open(chart_id: str, width: float, height: float, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" '
        f'width="{width:g}" height="{height:g}" viewBox="0 0 {width:g} {height:g}" '
        f'font-family="{FONT}" font-size="{LABEL_SIZE}" fill="{INK}">',
        f'<title id="{chart_id}-title">{_esc(title)}</title>',
        f'<desc id="{chart_id}-desc">{_esc(desc)}</desc>',
        f'<rect x="0" y="0" width="{width:g}" height="{height:g}" fill="{BACKGROUND}"/>',
    ]


def _title_lines(title: str, width: float) -> list[str]:
    return _wrap(title, TITLE_SIZE, width - 8, max_lines=3)


def _draw_title(lines: list[str], x: float = 4) -> tuple[list[str], float]:
    out = []
    y = 4.0
    for line in lines:
        y += TITLE_SIZE + 3
        out.append(
            f'<text x="{x:g}" y="{y:g}" font-size="{TITLE_SIZE}" font-weight="bold">'
            f"{_esc(line)}</text>"
        )
    return out, y + 8


def _text(
    x: float, y: float, text: str, *, anchor: str = "start", size: int = LABEL_SIZE, **attrs: str
) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{_esc(v)}"' for k, v in attrs.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{extra}>'
        f"{_esc(text)}</text>"
    )


def luminance(colour: str) -> float:
    """Relative luminance of #rrggbb (WCAG 2)."""
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _ink_on(fill: str, dark: str = "#000000") -> str:
    """`dark` or white, whichever contrasts more with `fill` (#rrggbb): text on a mark,
    a region's outline."""
    return dark if contrast(dark, fill) >= contrast("#ffffff", fill) else "#ffffff"


def outline_of(fill: str) -> str:
    """The outline of a map region of colour `fill`: dark, unless the fill is too dark
    for it to show (then white)."""
    return INK if contrast(INK, fill) >= 3 else "#ffffff"


def _list_desc(rows: Sequence[tuple[str, str]]) -> str:
    return "; ".join(colon(label, value) for label, value in rows) + "."


# --- bar charts -------------------------------------------------------------------------


def bar_chart_svg(
    rows: Sequence[tuple[str, Number]], *, title: str, lang: str, width: int = 480
) -> str:
    """Horizontal bars, one per row, labelled and valued (reads well with 16 regions or
    12 months and long names: labels wrap on two lines)."""
    return stacked_bar_chart_svg(
        [(label, [value]) for label, value in rows],
        series=[],
        title=title,
        lang=lang,
        width=width,
    )


def stacked_bar_chart_svg(
    rows: Sequence[tuple[str, Sequence[Number]]],
    *,
    series: Sequence[str],
    title: str,
    lang: str,
    width: int = 480,
) -> str:
    """Horizontal stacked bars: one bar per row, one segment per series (e.g. reach by age
    group, stacked by sex), with a legend, the segment values when they fit and the total
    at the end of each bar. With no `series` (or one), a plain bar chart."""
    with translation.override(lang):
        return _stacked(rows, series, title, width)


def _stacked(
    rows: Sequence[tuple[str, Sequence[Number]]], series: Sequence[str], title: str, width: int
) -> str:
    width = max(240, int(width))
    stacked = len(series) > 1
    totals = [sum(float(v or 0) for v in values) for _label, values in rows]
    top = max(totals, default=0.0)
    label_col = min(width * 0.38, max((_text_width(r[0], LABEL_SIZE) for r in rows), default=40))
    label_col = max(label_col, 40)
    value_col = max((_text_width(_fmt(_total(r[1])), LABEL_SIZE) for r in rows), default=20) + 8
    x0 = 8 + label_col + 6
    bar_space = max(40.0, width - x0 - value_col - 8)
    bar_h, row_h = 14, 26
    chart_id = _chart_id("bars", title, rows, series, width)

    if stacked:
        desc_rows = [
            (
                label,
                ", ".join(f"{name} {_fmt(v)}" for name, v in zip(series, values, strict=False))
                + f" ({_('total')} {_fmt(_total(values))})",
            )
            for label, values in rows
        ]
    else:
        desc_rows = [(label, _fmt(_total(values))) for label, values in rows]
    desc = _list_desc(desc_rows) if rows else _("No data.")

    title_lines = _title_lines(title, width)
    parts: list[str] = []
    title_svg, y = _draw_title(title_lines)
    parts += title_svg
    if stacked:
        legend, y = _legend(series, y, width)
        parts += legend
    if not rows or top <= 0:
        parts.append(_text(8, y + LABEL_SIZE, _("No data for this period."), fill=MUTED))
        height = y + LABEL_SIZE + 12
        return "".join([*_open(chart_id, width, height, title, desc), *parts, "</svg>"])

    scale = bar_space / top
    # light grid and axis at zero
    parts.append(
        f'<line x1="{x0:.1f}" y1="{y - 2:.1f}" x2="{x0:.1f}" '
        f'y2="{y + len(rows) * row_h:.1f}" stroke="{GRID}" stroke-width="1"/>'
    )
    for i, (label, values) in enumerate(rows):
        row_y = y + i * row_h
        bar_y = row_y + (row_h - bar_h) / 2
        lines = _wrap(label, LABEL_SIZE, label_col, max_lines=2)
        first = bar_y + bar_h / 2 + LABEL_SIZE * 0.35 - (len(lines) - 1) * LABEL_SIZE * 0.55
        for j, line in enumerate(lines):
            parts.append(_text(x0 - 6, first + j * (LABEL_SIZE + 1), line, anchor="end"))
        x = x0
        for k, value in enumerate(values):
            v = float(value or 0)
            if v <= 0:
                continue
            w = v * scale
            colour = SERIES_COLOURS[k % len(SERIES_COLOURS)] if stacked else BAR
            name = f"{series[k]} " if stacked and k < len(series) else ""
            gap = f' stroke="{BACKGROUND}" stroke-width="{SEGMENT_GAP}"' if stacked else ""
            parts.append(
                f'<rect x="{x:.1f}" y="{bar_y:.1f}" width="{max(w, 0.5):.1f}" '
                f'height="{bar_h}" fill="{colour}"{gap}><title>{_esc(label)} – {_esc(name)}'
                f"{_esc(_fmt(value))}</title></rect>"
            )
            text = _fmt(value)
            if stacked and _text_width(text, SMALL_SIZE) + 4 < w:
                parts.append(
                    _text(
                        x + w / 2,
                        bar_y + bar_h / 2 + SMALL_SIZE * 0.35,
                        text,
                        anchor="middle",
                        size=SMALL_SIZE,
                        fill=_ink_on(colour),
                    )
                )
            x += w
        parts.append(
            _text(x + 4, bar_y + bar_h / 2 + LABEL_SIZE * 0.35, _fmt(_total(values)), fill=INK)
        )
    height = y + len(rows) * row_h + 8
    return "".join([*_open(chart_id, width, height, title, desc), *parts, "</svg>"])


def _total(values: Sequence[Number]) -> Number:
    if all(isinstance(v, int) for v in values):
        return sum(int(v) for v in values)
    return sum(float(v or 0) for v in values)


def _legend(series: Sequence[str], y: float, width: float) -> tuple[list[str], float]:
    parts = []
    x = 8.0
    for k, name in enumerate(series):
        item = 14 + _text_width(name, LABEL_SIZE) + 14
        if x + item > width and x > 8:
            x, y = 8.0, y + LABEL_SIZE + 6
        colour = SERIES_COLOURS[k % len(SERIES_COLOURS)]
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="10" height="10" fill="{colour}"/>')
        parts.append(_text(x + 14, y + 9, name))
        x += item
    return parts, y + LABEL_SIZE + 10


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


def choropleth_svg(
    values: Mapping[str, Number | None], *, title: str, lang: str, width: int = 480
) -> str:
    """Mali's regions shaded by value (keys are region P-codes, `Place.pcode`), labelled
    with name and value, with a legend, the regions without data marked as such, and
    the boundaries' source and licence. Regions that have a value but no boundary of
    their own in the shipped frame (Ménaka, Taoudénit before they were drawn) are
    listed under the map."""
    with translation.override(lang):
        return _choropleth(values, title, lang, width)


def _choropleth(values: Mapping[str, Number | None], title: str, lang: str, width: int) -> str:
    width = max(280, int(width))
    data = _map_data(lang)
    chart_id = _chart_id("map", title, sorted(values.items()), width)
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
    parts = [
        f'<defs><pattern id="{chart_id}-nodata" patternUnits="userSpaceOnUse" width="6" '
        f'height="6"><rect width="6" height="6" fill="{NO_DATA}"/>'
        f'<path d="M0 6L6 0M-1 1L1 -1M5 7L7 5" stroke="{HATCH}" stroke-width="1"/>'
        "</pattern></defs>",
        *title_svg,
    ]
    labels: list[str] = []
    callouts: list[tuple[float, float, str, str]] = []
    desc_rows = []
    for region in data.regions:
        value = values.get(region.pcode)
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
    legend_items.append((no_data, _("no data")))
    for i, (colour, label) in enumerate(legend_items):
        ry = legend_y + SMALL_SIZE + 5 + i * (SMALL_SIZE + 5)
        parts.append(
            f'<rect x="{margin + 2:.1f}" y="{ry:.1f}" width="12" height="{SMALL_SIZE + 1}" '
            f'fill="{colour}" stroke="{MUTED}" stroke-width="0.5"/>'
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
