"""The upload flow's Streamlit side: reading the chosen files once, and publishing them from a button callback."""

from __future__ import annotations

import logging
import os
from datetime import date, datetime

import pandas as pd
import streamlit as st

from ledger import Ledger, config
from ledger.intake import Limits
from ledger.publishing import UnitParts, check_upload, columns_chosen, publish, publish_units, split_units
from ledger.store import STORE_ERRORS, NewPlan, Plan, Published, content_sha256, problem_code, problem_params
from ledger.text import fold
from ui import source
from ui.cards import small_table
from ui.i18n import literal, t, tl

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


@st.cache_resource(show_spinner=False, max_entries=16)
def _checked(
    digest: str, plan_id: int | None, stamp: str | None, columns: tuple, _files: tuple, received_on: date
) -> Ledger:
    return check_upload(source.store(), list(_files), received_on, limits(), plan_id, dict(columns) or None)


def checked(
    files: list[tuple[str, bytes]], plan_id: int | None, columns: dict[str, str] | None = None
) -> tuple[str, Ledger]:
    """The upload read as it would be published into the plan (None: a new one) — its columns as chosen on the page
    (`columns`), else as the plan remembers them — cached per content, plan, choice and last publish into it."""
    digest = content_sha256(files) + "|" + "|".join(name for name, _ in files)
    last = source.store().changes_stamp(plan_id) if plan_id is not None else None
    chosen = tuple(sorted((columns or {}).items()))
    return digest, _checked(digest, plan_id, last, chosen, tuple(files), date.today())


NEW_UNIT = -1  # a unit a ledger names that the store does not know yet: only admins may add it by publishing


def unit_parts(ledger: Ledger) -> UnitParts | None:
    """A ledger whose rows name their units, split into the units' ledgers (None: it names none)."""
    return split_units(ledger) if "unit" in ledger.tasks else None


def refused_units(parts: UnitParts, plan_id: int | None) -> list[str]:
    """The units of a group's ledger this person may not publish for into the plan (None: a new one)."""
    from ledger import accounts
    from ui import access

    known = {fold(u.name): u.id for u in accounts.units(source.store())}
    return [name for name, _ in parts.parts if not access.allowed("publish", known.get(fold(name), NEW_UNIT), plan_id)]


def units_step(ledger: Ledger, parts: UnitParts, picked: bool, plan_id: int | None) -> bool:
    """The units a group's ledger names and the measures of each, before Publish (`picked`: a unit picker is on the
    page, which does not apply); False when a row names no unit, or this person may not publish every unit (a
    message says which)."""
    from ledger import accounts
    from ui.widgets import issue_frame

    if picked:
        st.caption(t("upload.units_picker_ignored"))
    if parts.issues:
        st.dataframe(issue_frame(parts.issues), hide_index=True, width="stretch", key="upload_unit_issues")
        return False
    column = next((c.header for c in ledger.columns if c.field == "unit"), "")
    st.markdown(tl("upload.units_found", column=column, n=len(parts.parts)))
    known = {fold(u.name) for u in accounts.units(source.store())}
    refused = set(refused_units(parts, plan_id))
    state = {
        name: t("upload.units_not_yours")
        if name in refused
        else t("upload.units_known" if fold(name) in known else "upload.units_new")
        for name, _ in parts.parts
    }
    small_table(
        pd.DataFrame(
            {
                t("upload.units_unit"): [name for name, _ in parts.parts],
                t("upload.units_measures"): [len(part.tasks) for _, part in parts.parts],
                t("upload.units_state"): [state[name] for name, _ in parts.parts],
            }
        ),
        key="upload_units",
    )
    if refused:
        st.error(tl("upload.units_refused", units="、".join(sorted(refused))), icon=":material/block:")
    return not refused


def targets() -> dict[int, str]:
    """Where an upload may go: each real plan still open, or a new one. The demo plan never takes a real ledger, a
    closed one (README "The plan's archive") none."""
    closed = source.store().closed_plans()
    real = {s.plan.id: s.plan.name for s in source.store().plans() if not s.plan.demo and s.plan.id not in closed}
    return real | {NEW_PLAN: t("upload.new_plan")}


def unit_targets(plan_id: int | None) -> dict[int, str] | None:
    """The units this person may publish for: admins any, editors their own;
    "no unit" only for a plan without units, and not for an editor who has units. None: no units exist."""
    from ledger import accounts
    from ui import access

    every = accounts.units(source.store())
    if not every:
        return None
    mine = {u.id: u.name for u in every if access.allowed("publish", u.id, plan_id)}
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


