"""Grouping the figures by an extra field instead of the category, and totalling amounts (README "The ledger spreadsheet",
extra fields): the categories page's choice, which the meeting pack's brief follows."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ledger import metrics
from ledger.model import EXTRA_PREFIX
from ledger.report import column_name
from ui.cards import small_table
from ui.i18n import lang, literal, t, tl
from ui.state import View
from ui.widgets import opened

GROUP_KEY = "category_group"  # the extra field the categories page groups by ("" or absent: the category)


def grouping(v: View) -> str:
    """The column the categories page groups by: a picker of the category and the extra fields of text with few
    values (metrics.groupings), shown only when there are such; "category" otherwise."""
    choices = v.memo("groupings", lambda: metrics.groupings(v.ledger.tasks))
    if not choices:
        return "category"
    if st.session_state.get(GROUP_KEY) not in ("", *choices):
        st.session_state[GROUP_KEY] = ""
    chosen = st.selectbox(
        t("categories.group_by"),
        ["", *choices],
        key=GROUP_KEY,
        format_func=lambda g: literal(g) if g else t("field.category"),
        help=t("categories.group_by_help"),
    )
    return EXTRA_PREFIX + chosen if chosen else "category"


def chosen_group(tasks: pd.DataFrame) -> str:
    """The extra field chosen on the categories page, when this ledger has it ("" for the category)."""
    chosen = st.session_state.get(GROUP_KEY) or ""
    return chosen if chosen and EXTRA_PREFIX + chosen in tasks else ""


def named_groups(table: pd.DataFrame) -> pd.DataFrame:
    """metrics.by_group's table with the rows that name no value called so."""
    return table.assign(name=table["name"].where(table["name"] != "", t("categories.blank")))


def amount_tables(v: View, column: str) -> None:
    """Each amount the ledger adds (a number extra field, such as 涉及金额（万元）) totalled per group — and per unit,
    all units together — in a panel drawn when opened: total, done, not done."""
    for i, name in enumerate(v.memo("amount_fields", lambda: metrics.amount_fields(v.tasks))):
        section = opened(tl("categories.amounts", name=name), f"amounts_{i}", ":material/functions:")
        if section is None:
            continue
        with section:
            for by in (column, "unit") if "unit" in v.tasks else (column,):
                table = v.memo("amounts", lambda n=name, b=by: _amounts(v, n, b), name, by)
                small_table(table, key=f"amounts_{i}_{'unit' if by == 'unit' else 'group'}")


def _amounts(v: View, name: str, by: str) -> pd.DataFrame:
    table = metrics.amounts(v.tasks, name, by)
    total = metrics.amounts(v.tasks, name).assign(name=t("categories.total"))
    shown = named_groups(pd.concat([table, total], ignore_index=True))
    return shown.rename(
        columns={
            "name": column_name(by, lang()),
            "total": t("categories.amount_total"),
            "done": t("categories.amount_done"),
            "not_done": t("categories.amount_not_done"),
        }
    ).round(2)
