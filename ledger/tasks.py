"""The tasks sheet (整改台账): every measure row turned into typed fields, each unreadable cell reported."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from enum import Enum
from typing import Final, TypeVar

import pandas as pd

from ledger.codes import IssueCode
from ledger.dates import IMMEDIATE, LONG_TERM, DateReader, Due, ambiguous_number
from ledger.layout import Header, is_blank, is_footer, is_total, section_title, shown, strip_enumerator
from ledger.model import (
    EXCEL_CELL_CHARS,
    READ_FIELDS,
    TASK_DTYPES,
    TEXT,
    Issue,
    Phase,
    RawSheet,
    empty_tasks,
    task_table,
)
from ledger.phases import PhaseIndex
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


class _Bad(Enum):
    BAD = "bad"


_BAD: Final = _Bad.BAD  # a cell that could not be read (a one-member enum, so `is _BAD` narrows the type)
_In = TypeVar("_In")
_Out = TypeVar("_Out")


def _task_rows(sheet: RawSheet, header: Header) -> tuple[list[int], dict[str, list[object]]]:
    """The Excel row number and raw cells of every task row; section rows set the category of the rows below."""
    columns = {f: c for f, (c, _) in header.columns.items()}
    measure_col = columns["measure"]
    width = max(columns.values()) + 1
    kept: list[list[object]] = []
    numbers: list[int] = []
    sections: dict[int, str] = {}
    section = ""
    for index in range(header.row + 1, len(sheet.rows)):
        row = sheet.rows[index]
        if len(row) - row.count("") <= 4:  # few cells: maybe blank, a footer or a section row
            filled = [(c, v) for c, v in enumerate(row) if not is_blank(v)]
            if not filled or is_footer(shown(filled[0][1])):
                continue
            title = section_title(filled, columns)
            if title is not None:
                section = title or section
                continue
        measure = row[measure_col] if measure_col < len(row) else ""
        if (not isinstance(measure, str) or len(measure) < 12) and is_total(row):
            continue
        kept.append(row if len(row) >= width else row + [""] * (width - len(row)))
        numbers.append(index + 1)
        if section:
            sections[len(kept) - 1] = section
            section = ""
    transposed = list(zip(*kept, strict=False)) if kept else []
    raw: dict[str, list[object]] = {
        f: (list(transposed[columns[f]]) if f in columns and kept else [""] * len(kept)) for f in READ_FIELDS
    }
    for position, title in sections.items():
        if "category" not in columns or is_blank(raw["category"][position]):
            raw["category"][position] = title
    return numbers, raw


def _by_value(values: Sequence[_In], convert: Callable[[_In], _Out]) -> list[_Out]:
    """convert() applied once per distinct cell value: ledgers repeat the same few values thousands of times."""
    try:
        table = {value: convert(value) for value in dict.fromkeys(values)}
        return [table[value] for value in values]
    except TypeError:  # an unhashable cell; never produced by the readers, but slower beats wrong
        return [convert(value) for value in values]


def _text(value: object) -> str:
    if type(value) is str:  # the common cases first: text, then whole numbers (ids)
        return value.strip()
    if type(value) is float and value.is_integer():
        return str(int(value))
    return "" if is_blank(value) else shown(value)


def _text_column(values: list[object]) -> list[str]:
    """A column's cells as text, stripped, without invisible characters (one search over the whole column
    finds whether any cell holds one)."""
    texts = [v.strip() if type(v) is str else _text(v) for v in values]
    if has_invisible("".join(texts)):
        texts = [visible(text).strip() for text in texts]
    return texts


class _Converter:
    """Columns of raw cells → typed columns; each unreadable cell becomes an issue naming sheet, row and header."""

    def __init__(self, sheet: str, header: Header, rows: list[int], phases: tuple[Phase, ...]):
        self.sheet, self.header, self.rows = sheet, header, rows
        self.phase_index = PhaseIndex(phases)
        self.issues: list[Issue] = []

    def report(
        self, code: IssueCode, field: str, values: Sequence[object], converted: Sequence[object], **params: object
    ) -> None:
        if _BAD not in converted:
            return
        for row, value, result in zip(self.rows, values, converted, strict=True):
            if result is _BAD:
                self.issues.append(
                    Issue(
                        "error", code, self.sheet, row, self.header.written(field), shown(value), tuple(params.items())
                    )
                )

    def dates_of(self, field: str, values: list[object], dates: DateReader) -> list[Due | None]:
        """date, None (blank), or LONG_TERM or IMMEDIATE (only in the due column)."""

        def one(value: object) -> Due | _Bad | None:
            if is_blank(value):
                return None
            result = dates(value)
            if result in (LONG_TERM, IMMEDIATE) and field == "due":
                return result
            return result if isinstance(result, date) else _BAD

        converted = _by_value(values, one)
        self.report("task.bad_date", field, values, converted)
        self._ambiguous(field, values, converted)
        return [None if v is _BAD else v for v in converted]

    def _ambiguous(self, field: str, values: list[object], converted: Sequence[object]) -> None:
        """Warn where a number such as 5.3 was read as 5月3日 though 5月30日 may be meant."""
        doubtful = {v for v in dict.fromkeys(values) if ambiguous_number(v)}
        for row, value, result in zip(self.rows, values, converted, strict=True):
            if value in doubtful and isinstance(result, date):
                self.issues.append(
                    Issue(
                        "warning",
                        "task.ambiguous_date",
                        self.sheet,
                        row,
                        self.header.written(field),
                        shown(value),
                        (("read", result.isoformat()), ("other", result.replace(day=result.day * 10).isoformat())),
                    )
                )

    def statuses(self, values: list[object]) -> list[str | None]:
        converted = _by_value(values, lambda v: None if is_blank(v) else (status_of(v) or _BAD))
        self.report("task.bad_status", "status", values, converted)
        return [None if v is _BAD else v for v in converted]

    def yes_nos(self, values: list[object]) -> list[bool | None]:
        """是否完成: True, False, or None (blank, or unreadable and reported)."""
        converted = _by_value(values, lambda v: None if is_blank(v) else (_BAD if yes_no(v) is None else yes_no(v)))
        self.report("task.bad_yes_no", "done_flag", values, converted)
        return [None if v is _BAD else v for v in converted]

    def closures(self, values: list[object]) -> list[str]:
        """销号情况: closed, requested or open (a blank cell: open); "" when the ledger has no such column."""
        if "closure" not in self.header.fields:
            return [""] * len(values)
        converted = _by_value(values, lambda v: OPEN if is_blank(v) else (closure_of(v) or _BAD))
        self.report("task.bad_closure", "closure", values, converted)
        return [OPEN if v is _BAD else v for v in converted]

    def combined_statuses(
        self, words: list[str | None], flags: list[bool | None], closures: list[str]
    ) -> list[str | None]:
        """The status word, else 是否完成, else 已销号 (which implies done); where they disagree, a warning."""
        combined = []
        for row, word, flag, closure in zip(self.rows, words, flags, closures, strict=True):
            said_done = [
                said
                for said in (word == DONE if word else None, flag, True if closure == CLOSED else None)
                if said is not None
            ]
            if len(set(said_done)) > 1:
                self.issues.append(
                    Issue(
                        "warning",
                        "task.done_disagrees",
                        self.sheet,
                        row,
                        self.header.written("closure" if closure == CLOSED else "done_flag"),
                    )
                )
            if word is None and flag is not None:
                word = DONE if flag else NOT_DONE
            if closure == CLOSED:
                word = DONE
            combined.append(word)
        return combined

    def progresses(self, values: list[object], percent_rows: Callable[[], set[int] | None]) -> list[float | None]:
        """Progress in %; `percent_rows` tells, when asked, which 0-based rows hold percent-formatted cells."""

        def number(value: object) -> tuple[float, bool] | _Bad | None:
            if is_blank(value):
                return None
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return (float(value), False)
            parsed = parse_progress_text(value) if isinstance(value, str) else None
            return parsed if parsed is not None else _BAD

        numbers = _by_value(values, number)
        self.report("task.bad_progress", "progress", values, numbers)
        # Excel percent cells arrive as fractions (80% → 0.8): a plain number strictly between 0 and 1 is one,
        # and 1 is 100% when no plain number in the column exceeds 1.
        plain = {n[0] for n in numbers if isinstance(n, tuple) and not n[1]}
        fractions = bool(plain) and max(plain) <= 1
        amounts = [
            None if not isinstance(n, tuple) else n[0] if n[1] else _plain_progress(n[0], fractions) for n in numbers
        ]
        if not fractions and 1.0 in plain:  # a 1 beside numbers over 1: "1%" typed, or a 100% cell?
            percent = percent_rows() or set()
            amounts = [
                100.0 if n == (1.0, False) and row - 1 in percent else a
                for n, a, row in zip(numbers, amounts, self.rows, strict=True)
            ]
        checked = [_BAD if a is not None and not 0 <= a <= 100 else a for a in amounts]
        self.report("task.progress_range", "progress", values, checked)
        return [None if a is _BAD else a for a in checked]

    def phase_names(self, values: list[object]) -> list[str | None]:
        index = self.phase_index

        def one(value: object) -> str | _Bad | None:
            if is_blank(value):
                return None
            if not index.phases:
                return shown(value)
            phase = index.find(shown(value))
            return phase.name if phase else _BAD

        converted = _by_value(values, one)
        self.report("task.unknown_phase", "phase", values, converted, phases="、".join(p.name for p in index.phases))
        return [None if v is _BAD else v for v in converted]


def _plain_progress(number: float, fractions: bool) -> float:
    if 0 < number < 1 or (number == 1 and fractions):
        return number * 100
    return number


def _has_suspect_blanks(raw: dict[str, list[object]]) -> bool:
    """A formula error reaches us as a blank cell; looking for them costs a pass over the sheet's XML, so look
    only when a cell that matters is blank: a measure, a due date, or both status and progress."""
    return any(
        is_blank(m) or is_blank(d) or (is_blank(s) and is_blank(p))
        for m, d, s, p in zip(raw["measure"], raw["due"], raw["status"], raw["progress"], strict=True)
    )


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


def _categories(values: list[str]) -> list[str]:
    """Merged or blank category cells take the category above; enumerators like `一、` are dropped."""
    stripped = _by_value(values, lambda v: strip_enumerator(v) if v else "")
    out, last = [], ""
    for value in stripped:
        last = value or last
        out.append(last)
    return out


def _resolve(words: list[str | None], progress: list[float | None], long_term: list[bool]) -> list[str]:
    """Each row's canonical status; fills the progress that a status implies (done → 100, not started → 0)."""
    statuses = []
    for i, word in enumerate(words):
        status = resolve_status(word, progress[i])
        if long_term[i] and status != DONE:
            status = ONGOING
        long_term[i] = long_term[i] or status == ONGOING
        if progress[i] is None and status in (DONE, NOT_STARTED):
            progress[i] = 100.0 if status == DONE else 0.0
        statuses.append(status)
    return statuses


