"""The closed sets of words an Issue is made of: its level and its code. Each code is also the key of its message
in the i18n table (ledger.i18n), so the values are stored, printed (`check --json`) and translated as they are;
the Literal types let mypy check every code where an issue is made."""

from __future__ import annotations

from typing import Literal, TypeAlias, get_args

Level: TypeAlias = Literal["error", "warning"]
"""An "error" blocks publishing; a "warning" is shown."""

IssueCode: TypeAlias = Literal[
    # The file itself is refused (ledger.intake.precheck.refusal): too large, wrong type, unsafe, unreadable …
    "file.corrupt",
    "file.crashed",
    "file.empty",
    "file.encoding",
    "file.encrypted",
    "file.line_too_long",
    "file.macro",
    "file.name_too_long",
    "file.needs_libreoffice",
    "file.reader_unavailable",
    "file.tables_too_deep",
    "file.too_large",
    "file.too_many_cells",
    "file.too_many_columns",
    "file.too_many_lines",
    "file.too_many_merged",
    "file.too_many_parts",
    "file.too_many_rows",
    "file.too_many_sheets",
    "file.too_much_memory",
    "file.too_slow",
    "file.type",
    "file.unpacked_too_large",
    "file.unreadable_value",
    "file.unsafe_xml",
    # A plan document (ledger.intake.plan_document, ledger.intake.plan_reading)
    "plan.no_measures",
    "plan.text_too_long",
    "plan.unplaced",
    # The ledger as a whole (ledger.intake.reading, ledger.publishing)
    "ledger.different_plan",
    "ledger.no_phases",
    "ledger.no_report_date",
    "ledger.no_tasks",
    "ledger.no_tasks_sheet",
    "ledger.phases_from_previous",
    "ledger.sheets_read",
    "ledger.task_sheet_not_read",
    # How a tasks sheet's columns are read (ledger.intake.columns)
    "column.conflict",
    "column.no_measure",
    "column.no_responsible",
    "column.unsure",
    "sheet.id_from_column",
    # A row of the phases sheet (ledger.intake.phases)
    "phase.bad_date",
    "phase.duplicate",
    "phase.end_before_start",
    "phase.no_dates",
    # A task sheet's columns (ledger.intake.checks, ledger.intake.tasks)
    "sheet.no_due_column",
    "sheet.no_evidence_column",
    "sheet.no_id_column",
    "sheet.unread_date_column",
    "sheet.unread_status_column",
    "sheet.unread_yes_no_column",
    # A task row's cells (ledger.intake.tasks, ledger.intake.checks)
    "task.ambiguous_date",
    "task.bad_closure",
    "task.bad_date",
    "task.bad_progress",
    "task.bad_status",
    "task.bad_yes_no",
    "task.blank_unit",
    "task.done_disagrees",
    "task.done_no_completion_date",
    "task.done_no_evidence",
    "task.done_progress_low",
    "task.due_before_start",
    "task.duplicate_id",
    "task.formula_error",
    "task.full_progress_not_done",
    "task.no_due",
    "task.no_measure",
    "task.no_responsible",
    "task.other_unit",
    "task.outside_phases",
    "task.progress_range",
    "task.too_long",
    "task.unknown_phase",
]

ISSUE_CODES: frozenset[str] = frozenset(get_args(IssueCode))
