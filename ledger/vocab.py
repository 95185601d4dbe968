"""The status vocabulary and progress values of a ledger, as people write them."""

from __future__ import annotations

import re

from ledger.text import clean_text, fold

DONE, IN_PROGRESS, NOT_STARTED, ONGOING = "done", "in_progress", "not_started", "ongoing"
STATUSES = (DONE, IN_PROGRESS, NOT_STARTED, ONGOING)
NOT_DONE = "not_done"
# Closure review: a measure reported done is claimed until an inspector
# verifies it (销号) or returns it (退回); "" for one not reported done.
CLAIMED, VERIFIED, RETURNED = "claimed", "verified", "returned"
REVIEW_STATES = ("", CLAIMED, VERIFIED, RETURNED)
"""未完成: not done; becomes in_progress or not_started by progress."""

ONGOING_WORDS = (
    "长期坚持",
    "持续推进",
    "持续整改",
    "常态化",
    "长期",
    "长期推进",
    "常态化推进",
    "持续",
    "长期执行",
    "ongoing",
    "continuous",
    "long-term",
    "long term",
    "continuing",
)
"""长期坚持 and its like: an ongoing measure, the same words in a status cell and in a deadline cell (ledger.dates:
no deadline). Compared folded (ledger.text.fold), so `longterm` is `long term`."""

STATUS_WORDS: dict[str, tuple[str, ...]] = {
    DONE: (
        "已完成",
        "完成",
        "已整改",
        "已销号",
        "销号",
        "办结",
        "已办结",
        "整改完成",
        "已落实",
        "√",
        "✓",
        "✔",
        "done",
        "completed",
        "complete",
        "finished",
        "closed",
    ),
    IN_PROGRESS: (
        "进行中",
        "正在整改",
        "整改中",
        "推进中",
        "部分完成",
        "基本完成",
        "正在进行",
        "正在推进",
        "落实中",
        "超期",
        "逾期",
        "超期未完成",
        "in progress",
        "in-progress",
        "started",
        "partially done",
        "partial",
        "overdue",
        "delayed",
        "wip",
    ),
    NOT_STARTED: (
        "未开始",
        "未启动",
        "未整改",
        "尚未开始",
        "待启动",
        "not started",
        "pending",
        "to do",
        "todo",
        "open",
    ),
    ONGOING: ONGOING_WORDS,
    NOT_DONE: ("未完成", "未办结", "×", "✗", "not done", "incomplete", "unfinished"),
}


_STATUS_INDEX = {fold(word): status for status, words in STATUS_WORDS.items() for word in words}


def status_of(text: object) -> str | None:
    """The canonical status a status cell names (or NOT_DONE), None for a word that cannot be placed: a known word,
    else by the words it is made of (正在推进, 办理中, 已办结, 基本完成 and their kin)."""
    key = fold(text)
    found = _STATUS_INDEX.get(key)
    return found if found is not None else _status_by_words(key)


# A status phrase by its words, the first rule that matches deciding (a phrase longer than MAX_PHRASE is prose, not
# a status): a negation that says nothing placeable (不, 无, 暂缓 …) stays unplaced; then ongoing; then not done (未,
# 尚未, 待, 拟, 计划 …: not started when it says 启动/开始); then in progress (正在, …中, 部分, 基本, 即将 …); then
# done (已…, 完成, 办结, 到位 …). 基本完成 is in progress: "basically" is not done.
MAX_PHRASE = 8
_BY_WORDS: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (re.compile(r"不|无|暂缓|取消|搁置"), None),  # 不再推进, 无法完成: nothing to place it by; asked about
    (re.compile(r"长期|持续|常态|经常性"), ONGOING),
    (re.compile(r"^(?:未|尚未|暂未|没有|还未|仍未).{0,4}(?:启动|开始|着手)"), NOT_STARTED),
    (
        re.compile(r"^(?:未|尚未|暂未|没有|没|还未|仍未|待|拟|计划|准备|尚需|还需)|未(?:完成|办结|到位|整改|落实)"),
        NOT_DONE,
    ),
    (
        re.compile(
            r"(?<!\d)\d{1,2}(?:\.\d+)?%|正在|进行|推进|办理中|落实中|整改中|实施中|中$|部分|基本|逐步|初步|阶段性|即将|"
            r"已启动|已开始|已部署"
        ),
        IN_PROGRESS,
    ),
    (re.compile(r"^已|完成|办结|到位|落实|销号|完毕|结束|整改完"), DONE),
)


