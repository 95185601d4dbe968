"""What a loaded ledger is: the task schema (fields, their types and headers), its tasks, phases, report date and
the report of what is wrong with it."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ledger.codes import IssueCode, Level
from ledger.text import shortened
from ledger.vocab import STATUSES

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np

    from ledger.intake.xlsx_cells import XlsxCells

Merge = tuple[tuple[int, int], tuple[int, int]]

TEXT, STATUS, DATE, FLAG, INT, FLOAT = "object", "category", "datetime64[s]", "bool", "int64", "float64"
"""The column types of the task table: text is a plain object column (built and sliced far faster than Arrow strings
at 100k rows), the status a categorical of STATUSES, dates datetime64[s] (NaT when blank), flags bool."""


@dataclass(frozen=True)
class TaskField:
    """One field of a ledger's tasks: the column it becomes in the task table, the headers that name it in a sheet,
    and the header and width it is written under (ledger.writing)."""

    name: str
    dtype: str | None  # its column type in the task table; None: read from a sheet, not kept as a column
    words: tuple[str, ...] = ()  # the headers people write for it, Chinese and English; () when no sheet holds it
    header: str = ""  # the header a written ledger puts over it; "" when it is not written
    width: int = 0  # the written column's width, in a ledger and in the exported version (ledger.brief)


# The one task schema: the reader (ledger.intake.tasks), header matching (ledger.intake.fields), the store and the writer derive
# from it. Its order is the task table's column order, the order a sheet's cells are read in and the order of the
# written columns.
TASK_FIELDS = (
    TaskField("sheet", TEXT),
    TaskField("row", INT),  # as Excel shows it (1-based)
    TaskField(
        "id",
        TEXT,
        ("序号", "编号", "任务编号", "措施编号", "no", "no.", "#", "id", "number", "item"),
        header="序号",
        width=6,
    ),
    TaskField("key", TEXT),  # what identifies a measure from week to week (ledger.model.task_keys)
    TaskField(
        "category",
        TEXT,
        ("问题类别", "类别", "问题类型", "问题分类", "category", "problem category"),
        header="问题类别",
        width=22,
    ),
    # A problem column is one problem per measure; one whose values group the measures (few values, repeated or
    # merged down) is read as the category instead (ledger.intake.tasks.problem_or_category).
    TaskField(
        "problem",
        TEXT,
        (
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
        header="具体问题",
        width=30,
    ),
    TaskField(
        "measure",
        TEXT,
        (
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
        header="整改措施",
        width=48,
    ),
    TaskField(
        "goal", TEXT, ("整改目标", "目标", "预期目标", "整改要求", "goal", "target", "expected result"), width=22
    ),  # not written in a ledger; its width is the exported version's
    TaskField("phase", TEXT, ("阶段", "所属阶段", "整改阶段", "phase", "stage"), header="阶段", width=12),
    TaskField(
        "leader",
        TEXT,
        ("责任领导", "分管领导", "牵头领导", "包保领导", "leader", "responsible leader", "lead"),
        header="责任领导",
        width=14,
    ),
    TaskField(
        "department",
        TEXT,
        (
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
        header="责任部门",
        width=12,
    ),
    TaskField(
        "owner",
        TEXT,
        (
            "责任人",
            "具体责任人",
            "负责人",
            "经办人",
            "owner",
            "responsible person",
            "person in charge",
            "assignee",
        ),
        header="责任人",
        width=12,
    ),
    TaskField(
        "start", DATE, ("开始日期", "开始时间", "启动时间", "start", "start date", "begin"), header="开始日期", width=12
    ),
    TaskField(
        "due",
        DATE,
        (
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
        header="完成时限",
        width=12,
    ),
    TaskField("long_term", FLAG),  # 长期坚持: no deadline
    TaskField("immediate", FLAG),  # 立行立改: dated by the rule in ledger.intake.tasks
    TaskField(
        "status",
        STATUS,
        ("状态", "完成情况", "整改状态", "整改情况", "status", "state"),
        header="完成情况",
        width=10,
    ),
    TaskField(  # 是否完成: folded into the status
        "done_flag",
        None,
        (
            "是否完成",
            "是否整改到位",
            "是否办结",
            "完成与否",
            "是否整改完成",
            "是否已完成",
            "done?",
            "completed?",
        ),
    ),
    TaskField("closure", TEXT, ("销号情况", "是否销号", "销号状态", "销号", "closed out", "closure")),
    TaskField(
        "progress",
        FLOAT,  # in %, NaN when blank
        ("完成进度", "进度", "完成比例", "完成率", "progress", "% complete", "percent complete", "completion"),
        header="完成进度",
        width=10,
    ),
    TaskField(
        "completed_on",
        DATE,
        (
            "完成日期",
            "实际完成日期",
            "销号日期",
            "实际完成时间",
            "completed on",
            "completion date",
            "date completed",
            "done on",
        ),
        header="完成日期",
        width=12,
    ),
    TaskField(
        "evidence",
        TEXT,
        (
            "佐证材料",
            "证明材料",
            "佐证资料",
            "支撑材料",
            "evidence",
            "supporting material",
            "supporting materials",
        ),
        header="佐证材料",
        width=28,
    ),
    TaskField(
        "notes",
        TEXT,
        ("备注", "整改进展", "进展情况", "工作进展", "notes", "note", "remarks", "comment", "comments"),
        header="备注",
        width=28,
    ),
    # The unit (subsidiary, school) a row belongs to, in a group's merged ledger: not a column of a version's task
    # table (a version is one unit's), but of a ledger read with such a column (ledger.publishing.split_units) and
    # of all units together (ledger.rollup.combined).
    TaskField(
        "unit",
        None,
        (
            "所属单位",
            "所属公司",
            "下属单位",
            "被巡察单位",
            "被审计单位",
            "学校名称",
            "单位名称",
            "公司名称",
            "子公司",
            "subsidiary",
            "company",
            "school",
        ),
    ),
)
TASK_COLUMNS = tuple(f.name for f in TASK_FIELDS if f.dtype)
READ_FIELDS = tuple(f.name for f in TASK_FIELDS if f.words)
"""The fields a sheet's columns can hold, in the order they are read."""
WRITTEN_FIELDS = tuple(f for f in TASK_FIELDS if f.header)
"""The columns of a written ledger, in order."""
TASK_DTYPES = {
    f.name: pd.CategoricalDtype(list(STATUSES)) if f.dtype == STATUS else np.dtype(f.dtype)
    for f in TASK_FIELDS
    if f.dtype
}
"""Each task-table column's dtype, as pandas reports it."""
DATE_COLUMNS = tuple(f.name for f in TASK_FIELDS if f.dtype == DATE)
QUOTED_CHARS = 200
EXCEL_CELL_CHARS = 32_767
"""The most characters an Excel cell holds: more is refused when reading, so whatever is stored can be written back."""


