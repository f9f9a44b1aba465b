"""The map of Mali's regions: a choropleth drawn server-side in SVG from the boundaries
its caller hands it (`MapShapes`, read from `geo.Place` by `musow.geo.shapes.map_shapes`),
for web pages and PDF reports (the same inline-safe SVG as the charts in
`musow.lib.charts`, whose drawing helpers it shares). Pure: it reads no database.

    shapes = map_shapes("fr")  # musow.geo.shapes
    choropleth_svg({"ML07": 120, "ML05": 80}, shapes=shapes, title="Participants par région",
                   lang="fr")
    choropleth_svg({"ML07": 120}, shapes=shapes, title=…, lang="fr", outside={"ML01", …},
                   outside_label="hors de votre périmètre", unit="personnes touchées",
                   width=320, text_size=12)

Regions with a value are shaded by band (`musow.lib.bands`: breaks found in the data,
never overlapping); regions in the scope without a value are hatched "no data"; regions
outside the scope the figures were counted in are drawn plain, without a value, under a
legend entry of their own — never as "no data".

Labels never collide: a region's name and value go inside it when they fit, else beside
it, outside the country, with a leader line; a region too small to show its colour (the
District of Bamako) is drawn again, enlarged, in an inset. `text_size` is the size of
every label in drawing units: a map drawn 320 wide with 12-unit text, shown 320 px wide
on a phone, has 12-px text.
"""

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial

from django.utils import translation
from django.utils.translation import gettext as _

from musow.lib.bands import Band, band_index, bands
from musow.lib.geometry import Box, Point, Ring, inside, overlaps, shape, simplify
from musow.lib.i18n import colon
from musow.lib.svg import (
    CLASS_COLOURS,
    HATCH,
    INK,
    MUTED,
    NO_DATA,
    OUTLINE_WIDTH,
    SMALL_SIZE,
    TITLE_SIZE,
    Number,
    _chart_id,
    _esc,
    _fmt,
    _ink_on,
    _list_desc,
    _open,
    _text,
    _text_width,
    _wrap,
    outline_of,
)

# Regions outside the scope: white under fine grey dots, with a grey edge — neither a class
# of values (flat colours) nor the diagonal hatching of "no data".
OUTSIDE = "#ffffff"
OUTSIDE_DOT = "#9a9a9a"
OUTSIDE_EDGE = "#a8a8a8"
MARGIN = 8.0
INSET_SIZE = 46.0  # the enlarged region's longest side in an inset
SIMPLIFY = 0.35  # how far (drawing units) an outline may stray from the survey's


@dataclass(frozen=True)
class MapRegion:
    pcode: str
    name: str  # in the map's language
    geometry: str  # GeoJSON (keys sorted), the cache key of its drawing


@dataclass(frozen=True)
class MapShapes:
    """What the map draws, given by its caller: the regions with a boundary, in P-code
    order; the names of every region by P-code (those with a value but no boundary are
    named under the map); the boundaries' source and licence."""

    regions: tuple[MapRegion, ...]
    names: Mapping[str, str]
    attribution: str
    licence: str


def _drawable(shapes: MapShapes) -> MapShapes:
    """The regions whose boundary is a polygon the map can draw."""
    regions = tuple(r for r in shapes.regions if shape(r.geometry) is not None)
    return MapShapes(regions, shapes.names, shapes.attribution, shapes.licence)


# --- the regions projected for a drawing width (cached) ----------------------------------


@dataclass(frozen=True)
class _Shape:
    path: str  # SVG path data, in map coordinates (0, 0 at the map's top left)
    rings: tuple[Ring, ...]  # projected, for the tests of free space
    label_at: Point
    room: float  # the label point's distance to the edge, in drawing units
    box: Box
    fine_path: str  # for a region too small to show: its outline kept for an enlarged inset


@dataclass(frozen=True)
class _Frame:
    shapes: tuple[_Shape, ...]
    width: float
    height: float


