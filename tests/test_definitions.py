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


def test_the_history_page_and_history_json_list_the_same_version_rows(capsys):
    import json

    from streamlit.testing.v1 import AppTest

    from ledger.cli import run
    from ledger.sample import DEMO_PLAN_NAME

    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.run()
    at.switch_page("pages/history.py").run()
    assert not at.exception, at.exception
    shown = at.dataframe[0].value
    assert run(["history", "--plan", DEMO_PLAN_NAME, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert shown["版本"].tolist() == [r["number"] for r in listed] == [4, 3, 2, 1]
    assert shown["完成率"].tolist() == [f"{r['completion_pct']:.1f}%" for r in listed]
    assert shown["超期"].tolist() == [r["overdue"] for r in listed] == [4, 1, 0, 0]
    assert shown["填报日期"].tolist() == [r["report_date"] for r in listed]
    assert shown["上传时间"].tolist() == [r["uploaded_at"][:16] for r in listed]  # the page to the minute


def test_days_overdue_are_counted_once_for_the_pages_the_export_and_the_records():
    from ledger import metrics
    from ledger.report import task_records

    ledger = load_tasks([task_row(id=1, due=date(2019, 5, 20)), task_row(id=2, due=date(2019, 5, 1)), task_row(id=3)])
    day = date(2019, 5, 27)
    late = metrics.overdue(ledger.tasks, day)
    assert dict(zip(late["id"], late["days_overdue"], strict=True)) == {"2": 26, "1": 7}
    records = {r["id"]: r["days_overdue"] for r in task_records(ledger.tasks, day)}
    assert records == {"1": 7, "2": 26, "3": -4}
    exported = {r["id"]: r["days_overdue"] for r in brief.version_records(brief.Context(ledger, ledger.tasks, day))}
    assert exported == {"1": 7, "2": 26, "3": None}  # only a red light's days are written


def test_both_publish_functions_refuse_by_one_check():
    from ledger.model import Issue
    from ledger.publishing import refused

    good = load_tasks([task_row(id=1)])
    bad = load_tasks([task_row(id=1, due="not a date")])
    assert bad.errors and not good.errors
    assert not refused([good])
    assert refused([good, bad]) and refused([]) and refused([good], [Issue("error", "task.blank_unit")])
