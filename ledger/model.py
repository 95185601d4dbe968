"""What a loaded ledger is: its tasks, phases, report date and the report of what is wrong with it."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from ledger.vocab import STATUSES

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np

    from ledger.xlsx_cells import XlsxCells

Merge = tuple[tuple[int, int], tuple[int, int]]

TASK_COLUMNS = (
    "sheet",
    "row",
    "id",
    "key",
    "category",
    "problem",
    "measure",
    "goal",
    "phase",
    "leader",
    "department",
    "owner",
    "start",
    "due",
    "long_term",
    "immediate",
    "status",
    "closure",
    "progress",
    "completed_on",
    "evidence",
    "notes",
)
DATE_COLUMNS = ("start", "due", "completed_on")
FLAG_COLUMNS = ("long_term", "immediate")  # 长期坚持 (no deadline); 立行立改 (dated by the rule in ledger.dates)
TEXT_COLUMNS = tuple(c for c in TASK_COLUMNS if c not in (*DATE_COLUMNS, *FLAG_COLUMNS, "row", "progress"))
CLOSURES = ("closed", "requested", "open")  # 已销号 / 申请销号 / 未销号; "" where the ledger has no 销号 column
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


@dataclass(frozen=True)
class Issue:
    """One thing wrong with a ledger: where it is, what was written, and which message explains it."""

    severity: str  # "error" blocks publishing; "warning" is shown
    code: str  # key of the message in the i18n table
    sheet: str = ""
    row: int | None = None  # as Excel shows it (1-based)
    column: str = ""  # the header as written
    value: str = ""
    params: tuple[tuple[str, object], ...] = ()

    def __post_init__(self) -> None:
        if len(self.value) > QUOTED_CHARS:  # a report quotes the start of what was written, not a whole book
            object.__setattr__(self, "value", self.value[:QUOTED_CHARS] + "…")

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclass(frozen=True)
class Ledger:
    """A ledger as read. `tasks` has TASK_COLUMNS; its date columns are datetime64 (NaT when blank)."""

    tasks: pd.DataFrame
    phases: tuple[Phase, ...]
    report_date: date
    report_date_found: bool
    issues: tuple[Issue, ...] = field(default=())
    matched_by_id: bool = True
    title: str = ""  # the title line above the table, or the file name: what a new plan is named after
    unit: str = ""  # 填报单位

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


def text_column(values: Sequence[str] | np.ndarray) -> pd.Series:
    """Text columns are plain object columns: built and sliced far faster than Arrow strings at 100k rows. An array
    of strings is taken as it is, not copied."""
    return pd.Series(values, dtype=object, copy=False)


def status_column(values: list[str]) -> pd.Series:
    """The status column: a categorical of the four canonical statuses (cheap to compare, many times per page)."""
    return pd.Series(pd.Categorical(values, categories=STATUSES))


def empty_tasks() -> pd.DataFrame:
    """A task table with no rows and the right columns and types."""
    frame = pd.DataFrame({name: pd.Series(dtype=object) for name in TASK_COLUMNS})
    for name in DATE_COLUMNS:
        frame[name] = pd.Series(dtype="datetime64[s]")
    frame["row"] = pd.Series(dtype="int64")
    frame["progress"] = pd.Series(dtype="float64")
    for name in FLAG_COLUMNS:
        frame[name] = pd.Series(dtype="bool")
    frame["status"] = status_column([])
    return frame
