"""A tasks sheet's columns read by meaning (README "The ledger spreadsheet", columns by meaning).

Each column is scored against every task field by the words its header contains (a whole synonym, its start, or a
word such as 措施, 领导, 时限 inside it) and by the cells under it (dates, 是/否, status words, numbers, short names
repeated, long text). Where two columns compete for one field the better score wins; the other takes its next field
when it is sure of one, else it is kept as an extra field, with a warning naming both. A column read without
confidence is asked about (an error until a person confirms it: the Upload page's column step, `--columns`); a
person's choice, given now or remembered with the plan, always wins. Every choice carries its reasons."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ledger.dates import IMMEDIATE, LONG_TERM, DateReader
from ledger.intake.cells import Header, is_blank, shown
from ledger.intake.fields import TASK_HEADERS, normalize_header
from ledger.model import EXTRA, IGNORE, RESPONSIBILITY_FIELDS, SURE, ColumnChoice, Issue, Reason, column_letter
from ledger.text import fold
from ledger.vocab import closure_of, exact_status, parse_progress_text, status_of, yes_no

Mapping_ = Mapping[str, str]
"""A person's choice of columns: each header (as `key_of` folds it) → a task field, EXTRA or IGNORE."""

CHOICES = (*TASK_HEADERS, EXTRA, IGNORE)
"""What a column can be read as: every task field a sheet can hold, an extra field, or nothing."""

# Words inside a header that name a field, with how strongly (a whole synonym of the field counts 1.0, the start of
# one 0.95); `not` words keep a field away from headers that merely share a word with it (实际完成时间 is no deadline).
_WORDS: dict[str, tuple[str, float, str]] = {  # field → (pattern, weight, pattern that rules it out)
    "id": (r"编号|序号|代码|编码", 0.85, r""),
    "category": (r"类别|类型|分类|板块|领域|性质", 0.82, r"编号|序号"),
    "problem": (r"问题|审计发现|巡察发现|检查发现", 0.8, r"编号|序号|类别|类型|分类|性质|来源|数量|个数|整改"),
    "goal": (r"目标|整改要求", 0.8, r"完成|时间|日期|时限"),
    "measure": (
        r"措施|举措|任务|事项|工作内容|整改内容|具体内容|整改计划|工作安排|整改方案|具体做法|主要工作|重点工作",
        0.85,
        r"编号|序号|来源|类别|类型|数量|个数|完成|时间|日期|时限|期限",
    ),
    "phase": (r"阶段", 0.8, r"阶段性|成效|成果"),
    "leader": (r"领导", 0.88, r"批示|意见"),
    "department": (
        r"部门|单位|科室|处室|承办|牵头|主办|责任处|院系|unit|department",
        0.82,
        r"配合|协办|协助|验收|所属|下属|被|人|领导|填报",
    ),
    "owner": (r"(?:责任|承办|经办|负责|整改|落实|主办|具体|办理)人|owner|assignee", 0.88, r"验收|联系|填报"),
    "unit": (
        r"所属(?:单位|公司|学校|企业|院系|机构)|下属单位|被巡察单位|被审计单位|被检查单位|(?:单位|公司|学校|企业)名称|"
        r"子公司|分公司|二级单位|subsidiary|company|school",
        0.92,
        r"承办|责任|牵头|主办|配合|协办|填报",
    ),
    "start": (r"开始|启动|起始|交办(?:时间|日期)|下达(?:时间|日期)|布置(?:时间|日期)", 0.85, r""),
    "due": (
        r"时限|期限|截止|节点|计划完成|目标.{0,6}完成|要求完成|应完成|预计完成|完成时间|deadline|due",
        0.95,
        r"实际|开始|启动",
    ),
    "status": (r"状态|情况|进展|结果|完成与否|status", 0.8, r"是否|说明|销号"),
    "done_flag": (r"是否.{0,6}(?:完成|办结|到位|整改|落实)|(?:完成|办结)与否", 0.95, r"销号"),
    "closure": (r"销号", 0.9, r"日期|时间"),
    "progress": (r"进度|完成率|完成比例|百分比|progress", 0.85, r"情况|说明"),
    "completed_on": (
        r"实际完成|完成时间|完成日期|办结(?:时间|日期)|销号(?:时间|日期)|验收(?:时间|日期)",
        0.85,
        r"计划|目标|要求|应|预计|时限|期限",
    ),
    "evidence": (r"佐证|证明|支撑|附件|材料|evidence", 0.88, r""),
    "notes": (r"备注|说明|进展|情况|成效|效果|结果|remark|note|comment", 0.75, r"是否|销号|状态"),
}
_COMPILED = {
    field: (re.compile(words), re.compile(never) if never else None) for field, (words, _, never) in _WORDS.items()
}
_EXACT = {
    normalize_header(word): (field, rank) for field, words in TASK_HEADERS.items() for rank, word in enumerate(words)
}

