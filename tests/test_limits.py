"""Uploads that are refused before reading: real password-protected workbooks and the size, sheet and row limits."""

import io

from msoffcrypto.format.ooxml import OOXMLFile

from ledger.reading import load_ledger
from ledger.report import issue_message
from ledger.workbook import Limits, read_file
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


def test_a_file_over_the_size_limit_is_refused_with_both_sizes():
    data = workbook([task_row(id=i, measure="措施" * 50) for i in range(1, 200)])
    [issue] = read_file(data, "台账.xlsx", Limits(max_bytes=10_000)).issues
    assert issue.code == "file.too_large"
    assert issue_message(issue, "en").endswith("MB, over the 0.00953674 MB limit.")


def test_too_many_sheets_are_refused():
    sheets = {f"Sheet{i}": [["x"]] for i in range(5)}
    [issue] = read_file(xlsx(sheets), "台账.xlsx", Limits(max_sheets=4)).issues
    assert issue.code == "file.too_many_sheets" and dict(issue.params) == {"count": 5, "limit": 4}


def test_too_many_rows_are_refused_in_workbooks_and_csv():
    rows = [task_row(id=i) for i in range(1, 400)]
    limits = Limits(max_rows=100)
    assert [i.code for i in read_file(workbook(rows), "台账.xlsx", limits).issues] == ["file.too_many_rows"]
    assert [i.code for i in read_file(csv_bytes(rows), "台账.csv", limits).issues] == ["file.too_many_rows"]


def test_limits_reach_the_ledger_report_and_nothing_is_read():
    ledger = load_ledger([("台账.xlsx", workbook([task_row()]))], RECEIVED, limits=Limits(max_bytes=100))
    assert [i.code for i in ledger.errors] == ["file.too_large"] and ledger.tasks.empty
