"""Figures across versions: each version's completion and overdue count, and the trend against the plan's pace."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from ledger import metrics
from ledger.model import Phase

if TYPE_CHECKING:
    from ledger.store import Version
from ledger.vocab import DONE


def _counted(history: pd.DataFrame) -> pd.DataFrame:
    """history with the per-task flags the counts below sum up, each from its definition in ledger.metrics."""
    day = pd.to_datetime(history["report_date"]).astype("datetime64[s]")
    return history.assign(
        done=history["status"].eq(DONE), finishing=metrics.can_finish(history), late=metrics.overdue_mask(history, day)
    )


def _planned(history: pd.DataFrame, phases: tuple[Phase, ...]) -> pd.Series:
    """metrics.planned_pct of every version on its own report date, by version_id."""
    if not phases:
        return pd.Series(dtype="float64")
    day = pd.to_datetime(history["report_date"]).astype("datetime64[s]")
    shares = metrics.planned_shares(phases, history, day).where(metrics.can_finish(history))
    return shares.groupby(history["version_id"]).mean()


def _summed(flags: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    table = flags.groupby(by, sort=False).agg(
        report_date=("report_date", "first"),
        tasks=("status", "size"),
        done=("done", "sum"),
        finishing=("finishing", "sum"),
        overdue=("late", "sum"),
    )
    table["completion_pct"] = metrics.pct_of(table["done"], table["finishing"])
    return table.reset_index()


def version_table(history: pd.DataFrame) -> pd.DataFrame:
    """Per version (Store.history() rows): report date, measures, done, completion %, overdue on its report date."""
    columns = ["version_id", "report_date", "tasks", "done", "completion_pct", "overdue"]
    if history.empty:
        return pd.DataFrame(columns=columns)
    table = _summed(_counted(history), ["version_id"])
    return table.sort_values(["report_date", "version_id"])[columns].reset_index(drop=True)


def version_rows(versions: Sequence[Version], figures: pd.DataFrame) -> list[dict]:
    """Each version in the given order (newest first, as listed) with its figures, one definition for the history
    page and `history --json`: {version (its id), number, unit_id, report_date, uploaded_at, uploaded_by, files,
    note, tasks (all its measures), completion_pct, overdue}; `figures` by version_id (version_table's, or the
    command line's summary of each), None where a version has none."""
    shown = figures.set_index("version_id") if "version_id" in figures else figures
    completion, overdue = shown["completion_pct"].to_dict(), shown["overdue"].to_dict()
    return [
        {
            "version": version.id,
            "number": version.number,
            "unit_id": version.unit_id,
            "report_date": version.report_date,
            "uploaded_at": version.uploaded_at,
            "uploaded_by": version.uploaded_by,
            "files": list(version.file_names),
            "note": version.note,
            "tasks": version.task_count,
            "completion_pct": completion.get(version.id),
            "overdue": overdue.get(version.id),
        }
        for version in versions
    ]


def trend_points(history: pd.DataFrame, phases: tuple[Phase, ...], overall: str) -> pd.DataFrame:
    """Completion % per version and report date, overall (series `overall`, with the planned pace of `phases`)
    and per category; for ledger.figures.trend."""
    columns = ["report_date", "series", "completion_pct", "planned_pct"]
    if history.empty:
        return pd.DataFrame(columns=columns)
    flags = _counted(history)
    total = _summed(flags, ["version_id"]).sort_values(["report_date", "version_id"])
    total["planned_pct"] = total["version_id"].map(_planned(history, phases))
    total["series"] = overall
    parts = _summed(flags, ["version_id", "category"]).rename(columns={"category": "series"})
    parts["planned_pct"] = None
    parts = parts.sort_values(["report_date", "version_id"], kind="stable")
    return pd.concat([total[columns], parts[columns]], ignore_index=True)
