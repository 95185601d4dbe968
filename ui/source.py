"""Where the dashboard's ledger comes from: the history store, opened once per process and shared by sessions."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from ledger import Ledger, config
from ledger.accounts import Unit
from ledger.diff import postponements
from ledger.figures import trend
from ledger.i18n import translate
from ledger.intake import warm_up
from ledger.metrics import select
from ledger.store import STORE_ERRORS, Plan, PlanSummary, Store, Version, problem_code, problem_params
from ledger.text import asked_number
from ledger.trends import trend_points, version_table
from ui.i18n import literal, t

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
VERSION_KEY = "version"
PLAN_KEY = "plan"
LATEST = 0  # the picker's "always the newest version" choice; version ids start at 1
log = logging.getLogger(__name__)


NO_SECRETS_RECHECK_S = 5.0
_no_secrets_until = 0.0  # time.monotonic() until which a missing secrets file is not looked for again


def secrets() -> dict:
    """st.secrets as a dict ({} when no secrets file exists).

    Streamlit keeps a secrets file once it has read it, but while there is none it looks for one again, through
    its configuration files, on every access, which showed in every page's profile on a server without secrets.
    So a missing file is looked for again after NO_SECRETS_RECHECK_S only; secrets
    Streamlit already holds (a file read, or AppTest's) are always used."""
    global _no_secrets_until
    if getattr(st.secrets, "_secrets", None) is None and time.monotonic() < _no_secrets_until:
        return {}
    try:
        return st.secrets.to_dict()
    except Exception:  # Streamlit raises its own error types for a missing or unreadable secrets file
        _no_secrets_until = time.monotonic() + NO_SECRETS_RECHECK_S
        return {}


def db_url() -> str:
    return config.db_url(os.environ, secrets())


WARM_UP_AFTER_S = 30  # the warm-up waits for the first page to be sent, but never longer than this
WARM_UP_PAUSE_S = 2.0  # and leaves the browser this long to draw it
_first_page_sent = threading.Event()


@st.cache_resource(show_spinner=False)
def start_warm_up() -> bool:
    """Once per server, in the background: as soon as the first page has been sent (dashboard.py calls
    first_page_sent), read what the other pages need of the newest version and import what they draw with, then
    start the fork server that upload workers come from (ledger.intake.guard), so that neither the first visit to a page
    nor the first upload after a start waits for them. Not before the first page: on a small machine it would
    compete with it."""
    threading.Thread(target=_warm_up, args=(db_url(),), name="dashboard-warm-up", daemon=True).start()
    return True


def first_page_sent() -> None:
    _first_page_sent.set()


def _warm_up(url: str) -> None:
    _first_page_sent.wait(WARM_UP_AFTER_S)
    time.sleep(WARM_UP_PAUSE_S)
    try:
        from streamlit import emojis  # noqa: F401  read by Streamlit on the first label in Chinese of some widgets

        from ledger import accounts, brief, typeset, word  # noqa: F401  the meeting pack's makers
        from ledger.i18n import DEFAULT_LANG

        accounts.dummy_hash()

        store = _store(url)
        shown = next((summary.plan.id for summary in store.plans() if summary.versions), None)
        if shown is not None:  # the plan a visitor sees first (_plan_picker)
            stamp = store.changes_stamp(shown)
            versions = _versions(url, shown, None, stamp)
            for version in versions[:2]:  # the newest and the one "since last week" compares it with
                _ledger(url, version.id)
            _withdrawn(url, shown, stamp)
            if not any(version.unit_id for version in versions):  # the history page's trend and tables
                trend_figure((shown, None, stamp, versions[0].id, (), DEFAULT_LANG, url), False)
    except Exception:  # only a head start: whatever fails here fails again, and is reported, on the page
        log.warning("warming up the dashboard's caches failed", exc_info=True)
    warm_up()


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    from ledger import throttle

    throttle.set_verify_slots(config.login_checks(os.environ, secrets()))  # password checks at once, this process
    store = Store(url)
    if not store.sample_imported() and not store.plans():  # first start: the seed plan's weeks, as the demo plan
        from ledger.sample import import_history  # the reader and writer: not needed to show a store

        import_history(store, DATA_DIR)
    _first_admin(store)
    return store


def _first_admin(store: Store) -> None:
    """LEDGER_ADMIN_PASSWORD on a store without accounts creates the first admin."""
    from datetime import datetime

    from ledger import accounts

    wanted = config.first_admin(os.environ, secrets())
    if wanted is None or accounts.any_account(store):
        return
    try:
        accounts.add_user(
            store, wanted[0], "admin", wanted[1], at=datetime.now(), by="LEDGER_ADMIN_PASSWORD", address="server"
        )
    except accounts.AccountError as problem:  # a weak password: say so in the log, create nothing
        log.warning("LEDGER_ADMIN_PASSWORD refused: %s", problem.code)


def store() -> Store:
    return _store(db_url())


def store_at(url: str) -> Store:
    """The store at `url`, from any thread (a download's data is made outside the script run)."""
    return _store(url)


@st.cache_resource(show_spinner=False, max_entries=64)
def _ledger(url: str, version_id: int) -> Ledger:
    return _store(url).ledger(version_id)  # versions never change, so the cache never needs clearing


@st.cache_resource(show_spinner=False, max_entries=4096)
def _owner(url: str, version_id: int) -> tuple[int, int | None]:
    version = _store(url).version(version_id)  # a version's plan and unit never change
    return version.plan_id, version.unit_id


@st.cache_resource(show_spinner=False, max_entries=64)
def _reviewed(url: str, version_id: int, stamp: str) -> Ledger:
    """A version's ledger with its measures' closure review as of that version, once per review decision."""
    from ledger.closure import reviewed

    plan_id, unit_id = _owner(url, version_id)
    return reviewed(_store(url), plan_id, unit_id, version_id, _ledger(url, version_id))


def ledger_of(version_id: int) -> Ledger:
    """A version's ledger as every page shows it: with its measures' closure review."""
    url = db_url()
    plan_id, _ = _owner(url, version_id)
    return _reviewed(url, version_id, _store(url).review_stamp(plan_id))


@st.cache_resource(show_spinner=False, max_entries=16)
def _versions(url: str, plan_id: int, unit_id: int | None, stamp: str) -> tuple[Version, ...]:
    """The plan's (or unit's) live versions, read once per change to them (a publish, withdrawal or restore changes
    the stamp): thousands of them with many units. Read-only for its users, so shared rather than copied."""
    return tuple(_store(url).versions(plan_id, unit_id))


@st.cache_resource(show_spinner=False, max_entries=16)
def _withdrawn(url: str, plan_id: int, stamp: str) -> tuple[Version, ...]:
    return tuple(v for v in _store(url).versions(plan_id, withdrawn=True) if v.withdrawn)


def withdrawn_versions(plan_id: int, stamp: str | None = None) -> tuple[Version, ...]:
    """The plan's withdrawn versions, read once per change to its versions (a withdrawal or restore changes the
    stamp; pass it when the page has just asked for it)."""
    return _withdrawn(db_url(), plan_id, stamp if stamp is not None else store().changes_stamp(plan_id))


@st.cache_resource(show_spinner=False, max_entries=4)
def _history(url: str, plan_id: int, unit_id: int | None, stamp: str) -> pd.DataFrame:
    return _store(url).history(plan_id, unit_id=unit_id)  # read-only for its users, so shared rather than copied


# What the history page's figures depend on: plan, unit (or None), the plan's changes stamp, the version shown (its
# phases give the planned pace), the filters set, the language and the database URL.
HistoryKey = tuple[int, int | None, str, int, tuple[tuple[str, tuple[str, ...]], ...], str, str]


@st.cache_resource(show_spinner=False, max_entries=16)
def history_figures(key: HistoryKey):
    """The history page's figures across the plan's (or unit's) versions (the trend's points, versions table,
    postponements per measure and per leader), computed once per change to the plan's versions, version shown,
    filters (those set) and language; shared read-only, not copied."""
    plan_id, unit_id, stamp, shown_id, filters, lang, url = key
    history = select(_history(url, plan_id, unit_id, stamp), dict(filters))
    points = trend_points(history, _ledger(url, shown_id).phases, translate("chart.overall", lang))
    return points, version_table(history), *postponements(history)


@st.cache_resource(show_spinner=False, max_entries=16)
def trend_figure(key: HistoryKey, by_category: bool):
    """The history page's trend chart (ledger.figures.trend) of history_figures' points, kept like them."""
    return trend(history_figures(key)[0], key[5], by_category)


@dataclass(frozen=True)
class Current:
    """The plan and version on screen, its ledger, and the version before it in the plan (for "since last
    week")."""

    plan: Plan
    ledger: Ledger
    version: Version
    previous: Version | None
    versions: tuple[Version, ...]
    plans: tuple[PlanSummary, ...]
    units: tuple[Unit, ...] = ()  # the plan's units, when it has any
    unit: Unit | None = None  # the unit on screen; None with units: all of them together
    previous_ledger: Ledger | None = None  # all units together: each unit's newest ledger before this week
    stamp: str = ""  # the plan's changes_stamp as this run found it (pages key their caches across versions on it)
    newest_report: date | None = None  # all units together on an earlier day (`on`): the newest ledger's date

    @property
    def unit_id(self) -> int | None:
        return self.unit.id if self.unit is not None else None

    @property
    def combined(self) -> bool:
        """All units together: each unit's newest ledger as one (ledger.rollup.combined)."""
        return bool(self.units) and self.unit is None

    @property
    def key(self) -> str:
        # all units together: a new newest report date is a new as-of date (the sidebar's date follows it)
        return f"all{self.plan.id}_{self.newest}" if self.combined else f"v{self.version.id}"

    @property
    def newest(self) -> date:
        """The report date of the newest ledger, whatever earlier day the sidebar chose for all units together."""
        return self.newest_report or self.ledger.report_date

    def on(self, as_of: date) -> Current | None:
        """All units together as of an earlier day than the newest report: each unit's newest ledger reported by
        then (ledger.rollup.all_units, as `brief --unit ALL --as-of` reads them); None when no unit had reported by
        then. Anything else is shown as it is."""
        if not self.combined or as_of >= self.ledger.report_date:
            return self
        found = _all_units(db_url(), self.plan.id, self.stamp, as_of)
        if found is None:
            return None
        return replace(self, ledger=found[0], previous_ledger=found[1], newest_report=self.newest)


def version_label(version: Version) -> str:
    return t("version.label", n=version.number, day=version.report_date.isoformat())


def plan_label(plan: Plan) -> str:
    """The plan's name, marked 示例 when it is the demo plan."""
    return t("plan.demo_mark") + plan.name if plan.demo else plan.name


def problem_text(problem: BaseException) -> str:
    """What a person reads about a database failure (details go to the server log only)."""
    log.warning("ledger store failed: %r", problem)
    return t(problem_code(problem), **problem_params(problem))


def unavailable(problem: BaseException) -> None:
    """Tell the user what is wrong with the database (full, read-only, damaged, unreachable…) and stop the page;
    details go to the server log only."""
    log.warning("ledger store failed: %r", problem)
    st.error(t(problem_code(problem), **problem_params(problem)), icon=":material/database_off:")
    st.stop()


def _show_plan_in_url() -> None:
    st.query_params[PLAN_KEY] = str(st.session_state[PLAN_KEY])


def choose_plan(plan_id: int) -> None:
    """Show this plan from the next run on (after a publish, say), at its newest version."""
    st.session_state[PLAN_KEY] = plan_id
    st.session_state[VERSION_KEY] = LATEST
    st.query_params[PLAN_KEY] = str(plan_id)


def _plan_picker(plans: tuple[PlanSummary, ...]) -> Plan:
    """The plan on screen: the sidebar's choice, else ?plan=ID from the link, else the first real plan. With
    several plans the choice shows in the address, so a link opens the same plan."""
    by_id = {summary.plan.id: summary.plan for summary in plans}
    chosen = st.session_state.get(PLAN_KEY)
    if chosen not in by_id:
        asked = asked_number(st.query_params.get(PLAN_KEY, ""))
        chosen = asked if asked in by_id else plans[0].plan.id
        st.session_state[PLAN_KEY] = chosen
    with st.sidebar:
        if len(plans) > 1:
            labels = {i: plan_label(plan) for i, plan in by_id.items()}
            st.selectbox(
                t("sidebar.plan"), list(labels), key=PLAN_KEY, format_func=labels.get, on_change=_show_plan_in_url
            )
        else:
            st.caption(literal(plan_label(by_id[chosen])))
    if len(plans) == 1:
        st.query_params.pop(PLAN_KEY, None)  # nothing to choose: the address stays as short as it was
    elif st.query_params.get(PLAN_KEY) != str(chosen):
        st.query_params[PLAN_KEY] = str(chosen)
    return by_id[chosen]


UNIT_KEY = "unit"
ALL_UNITS = 0


@st.cache_resource(show_spinner=False, max_entries=8)
def _all_units(url: str, plan_id: int, stamp: str, as_of: date | None = None) -> tuple[Ledger, Ledger | None] | None:
    """All units together on as_of and what "since last week" compares with (ledger.rollup.all_units)."""
    from ledger.rollup import all_units

    return all_units(_store(url), plan_id, as_of, lambda ids: unit_ledgers(url, ids))


UNIT_LEDGERS_KEPT = 1_000  # units' ledgers kept for "all units together" (this week's and last week's newest)


@st.cache_resource(show_spinner=False)
def _unit_ledger_cache(url: str) -> tuple[OrderedDict, threading.Lock]:
    return OrderedDict(), threading.Lock()


def unit_ledgers(url: str, ids: list[int]) -> dict[int, Ledger]:
    """The units' ledgers, those not kept read in one query: after a publish, only the new version is read."""
    kept, lock = _unit_ledger_cache(url)
    with lock:
        found = {i: kept[i] for i in ids if i in kept}
    missing = [i for i in ids if i not in found]
    if missing:
        read = _store(url).ledgers(missing)
        found |= read
        with lock:
            kept.update(read)
            while len(kept) > UNIT_LEDGERS_KEPT:
                kept.popitem(last=False)
    with lock:
        for i in ids:
            if i in kept:
                kept.move_to_end(i)
    return found


def _show_unit_in_url() -> None:
    chosen = st.session_state.get(UNIT_KEY, ALL_UNITS)
    if chosen == ALL_UNITS:
        st.query_params.pop(UNIT_KEY, None)
    else:
        st.query_params[UNIT_KEY] = str(chosen)


def choose_unit(unit_id: int) -> None:
    """Show this unit from the next run on (the roll-up's drill-down): every page is then that unit's."""
    st.session_state[UNIT_KEY] = unit_id
    st.session_state[VERSION_KEY] = LATEST
    st.query_params[UNIT_KEY] = str(unit_id)


def _unit_picker(units: tuple[Unit, ...]) -> Unit | None:
    """The unit on screen (None: all units together), from the sidebar, else ?unit=ID."""
    by_id = {u.id: u for u in units}
    chosen = st.session_state.get(UNIT_KEY)
    if chosen not in by_id and chosen != ALL_UNITS:
        asked = asked_number(st.query_params.get(UNIT_KEY, ""))
        chosen = asked if asked in by_id else ALL_UNITS
        st.session_state[UNIT_KEY] = chosen
    labels = {ALL_UNITS: t("sidebar.all_units")} | {i: literal(u.name) for i, u in by_id.items()}
    with st.sidebar:
        st.selectbox(t("sidebar.unit"), list(labels), key=UNIT_KEY, format_func=labels.get, on_change=_show_unit_in_url)
    return by_id.get(chosen)


def current() -> Current | None:
    """The plan, unit and version the sidebar pickers select (the newest version unless a user picked another; for
    a plan with units, all of them together unless one is picked); None while nothing has been published."""
    from ledger import accounts

    try:
        plans = tuple(summary for summary in store().plans() if summary.versions)
        if not plans:
            return None
        plan = _plan_picker(plans)
        units = tuple(u for u in accounts.units(store(), plan.id))
        unit = _unit_picker(units) if units else None
        versions_stamp = store().changes_stamp(plan.id)
        stamp = versions_stamp + store().review_stamp(plan.id)
        versions = _versions(db_url(), plan.id, unit.id if unit else None, versions_stamp)
        if units and unit is None:
            found = _all_units(db_url(), plan.id, stamp)
            if found is not None:
                with st.sidebar:
                    st.caption(t("sidebar.all_units_caption", n=len(units)))
                ledger, before = found
                return Current(plan, ledger, versions[0], None, versions, plans, units, None, before, stamp)
        if not versions:
            st.info(t("sidebar.unit_no_report"), icon=":material/info:")
            st.stop()
    except STORE_ERRORS as problem:
        unavailable(problem)
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
    return Current(plan, ledger_of(version.id), version, previous, versions, plans, units, unit, stamp=stamp)
