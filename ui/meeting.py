"""What the pages show of the weekly meeting: requirements and their states, the form that records them, and the
meeting pack's downloads. The figures come from ledger.requirements, ledger.meeting and ledger.brief."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st

from ledger import brief, meeting
from ledger.requirements import (
    DEFAULT_DAYS,
    SCOPES,
    MeetingRequirements,
    RequirementError,
    RequirementState,
    counts,
    default_meeting_date,
)
from ledger.store import STORE_ERRORS, problem_code, problem_params
from ui import access, source
from ui.cards import Card, cards
from ui.groups import chosen_group
from ui.i18n import lang, t
from ui.state import View
from ui.widgets import XLSX_MIME, colored_words

STATE_COLORS = {"met": "#C8E6C9", "pending": "#ECEFF1", "missed": "#FFCDD2"}
PDF_MIME = "application/pdf"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PACK_OPEN_KEY = "pack_open"  # the overview's meeting pack panel, drawn only while open


@st.cache_data(show_spinner=False, max_entries=32)
def _requirements(url: str, version_id: int, as_of: date, stamp: tuple[int, int], versions: str) -> MeetingRequirements:
    store = source.store()
    return meeting.version_requirements(store, store.version(version_id), as_of)


def requirements_of(v: View) -> MeetingRequirements:
    """The requirements the version on screen shows (earlier meetings' still open, and this meeting's); all units
    together: those each unit's newest version shows."""
    store = source.store()
    stamp = store.requirements_stamp(v.source.plan.id)
    if stamp[0] == 0:
        return MeetingRequirements([], [])
    changes = v.source.stamp
    if not v.source.combined:
        return _requirements(source.db_url(), v.source.version.id, v.as_of, stamp, changes)
    return meeting.all_units_requirements(store, v.source.plan.id, v.as_of, _requirements_of(v))


def _requirements_of(v: View):
    """A version's requirements on a day, from the cache (for ledger.meeting's all-units functions)."""
    stamp = source.store().requirements_stamp(v.source.plan.id)
    return lambda version, day: _requirements(source.db_url(), version.id, day, stamp, v.source.stamp)


def target_text(requirement, length: int | None = None) -> str:
    return brief.requirement_target(requirement, lang(), length=length)


def state_frame(found: list[RequirementState], target_length: int | None = None) -> pd.DataFrame:
    """Each requirement with its state as a word (and counts when it concerns several measures); what it concerns
    cut to `target_length` (a slide's table)."""
    return pd.DataFrame(
        {
            t("meeting.state"): [
                t(f"requirement.state.{s.state}") + (f" {s.done}/{s.concerned}" if s.concerned > 1 else "")
                for s in found
            ],
            t("meeting.text"): [s.requirement.text for s in found],
            t("meeting.target"): [target_text(s.requirement, target_length) for s in found],
            t("meeting.by"): [s.requirement.given_by for s in found],
            t("meeting.date"): [s.requirement.meeting_date.isoformat() for s in found],
            t("meeting.required_by"): [s.requirement.required_by.isoformat() for s in found],
        }
    )


def _state_color(word: str) -> str | None:
    """The colour of a requirement's state word (with or without its counts)."""
    return next((c for name, c in STATE_COLORS.items() if word.startswith(t(f"requirement.state.{name}"))), None)


def styled_states(frame: pd.DataFrame):
    """The state column coloured as well as worded (for st.table, which has no column config)."""
    return frame.style.map(
        lambda v: f"background-color: {color}" if (color := _state_color(str(v))) else "", subset=[t("meeting.state")]
    )


def state_table(found: list[RequirementState], key: str) -> None:
    frame = state_frame(found)
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        key=key,
        column_config={
            t("meeting.text"): st.column_config.TextColumn(width="large"),
            t("meeting.state"): colored_words(frame[t("meeting.state")], _state_color),
        },
    )


def current_frame(found, target_length: int | None = None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("meeting.text"): [r.text for r in found],
            t("meeting.target"): [target_text(r, target_length) for r in found],
            t("meeting.by"): [r.given_by for r in found],
            t("meeting.required_by"): [r.required_by.isoformat() for r in found],
        }
    )


