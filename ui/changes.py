"""The "what changed" panel: counts and lists from ledger.diff, on the overview and the history page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ledger.diff import Changes
from ui.cards import Card, cards
from ui.i18n import lang, t
from ui.memo import memo
from ui.widgets import opened, task_table

SECTIONS = (  # (name, columns shown, drawn as an alarm)
    ("newly_overdue", ("days_overdue", "measure", "leader", "department", "owner", "due"), True),
    ("postponed", ("measure", "leader", "owner", "old_due", "new_due"), True),
    ("regressed", ("measure", "leader", "owner", "old_progress", "new_progress", "old_status", "new_status"), True),
    ("done_without_evidence", ("measure", "leader", "department", "owner"), True),
    ("newly_done", ("measure", "leader", "department", "owner"), False),
    ("status_changed", ("measure", "owner", "old_status", "new_status"), False),
    ("added", ("id", "category", "measure", "owner"), False),
    ("removed", ("id", "category", "measure", "owner"), False),
)


def _prepared(frame: pd.DataFrame) -> pd.DataFrame:
    """Old and new statuses in the UI language."""
    out = frame.copy()
    for name in ("old_status", "new_status"):
        if name in out:
            out[name] = out[name].map(lambda s: t(f"status.{s}"))
    return out


def counts_row(changes: Changes) -> None:
    """The alarming counts as figure cards: newly overdue, postponed, progress backwards, done without evidence."""
    cards([Card(t(f"changes.{name}"), len(getattr(changes, name))) for name, _, _ in SECTIONS[:4]], key="change_counts")


def details(changes: Changes, key: str) -> None:
    """One expander per kind of change that happened, with the measures concerned, the alarming ones marked; a list
    is drawn only while its expander is open, and opening one reruns the lists only (st.fragment)."""
    if changes.by_text:
        st.info(t("changes.by_text"), icon=":material/info:")
    happened = [(name, columns, alarm) for name, columns, alarm in SECTIONS if len(getattr(changes, name))]
    if not happened:
        st.caption(t("changes.nothing"))
        return
    _sections(changes, key, happened)


@st.fragment
def _sections(changes: Changes, key: str, happened: list) -> None:
    for name, columns, alarm in happened:
        frame = getattr(changes, name)
        section = opened(
            t(f"changes.{name}") + f" ({len(frame)})", f"{key}_{name}_open", ":material/warning:" if alarm else None
        )
        if section is not None:  # inside the fragment, opening one reruns the lists only
            with section:
                task_table(
                    memo(frame, ("prepared", lang()), lambda f=frame: _prepared(f)), columns, key=f"{key}_{name}"
                )
