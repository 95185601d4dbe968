"""The ledger forms offices keep (README "The ledger spreadsheet"): 是否完成 and 销号 columns, 立行立改 deadlines,
problem and goal columns, columns that are not recognised, phases and overlap from the plan."""

from __future__ import annotations

from datetime import date

import pandas as pd

from ledger.report import issue_message
from tests.sheets import PHASE_HEADER, PHASE_ROWS, TASK_HEADER, codes, load, task_row, xlsx

ABOVE = [["整改台账"], ["填报日期：2019年5月27日"]]


def ledger_of(header: list[str], rows: list[list], phases: bool = True):
    sheets = {"整改台账": [*ABOVE, header, *rows]}
    if phases:
        sheets["整改步骤"] = [PHASE_HEADER, *PHASE_ROWS]
    return load(("台账.xlsx", xlsx(sheets)))


def with_columns(extra: dict[str, list], **row_overrides) -> tuple[list[str], list[list]]:
    """TASK_HEADER without 完成情况, plus extra columns; one row per value in the extra lists."""
    header = [h for h in TASK_HEADER if h != "完成情况"] + list(extra)
    count = len(next(iter(extra.values())))
    rows = []
    for i in range(count):
        row = task_row(id=i + 1, measure=f"措施{i + 1}", **row_overrides)
        row = [v for h, v in zip(TASK_HEADER, row, strict=True) if h != "完成情况"]
        rows.append(row + [values[i] for values in extra.values()])
    return header, rows


# --- 是否完成 -----------------------------------------------------------------------------------------------------


def test_a_yes_no_column_decides_done_and_not_done_by_progress():
    header, rows = with_columns({"是否完成": ["是", "√", "否", "×", "否"]}, progress="")
    rows[2][header.index("完成进度")] = 40
    ledger = ledger_of(header, rows)
    assert ledger.ok
    assert ledger.tasks["status"].tolist() == ["done", "done", "in_progress", "not_started", "not_started"]


def test_three_of_ten_marked_yes_is_thirty_percent_complete():
    from ledger import metrics

    header, rows = with_columns({"是否完成": ["是"] * 3 + ["否"] * 7}, progress="")
    assert metrics.completion_pct(ledger_of(header, rows).tasks) == 30.0


def test_a_measure_marked_yes_with_a_past_deadline_is_not_overdue():
    from ledger import metrics

    header, rows = with_columns({"是否完成": ["是", "否"]}, due=date(2019, 5, 20), progress="")
    late = metrics.overdue(ledger_of(header, rows).tasks, date(2019, 5, 27))
    assert late["id"].tolist() == ["2"]


def test_an_unreadable_yes_no_cell_is_an_error_naming_the_accepted_words():
    header, rows = with_columns({"是否完成": ["差不多"]})
    ledger = ledger_of(header, rows)
    assert codes(ledger, "error") == ["task.bad_yes_no"]
    assert "是、否" in issue_message(ledger.errors[0], "zh")


# --- 销号 ---------------------------------------------------------------------------------------------------------


def test_closed_implies_done_and_done_but_not_closed_keeps_its_closure():
    header, rows = with_columns(
        {"是否完成": ["否", "是", "是"], "销号情况": ["已销号", "未销号", "申请销号"]},
        progress="",
        evidence="会议记录",
        completed_on=date(2019, 5, 20),
    )
    ledger = ledger_of(header, rows)
    assert ledger.tasks["status"].tolist() == ["done", "done", "done"]
    assert ledger.tasks["closure"].tolist() == ["closed", "open", "requested"]
    [warning] = [i for i in ledger.warnings if i.code == "task.done_disagrees"]  # 否 but 已销号
    assert warning.row == 4 and warning.column == "销号情况"


def test_without_a_closure_column_the_closure_is_empty():
    assert load(("台账.xlsx", xlsx({"整改台账": [TASK_HEADER, task_row()]}))).tasks["closure"].tolist() == [""]


