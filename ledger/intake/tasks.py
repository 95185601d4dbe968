"""The tasks sheet (整改台账): every measure row turned into typed fields, each unreadable cell reported.

A sheet is read column by column. Ledgers repeat the same few dates, names and status words thousands of times, so
each column's distinct cells are converted once and spread back to the rows with numpy (`_Cells`); a rule that
depends on several columns is worked out once per combination of their values (`_combinations`). The work per cell
is then a dictionary lookup, not a Python function call, and 100,000 rows read in a fraction of the parse itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from enum import Enum
from functools import cache
from itertools import count
from operator import countOf, itemgetter, not_
from typing import Any, Final, TypeGuard

import numpy as np
import pandas as pd

from ledger.codes import IssueCode
from ledger.dates import IMMEDIATE, LONG_TERM, DateReader, Due, ambiguous_number
from ledger.intake.cells import Header, is_blank, shown
from ledger.intake.columns import number_value, profile
from ledger.intake.layout import is_footer, is_total, section_title, strip_enumerator
from ledger.intake.phases import PhaseIndex
from ledger.model import (
    EXCEL_CELL_CHARS,
    EXTRA_PREFIX,
    READ_FIELDS,
    TASK_DTYPES,
    TEXT,
    Issue,
    Phase,
    RawSheet,
    empty_tasks,
    keys_of,
    task_table,
)
from ledger.text import has_invisible, visible
from ledger.vocab import (
    CLOSED,
    DONE,
    NOT_DONE,
    NOT_STARTED,
    ONGOING,
    OPEN,
    closure_of,
    parse_progress_text,
    resolve_status,
    status_of,
    yes_no,
)

_TEXT_FIELDS = tuple(
    name for name in READ_FIELDS if TASK_DTYPES.get(name) == TEXT and name not in ("phase", "closure")
)  # cells taken as text; phase and closure cells are read against the phases and the 销号 words
_EPOCH = date(1970, 1, 1)
_NAT = np.iinfo("int64").min


class _Bad(Enum):
    BAD = "bad"


_BAD: Final = _Bad.BAD  # a cell that could not be read (a one-member enum, so `is _BAD` narrows the type)
_SAMPLE_CELLS = 1000  # the cells of a column that tell repeated values (names, dates) from different ones (measures)


@cache
def _status_dtype() -> pd.CategoricalDtype:
    """The status column's type (TASK_DTYPES), whose categories the statuses are coded as."""
    dtype = TASK_DTYPES["status"]
    assert isinstance(dtype, pd.CategoricalDtype)
    return dtype


def _task_rows(sheet: RawSheet, header: Header) -> tuple[list[int], dict[str, _Cells], dict[str, _Cells]]:
    """The Excel row number and the cells of every task row, per field and per extra field (by its task-table
    column); section rows set the category of the rows below.

    Most rows are tasks: only a row with few cells filled, or without a long measure text, is looked at one by one
    (a blank line, a footer, a section title, a 合计 line)."""
    columns = {f: c for f, (c, _) in header.columns.items()}
    extras = {EXTRA_PREFIX + name: c for c, name in header.extras}
    width = max([*columns.values(), *extras.values()]) + 1
    body = sheet.rows[header.row + 1 :]
    count = len(body)
    if count and min(map(len, body)) < width:  # rows of a text file may stop short
        body = [row if len(row) >= width else [*row, *[""] * (width - len(row))] for row in body]
    cells = {f: _Cells.of(body, columns[f], exact=f in _TEXT_FIELDS) for f in READ_FIELDS if f in columns}
    cells |= {name: _Cells.of(body, column, exact=True) for name, column in extras.items()}
    filled = np.zeros(count, dtype=np.intp)  # filled cells among the fields', a floor of the row's filled cells
    for column in cells.values():
        if column.grouped:
            filled += column.flags([not (type(value) is str and value == "") for value in column.distinct])
    few = filled <= 4
    few[few] = [len(body[i]) - body[i].count("") <= 4 for i in np.flatnonzero(few).tolist()]
    measures = cells["measure"]
    if not measures.grouped and _all_text(measures.distinct):
        short = np.fromiter(map(len, measures.distinct), dtype=np.intp, count=count) < 12
    else:
        short = measures.flags([not isinstance(m, str) or len(m) < 12 for m in measures.distinct])
    skipped = np.zeros(count, dtype=bool)
    titles: list[tuple[int, str]] = []  # (position in body, the section it opens)
    for index in np.flatnonzero(few | short).tolist():
        row = body[index]
        if few[index]:  # few cells: maybe blank, a footer or a section row
            found = [(c, v) for c, v in enumerate(row) if not is_blank(v)]
            if not found or is_footer(shown(found[0][1])):
                skipped[index] = True
                continue
            title = section_title(found, columns)
            if title is not None:
                skipped[index] = True
                if title:
                    titles.append((index, title))
                continue
        if short[index] and is_total(row):
            skipped[index] = True
    kept = np.flatnonzero(~skipped)
    if len(kept) < count:
        block = len(kept) and kept[-1] - kept[0] + 1 == len(kept)  # the usual: only lines above or below skipped
        taken = slice(int(kept[0]), int(kept[-1]) + 1) if block else kept
        rows = body[taken] if block else [body[i] for i in kept.tolist()]
        cells = {f: column.take(taken, rows) for f, column in cells.items()}
    cells |= {f: _Cells.constant(len(kept)) for f in READ_FIELDS if f not in cells}
    sections: dict[int, str] = {}  # a section's title goes to the first task row after it
    for position, (_, title) in zip(
        np.searchsorted(kept, [i for i, _ in titles], side="right").tolist(), titles, strict=True
    ):
        if position < len(kept):
            sections[position] = title
    category = cells["category"]
    for position, title in sections.items():
        if "category" not in columns or is_blank(category.value(position)):
            category.put(position, title)
    return (kept + (header.row + 2)).tolist(), {f: cells[f] for f in READ_FIELDS}, {e: cells[e] for e in extras}