@dataclass(frozen=True)
class Phase:
    name: str
    start: date
    end: date
    order: int
    description: str = ""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


# Who answers for a measure, leader → department → owner: a measure needs at least one of them.
RESPONSIBILITY_FIELDS = ("leader", "department", "owner")


EXTRA, IGNORE = "extra", "ignore"
"""What a column that is no task field becomes: an extra field of each measure (kept as written), or nothing."""
SURE = 0.6
"""A column read with less confidence than this is asked about (the Upload page's column step, `--columns`)."""


@dataclass(frozen=True)
class Reason:
    """One ground for reading a column as a field: the key of its words in the i18n table (`column.why.<code>`) and
    what they name."""

    code: str
    params: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class ColumnChoice:
    """How one column of a tasks sheet is read: as a task field, as an extra field, or ignored; how sure that is and
    why; the first cells, to show a person who confirms it (README "The ledger spreadsheet", columns by meaning)."""

    column: int  # 0-based
    header: str  # as written ("" for a column without one)
    field: str  # a task field, EXTRA or IGNORE
    confidence: float  # 0–1
    reasons: tuple[Reason, ...] = ()
    sample: tuple[str, ...] = ()
    confirmed: bool = False  # chosen by a person: now, or remembered with the plan

    @property
    def letter(self) -> str:
        return column_letter(self.column)

    @property
    def sure(self) -> bool:
        return self.confirmed or self.confidence >= SURE


def column_letter(column: int) -> str:
    """A 0-based column as Excel names it: 0 → A, 26 → AA."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


EXTRA_PREFIX = "extra:"
"""The task table's columns that hold extra fields are named EXTRA_PREFIX + the header as written."""


@dataclass(frozen=True)
class Extra:
    """An extra field of a ledger's measures: a column the office wrote that is no task field, kept as read."""

    name: str  # the header as written
    kind: str  # "text", "number" or "date"

    @property
    def column(self) -> str:
        return EXTRA_PREFIX + self.name