def _immediate_dates(due: list, phase: list[str | None], index: PhaseIndex, report_date: date) -> list:
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
    filled = [shown(v) for v in values if not is_blank(v)]
    groups = len(values) < 2 or 3 * (len(values) - len(filled)) >= len(values) or 2 * len(set(filled)) <= len(values)
    if not groups:
        return header
    columns = {("category" if field == "problem" else field): place for field, place in header.columns.items()}
    return Header(header.row, columns)


def _phases_by_date(phase: list[str | None], due: list, start: list, index: PhaseIndex) -> list[str]:
    """A task with no phase cell belongs to the phase its due date (else its start) falls in."""
    out = []
    for name, end, begin in zip(phase, due, start, strict=True):
        if name is None and index.phases:
            found = (isinstance(end, date) and index.containing(end)) or (begin and index.containing(begin))
            name = found.name if found else ""
        out.append(name or "")
    return out


def _too_long(
    columns: dict[str, list[str]], header: Header, sheet: str, rows: list[int], max_chars: int
) -> list[Issue]:
    """Text over the per-cell limit (README "Limits"): an error per cell, never a silent cut."""
    issues = []
    for field, texts in columns.items():
        if max(map(len, texts), default=0) > max_chars:
            issues += [
                Issue(
                    "error",
                    "task.too_long",
                    sheet,
                    row,
                    header.written(field),
                    text,
                    (("count", len(text)), ("limit", max_chars)),
                )
                for row, text in zip(rows, texts, strict=True)
                if len(text) > max_chars
            ]
    return issues


