"""Categories: completion by problem category — the status mix of each and its completion %; a click filters."""

import streamlit as st

from ledger import metrics
from ledger.escape import plotly as plotly_literal
from ledger.figures import category_bars
from ui.cards import small_table
from ui.i18n import t, tl
from ui.state import set_filter, view
from ui.widgets import pct, plotly_chart, task_table

CHART_KEY = "category_chart"

v = view()
st.title(t("categories.title"))
st.caption(t("categories.caption", as_of=v.as_of.isoformat()))
table = v.memo("by_category", lambda: metrics.by_category(v.tasks, v.as_of))
if table.empty:
    st.info(t("common.no_tasks"), icon=":material/info:")
    st.stop()


def _filter_by_clicked_bar() -> None:
    points = st.session_state[CHART_KEY].selection.get("points", [])
    shown = {plotly_literal(name): name for name in table["name"]}  # the chart shows names escaped for plotly
    names = list(dict.fromkeys(shown[p["y"]] for p in points if p.get("y") in shown))
    if names:
        set_filter("category", names)


plotly_chart(
    v.memo("category_bars", lambda: category_bars(table, v.lang)),
    width="stretch",
    key=CHART_KEY,
    on_select=_filter_by_clicked_bar,
    selection_mode="points",
)
st.caption(t("categories.click_hint"))

small_table(
    v.memo(
        "category_table",
        lambda: table.assign(
            completion_pct=table["completion_pct"].map(pct),
            average_progress=table["average_progress"].map(pct),
        ).rename(
            columns={
                "name": t("field.category"),
                "tasks": t("categories.tasks"),
                "done": t("status.done"),
                "in_progress": t("status.in_progress"),
                "not_started": t("status.not_started"),
                "ongoing": t("status.ongoing"),
                "completion_pct": t("categories.completion"),
                "average_progress": t("categories.average_progress"),
                "overdue": t("categories.overdue"),
            }
        ),
    ),
    key="category_table",
)

names = table["name"].tolist()
chosen = st.selectbox(
    t("categories.pick"),
    names,
    index=None,
    placeholder=t("categories.pick_placeholder"),
    key="category_pick",
    on_change=lambda: set_filter(
        "category", [st.session_state["category_pick"]] if st.session_state["category_pick"] else []
    ),
)
if v.filters.get("category"):
    st.subheader(tl("categories.measures_of", names="、".join(v.filters["category"])))
    task_table(
        v.tasks,
        ("id", "measure", "problem", "goal", "phase", "status", "progress", "due", "owner"),
        key="category_tasks",
    )
