"""Where the dashboard's ledger comes from: the history store, opened once per process and shared by sessions."""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from ledger import Ledger, config, guard
from ledger.diff import postponements
from ledger.figures import trend
from ledger.i18n import translate
from ledger.metrics import select
from ledger.sample import import_history
from ledger.store import STORE_ERRORS, Store, Version, problem_code
from ledger.trends import trend_points, version_table
from ui.i18n import t

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
VERSION_KEY = "version"
LATEST = 0  # the picker's "always the newest version" choice; version ids start at 1
log = logging.getLogger(__name__)


def secrets() -> dict:
    """st.secrets as a dict ({} when no secrets file exists)."""
    try:
        return st.secrets.to_dict()
    except Exception:  # Streamlit raises its own error types for a missing or unreadable secrets file
        return {}


def db_url() -> str:
    return config.db_url(os.environ, secrets())


@st.cache_resource(show_spinner=False)
def start_reading_workers() -> bool:
    """Start, once per server and in the background, the fork server that upload workers come from (ledger.guard),
    so that the first upload after a start does not wait for it."""
    threading.Thread(target=guard.warm_up, name="ledger-reading-workers", daemon=True).start()
    return True


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    store = Store(url)
    if store.latest_id() is None:  # first start: show the seed plan's weeks at once
        import_history(store, DATA_DIR)
    return store


def store() -> Store:
    return _store(db_url())


@st.cache_resource(show_spinner=False, max_entries=64)
def _ledger(url: str, version_id: int) -> Ledger:
    return _store(url).ledger(version_id)  # versions never change, so the cache never needs clearing


def ledger_of(version_id: int) -> Ledger:
    return _ledger(db_url(), version_id)


@st.cache_resource(show_spinner=False, max_entries=2)
def _history(url: str, latest_id: int) -> pd.DataFrame:
    return _store(url).history()  # read-only for its users, so shared rather than copied


@st.cache_data(show_spinner=False, max_entries=16)
def history_figures(latest_id: int, shown_id: int, filters: tuple[tuple[str, tuple[str, ...]], ...], lang: str):
    """The history page's figures across all versions (trend chart, versions table, postponements per measure
    and per leader), computed once per new version, version shown, filters and language."""
    url = db_url()
    history = select(_history(url, latest_id), dict(filters))
    points = trend_points(history, _ledger(url, shown_id).phases, translate("chart.overall", lang))
    return trend(points, lang), version_table(history), *postponements(history)


@dataclass(frozen=True)
class Current:
    """The version on screen, its ledger, and the version before it (for "since last week")."""

    ledger: Ledger
    version: Version
    previous: Version | None
    versions: tuple[Version, ...]

    @property
    def key(self) -> str:
        return f"v{self.version.id}"


def version_label(version: Version) -> str:
    return t("version.label", n=version.id, day=version.report_date.isoformat())


def unavailable(problem: BaseException) -> None:
    """Tell the user what is wrong with the database (full, read-only, damaged, unreachable…) and stop the page;
    details go to the server log only."""
    log.warning("ledger store failed: %r", problem)
    st.error(t(problem_code(problem)), icon=":material/database_off:")
    st.stop()


def current() -> Current | None:
    """The version the sidebar picker selects (the latest unless a user picked another); None while nothing has
    been published."""
    try:
        versions = tuple(store().versions())
    except STORE_ERRORS as problem:
        unavailable(problem)
    if not versions:
        return None
    by_id = {v.id: v for v in versions}
    chosen = st.session_state.get(VERSION_KEY)
    if chosen not in by_id:
        chosen = st.session_state[VERSION_KEY] = LATEST
    with st.sidebar:
        labels = {LATEST: t("sidebar.latest", label=version_label(versions[0]))}
        labels |= {i: version_label(v) for i, v in by_id.items()}
        st.selectbox(t("sidebar.version"), list(labels), key=VERSION_KEY, format_func=labels.get)
    version = by_id.get(chosen, versions[0])
    position = versions.index(version)
    previous = versions[position + 1] if position + 1 < len(versions) else None
    return Current(ledger_of(version.id), version, previous, versions)
