"""Audit trail (admins, inspectors): who did what, when, from where; filters and an Excel export."""

from datetime import date, datetime, time, timedelta

import pandas as pd
import streamlit as st

from ledger import audit
from ledger.text import second_text
from ui import access, source
from ui.i18n import t
from ui.widgets import download_tables

st.title(t("audit.title"))
access.require("audit")

left, middle, right = st.columns(3)
since = left.date_input(
    t("audit.since"), value=date.today() - timedelta(days=30), key="audit_since", format="YYYY-MM-DD"
)
until = middle.date_input(t("audit.until"), value=date.today(), key="audit_until", format="YYYY-MM-DD")
actions = right.multiselect(
    t("audit.actions"),
    audit.ACTIONS,
    key="audit_actions",
    format_func=lambda a: t(f"audit.{a}"),
    placeholder=t("sidebar.all"),
)
who = st.text_input(t("audit.who"), key="audit_who", max_chars=100)
found = audit.records(
    source.store(),
    since=datetime.combine(since, time.min) if since else None,
    until=datetime.combine(until, time.min) + timedelta(days=1) if until else None,
    actions=actions,
    who=who.strip() or None,
    limit=audit.SHOWN,
)
st.caption(t("audit.count", n=len(found), limit=audit.SHOWN))
rows = [  # names with their control characters written out; attempts refused while waiting, counted per minute
    {
        **{name: value for name, value in r.as_json().items() if name != "count"},
        "at": second_text(r.at),
        "action": t(f"audit.{r.action}") + (f" ×{r.detail['count']}" if "count" in r.detail else ""),
    }
    for r in found
]
COLUMNS = ("at", "who", "action", "target", "address")
st.dataframe(
    pd.DataFrame(rows, columns=COLUMNS).rename(columns={name: t(f"field.{name}") for name in COLUMNS}),
    hide_index=True,
    width="stretch",
    key="audit_table",
)
download_tables(
    t("audit.export"), {t("audit.title"): rows}, f"audit_{date.today().isoformat()}.xlsx", key="audit_download"
)
