"""The ledger's figures and problems as plain data: the JSON of `python -m ledger summary`, tables, exports."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from ledger import metrics
from ledger.i18n import translate
from ledger.lights import counts as light_counts
from ledger.lights import lights
from ledger.model import EXTRA, EXTRA_PREFIX, IGNORE, RESPONSIBILITY_FIELDS, ColumnChoice, Issue, Ledger, extras
from ledger.vocab import CLAIMED, DONE, OPEN, REQUESTED, RETURNED, VERIFIED, accepted_status_words


def rounded(value: float | None) -> float | None:
    """Percentages are reported to one decimal."""
    return None if value is None or value != value else round(float(value), 1)


def issue_message(issue: Issue, lang: str) -> str:
    params = {
        "value": issue.value,
        "sheet": issue.sheet,
        "row": issue.row,
        "column": issue.column,
        **dict(issue.params),
    }
    if issue.code == "task.bad_status":
        params["accepted"] = accepted_status_words(lang)
    if "field" in params:
        params["field_label"] = field_label(str(params["field"]), lang)
    return translate(issue.code, lang, **params)


def column_name(name: str, lang: str) -> str:
    """A task-table column in words: an extra field by its own header, a field by its name in the UI language."""
    return name[len(EXTRA_PREFIX) :] if name.startswith(EXTRA_PREFIX) else translate(f"field.{name}", lang)


def status_words(tasks: pd.DataFrame, lang: str) -> pd.Series:
    """Each measure's status as the pages and the exported workbook word it: its status, but done and not closed
    (销号 open or requested) as 已完成待销号; with closure review, a claim awaiting review and a return with its
    reason. Each word is made once per distinct value (a column holds few of them)."""
    status = tasks["status"]
    words = status.map({s: translate(f"status.{s}", lang) for s in pd.unique(status.to_numpy())}).astype(object)
    closure = tasks["closure"] if "closure" in tasks else pd.Series("", index=tasks.index)
    done = status == DONE
    words = words.where(~(done & closure.isin((OPEN, REQUESTED))), translate("status.done_not_closed", lang))
    if "review" in tasks:
        words = words.where(~(done & tasks["review"].eq(CLAIMED)), translate("status.done_claimed", lang))
        returned = tasks["review"].eq(RETURNED)
        if returned.any():
            reason = tasks["review_reason"]
            said = {r: translate("status.returned", lang, reason=r) for r in pd.unique(reason[returned].to_numpy())}
            words = words.where(~returned, reason.map(said))
    return words


def field_label(field: str, lang: str) -> str:
    """What a column can be read as, in words: a task field's name, "extra field" or "ignore"."""
    return translate(f"column.{field}" if field in (EXTRA, IGNORE) else f"field.{field}", lang)


def reason_text(choice: ColumnChoice, lang: str) -> str:
    """Why a column is read as it is, in words: "the header contains 措施; the cells are text"."""
    parts = []
    for reason in choice.reasons:
        params = dict(reason.params)
        if "what" in params:
            params["what"] = translate(f"column.why.{params['what']}", lang)
        if "field" in params:
            params["field_label"] = field_label(str(params["field"]), lang)
        parts.append(translate(f"column.why.{reason.code}", lang, **params))
    return ("；" if lang == "zh" else "; ").join(parts)


def column_records(ledger: Ledger, lang: str) -> list[dict]:
    """How each column of the tasks sheet is read (`python -m ledger columns --json`): {column, header, field,
    confidence, reason, sample}; field is a task field, "extra" or "ignored"."""
    return [
        {
            "column": choice.letter,
            "header": choice.header,
            "field": "ignored" if choice.field == IGNORE else choice.field,
            "confidence": round(choice.confidence, 2),
            "reason": reason_text(choice, lang),
            "sample": list(choice.sample),
        }
        for choice in ledger.columns
    ]


def issue_records(issues: list[Issue], lang: str) -> list[dict]:
    """Issues as {"sheet","row","column","value","message"} records, in the order found."""
    return [
        {"sheet": i.sheet, "row": i.row, "column": i.column, "value": i.value, "message": issue_message(i, lang)}
        for i in issues
    ]


