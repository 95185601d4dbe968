"""Meeting mode (会议模式): the weekly meeting on a projector, one slide at a time, the slide number in the address
(?slide=3), text at least 1/30 of the screen's height, no sidebar and nothing to scroll.
Which slides there are and which rows each shows comes from ledger.slides; this page only draws them (ui.slides)."""

import streamlit as st

from ledger import metrics
from ledger.brief import headline_figures
from ledger.lights import counts as light_counts
from ledger.requirements import DEFAULT_DAYS
from ledger.slides import OVERALL_FIGURES, slides
from ledger.text import asked_number
from ui import access
from ui import slides as draw
from ui.cards import Card, cards
from ui.changes import counts_row
from ui.i18n import t
from ui.meeting import record_form, requirements_of
from ui.state import view
from ui.widgets import light_row

v = view()
head = v.memo("headline", lambda: metrics.headline(v.tasks, v.ledger.phases, v.as_of, v.thresholds))
changes = v.changes_since_previous()


def deck() -> list:
    found = requirements_of(v)  # read again after a requirement is recorded on the last slides
    return v.memo(
        "slides",
        lambda: slides(v.tasks, v.as_of, changes, found),
        changes is None,
        tuple((s.requirement.id, s.state, s.done) for s in found.carried),
        tuple(r.id for r in found.current),
    )


shown = deck()
asked = asked_number(st.query_params.get("slide", "1"))  # anything but a few ASCII digits is ignored
number = min(max(asked, 1), len(shown)) if asked is not None else 1
slide = shown[number - 1]


def go(to: int) -> None:
    st.query_params["slide"] = str(to)


st.html(f"<style>{draw.CSS}</style>")
bar = st.columns([6.4, 1, 1.8, 1.8, 3.2], vertical_alignment="center")
with bar[0]:
    st.title(draw.title(slide), anchor=False)
bar[1].markdown(t("slides.counter", n=number, total=len(shown)))
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
    disabled=number == len(shown),
    key="slide_next",
    icon=":material/chevron_right:",
    width="stretch",
    type="primary",
)
bar[4].page_link("pages/overview.py", label=t("slides.exit"), icon=":material/close:")

with st.container(key="meeting_slide"):
    if slide.kind == "overall":
        figures = {f["key"]: f for f in headline_figures(head, v.lang, v.thresholds)}  # the overview's, unnoted
        cards([Card(figures[k]["label"], figures[k]["value"]) for k in OVERALL_FIGURES], key="meeting_figures")
        light_row(
            v.memo("light_counts", lambda: light_counts(v.lights)),
            t("overview.lights_help", days=v.thresholds.due_soon_days, points=f"{v.thresholds.behind_points:g}"),
        )
    elif slide.kind == "phases":
        draw.phase_chart(v)
    elif slide.kind == "overdue":
        draw.overdue(slide)
    elif slide.kind == "changes":
        if changes is None:
            st.info(t("overview.since_none"), icon=":material/info:")
        else:
            if slide.figures:
                counts_row(changes)
            draw.changes(slide)
    elif slide.kind == "carried":
        st.caption(t("meeting.rule", days=DEFAULT_DAYS))
        draw.requirements(slide, "carried")
    else:
        if v.source.combined:
            st.caption(t("meeting.pick_unit"))
        elif access.allowed("record", v.source.unit_id, v.source.plan.id):
            with st.popover(t("meeting.record_open"), icon=":material/add_task:"):
                record_form(v, key="meeting_record")
        else:
            st.caption(t("meeting.editors_only"))
        draw.requirements(deck()[number - 1], "current")
