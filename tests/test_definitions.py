"""One definition per concept: what the pages show and what the exports write come from one function of the core."""

import io
from datetime import date

import openpyxl

from ledger import brief
from ledger.report import status_words
from tests.sheets import load_tasks, task_row
from ui.widgets import task_frame


def test_done_not_closed_reads_the_same_on_the_page_and_in_the_exported_workbook():
    done = dict(status="已完成", progress=100, completed_on=date(2019, 5, 20))
    ledger = load_tasks([task_row(id=1, **done), task_row(id=2, **done), task_row(id=3, **done), task_row(id=4)])
    tasks = ledger.tasks.assign(closure=["open", "requested", "closed", "open"])
    words = status_words(tasks, "zh").tolist()
    assert words == ["已完成待销号", "已完成待销号", "已完成", "进行中"]
    assert status_words(tasks, "en").tolist()[0] == "Done, not yet closed"
    assert task_frame(tasks, ["id", "status"])["完成情况"].tolist() == words

    sheet = openpyxl.load_workbook(io.BytesIO(brief.version_workbook(brief.Context(ledger, tasks, date(2019, 5, 27)))))
    rows = list(sheet.worksheets[0].iter_rows(values_only=True))
    status = rows[0].index("完成情况")
    assert {r[2]: r[status] for r in rows[1:]} == {
        "1": "已完成待销号",
        "2": "已完成待销号",
        "3": "已完成",
        "4": "进行中",
    }


def test_a_claim_and_a_return_are_worded_alike_on_the_page_and_in_the_export():
    done = dict(status="已完成", progress=100, completed_on=date(2019, 5, 20))
    ledger = load_tasks([task_row(id=1, **done), task_row(id=2)])
    tasks = ledger.tasks.assign(review=["claimed", "returned"], review_reason=["", "照片不清"])
    assert status_words(tasks, "zh").tolist() == ["已完成（待审核）", "退回：照片不清"]
    assert task_frame(tasks, ["status"])["完成情况"].tolist() == status_words(tasks, "zh").tolist()
