"""Turning uploaded file bytes into sheets of cells (python-calamine for workbooks, csv for text), within the limits.

Runs inside the guarded worker (`ledger.intake.guard`): what could exhaust memory is checked before it is built — a
sheet's extent before its cells become Python objects, ODS repeats before calamine expands them."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import PurePath
from typing import cast

import python_calamine

from ledger.codes import IssueCode
from ledger.intake.documents import decode_text, read_docx, table_name
from ledger.intake.guard import DEFAULT_LIMITS, Limits
from ledger.intake.layout import find_header
from ledger.intake.plan_document import phases_written
from ledger.intake.precheck import (
    ACCEPTED_TYPES,
    ODS_MIME,
    check_bytes,
    declared_size,
    far_extent,
    kind_of,
    ods_extents,
    refusal,
    sheet_size_issue,
)
from ledger.intake.xlsx_cells import UnsafeXml, XlsxCells
from ledger.model import Issue, RawSheet, ReadResult

__all__ = ["ACCEPTED_TYPES", "DEFAULT_LIMITS", "Limits", "RawSheet", "ReadResult", "read_file"]


def _refuse(code: IssueCode, file_name: str, **params: object) -> ReadResult:
    return ReadResult([], [refusal(code, file_name, **params)])


def read_file(data: bytes, file_name: str, limits: Limits = DEFAULT_LIMITS) -> ReadResult:
    """All sheets of one uploaded file, or a report of why it can't be read. Never raises on bad input."""
    problem = check_bytes(data, file_name, limits)
    if problem is not None:
        return ReadResult([], [problem])
    kind = kind_of(data, file_name)
    if kind == "zip":
        return _read_zip(data, file_name, limits)
    if kind == "cfb":
        return _read_workbook(data, file_name, limits)
    return _read_text(data, file_name, limits)


def _read_zip(data: bytes, file_name: str, limits: Limits) -> ReadResult:
    archive = zipfile.ZipFile(io.BytesIO(data))
    if "word/document.xml" in archive.namelist():
        return _read_word(data, file_name, limits)
    try:
        if "mimetype" in archive.namelist():
            problem = _ods_problem(archive, file_name, limits)
            return ReadResult([], [problem]) if problem else _read_workbook(data, file_name, limits)
        cells = XlsxCells(archive)
        problem = _xlsx_problem(archive, cells, file_name, limits)
    except UnsafeXml:
        return _refuse("file.unsafe_xml", file_name)
    except (ValueError, zipfile.BadZipFile, OSError, EOFError, RuntimeError):  # XML errors are ValueErrors
        return _refuse("file.corrupt", file_name)
    return ReadResult([], [problem]) if problem else _read_workbook(data, file_name, limits, cells)


def _ods_problem(archive: zipfile.ZipFile, file_name: str, limits: Limits) -> Issue | None:
    """An .ods's tables measured with their repeats multiplied out, before calamine expands them."""
    if ODS_MIME not in archive.read("mimetype")[:200]:
        return refusal("file.type", file_name, accepted=" ".join(ACCEPTED_TYPES))
    extents = ods_extents(archive)
    for name, rows, columns in extents:
        problem = sheet_size_issue(name, rows, columns, file_name, limits)
        if problem:
            return problem
    return _cells_problem(sum(rows * columns for _, rows, columns in extents), file_name, limits)


def _xlsx_problem(archive: zipfile.ZipFile, cells: XlsxCells, file_name: str, limits: Limits) -> Issue | None:
    """A sheet whose declared size is over the limits is measured for real (the declaration may lie either way;
    one that under-declares is caught by the worker's memory limit and measured afterwards, see `diagnose`)."""
    for name, part in cells.sheet_paths.items():
        declared = declared_size(archive, part)
        if declared and sheet_size_issue(name, *declared, file_name, limits):
            problem = sheet_size_issue(name, *far_extent(archive, part, limits), file_name, limits)
            if problem:
                return problem
    return None