def carried_summary(found: MeetingRequirements, key: str) -> None:
    """Last meetings' requirements on the overview: counts per state and the list."""
    if not found.carried:
        st.caption(t("meeting.no_carried"))
        return
    tally = counts(found.carried)
    cards(
        [Card(t(f"requirement.state.{name}"), tally[name]) for name in ("missed", "pending", "met")],
        key="requirement_counts",
    )
    state_table(found.carried, key=key)


def record_form(v: View, key: str) -> None:
    """Record a requirement of this meeting against a measure, a leader or a department of the version on screen.
    It is stored with the plan; the ledger is never edited."""
    tasks = v.ledger.tasks
    scope = st.radio(
        t("meeting.scope"), SCOPES, horizontal=True, key=f"{key}_scope", format_func=lambda s: t(f"meeting.scope_{s}")
    )
    if scope == "measure":
        labels = dict(
            zip(
                tasks["id"].where(tasks["id"] != "", tasks["key"]),
                (f"{i or r} {m[:40]}" for i, r, m in zip(tasks["id"], tasks["row"], tasks["measure"], strict=True)),
                strict=True,
            )
        )
    else:
        labels = {name: name for name in dict.fromkeys(n for n in tasks[scope] if n)}
    with st.form(key, clear_on_submit=True, border=False):
        target = st.selectbox(
            t(f"meeting.scope_{scope}"),
            list(labels),
            format_func=labels.get,
            key=f"{key}_target",
            index=None,
            placeholder=t("meeting.choose"),
        )
        text = st.text_area(t("meeting.text"), key=f"{key}_text", max_chars=2000, height=80)
        left, middle, right = st.columns(3)
        given_by = left.text_input(
            t("meeting.by"), key=f"{key}_by", max_chars=200, placeholder=t("meeting.by_placeholder")
        )
        meeting_date = middle.date_input(
            t("meeting.date"), value=default_meeting_date(v.as_of, date.today()), key=f"{key}_date", format="YYYY-MM-DD"
        )
        due = right.date_input(
            t("meeting.due"),
            value=None,
            key=f"{key}_due",
            format="YYYY-MM-DD",
            help=t("meeting.due_help", days=DEFAULT_DAYS),
        )
        if not st.form_submit_button(t("meeting.record"), icon=":material/add_task:", type="primary"):
            return
    if not access.still_allowed("record", v.source.unit_id, v.source.plan.id):
        st.error(t("account.forbidden"), icon=":material/block:")
        return
    try:
        meeting.record(
            source.store(),
            v.source.version,
            scope=scope,
            target=target or "",
            text=text,
            given_by=given_by,
            meeting_date=meeting_date,
            due=due,
            recorded_by=access.who_records(),
            recorded_at=datetime.now(),
            address=access.client_address(),
        )
    except RequirementError as problem:
        st.error(t(problem.code, **problem.params), icon=":material/error:")
        return
    except STORE_ERRORS as problem:
        st.error(t(problem_code(problem), **problem_params(problem)), icon=":material/database_off:")
        return
    st.success(t("meeting.recorded"), icon=":material/check_circle:")


def _context(v: View) -> brief.Context:
    store = source.store()
    if v.source.combined:  # all units together (ledger.rollup.all_units), the unit named in every notice
        found = meeting.all_units_context(
            store,
            v.source.plan,
            as_of=v.as_of,
            lang=v.lang,
            thresholds=v.thresholds,
            filters=v.filters,
            group_by=chosen_group(v.tasks),
            ledgers_of=lambda ids: source.unit_ledgers(source.db_url(), ids),
            requirements_of=_requirements_of(v),
        )
        if found is not None:  # never: the sidebar stops a page for a day no unit had reported by
            return found
    return meeting.context(
        store,
        v.source.version,
        as_of=v.as_of,
        lang=v.lang,
        thresholds=v.thresholds,
        filters=v.filters,
        group_by=chosen_group(v.tasks),
    )


def _typeset():
    from ledger import typeset  # typst, imported when the first PDF or image is made (not on the first page load)

    return typeset


def _word():
    from ledger import word  # python-docx, likewise

    return word


