"""Uploads that are refused before reading: real password-protected workbooks and the size, sheet and row limits."""

import io
import os

from msoffcrypto.format.ooxml import OOXMLFile

from ledger.intake.reading import load_ledger
from ledger.intake.workbook import Limits, read_file
from ledger.report import issue_message
from tests.sheets import RECEIVED, csv_bytes, task_row, workbook, xlsx


def encrypted(data: bytes, password: str) -> bytes:
    """The workbook as Excel saves it with "Encrypt with Password" (msoffcrypto-tool, agile encryption)."""
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def test_a_password_protected_workbook_is_refused_with_how_to_fix_it():
    result = read_file(encrypted(workbook([task_row()]), "123456"), "台账.xlsx")
    [issue] = result.issues
    assert issue.code == "file.encrypted" and result.sheets == []
    assert "取消密码" in issue_message(issue, "zh") and "Remove the password" in issue_message(issue, "en")


def test_a_file_over_the_size_limit_is_refused_with_both_sizes_in_mib():
    data = b"x" * (1024 * 1024 + 1)
    [issue] = read_file(data, "台账.csv", Limits(max_mib=1)).issues
    assert issue.code == "file.too_large"
    assert issue_message(issue, "en") == "The file is 1.0 MiB, over the 1 MiB limit."


def test_the_command_line_and_the_page_share_one_size_limit(monkeypatch):
    from ledger import config

    monkeypatch.setenv("LEDGER_MAX_UPLOAD_MB", "3")
    assert config.limits(os.environ, {}).max_bytes == 3 * 1024 * 1024
    assert config.limits({}, {"max_upload_mb": 7}).max_mib == 7
    assert config.limits({}, {}).max_bytes == 20 * 1024 * 1024


def test_too_many_sheets_are_refused():
    sheets = {f"Sheet{i}": [["x"]] for i in range(5)}
    [issue] = read_file(xlsx(sheets), "台账.xlsx", Limits(max_sheets=4)).issues
    assert issue.code == "file.too_many_sheets" and dict(issue.params) == {"count": 5, "limit": 4}


def test_too_many_rows_are_refused_in_workbooks_and_csv_with_the_count():
    rows = [task_row(id=i) for i in range(1, 400)]
    limits = Limits(max_rows=100)
    [issue] = read_file(workbook(rows), "台账.xlsx", limits).issues
    assert issue.code == "file.too_many_rows" and dict(issue.params)["count"] == 402
    [issue] = read_file(csv_bytes(rows), "台账.csv", limits).issues
    assert issue.code == "file.too_many_rows" and dict(issue.params)["count"] == 399


def test_the_too_many_rows_message_formats_in_both_languages():
    [issue] = read_file(csv_bytes([task_row(id=i) for i in range(1, 300)]), "台账.csv", Limits(max_rows=100)).issues
    assert issue_message(issue, "zh").startswith(
        "工作表“台账.csv”的内容延伸到第 299 行（单元格 N299），超过上限 100 行"
    )
    assert issue_message(issue, "en").startswith(
        "Sheet “台账.csv” reaches row 299 (cell N299), beyond the limit of 100"
    )


def test_too_many_cells_and_columns_are_refused():
    wide = [["序号", "整改措施", *range(30)], [1, "措施", *range(30)]]
    assert [i.code for i in read_file(xlsx({"整改台账": wide}), "台账.xlsx", Limits(max_columns=20)).issues] == [
        "file.too_many_columns"
    ]
    rows = [task_row(id=i) for i in range(1, 50)]
    [issue] = read_file(workbook(rows), "台账.xlsx", Limits(max_cells=500)).issues
    assert issue.code == "file.too_many_cells" and dict(issue.params) == {"count": 52 * 14, "limit": 500}


def test_a_file_name_over_255_characters_is_refused_before_reading():
    [issue] = read_file(workbook([task_row()]), "台" * 300 + ".xlsx").issues
    assert issue.code == "file.name_too_long" and dict(issue.params) == {"count": 305, "limit": 255}


def test_limits_reach_the_ledger_report_and_nothing_is_read():
    ledger = load_ledger([("台账.xlsx", workbook([task_row()]))], RECEIVED, limits=Limits(max_mib=0))
    assert [i.code for i in ledger.errors] == ["file.too_large"] and ledger.tasks.empty