def read_tasks(
    sheet: RawSheet,
    header: Header,
    dates: DateReader,
    phases: tuple[Phase, ...],
    report_date: date,
    max_chars: int = EXCEL_CELL_CHARS,
) -> tuple[pd.DataFrame, list[Issue]]:
    """The task table of the sheet (model.TASK_COLUMNS) and the problems found cell by cell; text longer than
    `max_chars` in a cell is an error. `report_date` dates 立行立改 when the ledger has no phases."""
    header = problem_or_category(sheet, header)
    rows, raw = _task_rows(sheet, header)
    if not rows:
        return empty_tasks(), []
    convert = _Converter(sheet.name, header, rows, phases)
    start = convert.dates_of("start", raw["start"], dates)
    due = convert.dates_of("due", raw["due"], dates)
    completed = convert.dates_of("completed_on", raw["completed_on"], dates)
    long_term = [d == LONG_TERM for d in due]
    immediate = [d == IMMEDIATE for d in due]
    progress_column = header.columns.get("progress", (None, ""))[0]
    progress = convert.progresses(
        raw["progress"], lambda: None if progress_column is None else sheet.percent_rows(progress_column)
    )
    if _has_suspect_blanks(raw):
        convert.issues += _formula_errors(sheet, header, rows)
    closures = convert.closures(raw["closure"])
    words = convert.combined_statuses(convert.statuses(raw["status"]), convert.yes_nos(raw["done_flag"]), closures)
    statuses = _resolve(words, progress, long_term)
    named_phase = convert.phase_names(raw["phase"])
    if any(immediate):
        due = _immediate_dates(due, named_phase, convert.phase_index, report_date)
    phase = _phases_by_date(named_phase, due, start, convert.phase_index)
    texts = {f: _text_column(raw[f]) for f in _TEXT_FIELDS}
    convert.issues += _too_long({**texts, "phase": phase}, header, sheet.name, rows, max_chars)
    frame = task_table(
        {
            "sheet": [sheet.name] * len(rows),
            "row": rows,
            **texts,
            "key": [""] * len(rows),
            "category": _categories(texts["category"]),
            "phase": phase,
            "start": start,
            "due": due,
            "long_term": long_term,
            "immediate": immediate,
            "status": statuses,
            "closure": closures,
            "progress": progress,
            "completed_on": completed,
        }
    )
    frame["key"] = task_keys(frame)
    return frame, convert.issues


