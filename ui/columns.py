"""The Upload page's column step: how each column of the ledger is read, for a person to confirm or change once
(README "The ledger spreadsheet", columns by meaning); the choice is kept with the plan when published.

Each column is a picker of its own (a task field, an extra field kept as written, or not read), labelled with its
letter and header, its reason and first cells in its help: reachable by keyboard and read out by a screen reader,
where a grid drawn on a canvas is neither."""

from __future__ import annotations

import streamlit as st

from ledger import Ledger
from ledger.intake import CHOICES, choice_keys
from ledger.model import ColumnChoice
from ledger.report import field_label, reason_text
from ui.i18n import lang, literal, t

CONFIRMED_KEY = "_columns_confirmed"  # the uploads (by digest) whose columns a person confirmed as shown
PER_ROW = 3


def picker_key(digest: str, choice: ColumnChoice) -> str:
    return f"column_{digest[:16]}_{choice.column}"


def chosen(base: Ledger, digest: str) -> dict[str, str] | None:
    """This person's choice of columns for the upload — each column as its picker says — once they changed one or
    confirmed them; None before."""
    picked = {c.column: st.session_state.get(picker_key(digest, c), c.field) for c in base.columns}
    changed = any(picked[c.column] != c.field for c in base.columns)
    if not changed and digest not in st.session_state.get(CONFIRMED_KEY, set()):
        return None
    keys = choice_keys(base.columns)
    return {key: picked[c.column] for key, c in zip(keys, base.columns, strict=True) if c.header}


def _confirm(digest: str) -> None:
    st.session_state[CONFIRMED_KEY] = st.session_state.get(CONFIRMED_KEY, set()) | {digest}


def _label(choice: ColumnChoice) -> str:
    mark = "" if choice.sure else t("columns.ask_mark")
    return literal(f"{mark}{choice.letter} · {choice.header or '—'}")


def _help(choice: ColumnChoice) -> str:
    sample = " | ".join(choice.sample) or "—"
    return literal(t("columns.help", reason=reason_text(choice, lang()), sample=sample))


def step(base: Ledger, digest: str, confirmed: bool) -> None:
    """The column step: a picker per column, proposed as read (`base`: the upload read without this person's
    choice, so the proposals stay put while they change them); the check below follows their choice."""
    st.header(t("columns.title"))
    st.caption(t("columns.confirmed" if confirmed else "columns.caption"))
    language = lang()
    columns = [c for c in base.columns if c.header or c.field != "ignore"]
    for start in range(0, len(columns), PER_ROW):
        for place, choice in zip(st.columns(PER_ROW), columns[start : start + PER_ROW], strict=False):
            key = picker_key(digest, choice)
            if key not in st.session_state:
                st.session_state[key] = choice.field
            place.selectbox(
                _label(choice),
                CHOICES,
                key=key,
                format_func=lambda field: field_label(field, language),
                help=_help(choice),
                disabled=not choice.header,  # a column without a header is kept as an extra field
            )
    if not confirmed:
        st.button(
            t("columns.confirm"),
            icon=":material/task_alt:",
            on_click=_confirm,
            args=(digest,),
            key=f"columns_confirm_{digest[:16]}",
        )
