"""The roll-up page's Streamlit side: each unit's figures, cached per change to the plan's versions, and the
drill-down that shows every page for the clicked unit."""

from __future__ import annotations

from datetime import date

import streamlit as st

from ledger import metrics
from ledger.rollup import UnitFigures, rollup
from ui import source

TABLE_KEY = "rollup_table"
DRILL_KEY = "_rollup_drill"


@st.cache_resource(show_spinner=False, max_entries=16)
def _figures(url: str, plan_id: int, stamp: str, as_of: date | None,
             thresholds: metrics.Thresholds) -> list[UnitFigures]:
    return rollup(source.store(), plan_id, as_of, thresholds)  # read-only for its users, so shared, not copied


def figures(plan_id: int, as_of: date | None, thresholds: metrics.Thresholds) -> list[UnitFigures]:
    """ledger.rollup.rollup for the plan: the same figures as `python -m ledger rollup`."""
    store = source.store()
    return _figures(source.db_url(), plan_id, store.changes_stamp(plan_id) + store.units_stamp(plan_id), as_of,
                    thresholds)


def drill_down(unit_ids: list[int]) -> None:
    """The table's on_select: the clicked unit is shown on every page, starting with its overview."""
    rows = st.session_state[TABLE_KEY].selection.rows
    if rows:
        source.choose_unit(unit_ids[rows[0]])
        st.session_state[DRILL_KEY] = True
