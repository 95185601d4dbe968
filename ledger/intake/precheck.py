"""Cheap checks of an uploaded file's bytes before any parser sees them: type, size, zip directory, macro parts,
CSV lines, ODS repeats and declared sheet sizes. Each returns the refusal to report, or None."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from ledger.codes import IssueCode
from ledger.intake.guard import MIB, Limits
from ledger.intake.xlsx_cells import parse
from ledger.model import Issue
from ledger.text import shortened

WORKBOOK_TYPES = (".xlsx", ".xls", ".ods", ".xlsb")
TEXT_TYPES = (".csv", ".txt", ".tsv")
WORD_TYPES = (".docx",)  # a ledger kept as a Word table; a plan document
ACCEPTED_TYPES = WORKBOOK_TYPES + TEXT_TYPES + WORD_TYPES
MAX_NAME_CHARS = 255

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam", ".xlsb")
_MACRO_MARKS = (
    b"vbaProject",
    b"macroEnabled",
    b"vbaData",
    b"ms-office.activeX",
    b"ms-excel.macrosheet",
    b"ms-excel.intlmacrosheet",
)
_SMALL_PART = MIB  # below this, a high compression ratio is harmless


def refusal(code: IssueCode, file_name: str, **params: object) -> Issue:
    return Issue("error", code, sheet=file_name, params=tuple(params.items()))


def kind_of(data: bytes, file_name: str) -> str:
    """ "encrypted", "cfb" (.xls), "zip" (.xlsx/.ods), "text" or "other", by content rather than by name."""
    suffix = PurePath(file_name).suffix.lower()
    if data.startswith(CFB_MAGIC):
        return "encrypted" if _ENCRYPTED_STREAM in data else "cfb"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if suffix in TEXT_TYPES or suffix == "":
        return "text"
    return "other"


def check_bytes(data: bytes, file_name: str, limits: Limits) -> Issue | None:
    """Everything that can be told without parsing: O(size of the zip directory, or one pass over a CSV)."""
    suffix = PurePath(file_name).suffix.lower()
    kind = kind_of(data, file_name)
    if len(file_name) > MAX_NAME_CHARS:
        return refusal("file.name_too_long", shortened(file_name, 61), count=len(file_name), limit=MAX_NAME_CHARS)
    if not data.strip():
        return refusal("file.empty", file_name)
    if len(data) > limits.max_bytes:
        return refusal("file.too_large", file_name, size=f"{len(data) / MIB:.1f}", limit=limits.max_mib)
    if suffix in _MACRO_SUFFIXES[:3]:
        return refusal("file.macro", file_name)
    if kind == "encrypted":
        return refusal("file.encrypted", file_name)
    if kind == "zip":
        return check_zip(data, file_name, limits)
    if kind == "text":
        return _check_lines(data, file_name, limits)
    if kind == "cfb":
        return None  # .xls, or a legacy Word .doc/.wps (a plan document, converted by LibreOffice)
    return refusal("file.type", file_name, accepted=" ".join(ACCEPTED_TYPES))


def _check_lines(data: bytes, file_name: str, limits: Limits) -> Issue | None:
    """A CSV's line count (a row may span lines, so four lines per allowed row) and its longest line."""
    lines = data.count(b"\n") + 1
    if lines > 4 * (limits.max_rows + 100):
        return refusal("file.too_many_lines", file_name, count=lines, limit=limits.max_rows)
    longest, start = 0, 0
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        longest = max(longest, end - start)
        start = end + 1
    if longest > limits.max_line_bytes:
        return refusal(
            "file.line_too_long", file_name, size=f"{longest / MIB:.1f}", limit=f"{limits.max_line_bytes / MIB:g}"
        )
    return None


def check_zip(data: bytes, file_name: str, limits: Limits) -> Issue | None:
    """The zip directory: entry count, each entry's unpacked size and ratio, the total; macro parts by any name."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return refusal("file.corrupt", file_name)
    if len(entries) > limits.max_parts:
        return refusal("file.too_many_parts", file_name, count=len(entries), limit=limits.max_parts)
    total = 0
    for entry in entries:
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > limits.max_part_mib * MIB or (entry.file_size > _SMALL_PART and ratio > limits.max_ratio):
            return refusal(
                "file.unpacked_too_large",
                file_name,
                part=entry.filename[:80],
                size=f"{entry.file_size / MIB:.0f}",
                ratio=f"{ratio:.0f}",
                limit=limits.max_part_mib,
                max_ratio=limits.max_ratio,
            )
    if total > limits.max_unpacked_mib * MIB:
        return refusal(
            "file.unpacked_too_large",
            file_name,
            part="*",
            size=f"{total / MIB:.0f}",
            ratio=f"{total / max(len(data), 1):.0f}",
            limit=limits.max_unpacked_mib,
            max_ratio=limits.max_ratio,
        )
    names = {entry.filename for entry in entries}
    if has_macro(archive, names):
        return refusal("file.macro", file_name)
    if any(declares_entities(head_of(archive, name, 1024)) for name in names if name.endswith((".xml", ".rels"))):
        return refusal("file.unsafe_xml", file_name)
    if not names & {"xl/workbook.xml", "xl/workbook.bin", "mimetype", "word/document.xml"}:
        return refusal("file.type", file_name, accepted=" ".join(ACCEPTED_TYPES))
    if "mimetype" in names and ODS_MIME not in head_of(archive, "mimetype", 200):
        return refusal("file.type", file_name, accepted=" ".join(ACCEPTED_TYPES))
    return None


def head_of(archive: zipfile.ZipFile, name: str, size: int) -> bytes:
    try:
        with archive.open(name) as part:
            return part.read(size)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
        return b""


def has_macro(archive: zipfile.ZipFile, names: set[str]) -> bool:
    """VBA or macro sheets, whatever the part is called: by name, by declared content or relationship type, or by
    an embedded compound file (the format vbaProject.bin is stored in)."""
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return True
    for name in ("[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
        if name in names and any(mark.lower() in head_of(archive, name, 4 * MIB).lower() for mark in _MACRO_MARKS):
            return True
    return any(head_of(archive, name, 8) == CFB_MAGIC for name in names if name.lower().endswith(".bin"))


def declares_entities(head: bytes) -> bool:
    """A DOCTYPE or ENTITY declaration opens the part: how XML bombs (billion laughs) and XXE begin; spreadsheets
    never need one."""
    return any(mark in head for mark in (b"<!DOCTYPE", b"<!ENTITY", "<!DOCTYPE".encode("utf-16-le")))


# --- in the worker, before calamine: what only the parts' contents tell -------------------------------------------

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]{0,200}?\bref="([A-Z]{1,3})?(\d{1,7})?:?([A-Z]{1,3})?(\d{1,7})?"')


def column_number(letters: str) -> int:
    """`A` → 1, `XFD` → 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def declared_size(archive: zipfile.ZipFile, part: str) -> tuple[int, int] | None:
    """(rows, columns) an xlsx sheet declares in its <dimension>, from the first 4 KB of the part; None if absent."""
    found = _DIMENSION.search(head_of(archive, part, 4096))
    if not found:
        return None
    column = (found[3] or found[1] or b"A").decode()
    row = int(found[4] or found[2] or 1)
    return row, column_number(column)


