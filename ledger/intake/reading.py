"""Reading a ledger: file bytes in, tasks, phases, report date and the full report of problems out."""

from __future__ import annotations

import logging
import traceback
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import TypeVar, overload

import pandas as pd

from ledger.dates import DateReader, years_in
from ledger.intake import guard
from ledger.intake.checks import check_tasks
from ledger.intake.columns import shape_of
from ledger.intake.guard import DEFAULT_LIMITS, Failure, Limits
from ledger.intake.layout import assign_roles, fill_merged, find_report_date, is_footer_line, title_and_unit
from ledger.intake.phases import read_phases
from ledger.intake.precheck import check_bytes, kind_of, refusal
from ledger.intake.tasks import read_tasks, unread_columns
from ledger.intake.workbook import BODY_SHEET, diagnose, read_file
from ledger.model import TASK_COLUMNS, Issue, Ledger, Phase, RawSheet, empty_tasks, extra_text, fill_text, status_column
from ledger.text import fold

log = logging.getLogger(__name__)
Files = Sequence[tuple[str, bytes]]
T = TypeVar("T")


@overload
def load_ledger(
    files: Files,
    received_on: date,
    *,
    fallback_phases: Sequence[Phase] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    columns: Mapping[str, str] | None = None,
) -> Ledger: ...


@overload
def load_ledger(
    files: Files,
    received_on: date,
    *,
    fallback_phases: Sequence[Phase] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    columns: Mapping[str, str] | None = None,
    then: Callable[[Ledger], T],
) -> T: ...


def load_ledger(files, received_on, *, fallback_phases=None, limits=DEFAULT_LIMITS, columns=None, then=None):
    """Read one workbook, or a tasks file and a phases file, as (file name, bytes) pairs — through the guarded
    path: cheap checks here, the parsing in a worker process under `limits` (README "Limits").

    `received_on` is the report date when the ledger states none; `fallback_phases` stand in when it has no
    phases sheet (the previous version's); `columns` is a person's choice of the tasks sheet's columns (each header,
    as ledger.intake.columns.key_of folds it → a task field, "extra" or "ignore"), given now or remembered with the
    plan: it wins over reading by meaning. Bad data never raises: it ends up in `Ledger.issues`, and a file that
    exhausts the worker's memory or time is refused with a message, while this process goes on.

    With `then` (a function importable by name, or a functools.partial of one), the value is `then(ledger)`,
    worked out in the worker: a command that prints figures receives its text, not 100,000 rows. An exception
    in `then` is raised here, as a RuntimeError with the worker's traceback.
    """
    files = list(files)
    refused = [issue for name, data in files if (issue := check_bytes(data, name, limits)) is not None]
    if refused:
        return _finish(_refused(refused, received_on), then)
    phases = tuple(fallback_phases) if fallback_phases else None
    mapping = dict(columns) if columns else None
    if then is None:
        result = guard.run(read_ledger, (files, received_on, phases, limits, mapping), limits)
    else:
        result = guard.run(_read_then, (files, received_on, phases, limits, mapping, then), limits)
    if isinstance(result, Failure):
        return _finish(_refused([_failure_issue(result, files, limits)], received_on), then)
    if isinstance(result, _Raised):
        raise RuntimeError(f"in the reading worker:\n{result.trace}")
    return result


@dataclass(frozen=True)
class _Raised:
    """What `then` raised in the worker, to be raised again by the caller (not taken for a file that crashed)."""

    trace: str


def _read_then(files: Files, received_on: date, fallback_phases, limits: Limits, mapping, then: Callable[[Ledger], T]):
    """In the worker: read, then work out `then(ledger)`; only that is sent back."""
    ledger = read_ledger(files, received_on, fallback_phases, limits, mapping)
    try:
        return then(ledger)
    except Exception:
        return _Raised(traceback.format_exc())


def _finish(ledger: Ledger, then: Callable[[Ledger], T] | None):
    return ledger if then is None else then(ledger)


def _refused(issues: list[Issue], received_on: date) -> Ledger:
    return Ledger(empty_tasks(), (), received_on, False, tuple(issues))


