"""Turning uploaded file bytes into sheets of cells (python-calamine for workbooks, csv for text)."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

import python_calamine

from ledger.model import Issue
from ledger.xlsx_cells import XlsxCells

WORKBOOK_TYPES = (".xlsx", ".xls", ".ods", ".xlsb")
TEXT_TYPES = (".csv", ".txt", ".tsv")
ACCEPTED_TYPES = WORKBOOK_TYPES + TEXT_TYPES

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


@dataclass(frozen=True)
class Limits:
    """What one upload may hold; beyond it the file is refused with a message, not read."""

    max_sheets: int = 50
    max_rows: int = 200_000
    max_bytes: int = 20 * 1024 * 1024


DEFAULT_LIMITS = Limits()


@dataclass
class RawSheet:
    """One sheet's cells as written; rows[0] is Excel's row 1, merged ranges are 0-based inclusive."""

    name: str
    rows: list[list[object]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    file_name: str = ""
    cells: XlsxCells | None = None  # formula errors and percent formats, for xlsx files

    def formula_errors(self) -> dict[tuple[int, int], str]:
        return self.cells.errors(self.name) if self.cells else {}

    def percent_rows(self, column: int) -> set[int] | None:
        """Rows whose cell in `column` is formatted as a percentage; None when the format can't be known."""
        return self.cells.percent(self.name, column) if self.cells else None


@dataclass
class ReadResult:
    sheets: list[RawSheet]
    issues: list[Issue]


def _refuse(code: str, file_name: str, **params: object) -> ReadResult:
    return ReadResult([], [Issue("error", code, sheet=file_name, params=tuple(params.items()))])


def _kind_of(data: bytes, file_name: str) -> str:
    suffix = PurePath(file_name).suffix.lower()
    if data.startswith(_CFB_MAGIC):
        return "encrypted" if _ENCRYPTED_STREAM in data else "cfb"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if suffix in TEXT_TYPES or suffix == "":
        return "text"
    return "other"


def read_file(data: bytes, file_name: str, limits: Limits = DEFAULT_LIMITS) -> ReadResult:
    """All sheets of one uploaded file, or a report of why it can't be read. Never raises on bad input."""
    suffix = PurePath(file_name).suffix.lower()
    kind = _kind_of(data, file_name)
    if not data.strip():
        return _refuse("file.empty", file_name)
    if len(data) > limits.max_bytes:
        return _refuse("file.too_large", file_name, size=f"{len(data) / 2**20:.1f}", limit=f"{limits.max_bytes / 2**20:g}")
    if suffix in (".xlsm", ".xltm", ".xlam"):
        return _refuse("file.macro", file_name)
    if kind == "encrypted":
        return _refuse("file.encrypted", file_name)
    if kind == "zip":
        return _read_zip(data, file_name, limits)
    if kind == "cfb":
        return _read_workbook(data, file_name, limits)
    if kind == "text" and suffix in (*TEXT_TYPES, ""):
        return _read_text(data, file_name, limits)
    return _refuse("file.type", file_name, accepted=" ".join(ACCEPTED_TYPES))


def _read_zip(data: bytes, file_name: str, limits: Limits) -> ReadResult:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return _refuse("file.corrupt", file_name)
    if any(name.endswith("vbaProject.bin") for name in names):
        return _refuse("file.macro", file_name)
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names and "mimetype" not in names:
        return _refuse("file.type", file_name, accepted=" ".join(ACCEPTED_TYPES))
    if "mimetype" in names and _ODS_MIME not in data[:200]:
        return _refuse("file.type", file_name, accepted=" ".join(ACCEPTED_TYPES))
    return _read_workbook(data, file_name, limits, xlsx="xl/workbook.xml" in names)


def _read_workbook(data: bytes, file_name: str, limits: Limits, xlsx: bool = False) -> ReadResult:
    cells = XlsxCells(data) if xlsx else None
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = [meta.name for meta in book.sheets_metadata if meta.typ == python_calamine.SheetTypeEnum.WorkSheet]
        if len(names) > limits.max_sheets:
            return _refuse("file.too_many_sheets", file_name, count=len(names), limit=limits.max_sheets)
        sheets = []
        for name in names:
            sheet = book.get_sheet_by_name(name)
            if sheet.total_height > limits.max_rows + 100:
                return _refuse("file.too_many_rows", file_name, sheet=name, count=sheet.total_height,
                               limit=limits.max_rows)
            merged = list(sheet.merged_cell_ranges or [])
            sheets.append(RawSheet(name, sheet.to_python(skip_empty_area=False), merged, file_name, cells))
    except python_calamine.PasswordError:
        return _refuse("file.encrypted", file_name)
    except Exception:  # calamine reports corrupt files with several error types; all mean the same to a user
        return _refuse("file.corrupt", file_name)
    return ReadResult(sheets, [])


def decode_text(data: bytes) -> str | None:
    """CSV text in UTF-8 (with or without BOM) or GBK/GB18030; None when it is neither."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _delimiter(text: str) -> str:
    sample = [line for line in text[:20000].splitlines() if line.strip()][:20]
    counts = {sep: sum(line.count(sep) for line in sample) for sep in (",", "\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_text(data: bytes, file_name: str, limits: Limits) -> ReadResult:
    text = decode_text(data)
    if text is None:
        return _refuse("file.encoding", file_name)
    if "\x00" in text:
        return _refuse("file.type", file_name, accepted=" ".join(ACCEPTED_TYPES))
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_bytes))  # one long 整改进展 cell is fine
    try:
        rows: list[list[object]] = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error:
        return _refuse("file.corrupt", file_name)
    if len(rows) > limits.max_rows + 100:
        return _refuse("file.too_many_rows", file_name, sheet=file_name, count=len(rows), limit=limits.max_rows)
    return ReadResult([RawSheet(PurePath(file_name).stem or file_name, rows, [], file_name)], [])
