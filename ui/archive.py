"""The plan's archive and closing it, on the history page (README "The plan's archive (归档)"): for admins, the
archive zip made at the click and audited as a download, and closing the plan after a confirmation."""

from __future__ import annotations

import io
import os
from datetime import date, datetime
from functools import partial

import streamlit as st

from ledger import config
from ledger.metrics import Thresholds
from ledger.store import STORE_ERRORS, Plan, problem_code, problem_params
from ledger.text import minute_text
from ui import access, source
from ui.i18n import lang, t, tl

FLASH = "_archive_flash"
CONFIRM_KEY = "archive_close_confirm"


def _made(url: str, plan_id: int, unit_id: int | None, language: str, thresholds: Thresholds) -> bytes:
    """The archive's bytes, made when the browser asks for it (any thread: no session state, no t())."""
    from ledger import archive

    buffer = io.BytesIO()
    archive.write(source.store_at(url), plan_id, unit_id, buffer, lang=language, thresholds=thresholds)
    return buffer.getvalue()


def _close(plan_id: int) -> None:
    """Button callback: the plan closed, once the admin confirmed it; checked again at the click."""
    if not access.still_allowed("manage_plans"):
        st.session_state[FLASH] = ("error", t("account.forbidden"))
        return
    if not st.session_state.get(CONFIRM_KEY):
        return
    try:
        source.store().close_plan(plan_id, at=datetime.now(), by=access.who(), address=access.client_address())
    except STORE_ERRORS as problem:
        st.session_state[FLASH] = ("error", t(problem_code(problem), **problem_params(problem)))
        return
    st.session_state[FLASH] = ("success", tl("archive.closed", plan=source.store().plan(plan_id).name))


def closed_caption(plan: Plan) -> bool:
    """The badge of a closed plan: when and by whom; whether it is closed."""
    closed = source.store().closed(plan.id)
    if closed is not None:
        st.caption(tl("archive.closed_badge", at=minute_text(closed.at), by=closed.by))  # a name, literally
    return closed is not None


def archive_panel(plan: Plan, unit_id: int | None) -> None:
    """For admins: download the plan's archive (of the unit on screen, when one is), close the plan."""
    if not access.allowed("manage_plans"):
        return
    st.header(t("archive.title"))
    if FLASH in st.session_state:
        kind, text = st.session_state.pop(FLASH)
        (st.success if kind == "success" else st.error)(text)
    closed = closed_caption(plan)
    name = f"{plan.name}_{t('archive.title')}_{date.today().isoformat()}.zip"
    st.download_button(
        t("archive.download"),
        data=access.audited_data(
            partial(_made, source.db_url(), plan.id, unit_id, lang(), config.thresholds(os.environ, source.secrets())),
            f"archive: {name}",
            "manage_plans",
        ),
        file_name=name,
        mime="application/zip",
        on_click="ignore",
        help=t("archive.help"),
        icon=":material/archive:",
        key="archive_download",
    )
    if closed:
        return
    confirmed = st.checkbox(t("archive.close_confirm"), key=CONFIRM_KEY)
    st.button(
        t("archive.close"),
        on_click=_close,
        args=(plan.id,),
        disabled=not confirmed,
        icon=":material/lock:",
        key="archive_close",
    )