EVIDENCE_WEIGHT = 0.3  # how much the cells move a header's score (a header's words weigh 0.75–1)
SAMPLE_ROWS = 200  # the cells of a column that are looked at


_MARKS = re.compile(r"[\s*＊:：%％]")


def key_of(header: object) -> str:
    """A header as a person's choice of columns is remembered by: folded (width, case, spaces), its words in
    brackets kept — 完成时间（实际） and 完成时间（计划） are two columns."""
    return _MARKS.sub("", fold(header))


def keys_of(header: object) -> tuple[str, ...]:
    """The keys a person may name a header by: key_of, and without its hints in brackets (涉及金额 for 涉及金额（万元）)."""
    return tuple(dict.fromkeys((key_of(header), normalize_header(header))))


@lru_cache(maxsize=4096)
def header_words(header: str) -> tuple[tuple[str, float, Reason], ...]:
    """The fields a header's words name, each with its weight and the reason, strongest first. Words are matched
    without hints in brackets (（必填）, （万元）); the words that rule a field out are looked for in the whole header
    (完成时间（实际） is no deadline)."""
    key, whole = normalize_header(header), key_of(header)
    if not key or len(key) > 24:
        return ()
    found: dict[str, tuple[float, Reason]] = {}

    def ruled_out(field: str) -> bool:
        never = _COMPILED[field][1]
        return never is not None and never.search(whole) is not None

    if key in _EXACT and not (whole != key and ruled_out(_EXACT[key][0])):
        field, rank = _EXACT[key]
        found[field] = (1.0 - rank * 0.001, Reason("exact", (("header", header.strip()),)))
    for word, (field, rank) in _EXACT.items():  # 整改措施内容, 完成时限(日期): the start of a synonym
        if field not in found and len(word) >= 3 and key.startswith(word) and not (whole != key and ruled_out(field)):
            found[field] = (0.95 - rank * 0.001, Reason("contains", (("word", word),)))
    for field, (words, _) in _COMPILED.items():
        match = words.search(key)
        if field in found or match is None or ruled_out(field):
            continue
        found[field] = (_WORDS[field][1], Reason("contains", (("word", match[0]),)))
    return tuple(sorted(((f, w, r) for f, (w, r) in found.items()), key=lambda item: -item[1]))


def person(mapping: Mapping_, header: object, letter: str = "") -> str | None:
    """A person's choice for a column: by its header and letter (`备注#N`, for a header written twice), by its header,
    or by its header without the hints in brackets."""
    keys = keys_of(header)
    tried = ([f"{keys[0]}#{letter.lower()}"] if letter else []) + list(keys)
    return next((mapping[key] for key in tried if key in mapping), None)


def choice_keys(choices: Sequence[ColumnChoice]) -> list[str]:
    """The key each column's choice is kept under: its header (key_of), with its letter for a header written twice."""
    counts: dict[str, int] = {}
    for choice in choices:
        counts[key_of(choice.header)] = counts.get(key_of(choice.header), 0) + 1
    return [
        f"{key_of(c.header)}#{c.letter.lower()}" if counts[key_of(c.header)] > 1 else key_of(c.header) for c in choices
    ]


