"""Hostile XLSX files built on the fly, small on disk: the XML parts are written as a
stream into the zip, so a 40 MB cell or a million rows cost kilobytes on disk."""

import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "{strings}</Types>"
)
STRINGS_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def column(index: int) -> str:
    """1 → A, 28 → AB."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cells(number: int, values: list[Any]) -> bytes:
    """One <row> of inline strings and numbers."""
    parts = [f'<row r="{number}">']
    for index, value in enumerate(values, start=1):
        ref = f"{column(index)}{number}"
        if value is None or value == "":
            continue
        if isinstance(value, int | float):
            parts.append(f'<c r="{ref}"><v>{value}</v></c>')
        else:
            parts.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
    parts.append("</row>")
    return "".join(parts).encode()


def write_workbook(
    path: Path,
    sheet: Iterable[bytes],
    *,
    shared: Iterable[bytes] | None = None,
    dimension: str | None = None,
    extra: dict[str, int] | None = None,
) -> Path:
    """An XLSX with one sheet "Activities" whose <sheetData> is the given pieces; with a
    shared string table made of the given <si> pieces; with extra members of the given
    sizes (zeros)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        types = CONTENT_TYPES.format(strings=STRINGS_TYPE if shared is not None else "")
        archive.writestr("[Content_Types].xml", types)
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets>'
            '<sheet name="Activities" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        strings = (
            f'<Relationship Id="rId2" Type="{DOC}/sharedStrings" Target="sharedStrings.xml"/>'
            if shared is not None
            else ""
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC}/worksheet" '
            f'Target="worksheets/sheet1.xml"/>{strings}</Relationships>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(f'<worksheet xmlns="{MAIN}">'.encode())
            if dimension:
                out.write(f'<dimension ref="{dimension}"/>'.encode())
            out.write(b"<sheetData>")
            for piece in sheet:
                out.write(piece)
            out.write(b"</sheetData></worksheet>")
        if shared is not None:
            with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
                out.write(f'<sst xmlns="{MAIN}">'.encode())
                for piece in shared:
                    out.write(piece)
                out.write(b"</sst>")
        for name, size in (extra or {}).items():
            with archive.open(name, "w", force_zip64=True) as out:
                block = bytes(1 << 20)
                for start in range(0, size, len(block)):
                    out.write(block[: min(len(block), size - start)])
    return path


def long_text(length: int, chunk: int = 1 << 20) -> Iterable[bytes]:
    """`length` letters, written a chunk at a time."""
    for start in range(0, length, chunk):
        yield b"x" * min(chunk, length - start)