class _Cells:
    """One field's cells in the task rows: per row the position of its cell among the column's distinct cells
    (`codes`), and those (`distinct`: the first of each set of cells equal as dictionary keys).

    Cells equal as dictionary keys are converted as one (True as 1, -0.0 as 0.0), as they always were, except with
    `exact` (text columns, which show each cell as written): there a bool and a number stay apart, and a column
    whose cells mostly differ (measures, ids) is not grouped: its `distinct` are its cells, one per row."""

    __slots__ = ("codes", "column", "distinct", "grouped", "rows", "written")

    def __init__(
        self,
        codes: np.ndarray,
        distinct: list[object],
        rows: Sequence[Any] = (),
        column: int | None = None,
        grouped: bool = True,
    ):
        self.codes, self.distinct, self.grouped = codes, distinct, grouped
        self.rows, self.column = rows, column  # where the cells are (rows[i][column], or rows[i] without a column)
        self.written: dict[int, object] = {}  # cells written over (a section's title as the category)

    @classmethod
    def of(cls, rows: Sequence[Any], column: int | None = None, exact: bool = False) -> _Cells:
        """The cells of `column` in `rows` (each row a sequence of cells that reaches it), or `rows` themselves (the
        cells) when no column is given: one pass takes each cell, hashes it and numbers it."""

        def cells(rows: Iterable[Any]) -> Iterator[object]:
            return iter(rows) if column is None else map(itemgetter(column), rows)

        try:
            head = set(cells(rows[:_SAMPLE_CELLS]))
            if head == {""} and countOf(cells(rows), "") == len(rows):  # an empty column: counted, not hashed
                return cls(np.zeros(len(rows), dtype=np.intp), [""], rows, column)
            if exact and 2 * len(head) > min(len(rows), _SAMPLE_CELLS):
                return cls.each(list(cells(rows)))
            numbers: defaultdict[object, int] = defaultdict(count().__next__)  # a new cell gets the next number
            codes = np.fromiter(map(numbers.__getitem__, cells(rows)), dtype=np.intp, count=len(rows))
        except TypeError:  # an unhashable cell; never produced by the readers, but slower beats wrong
            return cls.each(list(cells(rows)))
        if exact and _merges_types(numbers, cells(rows)):
            return cls.each(list(cells(rows)))
        return cls(codes, list(numbers), rows, column)

    @classmethod
    def each(cls, values: list[object]) -> _Cells:
        """Cells not grouped: one entry per row."""
        return cls(np.arange(len(values)), values, values, None, grouped=False)

    @classmethod
    def constant(cls, rows: int) -> _Cells:
        """A field the ledger has no column for: "" in every row."""
        return cls(np.zeros(rows, dtype=np.intp), [""], [""] * rows)

    def value(self, row: int) -> object:
        """The cell of a row (its position among the task rows), as written."""
        if row in self.written:
            return self.written[row]
        return self.rows[row] if self.column is None else self.rows[row][self.column]

    def take(self, rows: np.ndarray | slice, kept: Sequence[Any]) -> _Cells:
        """The cells of some rows only (`rows`: their positions, or a slice; `kept`: those rows)."""
        if not self.grouped:
            return _Cells.each(
                self.distinct[rows] if isinstance(rows, slice) else [self.distinct[i] for i in rows.tolist()]
            )
        codes, distinct = self.codes[rows], self.distinct
        present = np.bincount(codes, minlength=len(distinct)) > 0
        if not present.all():  # only the cells of the rows kept count (the largest progress, say)
            codes = (np.cumsum(present) - 1)[codes]
            distinct = [value for value, found in zip(distinct, present.tolist(), strict=True) if found]
        skipped_before = rows.start > 0 if isinstance(rows, slice) else len(rows) and rows[-1] >= len(rows)
        if skipped_before and _numbers_0_1(distinct):  # True and 1 are one cell, read as the first of them kept
            distinct = list(distinct)
            found, firsts = np.unique(codes, return_index=True)
            for code, first in zip(found.tolist(), firsts.tolist(), strict=True):
                distinct[code] = kept[first] if self.column is None else kept[first][self.column]
        return _Cells(codes, distinct, kept, self.column)

    def put(self, row: int, value: object) -> None:
        """Write a cell (a section's title into the category column)."""
        self.written[row] = value
        self.distinct = list(self.distinct)
        if self.grouped:
            self.codes = self.codes.copy()
            self.codes[row] = len(self.distinct)
            self.distinct.append(value)
        else:
            self.distinct[row] = value
            self.rows = self.distinct

    def spread(self, converted: Sequence[object]) -> np.ndarray:
        """Values given per distinct cell, one per row (an object array)."""
        array = _objects(converted)
        return array[self.codes] if self.grouped else array

    def flags(self, flags: Sequence[bool]) -> np.ndarray:
        """Flags given per distinct cell, one per row."""
        array = np.asarray(flags, dtype=bool)
        return array[self.codes] if self.grouped else array

    def rows_where(self, flags: Sequence[bool]) -> list[int]:
        """The positions (among the task rows, in order) of the rows whose distinct cell is flagged."""
        if not any(flags):
            return []
        return np.flatnonzero(self.flags(flags)).tolist()


