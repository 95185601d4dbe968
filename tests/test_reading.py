"""load_ledger against the README's "The ledger spreadsheet": one test per tolerance rule."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from ledger import Phase, load_ledger
from ledger.model import DATE_COLUMNS, TASK_DTYPES, empty_tasks
from ledger.report import issue_message
from tests.sheets import (
    PHASE_HEADER,
    PHASE_ROWS,
    RECEIVED,
    TASK_HEADER,
    codes,
    csv_bytes,
    load,
    load_tasks,
    ods,
    task_row,
    workbook,
    xls,
    xlsx,
)

ROOT = Path(__file__).resolve().parent.parent
MAY_31 = date(2019, 5, 31)
REPORT_DAY = date(2019, 5, 27)
BLANK = [""] * len(TASK_HEADER)
ENGLISH_HEADER = [
    "No.",
    "Category",
    "Measure",
    "Phase",
    "Responsible leader",
    "Department",
    "Owner",
    "Start date",
    "Due date",
    "Status",
    "Progress",
    "Completed on",
    "Evidence",
    "Notes",
]


def day(value) -> date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def column(ledger, field: str) -> list:
    values = ledger.tasks[field].tolist()
    return [day(v) for v in values] if field in DATE_COLUMNS else values


def first(ledger, field: str):
    return column(ledger, field)[0]


def section(text: str) -> list:
    """A section row: one filled cell at the left of the row."""
    return [text] + [""] * (len(TASK_HEADER) - 1)


# --- sheets ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tasks_name", "phases_name"),
    [("整改台账", "整改步骤"), ("任务", "阶段"), ("台账", "阶段"), ("整改任务", "整改步骤"), ("tasks", "phases")],
)
def test_sheets_are_found_by_their_names(tasks_name, phases_name):
    book = xlsx(
        {
            "封面": [["整改台账"]],
            phases_name: [PHASE_HEADER, *PHASE_ROWS],
            tasks_name: [TASK_HEADER, task_row(measure="成立领导小组")],
        }
    )
    ledger = load(("台账.xlsx", book))
    assert column(ledger, "measure") == ["成立领导小组"]
    assert [p.name for p in ledger.phases] == ["自查自纠", "整改落实", "迎接督导检查", "健全机制"]


@pytest.mark.parametrize("order", [("Sheet1", "Sheet2"), ("Sheet2", "Sheet1")])
def test_sheets_with_other_names_are_found_by_their_headers(order):
    book = xlsx({order[0]: [TASK_HEADER, task_row(measure="成立领导小组")], order[1]: [PHASE_HEADER, *PHASE_ROWS]})
    ledger = load(("台账.xlsx", book))
    assert column(ledger, "measure") == ["成立领导小组"]
    assert column(ledger, "sheet") == [order[0]]
    assert len(ledger.phases) == 4


def test_a_workbook_without_any_tasks_header_is_an_error_naming_its_sheets():
    ledger = load(("台账.xlsx", xlsx({"Sheet1": [["甲", "乙"], [1, 2]], "Sheet2": [["丙"]]})))
    assert codes(ledger) == ["ledger.no_tasks_sheet"]
    assert ledger.errors[0].value == "Sheet1、Sheet2"


NO_DEPARTMENT = [h for h in TASK_HEADER if h != "责任部门"]


def department_row(**kwargs) -> list:
    row = task_row(**kwargs)
    return [v for h, v in zip(TASK_HEADER, row, strict=True) if h != "责任部门"]


def test_one_tasks_sheet_per_department_is_read_as_one_ledger():
    book = xlsx(
        {
            "党政办公室": [NO_DEPARTMENT, department_row(id=1), department_row(id=2, measure="制定计划")],
            "教务处": [NO_DEPARTMENT, department_row(id=1, measure="开展培训")],
            "整改步骤": [PHASE_HEADER, *PHASE_ROWS],
        }
    )
    ledger = load(("台账.xlsx", book))
    assert ledger.ok
    assert column(ledger, "measure") == ["成立领导小组", "制定计划", "开展培训"]
    assert column(ledger, "department") == ["党政办公室", "党政办公室", "教务处"]  # from the sheet's name
    assert column(ledger, "row") == [2, 3, 2] and column(ledger, "sheet") == ["党政办公室", "党政办公室", "教务处"]
    assert column(ledger, "key") == ["id:党政办公室#1", "id:党政办公室#2", "id:教务处#1"]  # ids count per sheet
    [note] = [i for i in ledger.warnings if i.code == "ledger.sheets_read"]
    assert issue_message(note, "zh") == "读取了 党政办公室、教务处 这几张整改任务表，合为一份台账。"


def test_a_sheet_with_other_headers_is_named_not_read():
    book = xlsx({"党政办公室": [TASK_HEADER, task_row(id=1)], "统计": [["序号", "整改措施"], [1, "汇总"]]})
    ledger = load(("台账.xlsx", book))
    assert column(ledger, "measure") == ["成立领导小组"]
    [warning] = [i for i in ledger.warnings if i.code == "ledger.task_sheet_not_read"]
    assert (warning.sheet, dict(warning.params)) == ("统计", {"read": "党政办公室"})
    assert issue_message(warning, "zh").startswith("工作表“统计”看起来也是整改任务表，但没有读取：只读取了“党政办公室”")


def test_a_summary_sheet_is_read_alone_and_the_department_sheets_are_named():
    book = xlsx(
        {
            "汇总": [TASK_HEADER, task_row(id=1), task_row(id=2, measure="开展培训")],
            "教务处": [TASK_HEADER, task_row(id=2, measure="开展培训")],
        }
    )
    ledger = load(("台账.xlsx", book))
    assert column(ledger, "measure") == ["成立领导小组", "开展培训"]
    assert [i.value for i in ledger.warnings if i.code == "ledger.task_sheet_not_read"] == ["教务处"]


def test_a_second_tasks_file_is_read_with_the_first():
    first = csv_bytes([TASK_HEADER, task_row(id=1)])
    second = csv_bytes([TASK_HEADER, task_row(id=1, measure="另一项")])
    ledger = load(("党政办公室.csv", first), ("教务处.csv", second))
    assert column(ledger, "measure") == ["成立领导小组", "另一项"]
    assert column(ledger, "key") == ["id:党政办公室#1", "id:教务处#1"]


# --- header row ---------------------------------------------------------------------------------------------------


def test_the_header_row_is_found_below_title_lines_and_blank_rows():
    above = [
        ["关于整改落实情况的台账"],
        [],
        ["（2019年第二季度）"],
        ["填报单位：党政办公室", "", "填报日期：2019年5月27日"],
        [],
    ]
    ledger = load_tasks([task_row(measure="成立领导小组")], above=above)
    assert column(ledger, "measure") == ["成立领导小组"]
    assert column(ledger, "row") == [7]
    assert ledger.ok


def test_the_header_row_may_be_the_twentieth_row():
    above = [["整改台账"], ["填报日期：2019年5月27日"]] + [[]] * 17
    ledger = load_tasks([task_row(measure="成立领导小组")], above=above)
    assert column(ledger, "measure") == ["成立领导小组"]
    assert column(ledger, "row") == [21]


def test_english_headers_are_read_like_chinese_ones():
    ledger = load_tasks(
        [task_row(status="done", progress=None, evidence="会议纪要", completed_on=MAY_31)], header=ENGLISH_HEADER
    )
    assert first(ledger, "measure") == "成立领导小组"
    assert first(ledger, "due") == MAY_31
    assert first(ledger, "status") == "done"
    assert first(ledger, "evidence") == "会议纪要"
    assert ledger.ok and ledger.warnings == []


def test_header_hints_and_markers_are_ignored_and_the_written_header_is_kept():
    header = [*TASK_HEADER[:2], "*整改措施(必填)", *TASK_HEADER[3:]]
    ledger = load_tasks([task_row(measure="")], header=header)
    assert codes(ledger) == ["task.no_measure"]
    assert ledger.errors[0].column == "*整改措施(必填)"


def test_a_header_with_full_width_punctuation_is_quoted_as_written():
    header = [*TASK_HEADER[:2], "*整改措施（必填）", *TASK_HEADER[3:]]
    ledger = load_tasks([task_row(measure="")], header=header)
    assert ledger.errors[0].column == "*整改措施（必填）"


# --- categories -------------------------------------------------------------------------------------------------


def test_merged_category_cells_are_filled_down():
    rows = [
        task_row(id=1, category="思想重视不够的问题"),
        task_row(id=2, category=""),
        task_row(id=3, category=""),
        task_row(id=4, category="作风不实的问题"),
    ]
    ledger = load_tasks(rows, merges=["B4:B6"])
    assert column(ledger, "category") == ["思想重视不够的问题"] * 3 + ["作风不实的问题"]


def test_merged_responsibility_cells_are_filled_down_too():
    rows = [task_row(id=1, leader="党总支书记"), task_row(id=2, leader=""), task_row(id=3, leader="")]
    ledger = load_tasks(rows, merges=["E4:E6"])
    assert column(ledger, "leader") == ["党总支书记"] * 3


def test_section_rows_set_the_category_of_the_rows_below_without_their_enumerator():
    rows = [
        section("一、思想重视不够、落实不力的问题"),
        task_row(id=1, category=""),
        task_row(id=2, category=""),
        section("二、作风不实的问题"),
        task_row(id=3, category=""),
    ]
    ledger = load_tasks(rows, merges=["A4:N4", "A7:N7"])
    assert column(ledger, "category") == ["思想重视不够、落实不力的问题"] * 2 + ["作风不实的问题"]
    assert column(ledger, "row") == [5, 6, 8]
    assert ledger.ok


@pytest.mark.parametrize("title", ["（一）学习教育不深入", "第一类：学习教育不深入"])
def test_other_section_enumerators_are_dropped_too(title):
    ledger = load_tasks([section(title), task_row(category="")])
    assert column(ledger, "category") == ["学习教育不深入"]


def test_a_section_row_numbered_in_the_id_column_sets_the_category():
    ledger = load_tasks([["一", "思想重视不够的问题"], task_row(category="")])
    assert column(ledger, "category") == ["思想重视不够的问题"]
    assert column(ledger, "row") == [5]


def test_a_row_holding_only_its_number_does_not_become_a_category():
    ledger = load_tasks([task_row(id=1), [2, *BLANK[1:]], task_row(id=3, category="")])
    assert column(ledger, "category") == ["思想重视不够的问题"] * 2


def test_enumerators_in_category_cells_are_dropped():
    ledger = load_tasks([task_row(category="一、思想重视不够的问题")])
    assert first(ledger, "category") == "思想重视不够的问题"


# --- dates ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "due",
    [
        MAY_31,
        43616,
        "2019-05-31",
        "2019/5/31",
        "2019.5.31",
        "2019年5月31日",
        "20190531",
        20190531,
        "5月31日",
        "5.31",
        5.31,
        "5月底",
        "5月31号",
    ],
)
def test_every_date_form_of_the_contract_is_read_in_the_due_column(due):
    ledger = load_tasks([task_row(due=due)])
    assert first(ledger, "due") == MAY_31
    assert ledger.ok


def test_year_less_dates_take_the_year_of_the_ledgers_other_dates():
    rows = [task_row(start=date(2019, 5, 11), due="5月31日")]
    ledger = load(("台账.xlsx", workbook(rows, above=[["整改台账"]])), received_on=date(2020, 1, 6))
    assert first(ledger, "due") == MAY_31


def test_year_less_dates_take_the_year_of_the_report_date():
    rows = [task_row(start="5月11日", due="5月31日")]
    ledger = load(("台账.xlsx", workbook(rows, above=[["填报日期：2018年5月27日"]], phases=None)))
    assert (first(ledger, "start"), first(ledger, "due")) == (date(2018, 5, 11), date(2018, 5, 31))


@pytest.mark.parametrize("word", ["长期", "长期坚持"])
def test_a_long_term_due_makes_an_ongoing_measure_without_deadline(word):
    ledger = load_tasks([task_row(due=word, status="进行中", progress=50)])
    assert bool(first(ledger, "long_term")) is True
    assert first(ledger, "status") == "ongoing"
    assert first(ledger, "due") is None
    assert ledger.ok


def test_a_long_term_measure_can_still_be_done():
    ledger = load_tasks([task_row(due="长期", status="已完成", progress=100, evidence="制度文件", completed_on=MAY_31)])
    assert first(ledger, "status") == "done"


# --- status -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "status"),
    [
        *[(w, "done") for w in ["已完成", "完成", "已整改", "已销号", "办结", "√"]],
        *[(w, "in_progress") for w in ["进行中", "正在整改", "整改中", "推进中", "部分完成", "超期", "逾期"]],
        *[(w, "not_started") for w in ["未开始", "未启动", "未整改"]],
        *[(w, "ongoing") for w in ["长期坚持", "持续推进", "持续整改", "常态化"]],
        ("Done", "done"),
        ("In progress", "in_progress"),
        ("not started", "not_started"),
        ("ongoing", "ongoing"),
        (" 已完成 ", "done"),
    ],
)
def test_the_status_vocabulary_maps_to_canonical_statuses(word, status):
    ledger = load_tasks([task_row(status=word, progress=None, evidence="材料", completed_on=MAY_31)])
    assert first(ledger, "status") == status
    assert ledger.ok


@pytest.mark.parametrize(("progress", "status"), [(30, "in_progress"), (0, "not_started"), (None, "not_started")])
def test_not_done_is_in_progress_with_progress_else_not_started(progress, status):
    ledger = load_tasks([task_row(status="未完成", progress=progress)])
    assert first(ledger, "status") == status


@pytest.mark.parametrize(
    ("progress", "status"),
    [(100, "done"), (0, "not_started"), (40, "in_progress"), ("100%", "done"), ("60%", "in_progress")],
)
def test_without_a_status_the_status_follows_progress(progress, status):
    ledger = load_tasks([task_row(status=None, progress=progress, evidence="材料", completed_on=MAY_31)])
    assert first(ledger, "status") == status


# --- progress ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "value"),
    [(80, 80.0), (80.5, 80.5), ("80%", 80.0), ("80 %", 80.0), ("80％", 80.0), ("80", 80.0), (0, 0.0), (100, 100.0)],
)
def test_progress_is_read_from_numbers_and_percent_strings(written, value):
    ledger = load_tasks([task_row(progress=written, status="进行中" if value < 100 else "整改中")])
    assert first(ledger, "progress") == value


def test_percent_cells_stored_as_fractions_are_read_as_percentages():
    rows = [task_row(id=1, progress=0.8), task_row(id=2, progress=0.25), task_row(id=3, progress=0)]
    ledger = load_tasks(rows, percent=["K4", "K5", "K6"])
    assert column(ledger, "progress") == [80.0, 25.0, 0.0]


def test_a_percent_cell_is_a_fraction_even_beside_plain_numbers():
    ledger = load_tasks([task_row(id=1, progress=0.5), task_row(id=2, progress=60)], percent=["K4"])
    assert column(ledger, "progress") == [50.0, 60.0]


def test_done_with_blank_progress_counts_as_100():
    ledger = load_tasks([task_row(status="已完成", progress=None, evidence="会议纪要", completed_on=MAY_31)])
    assert first(ledger, "progress") == 100.0
    assert ledger.issues == ()


def test_not_started_with_blank_progress_counts_as_0():
    ledger = load_tasks([task_row(status="未开始", progress=None)])
    assert first(ledger, "progress") == 0.0


# --- csv --------------------------------------------------------------------------------------------------------


def _csv_ledger(encoding: str = "utf-8", delimiter: str = ",", names=("tasks.csv", "phases.csv")):
    tasks = [
        ["整改台账"],
        ["填报日期：2019年5月27日"],
        TASK_HEADER,
        task_row(id=1, category="思想重视不够的问题", measure="成立领导小组", due="5月31日"),
        task_row(id=2, category="", measure="召开专题会议", due=date(2019, 6, 10), progress="80%"),
    ]
    return load(
        (names[0], csv_bytes(tasks, encoding, delimiter)),
        (names[1], csv_bytes([PHASE_HEADER, *PHASE_ROWS], encoding, delimiter)),
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_csv_files_are_read_in_every_encoding_and_separator(encoding, delimiter):
    ledger = _csv_ledger(encoding, delimiter)
    assert column(ledger, "measure") == ["成立领导小组", "召开专题会议"]
    assert column(ledger, "category") == ["思想重视不够的问题"] * 2
    assert column(ledger, "due") == [MAY_31, date(2019, 6, 10)]
    assert column(ledger, "progress") == [50.0, 80.0]
    assert column(ledger, "row") == [4, 5]
    assert [p.end for p in ledger.phases][:2] == [date(2019, 5, 10), MAY_31]
    assert ledger.report_date == REPORT_DAY and ledger.ok


def test_csv_files_with_other_names_are_told_apart_by_their_headers():
    ledger = _csv_ledger(names=("第一周.csv", "附表.csv"))
    assert column(ledger, "measure") == ["成立领导小组", "召开专题会议"]
    assert len(ledger.phases) == 4


def test_a_csv_in_utf8_with_bom_keeps_its_first_header():
    ledger = load(
        ("tasks.csv", csv_bytes([TASK_HEADER, task_row(id="A1")], "utf-8-sig")),
        ("phases.csv", csv_bytes([PHASE_HEADER, *PHASE_ROWS], "utf-8-sig")),
    )
    assert first(ledger, "id") == "A1"
    assert "sheet.no_id_column" not in codes(ledger)


def test_a_workbook_and_a_csv_phases_file_combine():
    tasks = xlsx({"整改台账": [TASK_HEADER, task_row()]})
    ledger = load(("台账.xlsx", tasks), ("阶段.csv", csv_bytes([PHASE_HEADER, *PHASE_ROWS])))
    assert len(ledger.phases) == 4
    assert first(ledger, "phase") == "整改落实"


# --- other workbook formats ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "build"), [("台账.xls", xls), ("台账.ods", ods), ("台账.xlsx", xlsx)])
def test_xls_and_ods_workbooks_are_read_like_xlsx(name, build):
    rows = [
        ["整改台账"],
        ["填报日期：2019年5月27日"],
        TASK_HEADER,
        task_row(id=1, due=MAY_31, progress=50),
        task_row(id=2, category="", due="6月10日", progress="80%"),
    ]
    rows = [[*row, *[""] * (len(TASK_HEADER) - len(row))] for row in rows]  # ods() wants rows of one length
    ledger = load((name, build({"整改台账": rows, "整改步骤": [PHASE_HEADER, *PHASE_ROWS]})))
    assert column(ledger, "id") == ["1", "2"]
    assert column(ledger, "due") == [MAY_31, date(2019, 6, 10)]
    assert column(ledger, "progress") == [50.0, 80.0]
    assert column(ledger, "category") == ["思想重视不够的问题"] * 2
    assert column(ledger, "row") == [4, 5]
    assert ledger.report_date == REPORT_DAY and len(ledger.phases) == 4 and ledger.ok


# --- rows that are not tasks --------------------------------------------------------------------------------------


def test_blank_rows_total_rows_and_footer_lines_are_skipped():
    total = ["合计", "", "共2项"] + [""] * 11
    subtotal = ["", "小计", ""] + [""] * 8 + [75]
    footer = [
        ["注：完成情况填“已完成/进行中/未开始”。"],
        ["填表人：张三", "", "", "审核人：李四", "", "联系电话：123"],
        ["审核人：王五"],
    ]
    rows = [task_row(id=1), BLANK, [], task_row(id=2), subtotal, total, BLANK, *footer]
    ledger = load_tasks(rows)
    assert column(ledger, "id") == ["1", "2"]
    assert column(ledger, "row") == [4, 7]
    assert ledger.issues == ()


def test_numbered_empty_rows_at_the_end_of_a_template_are_skipped():
    ledger = load_tasks([task_row(id=1), task_row(id=2), [3, *BLANK[1:]], [4, *BLANK[1:]]])
    assert column(ledger, "id") == ["1", "2"]
    assert ledger.issues == ()


# --- report date --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        ["填报日期：2019年5月27日"],
        ["截至5月27日"],
        ["填报单位：党政办公室", "", "截至2019年5月27日"],
        ["填报日期：", REPORT_DAY],
        ["数据截止日期:2019-05-27"],
        ["填报日期：2019.5.27"],
        ["整改台账（截至2019年5月27日）"],
    ],
)
def test_the_report_date_is_read_from_a_line_above_the_header(line):
    ledger = load_tasks([task_row()], above=[["整改台账"], line])
    assert ledger.report_date == REPORT_DAY
    assert ledger.report_date_found is True
    assert "ledger.no_report_date" not in codes(ledger)


@pytest.mark.parametrize("meta_name", ["说明", "meta"])
def test_the_report_date_is_read_from_a_meta_sheet(meta_name):
    book = xlsx(
        {
            "整改台账": [TASK_HEADER, task_row()],
            "整改步骤": [PHASE_HEADER, *PHASE_ROWS],
            meta_name: [["填报单位", "党政办公室"], ["数据截止日期", REPORT_DAY]],
        }
    )
    ledger = load(("台账.xlsx", book))
    assert ledger.report_date == REPORT_DAY
    assert ledger.issues == ()


def test_the_report_date_is_read_from_a_line_of_text_in_the_meta_sheet():
    book = xlsx({"说明": [["填报说明"], ["本表数据截止日期：2019年5月27日"]], "整改台账": [TASK_HEADER, task_row()]})
    ledger = load(("台账.xlsx", book))
    assert (ledger.report_date, ledger.report_date_found) == (REPORT_DAY, True)


def test_a_report_date_in_a_footer_line_is_read_too():
    ledger = load_tasks([task_row(), ["注：本表数据截至5月27日"]], above=[["整改台账"]])
    assert (ledger.report_date, ledger.report_date_found) == (REPORT_DAY, True)


def test_a_date_in_a_tasks_notes_is_not_the_report_date():
    sparse = [""] * len(TASK_HEADER)
    sparse[2], sparse[5], sparse[13] = "修订学习制度", "党政办公室", "截至5月20日已完成初稿"
    ledger = load_tasks([task_row(), sparse], above=[["整改台账"]])
    assert column(ledger, "measure") == ["成立领导小组", "修订学习制度"]
    assert (ledger.report_date, ledger.report_date_found) == (RECEIVED, False)


def test_without_a_report_date_the_day_of_upload_is_used_with_a_warning():
    ledger = load_tasks([task_row()], above=[["整改台账"]])
    assert ledger.report_date == RECEIVED
    assert ledger.report_date_found is False
    assert codes(ledger) == ["ledger.no_report_date"]
    assert ledger.warnings[0].value == RECEIVED.isoformat()


# --- phases -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["时间安排", "时间"])
def test_a_phase_period_in_one_cell_is_split_into_start_and_end(header):
    rows = [
        ["序号", "阶段", header, "工作内容"],
        [1, "自查自纠", "4月25日至5月10日", "自查"],
        [2, "整改落实", "2019.5.11-5.31", "整改"],
        [3, "迎接督导检查", "2019-06-01 ~ 2019-06-10", "检查"],
        [4, "健全机制", "6月11日-6月30日", "机制"],
    ]
    ledger = load(
        ("台账.xlsx", xlsx({"整改台账": [["填报日期：2019年5月27日"], TASK_HEADER, task_row()], "整改步骤": rows}))
    )
    assert [(p.name, p.start, p.end) for p in ledger.phases] == [
        ("自查自纠", date(2019, 4, 25), date(2019, 5, 10)),
        ("整改落实", date(2019, 5, 11), MAY_31),
        ("迎接督导检查", date(2019, 6, 1), date(2019, 6, 10)),
        ("健全机制", date(2019, 6, 11), date(2019, 6, 30)),
    ]
    assert ledger.ok


def test_a_period_written_in_the_phase_title_gives_its_dates():
    rows = [
        ["阶段", "工作内容"],
        ["第一阶段：自查自纠（4月25日至5月10日）", "自查"],
        ["第二阶段：整改落实（5月11日至5月31日）", "整改"],
    ]
    ledger = load(
        (
            "台账.xlsx",
            xlsx(
                {"整改台账": [["填报日期：2019年5月27日"], TASK_HEADER, task_row(phase="整改落实")], "整改步骤": rows}
            ),
        )
    )
    assert [(p.name, p.start, p.end, p.order) for p in ledger.phases] == [
        ("第一阶段：自查自纠", date(2019, 4, 25), date(2019, 5, 10), 1),
        ("第二阶段：整改落实", date(2019, 5, 11), MAY_31, 2),
    ]
    assert first(ledger, "phase") == "第二阶段：整改落实"


@pytest.mark.parametrize("written", ["整改落实", "第二阶段", "2", 2, " 整改落实 "])
def test_a_tasks_phase_cell_may_name_the_phase_by_name_or_number(written):
    ledger = load_tasks([task_row(phase=written)])
    assert first(ledger, "phase") == "整改落实"
    assert ledger.ok


def test_a_task_without_phase_belongs_to_the_phase_its_due_date_falls_in():
    ledger = load_tasks([task_row(phase=None, start=date(2019, 6, 1), due=date(2019, 6, 8))])
    assert first(ledger, "phase") == "迎接督导检查"


# --- row numbers --------------------------------------------------------------------------------------------------


def test_row_numbers_are_the_ones_excel_shows():
    ledger = load_tasks([task_row(id=1), task_row(id=2), BLANK, task_row(id=3, measure="")])
    assert column(ledger, "row") == [4, 5, 7]
    assert [(i.code, i.row) for i in ledger.errors] == [("task.no_measure", 7)]


def test_without_title_lines_the_first_task_is_on_row_2():
    ledger = load(("台账.xlsx", xlsx({"整改台账": [TASK_HEADER, task_row()], "整改步骤": [PHASE_HEADER, *PHASE_ROWS]})))
    assert column(ledger, "row") == [2]


# --- inputs found in review: each is a report, never an exception ------------------------------------------


@pytest.mark.parametrize("due", [16 / 3, "0000-05", "0000年5月底", "0000年5月上旬", "9999-12-31"])
def test_an_impossible_date_is_an_unreadable_date_not_a_crash(due):
    ledger = load_tasks([task_row(due=due)])
    assert [(i.code, i.row) for i in ledger.errors] == [("task.bad_date", 4)]


def test_an_impossible_period_in_the_phases_sheet_is_reported():
    book = xlsx({"整改台账": [TASK_HEADER, task_row()], "阶段": [["阶段", "时间安排"], ["整改落实", "0000年5月至6月"]]})
    ledger = load(("台账.xlsx", book))
    assert [i.code for i in ledger.errors] == ["phase.bad_date"]


def test_a_very_long_csv_cell_is_read():
    notes = "整改进展" * 40_000
    ledger = load(("tasks.csv", csv_bytes([TASK_HEADER, task_row(notes=notes)])))
    assert ledger.tasks["notes"].tolist() == [notes]


def test_the_templates_help_text_is_not_taken_for_a_report_date():
    template = (ROOT / "data" / "template.xlsx").read_bytes()
    book = openpyxl.load_workbook(io.BytesIO(template))
    book["整改台账"].append(task_row())
    buffer = io.BytesIO()
    book.save(buffer)
    ledger = load(("台账.xlsx", buffer.getvalue()))
    assert (ledger.report_date, ledger.report_date_found) == (RECEIVED, False)
    assert "ledger.no_report_date" in codes(ledger, "warning")


def test_a_100_percent_cell_beside_plain_numbers_is_100():
    book = xlsx(
        {
            "整改台账": [TASK_HEADER, task_row(id=1, progress=80, status=""), task_row(id=2, progress=1.0, status="")],
            "阶段": [PHASE_HEADER, *PHASE_ROWS],
        },
        percent={"整改台账": ["K3"]},
    )
    ledger = load(("台账.xlsx", book))
    assert ledger.tasks[["progress", "status"]].values.tolist() == [[80.0, "in_progress"], [100.0, "done"]]


def test_a_date_typed_as_the_number_5_3_is_read_as_may_3_with_a_warning():
    ledger = load_tasks([task_row(due=5.3, start=5.1)])
    assert ledger.tasks["due"].dt.date.tolist() == [date(2019, 5, 3)]
    warned = [(i.column, i.value, dict(i.params)["other"]) for i in ledger.warnings if i.code == "task.ambiguous_date"]
    assert warned == [("开始日期", "5.1", "2019-05-10"), ("完成时限", "5.3", "2019-05-30")]


def test_a_formula_error_in_a_task_cell_is_an_error_naming_it():
    book = openpyxl.load_workbook(io.BytesIO(workbook([task_row(id=1), task_row(id=2)])))
    sheet = book["整改台账"]
    sheet["I5"].value, sheet["I5"].data_type = "#N/A", "e"
    sheet["J4"].value, sheet["J4"].data_type = "#REF!", "e"
    buffer = io.BytesIO()
    book.save(buffer)
    ledger = load(("台账.xlsx", buffer.getvalue()))
    assert [(i.row, i.column, i.value) for i in ledger.errors] == [(4, "完成情况", "#REF!"), (5, "完成时限", "#N/A")]
    assert "task.no_due" not in codes(ledger)


def test_a_phases_sheet_with_only_its_header_is_like_no_phases_sheet():
    book = xlsx({"整改台账": [TASK_HEADER, task_row()], "阶段": [PHASE_HEADER]})
    assert "ledger.no_phases" in codes(load(("台账.xlsx", book)), "warning")
    fallback = load_ledger(
        [("台账.xlsx", book)], RECEIVED, fallback_phases=(Phase("整改落实", date(2019, 5, 11), date(2019, 5, 31), 1),)
    )
    assert [p.name for p in fallback.phases] == ["整改落实"]
    assert "ledger.phases_from_previous" in codes(fallback, "warning")


def test_nul_characters_from_xlsx_escapes_are_dropped():
    ledger = load_tasks([task_row(measure="成立_x0000_领导小组")])
    assert ledger.tasks["measure"].tolist() == ["成立领导小组"]


def test_the_task_table_has_the_types_of_the_schema():
    ledger = load_tasks([task_row(), task_row(id=2, due="长期", status="", progress=None)])
    assert dict(ledger.tasks.dtypes) == TASK_DTYPES
    assert dict(empty_tasks().dtypes) == TASK_DTYPES
    assert dict(load_tasks([]).tasks.dtypes) == TASK_DTYPES
