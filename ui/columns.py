"""The Upload page's column step: how each column of the ledger is read, for a person to confirm or change once
(README "The ledger spreadsheet", columns by meaning); the choice is kept with the plan when published."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ledger import Ledger
from ledger.intake import CHOICES, key_of
from ledger.report import field_label, reason_text
from ui.i18n import lang, t

CONFIRMED_KEY = "_columns_confirmed"  # the uploads (by digest) whose columns a person confirmed as shown


def editor_key(digest: str) -> str:
    return f"columns_{digest[:16]}"


def _labels() -> dict[str, str]:
    """Each choice's words in the UI language → the choice."""
    return {field_label(choice, lang()): choice for choice in CHOICES}


def chosen(base: Ledger, digest: str) -> dict[str, str] | None:
    """This person's choice of columns for the upload — the step's table as shown, with their changes — once they
    changed a cell or confirmed it; None before."""
    state = st.session_state.get(editor_key(digest))
    edited = state.get("edited_rows", {}) if isinstance(state, dict) else {}
    if not edited and digest not in st.session_state.get(CONFIRMED_KEY, set()):
        return None
    labels = _labels()
    fields = [c.field for c in base.columns]
    for row, change in edited.items():
        label = change.get(t("columns.field"))
        if label in labels and 0 <= int(row) < len(fields):
            fields[int(row)] = labels[label]
    return {key_of(c.header): field for c, field in zip(base.columns, fields, strict=True) if c.header}


def _confirm(digest: str) -> None:
    st.session_state[CONFIRMED_KEY] = st.session_state.get(CONFIRMED_KEY, set()) | {digest}


def step(base: Ledger, digest: str, confirmed: bool) -> None:
    """The column step: each column's letter, header and first values, the field it is read as (a picker: a task
    field, an extra field kept as written, or not read), how sure that is and why. `base` is the upload read without
    this person's choice, so that the table stays what they edit; the check below follows their changes."""
    st.subheader(t("columns.title"))
    st.caption(t("columns.confirmed" if confirmed else "columns.caption"))
    labels = list(_labels())
    frame = pd.DataFrame(
        {
            t("columns.letter"): [c.letter for c in base.columns],
            t("columns.header"): [c.header for c in base.columns],
            t("columns.sample"): [" | ".join(c.sample) for c in base.columns],
            t("columns.field"): [field_label(c.field, lang()) for c in base.columns],
            t("columns.sure"): [t("columns.yes") if c.sure else t("columns.ask") for c in base.columns],
            t("columns.reason"): [reason_text(c, lang()) for c in base.columns],
        }
    )
    st.data_editor(
        frame,
        key=editor_key(digest),
        hide_index=True,
        width="stretch",
        num_rows="fixed",
        disabled=[name for name in frame.columns if name != t("columns.field")],
        column_config={
            t("columns.field"): st.column_config.SelectboxColumn(options=labels, required=True, width="medium"),
            t("columns.reason"): st.column_config.TextColumn(width="large"),
        },
    )
    if not confirmed:
        st.button(
            t("columns.confirm"),
            icon=":material/task_alt:",
            on_click=_confirm,
            args=(digest,),
            key=f"columns_confirm_{digest[:16]}",
        )