def task_records(
    tasks: pd.DataFrame, as_of: date, details: bool = False, shown_lights: pd.Series | None = None
) -> list[dict]:
    """Tasks as {"id","category","measure","due","days_overdue","leader","department","owner"} records, with
    "light" when lights are given; with `details` (the Excel exports), also each measure's problem and goal."""
    due = tasks["due"].to_numpy()
    blank = pd.isna(due)
    days = metrics.days_past_due(tasks["due"], as_of).fillna(0).astype("int64").to_numpy()
    columns = {
        **({"unit": tasks["unit"].tolist()} if "unit" in tasks else {}),  # all units together (ledger.rollup)
        "id": tasks["id"].tolist(),
        "category": tasks["category"].tolist(),
        "measure": tasks["measure"].tolist(),
        "due": np.where(blank, np.array(None, dtype=object), np.datetime_as_string(due, unit="D")).tolist(),
        "days_overdue": [None if b else int(d) for b, d in zip(blank.tolist(), days.tolist(), strict=True)],
        **{name: tasks[name].tolist() for name in RESPONSIBILITY_FIELDS},
        **({name: tasks[name].tolist() for name in ("problem", "goal")} if details else {}),
        **({"light": shown_lights.reindex(tasks.index).tolist()} if shown_lights is not None else {}),
    }
    return [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def summary(
    ledger: Ledger,
    as_of: date | None = None,
    lang: str = "zh",
    tasks: pd.DataFrame | None = None,
    thresholds: metrics.Thresholds = metrics.DEFAULT_THRESHOLDS,
    group_by: str | None = None,
) -> dict:
    """Every figure of the README's "Figures" and the lights for the ledger on as_of (default: its report date);
    with `group_by` (an extra field of text), the same figures per its value as `groups`."""
    as_of = as_of or ledger.report_date
    tasks = ledger.tasks if tasks is None else tasks
    categories = metrics.by_category(tasks, as_of)
    shown = lights(tasks, ledger.phases, as_of, thresholds)
    found = extras(tasks)
    grouped = (
        {"group_by": group_by, "groups": group_records(metrics.by_group(tasks, as_of, EXTRA_PREFIX + group_by))}
        if group_by
        else {}
    )
    return {
        "as_of": as_of.isoformat(),
        "tasks": len(tasks),
        "by_status": metrics.status_counts(tasks),
        "completion_pct": rounded(metrics.completion_pct(tasks)),
        "verified_pct": rounded(metrics.verified_pct(tasks)),
        "review": review_counts(tasks),
        "categories": group_records(categories),
        **grouped,
        "extras": [{"name": e.name, "kind": e.kind} for e in found],
        "amounts": [amount_record(tasks, name) for name in metrics.amount_fields(tasks)],
        "phases": [
            {
                "name": s.name,
                "start": s.phase.start.isoformat(),
                "end": s.phase.end.isoformat(),
                "state": s.state,
                "completion_pct": rounded(s.completion_pct),
            }
            for s in metrics.phase_states(ledger.phases, tasks, as_of, thresholds.behind_points)
        ],
        "thresholds": {"due_soon_days": thresholds.due_soon_days, "behind_points": thresholds.behind_points},
        "lights": light_counts(shown),
        "overdue": task_records(metrics.overdue(tasks, as_of), as_of, shown_lights=shown),
        "due_soon": task_records(metrics.due_soon(tasks, as_of, thresholds.due_soon_days), as_of, shown_lights=shown),
        "errors": issue_records(ledger.errors, lang),
        "warnings": issue_records(ledger.warnings, lang),
    }


def group_records(table: pd.DataFrame) -> list[dict]:
    """metrics.by_group's rows as `summary --json` gives categories: {name, tasks, done, verified, completion_pct,
    verified_pct, overdue}."""
    return [
        {
            "name": c["name"],
            "tasks": int(c["tasks"]),
            "done": int(c["done"]),
            "verified": int(c["verified"]),
            "completion_pct": rounded(c["completion_pct"]),
            "verified_pct": rounded(c["verified_pct"]),
            "overdue": int(c["overdue"]),
        }
        for c in table.to_dict("records")
    ]


def review_counts(tasks: pd.DataFrame) -> dict[str, int]:
    """How many measures are claimed (reported done, awaiting review), verified and returned."""
    states = metrics.review_states(tasks)
    return {state: int(states.eq(state).sum()) for state in (CLAIMED, VERIFIED, RETURNED)}


def amount_record(tasks: pd.DataFrame, name: str) -> dict:
    """A number extra field totalled (metrics.amounts): {name, total, done, not_done, categories: [{name, total,
    done, not_done}]}, and `units` likewise for all units together."""

    def rows(table: pd.DataFrame) -> list[dict]:
        return [
            {"name": r["name"], **{k: round(float(r[k]), 2) for k in ("total", "done", "not_done")}}
            for r in table.to_dict("records")
        ]

    whole = rows(metrics.amounts(tasks, name))[0]
    by_unit = {"units": rows(metrics.amounts(tasks, name, "unit"))} if "unit" in tasks else {}
    return {**whole, "name": name, "categories": rows(metrics.amounts(tasks, name, "category")), **by_unit}


def check_text(ledger: Ledger, lang: str = "zh") -> str:
    """The error and warning report as lines of text, as `python -m ledger check` prints it."""
    lines = []
    for issue in ledger.errors + ledger.warnings:
        kind = translate("report.error" if issue.is_error else "report.warning", lang)
        where = " ".join(
            part
            for part in (
                issue.sheet,
                translate("cli.row", lang, row=issue.row) if issue.row else "",
                f"[{issue.column}]" if issue.column else "",
            )
            if part
        )
        value = f" “{issue.value}”" if issue.value else ""
        lines.append(f"{kind}: {where}{value}: {issue_message(issue, lang)}".replace(":  ", ": "))
    lines.append(
        translate("report.summary", lang, errors=len(ledger.errors), warnings=len(ledger.warnings))
        if ledger.issues
        else translate("report.clean", lang)
    )
    return "\n".join(lines)
