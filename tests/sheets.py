"""Small spreadsheets built in code for tests: xlsx (openpyxl), xls (xlwt), ods (odfpy), csv."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime

import openpyxl

from ledger import Ledger, load_ledger
from ledger.sample import PHASES, TITLE, week_tasks
from ledger.writing import LedgerSheet, ledger_workbook

RECEIVED = date(2019, 6, 3)  # the "day of upload" tests pass in; the ledgers below state their own report date

TASK_HEADER = [
    "序号",
    "问题类别",
    "整改措施",
    "所属阶段",
    "责任领导",
    "责任部门",
    "责任人",
    "开始日期",
    "完成时限",
    "完成情况",
    "完成进度",
    "完成日期",
    "佐证材料",
    "备注",
]
PHASE_HEADER = ["序号", "阶段", "开始日期", "结束日期", "工作内容"]
PHASE_ROWS = [
    [1, "自查自纠", date(2019, 4, 25), date(2019, 5, 10), "制定整改方案"],
    [2, "整改落实", date(2019, 5, 11), date(2019, 5, 31), "逐条整改"],
    [3, "迎接督导检查", date(2019, 6, 1), date(2019, 6, 10), "迎接督导检查"],
    [4, "健全机制", date(2019, 6, 11), date(2019, 6, 30), "建立长效机制"],
]


def task_row(
    id=1,
    category="思想重视不够的问题",
    measure="成立领导小组",
    phase="整改落实",
    leader="党总支书记",
    department="党政办公室",
    owner="办公室主任",
    start=date(2019, 5, 11),
    due=date(2019, 5, 31),
    status="进行中",
    progress=50,
    completed_on=None,
    evidence="",
    notes="",
) -> list:
    """One row under TASK_HEADER; every cell can be overridden by keyword."""
    return [
        id,
        category,
        measure,
        phase,
        leader,
        department,
        owner,
        start,
        due,
        status,
        progress,
        completed_on,
        evidence,
        notes,
    ]


def xlsx(
    sheets: dict[str, Sequence[Sequence[object]]],
    merges: dict[str, Sequence[str]] | None = None,
    percent: dict[str, Sequence[str]] | None = None,
) -> bytes:
    """An .xlsx with the given sheets; `merges` maps a sheet to ranges like "B2:B4" (value in the top cell);
    `percent` maps a sheet to cells formatted as percentages."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([None if v == "" else v for v in row])
        for cell_range in (merges or {}).get(name, ()):
            sheet.merge_cells(cell_range)
        for cell in (percent or {}).get(name, ()):
            sheet[cell].number_format = "0%"
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, (date, datetime)):
                    cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xls(sheets: dict[str, Sequence[Sequence[object]]]) -> bytes:
    """A legacy .xls (BIFF8) written with xlwt; dates as date cells."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    dates = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, date):
                    sheet.write(r, c, datetime(value.year, value.month, value.day), dates)
                elif value not in ("", None):
                    sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ods(sheets: dict[str, Sequence[Sequence[object]]]) -> bytes:
    """An OpenDocument spreadsheet written with odfpy (through pandas); dates as date cells."""
    import pandas as pd

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="odf") as writer:
        for name, rows in sheets.items():
            pd.DataFrame([list(r) for r in rows]).to_excel(writer, sheet_name=name, header=False, index=False)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[object]], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    """CSV text as a person's spreadsheet program saves it; `encoding` may be utf-8-sig, gbk, gb18030."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else (v.isoformat() if isinstance(v, date) else v) for v in row])
    return text.getvalue().encode(encoding)


def workbook(
    tasks: Sequence[Sequence[object]],
    *,
    above: Sequence[Sequence[object]] = (
        ["整改台账"],
        ["填报单位：党政办公室", "", "", "", "", "", "", "", "", "填报日期：2019年5月27日"],
    ),
    header: Sequence[str] = TASK_HEADER,
    phases: Sequence[Sequence[object]] | None = PHASE_ROWS,
    merges: Sequence[str] = (),
    percent: Sequence[str] = (),
) -> bytes:
    """A typical ledger workbook: title lines above the header, the task rows, and a 整改步骤 sheet."""
    sheets = {"整改台账": [*above, header, *tasks]}
    if phases is not None:
        sheets["整改步骤"] = [PHASE_HEADER, *phases]
    return xlsx(sheets, {"整改台账": merges}, {"整改台账": percent})


def load(*files: tuple[str, bytes], received_on: date = RECEIVED, columns: dict[str, str] | None = None) -> Ledger:
    return load_ledger(list(files), received_on, columns=columns)


def load_tasks(tasks: Sequence[Sequence[object]], **kwargs) -> Ledger:
    """Load a typical ledger workbook holding these task rows (see workbook())."""
    return load(("台账.xlsx", workbook(tasks, **kwargs)))


def codes(ledger: Ledger, severity: str | None = None) -> list[str]:
    return [i.code for i in ledger.issues if severity is None or i.severity == severity]


def week_five(changes: dict[int, dict] | None = None) -> bytes:
    """The sample's next week: measures 2 and 4 done, report date 2019-06-03, plus any row changes by id."""
    rows = week_tasks(date(2019, 5, 27))
    for row in rows:
        if row["id"] in (2, 4):
            row.update(status="已完成", progress=100, completed_on=date(2019, 6, 1), evidence="党总支会议纪要")
        row.update((changes or {}).get(row["id"], {}))
    return ledger_workbook(LedgerSheet(rows, PHASES, date(2019, 6, 3), TITLE))


def docx(*blocks: str | Sequence[Sequence[object]], merges: Sequence[tuple[int, int, int, int]] = ()) -> bytes:
    """A Word document (python-docx): each block a paragraph (str) or a table (rows of cells). `merges` are
    (table, column, first row, last row) vertical merges, the value staying in the first row's cell."""
    import docx as word

    document = word.Document()
    tables = []
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        rows = [list(row) for row in block]
        table = document.add_table(rows=len(rows), cols=max(map(len, rows)))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = (
                    "" if value is None else (value.isoformat() if isinstance(value, date) else str(value))
                )
        tables.append(table)
    for number, column, first, last in merges:
        table = tables[number]
        for r in range(first + 1, last + 1):
            table.cell(r, column).text = ""
        table.cell(first, column).merge(table.cell(last, column))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