def test_a_status_word_that_contradicts_the_yes_no_column_is_warned():
    header = [*TASK_HEADER, "是否完成"]
    ledger = ledger_of(header, [[*task_row(status="进行中"), "是"]])
    assert "task.done_disagrees" in codes(ledger, "warning")
    assert ledger.tasks["status"].tolist() == ["in_progress"]  # the status word wins


# --- 立行立改 -----------------------------------------------------------------------------------------------------


def test_an_immediate_measure_is_due_at_the_end_of_its_phase_else_the_first_phase():
    rows = [task_row(id=1, due="立行立改", phase="整改落实"), task_row(id=2, due="即知即改", phase="", start=None)]
    ledger = ledger_of(TASK_HEADER, rows)
    assert ledger.ok
    assert ledger.tasks["immediate"].tolist() == [True, True]
    assert ledger.tasks["due"].dt.date.tolist() == [date(2019, 5, 31), date(2019, 5, 10)]


def test_an_immediate_measure_without_phases_is_due_on_the_report_date():
    ledger = ledger_of(TASK_HEADER, [task_row(due="立即整改", phase="", start=None)], phases=False)
    assert ledger.tasks["due"].dt.date.tolist() == [date(2019, 5, 27)]


# --- problem and goal ---------------------------------------------------------------------------------------------


def test_problem_and_goal_columns_beside_a_category_column_are_their_own_fields():
    header = [*TASK_HEADER, "具体问题", "整改目标"]
    rows = [[*task_row(id=1), "学习流于形式", "每月学习一次"], [*task_row(id=2), "考核不严", "考核全覆盖"]]
    ledger = ledger_of(header, rows)
    assert ledger.tasks["problem"].tolist() == ["学习流于形式", "考核不严"]
    assert ledger.tasks["goal"].tolist() == ["每月学习一次", "考核全覆盖"]
    assert ledger.tasks["category"].tolist() == ["思想重视不够的问题"] * 2


def grouped_or_not(values: list[str]):
    header = ["序号", "存在问题", *TASK_HEADER[2:]]
    rows = [[i + 1, value, *task_row(id=i + 1, measure=f"措施{i + 1}")[2:]] for i, value in enumerate(values)]
    return ledger_of(header, rows).tasks


def test_a_problem_column_whose_values_group_the_measures_is_the_category():
    tasks = grouped_or_not(["思想重视不够", "", "", "队伍建设薄弱", ""])  # merged down
    assert tasks["category"].tolist() == ["思想重视不够"] * 3 + ["队伍建设薄弱"] * 2
    assert tasks["problem"].tolist() == [""] * 5


def test_a_problem_column_with_one_problem_per_measure_is_the_problem():
    tasks = grouped_or_not(["学习不够", "考核不严", "阵地薄弱", "舆情应对慢"])
    assert tasks["problem"].tolist() == ["学习不够", "考核不严", "阵地薄弱", "舆情应对慢"]
    assert tasks["category"].tolist() == [""] * 4


# --- never silent -------------------------------------------------------------------------------------------------


def test_a_column_with_an_unknown_header_but_known_values_is_named():
    header = [*TASK_HEADER, "落实情况说明", "计划办结", "是否到期"]
    rows = [[*task_row(id=i), "已完成", date(2019, 5, 30), "否"] for i in (1, 2)]
    ledger = ledger_of(header, rows)
    found = {(i.code, i.column) for i in ledger.warnings if i.code.startswith("sheet.unread_")}
    assert found == {
        ("sheet.unread_status_column", "落实情况说明"),
        ("sheet.unread_date_column", "计划办结"),
        ("sheet.unread_yes_no_column", "是否到期"),
    }
    message = issue_message(next(i for i in ledger.warnings if i.column == "计划办结"), "zh")
    assert message.startswith("“计划办结”列是日期，已作为附加信息保留")
    assert ledger.tasks["extra:计划办结"].tolist() == [pd.Timestamp(2019, 5, 30)] * 2  # kept, as read


def test_a_free_text_column_with_an_unknown_header_is_not_warned():
    ledger = ledger_of([*TASK_HEADER, "联系电话"], [[*task_row(), "13800000000"]])
    assert not [i for i in ledger.warnings if i.code.startswith("sheet.unread_")]
