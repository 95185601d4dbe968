"""Meeting mode (会议模式): the weekly meeting on a projector, one slide at a time, the slide number in the address
(?slide=3), large type, no sidebar and nothing to scroll at 1920×1080 or 1280×720 (README "Meeting mode")."""

import streamlit as st

from ledger import metrics
from ledger.brief import SLIDE_ROWS, overdue_slides
from ledger.figures import gantt
from ledger.lights import counts as light_counts
from ledger.requirements import DEFAULT_DAYS
from ledger.text import asked_number
from ui import access
from ui.cards import Card, cards
from ui.changes import counts_row
from ui.i18n import t, tl
from ui.meeting import current_frame, record_form, requirements_of, state_frame, styled_states
from ui.state import view
from ui.widgets import MEETING_CSS, light_row, literal_frame, pct, plotly_chart, table, task_frame

v = view()
head = v.memo("headline", lambda: metrics.headline(v.tasks, v.ledger.phases, v.as_of, v.thresholds))
found = requirements_of(v)
slides = [
    ("overall", None),
    ("phases", None),
    *[("overdue", slide) for slide in v.memo("overdue_slides", lambda: overdue_slides(v.tasks, v.as_of))],
    ("changes", None),
    ("carried", None),
    ("current", None),
]
asked = asked_number(st.query_params.get("slide", "1"))  # anything but a few ASCII digits is ignored
number = min(max(asked, 1), len(slides)) if asked is not None else 1
kind, payload = slides[number - 1]


def go(to: int) -> None:
    st.query_params["slide"] = str(to)


st.html(f"<style>{MEETING_CSS}</style>")
bar = st.columns([6, 1, 1, 1, 1.4], vertical_alignment="center")
titles = {
    "overall": t("slides.overall"),
    "phases": t("slides.phases"),
    "changes": t("slides.changes"),
    "carried": t("slides.carried"),
    "current": t("slides.current"),
}
if kind == "overdue":
    titles["overdue"] = tl("slides.overdue_leader", leader=payload[0]) if payload[0] else t("slides.overdue")
with bar[0]:
    st.title(titles[kind], anchor=False)
bar[1].markdown(t("slides.counter", n=number, total=len(slides)))
bar[2].button(
    t("slides.previous"),
    on_click=go,
    args=(number - 1,),
    disabled=number == 1,
    key="slide_previous",
    icon=":material/chevron_left:",
    width="stretch",
)
bar[3].button(
    t("slides.next"),
    on_click=go,
    args=(number + 1,),
    disabled=number == len(slides),
    key="slide_next",
    icon=":material/chevron_right:",
    width="stretch",
    type="primary",
)
bar[4].page_link("pages/overview.py", label=t("slides.exit"), icon=":material/close:")

with st.container(key="meeting_slide"):
    if kind == "overall":
        cards(
            [
                Card(t("overview.measures"), head.tasks),
                Card(t("overview.completion"), pct(head.completion_pct)),
                Card(t("overview.verified"), pct(head.verified_pct)),
                Card(t("overview.overdue"), head.overdue),
                Card(t("overview.due_soon", days=v.thresholds.due_soon_days), head.due_soon),
            ],
            key="meeting_figures",
        )
        light_row(
            v.memo("light_counts", lambda: light_counts(v.lights)),
            t("overview.lights_help", days=v.thresholds.due_soon_days, points=f"{v.thresholds.behind_points:g}"),
        )
    elif kind == "phases":
        plotly_chart(
            v.memo(
                "meeting_gantt",
                lambda: gantt(v.ledger.phases, v.tasks, v.as_of, v.lang, thresholds=v.thresholds).update_layout(
                    height=440, font={"size": 18}
                ),
            ),
            width="stretch",
            key="meeting_gantt",
        )
    elif kind == "overdue":
        leader, late = payload
        if late.empty:
            st.success(t("overview.no_overdue"), icon=":material/check_circle:")
        else:
            columns = (
                ("days_overdue", "measure", "department", "owner", "due")
                if leader
                else ("days_overdue", "measure", "leader", "owner", "due")
            )
            table(task_frame(late.head(SLIDE_ROWS), columns))
            if len(late) > SLIDE_ROWS:
                st.caption(t("slides.more", n=len(late) - SLIDE_ROWS))
    elif kind == "changes":
        changes = v.changes_since_previous()
        if changes is None:
            st.info(t("overview.since_none"), icon=":material/info:")
        else:
            counts_row(changes)
            newly = changes.newly_overdue.head(SLIDE_ROWS // 2)
            if len(newly):
                st.markdown(f"**{t('changes.newly_overdue')}**")
                table(task_frame(newly, ("days_overdue", "measure", "leader", "owner")))
            done = changes.newly_done.head(SLIDE_ROWS // 2)
            if len(done):
                st.markdown(f"**{t('changes.newly_done')}**")
                table(task_frame(done, ("measure", "leader", "owner")))
    elif kind == "carried":
        if not found.carried:
            st.info(t("meeting.no_carried"), icon=":material/info:")
        else:
            st.table(styled_states(literal_frame(state_frame(found.carried[:SLIDE_ROWS]))), hide_index=True)
            if len(found.carried) > SLIDE_ROWS:
                st.caption(t("slides.more", n=len(found.carried) - SLIDE_ROWS))
        st.caption(t("meeting.rule", days=DEFAULT_DAYS))
    else:
        if v.source.combined:
            st.caption(t("meeting.pick_unit"))
        elif access.allowed("record", v.source.unit_id, v.source.plan.id):
            with st.popover(t("meeting.record_open"), icon=":material/add_task:"):
                record_form(v, key="meeting_record")
        else:
            st.caption(t("meeting.editors_only"))
        current = requirements_of(v).current
        if current:
            table(current_frame(current[-SLIDE_ROWS:]))
        else:
            st.caption(t("meeting.no_current"))
