"""Figures across versions: each version's completion and overdue count, and the trend against the plan's pace."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd

from ledger import metrics
from ledger.model import Phase


def _per_version(history: pd.DataFrame, figure: Callable[[pd.DataFrame, date], object]) -> pd.Series:
    return pd.Series({vid: figure(group, group["report_date"].iloc[0])
                      for vid, group in history.groupby("version_id", sort=True)}, dtype=object)


def version_table(history: pd.DataFrame) -> pd.DataFrame:
    """Per version (Store.history() rows): report date, measures, done, completion %, overdue on its report date."""
    if history.empty:
        return pd.DataFrame(columns=["version_id", "report_date", "tasks", "done", "completion_pct", "overdue"])
    table = pd.DataFrame({
        "report_date": _per_version(history, lambda g, d: d),
        "tasks": _per_version(history, lambda g, d: len(g)),
        "done": _per_version(history, lambda g, d: metrics.status_counts(g)["done"]),
        "completion_pct": _per_version(history, lambda g, d: metrics.completion_pct(g)),
        "overdue": _per_version(history, lambda g, d: len(metrics.overdue(g, d))),
    })
    return table.rename_axis("version_id").reset_index()


def trend_points(history: pd.DataFrame, phases: tuple[Phase, ...], overall: str) -> pd.DataFrame:
    """Completion % per version and report date, overall (series `overall`, with the planned pace of `phases`)
    and per category; for ledger.figures.trend."""
    rows = []
    for _vid, group in history.groupby("version_id", sort=True):
        day = group["report_date"].iloc[0]
        rows.append({"report_date": day, "series": overall, "completion_pct": metrics.completion_pct(group),
                     "planned_pct": metrics.planned_pct(phases, group, day)})
        for category, part in group.groupby("category", sort=False):
            rows.append({"report_date": day, "series": category, "completion_pct": metrics.completion_pct(part),
                         "planned_pct": None})
    return pd.DataFrame(rows, columns=["report_date", "series", "completion_pct", "planned_pct"])
