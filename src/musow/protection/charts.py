"""The programme's charts, drawn from its PROTECTED figures only (server-side SVG in the
style of musow.lib.charts: no script, every colour an attribute, a <title> and a <desc>
stating the data in words).

A hidden count is never drawn to scale: it is a hatched stub of one fixed width with its
mark ("< 5", "×") written beside it, so the chart tells no more than the table.

    funnel_svg([("complaints filed", 42, "42"), ("investigations opened", None, "< 5")],
               title=…, lang="fr")
    trend_svg([("T1 2014", [(12, "12"), (None, "< 5")])], series=[…], title=…, lang="fr")
"""

from collections.abc import Sequence

from django.utils import translation
from django.utils.translation import gettext as _

from musow.lib.i18n import percent
from musow.lib.svg import (
    BAR,
    GRID,
    HATCH,
    INK,
    LABEL_SIZE,
    MUTED,
    NO_DATA,
    SERIES_COLOURS,
    SMALL_SIZE,
    _chart_id,
    _draw_title,
    _esc,
    _list_desc,
    _open,
    _text,
    _text_width,
    _title_lines,
    _wrap,
)

Shown = tuple[int | None, str]  # the value when shown (None when hidden), its text
STUB = 18  # the width of a hidden count's mark: the same whatever it hides


def funnel_svg(
    stages: Sequence[tuple[str, int | None, str]], *, title: str, lang: str, width: int = 480
) -> str:
    """The justice chain as a funnel: one centred bar per stage, its count, and the share
    of the stage before it (only when both are shown)."""
    with translation.override(lang):
        notes = []
        for i, (_label, value, _shown) in enumerate(stages):
            before = stages[i - 1][1] if i else None
            notes.append(
                _("%(share)s of the stage before") % {"share": percent(value / before)}
                if i and value is not None and before
                else ""
            )
        rows = [(label, [(value, text)]) for label, value, text in stages]
        return _draw(rows, [], notes, title, width, centred=True)


def trend_svg(
    rows: Sequence[tuple[str, Sequence[Shown]]],
    *,
    series: Sequence[str],
    title: str,
    lang: str,
    width: int = 480,
) -> str:
    """One group of bars per quarter, one bar per series (incidents, complaints…)."""
    with translation.override(lang):
        return _draw(rows, series, ["" for _row in rows], title, width, centred=False)


def _draw(
    rows: Sequence[tuple[str, Sequence[Shown]]],
    series: Sequence[str],
    notes: Sequence[str],
    title: str,
    width: int,
    *,
    centred: bool,
) -> str:
    width = max(280, int(width))
    n_series = max(1, len(series))
    chart_id = _chart_id("sgbv", title, rows, series, width)
    hatch = f"{chart_id}-hidden"
    top = max((v for _l, values in rows for v, _t in values if v is not None), default=0)
    label_col = min(width * 0.34, max((_text_width(r[0], LABEL_SIZE) for r in rows), default=40))
    label_col = max(label_col, 40)
    texts = [t for _l, values in rows for _v, t in values]
    value_col = max((_text_width(t, LABEL_SIZE) for t in texts), default=20) + 8
    x0 = 8 + label_col + 6
    bar_space = max(60.0, width - x0 - value_col - 12)
    bar_h = 14
    row_h = bar_h * n_series + 12 + (10 if any(notes) else 0)

    described = []
    for (label, values), note in zip(rows, notes, strict=True):
        texts = [
            f"{name} {text}" if series else text
            for name, (_v, text) in zip(series or [""], values, strict=False)
        ]
        described.append((label, ", ".join(texts) + (f" ({note})" if note else "")))
    desc = _list_desc(described) if rows else _("No data.")

    parts, y = _draw_title(_title_lines(title, width))
    parts.insert(
        0,
        f'<defs><pattern id="{hatch}" patternUnits="userSpaceOnUse" width="6" height="6">'
        f'<rect width="6" height="6" fill="{NO_DATA}"/>'
        f'<path d="M0 6L6 0M-1 1L1 -1M5 7L7 5" stroke="{HATCH}" stroke-width="1"/>'
        "</pattern></defs>",
    )
    if len(series) > 1:
        y += 6
        x = 8.0
        for k, name in enumerate(series):
            colour = SERIES_COLOURS[k % len(SERIES_COLOURS)]
            parts.append(
                f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{colour}"/>'
            )
            parts.append(_text(x + 14, y, name))
            x += 14 + _text_width(name, LABEL_SIZE) + 16
        y += 14
    if not rows or (top <= 0 and all(v is not None for _l, vs in rows for v, _t in vs)):
        parts.append(_text(8, y + LABEL_SIZE, _("No data for this period."), fill=MUTED))
        height = y + LABEL_SIZE + 12
        return "".join([*_open(chart_id, width, height, title, desc), *parts, "</svg>"])

    scale = (bar_space - STUB) / top if top else 0.0
    if not centred:
        parts.append(
            f'<line x1="{x0:.1f}" y1="{y - 2:.1f}" x2="{x0:.1f}" '
            f'y2="{y + len(rows) * row_h:.1f}" stroke="{GRID}" stroke-width="1"/>'
        )
    for i, ((label, values), note) in enumerate(zip(rows, notes, strict=True)):
        row_y = y + i * row_h
        lines = _wrap(label, LABEL_SIZE, label_col, max_lines=2)
        middle = row_y + (bar_h * n_series + 6) / 2
        first = middle + LABEL_SIZE * 0.35 - (len(lines) - 1) * LABEL_SIZE * 0.55
        for j, line in enumerate(lines):
            parts.append(_text(x0 - 6, first + j * (LABEL_SIZE + 1), line, anchor="end"))
        for k, (value, text) in enumerate(values):
            bar_y = row_y + 3 + k * bar_h
            colour = SERIES_COLOURS[k % len(SERIES_COLOURS)] if len(series) > 1 else BAR
            w = STUB if value is None else max(value * scale, 0.5 if value else 0)
            x = x0 + (bar_space - w) / 2 if centred else x0
            fill = f"url(#{hatch})" if value is None else colour
            parts.append(
                f'<rect x="{x:.1f}" y="{bar_y:.1f}" width="{w:.1f}" height="{bar_h - 2}" '
                f'fill="{fill}"><title>{_esc(label)} – {_esc(text)}</title></rect>'
            )
            end = x0 + bar_space + 6 if centred else x + w + 4
            parts.append(_text(end, bar_y + bar_h / 2 + LABEL_SIZE * 0.3, text, fill=INK))
        if note:
            parts.append(
                _text(
                    x0 + bar_space / 2,
                    row_y + 3 + n_series * bar_h + SMALL_SIZE + 1,
                    note,
                    anchor="middle",
                    size=SMALL_SIZE,
                    fill=MUTED,
                )
            )
    y += len(rows) * row_h + 6
    hidden = any(v is None for _l, vs in rows for v, _t in vs)
    if hidden:
        parts.append(f'<rect x="8" y="{y:.1f}" width="{STUB}" height="10" fill="url(#{hatch})"/>')
        for j, line in enumerate(
            _wrap(
                _("hidden to protect the people concerned (not drawn to scale)"),
                SMALL_SIZE,
                width - 40,
            )
        ):
            parts.append(_text(8 + STUB + 6, y + 8 + j * (SMALL_SIZE + 2), line, size=SMALL_SIZE))
        y += 24
    height = y + 4
    return "".join([*_open(chart_id, width, height, title, desc), *parts, "</svg>"])