def exact_status(text: object) -> str | None:
    """The status a cell names in the vocabulary's own words (not by the words a phrase is made of)."""
    return _STATUS_INDEX.get(fold(text))


def _status_by_words(key: str) -> str | None:
    if not key or len(key) > MAX_PHRASE:
        return None
    return next((status for pattern, status in _BY_WORDS if pattern.search(key)), None)


def accepted_status_words(lang: str) -> str:
    """The accepted words, for the message that rejects an unknown one."""
    words = {k: tuple(w for w in v if w.isascii() == (lang != "zh")) for k, v in STATUS_WORDS.items()}
    return (
        "；".join("、".join(ws[:6]) for ws in words.values())
        if lang == "zh"
        else "; ".join(", ".join(ws[:5]) for ws in words.values())
    )


def resolve_status(status: str | None, progress: float | None) -> str:
    """The canonical status of a row from its status word (or none) and its progress."""
    if status in (DONE, IN_PROGRESS, NOT_STARTED, ONGOING):
        return status
    if status == NOT_DONE:
        return IN_PROGRESS if progress else NOT_STARTED
    if progress is None or progress != progress:
        return NOT_STARTED
    if progress >= 100:
        return DONE
    return IN_PROGRESS if progress > 0 else NOT_STARTED


_PERCENT_TEXT = re.compile(r"^(?:完成|已完成|约)?\s*(-?\d+(?:\.\d+)?)\s*(%)?$")


def parse_progress_text(text: str) -> tuple[float, bool] | None:
    """A progress cell written as text: (value, written with %) or None when it is not a number."""
    match = _PERCENT_TEXT.match(clean_text(text))
    if not match:
        return None
    return float(match[1]), bool(match[2])


YES_WORDS = ("是", "√", "✓", "✔", "已完成", "完成", "到位", "已到位", "办结", "已办结", "yes", "y", "true")
NO_WORDS = ("否", "×", "✗", "✘", "未完成", "未到位", "未办结", "no", "n", "false")
_YES_NO_INDEX = {fold(word): True for word in YES_WORDS} | {fold(word): False for word in NO_WORDS}


def yes_no(text: object) -> bool | None:
    """A 是否完成 cell: True (是 √), False (否 ×), None for anything else."""
    return _YES_NO_INDEX.get(fold(text))


CLOSED, REQUESTED, OPEN = "closed", "requested", "open"
CLOSURE_WORDS: dict[str, tuple[str, ...]] = {
    CLOSED: ("已销号", "销号", "是", "√", "已销", "closed"),
    REQUESTED: ("申请销号", "已申请销号", "待销号", "申请中", "requested"),
    OPEN: ("未销号", "否", "×", "未销", "open", "not closed"),
}
_CLOSURE_INDEX = {fold(word): closure for closure, words in CLOSURE_WORDS.items() for word in words}


def closure_of(text: object) -> str | None:
    """A 销号情况 cell: closed (已销号), requested (申请销号), open (未销号); None for anything else."""
    return _CLOSURE_INDEX.get(fold(text))


ROLES = ("admin", "editor", "viewer", "inspector")  # an account's role (ledger.accounts), as `users --role` takes it
BY_CHOICES = ("leader", "department")  # supervision notices: one per responsible leader, or per department
