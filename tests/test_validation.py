"""Errors and warnings (README "The ledger spreadsheet"): each names sheet, Excel row, header as written, value."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from ledger.intake.workbook import read_file
from ledger.model import Issue
from ledger.report import issue_message
from tests.sheets import (
    PHASE_HEADER,
    PHASE_ROWS,
    TASK_HEADER,
    codes,
    csv_bytes,
    load,
    load_tasks,
    task_row,
    workbook,
    xlsx,
)

SHEET = "整改台账"
DONE = {"status": "已完成", "progress": 100, "evidence": "会议纪要", "completed_on": date(2019, 5, 30)}

# (what is wrong, the row's cells, severity, code, the header as written, the value quoted)
CASES = [
    ("no measure", {"measure": ""}, "error", "task.no_measure", "整改措施", ""),
    (
        "nobody responsible",
        {"leader": "", "department": "", "owner": ""},
        "error",
        "task.no_responsible",
        "责任领导/责任部门/责任人",
        "",
    ),
    ("unreadable due date", {"due": "尽快"}, "error", "task.bad_date", "完成时限", "尽快"),
    ("unreadable start date", {"start": "五月中"}, "error", "task.bad_date", "开始日期", "五月中"),
    (
        "due before start",
        {"start": date(2019, 5, 20), "due": date(2019, 5, 15)},
        "error",
        "task.due_before_start",
        "完成时限",
        "2019-05-15",
    ),
    ("unknown status", {"status": "搞定了"}, "error", "task.bad_status", "完成情况", "搞定了"),
    ("progress above 100", {"progress": 150}, "error", "task.progress_range", "完成进度", "150"),
    ("progress above 100%", {"progress": "120%"}, "error", "task.progress_range", "完成进度", "120%"),
    ("negative progress", {"progress": -5}, "error", "task.progress_range", "完成进度", "-5"),
    ("progress not a number", {"progress": "过半"}, "error", "task.bad_progress", "完成进度", "过半"),
    ("phase that doesn't exist", {"phase": "第五阶段"}, "error", "task.unknown_phase", "所属阶段", "第五阶段"),
    ("done without evidence", {**DONE, "evidence": ""}, "warning", "task.done_no_evidence", "佐证材料", ""),
    (
        "done without completion date",
        {**DONE, "completed_on": None},
        "warning",
        "task.done_no_completion_date",
        "完成日期",
        "",
    ),
    (
        "progress 100 but not done",
        {"status": "进行中", "progress": 100},
        "warning",
        "task.full_progress_not_done",
        "完成进度",
        "100%",
    ),
    (
        "start before every phase",
        {"start": date(2019, 4, 1)},
        "warning",
        "task.outside_phases",
        "开始日期",
        "2019-04-01",
    ),
    ("due after every phase", {"due": date(2019, 7, 15)}, "warning", "task.outside_phases", "完成时限", "2019-07-15"),
]


def found(ledger, code: str) -> list[Issue]:
    return [issue for issue in ledger.issues if issue.code == code]


@pytest.mark.parametrize(
    ("cells", "severity", "code", "column", "value"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_each_problem_names_sheet_excel_row_header_as_written_and_value(cells, severity, code, column, value):
    ledger = load_tasks([task_row(id=1), task_row(id=2, **cells)])
    [issue] = found(ledger, code)
    assert (issue.severity, issue.sheet, issue.row, issue.column, issue.value) == (severity, SHEET, 5, column, value)
    assert ledger.ok is (severity == "warning")


def test_all_problems_of_a_ledger_are_collected_at_once():
    rows = [task_row(id=i, **cells) for i, (_, cells, *_rest) in enumerate(CASES, start=1)]
    ledger = load_tasks(rows)
    expected = {(code, row, severity) for row, (_, _, severity, code, _, _) in enumerate(CASES, start=4)}
    assert expected <= {(i.code, i.row, i.severity) for i in ledger.issues}
    assert len(ledger.errors) >= 11
    assert {i.sheet for i in ledger.issues} == {SHEET}


def test_every_issue_has_a_message_in_both_languages():
    rows = [task_row(id=i, **cells) for i, (_, cells, *_rest) in enumerate(CASES, start=1)]
    for issue in load_tasks(rows).issues:
        zh, en = issue_message(issue, "zh"), issue_message(issue, "en")
        assert zh and en and zh != en and zh != issue.code
        assert "{" not in zh + en


def test_the_header_quoted_is_the_one_written_in_the_file():
    header = [
        "No.",
        "Category",
        "Measure",
        "Phase",
        "Leader",
        "Department",
        "Owner",
        "Start",
        "Deadline",
        "Status",
        "Progress",
        "Completed on",
        "Evidence",
        "Notes",
    ]
    ledger = load_tasks([task_row(due="soon", progress=150)], header=header)
    assert {(i.code, i.column) for i in ledger.errors} == {
        ("task.bad_date", "Deadline"),
        ("task.progress_range", "Progress"),
    }


# --- errors in detail -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["leader", "department", "owner"])
def test_one_responsible_name_is_enough(field):
    cells = {name: "" for name in ("leader", "department", "owner") if name != field}
    assert load_tasks([task_row(**cells)]).ok


def test_the_due_before_start_message_gives_both_dates():
    ledger = load_tasks([task_row(start=date(2019, 5, 20), due="5月15日")])
    [issue] = found(ledger, "task.due_before_start")
    assert "2019-05-15" in issue_message(issue, "en") and "2019-05-20" in issue_message(issue, "en")
    assert "2019-05-20" in issue_message(issue, "zh")


def test_a_long_term_measure_is_never_due_before_its_start():
    assert load_tasks([task_row(due="长期坚持", start=date(2019, 5, 20))]).ok


def test_an_unknown_status_message_lists_the_accepted_words_in_chinese():
    [issue] = load_tasks([task_row(status="搞定了")]).errors
    message = issue_message(issue, "zh")
    assert "搞定了" in message
    assert all(word in message for word in ("已完成", "进行中", "未开始", "长期坚持", "未完成"))


def test_an_unknown_status_message_lists_the_accepted_words_in_english():
    [issue] = load_tasks([task_row(status="搞定了")]).errors
    message = issue_message(issue, "en")
    assert message.startswith("Unknown status “搞定了”")
    assert all(word in message for word in ("done", "in progress", "not started", "ongoing"))


def test_a_duplicate_id_points_at_the_row_it_repeats():
    ledger = load_tasks([task_row(id=1), task_row(id=2), task_row(id=2, measure="召开专题会议")])
    [issue] = ledger.errors
    assert (issue.code, issue.row, issue.column, issue.value) == ("task.duplicate_id", 6, "序号", "2")
    assert "第 5 行" in issue_message(issue, "zh") and "row 5" in issue_message(issue, "en")


def test_every_repeat_of_an_id_is_reported():
    ledger = load_tasks([task_row(id="A1"), task_row(id="A1"), task_row(id="A1")])
    assert [(i.code, i.row) for i in ledger.errors] == [("task.duplicate_id", 5), ("task.duplicate_id", 6)]


def test_ids_that_restart_in_each_category_are_not_duplicates():
    rows = [
        task_row(id=1, category="思想重视不够的问题"),
        task_row(id=2, category=""),
        task_row(id=1, category="作风不实的问题"),
        task_row(id=2, category=""),
    ]
    ledger = load_tasks(rows)
    assert ledger.issues == ()
    assert ledger.tasks["key"].nunique() == 4


def test_ids_that_restart_under_each_section_row_are_not_duplicates():
    blank = [""] * len(TASK_HEADER)
    rows = [
        ["一、思想重视不够的问题", *blank[1:]],
        task_row(id=1, category=""),
        task_row(id=2, category=""),
        ["二、作风不实的问题", *blank[1:]],
        task_row(id=1, category=""),
        task_row(id=2, category=""),
    ]
    assert load_tasks(rows).issues == ()


def test_a_repeat_within_one_category_is_the_only_duplicate_when_ids_restart():
    rows = [
        task_row(id=1, category="甲类问题"),
        task_row(id=2, category="甲类问题"),
        task_row(id=1, category="乙类问题"),
        task_row(id=2, category="乙类问题"),
        task_row(id=2, category="乙类问题"),
    ]
    ledger = load_tasks(rows)
    assert [(i.code, i.row) for i in ledger.errors] == [("task.duplicate_id", 8)]


def test_an_unknown_phase_message_lists_the_phases():
    [issue] = load_tasks([task_row(phase="第五阶段")]).errors
    assert "自查自纠、整改落实、迎接督导检查、健全机制" in issue_message(issue, "zh")


def test_without_a_phases_sheet_any_phase_name_is_kept():
    ledger = load_tasks([task_row(phase="第五阶段")], phases=None)
    assert ledger.ok and codes(ledger) == ["ledger.no_phases"]
    assert ledger.tasks["phase"].tolist() == ["第五阶段"]


def test_an_unreadable_phase_period_is_an_error_on_the_phases_sheet():
    rows = [["阶段", "时间安排"], ["自查自纠", "4月25日至5月10日"], ["整改落实", "五月中下旬"]]
    ledger = load(
        ("台账.xlsx", xlsx({SHEET: [["填报日期：2019年5月27日"], TASK_HEADER, task_row(phase=None)], "整改步骤": rows}))
    )
    [issue] = ledger.errors
    assert (issue.code, issue.sheet, issue.row, issue.column, issue.value) == (
        "phase.bad_date",
        "整改步骤",
        3,
        "时间安排",
        "五月中下旬",
    )


# --- warnings in detail -------------------------------------------------------------------------------------------


def test_a_done_measure_with_evidence_and_completion_date_is_clean():
    assert load_tasks([task_row(**DONE)]).issues == ()


def test_done_without_evidence_and_completion_date_gives_two_warnings_and_no_error():
    ledger = load_tasks([task_row(**{**DONE, "evidence": "", "completed_on": None})])
    assert ledger.ok
    assert sorted(codes(ledger, "warning")) == ["task.done_no_completion_date", "task.done_no_evidence"]


def test_an_ongoing_measure_at_100_percent_is_not_warned():
    assert load_tasks([task_row(status="长期坚持", progress=100, due="长期")]).issues == ()


def test_dates_inside_any_phase_give_no_warning():
    ledger = load_tasks([task_row(start=date(2019, 4, 25), due=date(2019, 6, 30))])
    assert ledger.issues == ()


def test_a_ledger_without_an_id_column_is_warned_and_matched_by_measure_text():
    header = TASK_HEADER[1:]
    ledger = load_tasks([task_row()[1:], task_row(measure="召开 专题会议")[1:]], header=header)
    assert ledger.ok
    [issue] = ledger.warnings
    assert (issue.code, issue.sheet, issue.row) == ("sheet.no_id_column", SHEET, 3)
    assert ledger.matched_by_id is False
    assert ledger.tasks["key"].tolist() == ["text:成立领导小组", "text:召开专题会议"]


def test_a_ledger_with_an_id_column_is_matched_by_id():
    ledger = load_tasks([task_row(id="1-1")])
    assert ledger.matched_by_id is True and ledger.tasks["key"].tolist() == ["id:1-1"]


# --- files that cannot be read -------------------------------------------------------------------------------------


def _zip(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


_BOOK = workbook([task_row()])
BAD_FILES = [
    ("empty file", "台账.xlsx", b"", "file.empty"),
    ("blank csv", "台账.csv", b" \r\n\r\n", "file.empty"),
    ("corrupt xlsx", "台账.xlsx", b"PK\x03\x04" + bytes(range(256)) * 2, "file.corrupt"),
    ("truncated xlsx", "台账.xlsx", _BOOK[: len(_BOOK) // 2], "file.corrupt"),
    ("corrupt xls", "台账.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 3, "file.corrupt"),
    ("pdf", "台账.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF", "file.type"),
    ("pptx", "台账.pptx", _zip({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"}), "file.type"),
    (
        "pptx named xlsx",
        "台账.xlsx",
        _zip({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"}),
        "file.type",
    ),
    ("xlsm", "台账.xlsm", _BOOK, "file.macro"),
    (
        "vba project in xlsx",
        "台账.xlsx",
        _zip({"xl/workbook.xml": "<workbook/>", "xl/vbaProject.bin": b"\0"}),
        "file.macro",
    ),
    ("utf-16 csv", "台账.csv", "序号\t整改措施\n1\t成立领导小组\n".encode("utf-16"), "file.encoding"),
    ("undecodable csv", "台账.csv", b"\xff\xfe\xfd\x80 abc,def", "file.encoding"),
    (
        "encrypted",
        "台账.xlsx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64) + "EncryptedPackage".encode("utf-16-le"),
        "file.encrypted",
    ),
]


@pytest.mark.parametrize(("name", "data", "code"), [case[1:] for case in BAD_FILES], ids=[c[0] for c in BAD_FILES])
def test_a_file_that_cannot_be_read_gives_one_error_and_no_exception(name, data, code):
    result = read_file(data, name)
    assert result.sheets == []
    assert [(i.severity, i.code, i.sheet) for i in result.issues] == [("error", code, name)]
    ledger = load((name, data))
    assert codes(ledger) == [code] and not ledger.ok and ledger.tasks.empty


def test_an_unsupported_type_message_lists_the_accepted_types():
    [issue] = load(("台账.pdf", b"%PDF-1.4")).errors
    assert ".xlsx" in issue_message(issue, "en") and ".csv" in issue_message(issue, "zh")


def test_a_bad_file_beside_a_good_one_still_reports_the_bad_one():
    ledger = load(("tasks.csv", csv_bytes([TASK_HEADER, task_row()])), ("phases.pdf", b"%PDF-1.4"))
    assert codes(ledger) == ["file.type"]
    assert ledger.errors[0].sheet == "phases.pdf"


def test_a_workbook_saved_with_a_csv_name_is_still_read():
    ledger = load(("台账.csv", workbook([task_row()])))
    assert ledger.ok and ledger.tasks["measure"].tolist() == ["成立领导小组"]


def test_phases_only_is_an_error_naming_the_sheets_found():
    ledger = load(("阶段.xlsx", xlsx({"整改步骤": [PHASE_HEADER, *PHASE_ROWS]})))
    assert codes(ledger) == ["ledger.no_tasks_sheet"]
    assert "整改步骤" in issue_message(ledger.errors[0], "zh")


def test_a_repeated_id_in_another_category_is_a_duplicate_when_numbering_runs_through():
    rows = [task_row(id=i, category="一、思想" if i <= 3 else "二、作风") for i in range(1, 7)]
    ledger = load_tasks([*rows, task_row(id=1, category="二、作风", measure="重复的措施")])
    assert [(i.code, i.row, dict(i.params)["first_row"]) for i in ledger.errors] == [("task.duplicate_id", 10, 4)]
