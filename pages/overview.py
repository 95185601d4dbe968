"""Overview: the headline figures a leadership meeting reads in ten seconds."""

import streamlit as st

from ledger import metrics
from ledger.brief import headline_figures
from ledger.intake import short_phase_name
from ledger.lights import counts as light_counts
from ui.cards import Card, bars, cards
from ui.changes import counts_row, details
from ui.i18n import t, tl
from ui.meeting import PACK_OPEN_KEY, carried_summary, pack_downloads, requirements_of
from ui.state import view
from ui.upload import flash
from ui.widgets import light_row, opened, pct, task_table

v = view()
head = v.memo("headline", lambda: metrics.headline(v.tasks, v.ledger.phases, v.as_of, v.thresholds))

st.title(t("overview.title"))
flash()  # the first publish lands here: the upload page was the default (/) until something was published
st.caption(
    t("overview.caption", as_of=v.as_of.isoformat(), report=v.ledger.report_date.isoformat())
    + (" · " + t("overview.filtered") if v.filtered else "")
)

current = (
    Card(
        t("overview.current_phase_named", name=short_phase_name(head.current.name)),
        t("overview.days_left", n=head.current.days_left),
        help=head.current.name,
    )
    if head.current
    else Card(t("overview.current_phase"), t("overview.no_current"))
)
cards(
    [
        *[  # the brief's cards (ledger.brief.headline_figures)
            Card(f["label"], f["value"], f["note"], f["key"] == "overdue" and head.overdue > 0, f["help"], f["color"])
            for f in v.memo("headline_figures", lambda: headline_figures(head, v.lang, v.thresholds))
        ],
        current,
    ],
    key="overview_figures",
    per_row=4,
)
light_row(
    v.memo("light_counts", lambda: light_counts(v.lights)),
    t("overview.lights_help", days=v.thresholds.due_soon_days, points=f"{v.thresholds.behind_points:g}"),
)

if head.behind:
    st.error(
        t(
            "overview.behind",
            phases="、".join(
                tl("overview.behind_one", name=s.name, elapsed=pct(s.elapsed_pct), done=pct(s.completion_pct))
                for s in head.behind
            ),
        ),
        icon=":material/warning:",
    )

left, right = st.columns([3, 2])
with left:
    st.header(t("overview.worst_overdue"))
    late = v.memo("overdue", lambda: metrics.overdue(v.tasks, v.as_of))
    if late.empty:
        st.success(t("overview.no_overdue"), icon=":material/check_circle:")
    else:
        task_table(
            v.memo("overdue_top", lambda: late.head(5).assign(light=v.lights)),
            ("light", "days_overdue", "measure", "owner", "due"),
            key="overview_overdue",
        )
        if len(late) > 5:
            st.page_link(
                "pages/responsibilities.py", label=t("overview.all_overdue", n=len(late)), icon=":material/groups:"
            )
with right:
    st.header(t("overview.phases"))
    bars(
        [
            (
                t("overview.phase_line", name=s.name, state=t(f"phase_state.{s.state}"), pct=pct(s.completion_pct)),
                s.completion_pct,
            )
            for s in head.phases
        ],
        key="overview_phases",
    )

st.header(t("overview.since", previous=v.previous_date.isoformat()) if v.previous_date else t("overview.since_none"))
changes = v.changes_since_previous()
if changes is not None:
    counts_row(changes)
    details(changes, key="overview_changes")

st.header(t("meeting.carried"))
carried_summary(requirements_of(v), key="overview_requirements")

pack = opened(t("meeting.pack"), PACK_OPEN_KEY, ":material/download:")
if pack is not None:
    with pack:
        pack_downloads(v, key="overview_pack")

if v.ledger.warnings:
    st.caption(t("overview.ledger_warnings", n=len(v.ledger.warnings)))
