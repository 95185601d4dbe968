"""The upload flow's Streamlit side: reading the chosen files once, and publishing them from a button callback."""

from __future__ import annotations

import logging
import os
from datetime import date, datetime

import streamlit as st

from ledger import Ledger, config
from ledger.intake import Limits
from ledger.publishing import check_upload, publish
from ledger.store import STORE_ERRORS, NewPlan, content_sha256, problem_code, problem_params
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


NEW_PLAN = 0  # the target picker's "a new plan" choice; plan ids start at 1
NO_UNIT = 0  # the unit picker's "no unit" choice; unit ids start at 1
TARGET_KEY = "upload_target"
UNIT_TARGET_KEY = "upload_unit"
PLAN_NAME_KEY = "upload_plan_name"


@st.cache_resource(show_spinner=False, max_entries=8)
def _checked(digest: str, plan_id: int | None, stamp: str | None, _files: tuple, received_on: date) -> Ledger:
    return check_upload(source.store(), list(_files), received_on, limits(), plan_id)


def checked(files: list[tuple[str, bytes]], plan_id: int | None) -> tuple[str, Ledger]:
    """The upload read as it would be published into the plan (None: a new one), cached per content, plan and
    last publish into it."""
    digest = content_sha256(files) + "|" + "|".join(name for name, _ in files)
    last = source.store().changes_stamp(plan_id) if plan_id is not None else None
    return digest, _checked(digest, plan_id, last, tuple(files), date.today())


def targets() -> dict[int, str]:
    """Where an upload may go: each real plan, or a new one. The demo plan never takes a real ledger."""
    real = {s.plan.id: s.plan.name for s in source.store().plans() if not s.plan.demo}
    return real | {NEW_PLAN: t("upload.new_plan")}


def unit_targets(plan_id: int | None) -> dict[int, str] | None:
    """The units this person may publish for (README "Units and the roll-up"): admins any, editors their own;
    "no unit" only for a plan without units, and not for an editor who has units. None: no units exist."""
    from ledger import accounts
    from ui import access

    every = accounts.units(source.store())
    if not every:
        return None
    mine = {u.id: u.name for u in every if access.allowed("publish", u.id)}
    user = access.current_user()
    plan_has_units = plan_id is not None and bool(accounts.units(source.store(), plan_id))
    if not plan_has_units and (user is None or user.role == "admin" or not user.units):
        return {NO_UNIT: t("upload.no_unit")} | mine
    return mine


def _unit_refused(plan_id: int | None, unit_id: int) -> bool:
    """Checked again when Publish is clicked: the unit is still one this person may publish for."""
    choices = unit_targets(plan_id)
    return unit_id != NO_UNIT if choices is None else unit_id not in choices


def _target_plan(ledger: Ledger, name_key: str) -> int | NewPlan:
    """The plan chosen on the page: an existing plan's id, or a new plan to create with the version."""
    target = st.session_state.get(TARGET_KEY, NEW_PLAN)
    if target != NEW_PLAN:
        return target
    return NewPlan(st.session_state.get(name_key, "") or ledger.title, datetime.now(), ledger.unit)


def do_publish(files: list[tuple[str, bytes]], ledger: Ledger, report_date_key: str, name_key: str) -> None:
    """Button callback: store the version (in a new plan when so chosen), follow it in the sidebar, empty the
    uploader, leave a message."""
    from ui import access

    by = access.who()
    note = st.session_state.get("upload_note", "").strip()
    target = _target_plan(ledger, name_key)
    unit_id = st.session_state.get(UNIT_TARGET_KEY, NO_UNIT) or NO_UNIT
    try:
        if not access.still_allowed("publish"):
            st.session_state[FLASH_KEY] = ("error", t("account.forbidden"))
            return
        if _unit_refused(target if isinstance(target, int) else None, unit_id):
            st.session_state[FLASH_KEY] = ("error", t("upload.unit_forbidden"))
            return
        result = publish(
            source.store(),
            files,
            ledger,
            plan=target,
            uploaded_by=by,
            uploaded_at=datetime.now(),
            note=note,
            report_date=st.session_state.get(report_date_key),
            unit_id=unit_id or None,
            address=access.client_address(),
        )
    except STORE_ERRORS as problem:  # nothing was stored: publishing is one transaction
        log.warning("publish failed: %r", problem)
        reason = t(problem_code(problem), **problem_params(problem))
        st.session_state[FLASH_KEY] = ("error", t("upload.failed", reason=reason))
        return
    if result is None:
        st.session_state[FLASH_KEY] = ("error", t("upload.rejected"))
        return
    key = "upload.published" if result.created else "upload.duplicate"
    shown_plan = source.store().plan(result.version.plan_id)
    st.session_state[FLASH_KEY] = (
        "success" if result.created else "info",
        t(key, n=result.version.number, day=result.version.report_date.isoformat(), plan=shown_plan.name),
    )
    source.choose_plan(shown_plan.id)
    if unit_id:
        source.choose_unit(unit_id)
    st.session_state[TARGET_KEY] = shown_plan.id
    st.session_state[UPLOADER_COUNT] = st.session_state.get(UPLOADER_COUNT, 0) + 1


def flash() -> None:
    """The message of the last publish, once."""
    kind, text = st.session_state.pop(FLASH_KEY, (None, None))
    if kind:
        getattr(st, kind)(text, icon=":material/check_circle:" if kind == "success" else None)
