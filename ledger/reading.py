"""Reading a ledger: file bytes in, tasks, phases, report date and the full report of problems out."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date

from ledger.checks import check_tasks
from ledger.dates import DateReader, years_in
from ledger.layout import assign_roles, fill_merged, find_report_date, is_footer_line
from ledger.model import Issue, Ledger, Phase, empty_tasks
from ledger.phases import read_phases
from ledger.tasks import read_tasks
from ledger.workbook import DEFAULT_LIMITS, Limits, RawSheet, read_file


def load_ledger(
    files: Sequence[tuple[str, bytes]],
    received_on: date,
    *,
    fallback_phases: Sequence[Phase] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Ledger:
    """Read one workbook, or a tasks file and a phases file, as (file name, bytes) pairs.

    `received_on` is the report date when the ledger states none; `fallback_phases` stand in when it has no
    phases sheet (the previous version's). Bad data never raises: it ends up in `Ledger.issues`.
    """
    with _no_gc_pauses():
        sheets: list[RawSheet] = []
        issues: list[Issue] = []
        for name, data in files:
            result = read_file(data, name, limits)
            sheets.extend(result.sheets)
            issues.extend(result.issues)
        if issues:
            return Ledger(empty_tasks(), (), received_on, False, tuple(issues))
        for sheet in sheets:
            fill_merged(sheet)
        return _read_sheets(sheets, received_on, fallback_phases)


@contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """A big sheet is millions of short-lived cell objects and no cycles: the cyclic collector would only rescan
    them again and again (a third of the reading time at 100k rows)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _default_year(sheets: list[RawSheet], received_on: date) -> int:
    """The year that year-less dates (5月31日, 5.31) belong to: the one the ledger's own dates mostly state."""
    sample = [cell for sheet in sheets for row in sheet.rows[:2000] for cell in row]
    years = Counter(year for year in years_in(sample) if 1990 <= year <= 2100)
    return years.most_common(1)[0][0] if years else received_on.year


def _report_date(roles, default_year: int) -> date | None:
    """The date written above the header or in the footer of the tasks or phases sheet, else in 说明."""
    for role in (roles.tasks, roles.phases):
        if role:
            sheet, header = role
            found = find_report_date(sheet.rows[: header.row], default_year)
            footer = [row for row in sheet.rows[header.row + 1:][-8:] if is_footer_line(row)]
            found = found or find_report_date(footer, default_year)
            if found:
                return found
    if roles.meta is not None:
        return find_report_date(roles.meta.rows, default_year, anywhere=False)
    return None


def _read_sheets(sheets: list[RawSheet], received_on: date, fallback_phases) -> Ledger:
    roles = assign_roles(sheets)
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
        phases, phase_issues = read_phases(*roles.phases, dates)
        issues.extend(phase_issues)
    if not phases and not phase_issues:  # no phases sheet, or one with nothing under its header
        if fallback_phases:
            phases = tuple(fallback_phases)
            issues.append(Issue("warning", "ledger.phases_from_previous"))
        else:
            issues.append(Issue("warning", "ledger.no_phases"))
    tasks_sheet, tasks_header = roles.tasks
    tasks, task_issues = read_tasks(tasks_sheet, tasks_header, dates, phases)
    if tasks.empty:
        issues.append(Issue("error", "ledger.no_tasks", tasks_sheet.name, tasks_header.row + 1))
    unreadable_due = {i.row for i in task_issues
                      if i.code in ("task.bad_date", "task.formula_error") and i.column == tasks_header.written("due")}
    row_issues = task_issues + check_tasks(tasks, tasks_sheet.name, tasks_header, phases, unreadable_due)
    issues.extend(sorted(row_issues, key=lambda issue: (issue.row or 0, not issue.is_error)))
    return Ledger(tasks, phases, report_date, found_date is not None, tuple(issues),
                  matched_by_id="id" in tasks_header.fields)