def sheet_size_issue(where: str, rows: int, columns: int, file_name: str, limits: Limits) -> Issue | None:
    """The refusal for a sheet of `rows` × `columns` (Excel's extent, counted from A1), or None when it fits."""
    far = f"{column_letters(columns)}{rows}"
    if rows > limits.max_rows + 100:
        return refusal("file.too_many_rows", file_name, where=where, count=rows, limit=limits.max_rows, cell=far)
    if columns > limits.max_columns:
        return refusal(
            "file.too_many_columns", file_name, where=where, count=columns, limit=limits.max_columns, cell=far
        )
    return None


_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]{0,512}?\br="(\d{1,9})"')
_FAR_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]{0,512}?\br="([A-Z]{2,5})(\d{1,9})"')


def far_extent(archive: zipfile.ZipFile, part: str, limits: Limits) -> tuple[int, int]:
    """The real (rows, columns) an xlsx sheet's cells reach, read by streaming the part: the last row number, and
    every cell beyond column Z. Bounded patterns over chunks: linear in the part's size."""
    rows = columns = 0
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(4 * MIB):
            text = tail + chunk
            for found in _ROW_REF.finditer(text):
                rows = max(rows, int(found[1]))
            for found in _FAR_CELL.finditer(text):
                rows = max(rows, int(found[2]))
                columns = max(columns, column_number(found[1].decode()))
            tail = text[-600:]
    return rows, max(columns, 26 if rows else 0)


# --- ODS: repeats multiplied out ------------------------------------------------------------------------------------

_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


class _OdsExtent:
    """Streams content.xml and keeps, per table, the last row and column holding content after repeats."""

    def __init__(self) -> None:
        self.tables: list[tuple[str, int, int]] = []
        self.name, self.row, self.rows, self.columns = "", 0, 0, 0
        self.row_repeat, self.column, self.filled_in_row = 1, 0, 0
        self.cell_repeat, self.cell_filled = 1, False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{_TABLE_NS} table":
            self.name, self.row, self.rows, self.columns = attrs.get(f"{_TABLE_NS} name", ""), 0, 0, 0
        elif tag == f"{_TABLE_NS} table-row":
            self.row_repeat = _count(attrs.get(f"{_TABLE_NS} number-rows-repeated"))
            self.column, self.filled_in_row = 0, 0
        elif tag in (f"{_TABLE_NS} table-cell", f"{_TABLE_NS} covered-table-cell"):
            self.cell_repeat = _count(attrs.get(f"{_TABLE_NS} number-columns-repeated"))
            self.cell_filled = f"{_OFFICE_NS} value-type" in attrs
        else:
            self.cell_filled = True  # text or a frame inside a cell (elsewhere reset by the next cell)

    def end(self, tag: str) -> None:
        if tag in (f"{_TABLE_NS} table-cell", f"{_TABLE_NS} covered-table-cell"):
            self.column += self.cell_repeat
            if self.cell_filled:
                self.filled_in_row = self.column
        elif tag == f"{_TABLE_NS} table-row":
            self.row += self.row_repeat
            if self.filled_in_row:
                self.rows = self.row
                self.columns = max(self.columns, self.filled_in_row)
        elif tag == f"{_TABLE_NS} table":
            self.tables.append((self.name, self.rows, self.columns))


def _count(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1 << 31))
    except ValueError:
        return 1


def ods_extents(archive: zipfile.ZipFile) -> list[tuple[str, int, int]]:
    """(table name, rows, columns) holding content in an .ods, repeats multiplied out, without expanding them.
    Raises ValueError (UnsafeXml, BadXml) for a DOCTYPE or malformed XML."""
    extent = _OdsExtent()

    def ends(parser) -> None:
        parser.EndElementHandler = extent.end

    with archive.open("content.xml") as stream:
        parse(stream, extent.start, ends)
    return extent.tables