@lru_cache(maxsize=32)
def _frame(geometries: tuple[str, ...], map_width: float) -> _Frame:
    """Every region projected (equirectangular, at the country's mean latitude) to fit
    `map_width`, its outline simplified for that size: the drawing's costly part, the
    same for every figure drawn at that width."""
    parsed = [shape(g) for g in geometries]
    points = [p for s in parsed if s for ring in s[0] for p in ring]
    lon_min = min(p[0] for p in points)
    lon_max = max(p[0] for p in points)
    lat_min = min(p[1] for p in points)
    lat_max = max(p[1] for p in points)
    k_lon = math.cos(math.radians((lat_min + lat_max) / 2))
    scale = map_width / ((lon_max - lon_min) * k_lon)

    def xy(p: Point) -> Point:
        return (p[0] - lon_min) * k_lon * scale, (lat_max - p[1]) * scale

    shapes = []
    for s in parsed:
        assert s is not None
        rings, label_at, room = s
        projected = [simplify([xy(p) for p in ring], SIMPLIFY) for ring in rings]
        projected = [ring for ring in projected if len(ring) >= 3]
        path = _path_data(projected, 1)
        fine = ""
        if room * scale < 12:
            fine = _path_data([simplify([xy(p) for p in ring], SIMPLIFY / 40) for ring in rings], 3)
        xs = [p[0] for ring in projected for p in ring] or [0.0]
        ys = [p[1] for ring in projected for p in ring] or [0.0]
        shapes.append(
            _Shape(
                path,
                tuple(tuple(ring) for ring in projected),
                xy(label_at),
                room * scale,
                (min(xs), min(ys), max(xs), max(ys)),
                fine,
            )
        )
    return _Frame(tuple(shapes), map_width, (lat_max - lat_min) * scale)


def _path_data(rings: Sequence[Sequence[Point]], decimals: int) -> str:
    return " ".join(
        f"M{ring[0][0]:.{decimals}f} {ring[0][1]:.{decimals}f}"
        + "".join(f"L{x:.{decimals}f} {y:.{decimals}f}" for x, y in ring[1:])
        + "Z"
        for ring in rings
        if len(ring) >= 3
    )


# --- free space for labels ---------------------------------------------------------------


class _Layout:
    """What is already drawn over the map (labels, legend, insets), to place the next
    thing where it collides with nothing."""

    def __init__(self, frame: _Frame, x0: float, y0: float, width: float) -> None:
        self.frame, self.x0, self.y0, self.width = frame, x0, y0, width
        self.taken: list[Box] = []
        self.extra = 2.0  # how far below the map a label may go

    def bottom(self) -> float:
        """The lowest edge of the map and of what is drawn beside it."""
        return max([self.y0 + self.frame.height, *(box[3] for box in self.taken)])

    def land(self, box: Box) -> bool:
        """Whether any region lies under the box (sampled on a grid, and its edges)."""
        x0, y0, x1, y1 = (box[0] - self.x0, box[1] - self.y0, box[2] - self.x0, box[3] - self.y0)
        nx = max(2, math.ceil((x1 - x0) / 5))
        ny = max(2, math.ceil((y1 - y0) / 5))
        for s in self.frame.shapes:
            if not overlaps(s.box, (x0, y0, x1, y1)):
                continue
            for i in range(nx + 1):
                for j in range(ny + 1):
                    if inside(x0 + (x1 - x0) * i / nx, y0 + (y1 - y0) * j / ny, s.rings):
                        return True
        return False

    def free(self, box: Box, *, over_land: bool = False) -> bool:
        if box[0] < 2 or box[2] > self.width - 2 or box[1] < self.y0 - 2:
            return False
        if box[3] > self.y0 + self.frame.height + self.extra:
            return False
        if any(overlaps(box, taken, 3) for taken in self.taken):
            return False
        return over_land or not self.land(box)

    def beside(self, anchor: Point, w: float, h: float) -> Box | None:
        """The nearest box of that size around `anchor` that is free and off the land."""
        ax, ay = anchor
        for distance in (14, 24, 36, 50, 66, 84, 104, 126, 150):
            for step in range(16):
                angle = math.pi / 2 + step * math.pi / 8  # below first, then around
                cx = ax + distance * math.cos(angle)
                cy = ay + distance * math.sin(angle)
                box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                if self.free(box):
                    return box
        return None


