"""Categories: completion by problem category (or by an extra field the ledger adds: an audit source, a problem
type) — the status mix of each and its completion %; a click filters; amounts totalled per group and unit."""

import streamlit as st

from ledger import metrics
from ledger.escape import plotly as plotly_literal
from ledger.figures import category_bars
from ledger.model import EXTRA_PREFIX
from ledger.report import column_name
from ui.cards import small_table
from ui.groups import amount_tables, grouping, named_groups
from ui.i18n import lang, t, tl
from ui.state import set_filter, view
from ui.widgets import pct, plotly_chart, task_table

CHART_KEY = "category_chart"

v = view()
st.title(t("categories.title"))
st.caption(t("categories.caption", as_of=v.as_of.isoformat()))
column = grouping(v)  # "category", or an extra field's column when one is chosen
label = column_name(column, lang())
table = v.memo("by_group", lambda: named_groups(metrics.by_group(v.tasks, v.as_of, column)), column)
if table.empty:
    st.info(t("common.no_tasks"), icon=":material/info:")
    st.stop()


def _filter_by_clicked_bar() -> None:
    points = st.session_state[CHART_KEY].selection.get("points", [])
    shown = {plotly_literal(name): name for name in table["name"]}  # the chart shows names escaped for plotly
    names = list(dict.fromkeys(shown[p["y"]] for p in points if p.get("y") in shown))
    if names:
        set_filter(column, names)


plotly_chart(
    v.memo("category_bars", lambda: category_bars(table, v.lang), column),
    width="stretch",
    key=f"{CHART_KEY}_{column}" if column != "category" else CHART_KEY,
    on_select=_filter_by_clicked_bar,
    selection_mode="points",
)
st.caption(t("categories.click_hint"))

small_table(
    v.memo(
        "category_table",
        lambda: (
            table.assign(
                completion_pct=table["completion_pct"].map(pct),
                verified_pct=table["verified_pct"].map(pct),
                average_progress=table["average_progress"].map(pct),
            )
            .drop(columns=["verified"])
            .rename(
                columns={
                    "name": label,
                    "tasks": t("categories.tasks"),
                    "done": t("status.done"),
                    "in_progress": t("status.in_progress"),
                    "not_started": t("status.not_started"),
                    "ongoing": t("status.ongoing"),
                    "completion_pct": t("categories.completion"),
                    "verified_pct": t("categories.verified"),
                    "average_progress": t("categories.average_progress"),
                    "overdue": t("categories.overdue"),
                }
            )
        ),
        column,
    ),
    key="category_table",
)
amount_tables(v, column)

names = table["name"].tolist()
pick_key = "category_pick" if column == "category" else f"category_pick_{column.removeprefix(EXTRA_PREFIX)}"
chosen = st.selectbox(
    t("categories.pick"),
    names,
    index=None,
    placeholder=t("categories.pick_placeholder"),
    key=pick_key,
    on_change=lambda: set_filter(column, [st.session_state[pick_key]] if st.session_state[pick_key] else []),
)
if v.filters.get(column):
    st.header(tl("categories.measures_of", names="、".join(v.filters[column])))
    task_table(
        v.tasks,
        ("id", "measure", "problem", "goal", "phase", "status", "progress", "due", "owner"),
        key="category_tasks",
        with_extras=True,
    )
