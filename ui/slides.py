"""Meeting mode's slides drawn (the list of slides and their rows come from ledger.slides): every text on a slide
is at least 1/30 of the screen's height, in vh units, so 36 px at 1920×1080 and 24 px at 1280×720; titles and key
figures larger. The phase chart is drawn in HTML for the same reason: its words scale with the screen."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from ledger import metrics
from ledger.escape import html_text
from ledger.figures import OVERDUE_COLOR, STATE_COLORS, STATUS_COLORS
from ledger.slides import LEADER_COLUMNS, NEWLY_DONE_COLUMNS, NEWLY_OVERDUE_COLUMNS, OVERDUE_COLUMNS, Slide
from ledger.text import percent
from ledger.vocab import DONE
from ui.i18n import t, tl
from ui.meeting import current_frame, state_frame, styled_states
from ui.state import View
from ui.widgets import literal_frame, table, task_frame

TEXT = "3.4vh"  # body text: 1/30 of the screen's height, rounded up (36.7 px at 1080, 24.5 px at 720)
CSS = (  # no sidebar or header; the root font is the body text, so Streamlit's rem sizes scale with the screen
    "section[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], [data-testid='stExpandSidebarButton'],"
    " header[data-testid='stHeader'] {display: none !important;}"
    f" html {{font-size: {TEXT} !important;}}"
    " [data-testid='stMainBlockContainer'] {padding: 1.2vh 3vw 0 3vw !important; max-width: 100% !important;}"
    " [data-testid='stMain'] h1 {font-size: 5.4vh !important; line-height: 1.2 !important; padding: 0 !important;}"
    " [data-testid='stMain'] :is(p, li, td, th, button, a, span, label, div, small, input, textarea)"
    f" {{font-size: max({TEXT}, 1em);}}"
    " [data-testid='stMain'] [data-testid='stVerticalBlock'] {gap: 1.2vh;}"
    " [data-testid='stMain'] :is(p, li) {line-height: 1.3; margin-bottom: 0;}"
    " [data-testid='stMain'] [data-testid='stMarkdownContainer'] {margin-bottom: 0 !important;}"
    " [data-testid='stMain'] button {min-height: 0; padding: 0.4vh 1.2vh;}"
    " .st-key-meeting_slide .figure-value {font-size: 10vh !important; line-height: 1.1; padding: 2vh 0;}"
    " .st-key-meeting_slide .light_row .figure-value {font-size: 9vh !important; padding: 1vh 0;}"
    f" .st-key-meeting_slide .figure-label {{font-size: {TEXT} !important; line-height: 1.3; min-height: 0;}}"
    " .st-key-meeting_slide .figure-help {display: none;}"
    " .st-key-meeting_slide .figure {padding: 3vh 1.6vh;}"
    " .st-key-meeting_slide .figures {gap: 1.6vh; margin-bottom: 3vh;}"
    f" .st-key-meeting_slide :is(td, th) {{font-size: {TEXT} !important; line-height: 1.3 !important;"
    " padding: 0.5vh 0.6em !important; vertical-align: top;}"
    " .st-key-meeting_slide :is(td, th) * {white-space: nowrap !important; max-width: none !important; min-width: 0 !important;}"
    " .st-key-meeting_slide table {width: 100%;}"
    + "".join(
        f" .st-key-meeting_slide [class*='st-key-wrap{n}'] td:nth-child({n}) *"
        " {white-space: normal !important; overflow-wrap: anywhere;}"
        f" .st-key-meeting_slide [class*='st-key-wrap{n}'] :is(td, th):nth-child({n}) {{width: 100%;}}"
        for n in (1, 2, 3)
    )
    + " .slide-gantt {position: relative; margin: 4vh 1vw 0 1vw; color: rgb(49, 51, 63);}"
    f" .slide-gantt .row {{margin-bottom: 3vh; font-size: {TEXT}; line-height: 1.3;}}"
    " .slide-gantt .label b {margin-right: 0.6em;} .slide-gantt .label .behind {color: " + OVERDUE_COLOR + ";}"
    " .slide-gantt .track {position: relative; height: 7vh; margin-top: 0.6vh; background: #F5F7F8;}"
    " .slide-gantt .bar {position: absolute; top: 0; bottom: 0; border-radius: 0.6vh; overflow: hidden;}"
    " .slide-gantt .done {position: absolute; left: 0; top: 38%; bottom: 38%; opacity: 0.75;}"
    f" .slide-gantt .axis {{position: relative; height: 5vh; font-size: {TEXT}; border-top: 1px solid #B0BEC5;}}"
    " .slide-gantt .tick {position: absolute; top: 0.6vh; transform: translateX(-50%); white-space: nowrap;}"
    " .slide-gantt .as-of {position: absolute; top: -4vh; bottom: 5vh; border-left: 0.35vh dashed "
    + OVERDUE_COLOR
    + ";} .slide-gantt .as-of span {position: absolute; top: 0; left: 0.6vh; white-space: nowrap; color: "
    + OVERDUE_COLOR
    + f"; font-size: {TEXT}; line-height: 1;}}"
)


def title(slide: Slide) -> str:
    """The slide's title; a leader's overdue slides name the leader, a continued slide its part (2/3)."""
    if slide.kind == "overdue" and slide.leader is not None:
        words = tl("slides.overdue_leader", leader=slide.leader) if slide.leader else t("slides.overdue")
    else:
        words = t(f"slides.{slide.kind}")
    return t("slides.part", title=words, n=slide.part, total=slide.parts) if slide.parts > 1 else words


def wrapped_table(frame: pd.DataFrame, column: int, name: str, styled: bool = False) -> None:
    """A slide's table whose `column` (1-based) wraps, the others on one line each."""
    with st.container(key=f"wrap{column}_{name}"):
        if styled:
            st.table(styled_states(literal_frame(frame)), hide_index=True)
        else:
            table(frame)