def _leader(anchor: Point, box: Box) -> str:
    ax, ay = anchor
    tx = min(max(ax, box[0]), box[2])
    ty = min(max(ay, box[1]), box[3])
    return (
        f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{tx:.1f}" y2="{ty:.1f}" '
        f'stroke="{INK}" stroke-width="0.8"/>'
        f'<circle cx="{ax:.1f}" cy="{ay:.1f}" r="1.8" fill="{INK}"/>'
    )


# --- the map -----------------------------------------------------------------------------


def choropleth_svg(
    values: Mapping[str, Number | None],
    *,
    shapes: MapShapes,
    title: str,
    lang: str,
    width: int = 480,
    outside: Collection[str] = (),
    outside_label: str | None = None,
    unit: str | None = None,
    text_size: int = SMALL_SIZE,
    draw_title: bool = True,
) -> str:
    """Mali's regions shaded by value (keys are region P-codes, `Place.pcode`), labelled
    with name and value, with a legend (headed by `unit`, what the values count), the
    regions without data marked as such, and the boundaries' source and licence. Regions
    that have a value but no boundary of their own in the shipped frame (Ménaka,
    Taoudénit before they were drawn) are listed under the map.

    `shapes`: the regions to draw (`musow.geo.shapes.map_shapes(lang)`).

    `outside`: P-codes of the regions outside the scope the values were counted in (a focal
    point's other regions): drawn plain, without a value, under `outside_label` in the
    legend (default "outside the scope"), never hatched as "no data".

    `draw_title=False`: the title names the drawing (for screen readers) but is not drawn,
    for a page that shows it as a heading above the map."""
    with translation.override(lang):
        label = outside_label or _("outside the scope")
        drawing = _Map(values, title, lang, width, frozenset(outside), label, unit, text_size)
        return drawing.svg(_drawable(shapes), draw_title)


def _colours(count: int) -> tuple[str, ...]:
    """One colour per band, as far apart as the palette allows."""
    light, middle, dark = CLASS_COLOURS
    return {0: (), 1: (middle,), 2: (light, dark)}.get(count, CLASS_COLOURS)