def task_keys(tasks: pd.DataFrame) -> pd.Series:
    """What identifies a measure from week to week: its id, else its measure text. When every category's
    numbering starts from the same id (一、1 2 3 二、1 2 …) an id counts within its category."""
    ids = tasks["id"]
    has_id = ids != ""
    firsts = tasks.loc[has_id].groupby("category", sort=False)["id"].first()
    restarts = len(firsts) > 1 and bool((firsts == firsts.iloc[0]).all())
    keys = ("id:" + tasks["category"] + "#" + ids) if restarts else ("id:" + ids)
    if not has_id.all():
        keys = keys.where(has_id, text_key(tasks.loc[~has_id, "measure"]))
    return keys.astype(object)


def text_key(measures: pd.Series) -> pd.Series:
    """The fallback identity of a measure: its text without whitespace."""
    return ("text:" + measures.str.replace(r"\s+", "", regex=True)).astype(object)


_SAMPLE_ROWS = 200


def _column_warning(values: list[object]) -> IssueCode | None:
    """What most of a column's cells look like: the warning for a column of status words, yes/no or dates; None
    when nothing known."""

    def share(test: Callable[[object], bool]) -> float:
        return sum(1 for value in values if test(value)) / len(values)

    if share(lambda v: isinstance(v, str) and status_of(v) not in (None, NOT_DONE)) >= 0.6:
        return "sheet.unread_status_column"
    if share(lambda v: isinstance(v, str) and yes_no(v) is not None) >= 0.6:
        return "sheet.unread_yes_no_column"
    if share(lambda v: isinstance(v, date) or (isinstance(v, str) and isinstance(_DATES(v), date))) >= 0.6:
        return "sheet.unread_date_column"
    return None


_DATES = DateReader(2000)  # only asks whether a cell reads as a date at all; the year is irrelevant


def unread_columns(sheet: RawSheet, header: Header) -> list[Issue]:
    """Never silent about columns: one whose header is not recognised but whose cells look like a known field
    (status words, 是/否, dates) is named in a warning."""
    used = {column for column, _ in header.columns.values()}
    labels = sheet.rows[header.row]
    above = sheet.rows[header.row - 1] if header.row > 0 else []
    issues = []
    for column in range(len(labels)):
        label = labels[column] if not is_blank(labels[column]) else (above[column] if column < len(above) else "")
        if column in used or is_blank(label):
            continue
        values = [
            row[column]
            for row in sheet.rows[header.row + 1 : header.row + 1 + _SAMPLE_ROWS]
            if column < len(row) and not is_blank(row[column])
        ]
        code = _column_warning(values) if values else None
        if code:
            issues.append(Issue("warning", code, sheet.name, header.row + 1, shown(label)))
    return issues
