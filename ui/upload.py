"""The upload flow's Streamlit side: reading the chosen files once, and publishing them from a button callback."""

from __future__ import annotations

import logging
import os
from datetime import date, datetime

import streamlit as st

from ledger import Ledger, config
from ledger.guard import Limits
from ledger.publishing import check_upload, publish
from ledger.store import STORE_ERRORS, content_sha256, problem_code
from ui import source
from ui.i18n import t

UPLOADER_COUNT = "_uploader_count"
FLASH_KEY = "_upload_flash"
MAX_FILES = 2
log = logging.getLogger(__name__)


def limits() -> Limits:
    return config.limits(os.environ, source.secrets())


def uploader_key() -> str:
    """A fresh key empties the file uploader after a publish."""
    return f"upload_files_{st.session_state.get(UPLOADER_COUNT, 0)}"


@st.cache_resource(show_spinner=False, max_entries=8)
def _checked(digest: str, latest_id: int | None, _files: tuple, received_on: date) -> Ledger:
    return check_upload(source.store(), list(_files), received_on, limits())


def checked(files: list[tuple[str, bytes]]) -> tuple[str, Ledger]:
    """The upload read as it would be published (cached per content and current version)."""
    digest = content_sha256(files) + "|" + "|".join(name for name, _ in files)
    return digest, _checked(digest, source.store().latest_id(), tuple(files), date.today())


def do_publish(files: list[tuple[str, bytes]], ledger: Ledger, report_date_key: str) -> None:
    """Button callback: store the version, follow it in the sidebar, empty the uploader, leave a message."""
    by = st.session_state.get("upload_by", "").strip() or t("upload.anonymous")
    note = st.session_state.get("upload_note", "").strip()
    try:
        result = publish(source.store(), files, ledger, uploaded_by=by, uploaded_at=datetime.now(), note=note,
                         report_date=st.session_state.get(report_date_key))
    except STORE_ERRORS as problem:  # nothing was stored: publishing is one transaction
        log.warning("publish failed: %r", problem)
        st.session_state[FLASH_KEY] = ("error", t("upload.failed", reason=t(problem_code(problem))))
        return
    if result is None:
        st.session_state[FLASH_KEY] = ("error", t("upload.rejected"))
        return
    key = "upload.published" if result.created else "upload.duplicate"
    st.session_state[FLASH_KEY] = ("success" if result.created else "info",
                                   t(key, n=result.version.id, day=result.version.report_date.isoformat()))
    st.session_state[source.VERSION_KEY] = source.LATEST
    st.session_state[UPLOADER_COUNT] = st.session_state.get(UPLOADER_COUNT, 0) + 1


def flash() -> None:
    """The message of the last publish, once."""
    kind, text = st.session_state.pop(FLASH_KEY, (None, None))
    if kind:
        getattr(st, kind)(text, icon=":material/check_circle:" if kind == "success" else None)