class _Map:
    def __init__(
        self,
        values: Mapping[str, Number | None],
        title: str,
        lang: str,
        width: int,
        outside: frozenset[str],
        outside_label: str,
        unit: str | None,
        text_size: int,
    ) -> None:
        self.values, self.title, self.lang = values, title, lang
        self.width = max(240, int(width))
        self.outside, self.outside_label, self.unit = outside, outside_label, unit
        self.size = int(text_size)
        self.line = self.size + 4
        self.chart_id = _chart_id(
            "map", title, sorted(values.items()), self.width, sorted(outside), unit, self.size
        )
        numbers = [float(v) for v in values.values() if v is not None]
        self.bands: list[Band] = bands(numbers)
        self.colours = _colours(len(self.bands))
        self.parts: list[str] = []
        self.desc_rows: list[tuple[str, str]] = []

    def colour(self, value: float) -> str:
        return self.colours[band_index(value, self.bands)]

    def svg(self, data: MapShapes, draw_title: bool) -> str:
        title_size = max(TITLE_SIZE, self.size + 1)
        y = 4.0 if draw_title else -4.0
        title_parts = []
        title_lines = _wrap(self.title, title_size, self.width - 8, max_lines=3)
        for line in title_lines if draw_title else []:
            y += title_size + 3
            title_parts.append(
                f'<text x="4" y="{y:g}" font-size="{title_size}" font-weight="bold">'
                f"{_esc(line)}</text>"
            )
        top = y + 8
        if not data.regions:
            desc = _("No region boundaries are loaded.")
            parts = [*title_parts, _text(8, top + self.size, desc, size=self.size, fill=MUTED)]
            height = top + self.size + 12
            opening = _open(self.chart_id, self.width, height, self.title, desc)
            return "".join([*opening, *parts, "</svg>"])
        frame = _frame(tuple(r.geometry for r in data.regions), self.width - 2 * MARGIN)
        layout = _Layout(frame, MARGIN, top, self.width)
        self.parts = [self._defs(), *title_parts]
        below = self._legend(layout, data)
        self._regions(data, frame, layout)
        y = layout.bottom() + 4
        for draw in below:
            y += self.line
            self.parts.append(draw(y))
        y = self._undrawn(data, y)
        y = self._credits(data, y)
        desc = _list_desc(self.desc_rows) + " " + self._source(data)
        return "".join(
            [*_open(self.chart_id, self.width, y + 8, self.title, desc), *self.parts, "</svg>"]
        )

    def _defs(self) -> str:
        cid = self.chart_id
        return (
            f'<defs><pattern id="{cid}-nodata" patternUnits="userSpaceOnUse" width="6" '
            f'height="6"><rect width="6" height="6" fill="{NO_DATA}"/>'
            f'<path d="M0 6L6 0M-1 1L1 -1M5 7L7 5" stroke="{HATCH}" stroke-width="1"/>'
            "</pattern>"
            f'<pattern id="{cid}-outside" patternUnits="userSpaceOnUse" width="5" '
            f'height="5"><rect width="5" height="5" fill="{OUTSIDE}"/>'
            f'<circle cx="2.5" cy="2.5" r="0.7" fill="{OUTSIDE_DOT}"/></pattern></defs>'
        )

    # the legend: in the empty north-west corner when it fits there, else under the map

    def _legend_items(self, data: MapShapes) -> list[tuple[str, str]]:
        items = [(c, band.label()) for c, band in zip(self.colours, self.bands, strict=True)]
        if any(
            r.pcode not in self.outside and self.values.get(r.pcode) is None for r in data.regions
        ):
            items.append((f"url(#{self.chart_id}-nodata)", _("no data")))
        if any(r.pcode in self.outside and r.pcode not in self.values for r in data.regions):
            items.append((f"url(#{self.chart_id}-outside)", self.outside_label))
        return items

    def _legend(self, layout: _Layout, data: MapShapes) -> list[Callable[[float], str]]:
        """Draws the legend in the corner if it fits there; else returns its lines, to be
        drawn under the map (each given its baseline)."""
        items = self._legend_items(data)
        size, line = self.size, self.line
        swatch = size + 6
        heading = self.unit or _("Legend")
        item_w = max((_text_width(label, size) for _c, label in items), default=0) + swatch
        width = max(item_w, min(_text_width(heading, size), self.width * 0.4))
        heading_lines = _wrap(heading, size, width, max_lines=3)
        width = max(width, *(_text_width(h, size) for h in heading_lines))
        height = line * (len(heading_lines) + len(items)) + 4
        box = (MARGIN, layout.y0, MARGIN + width + 4, layout.y0 + height)

        def swatch_svg(colour: str, x: float, y: float) -> str:
            edge = OUTSIDE_EDGE if colour.endswith("-outside)") else MUTED
            return (
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{size + 1}" height="{size + 1}" '
                f'fill="{colour}" stroke="{edge}" stroke-width="0.6"/>'
            )

        w, h = box[2] - box[0], box[3] - box[1]
        south_east = (self.width - 4 - w, layout.y0 + layout.frame.height - h)
        corners = [(x, y, x + w, y + h) for x, y in ((MARGIN, layout.y0), south_east)]
        corner = next((box for box in corners if layout.free(box)), None)
        if corner is not None:
            layout.taken.append(corner)
            x, y = corner[0], corner[1]
            for text in heading_lines:
                y += line
                self.parts.append(_text(x + 2, y - 3, text, size=size, font_weight="bold"))
            for colour, label in items:
                y += line
                self.parts.append(swatch_svg(colour, x + 2, y - size - 2))
                self.parts.append(_text(x + swatch + 2, y - 3, label, size=size))
            return []
        below: list[Callable[[float], str]] = [
            partial(_heading_at, MARGIN, text, size)
            for text in _wrap(heading, size, self.width - 2 * MARGIN, max_lines=3)
        ]
        for colour, label in items:
            below.append(partial(_item_at, swatch_svg, colour, label, size, swatch))
        return below

    # the regions, their labels, the insets

    def _regions(self, data: MapShapes, frame: _Frame, layout: _Layout) -> None:
        size = self.size
        shapes = list(zip(data.regions, frame.shapes, strict=True))
        # regions outside the scope first, so that the scope's borders are drawn over theirs
        shapes.sort(key=lambda pair: pair[0].pcode not in self.outside)
        paths: list[str] = []
        small: list[tuple[MapRegion, _Shape, str, str]] = []
        callouts: list[tuple[MapRegion, _Shape, str, str]] = []
        labels: list[str] = []
        for region, s in shapes:
            outside = region.pcode in self.outside and region.pcode not in self.values
            value = self.values.get(region.pcode)
            if outside:
                fill, edge, width = f"url(#{self.chart_id}-outside)", OUTSIDE_EDGE, 0.6
                colour, shown = OUTSIDE, self.outside_label
            elif value is None:
                colour, shown = NO_DATA, _("no data")
                fill, edge, width = f"url(#{self.chart_id}-nodata)", outline_of(NO_DATA), 1.0
            else:
                colour, shown = self.colour(float(value)), _fmt(value)
                fill, edge, width = colour, outline_of(colour), OUTLINE_WIDTH
            width = OUTLINE_WIDTH if not outside else width
            self.desc_rows.append((region.name, shown))
            paths.append(
                f'<path d="{s.path}" fill="{fill}" fill-rule="evenodd" stroke="{edge}" '
                f'stroke-width="{width}" stroke-linejoin="round">'
                f"<title>{_esc(region.name)} – {_esc(shown)}</title></path>"
            )
            ax, ay = s.label_at[0] + MARGIN, s.label_at[1] + layout.y0
            if outside or value is None:
                # the name alone (the legend says "no data" or "outside"), where it fits
                box = self._label_box(ax, ay, [region.name])
                if (
                    s.room * 2.2 >= box[2] - box[0]
                    and s.room >= size * 0.9
                    and layout.free(box, over_land=True)
                ):
                    layout.taken.append(box)
                    ink = MUTED if outside else INK
                    labels.append(
                        _text(
                            ax, ay + size * 0.35, region.name, anchor="middle", size=size, fill=ink
                        )
                    )
                continue
            if s.room < size * 0.6:
                small.append((region, s, shown, colour))
                continue
            lines = [region.name, shown]
            box = self._label_box(ax, ay, lines)
            if (
                s.room * 2.2 >= box[2] - box[0]
                and s.room >= size * 1.1
                and layout.free(box, over_land=True)
            ):
                layout.taken.append(box)
                labels += self._label(ax, ay, lines, _ink_on(colour))
            else:
                callouts.append((region, s, shown, colour))
        self.parts.append(f'<g transform="translate({MARGIN:g} {layout.y0:g})">')
        self.parts += paths
        self.parts.append("</g>")
        for region, s, shown, colour in small:
            self._inset(region, s, shown, colour, layout, labels)
        for region, s, shown, _colour in callouts:
            self._callout(region, s, shown, layout, labels)
        self.parts += labels

    def _label_box(self, x: float, y: float, lines: Sequence[str]) -> Box:
        w = max(_text_width(line, self.size) for line in lines)
        h = len(lines) * (self.size + 1)
        return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)

    def _label(self, x: float, y: float, lines: Sequence[str], ink: str) -> list[str]:
        size = self.size
        first = y - (len(lines) - 1) * (size + 1) / 2 + size * 0.35
        out = []
        for i, line in enumerate(lines):
            attrs = {"font_weight": "bold"} if i == len(lines) - 1 and len(lines) > 1 else {}
            out.append(
                _text(
                    x, first + i * (size + 1), line, anchor="middle", size=size, fill=ink, **attrs
                )
            )
        return out

    def _callout(
        self, region: MapRegion, s: _Shape, shown: str, layout: _Layout, labels: list[str]
    ) -> None:
        anchor = (s.label_at[0] + MARGIN, s.label_at[1] + layout.y0)
        lines = [region.name, shown]
        w = max(_text_width(line, self.size) for line in lines) + 4
        h = len(lines) * (self.size + 1) + 4
        layout.extra = h + 8
        box = layout.beside(anchor, w, h)
        layout.extra = 2.0
        if box is None:  # nowhere free: the label goes over the map, on a white ground
            box = self._label_box(anchor[0], anchor[1], lines)
            labels.append(
                f'<rect x="{box[0] - 2:.1f}" y="{box[1] - 2:.1f}" width="{box[2] - box[0] + 4:.1f}"'
                f' height="{box[3] - box[1] + 4:.1f}" fill="#ffffff" stroke="{INK}" '
                'stroke-width="0.6"/>'
            )
        layout.taken.append(box)
        labels.append(_leader(anchor, box))
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        labels += self._label(cx, cy, lines, INK)

    def _inset(
        self,
        region: MapRegion,
        s: _Shape,
        shown: str,
        colour: str,
        layout: _Layout,
        labels: list[str],
    ) -> None:
        """The region drawn again, enlarged, in a framed box beside the map, with its name
        and value: its colour shows, however small it is."""
        size = self.size
        name_lines = _wrap(region.name, size, max(INSET_SIZE * 2, self.width * 0.32), max_lines=3)
        text_w = max(_text_width(line, size) for line in [*name_lines, shown])
        w = max(INSET_SIZE, text_w) + 10
        h = INSET_SIZE + (len(name_lines) + 1) * (size + 1) + 12
        anchor = (s.label_at[0] + MARGIN, s.label_at[1] + layout.y0)
        layout.extra = h + 8  # under the map, if nowhere beside it
        box = layout.beside(anchor, w, h)
        layout.extra = 2.0
        if box is None:
            self._callout(region, s, shown, layout, labels)
            return
        layout.taken.append(box)
        x0, y0, x1, _y1 = box
        bx0, by0, bx1, by1 = s.box
        k = INSET_SIZE / max(bx1 - bx0, by1 - by0, 0.1)
        ox = (x0 + x1) / 2 - (bx0 + bx1) / 2 * k
        oy = y0 + 5 - by0 * k
        labels.append(
            f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'fill="#ffffff" stroke="{INK}" stroke-width="0.8"/>'
        )
        labels.append(_leader(anchor, box))
        labels.append(
            f'<path d="{s.fine_path or s.path}" transform="translate({ox:.1f} {oy:.1f}) '
            f'scale({k:.3f})" '
            f'fill="{colour}" stroke="{outline_of(colour)}" '
            f'stroke-width="{OUTLINE_WIDTH / k:.3f}" aria-hidden="true"/>'
        )
        y = y0 + 5 + (by1 - by0) * k + 4
        for line in name_lines:
            y += size + 1
            labels.append(_text((x0 + x1) / 2, y, line, anchor="middle", size=size))
        labels.append(
            _text(
                (x0 + x1) / 2, y + size + 1, shown, anchor="middle", size=size, font_weight="bold"
            )
        )

    # under the map: regions not drawn, the source

    def _undrawn(self, data: MapShapes, y: float) -> float:
        drawn = {r.pcode for r in data.regions}
        undrawn = [(code, v) for code, v in sorted(self.values.items()) if code not in drawn]
        if not undrawn:
            return y
        names = data.names
        text = colon(
            _("Not on the map (no boundary of their own in this frame)"),
            "; ".join(f"{names.get(code, code)} {_fmt(v)}" for code, v in undrawn),
        )
        for line in _wrap(text, self.size, self.width - 16, max_lines=4):
            y += self.line
            self.parts.append(_text(8, y, line, size=self.size, fill=MUTED))
        self.desc_rows += [(names.get(code, code), _fmt(v)) for code, v in undrawn]
        return y

    def _source(self, data: MapShapes) -> str:
        return _("Boundaries: %(attribution)s, %(licence)s.") % {
            "attribution": data.attribution,
            "licence": data.licence,
        }

    def _credits(self, data: MapShapes, y: float) -> float:
        """The attribution (required by the licence) and the usual disclaimer."""
        disclaimer = _(
            "The boundaries and names shown do not imply official endorsement or acceptance "
            "by the United Nations."
        )
        size = self.size - 1 if self.size < 12 else self.size
        y += 4
        for line in [
            *_wrap(self._source(data), size, self.width - 16, 4),
            *_wrap(disclaimer, size, self.width - 16, 4),
        ]:
            y += size + 2
            self.parts.append(_text(8, y, line, size=size, fill=MUTED))
        return y


def _heading_at(x: float, text: str, size: int, y: float) -> str:
    return _text(x, y, text, size=size, font_weight="bold")


def _item_at(
    swatch: Callable[[str, float, float], str],
    colour: str,
    label: str,
    size: int,
    indent: float,
    y: float,
) -> str:
    return swatch(colour, MARGIN, y - size) + _text(MARGIN + indent, y, label, size=size)