def pack_downloads(v: View, key: str) -> None:
    """The meeting pack, one click each, from the version and filters on screen and in the UI language; each
    download goes into the audit trail."""
    if v.filtered:
        st.caption(t("meeting.pack_filtered"))
    brief_name, notices_name = t("meeting.brief_file", day=v.as_of), t("meeting.notices_file", day=v.as_of)
    first, second = st.columns(3), st.columns(3)
    by = second[0].radio(  # not a segmented control: its first label in Chinese makes Streamlit load its emoji
        t("meeting.notices_by"),  # catalogue, a tenth of a second of the first page after a start
        brief.BY_CHOICES,
        index=brief.BY_CHOICES.index("leader"),
        format_func={b: t(f"meeting.by_{b}") for b in brief.BY_CHOICES}.get,  # fixed now: a lazy t() reads late
        key=f"{key}_by",
        horizontal=True,
    )
    items = (  # (column, label, make the bytes, file name, MIME type, icon, key)
        (
            first[0],
            "meeting.brief_pdf",
            lambda: _typeset().pdf("brief.typ", brief.brief_data(_context(v))),
            brief_name + ".pdf",
            PDF_MIME,
            ":material/picture_as_pdf:",
            "pdf",
        ),
        (
            first[1],
            "meeting.brief_docx",
            lambda: _word().brief_docx(brief.brief_data(_context(v))),
            brief_name + ".docx",
            DOCX_MIME,
            ":material/description:",
            "docx",
        ),
        (
            first[2],
            "meeting.image",
            lambda: _typeset().png("headline.typ", brief.brief_data(_context(v))),
            brief_name + ".png",
            "image/png",
            ":material/image:",
            "png",
        ),
        (
            second[1],
            "meeting.notices_pdf",
            lambda: _typeset().pdf("notices.typ", brief.notices_data(_context(v), by)),
            notices_name + ".pdf",
            PDF_MIME,
            ":material/assignment_late:",
            "notices_pdf",
        ),
        (
            second[2],
            "meeting.notices_docx",
            lambda: _word().notices_zip(brief.notices_data(_context(v), by)),
            notices_name + ".zip",
            "application/zip",
            ":material/folder_zip:",
            "notices_zip",
        ),
        (
            st,
            "meeting.workbook",
            lambda: brief.version_workbook(_context(v)),
            t("meeting.workbook_file", day=v.as_of) + ".xlsx",
            XLSX_MIME,
            ":material/table:",
            "xlsx",
        ),
    )
    for place, label, make, name, mime, icon, suffix in items:
        place.download_button(
            t(label),
            data=access.audited_data(make, name),
            file_name=name,
            mime=mime,
            key=f"{key}_{suffix}",
            icon=icon,
            on_click="ignore",
            width="stretch" if place is not st else "content",
        )


@st.cache_data(show_spinner=False, max_entries=8)
def _requirement_history(
    url: str, plan_id: int, unit_id: int | None, stamp: tuple[int, int], stamp_versions: str, lang: str
) -> pd.DataFrame:
    versions, rows = meeting.requirement_history(source.store(), plan_id, unit_id)
    labels = {v.id: source.version_label(v) for v in versions}
    recorded = {v.id: labels[v.id] for v in versions}
    return pd.DataFrame(
        [
            {
                t("meeting.text"): r.text,
                t("meeting.target"): target_text(r),
                t("meeting.by"): r.given_by,
                t("meeting.required_by"): r.required_by.isoformat(),
                t("meeting.recorded_on"): recorded.get(r.version_id, ""),
                **{
                    labels[v.id]: t(f"requirement.state.{states[v.id]}") if v.id in states else "" for v in versions[1:]
                },
            }
            for r, states in rows
        ]
    )


def requirement_history(plan_id: int, unit_id: int | None, versions_stamp: str) -> None:
    """The history page's table: each requirement (of the unit, when given) and its state in every later
    version; `versions_stamp` is the plan's changes_stamp."""
    store = source.store()
    stamp = store.requirements_stamp(plan_id)
    if stamp[0] == 0:
        st.caption(t("meeting.history_none"))
        return
    frame = _requirement_history(source.db_url(), plan_id, unit_id, stamp, versions_stamp, lang())
    fixed = {t(f"meeting.{name}") for name in ("text", "target", "by", "required_by", "recorded_on")}
    states = [column for column in frame.columns if column not in fixed]  # one column per later version
    words = colored_words(pd.unique(frame[states].to_numpy(dtype=object).ravel()), _state_color)
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        key="requirement_history",
        column_config={column: words for column in states},
    )
    st.caption(t("meeting.rule", days=DEFAULT_DAYS))
