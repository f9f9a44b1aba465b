"""Server-side SVG charts and the map of Mali's regions, for web pages and PDF reports.

Pure functions returning an SVG string: they read no database (the map is handed the
regions' boundaries by its caller, `musow.geo.shapes.map_shapes`). The SVG is inline-safe:
no script, no external reference, no CSS class to resolve; every colour and font is an
attribute, so WeasyPrint draws it the same as a browser. Each chart carries a <title> and
a <desc> that states its data in words (screen readers; `role="img"`), text labels on the
marks, and numbers in the chart's language (`5 400` in French, `5,400` in English).

    bar_chart_svg([("Gao", 120), ("Mopti", 80)], title="Activités par région", lang="fr")
    stacked_bar_chart_svg([("18 ans et plus", [300, 120, 0])],
                          series=["femmes", "hommes", "non précisé"], title=…, lang="fr")
    choropleth_svg({"ML07": 120, "ML05": 80}, shapes=map_shapes("fr"),
                   title="Participants par région", lang="fr")

Signatures are stable: the dashboard and the reports both call them. The map is drawn by
`musow.lib.maps` (imported here as `choropleth_svg`).
"""

from collections.abc import Sequence

from django.utils import translation
from django.utils.translation import gettext as _

from musow.lib.maps import choropleth_svg  # the map, with the charts' signatures
from musow.lib.svg import (
    BACKGROUND,
    BAR,
    GRID,
    INK,
    LABEL_SIZE,
    MUTED,
    SEGMENT_GAP,
    SERIES_COLOURS,
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
)

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


# --- a share over time, against a threshold ---------------------------------------------


def share_line_chart_svg(
    points: Sequence[tuple[str, float | None]],
    *,
    threshold: float,
    threshold_label: str,
    title: str,
    lang: str,
    width: int = 500,
) -> str:
    """A share (0–1) at each of a series of dates (e.g. year ends), as a line with its
    points labelled, 0–100 % on the vertical axis and a dashed line at `threshold` (the
    30 % of Law No. 2015-052). A point without data (None) breaks the line."""
    with translation.override(lang):
        from musow.lib.i18n import percent

        chart_id = _chart_id("share", title, list(points), threshold)
        desc_rows = [(label, percent(v) if v is not None else _("no data")) for label, v in points]
        desc = _list_desc(desc_rows) if points else _("No data.")
        parts, y = _draw_title(_title_lines(title, width))
        left, right, plot_h = 44.0, 16.0, 150.0
        top = y + 4
        bottom = top + plot_h
        plot_w = width - left - right

        def ys(share: float) -> float:
            return bottom - plot_h * max(0.0, min(1.0, share))

        for tick in (0.0, 0.5, 1.0):
            parts.append(
                f'<line x1="{left:.1f}" y1="{ys(tick):.1f}" x2="{width - right:.1f}" '
                f'y2="{ys(tick):.1f}" stroke="{GRID}" stroke-width="1"/>'
            )
            parts.append(
                _text(left - 6, ys(tick) + LABEL_SIZE * 0.35, percent(tick, 0), anchor="end")
            )
        parts.append(
            f'<line x1="{left:.1f}" y1="{ys(threshold):.1f}" x2="{width - right:.1f}" '
            f'y2="{ys(threshold):.1f}" stroke="{INK}" stroke-width="1" '
            'stroke-dasharray="5 3"/>'
        )
        n = len(points)
        step = plot_w / n if n else plot_w
        xs = [left + step * (i + 0.5) for i in range(n)]
        every = max(1, int(n * 40 // plot_w) + 1)  # labels that do not collide
        segment: list[str] = []
        segments: list[list[str]] = [segment]
        for i, (label, share) in enumerate(points):
            if i % every == 0 or i == n - 1:
                parts.append(_text(xs[i], bottom + LABEL_SIZE + 4, label, anchor="middle"))
            if share is None:
                segment = []
                segments.append(segment)
                continue
            segment.append(f"{xs[i]:.1f},{ys(share):.1f}")
        for seg in segments:
            if len(seg) > 1:
                parts.append(
                    f'<polyline points="{" ".join(seg)}" fill="none" stroke="{BAR}" '
                    'stroke-width="2"/>'
                )
        for i, (label, share) in enumerate(points):
            if share is None:
                continue
            parts.append(
                f'<circle cx="{xs[i]:.1f}" cy="{ys(share):.1f}" r="3.5" fill="{BAR}">'
                f"<title>{_esc(label)} – {_esc(percent(share))}</title></circle>"
            )
            if n <= 12:
                parts.append(
                    _text(xs[i], ys(share) - 7, percent(share), anchor="middle", size=SMALL_SIZE)
                )
        legend_y = bottom + 2 * LABEL_SIZE + 12  # the threshold's key, under the years
        parts.append(
            f'<line x1="{left:.1f}" y1="{legend_y - 4:.1f}" x2="{left + 24:.1f}" '
            f'y2="{legend_y - 4:.1f}" stroke="{INK}" stroke-width="1" stroke-dasharray="5 3"/>'
        )
        parts.append(_text(left + 30, legend_y, threshold_label))
        height = legend_y + 8
        return "".join([*_open(chart_id, width, height, title, desc), *parts, "</svg>"])


__all__ = ["bar_chart_svg", "choropleth_svg", "share_line_chart_svg", "stacked_bar_chart_svg"]
