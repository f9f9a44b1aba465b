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
