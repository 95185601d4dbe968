"""The roll-up page's Streamlit side: each unit's figures — kept in the store (ledger.rollup.kept_figures), or for an
earlier as-of date cached here per version (a version never changes, so a publish recomputes one unit) — and the
drill-down that shows every page for the clicked unit."""

from __future__ import annotations

import threading
from datetime import date

import streamlit as st

from ledger import metrics
from ledger.closure import reviewed
from ledger.rollup import UnitFigures, rollup, unit_summary
from ledger.store import Version
from ui import source

TABLE_KEY = "rollup_table"
DRILL_KEY = "_rollup_drill"


SUMMARIES_KEPT = 20_000  # unit summaries kept per server (a few KiB each)


@st.cache_resource(show_spinner=False)
def _summaries(url: str) -> tuple[dict, threading.Lock]:
    """Each version's unit_summary by (version id, as_of, thresholds) → (the plan phases it used, or None when the
    ledger has its own, and the figures): a version never changes, so a publish recomputes one unit."""
    return {}, threading.Lock()


def _kept(kept: dict, key: tuple, phases: tuple) -> dict | None:
    found = kept.get(key)
    return found[1] if found is not None and found[0] in (None, phases) else None


@st.cache_resource(show_spinner=False, max_entries=16)
def _figures(
    url: str, plan_id: int, stamp: str, as_of: date | None, thresholds: metrics.Thresholds
) -> list[UnitFigures]:
    store = source.store()
    if as_of is None:  # each unit's newest version as of its own report date: its figures are kept in the store
        return rollup(store, plan_id, None, thresholds)
    kept, lock = _summaries(url)
    newest = store.unit_versions(plan_id, as_of)
    phases = store.plan_phases(plan_id)
    decided = store.review_stamps(plan_id)  # a unit's closure decisions change its figures, not its version

    def key(version: Version) -> tuple:
        return (version.id, as_of, thresholds, decided.get(version.unit_id, 0))

    def summary_of(version: Version, ledger, plan_phases: tuple) -> dict:
        ledger = reviewed(store, plan_id, version.unit_id, version.id, ledger)
        return unit_summary(ledger, plan_phases, as_of, thresholds)

    with lock:
        missing = [v for v in newest.values() if _kept(kept, key(v), phases) is None]
    if missing:  # after a publish: the new version only, read in one query
        ledgers = store.ledgers([v.id for v in missing])
        computed = {
            key(v): (None if ledgers[v.id].phases else phases, summary_of(v, ledgers[v.id], phases)) for v in missing
        }
        with lock:
            if len(kept) + len(computed) > SUMMARIES_KEPT:
                kept.clear()
            kept.update(computed)

    def figures_of(version: Version, plan_phases: tuple) -> dict:
        with lock:
            found = _kept(kept, key(version), plan_phases)
        return found if found is not None else summary_of(version, store.ledger(version.id), plan_phases)

    return rollup(store, plan_id, as_of, thresholds, figures_of)  # shared read-only, not copied


def figures(plan_id: int, as_of: date | None, thresholds: metrics.Thresholds) -> list[UnitFigures]:
    """ledger.rollup.rollup for the plan: the same figures as `python -m ledger rollup`."""
    store = source.store()
    return _figures(
        source.db_url(),
        plan_id,
        store.changes_stamp(plan_id) + store.units_stamp(plan_id) + store.review_stamp(plan_id),
        as_of,
        thresholds,
    )


def drill_down(unit_ids: list[int]) -> None:
    """The table's on_select: the clicked unit is shown on every page, starting with its overview."""
    rows = st.session_state[TABLE_KEY].selection.rows
    if rows:
        source.choose_unit(unit_ids[rows[0]])
        st.session_state[DRILL_KEY] = True
