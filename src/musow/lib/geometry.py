"""Plane geometry for the map (`musow.lib.maps`): GeoJSON rings, the point of a polygon
where a label fits best, point-in-polygon tests, and outlines simplified for the size
they are drawn at. Pure functions on tuples; nothing here touches the database."""

import json
import math
from collections.abc import Sequence
from functools import lru_cache

Point = tuple[float, float]
Ring = tuple[Point, ...]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1


@lru_cache(maxsize=64)
def shape(geometry_json: str) -> tuple[tuple[Ring, ...], Point, float] | None:
    """Rings of a GeoJSON (Multi)Polygon, the label point of its largest part and the
    label's room (distance to the edge, in degrees). Cached: boundaries rarely move."""
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
        size = abs(area(polygon_rings[0]))
        if size > best_area:
            best, best_area = polygon_rings, size
    if not best:
        return None
    label_at, room = label_point(best)
    return tuple(rings), label_at, room


def area(ring: Ring) -> float:
    return 0.5 * sum(
        x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
    )


def inside(x: float, y: float, rings: Sequence[Ring]) -> bool:
    """Even–odd rule over all rings (holes included)."""
    result = False
    for ring in rings:
        j = len(ring) - 1
        for i in range(len(ring)):
            xi, yi = ring[i]
            xj, yj = ring[j]
            if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                result = not result
            j = i
    return result


def edge_distance(x: float, y: float, rings: Sequence[Ring]) -> float:
    best = math.inf
    for ring in rings:
        for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1], strict=True):
            best = min(best, _segment_distance(x, y, ax, ay, bx, by))
    return best


def _segment_distance(x: float, y: float, ax: float, ay: float, bx: float, by: float) -> float:
    dx, dy = bx - ax, by - ay
    t = (
        0.0
        if dx == dy == 0
        else max(0, min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    )
    return math.hypot(x - (ax + t * dx), y - (ay + t * dy))


def coarse(ring: Ring, points: int = 100) -> Ring:
    step = max(1, len(ring) // points)
    return ring[::step]


def label_point(polygon: list[Ring]) -> tuple[Point, float]:
    """The point of the polygon farthest from its edges (a grid search, refined twice):
    where a label fits best, even in a region that wraps around another."""
    rings = [coarse(ring) for ring in polygon]
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
                if not inside(x, y, rings):
                    continue
                room = edge_distance(x, y, rings)
                if room > best_room:
                    best, best_room = (x, y), room
        cx, cy = best
        span_x, span_y = span_x / 4, span_y / 4
    return best, best_room


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker: the points that keep the line within `tolerance` of the original
    (an outline drawn 300 units wide needs far fewer points than the survey's)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        ax, ay = points[first]
        bx, by = points[last]
        index, distance = -1, tolerance
        for i in range(first + 1, last):
            d = _segment_distance(points[i][0], points[i][1], ax, ay, bx, by)
            if d > distance:
                index, distance = i, d
        if index >= 0:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def overlaps(a: Box, b: Box, gap: float = 0.0) -> bool:
    return not (
        a[2] + gap <= b[0] or b[2] + gap <= a[0] or a[3] + gap <= b[1] or b[3] + gap <= a[1]
    )
