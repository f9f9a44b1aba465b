"""CSV with an HXL hashtag row (`?format=csv`): Excel's and Power BI's "from the web"
imports and the HXL Proxy read it directly.

A view that offers CSV has `csv_table(data)` returning (headers, hashtags, rows) from the
data it would answer as JSON. UTF-8 with a byte-order mark, so Excel reads accents.
"""

import csv
import io
from typing import Any

from rest_framework.renderers import BaseRenderer


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict[str, Any] | None = None,
    ) -> bytes:
        context = renderer_context or {}
        view = context.get("view")
        response = context.get("response")
        if view is None or not hasattr(view, "csv_table"):
            return b""
        headers, tags, rows = view.csv_table(data)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerow(tags)
        for row in rows:
            writer.writerow(["" if v is None else _cell(v) for v in row])
        if response is not None:
            name = getattr(view, "csv_name", "musow")
            response["Content-Disposition"] = f'inline; filename="{name}.csv"'
        return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(value: Any) -> str:
    text = ";".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
    # A cell that a spreadsheet would run as a formula is written as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _number(text) else text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
