"""Status lights (红黄绿灯): exactly one per measure, from the figures' own definitions.

红 red: overdue. 黄 yellow: due within the due-soon window, or behind its planned pace — the share of its phase's
time gone (or of its own start → due span) exceeds its progress by more than the behind threshold. 绿 green: on
track. Done and ongoing measures carry neutral marks of their own: a measure reported done carries the done mark
once it is verified (已销号), and until then the done mark with a sign of its own (待审核), so that nobody takes a claim
for a verified measure; a returned claim is not done, and lit like any open measure. Every light has a word and a symbol as well as a
colour: people print in black and white, and some do not tell red from green."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from ledger import metrics
from ledger.model import Phase
from ledger.vocab import DONE, ONGOING, VERIFIED

RED, YELLOW, GREEN, DONE_MARK, ONGOING_MARK = "red", "yellow", "green", "done", "ongoing"
CLAIMED_MARK = "claimed"  # reported done, not yet verified (待审核): the done mark with a sign of its own
LIGHTS = (RED, YELLOW, GREEN, CLAIMED_MARK, DONE_MARK, ONGOING_MARK)
COLORS = {
    RED: "#C62828",
    YELLOW: "#F9A825",
    GREEN: "#2E7D32",
    CLAIMED_MARK: "#78909C",
    DONE_MARK: "#B0BEC5",
    ONGOING_MARK: "#D7CCC8",
}
TINTS = {  # fills
    RED: "#FFCDD2",
    YELLOW: "#FFF59D",
    GREEN: "#C8E6C9",
    CLAIMED_MARK: "#ECEFF1",
    DONE_MARK: "#ECEFF1",
    ONGOING_MARK: "#EFEBE9",
}
SYMBOLS = {RED: "■", YELLOW: "▲", GREEN: "●", CLAIMED_MARK: "✓?", DONE_MARK: "✓", ONGOING_MARK: "◎"}  # bundled font


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
    verified = metrics.review_states(tasks).eq(VERIFIED).to_numpy()
    done = status.eq(DONE).to_numpy()
    chosen = np.select(
        [done & verified, done, status.eq(ONGOING).to_numpy(), red.to_numpy(), (soon | behind).to_numpy()],
        [DONE_MARK, CLAIMED_MARK, ONGOING_MARK, RED, YELLOW],
        default=GREEN,
    )
    return pd.Series(chosen, index=tasks.index, dtype=object)


def counts(shown: pd.Series) -> dict[str, int]:
    """How many measures carry each light, in LIGHTS order."""
    found = shown.value_counts()
    return {light: int(found.get(light, 0)) for light in LIGHTS}
