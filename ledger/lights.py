"""Status lights (红黄绿灯): exactly one per measure, from the figures' own definitions (README "Status lights").

红 red: overdue. 黄 yellow: due within the due-soon window, or behind its planned pace — the share of its phase's
time gone (or of its own start → due span) exceeds its progress by more than the behind threshold. 绿 green: on
track. Done and ongoing measures carry neutral marks of their own. Every light has a word and a symbol as well as a
colour: people print in black and white, and some do not tell red from green."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from ledger import metrics
from ledger.model import Phase
from ledger.vocab import DONE, ONGOING

RED, YELLOW, GREEN, DONE_MARK, ONGOING_MARK = "red", "yellow", "green", "done", "ongoing"
LIGHTS = (RED, YELLOW, GREEN, DONE_MARK, ONGOING_MARK)
COLORS = {RED: "#C62828", YELLOW: "#F9A825", GREEN: "#2E7D32", DONE_MARK: "#B0BEC5", ONGOING_MARK: "#D7CCC8"}
TINTS = {RED: "#FFCDD2", YELLOW: "#FFF59D", GREEN: "#C8E6C9", DONE_MARK: "#ECEFF1", ONGOING_MARK: "#EFEBE9"}  # fills
SYMBOLS = {RED: "■", YELLOW: "▲", GREEN: "●", DONE_MARK: "✓", ONGOING_MARK: "◎"}  # all in the bundled font


def lights(
    tasks: pd.DataFrame,
    phases: tuple[Phase, ...],
    as_of: date,
    thresholds: metrics.Thresholds = metrics.DEFAULT_THRESHOLDS,
) -> pd.Series:
    """Each measure's light (LIGHTS), indexed like `tasks`."""
    if tasks.empty:
        return pd.Series([], index=tasks.index, dtype=object)
    status = tasks["status"]
    red = metrics.overdue_mask(tasks, as_of)
    start, end = pd.Timestamp(as_of), pd.Timestamp(as_of + timedelta(days=thresholds.due_soon_days))
    soon = tasks["due"].notna() & (tasks["due"] >= start) & (tasks["due"] < end)
    gone = metrics.planned_shares(phases, tasks, as_of)
    behind = (gone - tasks["progress"].fillna(0)) > thresholds.behind_points
    chosen = np.select(
        [status.eq(DONE).to_numpy(), status.eq(ONGOING).to_numpy(), red.to_numpy(), (soon | behind).to_numpy()],
        [DONE_MARK, ONGOING_MARK, RED, YELLOW],
        default=GREEN,
    )
    return pd.Series(chosen, index=tasks.index, dtype=object)


def counts(shown: pd.Series) -> dict[str, int]:
    """How many measures carry each light, in LIGHTS order."""
    found = shown.value_counts()
    return {light: int(found.get(light, 0)) for light in LIGHTS}
