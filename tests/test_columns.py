"""Columns read by meaning (README "The ledger spreadsheet"): every family of ledger read exactly with no mapping,
each conflict rule, status phrases by their words, a person's choice of columns, the report date beside other
fields, and the id column that tells measures apart."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ledger.intake import key_of
from ledger.report import column_records, issue_message
from ledger.vocab import DONE, IN_PROGRESS, NOT_DONE, NOT_STARTED, ONGOING, status_of
from tests.families import (
    AUDIT_HEADER,
    ODD_HEADER,
    ODD_MAPPING,
    audit_workbook,
    inspection_workbook,
    odd_workbook,
    supervision_workbook,
)
from tests.sheets import PHASE_HEADER, PHASE_ROWS, codes, docx, load, xlsx

ABOVE = [["整改台账"], ["填报日期：2019年5月27日"]]


def fields(ledger) -> dict[str, str]:
    return {c.header: c.field for c in ledger.columns}


def read(header: list[str], rows: list[list[object]], **kwargs):
    return load(("台账.xlsx", xlsx({"台账": [*ABOVE, header, *rows], "阶段": [PHASE_HEADER, *PHASE_ROWS]})), **kwargs)


def day(value) -> date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


# --- the families, read with no mapping -------------------------------------------------------------------------


def test_an_audit_offices_ledger_is_read_by_meaning_with_every_column_kept():
    ledger = load(("审计整改台账.xlsx", audit_workbook()))
    assert ledger.ok and not ledger.asks
    assert fields(ledger) == {
        "序号": "id",
        "所属单位": "unit",
        "审计来源": "extra",
        "审计年度": "extra",
        "问题类别": "category",
        "问题描述": "problem",
        "涉及金额（万元）": "extra",
        "审计建议": "extra",
        "整改计划及措施": "measure",
        "目标设定完成时间": "due",
        "责任领导": "leader",
        "责任部门": "department",
        "责任人": "owner",
        "整改验收人": "extra",
        "是否整改完成": "done_flag",
        "整改完成时间": "completed_on",
        "整改完成情况": "notes",  # narrative: the notes, beside a 是否整改完成 that says done or not
        "红黑榜": "extra",
        "佐证材料": "evidence",
        "备注": "extra",  # empty, it yields the notes to the column that holds them, and is kept
    }
    tasks = ledger.tasks
    assert ledger.report_date == date(2024, 4, 1)  # 统计截止时间：… beside 填报单位 on one line
    assert tasks["measure"].iloc[0] == "补齐差旅费报销单据并建立审核台账"
    assert tasks["status"].tolist() == ["done", "not_started", "not_started", "not_started", "done", "done"]
    assert [day(d) for d in tasks["due"]][:2] == [date(2024, 3, 31), date(2024, 5, 31)]
    assert day(tasks["completed_on"].iloc[0]) == date(2024, 3, 20)
    assert tasks["unit"].tolist() == ["第一分公司"] * 3 + ["第二分公司"] * 2 + ["第三分公司"]
    assert tasks["extra:涉及金额（万元）"].tolist() == [12.5, 80.0, 35.2, 150.0, 22.0, 5.8]
    assert tasks["extra:红黑榜"].tolist() == ["红榜", "", "黑榜", "", "红榜", ""]
    assert tasks["notes"].iloc[1] == "已审核 12 份，余 8 份"
    conflict = next(i for i in ledger.warnings if i.code == "column.conflict")
    assert (conflict.column, conflict.value) == ("备注", "整改完成情况")
    kept = [h for h in AUDIT_HEADER if fields(ledger)[h] == "extra"]
    assert all(f"extra:{h}" in tasks for h in kept)  # nothing the office wrote is dropped


def test_a_supervision_ledger_is_read_by_meaning():
    ledger = load(("督办台账.xlsx", supervision_workbook()))
    assert ledger.ok and not ledger.asks
    assert fields(ledger) == {
        "序号": "id",
        "督办事项": "measure",
        "督办来源": "extra",
        "交办领导": "leader",
        "承办单位": "department",
        "承办人": "owner",
        "交办时间": "start",
        "办理时限": "due",
        "办理情况": "status",
        "是否办结": "done_flag",
    }
    assert ledger.report_date == date(2024, 4, 8)
    assert ledger.tasks["status"].tolist() == [DONE, IN_PROGRESS, IN_PROGRESS, ONGOING]
    assert ledger.tasks["department"].tolist() == ["保卫处", "学生处", "工会", "党政办公室"]


def test_an_inspection_checklist_is_read_by_meaning():
    ledger = load(("巡察整改清单.xlsx", inspection_workbook()))
    assert ledger.ok and not ledger.asks
    assert fields(ledger) == {
        "序号": "id",
        "反馈问题": "problem",
        "整改举措": "measure",
        "包联领导": "leader",
        "牵头单位": "department",
        "责任人": "owner",
        "整改期限（时间节点）": "due",
        "整改状态": "status",
        "整改成效": "notes",
        "佐证材料": "evidence",
    }
    assert ledger.report_date == date(2024, 4, 30)  # 数据截至2024年4月底 → its last day
    tasks = ledger.tasks
    assert tasks["problem"].tolist() == ["理论学习不深入"] * 2 + ["选人用人不规范", "财务制度执行不严"]
    assert tasks["status"].tolist() == [IN_PROGRESS, DONE, NOT_STARTED, ONGOING]
    assert [day(d) for d in tasks["due"]][:3] == [date(2024, 6, 30), date(2024, 5, 31), date(2024, 9, 30)]
    assert tasks["long_term"].tolist() == [False, False, False, True]


def test_the_seed_ledger_is_read_as_it_always_was(sample_ledger):
    assert sample_ledger.ok and not sample_ledger.asks
    assert {c.field for c in sample_ledger.columns} == {
        "id", "category", "problem", "measure", "phase", "leader", "department", "owner", "start", "due",
        "status", "progress", "completed_on", "evidence", "notes",
    }  # fmt: skip
    assert all(c.confidence >= 0.9 for c in sample_ledger.columns)


def test_a_ledger_no_rule_can_guess_is_asked_about_column_by_column():
    ledger = load(("推进表.xlsx", odd_workbook()))
    assert ledger.asks and not ledger.ok
    unsure = {i.column: dict(i.params)["field"] for i in ledger.errors if i.code == "column.unsure"}
    assert unsure == {"办什么": "measure", "交账日子": "due", "眼下": "status"}  # suggested by their cells
    assert "column.no_responsible" in codes(ledger, "error")
    assert "task.no_responsible" not in codes(ledger)  # said once for the sheet, not for every row
    message = issue_message(next(i for i in ledger.errors if i.column == "交账日子"), "zh")
    assert "“交账日子”列按内容推测为“完成时限”" in message and '--columns "交账日子=due"' in message


def test_the_same_ledger_is_read_exactly_with_a_persons_choice_of_columns():
    chosen = dict(part.split("=") for part in ODD_MAPPING.split(","))
    ledger = load(("推进表.xlsx", odd_workbook()), columns={key_of(h): f for h, f in chosen.items()})
    assert ledger.ok and not ledger.asks
    assert [c.field for c in ledger.columns] == ["id", "measure", "leader", "department", "owner", "due", "status"]
    assert all(c.confirmed and c.reasons[0].code == "confirmed" for c in ledger.columns)
    assert ledger.tasks["owner"].tolist() == ["办公室主任", "组织员", "教务处处长"]
    assert ledger.shape == "|".join(key_of(h) for h in ODD_HEADER)


def test_a_person_may_keep_any_column_as_an_extra_or_ignore_it():
    chosen = dict(part.split("=") for part in ODD_MAPPING.split(","))
    chosen |= {"条目": "extra", "眼下": "ignore"}
    ledger = load(("推进表.xlsx", odd_workbook()), columns={key_of(h): f for h, f in chosen.items()})
    assert ledger.ok
    assert ledger.tasks["extra:条目"].tolist() == [1.0, 2.0, 3.0]
    assert "extra:眼下" not in ledger.tasks and (ledger.tasks["status"] == NOT_STARTED).all()


# --- conflicts ----------------------------------------------------------------------------------------------------

BASE = ["序号", "整改措施", "责任人"]


def base_row(i: int) -> list[object]:
    return [i, f"落实第{i}项整改措施并建立长效机制", "办公室主任"]


def test_two_deadline_like_columns_each_land_on_their_field():
    ledger = read(
        [*BASE, "计划完成时间", "实际完成时间"],
        [[*base_row(i), date(2019, 5, 31), date(2019, 5, 20 + i)] for i in (1, 2)],
    )
    assert fields(ledger)["计划完成时间"] == "due" and fields(ledger)["实际完成时间"] == "completed_on"


def test_a_completion_time_beside_a_deadline_is_the_completion_date_and_alone_the_deadline():
    both = read([*BASE, "整改时限", "完成时间"], [[*base_row(1), date(2019, 5, 31), date(2019, 5, 28)]])
    assert fields(both)["整改时限"] == "due" and fields(both)["完成时间"] == "completed_on"
    taken = next(c for c in both.columns if c.header == "完成时间").reasons[-1]
    assert taken.code == "taken" and dict(taken.params)["winner"] == "整改时限"
    alone = read([*BASE, "完成时间"], [[*base_row(1), date(2019, 5, 31)]])
    assert fields(alone)["完成时间"] == "due"


def test_situation_holding_status_words_is_the_status_and_holding_narrative_is_the_notes():
    words = read([*BASE, "整改情况"], [[*base_row(1), "已完成"], [*base_row(2), "正在推进"], [*base_row(3), "未启动"]])
    assert fields(words)["整改情况"] == "status"
    assert words.tasks["status"].tolist() == [DONE, IN_PROGRESS, NOT_STARTED]
    narrative = [
        "已召开专题会议三次，制定了工作方案，正在逐项推进落实",
        "组织全体党员开展了集中学习，撰写心得体会四十余篇",
        "已完成制度修订初稿，征求意见后将提交党委会审议",
    ]
    told = read([*BASE, "整改情况"], [[*base_row(i + 1), text] for i, text in enumerate(narrative)])
    assert fields(told)["整改情况"] == "notes" and told.ok
    assert told.tasks["notes"].tolist() == narrative


def test_two_measure_like_columns_the_better_wins_and_the_other_is_kept_with_a_warning_naming_both():
    ledger = read(
        ["序号", "整改措施", "具体任务", "责任人"],
        [[i, f"落实第{i}项整改措施", f"第{i}项任务的具体分解", "办公室主任"] for i in (1, 2)],
    )
    assert fields(ledger)["整改措施"] == "measure" and fields(ledger)["具体任务"] == "extra"
    warning = next(i for i in ledger.warnings if i.code == "column.conflict")
    assert (warning.column, warning.value) == ("具体任务", "整改措施")
    assert "“具体任务”列和“整改措施”列都像“整改措施”" in issue_message(warning, "zh")
    assert ledger.tasks["extra:具体任务"].tolist() == ["第1项任务的具体分解", "第2项任务的具体分解"]


def test_every_choice_has_a_reason_a_person_can_read():
    ledger = load(("审计整改台账.xlsx", audit_workbook()))
    records = {r["header"]: r for r in column_records(ledger, "en")}
    assert records["整改计划及措施"]["reason"] == "the header contains “整改计划”; the cells are text"
    assert records["整改计划及措施"]["column"] == "I" and records["整改计划及措施"]["confidence"] == 0.85
    assert records["涉及金额（万元）"]["sample"] == ["12.5", "80", "35.2"]
    assert records["红黑榜"]["reason"] == "the header names no field; kept as an extra field"


# --- status words by their meaning ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("正在推进", IN_PROGRESS),
        ("办理中", IN_PROGRESS),
        ("已办结", DONE),
        ("基本完成", IN_PROGRESS),
        ("持续推进", ONGOING),
        ("已整改到位", DONE),
        ("按计划推进", IN_PROGRESS),
        ("完成50%", IN_PROGRESS),
        ("未按期完成", NOT_DONE),
        ("尚未启动", NOT_STARTED),
        ("待完成", NOT_DONE),
        ("计划完成", NOT_DONE),
        ("即将完成", IN_PROGRESS),
        ("无法完成", None),  # a negation that says nothing placeable: asked about, never counted done
        ("不再推进", None),
        ("良好", None),
        ("推进校园安全隐患排查整治工作", None),  # prose, not a status
    ],
)
def test_a_status_phrase_is_placed_by_its_words(word, status):
    assert status_of(word) == status


def test_a_status_word_that_cannot_be_placed_is_still_an_error_listing_the_accepted_words():
    ledger = read([*BASE, "完成情况"], [[*base_row(1), "已完成"], [*base_row(2), "良好"]])
    bad = next(i for i in ledger.errors if i.code == "task.bad_status")
    assert bad.value == "良好" and "已完成" in issue_message(bad, "zh")


# --- the report date, the id ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "day_"),
    [
        ("填报单位：党政办公室　　　　填报日期：2019年5月27日", date(2019, 5, 27)),
        ("统计截止时间：2024年6月30日", date(2024, 6, 30)),
        ("数据截至2024年6月底", date(2024, 6, 30)),
    ],
)
def test_the_report_date_is_found_on_a_line_that_holds_other_fields_too(line, day_):
    above_table = load(("a.xlsx", xlsx({"台账": [["整改台账"], [line], BASE, base_row(1)]})))
    below_table = load(("b.xlsx", xlsx({"台账": [BASE, base_row(1), [], [f"填表人：办公室　{line}"]]})))
    in_word = load(("c.docx", docx("整改台账", line, [BASE, base_row(1)])))
    header_cell = load(("d.xlsx", xlsx({"台账": [[*BASE, f"备注（{line}）"], [*base_row(1), ""]]})))
    for ledger in (above_table, below_table, in_word, header_cell):
        assert (ledger.report_date, ledger.report_date_found) == (day_, True)


def test_a_unique_id_column_identifies_the_measures_when_the_serial_number_repeats():
    rows = [[1, f"A-{i:02d}", f"第{i}项措施的具体内容", "办公室主任"] for i in (1, 2, 3)]
    ledger = read(["序号", "问题编号", "整改措施", "责任人"], rows)
    assert ledger.ok
    assert fields(ledger) == {"序号": "extra", "问题编号": "id", "整改措施": "measure", "责任人": "owner"}
    assert ledger.tasks["id"].tolist() == ["A-01", "A-02", "A-03"]
    warning = next(i for i in ledger.warnings if i.code == "sheet.id_from_column")
    assert "“序号”有重复或空白，改用各行都不相同的“问题编号”" in issue_message(warning, "zh")
    unique = read(["序号", "问题编号", "整改措施", "责任人"], [[i, *row[1:]] for i, row in enumerate(rows, 1)])
    assert fields(unique)["序号"] == "id" and "sheet.id_from_column" not in codes(unique)


# --- what a careful reader of messy ledgers found -------------------------------------------------------------------


def test_a_department_named_with_its_name_is_no_unit_and_a_unit_read_from_a_word_is_asked_about():
    rows = [[i, f"落实第{i}项整改措施", name, "处长"] for i, name in enumerate(("保卫处", "学生处", "工会"), 1)]
    ledger = read(["序号", "督办事项", "承办单位名称", "承办人"], rows)
    assert fields(ledger)["承办单位名称"] == "department" and "unit" not in ledger.tasks
    asked = read(["序号", "整改措施", "所属企业", "责任人"], [[i, f"第{i}项措施", "甲公司", "经理"] for i in (1, 2, 3)])
    assert fields(asked)["所属企业"] == "unit" and asked.asks
    assert [i.column for i in asked.errors if i.code == "column.unsure"] == ["所属企业"]


def test_words_in_brackets_keep_two_completion_times_apart_and_in_a_persons_choice():
    header = [*BASE, "完成时间（实际）", "完成时间（计划）"]
    rows = [[*base_row(i), date(2019, 5, 20 + i), date(2019, 5, 31)] for i in (1, 2)]
    ledger = read(header, rows)
    assert fields(ledger)["完成时间（实际）"] == "completed_on" and fields(ledger)["完成时间（计划）"] == "due"
    swapped = read(
        header, rows, columns={key_of("完成时间（实际）"): "due", key_of("完成时间（计划）"): "completed_on"}
    )
    assert [day(d) for d in swapped.tasks["due"]] == [date(2019, 5, 21), date(2019, 5, 22)]
    assert key_of("完成时间（实际）") != key_of("完成时间（计划）")


def test_a_header_written_twice_is_chosen_by_its_column_letter():
    header = [*BASE, "备注", "备注"]
    rows = [[*base_row(i), f"说明{i}", f"联系电话{i}"] for i in (1, 2)]
    ledger = read(header, rows, columns={"备注#d": "extra", "备注#e": "notes"})
    assert ledger.ok and ledger.tasks["notes"].tolist() == ["联系电话1", "联系电话2"]
    assert ledger.tasks["extra:备注"].tolist() == ["说明1", "说明2"]
    from ledger.intake import choice_keys

    assert choice_keys(ledger.columns) == ["序号", "整改措施", "责任人", "备注#d", "备注#e"]


def test_a_header_that_names_no_measure_is_still_the_header_when_a_task_row_only_looks_like_one():
    header = ["序号", "主要做法", "牵头领导", "责任单位", "完成时限", "进展情况"]
    rows = [
        [1, "制定整改任务清单", "校领导", "各部门", date(2019, 5, 31), "已完成"],
        [2, "召开专题民主生活会", "党委书记", "党委办公室", date(2019, 6, 15), "进行中"],
    ]
    ledger = read(header, rows)
    assert [c.header for c in ledger.columns] == header  # not the first task row
    assert "column.no_measure" in codes(ledger, "error")
    chosen = read(header, rows, columns={key_of("主要做法"): "measure"})
    assert chosen.ok and chosen.tasks["measure"].tolist() == ["制定整改任务清单", "召开专题民主生活会"]
    assert fields(read(["序号", "主要工作", "牵头领导"], [[1, "制定整改任务清单", "校领导"]]))["主要工作"] == "measure"


def test_a_units_subtotal_row_is_skipped():
    rows = [[*base_row(1), "甲公司"], [*base_row(2), "甲公司"], ["", "甲公司小计", "", ""]]
    ledger = read([*BASE, "所属公司"], rows)
    assert len(ledger.tasks) == 2 and ledger.ok