def _failure_issue(failure: Failure, files: list[tuple[str, bytes]], limits: Limits) -> Issue:
    """The refusal for a worker that gave no answer; after running out of memory, an xlsx is measured to name the
    sheet and cell that reach too far, when that was the cause."""
    names = "、".join(name for name, _ in files)
    log.warning("ledger worker failed reading %s: %s %s", names, failure.reason, failure.detail[-300:])
    if failure.reason == "memory":
        for name, data in files:
            if kind_of(data, name) == "zip":
                found = guard.run(diagnose, (data, name, limits), limits)
                if isinstance(found, Issue):
                    return found
        return refusal("file.too_much_memory", names, limit=limits.memory_mib)
    if failure.reason == "time":
        return refusal("file.too_slow", names, limit=limits.cpu_seconds)
    if failure.reason == "unavailable":
        return refusal("file.reader_unavailable", names)
    return refusal("file.crashed", names)


def read_ledger(
    files: Files,
    received_on: date,
    fallback_phases: Sequence[Phase] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    columns: Mapping[str, str] | None = None,
) -> Ledger:
    """load_ledger's work, in this process and without its worker: what the worker runs (and the benchmark's
    in-process figure)."""
    sheets: list[RawSheet] = []
    issues: list[Issue] = []
    for name, data in files:
        result = read_file(data, name, limits)
        sheets.extend(result.sheets)
        issues.extend(result.issues)
    if issues:
        return _refused(issues, received_on)
    for sheet in sheets:
        fill_merged(sheet)
    return _read_sheets(sheets, received_on, fallback_phases, limits, columns)


YEAR_SAMPLE_ROWS = 2000  # rows, all sheets together, whose dates say which year the ledger is in


def _default_year(sheets: list[RawSheet], received_on: date) -> int:
    """The year that year-less dates (5月31日, 5.31) belong to: the one the ledger's own dates mostly state."""
    rows = [row for sheet in sheets for row in sheet.rows[:YEAR_SAMPLE_ROWS]][:YEAR_SAMPLE_ROWS]
    sample = [cell for row in rows for cell in row]
    years = Counter(year for year in years_in(sample) if 1990 <= year <= 2100)
    return years.most_common(1)[0][0] if years else received_on.year


def _report_date(roles, default_year: int) -> date | None:
    """The date written above the header, in a header cell or in the footer of the tasks or phases sheet, else in
    说明 (or a Word ledger's paragraphs); on a line of its own or beside other fields."""
    for role in (*roles.all_tasks, roles.phases):
        if role:
            sheet, header = role
            found = find_report_date(sheet.rows[: header.row + 1], default_year)  # a header cell may state it
            footer = [row for row in sheet.rows[header.row + 1 :][-8:] if is_footer_line(row)]
            found = found or find_report_date(footer, default_year)
            if found:
                return found
    if roles.meta is not None:
        return find_report_date(roles.meta.rows, default_year, anywhere=False)
    return None


def _read_sheets(
    sheets: list[RawSheet], received_on: date, fallback_phases, limits: Limits, columns: Mapping[str, str] | None
) -> Ledger:
    roles = assign_roles(sheets, columns)
    if roles.tasks is None:
        seen = "、".join(sheet.name for sheet in sheets)
        issue = Issue("error", "ledger.no_tasks_sheet", value=seen)
        return Ledger(empty_tasks(), (), received_on, False, (issue,))
    default_year = _default_year(sheets, received_on)
    found_date = _report_date(roles, default_year)
    report_date = found_date or received_on
    issues: list[Issue] = []
    if found_date is None:
        issues.append(Issue("warning", "ledger.no_report_date", value=received_on.isoformat()))
    dates = DateReader(report_date.year if found_date else default_year)
    phases: tuple[Phase, ...] = ()
    phase_issues: list[Issue] = []
    if roles.phases is not None:
        phases, phase_issues = read_phases(*roles.phases, dates, limits.max_cell_chars)
        issues.extend(phase_issues)
    if not phases and not phase_issues:  # no phases sheet, or one with nothing under its header
        if fallback_phases:
            phases = tuple(fallback_phases)
            issues.append(Issue("warning", "ledger.phases_from_previous"))
        else:
            issues.append(Issue("warning", "ledger.no_phases"))
    tasks, row_issues = _read_task_sheets(roles, dates, phases, report_date, limits)
    issues += _sheet_notes(roles)
    if tasks.empty:
        sheet, header = roles.tasks
        issues.append(Issue("error", "ledger.no_tasks", sheet.name, header.row + 1))
    issues.extend(row_issues)
    above = roles.tasks[0].rows[: roles.tasks[1].row]
    if not above and roles.meta is not None and roles.meta.name == BODY_SHEET:  # a Word table: the text around it
        above = roles.meta.rows[:5]
    title, unit = title_and_unit(above)
    main = roles.tasks[1]
    return Ledger(
        tasks,
        phases,
        report_date,
        found_date is not None,
        tuple(issues),
        matched_by_id=all("id" in header.fields for _, header in roles.all_tasks),
        title=title or _file_title(roles.tasks[0]),
        unit=unit,
        columns=main.choices,
        shape=shape_of(main),
    )


