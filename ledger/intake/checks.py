"""Rules across a task's fields and across rows: responsibility, deadlines, duplicates, evidence, phase periods."""

from __future__ import annotations

from collections.abc import Iterator, Set

import numpy as np
import pandas as pd

from ledger.codes import IssueCode, Level
from ledger.intake.cells import Header
from ledger.model import RESPONSIBILITY_FIELDS, Issue, Phase
from ledger.vocab import DONE, ONGOING


def iso_dates(values: pd.Series) -> list[str]:
    """A date column as YYYY-MM-DD strings ("" for blanks)."""
    array = values.to_numpy()
    return np.where(pd.isna(array), "", np.datetime_as_string(array, unit="D")).tolist()


def _listed(values: pd.Series | np.ndarray) -> list:
    if isinstance(values, pd.Series) and pd.api.types.is_datetime64_any_dtype(values):
        return iso_dates(values)
    return values.tolist()


class _Rules:
    def __init__(self, tasks: pd.DataFrame, sheet: str, header: Header):
        self.tasks, self.sheet, self.header = tasks, sheet, header
        self.sheets = tasks["sheet"].to_numpy()

    def each(
        self,
        mask,
        severity: Level,
        code: IssueCode,
        field: str,
        shown: pd.Series | np.ndarray | None = None,
        column: str | None = None,
        **params: pd.Series,
    ) -> Iterator[Issue]:
        """One issue per row where `mask` holds; `shown` is the value to quote, `params` fill the message
        (date columns are quoted as YYYY-MM-DD)."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        rows = self.tasks["row"].to_numpy()[mask].tolist()
        sheets = self.sheets[mask].tolist()
        values = _listed(shown[mask]) if shown is not None else [""] * len(rows)
        extra = {name: _listed(series[mask]) for name, series in params.items()}
        written = column if column is not None else self.header.written(field)
        for i, row in enumerate(rows):
            yield Issue(
                severity,
                code,
                sheets[i],
                int(row),
                written,
                str(values[i]),
                tuple((name, column_values[i]) for name, column_values in extra.items()),
            )


def check_tasks(
    tasks: pd.DataFrame,
    sheet: str,
    header: Header,
    phases: tuple[Phase, ...],
    unreadable_due: Set[tuple[str, int | None]] = frozenset(),
    sheets: tuple[str, ...] = (),
) -> list[Issue]:
    """Every error and warning that needs more than one cell to see, for the rows of one or several sheets
    that share `header` (`sheets`: their names; each row names its own); `unreadable_due` are the (sheet, row)
    whose due cell is already reported as unreadable (not also as blank)."""
    rules = _Rules(tasks, sheet, header)
    issues = list(_errors(rules, tasks, header))
    issues += list(_warnings(rules, tasks, header, phases, unreadable_due, sheets or (sheet,)))
    return issues


def _blank(column: pd.Series) -> np.ndarray:
    """Where a text column is "" (numpy compares object columns several times faster than pandas)."""
    return column.to_numpy(dtype=object) == ""


def _errors(rules: _Rules, tasks: pd.DataFrame, header: Header) -> Iterator[Issue]:
    yield from rules.each(_blank(tasks["measure"]), "error", "task.no_measure", "measure")
    named = [f for f in RESPONSIBILITY_FIELDS if f in header.fields]
    if named:  # with no such column at all, the sheet says so once (column.no_responsible), not every row
        nobody = np.logical_and.reduce([_blank(tasks[f]) for f in RESPONSIBILITY_FIELDS])
        yield from rules.each(
            nobody, "error", "task.no_responsible", "leader", column="/".join(header.written(f) for f in named)
        )
    due, start = tasks["due"].to_numpy(), tasks["start"].to_numpy()
    early = ~np.isnat(due) & ~np.isnat(start) & (due < start)
    yield from rules.each(early, "error", "task.due_before_start", "due", tasks["due"], start=tasks["start"])
    yield from _duplicates(rules, tasks)


def _duplicates(rules: _Rules, tasks: pd.DataFrame) -> Iterator[Issue]:
    keys = tasks["key"].tolist()
    if len(set(keys)) == len(keys):  # the usual case, found faster than by pandas
        return
    has_id = ~_blank(tasks["id"]) & tasks["key"].duplicated(keep=False).to_numpy()
    if not has_id.any():
        return
    first_row = tasks[has_id].groupby("key")["row"].transform("min").reindex(tasks.index)
    later = has_id & (tasks["row"] != first_row)
    yield from rules.each(
        later, "error", "task.duplicate_id", "id", tasks["id"], first_row=first_row.fillna(0).astype("int64")
    )


def _warnings(
    rules: _Rules,
    tasks: pd.DataFrame,
    header: Header,
    phases: tuple[Phase, ...],
    unreadable_due: Set[tuple[str, int | None]],
    sheets: tuple[str, ...],
) -> Iterator[Issue]:
    done = (tasks["status"] == DONE).to_numpy()
    if "id" not in header.fields:
        yield from (Issue("warning", "sheet.no_id_column", sheet, header.row + 1) for sheet in sheets)
    if "evidence" in header.fields:
        yield from rules.each(done & _blank(tasks["evidence"]), "warning", "task.done_no_evidence", "evidence")
    if "completed_on" in header.fields:
        yield from rules.each(
            done & np.isnat(tasks["completed_on"].to_numpy()),
            "warning",
            "task.done_no_completion_date",
            "completed_on",
        )
    if done.any() and not {"evidence", "completed_on"} & header.fields:
        yield from (Issue("warning", "sheet.no_evidence_column", sheet, header.row + 1) for sheet in sheets)
    progress = tasks["progress"].to_numpy()
    full = (progress >= 100) & ~done & (tasks["status"] != ONGOING).to_numpy()
    low = done & (progress < 100)
    percent = np.full(len(tasks), "", dtype=object)  # the progress quoted, formatted in the rows quoted only
    percent[full | low] = [f"{value:g}%" for value in progress[full | low].tolist()]
    yield from rules.each(full, "warning", "task.full_progress_not_done", "progress", percent)
    yield from rules.each(low, "warning", "task.done_progress_low", "progress", percent)
    if "due" in header.fields:
        reported = np.zeros(len(tasks), dtype=bool)
        if unreadable_due:
            reported[:] = [
                (sheet, row) in unreadable_due for sheet, row in zip(rules.sheets, tasks["row"], strict=True)
            ]
        due = np.isnat(tasks["due"].to_numpy())
        no_due = due & ~tasks["long_term"].to_numpy() & ~_blank(tasks["measure"]) & ~reported
        yield from rules.each(no_due, "warning", "task.no_due", "due")
    else:
        yield from (Issue("warning", "sheet.no_due_column", sheet, header.row + 1) for sheet in sheets)
    if phases:
        yield from _outside_phases(rules, tasks, phases)


def _outside_phases(rules: _Rules, tasks: pd.DataFrame, phases: tuple[Phase, ...]) -> Iterator[Issue]:
    for field in ("start", "due"):
        days = tasks[field].to_numpy()
        inside = np.zeros(len(days), dtype=bool)
        for phase in phases:
            inside |= (days >= np.datetime64(phase.start)) & (days <= np.datetime64(phase.end))
        yield from rules.each(~np.isnat(days) & ~inside, "warning", "task.outside_phases", field, tasks[field])
