"""Timeline: the Gantt of the four phases with the as-of line and the inspection milestone; measures on demand."""

import pandas as pd
import streamlit as st

from ledger import metrics
from ledger.figures import MAX_TASK_BARS, gantt, task_page, task_pages
from ui.cards import small_table
from ui.i18n import t
from ui.state import view
from ui.widgets import pct, plotly_chart

v = view()
st.title(t("timeline.title"))
st.caption(t("timeline.caption", as_of=v.as_of.isoformat()))
if not v.ledger.phases:
    st.warning(t("timeline.no_phases"), icon=":material/warning:")
    st.stop()


def _figure(show_tasks: bool, grouped: bool, page: int | None):
    """The Gantt (a page of the measures when `page`), built once per version, filters, date and language."""
    tasks = v.tasks
    if page is not None:
        tasks = task_page(tasks, v.ledger.phases, page)
    return gantt(
        v.ledger.phases, tasks, v.as_of, v.lang, show_tasks=show_tasks, grouped=grouped, thresholds=v.thresholds
    )


@st.fragment  # showing the measures, or another page of them, reruns the chart only
def _chart() -> None:
    show_tasks = st.toggle(t("timeline.show_tasks"), key="timeline_show_tasks")
    grouped, page = False, None
    if show_tasks and len(v.tasks) > MAX_TASK_BARS:
        pages = task_pages(v.tasks)
        mode = st.radio(
            t("timeline.large_mode"),
            ("grouped", "paged"),
            horizontal=True,
            key="timeline_mode",
            format_func={m: t(f"timeline.mode_{m}") for m in ("grouped", "paged")}.get,
            help=t("timeline.large_help", n=len(v.tasks)),
        )
        grouped = mode == "grouped"
        if not grouped:
            page = st.number_input(t("timeline.page", pages=pages), 1, pages, 1, key="timeline_page")
    plotly_chart(
        v.memo("gantt", lambda: _figure(show_tasks, grouped, page), show_tasks, grouped, page),
        width="stretch",
        key="gantt",
    )


_chart()


def _phase_table() -> pd.DataFrame:
    states = metrics.phase_states(v.ledger.phases, v.tasks, v.as_of, v.thresholds.behind_points)
    return pd.DataFrame(
        {
            t("timeline.phase"): [s.name for s in states],
            t("timeline.period"): [f"{s.phase.start} – {s.phase.end}" for s in states],
            t("timeline.state"): [
                t(f"phase_state.{s.state}") + (" ⚠ " + t("gantt.behind") if s.behind else "") for s in states
            ],
            t("timeline.measures"): [s.tasks for s in states],
            t("timeline.elapsed"): [pct(s.elapsed_pct) for s in states],
            t("timeline.completion"): [pct(s.completion_pct) for s in states],
        }
    )


small_table(v.memo("phase_table", _phase_table), key="phase_table")
st.caption(t("timeline.behind_rule", points=f"{v.thresholds.behind_points:g}"))