def overdue(slide: Slide) -> None:
    late = slide.sections[0][1]
    assert isinstance(late, pd.DataFrame)
    if late.empty:
        st.success(t("overview.no_overdue"), icon=":material/check_circle:")
    else:
        wrapped_table(task_frame(late, LEADER_COLUMNS if slide.leader is not None else OVERDUE_COLUMNS), 2, "overdue")


def changes(slide: Slide) -> None:
    for name, rows in slide.sections:
        if len(rows):  # type: ignore[arg-type]
            st.markdown(f"**{t('changes.' + name)}**")
            columns = NEWLY_OVERDUE_COLUMNS if name == "newly_overdue" else NEWLY_DONE_COLUMNS
            wrapped_table(task_frame(rows, columns), columns.index("measure") + 1, name)  # type: ignore[arg-type]


def requirements(slide: Slide, kind: str) -> None:
    found = slide.sections[0][1]
    if not found and kind == "carried":
        st.info(t("meeting.no_carried"), icon=":material/info:")
    elif not found:
        st.caption(t("meeting.no_current"))
    elif kind == "carried":
        frame = state_frame(found, target_length=10)  # type: ignore[arg-type]
        wrapped_table(frame.drop(columns=[t("meeting.by"), t("meeting.date")]), 2, kind, styled=True)
    else:
        wrapped_table(current_frame(found, target_length=10), 1, kind)  # type: ignore[arg-type]


def phase_chart(v: View) -> None:
    """The phases as bars on a time axis, each labelled above its bar with its dates, state and completion; the
    as-of date as a dashed line; dates written horizontally under the bars."""
    phases = v.ledger.phases
    states = metrics.phase_states(phases, v.tasks, v.as_of, v.thresholds.behind_points)
    days = [p.start for p in phases] + [p.end for p in phases] + [v.as_of]
    first, last = min(days) - timedelta(days=2), max(days) + timedelta(days=4)
    span = (last - first).days

    def at(day) -> float:
        return 100 * (day - first).days / span

    rows = []
    for s in states:
        left, right = at(s.phase.start), at(s.phase.end + timedelta(days=1))
        behind = f' · <span class="behind">{html_text(t("gantt.behind"))}</span>' if s.behind else ""
        done = (
            f'<div class="done" style="width:{s.completion_pct:.1f}%;background:{STATUS_COLORS[DONE]}"></div>'
            if s.completion_pct
            else ""
        )
        rows.append(
            f'<div class="row"><div class="label"><b>{html_text(s.name)}</b>'
            f"{s.phase.start.month}/{s.phase.start.day} – {s.phase.end.month}/{s.phase.end.day} · "
            f"{html_text(t('phase_state.' + s.state))} · {html_text(t('gantt.completion', pct=percent(s.completion_pct, 0)))}"
            f'{behind}</div><div class="track"><div class="bar" style="left:{left:.2f}%;width:{right - left:.2f}%;'
            f'background:{STATE_COLORS[s.state]}">{done}</div></div></div>'
        )
    step = max(1, round(span / 6 / 7)) * 7  # about six ticks, a whole number of weeks apart
    ticks = "".join(
        f'<span class="tick" style="left:{at(day):.2f}%">{day.month}/{day.day}</span>'
        for day in (first + timedelta(days=d) for d in range(2, span - 1, step))
    )
    marker = (
        f'<div class="as-of" style="left:{at(v.as_of):.2f}%">'
        f"<span>{html_text(t('gantt.as_of', day=f'{v.as_of.month}/{v.as_of.day}'))}</span></div>"
    )
    st.html(f'<div class="slide-gantt">{"".join(rows)}<div class="axis">{ticks}</div>{marker}</div>')