def do_publish(
    files: list[tuple[str, bytes]], ledger: Ledger, report_date_key: str, name_key: str, columns: bool = False
) -> None:
    """Button callback: store the version (in a new plan when so chosen; one per unit for a ledger whose rows name
    their units), keep the confirmed columns with the plan, follow it in the sidebar, empty the uploader, leave a
    message."""
    from ui import access

    by = access.who()
    note = st.session_state.get("upload_note", "").strip()
    target = _target_plan(ledger, name_key)
    unit_id = st.session_state.get(UNIT_TARGET_KEY, NO_UNIT) or NO_UNIT
    parts = unit_parts(ledger)
    kept = columns_chosen(ledger) if columns else None
    thresholds = config.thresholds(os.environ, source.secrets())  # a unit's figures are kept under them
    try:
        if not access.still_allowed("publish"):
            st.session_state[FLASH_KEY] = ("error", t("account.forbidden"))
            return
        if parts is not None:
            if refused := refused_units(parts, target if isinstance(target, int) else None):
                st.session_state[FLASH_KEY] = ("error", tl("upload.units_refused", units="、".join(refused)))
                return
            results = publish_units(
                source.store(),
                files,
                parts,
                plan=target,
                uploaded_by=by,
                uploaded_at=datetime.now(),
                note=note,
                report_date=st.session_state.get(report_date_key),
                address=access.client_address(),
                columns=kept,
                thresholds=thresholds,
            )
            result = results[0] if results else None
        else:
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
                columns=kept,
                thresholds=thresholds,
            )
    except STORE_ERRORS as problem:
        store_failed(problem)
        return
    if parts is not None and result is not None:
        shown_plan = source.store().plan(result.version.plan_id)
        names = "、".join(
            f"{name}（{t('version.label', n=r.version.number, day=r.version.report_date.isoformat())}）"
            for (name, _), r in zip(parts.parts, results or [], strict=True)
        )
        st.session_state[FLASH_KEY] = ("success", tl("upload.units_published", plan=shown_plan.name, units=names))
        source.choose_plan(shown_plan.id)
        st.session_state[TARGET_KEY] = shown_plan.id
        st.session_state[UPLOADER_COUNT] = st.session_state.get(UPLOADER_COUNT, 0) + 1
        return
    shown_plan = announce(result)
    if shown_plan is None:
        return
    if unit_id:
        source.choose_unit(unit_id)
    st.session_state[TARGET_KEY] = shown_plan.id
    st.session_state[UPLOADER_COUNT] = st.session_state.get(UPLOADER_COUNT, 0) + 1


def store_failed(problem: BaseException) -> None:
    """A publish the database refused (nothing was stored: publishing is one transaction), said on the page."""
    log.warning("publish failed: %r", problem)
    reason = t(problem_code(problem), **problem_params(problem))
    st.session_state[FLASH_KEY] = ("error", t("upload.failed", reason=reason))


def announce(result: Published | None) -> Plan | None:
    """What a publish did, said on the page (stored, already stored, or nothing for a ledger with errors: None), its
    plan then followed in the sidebar: the one ending of the upload and plan pages' publish buttons."""
    if result is None:
        st.session_state[FLASH_KEY] = ("error", t("upload.rejected"))
        return None
    plan = source.store().plan(result.version.plan_id)
    key = "upload.published" if result.created else "upload.duplicate"
    st.session_state[FLASH_KEY] = (
        "success" if result.created else "info",
        t(key, n=result.version.number, day=result.version.report_date.isoformat(), plan=literal(plan.name)),
    )
    source.choose_plan(plan.id)
    return plan


def flash() -> None:
    """The message of the last publish, once."""
    kind, text = st.session_state.pop(FLASH_KEY, (None, None))
    if kind:
        getattr(st, kind)(text, icon=":material/check_circle:" if kind == "success" else None)


def verdict(ledger: Ledger) -> None:
    """What is wrong with the upload: the verdict, each file refused, and every error and warning row by row."""
    from ledger.report import issue_message
    from ui.i18n import lang, literal
    from ui.widgets import issue_frame

    errors, warnings = ledger.errors, ledger.warnings
    (st.error if errors else st.success)(
        t("upload.verdict_errors" if errors else "upload.verdict_ok", errors=len(errors), warnings=len(warnings))
    )
    for refusal in (issue for issue in errors if issue.row is None and issue.code.startswith("file.")):
        st.error(literal(f"{refusal.sheet}：{issue_message(refusal, lang())}"), icon=":material/block:")
    if ledger.issues:
        st.dataframe(issue_frame(errors + warnings), hide_index=True, width="stretch", key="upload_issues")


def lost_verifications(plan_id: int, unit_id: int | None, ledger) -> None:
    """Warn before publishing a ledger that reports verified (已销号) measures as not done: they lose their
    verification."""
    from ledger.closure import regressions

    lost = regressions(source.store(), plan_id, unit_id, ledger.tasks)
    if lost:
        st.warning(t("upload.loses_verification", ids="、".join(lost)), icon=":material/warning:")
