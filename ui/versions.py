"""Withdrawing a version and restoring it, on the history page."""

from __future__ import annotations

from datetime import datetime
from functools import partial

import pandas as pd
import streamlit as st

from ledger.store import STORE_ERRORS, Version, problem_code, problem_params
from ledger.text import minute_text
from ui import access, source
from ui.i18n import lang, literal, t
from ui.memo import memo
from ui.widgets import arrow_table, opened, task_table

FLASH = "_versions_flash"
WITHDRAW_OPEN_KEY = "withdraw_open"  # the panels of the history page, drawn only while open
DOWNLOADS_OPEN_KEY = "downloads_open"
POSTPONEMENTS_OPEN_KEY = "postponements_open"
COMPARE_OPEN_KEY = "compare_open"


def _withdraw(labels: dict[int, str]) -> None:
    version_id = st.session_state.get("withdraw_version")
    reason = st.session_state.get("withdraw_reason", "")
    if not isinstance(version_id, int):  # a picker offers version ids only
        st.session_state[FLASH] = ("error", t("account.forbidden"))
        return
    try:
        version = source.store().version(version_id)
        if not access.still_allowed("withdraw", version.unit_id, version.plan_id):  # checked again on click
            st.session_state[FLASH] = ("error", t("account.forbidden"))
            return
        source.store().withdraw(
            version_id, by=access.who(), reason=reason, at=datetime.now(), address=access.client_address()
        )
    except STORE_ERRORS as problem:
        st.session_state[FLASH] = ("error", t(problem_code(problem), **problem_params(problem)))
        return
    st.session_state["withdraw_reason"] = ""
    st.session_state[FLASH] = ("success", t("versions.withdrawn", label=labels.get(version_id, version_id)))


def _restore(version_id: int, label: str) -> None:
    if not access.still_allowed("restore"):
        st.session_state[FLASH] = ("error", t("account.forbidden"))
        return
    try:
        source.store().restore(version_id, by=access.who(), at=datetime.now(), address=access.client_address())
    except STORE_ERRORS as problem:
        st.session_state[FLASH] = ("error", t(problem_code(problem), **problem_params(problem)))
        return
    st.session_state[FLASH] = ("success", t("versions.restored", label=label))


def withdrawal_panel(plan_id: int, live: dict[int, Version], labels: dict[int, str], stamp: str | None = None) -> None:
    """Editors (for their units) and admins withdraw a version with a reason; admins restore a withdrawn one. The
    withdrawal form is drawn only while its panel is open; `stamp` is the plan's changes_stamp when the page has it."""
    flash = st.session_state.pop(FLASH, None)
    if flash:
        (st.success if flash[0] == "success" else st.error)(flash[1])
    may = {unit: access.allowed("withdraw", unit, plan_id) for unit in {version.unit_id for version in live.values()}}
    mine = [i for i, version in live.items() if may[version.unit_id]]
    if mine:
        panel = opened(t("versions.withdraw_title"), WITHDRAW_OPEN_KEY, ":material/undo:")
        if panel is not None:
            with panel:
                st.caption(t("versions.withdraw_help"))
                st.selectbox(t("history.version"), mine, format_func=labels.get, key="withdraw_version")
                st.text_input(t("versions.reason"), key="withdraw_reason", max_chars=2000)
                st.button(
                    t("versions.withdraw"),
                    on_click=_withdraw,
                    args=(labels,),
                    key="withdraw_button",
                    icon=":material/undo:",
                )
    withdrawn = source.withdrawn_versions(plan_id, stamp)
    if withdrawn:
        with st.expander(t("versions.withdrawn_title", n=len(withdrawn)), icon=":material/inventory_2:"):
            for version in withdrawn:
                label = source.version_label(version)
                st.markdown(
                    literal(
                        t(
                            "versions.withdrawn_line",
                            label=label,
                            by=version.withdrawn_by,
                            at=minute_text(version.withdrawn_at),
                            reason=version.withdrawn_reason,
                        )
                    )
                )
                if access.allowed("restore"):
                    st.button(
                        t("versions.restore"),
                        on_click=_restore,
                        args=(version.id, label),
                        key=f"restore_{version.id}",
                        icon=":material/restore:",
                    )


def downloads_panel(version_ids: list[int], labels: dict[int, str]) -> None:
    """Each version's original files, for those who may download them (the page checks); read from the store only
    while the panel is open, and each download audited."""
    panel = opened(t("history.download"), DOWNLOADS_OPEN_KEY, ":material/download:")
    if panel is None:
        return
    with panel:
        chosen = st.selectbox(t("history.version"), version_ids, format_func=labels.get, key="download_version")
        for position, name in enumerate(source.store().version(chosen).file_names):
            st.download_button(
                literal(name),
                data=access.audited_data(
                    partial(_original, source.db_url(), chosen, position), f"version {chosen}: {name}", "originals"
                ),
                file_name=name,
                key=f"file_{chosen}_{position}",
                on_click="ignore",
                icon=":material/description:",
            )


def _original(url: str, version_id: int, position: int) -> bytes:
    """An original file of a version, read from the store when its download is asked for (any thread)."""
    return source.store_at(url).files(version_id)[position][1]


def postponements_panel(per_measure: pd.DataFrame, per_leader: pd.DataFrame) -> None:
    """Postponed deadlines across the versions (ledger.diff.postponements), per leader and per measure, in a panel
    labelled with the counts."""
    if per_measure.empty:
        st.caption(t("history.no_postponements"))
        return
    panel = opened(
        t("history.postponed_lists", n=len(per_measure), leaders=len(per_leader)),
        POSTPONEMENTS_OPEN_KEY,
        ":material/event_busy:",
    )
    if panel is None:
        return
    with panel:
        heads = {"leader": t("field.leader"), "times": t("history.times"), "measures": t("history.measures_postponed")}
        st.dataframe(
            arrow_table(memo(per_leader, ("shown", lang()), lambda: per_leader.rename(columns=heads))),
            hide_index=True,
            width="stretch",
            key="postponed_leaders",
        )
        renamed = {"first_due": "old_due", "last_due": "new_due"}
        task_table(
            memo(per_measure, ("shown",), lambda: per_measure.rename(columns=renamed).assign(long_term=False)),
            ("id", "measure", "leader", "times", "old_due", "new_due"),
            key="postponed_measures",
        )