def _file_title(sheet: RawSheet) -> str:
    return PurePath(sheet.file_name).stem if sheet.file_name else sheet.name


def _read_task_sheets(
    roles, dates: DateReader, phases: tuple[Phase, ...], report_date: date, limits: Limits
) -> tuple[pd.DataFrame, list[Issue]]:
    """Every tasks sheet read and checked on its own, then joined: with several (one per department), the
    sheet names a missing department, and ids count within their sheet."""
    several = len(roles.all_tasks) > 1
    groups: dict[tuple, list] = {}  # sheets sharing one header are checked together: one pass, not one per sheet
    cell_issues: list[Issue] = []
    for sheet, header in roles.all_tasks:
        tasks, task_issues = read_tasks(sheet, header, dates, phases, report_date, limits.max_cell_chars)
        if several and "department" not in header.fields:
            tasks["department"] = sheet.name
        if several:
            tasks["key"] = tasks["key"].where(
                ~tasks["key"].str.startswith("id:"), "id:" + sheet.name + "#" + tasks["key"].str.slice(3)
            )
        if "unit" in tasks:  # a group's ledger: ids count within their unit (each unit numbers 1, 2, 3 …)
            units = tasks["unit"].map(fold)
            tasks["key"] = tasks["key"].where(
                ~tasks["key"].str.startswith("id:"), "id:" + units + "#" + tasks["key"].str.slice(3)
            )
        cell_issues += list(header.notes) + task_issues + unread_columns(sheet, header)
        groups.setdefault(tuple(sorted(header.columns.items())), []).append((sheet, header, tasks))
    unreadable_due = {
        (i.sheet, i.row)
        for i in cell_issues
        if i.code in ("task.bad_date", "task.formula_error") and i.column == _written_due(roles, i.sheet)
    }
    found = list(cell_issues)
    for members in groups.values():
        joined = _joined([tasks for _, _, tasks in members])
        sheet, header, _ = members[0]
        found += check_tasks(joined, sheet.name, header, phases, unreadable_due, tuple(s.name for s, _, _ in members))
    order = {sheet.name: position for position, (sheet, _) in enumerate(roles.all_tasks)}
    issues = sorted(found, key=lambda issue: (order.get(issue.sheet, 0), issue.row or 0, not issue.is_error))
    return _joined([tasks for members in groups.values() for _, _, tasks in members], order), issues


def _written_due(roles, sheet_name: str) -> str:
    return next((header.written("due") for sheet, header in roles.all_tasks if sheet.name == sheet_name), "")


def _joined(parts: list[pd.DataFrame], order: dict[str, int] | None = None) -> pd.DataFrame:
    """Task tables of several sheets as one, in the workbook's sheet order."""
    if len(parts) == 1:
        return parts[0]
    if order:
        parts = sorted(parts, key=lambda part: order.get(part["sheet"].iloc[0] if len(part) else "", 0))
    kinds: dict[str, set[str]] = {}
    for part in parts:
        for name in part.columns.difference(list(TASK_COLUMNS)):
            kinds.setdefault(name, set()).add(part[name].dtype.kind)
    mixed = [name for name, found in kinds.items() if len(found) > 1]  # numbers in one sheet, text in another
    if mixed:
        parts = [part.assign(**{n: extra_text(part[n]) for n in mixed if n in part}) for part in parts]
    joined = pd.concat(parts, ignore_index=True)
    joined["status"] = status_column(joined["status"].astype(object).tolist())
    return fill_text(joined)


def _sheet_notes(roles) -> list[Issue]:
    """Never silent about sheets: which were read when there were several, and which look like tasks but were not."""
    notes = []
    if roles.more_tasks:
        notes.append(Issue("warning", "ledger.sheets_read", value="、".join(s.name for s, _ in roles.all_tasks)))
    main = roles.tasks[0].name
    notes += [
        Issue("warning", "ledger.task_sheet_not_read", sheet.name, value=sheet.name, params=(("read", main),))
        for sheet in roles.not_read
    ]
    return notes
