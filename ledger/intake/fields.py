"""Matching headers and sheet names: the header words of the task fields (ledger.model) and of phases, sheet names."""

from __future__ import annotations

import re
from functools import lru_cache

from ledger.model import TASK_FIELDS
from ledger.text import fold

# Canonical task fields and the headers people write for them (Chinese and English): the task schema's words
# (ledger.model.TASK_FIELDS), in its order. Where two columns name one field, the earlier word wins (ledger.intake.layout).
TASK_HEADERS: dict[str, tuple[str, ...]] = {f.name: f.words for f in TASK_FIELDS if f.words}

PHASE_HEADERS: dict[str, tuple[str, ...]] = {
    "order": ("序号", "编号", "order", "no", "no.", "#"),
    "name": ("阶段", "阶段名称", "步骤", "整改步骤", "name", "phase", "stage"),
    "start": ("开始日期", "开始时间", "start", "start date"),
    "end": ("结束日期", "截止日期", "结束时间", "end", "end date"),
    "period": ("时间", "时间安排", "起止时间", "时间段", "period", "dates", "time"),
    "description": ("工作内容", "主要任务", "内容", "工作要求", "description", "tasks"),
}

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