def extras(tasks: pd.DataFrame) -> list[Extra]:
    """The extra fields of a task table, in the order the office wrote them, each with its kind."""
    found = []
    for column in tasks.columns:
        if isinstance(column, str) and column.startswith(EXTRA_PREFIX):
            kind = tasks[column].dtype.kind
            found.append(
                Extra(column[len(EXTRA_PREFIX) :], "number" if kind == "f" else "date" if kind == "M" else "text")
            )
    return found


def day_texts(values: pd.Series) -> pd.Series:
    """Dates as YYYY-MM-DD, "" when blank: a whole column at once when it holds datetimes, else value by value."""
    if values.dtype.kind == "M":
        return pd.Series(np.where(values.isna(), "", values.dt.strftime("%Y-%m-%d")), index=values.index, dtype=object)
    return values.map(lambda value: "" if pd.isna(value) else pd.Timestamp(value).date().isoformat()).astype(object)


def extra_text(values: pd.Series) -> pd.Series:
    """An extra field's values as text, as a person reads them (numbers without a trailing .0, dates as
    YYYY-MM-DD, blanks ""): for one column that holds numbers in one sheet or version and text in another."""
    if values.dtype.kind == "M":
        return day_texts(values)
    if values.dtype.kind == "f":
        return values.map(lambda v: "" if v != v else f"{v:g}").astype(object)
    return values.fillna("").astype(object)


def fill_text(tasks: pd.DataFrame) -> pd.DataFrame:
    """The task table with "" where a text column that is no task field (an extra field, the unit) is missing: the
    rows of a sheet or version that has no such column, after several were put together."""
    for name in tasks.columns.difference(list(TASK_COLUMNS)):
        text = tasks[name].dtype == object or pd.api.types.is_string_dtype(tasks[name])
        if text and tasks[name].isna().any():
            tasks[name] = tasks[name].astype(object).where(tasks[name].notna(), "")
    return tasks


