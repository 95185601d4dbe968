"""What every page shows: the current ledger, the as-of date and the sidebar filters, as one View."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property

import pandas as pd
import streamlit as st

from ledger import Ledger, config
from ledger.diff import Changes, compare
from ledger.lights import lights
from ledger.metrics import Thresholds, filter_fields, filter_options, select
from ledger.report import column_name
from ledger.text import minute_text
from ledger.vocab import STATUSES
from ui.archive import closed_caption
from ui.i18n import lang, literal, t, tl
from ui.memo import T, memo
from ui.navigation import leave_pages_directory_mode
from ui.source import Current, ledger_of, secrets
from ui.widgets import opened

VIEW_KEY = "_view"
FILTERS_OPEN_KEY = "_filters_open"


def _filters_key(filters: dict[str, list[str]]) -> tuple:
    return tuple((field, tuple(values)) for field, values in filters.items() if values)


@dataclass(frozen=True, eq=False)
class View:
    ledger: Ledger
    tasks: pd.DataFrame  # after the sidebar filters
    as_of: date
    lang: str
    filters: dict[str, list[str]]
    source: Current
    thresholds: Thresholds

    def memo(self, name: str, compute: Callable[[], T], *extra) -> T:
        """`compute()` once per ledger, filters, as-of date, thresholds, language and `extra` (ui.state.memo)."""
        return memo(
            self.ledger, (name, _filters_key(self.filters), self.as_of, self.thresholds, self.lang, *extra), compute
        )

    @cached_property
    def lights(self) -> pd.Series:
        """Each shown measure's light (ledger.lights)."""
        return self.memo("lights", lambda: lights(self.tasks, self.ledger.phases, self.as_of, self.thresholds))

    @property
    def previous_date(self) -> date | None:
        """The report date "since last week" compares with (None: nothing before)."""
        if self.source.combined:
            return self.source.previous_ledger.report_date if self.source.previous_ledger is not None else None
        return self.source.previous.report_date if self.source.previous is not None else None

    @property
    def filtered(self) -> bool:
        return any(self.filters.values())

    def filtered_ledger(self, ledger: Ledger) -> Ledger:
        """Another version's ledger with the same sidebar filters applied."""
        return replace(ledger, tasks=select(ledger.tasks, self.filters))

    def changes_since_previous(self) -> Changes | None:
        """What changed from the version before the one on screen (all units together: from each unit's newest
        ledger before this week); None for the first."""
        before = (
            self.source.previous_ledger
            if self.source.combined
            else (ledger_of(self.source.previous.id) if self.source.previous is not None else None)
        )
        if before is None:
            return None
        return self.memo(
            "changes",
            lambda: compare(self.filtered_ledger(before), replace(self.ledger, tasks=self.tasks), new_as_of=self.as_of),
            # the version before can change (a withdrawal) while the one on screen stays
            id(before) if self.source.combined else self.source.previous.id,
        )


def filter_key(field: str) -> str:
    return f"filter_{field}"


def set_filter(field: str, values: list[str]) -> None:
    """Change a sidebar filter from a page; call from a widget callback (before the sidebar is drawn)."""
    st.session_state[filter_key(field)] = values
    st.session_state[FILTERS_OPEN_KEY] = True  # shown where they are set


def clear_filters() -> None:
    for key in [key for key in st.session_state if isinstance(key, str) and key.startswith(filter_key(""))]:
        st.session_state[key] = []
    st.session_state[FILTERS_OPEN_KEY] = False


def _options(ledger: Ledger, field: str) -> list[str]:
    return memo(ledger, ("filter_options", field), lambda: filter_options(ledger.tasks, field))


def _kept(ledger: Ledger, field: str) -> list[str]:
    """The filter's values that are options of this ledger (a value of an earlier version would not be), kept in the
    session whether or not the filter's widget is drawn in this run."""
    key = filter_key(field)
    options = set(_options(ledger, field))
    kept = [v for v in st.session_state.get(key, []) if v in options]
    st.session_state[key] = kept
    return kept


def _label(field: str):
    """Option labels fixed when the widget is drawn (a lazy t() would read the language too late)."""
    return {s: t(f"status.{s}") for s in STATUSES}.get if field == "status" else str


def sidebar(source: Current) -> View:
    """The as-of date and the filters, in the sidebar; returns the View every page renders."""
    ledger = source.ledger
    with st.sidebar:
        as_of = st.date_input(
            t("sidebar.as_of"),
            value=ledger.report_date,
            key=f"as_of_{source.key}",
            format="YYYY-MM-DD",
            help=t("sidebar.as_of_help"),
        )
        shown = source.on(as_of or ledger.report_date)  # all units together on an earlier day: reported by then
        if shown is None:
            st.info(t("sidebar.all_units_none_by", day=as_of), icon=":material/info:")
            st.stop()
        source, ledger = shown, shown.ledger
        fields = memo(ledger, ("filter_fields",), lambda: filter_fields(ledger.tasks))
        filters = {field: _kept(ledger, field) for field in fields}
        active = any(filters.values())
        # The filters are drawn only while their expander is open (it opens by itself while any is set): six
        # multiselects of up to hundreds of options were sent and drawn on every run of every page. Their values
        # live in the session either way.
        section = opened(t("sidebar.filters"), FILTERS_OPEN_KEY, ":material/filter_alt:", expanded=active)
        if section is not None:
            with section:
                for field in fields:
                    options = _options(ledger, field)
                    filters[field] = st.multiselect(
                        literal(column_name(field, lang())),
                        options,
                        key=filter_key(field),
                        format_func=_label(field),
                        placeholder=t("sidebar.all"),
                    )
                st.button(t("sidebar.clear"), on_click=clear_filters, disabled=not active, width="stretch")
        elif active:
            named = "、".join(column_name(f, lang()) for f in fields if filters[f])
            st.caption(tl("sidebar.filtered", fields=named))
            st.button(t("sidebar.clear"), on_click=clear_filters, width="stretch")
        version = source.version
        closed_caption(source.plan)  # a closed plan (结束) says so on every page
        if not source.combined:
            st.caption(
                tl(
                    "sidebar.source",
                    files="、".join(version.file_names),
                    by=version.uploaded_by,
                    at=minute_text(version.uploaded_at),
                )
            )
    thresholds = config.thresholds(os.environ, secrets())
    tasks = memo(ledger, ("tasks", _filters_key(filters)), lambda: select(ledger.tasks, filters))
    return View(ledger, tasks, as_of or ledger.report_date, lang(), filters, source, thresholds)


@contextmanager
def showing(current: View | None) -> Iterator[None]:
    """Make `current` the View of the page run inside the block (and only there)."""
    st.session_state[VIEW_KEY] = current
    try:
        yield
    finally:
        st.session_state.pop(VIEW_KEY, None)


def view() -> View | None:
    """The View the sidebar built in this run (None while nothing is published: only the upload page runs then);
    a page run without dashboard.py is sent through it."""
    if VIEW_KEY not in st.session_state:
        leave_pages_directory_mode()
    return st.session_state[VIEW_KEY]