def header_field(header: object, mapping: Mapping_ | None = None) -> str | None:
    """The field a header cell names by its words alone (or a person's choice): what finds the header row."""
    if not isinstance(header, str) or is_blank(header):
        return None
    if mapping and (chosen := person(mapping, header)) is not None:
        return chosen if chosen not in (EXTRA, IGNORE) else None
    named = header_words(header) if len(header) <= 64 else ()
    return named[0][0] if named and named[0][1] >= 0.75 else None


# --- the cells --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """What a column's cells look like: shares of the filled cells sampled, and their text."""

    count: int
    dates: float  # date cells or dates written as text
    due_words: float  # dates, 长期 and 立行立改 (what a deadline column holds)
    statuses: float
    yes_no: float
    closures: float
    numbers: float
    percents: float  # 0–100, fractions, 80%
    length: float  # mean characters of the text cells
    distinct: float  # distinct ÷ filled
    short_unique: bool  # short codes, each once: ids

    def share_text(self) -> float:
        return max(0.0, 1.0 - self.dates - self.numbers)


_DATES = DateReader(2000)  # whether a cell reads as a date at all; the year is irrelevant here


def profile(values: Sequence[object]) -> Profile:
    """The profile of a column's filled cells. Each distinct cell is looked at once and counted as often as it is
    written (a column repeats the same names and dates down the sheet). Status words of the vocabulary count whole,
    phrases placed by their words (正在推进) half."""
    n = len(values)
    if not n:
        return Profile(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, False)
    counts = Counter(values)
    share = lambda test: sum(k for v, k in counts.items() if test(v)) / n  # noqa: E731
    texts = {v: shown(v) for v in counts}
    dated = {v: _date_like(v) for v in counts}
    numbers = {v: _number(v) for v in counts}
    exact = {v: isinstance(v, str) and exact_status(v) is not None for v in counts}
    words = [(len(texts[v]), k) for v, k in counts.items() if isinstance(v, str)]
    distinct = len(set(texts.values()))
    return Profile(
        n,
        share(lambda v: dated[v] is True),
        share(lambda v: dated[v] is not False),
        share(lambda v: exact[v])
        + share(lambda v: not exact[v] and isinstance(v, str) and status_of(v) is not None) / 2,
        share(lambda v: isinstance(v, str) and yes_no(v) is not None),
        share(lambda v: isinstance(v, str) and closure_of(v) is not None),
        share(lambda v: numbers[v] is not None),
        share(lambda v: (number := numbers[v]) is not None and 0 <= number <= 100),
        sum(length * k for length, k in words) / sum(k for _, k in words) if words else 0.0,
        distinct / n,
        n >= 3 and distinct == n and all(len(t) <= 12 for t in texts.values()),
    )


def _date_like(value: object) -> bool | str:
    """True for a date, "word" for 长期/立行立改, False for anything else (numbers are no dates here: amounts and ids
    would pass for Excel serials)."""
    if isinstance(value, date):
        return True
    if not isinstance(value, str):
        return False
    found = _DATES(value)
    if found in (LONG_TERM, IMMEDIATE):
        return "word"
    return isinstance(found, date)