def _all_text(values: list[object]) -> TypeGuard[list[str]]:
    """Whether every cell is text (one pass over the types, not a test per cell)."""
    return set(map(type, values)) <= {str}


def _numbers_0_1(distinct: Iterable[object]) -> bool:
    """Whether there is a cell that a dictionary may have taken for one of another type or sign: True for 1,
    False or -0.0 for 0."""
    return any(type(v) in (bool, int, float) and v in (0, 1) for v in distinct)


def _merges_types(distinct: Iterable[object], values: Iterable[object]) -> bool:
    """Whether a dictionary took cells of different types for one: a bool and the number 0 or 1."""
    if not _numbers_0_1(distinct):
        return False
    kinds = set(map(type, values))
    return bool in kinds and (int in kinds or float in kinds)


def _objects(values: Sequence[object] | np.ndarray) -> np.ndarray:
    """A one-dimensional object array holding the values as they are (a tuple stays one element)."""
    if isinstance(values, np.ndarray) and values.dtype == object:
        return values
    return np.fromiter(values, dtype=object, count=len(values))


def _combinations(*codes: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Rows grouped by the values they hold in several columns (each given as codes): per row its group, and per
    group its first row. A rule that depends on those values only is then worked out once per group."""
    joint = np.zeros(len(codes[0]), dtype=np.int64)
    span = 1
    for column in codes:
        size = int(column.max()) + 1 if len(column) else 1
        if size == 1:
            continue
        if span * size >= 2**62:
            kept, joint = np.unique(joint, return_inverse=True)
            span = len(kept)
        joint, span = joint * size + column, span * size
    if span <= 2**16:
        joint = joint.astype(np.uint16)  # sorts by radix
    _, firsts, groups = np.unique(joint, return_index=True, return_inverse=True)
    return groups, firsts.tolist()


def _text(value: object) -> str:
    if type(value) is str:  # the common cases first: text, then whole numbers (ids)
        return value.strip()
    if type(value) is float and value.is_integer():
        return str(int(value))
    return "" if is_blank(value) else shown(value)


def _texts(cells: _Cells) -> list[str]:
    """Each distinct cell as text, stripped, without invisible characters (one search over all of them finds
    whether any holds one)."""
    numbers = _whole_numbers(cells.distinct)  # a column of ids typed as numbers
    if numbers is not None:
        return numbers
    texts = [v.strip() if type(v) is str else _text(v) for v in cells.distinct]
    if has_invisible("".join(texts)):
        texts = [visible(text).strip() for text in texts]
    return texts


def _whole_numbers(values: list[object]) -> list[str] | None:
    """Many cells that are all whole numbers as text (`7.0` → "7", as `_text` writes each); else None."""
    if len(values) < _SAMPLE_CELLS or set(map(type, values)) != {float}:
        return None
    numbers = np.fromiter(values, dtype="float64", count=len(values))
    if not (np.abs(numbers) < 2**53).all() or (numbers != np.trunc(numbers)).any():
        return None
    return list(map(repr, numbers.astype(np.int64).tolist()))  # an int's repr is its str, reached sooner


def _blanks(cells: _Cells) -> np.ndarray:
    """Per row: whether its cell is blank."""
    distinct = cells.distinct
    if len(distinct) > _SAMPLE_CELLS and _all_text(distinct):  # a column of text (measures)
        blank = np.fromiter(map(not_, map(str.strip, distinct)), dtype=np.bool_, count=len(distinct))
    else:
        blank = np.fromiter(map(is_blank, distinct), dtype=np.bool_, count=len(distinct))
    return blank[cells.codes]


class _Converter:
    """Columns of raw cells → typed columns; each unreadable cell becomes an issue naming sheet, row and header.
    The conversions give one value per distinct cell of the column (`_Cells`)."""

    def __init__(self, sheet: str, header: Header, rows: list[int], phases: tuple[Phase, ...]):
        self.sheet, self.header, self.rows = sheet, header, rows
        self.phase_index = PhaseIndex(phases)
        self.issues: list[Issue] = []

    def report(self, code: IssueCode, field: str, cells: _Cells, converted: Sequence[object], **params: object) -> None:
        written, extra = self.header.written(field), tuple(params.items())
        for i in cells.rows_where([result is _BAD for result in converted]):
            self.issues.append(Issue("error", code, self.sheet, self.rows[i], written, shown(cells.value(i)), extra))

    def dates_of(self, field: str, cells: _Cells, dates: DateReader) -> list[Due | None]:
        """date, None (blank), or LONG_TERM or IMMEDIATE (only in the due column)."""

        def one(value: object) -> Due | _Bad | None:
            if is_blank(value):
                return None
            result = dates(value)
            if result in (LONG_TERM, IMMEDIATE) and field == "due":
                return result
            return result if isinstance(result, date) else _BAD

        converted = [one(value) for value in cells.distinct]
        self.report("task.bad_date", field, cells, converted)
        self._ambiguous(field, cells, converted)
        return [None if v is _BAD else v for v in converted]

    def _ambiguous(self, field: str, cells: _Cells, converted: Sequence[object]) -> None:
        """Warn where a number such as 5.3 was read as 5月3日 though 5月30日 may be meant."""
        doubtful = [
            isinstance(result, date) and ambiguous_number(v)
            for v, result in zip(cells.distinct, converted, strict=True)
        ]
        for i in cells.rows_where(doubtful):
            result = converted[cells.codes[i]]
            assert isinstance(result, date)
            self.issues.append(
                Issue(
                    "warning",
                    "task.ambiguous_date",
                    self.sheet,
                    self.rows[i],
                    self.header.written(field),
                    shown(cells.value(i)),
                    (("read", result.isoformat()), ("other", result.replace(day=result.day * 10).isoformat())),
                )
            )

    def statuses(self, cells: _Cells) -> list[str | None]:
        converted = [None if is_blank(v) else (status_of(v) or _BAD) for v in cells.distinct]
        self.report("task.bad_status", "status", cells, converted)
        return [None if v is _BAD else v for v in converted]

    def yes_nos(self, cells: _Cells) -> list[bool | None]:
        """是否完成: True, False, or None (blank, or unreadable and reported)."""
        converted = [None if is_blank(v) else (_BAD if yes_no(v) is None else yes_no(v)) for v in cells.distinct]
        self.report("task.bad_yes_no", "done_flag", cells, converted)
        return [None if v is _BAD else v for v in converted]

    def closures(self, cells: _Cells) -> list[str]:
        """销号情况: closed, requested or open (a blank cell: open); "" when the ledger has no such column."""
        if "closure" not in self.header.fields:
            return [""] * len(cells.distinct)
        converted = [OPEN if is_blank(v) else (closure_of(v) or _BAD) for v in cells.distinct]
        self.report("task.bad_closure", "closure", cells, converted)
        return [OPEN if v is _BAD else v for v in converted]

    def statuses_resolved(
        self,
        status: tuple[_Cells, list[str | None]],
        flag: tuple[_Cells, list[bool | None]],
        closure: tuple[_Cells, list[str]],
        progress: np.ndarray,
        long_term: np.ndarray,
    ) -> np.ndarray:
        """Each row's canonical status (codes of the status column's categories) from its status word, else
        是否完成, else 已销号 (which implies done), with a warning where they disagree; fills the progress that a
        status implies (done → 100, not started → 0) and marks ongoing rows long-term, in place."""
        progress_codes = np.unique(progress, return_inverse=True)[1].reshape(-1)
        groups, firsts = _combinations(
            status[0].codes, flag[0].codes, closure[0].codes, progress_codes, long_term.view(np.int8)
        )
        found, disagree, column, amounts, ongoing = [], [], [], [], []
        for first in firsts:
            word = status[1][status[0].codes[first]]
            done_flag = flag[1][flag[0].codes[first]]
            closed = closure[1][closure[0].codes[first]] == CLOSED
            said_done = [said for said in (word == DONE if word else None, done_flag, True if closed else None)]
            disagree.append(len({said for said in said_done if said is not None}) > 1)
            column.append(self.header.written("closure" if closed else "done_flag"))
            if word is None and done_flag is not None:
                word = DONE if done_flag else NOT_DONE
            if closed:
                word = DONE
            amount = None if np.isnan(progress[first]) else float(progress[first])
            resolved = resolve_status(word, amount)
            if long_term[first] and resolved != DONE:
                resolved = ONGOING
            ongoing.append(bool(long_term[first]) or resolved == ONGOING)
            if amount is None and resolved in (DONE, NOT_STARTED):
                amount = 100.0 if resolved == DONE else 0.0
            amounts.append(np.nan if amount is None else amount)
            found.append(_status_dtype().categories.get_loc(resolved))
        for i in np.flatnonzero(np.asarray(disagree, dtype=bool)[groups]).tolist():
            self.issues.append(Issue("warning", "task.done_disagrees", self.sheet, self.rows[i], column[groups[i]]))
        unknown = np.isnan(progress)
        progress[unknown] = np.asarray(amounts, dtype="float64")[groups[unknown]]
        long_term[:] = np.asarray(ongoing, dtype=bool)[groups]
        return np.asarray(found, dtype=np.int8)[groups]

    def progresses(self, cells: _Cells, percent_rows: Callable[[], set[int] | None]) -> np.ndarray:
        """Progress in % per row (NaN: none); `percent_rows` tells, when asked, which 0-based rows hold
        percent-formatted cells."""

        def number(value: object) -> tuple[float, bool] | _Bad | None:
            if is_blank(value):
                return None
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return (float(value), False)
            parsed = parse_progress_text(value) if isinstance(value, str) else None
            return parsed if parsed is not None else _BAD

        numbers = [number(value) for value in cells.distinct]
        self.report("task.bad_progress", "progress", cells, numbers)
        # Excel percent cells arrive as fractions (80% → 0.8): a plain number strictly between 0 and 1 is one,
        # and 1 is 100% when no plain number in the column exceeds 1.
        plain = {n[0] for n in numbers if isinstance(n, tuple) and not n[1]}
        fractions = bool(plain) and max(plain) <= 1
        amounts = [
            None if not isinstance(n, tuple) else n[0] if n[1] else _plain_progress(n[0], fractions) for n in numbers
        ]
        checked = [_BAD if a is not None and not 0 <= a <= 100 else a for a in amounts]
        per_row = np.asarray([np.nan if a is None or a is _BAD else a for a in checked], dtype="float64")
        per_row = per_row[cells.codes]
        if not fractions and 1.0 in plain:  # a 1 beside numbers over 1: "1%" typed, or a 100% cell?
            percent = percent_rows() or set()
            ones = cells.rows_where([n == (1.0, False) for n in numbers])
            per_row[[i for i in ones if self.rows[i] - 1 in percent]] = 100.0
        self.report("task.progress_range", "progress", cells, checked)
        return per_row

    def phase_names(self, cells: _Cells) -> list[str | None]:
        index = self.phase_index

        def one(value: object) -> str | _Bad | None:
            if is_blank(value):
                return None
            if not index.phases:
                return shown(value)
            phase = index.find(shown(value))
            return phase.name if phase else _BAD

        converted = [one(value) for value in cells.distinct]
        self.report("task.unknown_phase", "phase", cells, converted, phases="、".join(p.name for p in index.phases))
        return [None if v is _BAD else v for v in converted]


def _plain_progress(number: float, fractions: bool) -> float:
    if 0 < number < 1 or (number == 1 and fractions):
        return number * 100
    return number


def _has_suspect_blanks(measure: np.ndarray, due: np.ndarray, status: np.ndarray, progress: np.ndarray) -> bool:
    """A formula error reaches us as a blank cell; looking for them costs a pass over the sheet's XML, so look
    only when a cell that matters is blank: a measure, a due date, or both status and progress (per row: blank)."""
    return bool((measure | due | (status & progress)).any())


def _formula_errors(sheet: RawSheet, header: Header, rows: list[int]) -> list[Issue]:
    """Task cells whose formula shows an error (#N/A, #REF! …): their value is unknown, so each is an error."""
    errors = sheet.formula_errors()
    if not errors:
        return []
    kept = set(rows)
    fields = {column: field for field, (column, _) in header.columns.items()}
    return [
        Issue("error", "task.formula_error", sheet.name, row + 1, header.written(fields[column]), shown)
        for (row, column), shown in sorted(errors.items())
        if row + 1 in kept and column in fields
    ]


def _filled_down(values: np.ndarray) -> np.ndarray:
    """Blank cells take the value above (a unit or category written on the first row of its block only)."""
    positions = np.arange(len(values))
    above = np.maximum.accumulate(np.where(values.astype(bool), positions, -1))
    out = values[np.maximum(above, 0)]
    out[above < 0] = ""
    return out


def _categories(cells: _Cells, texts: list[str]) -> np.ndarray:
    """Merged or blank category cells take the category above; enumerators like `一、` are dropped."""
    return _filled_down(cells.spread([strip_enumerator(text) if text else "" for text in texts]))


def _days(found: Sequence[object]) -> np.ndarray:
    """Days since 1970 per date (_NAT for anything else)."""
    return np.asarray([(v - _EPOCH).days if isinstance(v, date) else _NAT for v in found], dtype=np.int64)


def _date_column(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[s]")


def _immediate_dates(
    due: Sequence[Due | None], phase: Sequence[str | None], index: PhaseIndex, report_date: date
) -> list[Due | None]:
    """立行立改 is dated: the end of its phase, else the end of the first phase, else the ledger's report date."""
    first = index.phases[0].end if index.phases else report_date
    by_name = {p.name: p for p in index.phases}
    return [
        (by_name[name].end if name in by_name else first) if value == IMMEDIATE else value
        for value, name in zip(due, phase, strict=True)
    ]


def problem_or_category(sheet: RawSheet, header: Header) -> Header:
    """A 存在问题/问题表现 column without a 问题类别 column: it is the category when its values group the measures
    (few distinct values, or blanks under filled cells — merged down), else each measure's own problem."""
    if "problem" not in header.fields or "category" in header.fields:
        return header
    measure_col, problem_col = header.columns["measure"][0], header.columns["problem"][0]
    values = [
        row[problem_col] if problem_col < len(row) else ""
        for row in sheet.rows[header.row + 1 :]
        if measure_col < len(row) and not is_blank(row[measure_col])
    ]
    cells = _Cells.of(values, exact=True)
    blank = [is_blank(v) for v in cells.distinct]
    filled = len(values) - int(np.count_nonzero(cells.flags(blank)))
    distinct = {shown(v) for v, b in zip(cells.distinct, blank, strict=True) if not b}
    groups = len(values) < 2 or 3 * (len(values) - filled) >= len(values) or 2 * len(distinct) <= len(values)
    if not groups:
        return header
    columns = {("category" if field == "problem" else field): place for field, place in header.columns.items()}
    return replace(header, columns=columns)


def _phases_by_date(
    phase: np.ndarray, missing: list[int], due: np.ndarray, start: np.ndarray, index: PhaseIndex
) -> None:
    """A task with no phase cell (the rows `missing`) belongs to the phase its due date (else its start) falls in;
    `due` and `start` are days since 1970. Fills `phase` in place."""
    if missing:
        by_due, by_start = _containing(due[missing], index), _containing(start[missing], index)
        phase[missing] = [
            b if b is not None else (s if s is not None else "") for b, s in zip(by_due, by_start, strict=True)
        ]


def _containing(days: np.ndarray, index: PhaseIndex) -> list[str | None]:
    """The name of the phase holding each day (None for none, or for no day)."""
    distinct, positions = np.unique(days, return_inverse=True)
    names = []
    for day in distinct.tolist():
        found = index.containing(_EPOCH + timedelta(days=day)) if day != _NAT else None
        names.append(found.name if found else None)
    return _objects(names)[positions.reshape(-1)].tolist()


def _too_long(
    columns: dict[str, tuple[str, np.ndarray, Sequence[str] | np.ndarray]],
    sheet: str,
    rows: list[int],
    max_chars: int,
) -> list[Issue]:
    """Text over the per-cell limit (README "Limits"): an error per cell, never a silent cut. Each column comes as
    (its header as written, codes, the text of each distinct cell)."""
    issues = []
    for written, codes, texts in columns.values():
        if max(map(len, texts), default=0) > max_chars:
            long = np.fromiter((len(text) > max_chars for text in texts), dtype=bool, count=len(texts))
            for i in np.flatnonzero(long[codes]).tolist():
                text = texts[codes[i]]
                issues.append(
                    Issue(
                        "error",
                        "task.too_long",
                        sheet,
                        rows[i],
                        written,
                        text,
                        (("count", len(text)), ("limit", max_chars)),
                    )
                )
    return issues


def read_tasks(
    sheet: RawSheet,
    header: Header,
    dates: DateReader,
    phases: tuple[Phase, ...],
    report_date: date,
    max_chars: int = EXCEL_CELL_CHARS,
) -> tuple[pd.DataFrame, list[Issue]]:
    """The task table of the sheet (model.task_table) and the problems found cell by cell; text longer than
    `max_chars` in a cell is an error. `report_date` dates 立行立改 when the ledger has no phases."""
    if "measure" not in header.columns:  # no column holds the measures: a person must say which (header.notes)
        return empty_tasks(), []
    header = problem_or_category(sheet, header)
    rows, cells, extra_cells = _task_rows(sheet, header)
    if not rows:
        return empty_tasks(), []
    convert = _Converter(sheet.name, header, rows, phases)
    start = convert.dates_of("start", cells["start"], dates)
    due = convert.dates_of("due", cells["due"], dates)
    completed = convert.dates_of("completed_on", cells["completed_on"], dates)
    long_term = cells["due"].spread([d == LONG_TERM for d in due]).astype(bool)
    immediate = cells["due"].spread([d == IMMEDIATE for d in due]).astype(bool)
    progress_column = header.columns.get("progress", (None, ""))[0]
    progress = convert.progresses(
        cells["progress"], lambda: None if progress_column is None else sheet.percent_rows(progress_column)
    )
    blank = {f: _blanks(cells[f]) for f in ("measure", "due", "status", "progress")}
    if _has_suspect_blanks(blank["measure"], blank["due"], blank["status"], blank["progress"]):
        convert.issues += _formula_errors(sheet, header, rows)
    closures = convert.closures(cells["closure"])
    statuses = convert.statuses_resolved(
        (cells["status"], convert.statuses(cells["status"])),
        (cells["done_flag"], convert.yes_nos(cells["done_flag"])),
        (cells["closure"], closures),
        progress,
        long_term,
    )
    named = convert.phase_names(cells["phase"])
    due_days = _days(due)[cells["due"].codes]
    if immediate.any():
        dated = np.flatnonzero(immediate)
        phase_codes, positions = np.unique(cells["phase"].codes[dated], return_inverse=True)
        ends = _immediate_dates(
            [IMMEDIATE] * len(phase_codes), [named[c] for c in phase_codes.tolist()], convert.phase_index, report_date
        )
        due_days[dated] = _days(ends)[positions.reshape(-1)]
    start_days = _days(start)[cells["start"].codes]
    missing = cells["phase"].rows_where([name is None for name in named]) if convert.phase_index.phases else []
    phase = cells["phase"].spread([name or "" for name in named])
    _phases_by_date(phase, missing, due_days, start_days, convert.phase_index)
    texts = {f: _texts(cells[f]) for f in _TEXT_FIELDS}
    columns: dict[str, tuple[str, np.ndarray, Sequence[str] | np.ndarray]] = {
        f: (header.written(f), cells[f].codes, texts[f]) for f in _TEXT_FIELDS
    }
    if max(map(len, [*(name or "" for name in named), *(p.name for p in phases)]), default=0) > max_chars:
        columns["phase"] = (header.written("phase"), np.arange(len(rows)), phase)  # a phase cell over the limit
    extras = {name: _extra_values(extra) for name, extra in extra_cells.items()}
    columns |= {
        name: (name[len(EXTRA_PREFIX) :], extra_cells[name].codes, written)
        for name, (_, written) in extras.items()
        if written is not None
    }
    convert.issues += _too_long(columns, sheet.name, rows, max_chars)
    per_row = {f: cells[f].spread(texts[f]) for f in _TEXT_FIELDS}
    categories = _categories(cells["category"], texts["category"])
    frame = task_table(
        {
            "sheet": [sheet.name] * len(rows),
            "row": rows,
            **per_row,
            "key": keys_of(per_row["id"], categories, per_row["measure"]),
            "category": categories,
            "phase": phase,
            "start": _date_column(start_days),
            "due": _date_column(due_days),
            "long_term": long_term,
            "immediate": immediate,
            "status": pd.Categorical.from_codes(statuses, dtype=_status_dtype()),
            "closure": cells["closure"].spread(closures),
            "progress": progress,
            "completed_on": _date_column(_days(completed)[cells["completed_on"].codes]),
        }
    )
    more = {name: values for name, (values, _) in extras.items()}
    if "unit" in header.columns:  # a group's merged ledger: the unit each row belongs to, written on its first row
        more = {"unit": _filled_down(cells["unit"].spread(_texts(cells["unit"]))), **more}
    if more:
        frame = pd.concat([frame, pd.DataFrame(more, index=frame.index)], axis=1)
    return frame, convert.issues


def _extra_values(cells: _Cells) -> tuple[np.ndarray, list[str] | None]:
    """An extra field's values per row, as read: numbers (number cells, or text such as `12.5`, `1,234`) as floats
    when every filled cell is one, dates as dates when every filled cell is a date, else text as written; and, for
    text, the text of each distinct cell (checked against the cell limit)."""
    filled = [value for value in cells.distinct if not is_blank(value)]
    if filled and all(number_value(value) is not None for value in filled):
        numbers = [np.nan if is_blank(value) else number_value(value) for value in cells.distinct]
        return np.asarray(numbers, dtype="float64")[cells.codes], None
    if filled and all(isinstance(value, date) for value in filled):
        days = _days([value.date() if isinstance(value, datetime) else value for value in cells.distinct])
        return _date_column(days[cells.codes]), None
    texts = _texts(cells)
    return cells.spread(texts), texts


_SAMPLE_ROWS = 200


def _column_warning(values: list[object]) -> IssueCode | None:
    """What most of a column's cells look like (ledger.intake.columns.profile): the warning for a column of status
    words, yes/no or dates; None when nothing known."""
    found = profile(values)
    if found.statuses >= 0.6:
        return "sheet.unread_status_column"
    if found.yes_no >= 0.6:
        return "sheet.unread_yes_no_column"
    if found.dates >= 0.6:
        return "sheet.unread_date_column"
    return None


def unread_columns(sheet: RawSheet, header: Header) -> list[Issue]:
    """Never silent about columns: an extra field whose cells look like a known field (status words, 是/否, dates)
    is named in a warning — a person may want it read as that field (the column step, `--columns`)."""
    issues = []
    for column, name in header.extras:
        values = [
            row[column]
            for row in sheet.rows[header.row + 1 : header.row + 1 + _SAMPLE_ROWS]
            if column < len(row) and not is_blank(row[column])
        ]
        code = _column_warning(values) if values else None
        if code:
            issues.append(Issue("warning", code, sheet.name, header.row + 1, name))
    return issues
