"""Which encoding a CSV file is in, decided once for the whole file (see
`detect_encoding`): a file is never read half in one encoding, half in another."""

import codecs
import re
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from musow.intake.tables import EXCERPT, ReadError, excerpt

_CHUNK = 1 << 20

# What Windows-1252 text in French or English uses beyond ASCII: accented letters, and
# typographic signs. Anything else (ƒ, ‚, ˆ, ‹…) is the sign of another encoding read
# as Windows-1252 (Shift-JIS, Windows-1251…).
_LETTERS = "À-ÖØ-öø-ÿŒœŠšŽžŸ"
_LETTERS_BUT_A = "Á-ÖØ-ßá-öø-ÿŒœŠšŽžŸ"  # à alone is a French word
_SIGNS = "\u00a0«»°€‘’“”–—…•·§©®™²³¹ºª½¼¾£¥¢±×÷µ¿¡"
_NOT_LATIN = re.compile(
    f"[^\\x00-\\x7f{_LETTERS}{_SIGNS}]"  # a sign Latin text does not use
    f"|[{_LETTERS}]{{4,}}"  # four accented letters in a row
    # accented letters standing alone, outside any word
    f"|(?<![A-Za-z{_LETTERS}])(?:[{_LETTERS}]{{2,3}}|[{_LETTERS_BUT_A}])(?![A-Za-z{_LETTERS}])"
)


def detect_encoding(path: Path, name: str | None = None) -> str:
    """The encoding of a whole CSV file, decided once for the file:

    - UTF-16 when the file starts with its byte order mark;
    - UTF-8 (with or without BOM) when every byte of the file decodes as UTF-8;
    - Windows-1252 (what Excel writes as "CSV" on a French Windows) when the file holds
      no UTF-8 text at all, decodes as Windows-1252, and reads as Latin text.

    Anything else is refused, naming the first row that does not decode: a UTF-8 file
    with one row in another encoding (two exports pasted together), a Shift-JIS file,
    a damaged file. Reading such a file in one encoding would change its text silently.
    """
    name = name or path.name
    with open(path, "rb") as fh:
        head = fh.read(2)
    if head in (b"\xff\xfe", b"\xfe\xff"):
        _check_utf16(path, name)
        return "utf-16"
    bad, utf8_text = _utf8_scan(path)
    if bad is None:
        return "utf-8-sig"
    if utf8_text:
        row, line = _line_at(path, bad)
        raise ReadError(
            _(
                "%(file)s is in UTF-8 except row %(row)s, which is in another encoding "
                "(“%(text)s”). Correct that row, save the file as “CSV UTF-8” and import it "
                "again."
            )
            % {"file": name, "row": row, "text": excerpt(line.decode("cp1252", "replace"))}
        )
    offset = _windows_1252_scan(path)
    if offset is not None:
        row, line = _line_at(path, offset)
        raise ReadError(
            _(
                "%(file)s, row %(row)s: the text is neither UTF-8 nor Windows-1252 "
                "(“%(text)s”). Save the file as “CSV UTF-8” (Excel: Save As › CSV UTF-8) and "
                "import it again."
            )
            % {"file": name, "row": row, "text": excerpt(line.decode("cp1252", "replace"))}
        )
    return "cp1252"


def _utf8_scan(path: Path) -> tuple[int | None, bool]:
    """(offset of the first byte that is not UTF-8 or None, whether some row of the file
    holds text beyond ASCII and is entirely valid UTF-8)."""
    bad: int | None = None
    utf8_text = False
    for offset, data in _line_chunks(path):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            if bad is None:
                bad = offset + exc.start
            if not utf8_text:
                utf8_text = any(_utf8_line(line) for line in data.split(b"\n"))
        else:
            utf8_text = utf8_text or not text.isascii()
        if bad is not None and utf8_text:
            break
    return bad, utf8_text


def _utf8_line(line: bytes) -> bool:
    if line.isascii():
        return False
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _line_chunks(path: Path) -> Iterator[tuple[int, bytes]]:
    """(offset, bytes) of the file in pieces that end at a line's end (or, in a very
    long line, at a separator), so that no word is cut in two."""
    carry = b""
    offset = 0
    with open(path, "rb") as fh:
        while data := fh.read(_CHUNK):
            data = carry + data
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                cut = max(data.rfind(c) for c in (b",", b";", b"\t", b" ")) + 1 or len(data)
            yield offset, data[:cut]
            offset += cut
            carry = data[cut:]
    if carry:
        yield offset, carry


def _windows_1252_scan(path: Path) -> int | None:
    """Offset of the first byte that does not read as Windows-1252 Latin text, or None."""
    for offset, data in _line_chunks(path):
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            return offset + exc.start
        if m := _NOT_LATIN.search(text):
            return offset + m.start()  # one byte per character
    return None


def _check_utf16(path: Path, name: str) -> None:
    decoder = codecs.getincrementaldecoder("utf-16")()
    lines = 1
    with open(path, "rb") as fh:
        try:
            while chunk := fh.read(_CHUNK):
                lines += decoder.decode(chunk).count("\n")
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise ReadError(
                _(
                    "%(file)s, row %(row)s: the text is not valid UTF-16. Save the file as "
                    "“CSV UTF-8” and import it again."
                )
                % {"file": name, "row": lines}
            ) from exc


def _line_at(path: Path, offset: int) -> tuple[int, bytes]:
    """The line number of a byte offset, and the beginning of that line."""
    lines = 1
    start = 0
    with open(path, "rb") as fh:
        done = 0
        while done < offset and (chunk := fh.read(min(_CHUNK, offset - done))):
            lines += chunk.count(b"\n")
            last = chunk.rfind(b"\n")
            if last >= 0:
                start = done + last + 1
            done += len(chunk)
        fh.seek(start)
        line = fh.read(max(offset - start, 0) + 2 * EXCERPT)
    return lines, line.split(b"\n", 1)[0]
