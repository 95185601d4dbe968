"""Every spreadsheet the app writes holds text as text: no formula, no link, nothing shortened without a word."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from ledger import metrics
from ledger.model import Phase
from ledger.report import task_records
from ledger.writing import LedgerSheet, ledger_workbook, table_workbook, template_workbook
from tests.sheets import TASK_HEADER, csv_bytes, load, task_row

DANGEROUS = [
    '=HYPERLINK("http://evil.example/p","点我")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTAB",
    "\rCR",
]
HARMLESS = ["http://evil.example/x", "www.evil.example", "mailto:x@evil.example", "0012", "1e5", "整改措施"]


def cells(data: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]


def assert_all_text(data: bytes, texts: list[str]) -> None:
    found = {cell.value: cell for cell in cells(data)}
    for text in texts:
        cell = found[text.replace("\r", "_x000D_")]  # exactly as written (CR in Excel's escape), never evaluated
        assert cell.data_type == "s" and cell.hyperlink is None
        assert cell.quotePrefix == text.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert not [cell.coordinate for cell in cells(data) if cell.data_type == "f"]
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert not any(sheet._hyperlinks for sheet in book.worksheets)


def test_the_responsibilities_download_writes_formulas_and_links_as_text():
    texts = DANGEROUS + HARMLESS
    rows = [
        task_row(id=i + 1, measure=text, leader=text, owner=text, due=date(2019, 5, 20)) for i, text in enumerate(texts)
    ]
    tasks = load(("台账.csv", csv_bytes([TASK_HEADER, *rows]))).tasks  # CSV: openpyxl would write "=…" as formulas
    late = metrics.overdue(tasks, date(2019, 5, 27))
    data = table_workbook({"超期未完成": task_records(late, date(2019, 5, 27))}, "zh")
    assert_all_text(data, [text.strip() for text in texts])


def test_a_ledger_workbook_writes_every_field_title_and_phase_as_text():
    texts = DANGEROUS + HARMLESS
    rows = [
        {
            "id": i + 1,
            "category": text,
            "measure": text,
            "leader": text,
            "department": text,
            "owner": text,
            "evidence": text,
            "notes": text,
            "status": "进行中",
            "progress": 50,
        }
        for i, text in enumerate(texts)
    ]
    phases = [Phase('=HYPERLINK("http://evil.example")', date(2019, 5, 1), date(2019, 5, 31), 1, "+cmd")]
    data = ledger_workbook(LedgerSheet(rows, phases, date(2019, 5, 27), title="=1+1", unit="@单位"))
    assert_all_text(data, [*texts, "=1+1", "+cmd", '=HYPERLINK("http://evil.example")'])


def test_tab_and_carriage_return_first_are_quoted_too():
    data = table_workbook({"表": [{"measure": "\tTAB", "owner": "\rCR"}]}, "zh")
    assert_all_text(data, ["\tTAB", "\rCR"])


def test_the_template_keeps_phase_names_from_an_uploaded_ledger_as_text():
    data = template_workbook([Phase("-第一阶段", date(2019, 5, 1), date(2019, 5, 31), 1, "=A1")])
    assert_all_text(data, ["-第一阶段", "=A1"])


@pytest.mark.parametrize("length", [32_767, 40_000])
def test_an_export_never_shortens_a_cell_without_saying_so(length):
    data = table_workbook({"表": [{"measure": "整" * length}]}, "zh")
    [value] = [cell.value for cell in cells(data) if cell.row == 2]
    assert value == "整" * length if length <= 32_767 else value.endswith("…（超长，已截断）") and len(value) == 32_767