def diagnose(data: bytes, file_name: str, limits: Limits = DEFAULT_LIMITS) -> Issue | None:
    """After a worker ran out of memory on an xlsx: the sheet whose cells reach too far, if that was the cause."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        for name, part in XlsxCells(archive).sheet_paths.items():
            problem = sheet_size_issue(name, *far_extent(archive, part, limits), file_name, limits)
            if problem:
                return problem
    except (ValueError, zipfile.BadZipFile, OSError, EOFError, RuntimeError):
        return None
    return None


def _cells_problem(cells: int, file_name: str, limits: Limits) -> Issue | None:
    if cells > limits.max_cells:
        return refusal("file.too_many_cells", file_name, count=cells, limit=limits.max_cells)
    return None


def _read_workbook(data: bytes, file_name: str, limits: Limits, cells: XlsxCells | None = None) -> ReadResult:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = [meta.name for meta in book.sheets_metadata if meta.typ == python_calamine.SheetTypeEnum.WorkSheet]
        if len(names) > limits.max_sheets:
            return _refuse("file.too_many_sheets", file_name, count=len(names), limit=limits.max_sheets)
        sheets, total_cells, total_merged = [], 0, 0
        for name in names:
            sheet = book.get_sheet_by_name(name)
            rows, columns = (sheet.end[0] + 1, sheet.end[1] + 1) if sheet.end else (0, 0)
            problem = sheet_size_issue(name, rows, columns, file_name, limits)
            total_cells += rows * columns
            problem = problem or _cells_problem(total_cells, file_name, limits)
            merged = list(sheet.merged_cell_ranges or [])
            total_merged += len(merged)
            if total_merged > limits.max_merged:
                problem = problem or refusal(
                    "file.too_many_merged", file_name, count=total_merged, limit=limits.max_merged
                )
            if problem:
                return ReadResult([], [problem])
            sheets.append(RawSheet(name, _cells(sheet, file_name), merged, file_name, cells))
    except _Unreadable as problem:
        return ReadResult([], [problem.issue])
    except python_calamine.PasswordError:
        return _refuse("file.encrypted", file_name)
    except Exception:  # calamine reports corrupt files with several error types; all mean the same to a user
        return _refuse("file.corrupt", file_name)
    return ReadResult(sheets, [])


class _Unreadable(Exception):
    def __init__(self, issue: Issue):
        super().__init__(issue.code)
        self.issue = issue


def _cells(sheet, file_name: str) -> list[list[object]]:
    """The sheet's cells; a value the native reader panics on (a date cell holding -inf, say) becomes a refusal
    naming its row. Panics are BaseExceptions, so they are caught here by name."""
    try:
        return sheet.to_python(skip_empty_area=False)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as problem:  # pyo3's PanicException
        if type(problem).__name__ != "PanicException" and not isinstance(problem, (ValueError, OverflowError)):
            raise
        raise _Unreadable(
            refusal("file.unreadable_value", file_name, where=sheet.name, row=_failing_row(sheet))
        ) from None


def _failing_row(sheet) -> int:
    """The Excel row number of the first row the native reader cannot convert (0 when it cannot be told)."""
    converted = 0
    try:
        for _ in sheet.iter_rows():
            converted += 1
    except BaseException:  # the same panic, one row further along
        return (sheet.start[0] if sheet.start else 0) + converted + 1
    return 0


def _read_word(data: bytes, file_name: str, limits: Limits) -> ReadResult:
    """A ledger kept as a Word table: each table a sheet (表格1 …, rows numbered as the table's rows, vertical
    merges kept), the paragraphs a 正文 sheet (the report date), and 整改步骤 paragraphs as a phases sheet when no
    table holds the phases."""
    document = read_docx(data, file_name, limits)
    if isinstance(document, Issue):
        return ReadResult([], [document])
    sheets = [
        RawSheet(table_name(n), cast(list[list[object]], table.rows), table.merged, file_name)
        for n, table in enumerate(document.tables, start=1)
    ]
    paragraphs = [line for paragraph in document.paragraphs for line in paragraph.split("\n") if line.strip()]
    sheets.append(RawSheet(BODY_SHEET, [[line] for line in paragraphs], [], file_name))
    if not any(find_header(sheet.rows, "phases") for sheet in sheets[:-1]):
        phases = phases_written(paragraphs)
        if phases:
            rows: list[list[object]] = [["阶段", "工作内容"]]
            rows += ([p.written, p.description] for p in phases)
            sheets.append(RawSheet(PHASES_SHEET, rows, [], file_name))
    return ReadResult(sheets, [])


BODY_SHEET, PHASES_SHEET = "正文", "整改步骤"


def _delimiter(text: str) -> str:
    sample = [line for line in text[:20000].splitlines() if line.strip()][:20]
    counts = {sep: sum(line.count(sep) for line in sample) for sep in (",", "\t", ";")}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def _read_text(data: bytes, file_name: str, limits: Limits) -> ReadResult:
    text = decode_text(data)
    if text is None:
        return _refuse("file.encoding", file_name)
    if "\x00" in text:
        return _refuse("file.type", file_name, accepted=" ".join(ACCEPTED_TYPES))
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_bytes))  # one long 整改进展 cell is fine
    try:
        rows = cast(list[list[object]], list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))))
    except csv.Error:
        return _refuse("file.corrupt", file_name)
    width = max(map(len, rows), default=0)
    problem = sheet_size_issue(file_name, len(rows), width, file_name, limits)
    problem = problem or _cells_problem(len(rows) * width, file_name, limits)
    if problem:
        return ReadResult([], [problem])
    return ReadResult([RawSheet(PurePath(file_name).stem or file_name, rows, [], file_name)], [])
