"""Responsibilities: overdue work by leader → department → owner, the detail by days overdue, and what is due soon."""

import streamlit as st

from ledger import metrics
from ledger.model import RESPONSIBILITY_FIELDS
from ledger.report import task_records
from ui.cards import Card, cards
from ui.i18n import severity, t
from ui.state import view
from ui.widgets import download_tables, paged_dataframe, task_table

v = view()
PEOPLE = ("unit", *RESPONSIBILITY_FIELDS) if "unit" in v.tasks else RESPONSIBILITY_FIELDS  # all units together
st.title(t("responsibilities.title"))
st.caption(t("responsibilities.caption", as_of=v.as_of.isoformat(), days=v.thresholds.due_soon_days))
late = v.memo("overdue_lit", lambda: metrics.overdue(v.tasks, v.as_of).assign(light=v.lights))
soon = v.memo(
    "due_soon_lit", lambda: metrics.due_soon(v.tasks, v.as_of, v.thresholds.due_soon_days).assign(light=v.lights)
)

cards(
    [Card(t("responsibilities.overdue"), len(late))]
    + [
        Card(severity(name), v.memo("severity", lambda n=name: int((late["severity"] == n).sum()), name))
        for _, _, name in metrics.SEVERITIES
    ],
    key="overdue_counts",
)

st.header(t("responsibilities.by_person"))
groups = v.memo(
    "groups",
    lambda: metrics.responsibility_groups(v.tasks, v.as_of).rename(
        columns={
            "unit": t("field.unit"),
            "leader": t("field.leader"),
            "department": t("field.department"),
            "owner": t("field.owner"),
            "overdue": t("responsibilities.count"),
            "max_days_overdue": t("responsibilities.max_days"),
        }
    ),
)
if groups.empty:
    st.success(t("responsibilities.none_overdue"), icon=":material/check_circle:")
else:
    paged_dataframe(groups, "responsibility_groups", hide_index=True, width="stretch")
    st.header(t("responsibilities.detail"))
    task_table(
        late,
        (
            "light",
            "days_overdue",
            "severity",
            "measure",
            *PEOPLE,
            "due",
            "progress",
            "id",
            "category",
            "problem",
            "goal",
        ),
        key="overdue_table",
        with_extras=True,
    )

st.header(t("responsibilities.due_soon", n=len(soon), days=v.thresholds.due_soon_days))
if soon.empty:
    st.info(t("responsibilities.none_due_soon", days=v.thresholds.due_soon_days), icon=":material/info:")
else:
    task_table(
        soon,
        ("light", "days_left", "due", "measure", *PEOPLE, "progress", "id", "category"),
        key="due_soon_table",
        with_extras=True,
    )

download_tables(  # the sheets are made when the button is clicked, not on every run
    t("responsibilities.download"),
    {
        t("responsibilities.sheet_overdue"): lambda: task_records(late, v.as_of, details=True, shown_lights=v.lights),
        t("responsibilities.sheet_due_soon", days=v.thresholds.due_soon_days): lambda: task_records(
            soon, v.as_of, details=True, shown_lights=v.lights
        ),
    },
    f"overdue_{v.as_of.isoformat()}.xlsx",
    key="download_overdue",
)
