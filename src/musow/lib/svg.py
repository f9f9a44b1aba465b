"""What the charts (`musow.lib.charts`) and the map (`musow.lib.maps`) share: colours, sizes
and the pieces of inline-safe SVG they are drawn with."""

import hashlib
import json
from collections.abc import Sequence
from decimal import Decimal
from html import escape

from musow.lib.i18n import colon, number

Number = float | int | Decimal

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
INK = "#1f1f1f"
MUTED = "#555555"
GRID = "#d0d0d0"
BAR = "#3b5b92"
NO_DATA = "#e3e3e3"  # under diagonal hatching, so "no data" never reads as "few"
# Okabe–Ito, distinguishable with the common colour-vision deficiencies.
SERIES_COLOURS = ("#0072B2", "#E69F00", "#999999", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
# ColorBrewer "Purples", 5 classes (sequential, colour-blind safe, prints in grey).
CLASS_COLOURS = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")

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
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'width="{width:g}" height="{height:g}" viewBox="0 0 {width:g} {height:g}" '
        f'font-family="{FONT}" font-size="{LABEL_SIZE}" fill="{INK}">',
        f'<title id="{chart_id}-title">{_esc(title)}</title>',
        f'<desc id="{chart_id}-desc">{_esc(desc)}</desc>',
        f'<rect x="0" y="0" width="{width:g}" height="{height:g}" fill="#ffffff"/>',
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


def _ink_on(fill: str) -> str:
    """Black or white text, whichever reads better on `fill` (#rrggbb)."""
    r, g, b = (int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return "#000000" if luminance > 0.25 else "#ffffff"


def _list_desc(rows: Sequence[tuple[str, str]]) -> str:
    return "; ".join(colon(label, value) for label, value in rows) + "."