@dataclass(frozen=True)
class Issue:
    """One thing wrong with a ledger: where it is, what was written, and which message explains it."""

    severity: Level  # "error" blocks publishing; "warning" is shown
    code: IssueCode  # key of the message in the i18n table
    sheet: str = ""
    row: int | None = None  # as Excel shows it (1-based)
    column: str = ""  # the header as written
    value: str = ""
    params: tuple[tuple[str, object], ...] = ()

    def __post_init__(self) -> None:
        if len(self.value) > QUOTED_CHARS:  # a report quotes the start of what was written, not a whole book
            object.__setattr__(self, "value", shortened(self.value, QUOTED_CHARS + 1))

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclass(frozen=True)
class Ledger:
    """A ledger as read. `tasks` has TASK_COLUMNS, typed as TASK_DTYPES (dates NaT when blank)."""

    tasks: pd.DataFrame
    phases: tuple[Phase, ...]
    report_date: date
    report_date_found: bool
    issues: tuple[Issue, ...] = field(default=())
    matched_by_id: bool = True
    title: str = ""  # the title line above the table, or the file name: what a new plan is named after
    unit: str = ""  # 填报单位
    columns: tuple[ColumnChoice, ...] = ()  # how each column of the (first) tasks sheet was read
    shape: str = ""  # that sheet's header row, folded: what a person's choice of columns is remembered by

    @property
    def asks(self) -> bool:
        """Whether a person should confirm the columns: one is not read with confidence, or no column holds the
        measures or who answers for them."""
        fields = {c.field for c in self.columns}
        unsure = any(not c.sure for c in self.columns if c.field not in (EXTRA, IGNORE))
        return bool(self.columns) and (unsure or "measure" not in fields or not fields & set(RESPONSIBILITY_FIELDS))

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [issue for issue in self.issues if not issue.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class RawSheet:
    """One sheet's cells as written; rows[0] is Excel's row 1, merged ranges are 0-based inclusive."""

    name: str
    rows: list[list[object]]
    merged: list[Merge] = field(default_factory=list)
    file_name: str = ""
    cells: XlsxCells | None = None  # formula errors and percent formats, for xlsx files

    def formula_errors(self) -> dict[tuple[int, int], str]:
        try:
            return self.cells.errors(self.name) if self.cells else {}
        except (ValueError, zipfile.BadZipFile, OSError):  # XML errors are ValueErrors; calamine read it anyway
            return {}

    def percent_rows(self, column: int) -> set[int] | None:
        """Rows whose cell in `column` is formatted as a percentage; None when the format can't be known."""
        try:
            return self.cells.percent(self.name, column) if self.cells else None
        except (ValueError, zipfile.BadZipFile, OSError):
            return None


@dataclass
class ReadResult:
    sheets: list[RawSheet]
    issues: list[Issue]


ColumnValues = Sequence[object] | np.ndarray | pd.Categorical
"""A column's values for task_table: Python values, or an array already in the column's type (the reader's)."""


def text_column(values: ColumnValues) -> pd.Series:
    """A text column: a plain object column (see TEXT), built and sliced far faster than Arrow strings at 100k
    rows. An array of strings is taken as it is, not copied."""
    return pd.Series(values, dtype=object, copy=False)


def status_column(values: ColumnValues) -> pd.Series:
    """The status column: a categorical of the four canonical statuses (cheap to compare, many times per page);
    a categorical of that type is taken as it is."""
    if isinstance(values, pd.Categorical) and values.dtype == TASK_DTYPES["status"]:
        return pd.Series(values)
    return pd.Series(pd.Categorical(list(values), categories=list(STATUSES)))


_EPOCH = date(1970, 1, 1).toordinal()
_NAT = np.iinfo("int64").min


def date_column(values: ColumnValues) -> np.ndarray:
    """Dates as datetime64[s]: each datetime.date as its day, anything else (None, a marker such as 长期) as NaT.
    Converted once per distinct value: ledgers repeat the same few dates thousands of times. A datetime64 array is
    taken as it is (in seconds)."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        return values.astype("datetime64[s]")
    days = {value: value.toordinal() - _EPOCH if isinstance(value, date) else _NAT for value in dict.fromkeys(values)}
    return np.array([days[value] for value in values], dtype="int64").astype("datetime64[D]").astype("datetime64[s]")


def _number_column(dtype: str) -> Callable[[ColumnValues], np.ndarray]:
    return lambda values: np.asarray(values, dtype=dtype)  # None becomes NaN in a float column


_COLUMN_OF: dict[str, Callable[[ColumnValues], object]] = {
    TEXT: text_column,
    STATUS: status_column,
    DATE: date_column,
    FLAG: _number_column(FLAG),
    INT: _number_column(INT),
    FLOAT: _number_column(FLOAT),
}


def task_table(columns: Mapping[str, ColumnValues]) -> pd.DataFrame:
    """The task table from each of TASK_COLUMNS' values, every column in its schema type (TASK_DTYPES): text
    as str, dates as datetime.date (anything else is NaT), flags as bool, progress as a number or None (NaN), the
    status as one of STATUSES."""
    return pd.DataFrame(
        {f.name: _COLUMN_OF[f.dtype](columns[f.name]) for f in TASK_FIELDS if f.dtype},
        columns=list(TASK_COLUMNS),
        copy=False,  # the columns are new: one block each, not copied into blocks by type
    )


def empty_tasks() -> pd.DataFrame:
    """A task table with no rows and the right columns and types."""
    return task_table({name: [] for name in TASK_COLUMNS})


def task_keys(tasks: pd.DataFrame) -> pd.Series:
    """What identifies a measure from week to week: its id, else its measure text. When every category's
    numbering starts from the same id (一、1 2 3 二、1 2 …) an id counts within its category."""
    keys = keys_of(*(tasks[f].to_numpy(dtype=object) for f in ("id", "category", "measure")))
    return pd.Series(keys, index=tasks.index, dtype=object)


def keys_of(ids: np.ndarray, categories: np.ndarray, measures: np.ndarray) -> np.ndarray:
    has_id = ids != ""
    numbered, within = categories[has_id], ids[has_id]
    firsts = dict(zip(numbered[::-1].tolist(), within[::-1].tolist(), strict=True))  # each category's first id
    restarts = len(firsts) > 1 and all(first == within[0] for first in firsts.values())
    keys = ("id:" + categories + "#" + ids) if restarts else ("id:" + ids)
    if not has_id.all():
        keys[~has_id] = text_key(pd.Series(measures[~has_id], dtype=object)).to_numpy()
    return keys


def text_key(measures: pd.Series) -> pd.Series:
    """The fallback identity of a measure: its text without whitespace."""
    return ("text:" + measures.str.replace(r"\s+", "", regex=True)).astype(object)