_NUMBER_TEXT = re.compile(r"^-?\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if value == value else None
    if isinstance(value, str):
        text = value.strip()
        if _NUMBER_TEXT.match(text):
            return float(text.replace(",", ""))
        parsed = parse_progress_text(text)
        return parsed[0] if parsed and parsed[1] else None
    return None


def number_value(value: object) -> float | None:
    """A cell as a number (an amount): number cells, and text such as `12.5` or `1,234.5`; None otherwise."""
    if isinstance(value, str) and not _NUMBER_TEXT.match(value.strip()):
        return None
    return _number(value)


_DATE_FIELDS = ("start", "completed_on")
_NAME_FIELDS = ("leader", "department", "owner", "unit")
_LONG_FIELDS = ("measure", "problem", "goal")


def fit(field: str, p: Profile) -> tuple[float, str]:
    """How well the cells suit the field, −1 (not at all) … 1, and the evidence named in the reason."""
    if p.count == 0:
        return 0.0, "cells_blank"
    text = p.share_text()
    if field in _DATE_FIELDS:
        return 2 * p.dates - 1, "cells_dates"
    if field == "due":
        return 2 * p.due_words - 1, "cells_dates"
    if field == "status":
        plain = 2 * p.statuses - 1
        return (plain if p.length > 6 or p.statuses else max(plain, -0.3)), "cells_status"
    if field == "done_flag":
        return 2 * p.yes_no - 1, "cells_yes_no"
    if field == "closure":
        return 2 * p.closures - 1, "cells_closure"
    if field == "progress":
        return (2 * p.percents - 1 if p.length <= 8 else -1.0), "cells_percent"
    if field == "id":
        return (0.8 if p.short_unique else -0.2 if p.distinct < 0.5 else 0.0), "cells_ids"
    if field in _LONG_FIELDS:
        if p.statuses >= 0.5 or p.yes_no >= 0.5:
            return -1.0, "cells_status"
        return (min(1.0, max(-0.3, (p.length - 4) / 8)) * text - (1 - text)), "cells_long_text"
    if field in ("notes", "evidence"):
        if p.statuses >= 0.5 or p.yes_no >= 0.5:
            return -0.6, "cells_status"
        return (min(0.8, max(-0.2, (p.length - 4) / 10)) * text - 0.6 * (1 - text)), "cells_long_text"
    if field == "phase":  # 第二阶段, 整改落实: names, checked against the phases when read
        return (0.3 if 0 < p.length <= 20 else 0.0), "cells_names"
    if field in _NAME_FIELDS or field == "category":
        if p.statuses >= 0.5 or p.yes_no >= 0.5:
            return -1.0, "cells_status"
        longest = 40 if field == "category" else 20
        shape = 0.6 if p.length <= longest / 2 else (-0.8 if p.length > longest else 0.0)
        return shape * text - (1 - text), "cells_names"
    return 0.0, "cells_blank"


# Fields a column's cells alone may suggest, when no header word names one: asked about, never taken silently.
_BY_CELLS: tuple[tuple[str, str], ...] = (
    ("status", "statuses"),
    ("done_flag", "yes_no"),
    ("closure", "closures"),
    ("due", "due_words"),
)
CELLS_ONLY = 0.45  # the confidence of a field suggested by the cells alone
EMPTY_PENALTY = 0.2  # a column with nothing under it yields a field to a filled one that names it too


@dataclass(frozen=True)
class _Candidate:
    column: int
    field: str
    score: float
    confidence: float
    reasons: tuple[Reason, ...]


def _candidates(column: int, header: str, p: Profile) -> list[_Candidate]:
    """Every field the column could be, best first."""
    found = []
    weight_of = max(min(p.count, 3) / 3, 0.0)  # a few cells say less than many
    for field, weight, reason in header_words(header):
        evidence, why = fit(field, p)
        evidence *= weight_of
        score = weight + EVIDENCE_WEIGHT * evidence - (EMPTY_PENALTY if p.count == 0 else 0.0)
        if weight >= 0.95:  # the header is (or starts with) the field's name: only cells of another kind doubt it
            confidence = 0.95 if evidence > -0.7 else 0.5
        else:
            confidence = 0.85 if evidence >= 0.2 else (0.7 if evidence > -0.4 else 0.4)
        if field == "unit" and weight < 0.95:  # a unit read from a word splits the ledger: a person confirms it
            confidence = min(confidence, CELLS_ONLY)
        cells = Reason(why if evidence > -0.4 else "cells_disagree", (("what", why),))
        found.append(_Candidate(column, field, score, confidence, (reason, cells)))
    if not found and p.count >= 3:
        for field, share in _BY_CELLS:
            if getattr(p, share) >= 0.6:
                found.append(
                    _Candidate(column, field, 0.5, CELLS_ONLY, (Reason("cells_only", (("what", fit(field, p)[1]),)),))
                )
                break
        else:
            if p.length >= 15 and p.share_text() >= 0.8:
                found.append(
                    _Candidate(
                        column, "measure", 0.4, CELLS_ONLY, (Reason("cells_only", (("what", "cells_long_text"),)),)
                    )
                )
    return sorted(found, key=lambda c: -c.score)


# --- choosing -----------------------------------------------------------------------------------------------------


def header_texts(rows: list[list[object]], row: int, upper: int | None) -> list[str]:
    """Each column's header as written: the header row's cell, else the one above it (a two-row header)."""
    cells = rows[row]
    above = rows[upper] if upper is not None else []
    width = max(len(cells), len(above))
    texts = []
    for c in range(width):
        text = shown(cells[c]) if c < len(cells) and not is_blank(cells[c]) else ""
        if not text and c < len(above) and not is_blank(above[c]):
            text = shown(above[c])
        texts.append(text)
    return texts


def choose(
    rows: list[list[object]],
    row: int,
    upper: int | None = None,
    mapping: Mapping_ | None = None,
    sheet: str = "",
) -> Header:
    """The header at `row` (with the row above it, `upper`, for a two-row header): each column's field, the extras,
    every choice with its reasons, and the notes (conflicts, columns to confirm) as issues of `sheet`."""
    headers = header_texts(rows, row, upper)
    body = rows[row + 1 : row + 1 + SAMPLE_ROWS]
    filled = [[r[c] for r in body if c < len(r) and not is_blank(r[c])] for c in range(len(headers))]
    profiles = [profile(values) for values in filled]
    samples = [tuple(shown(v)[:40] for v in values[:3]) for values in filled]
    mapping = mapping or {}
    taken: dict[str, _Candidate] = {}
    chosen: dict[int, _Candidate] = {}
    fixed: dict[int, str] = {}
    twice = {key for key in map(key_of, headers) if key and [key_of(h) for h in headers].count(key) > 1}
    for c, header in enumerate(headers):
        letter = column_letter(c) if key_of(header) in twice else ""
        if header and (picked := person(mapping, header, letter)) is not None:
            fixed[c] = picked
            if picked not in (EXTRA, IGNORE) and picked not in taken:
                taken[picked] = chosen[c] = _Candidate(c, picked, 9.0, 1.0, (Reason("confirmed"),))
    lists = {c: _candidates(c, h, profiles[c]) for c, h in enumerate(headers) if c not in fixed}
    pending = sorted((cand for cands in lists.values() for cand in cands), key=lambda k: (-k.score, k.column))
    lost: dict[int, _Candidate] = {}  # a column's best field, taken by a better column
    for cand in pending:
        if cand.column in chosen or cand.field in taken:
            if (
                cand.field in taken
                and cand.column not in chosen
                and cand.column not in lost
                and cand is lists[cand.column][0]
            ):
                lost[cand.column] = cand
            continue
        if cand.column in lost and cand.confidence < SURE:
            continue  # its next field only when it is sure of it
        if cand.field == "status" and "done_flag" in taken and cand.confidence < 0.85:
            continue  # beside a 是否完成 column, an 整改情况 is the status only when its cells are status words
        taken[cand.field] = chosen[cand.column] = cand
    replaced = _prefer_unique_id(rows, row, headers, chosen, taken, lists)
    choices, columns, extras, notes = [], {}, [], []
    if replaced is not None:
        notes.append(
            Issue("warning", "sheet.id_from_column", sheet, row + 1, headers[taken["id"].column], headers[replaced])
        )
    names: set[str] = set()
    for c, header in enumerate(headers):
        sample = samples[c]
        if c in chosen:
            cand = chosen[c]
            reasons = cand.reasons
            if c in lost and lost[c].field != cand.field:
                reasons += (
                    Reason(
                        "taken",
                        (("field", lost[c].field), ("winner", headers[taken[lost[c].field].column])),
                    ),
                )
            choice = ColumnChoice(c, header, cand.field, round(cand.confidence, 2), reasons, sample, c in fixed)
            columns[cand.field] = (c, header or column_letter(c))
            if not choice.sure:
                notes.append(_unsure(sheet, row, choice))
        elif fixed.get(c) == IGNORE or (not header and not filled[c]):
            choice = ColumnChoice(
                c, header, IGNORE, 1.0, (Reason("confirmed" if c in fixed else "blank"),), sample, c in fixed
            )
        else:
            why: tuple[Reason, ...] = (Reason("confirmed"),) if c in fixed else (Reason("no_field"),)
            if c == replaced or (c in lost and lost[c].field == "id" and not profiles[c].short_unique):
                why = (Reason("id_replaced", (("by", headers[taken["id"].column]),)),)
                if c != replaced:  # the other id column won on its own: this one repeats or has blanks
                    notes.append(
                        Issue("warning", "sheet.id_from_column", sheet, row + 1, headers[taken["id"].column], header)
                    )
            elif c in lost:
                winner = headers[taken[lost[c].field].column] or column_letter(taken[lost[c].field].column)
                why = (Reason("taken", (("field", lost[c].field), ("winner", winner))),)
                notes.append(
                    Issue("warning", "column.conflict", sheet, row + 1, header, winner, (("field", lost[c].field),))
                )
            choice = ColumnChoice(c, header, EXTRA, 1.0, why, sample, c in fixed)
            name = header or column_letter(c)
            extras.append((c, name if name not in names else f"{name} ({column_letter(c)})"))
            names.add(extras[-1][1])
        choices.append(choice)
    if "measure" not in columns:
        named = "、".join(h for h in headers if h)
        notes.append(Issue("error", "column.no_measure", sheet, row + 1, "", named))
    elif not set(columns) & set(RESPONSIBILITY_FIELDS):
        notes.append(Issue("error", "column.no_responsible", sheet, row + 1))
    return Header(row, columns, tuple(extras), tuple(choices), tuple(notes))


def _unsure(sheet: str, row: int, choice: ColumnChoice) -> Issue:
    return Issue(
        "error",
        "column.unsure",
        sheet,
        row + 1,
        choice.header or choice.letter,
        ", ".join(choice.sample),
        (("field", choice.field),),
    )


def _prefer_unique_id(
    rows: list[list[object]],
    row: int,
    headers: list[str],
    chosen: dict[int, _Candidate],
    taken: dict[str, _Candidate],
    lists: Mapping[int, list[_Candidate]],
) -> int | None:
    """When the id column (序号) repeats or has blanks but another id-like column (问题编号, 编号) is unique and
    filled in every row, that one identifies the measures: the column it replaced, or None."""
    if "id" not in taken or "measure" not in taken:
        return None
    others = [c for c, cands in lists.items() if c not in chosen and any(k.field == "id" for k in cands)]
    if not others:  # the usual case: no second id-like column, and no pass over every row
        return None
    measure = taken["measure"].column
    body = [r for r in rows[row + 1 :] if measure < len(r) and not is_blank(r[measure])]

    def unique(column: int) -> bool:
        values = [shown(r[column]) if column < len(r) else "" for r in body]
        return all(values) and len(set(values)) == len(values)

    current = taken["id"].column
    if not body or unique(current):
        return None
    for c in others:
        cands = lists[c]
        if c != current and unique(c):
            reason = Reason("unique_id", (("instead", headers[current]),))
            replaced = _Candidate(
                c, "id", taken["id"].score, 0.9, (*next(k for k in cands if k.field == "id").reasons, reason)
            )
            del chosen[current]
            taken["id"] = chosen[c] = replaced
            return current
    return None


def shape_of(header: Header) -> str:
    """A tasks sheet's header row as a person's choice of its columns is kept under: each header folded, in order."""
    return "|".join(key_of(choice.header) for choice in header.choices)
