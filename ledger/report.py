"""The ledger's figures and problems as plain data: the JSON of `python -m ledger summary`, tables, exports."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from ledger import metrics
from ledger.i18n import translate
from ledger.lights import counts as light_counts
from ledger.lights import lights
from ledger.model import RESPONSIBILITY_FIELDS, Issue, Ledger
from ledger.vocab import accepted_status_words


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
    return translate(issue.code, lang, **params)


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
    days = (np.datetime64(as_of, "D") - due.astype("datetime64[D]")).astype("int64")
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
) -> dict:
    """Every figure of the README's "Figures" and the lights for the ledger on as_of (default: its report date)."""
    as_of = as_of or ledger.report_date
    tasks = ledger.tasks if tasks is None else tasks
    categories = metrics.by_category(tasks, as_of)
    shown = lights(tasks, ledger.phases, as_of, thresholds)
    return {
        "as_of": as_of.isoformat(),
        "tasks": len(tasks),
        "by_status": metrics.status_counts(tasks),
        "completion_pct": rounded(metrics.completion_pct(tasks)),
        "categories": [
            {
                "name": c["name"],
                "tasks": int(c["tasks"]),
                "done": int(c["done"]),
                "completion_pct": rounded(c["completion_pct"]),
                "overdue": int(c["overdue"]),
            }
            for c in categories.to_dict("records")
        ],
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
