"""The ledger's field table: canonical fields, the header words that name them, and the sheet names."""

from __future__ import annotations

import re
from functools import lru_cache

from ledger.text import fold

# Canonical task fields and the headers people write for them (Chinese and English).
# Order matters only for display (template columns, exports).
TASK_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("序号", "编号", "任务编号", "措施编号", "no", "no.", "#", "id", "number", "item"),
    "category": ("问题类别", "类别", "问题类型", "问题分类", "category", "problem category"),
    # A problem column is one problem per measure; one whose values group the measures (few values, repeated or
    # merged down) is read as the category instead (ledger.tasks.problem_or_category).
    "problem": (
        "具体问题",
        "问题表现",
        "存在问题",
        "问题描述",
        "问题",
        "突出问题",
        "问题清单",
        "problem",
        "problems",
        "issue",
        "issue description",
    ),
    "measure": (
        "整改措施",
        "整改任务",
        "任务",
        "具体措施",
        "措施",
        "整改内容",
        "measure",
        "measures",
        "task",
        "action",
        "rectification measure",
    ),
    "goal": ("整改目标", "目标", "预期目标", "整改要求", "goal", "target", "expected result"),
    "phase": ("阶段", "所属阶段", "整改阶段", "phase", "stage"),
    "leader": ("责任领导", "分管领导", "牵头领导", "包保领导", "leader", "responsible leader", "lead"),
    "department": (
        "责任部门",
        "责任单位",
        "牵头部门",
        "牵头单位",
        "责任科室",
        "department",
        "dept",
        "responsible department",
        "unit",
    ),
    "owner": (
        "责任人",
        "具体责任人",
        "负责人",
        "经办人",
        "owner",
        "responsible person",
        "person in charge",
        "assignee",
    ),
    "start": ("开始日期", "开始时间", "启动时间", "start", "start date", "begin"),
    "due": (
        "完成时限",
        "整改时限",
        "截止日期",
        "完成时间",
        "截止时间",
        "整改期限",
        "时限",
        "due",
        "due date",
        "deadline",
    ),
    "status": ("状态", "完成情况", "整改状态", "整改情况", "status", "state"),
    "done_flag": (
        "是否完成",
        "是否整改到位",
        "是否办结",
        "完成与否",
        "是否整改完成",
        "是否已完成",
        "done?",
        "completed?",
    ),
    "closure": ("销号情况", "是否销号", "销号状态", "销号", "closed out", "closure"),
    "progress": ("完成进度", "进度", "完成比例", "完成率", "progress", "% complete", "percent complete", "completion"),
    "completed_on": (
        "完成日期",
        "实际完成日期",
        "销号日期",
        "实际完成时间",
        "completed on",
        "completion date",
        "date completed",
        "done on",
    ),
    "evidence": (
        "佐证材料",
        "证明材料",
        "佐证资料",
        "支撑材料",
        "evidence",
        "supporting material",
        "supporting materials",
    ),
    "notes": ("备注", "整改进展", "进展情况", "工作进展", "notes", "note", "remarks", "comment", "comments"),
}

PHASE_HEADERS: dict[str, tuple[str, ...]] = {
    "order": ("序号", "编号", "order", "no", "no.", "#"),
    "name": ("阶段", "阶段名称", "步骤", "整改步骤", "name", "phase", "stage"),
    "start": ("开始日期", "开始时间", "start", "start date"),
    "end": ("结束日期", "截止日期", "结束时间", "end", "end date"),
    "period": ("时间", "时间安排", "起止时间", "时间段", "period", "dates", "time"),
    "description": ("工作内容", "主要任务", "内容", "工作要求", "description", "tasks"),
}

# Who answers for a measure, leader → department → owner: a measure needs at least one of them.
RESPONSIBILITY_FIELDS = ("leader", "department", "owner")

TASK_SHEET_NAMES = ("整改台账", "整改任务", "台账", "任务", "整改台帐", "台帐", "tasks", "task", "ledger")
PHASE_SHEET_NAMES = ("阶段", "整改步骤", "整改阶段", "步骤", "phases", "phase", "stages")
META_SHEET_NAMES = ("说明", "填报说明", "正文", "meta", "about", "readme")

_DROP = re.compile(r"[\s*＊:：%％]|[（(][^）)]{0,40}[）)]|[【\[][^】\]]{0,40}[】\]]")  # bounded: linear


def normalize_header(text: object) -> str:
    """Header text as compared: width-folded, lower case, no spaces, markers or parenthesised hints."""
    return _DROP.sub("", fold(text))


def _index(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalize_header(word): field for field, words in table.items() for word in words}


_TASK_INDEX = _index(TASK_HEADERS)
_PHASE_INDEX = _index(PHASE_HEADERS)


def match_header(text: object, kind: str) -> str | None:
    """The canonical field a header cell names, or None; `kind` is "tasks" or "phases"."""
    return _match(str(text), kind) if len(str(text)) <= 64 else None  # no header is that long


@lru_cache(maxsize=4096)
def _match(text: str, kind: str) -> str | None:
    index = _TASK_INDEX if kind == "tasks" else _PHASE_INDEX
    key = normalize_header(text)
    if not key or len(key) > 24:
        return None
    if key in index:
        return index[key]
    # "整改措施内容", "完成时限(日期)": the longest synonym the header starts with.
    prefixes = [word for word in index if len(word) >= 3 and key.startswith(word)]
    return index[max(prefixes, key=len)] if prefixes else None


def sheet_kind_by_name(name: str) -> str | None:
    """ "tasks", "phases" or "meta" when the sheet's name says so."""
    key = normalize_header(name)
    for kind, names in (("phases", PHASE_SHEET_NAMES), ("meta", META_SHEET_NAMES), ("tasks", TASK_SHEET_NAMES)):
        if any(normalize_header(n) == key for n in names):
            return kind
    for kind, names in (("tasks", TASK_SHEET_NAMES), ("phases", PHASE_SHEET_NAMES), ("meta", META_SHEET_NAMES)):
        if any(len(n) >= 2 and normalize_header(n) in key for n in names):
            return kind
    return None
