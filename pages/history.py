"""History: every published version, completion over the weeks against the plan's pace, and what changed."""

import pandas as pd
import streamlit as st

from ledger.diff import compare
from ledger.text import minute_text
from ledger.trends import version_rows
from ui import access, source
from ui.archive import archive_panel
from ui.changes import details
from ui.i18n import t
from ui.meeting import requirement_history
from ui.memo import memo
from ui.state import view
from ui.versions import COMPARE_OPEN_KEY, downloads_panel, postponements_panel, withdrawal_panel
from ui.widgets import arrow_table, opened, pct, plotly_chart

v = view()
versions = v.source.versions
by_id = {version.id: version for version in versions}
plan_id = v.source.plan.id
stamp = v.source.stamp
labels = v.memo("version_labels", lambda: {i: source.version_label(x) for i, x in by_id.items()}, stamp)
unit_names = {u.id: u.name for u in v.source.units}
filters = tuple((k, tuple(vs)) for k, vs in v.filters.items() if k != "unit" and vs)

st.title(t("history.title"))
st.caption(t("history.caption", n=len(versions)))

if v.source.combined:  # every unit's versions; the trend and comparisons need one unit
    st.info(t("history.pick_unit"), icon=":material/info:")
    table = pd.DataFrame(columns=["completion_pct", "overdue"], dtype=float)
else:
    figures_key = (plan_id, v.source.unit_id, stamp, v.source.version.id, filters, v.lang, source.db_url())
    _, table, per_measure, per_leader = source.history_figures(figures_key)

    @st.fragment  # showing each category's line reruns the chart only
    def _trend() -> None:
        by_category = st.toggle(t("history.trend_by_category"), key="trend_by_category")
        plotly_chart(source.trend_figure(figures_key, by_category), width="stretch", key="trend")

    _trend()


def _versions_rows(figures: pd.DataFrame) -> list[dict]:
    heads = {name: t(f"history.{name}") for name in ("version", "report_date", "uploaded_at", "uploaded_by")}
    heads |= {name: t(f"history.{name}") for name in ("files", "tasks", "completion", "overdue", "note")}
    return [
        {
            **({t("field.unit"): unit_names.get(row["unit_id"], "")} if unit_names else {}),
            heads["version"]: row["number"],
            heads["report_date"]: row["report_date"].isoformat(),
            heads["uploaded_at"]: minute_text(row["uploaded_at"]),
            heads["uploaded_by"]: row["uploaded_by"],
            heads["files"]: "、".join(row["files"]),
            heads["tasks"]: row["tasks"],
            heads["completion"]: pct(row["completion_pct"]),
            heads["overdue"]: row["overdue"],
            heads["note"]: row["note"],
        }
        for row in version_rows(versions, figures)  # as `history --json` lists them
    ]


st.header(t("history.versions"))
st.dataframe(
    arrow_table(
        memo(table, ("versions_rows", v.lang, tuple(unit_names.items())), lambda: pd.DataFrame(_versions_rows(table)))
    ),
    hide_index=True,
    width="stretch",
    key="versions_table",
)

if access.allowed("originals"):
    downloads_panel(list(by_id), labels)
withdrawal_panel(v.source.plan.id, by_id, labels, stamp)
archive_panel(v.source.plan, v.source.unit_id)  # admins: the plan's archive (归档), closing the plan
if v.source.combined:
    st.stop()

st.header(t("history.compare"))
compare_panel = opened(t("history.compare_open"), COMPARE_OPEN_KEY, ":material/compare_arrows:")


@st.fragment  # picking versions reruns this comparison only
def _compare() -> None:
    left, right = st.columns(2)
    ids = list(by_id)
    newer = left.selectbox(t("history.newer"), ids, format_func=labels.get, key="compare_newer")
    older_options = ids[ids.index(newer) + 1 :] or [newer]
    older = right.selectbox(t("history.older"), older_options, key="compare_older", format_func=labels.get)
    if older == newer:
        st.caption(t("history.no_older"))
        return
    changes = v.memo(
        "compare",
        lambda: compare(v.filtered_ledger(source.ledger_of(older)), v.filtered_ledger(source.ledger_of(newer))),
        older,
        newer,
    )
    details(changes, key="history_changes")


if compare_panel is not None:  # two pickers of every version and the lists: drawn once the panel is opened
    with compare_panel:
        _compare()

st.header(t("history.postponements"))
postponements_panel(per_measure, per_leader)

st.header(t("meeting.history"))
requirement_history(plan_id, v.source.unit_id, stamp)
