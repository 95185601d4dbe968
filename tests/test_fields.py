"""ledger.intake.fields: header words → canonical fields, sheet names → sheet kinds."""

from __future__ import annotations

import pytest

from ledger.intake.fields import PHASE_HEADERS, TASK_HEADERS, match_header, normalize_header, sheet_kind_by_name
from ledger.model import WRITTEN_FIELDS

CONTRACT_TASK_HEADERS = {
    "id": ["序号", "编号"],
    "category": ["问题类别", "类别"],
    "problem": ["存在问题", "具体问题", "问题表现", "问题描述"],  # or the category, when its values group (tasks.py)
    "goal": ["整改目标"],
    "done_flag": ["是否完成", "是否整改到位", "是否办结", "完成与否"],
    "closure": ["销号情况", "是否销号"],
    "measure": ["整改措施", "整改任务", "任务"],
    "phase": ["阶段", "所属阶段"],
    "leader": ["责任领导", "分管领导", "牵头领导"],
    "department": ["责任部门", "责任单位", "牵头部门"],
    "owner": ["责任人", "具体责任人", "负责人"],
    "start": ["开始日期", "开始时间"],
    "due": ["完成时限", "整改时限", "截止日期", "完成时间"],
    "status": ["状态", "完成情况", "整改状态"],
    "progress": ["完成进度", "进度", "完成比例"],
    "completed_on": ["完成日期", "实际完成日期", "销号日期"],
    "evidence": ["佐证材料", "证明材料"],
    "notes": ["备注", "整改进展", "进展情况"],
}
CONTRACT_PHASE_HEADERS = {
    "name": ["阶段", "阶段名称"],
    "start": ["开始日期"],
    "end": ["结束日期", "截止日期"],
    "order": ["序号"],
    "description": ["工作内容", "主要任务"],
    "period": ["时间", "时间安排"],
}


def _pairs(table: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(word, field) for field, words in table.items() for word in words]


@pytest.mark.parametrize(("header", "field"), _pairs(CONTRACT_TASK_HEADERS))
def test_every_chinese_task_header_of_the_contract_names_its_field(header, field):
    assert match_header(header, "tasks") == field


@pytest.mark.parametrize(("header", "field"), _pairs(CONTRACT_PHASE_HEADERS))
def test_every_chinese_phase_header_of_the_contract_names_its_field(header, field):
    assert match_header(header, "phases") == field


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("ID", "id"),
        ("No.", "id"),
        ("Category", "category"),
        ("Measure", "measure"),
        ("Phase", "phase"),
        ("Responsible Leader", "leader"),
        ("Department", "department"),
        ("Owner", "owner"),
        ("Start Date", "start"),
        ("Due Date", "due"),
        ("Deadline", "due"),
        ("Status", "status"),
        ("Progress", "progress"),
        ("% Complete", "progress"),
        ("Completed On", "completed_on"),
        ("Evidence", "evidence"),
        ("Notes", "notes"),
    ],
)
def test_english_task_headers_name_their_fields_in_any_case(header, field):
    assert match_header(header, "tasks") == field


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Phase", "name"),
        ("Start", "start"),
        ("End Date", "end"),
        ("Order", "order"),
        ("Description", "description"),
    ],
)
def test_english_phase_headers_name_their_fields(header, field):
    assert match_header(header, "phases") == field


@pytest.mark.parametrize(
    "header",
    [
        "整改 措施",
        " 整改措施 ",
        "*整改措施",
        "整改措施＊",
        "整改措施（必填）",
        "整改措施(必填)",
        "整改措施：",
        "整改措施【必填】",
        "整改措施\n",
    ],
)
def test_spaces_markers_and_hints_in_headers_are_ignored(header):
    assert match_header(header, "tasks") == "measure"


def test_full_width_letters_are_folded():
    assert match_header("ＳＴＡＴＵＳ", "tasks") == "status"
    assert normalize_header("完成进度（%）") == "完成进度"


def test_a_header_that_starts_with_a_synonym_names_its_field():
    assert match_header("整改措施内容", "tasks") == "measure"
    assert match_header("完成时限要求", "tasks") == "due"


@pytest.mark.parametrize("header", ["", "   ", "联系电话", "合计", "x" * 30, None])
def test_headers_that_name_nothing_give_none(header):
    assert match_header(header, "tasks") is None


def test_the_same_word_can_mean_different_fields_in_the_two_sheets():
    assert match_header("阶段", "tasks") == "phase"
    assert match_header("阶段", "phases") == "name"
    assert match_header("截止日期", "tasks") == "due"
    assert match_header("截止日期", "phases") == "end"


def test_no_synonym_names_two_task_fields():
    words = [normalize_header(w) for ws in TASK_HEADERS.values() for w in ws]
    assert len(words) == len(set(words))
    words = [normalize_header(w) for ws in PHASE_HEADERS.values() for w in ws]
    assert len(words) == len(set(words))


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("任务", "tasks"),
        ("整改任务", "tasks"),
        ("台账", "tasks"),
        ("整改台账", "tasks"),
        ("tasks", "tasks"),
        ("Tasks", "tasks"),
        ("整改台帐", "tasks"),
        ("阶段", "phases"),
        ("整改步骤", "phases"),
        ("phases", "phases"),
        ("Phases", "phases"),
        ("说明", "meta"),
        ("meta", "meta"),
        ("2019年整改台账", "tasks"),
        ("整改台账（5月）", "tasks"),
    ],
)
def test_sheet_kinds_are_known_by_name(name, kind):
    assert sheet_kind_by_name(name) == kind


@pytest.mark.parametrize("name", ["Sheet1", "Sheet2", "工作表1", "数据"])
def test_sheets_with_other_names_have_no_kind(name):
    assert sheet_kind_by_name(name) is None


@pytest.mark.parametrize("written", WRITTEN_FIELDS, ids=lambda f: f.name)
def test_every_header_a_written_ledger_carries_reads_back_as_its_field(written):
    assert match_header(written.header, "tasks") == written.name
