"""The Plan page's Streamlit side: reading a plan document once, the grids an office corrects, the prefilled
ledger, and publishing the plan as its first version."""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime

import pandas as pd
import streamlit as st

from ledger.intake import LEDGER_FIELDS, PlanDocument, ledger_rows, load_plan, load_plan_text
from ledger.model import Issue, Ledger, Phase
from ledger.publishing import check_upload, publish
from ledger.store import STORE_ERRORS, NewPlan, problem_code, problem_params
from ledger.writing import prefilled_workbook
from ui import source
from ui.i18n import t
from ui.upload import FLASH_KEY, announce, limits, store_failed

log = logging.getLogger(__name__)
PHASE_FIELDS = ("name", "start", "end", "description")


@st.cache_data(show_spinner=False, max_entries=8)
def read(digest: str, year: int | None, _data: bytes, name: str) -> PlanDocument | Issue:
    """The plan in an uploaded document (cached per content and year)."""
    return load_plan(_data, name, year=year, limits=limits())


@st.cache_data(show_spinner=False, max_entries=8)
def read_text(digest: str, year: int | None, _text: str) -> PlanDocument | Issue:
    """The plan in pasted text (cached per content and year)."""
    return load_plan_text(_text, year=year, limits=limits(), source=t("plan.pasted"))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def measures_frame(plan: PlanDocument) -> pd.DataFrame:
    """The plan's measures as the grid shows them; dates as text, so that 立行立改 or 6月底前 can stay words."""
    frame = pd.DataFrame(ledger_rows(plan), columns=list(LEDGER_FIELDS))
    for name in ("start", "due"):
        frame[name] = frame[name].map(lambda v: v.isoformat() if isinstance(v, date) else (v or ""))
    return frame.astype(str)


def phases_frame(plan: PlanDocument) -> pd.DataFrame:
    return pd.DataFrame(
        [{"name": p.name, "start": p.start, "end": p.end, "description": p.description} for p in plan.phases],
        columns=list(PHASE_FIELDS),
    )


def _cell(value: object) -> object:
    """A grid cell for the workbook: an ISO date becomes a date cell; words (长期, 立行立改) stay words."""
    text = "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text or None


def rows_of(grid: pd.DataFrame) -> list[dict]:
    return [
        {
            name: _cell(record.get(name)) if name in ("start", "due") else (str(record.get(name) or "").strip())
            for name in LEDGER_FIELDS
        }
        for record in grid.to_dict("records")
    ]


def phases_of(grid: pd.DataFrame) -> tuple[Phase, ...]:
    """The phases grid's complete rows (a name and both dates), in order."""
    phases = []
    for record in grid.to_dict("records"):
        start, end = pd.to_datetime(record.get("start")), pd.to_datetime(record.get("end"))
        if str(record.get("name") or "").strip() and pd.notna(start) and pd.notna(end):
            phases.append(
                Phase(
                    str(record["name"]).strip(),
                    start.date(),
                    end.date(),
                    len(phases) + 1,
                    str(record.get("description") or ""),
                )
            )
    return tuple(phases)


def workbook(plan: PlanDocument, grid: pd.DataFrame, phases: tuple[Phase, ...]) -> bytes:
    return prefilled_workbook(rows_of(grid), phases, plan.title, plan.unit)


@st.cache_resource(show_spinner=False, max_entries=8)
def _check(workbook_digest: str, _files: tuple, received_on: date) -> Ledger:
    return check_upload(source.store(), list(_files), received_on, limits())


def check(workbook_name: str, data: bytes, received_on: date) -> Ledger:
    """The prefilled ledger read back exactly as an upload would be: what publishing it would store."""
    return _check(digest(data), ((workbook_name, data),), received_on)


def publish_plan(
    files: list[tuple[str, bytes]], ledger: Ledger, name_key: str, plan: PlanDocument, phases: tuple[Phase, ...]
) -> None:
    """Button callback: the plan and its first version (the baseline), in one transaction."""
    name = st.session_state.get(name_key, "").strip() or plan.title
    from ui import access

    if not access.still_allowed("import_plan"):
        st.session_state[FLASH_KEY] = ("error", t("account.forbidden"))
        return
    by = access.who()
    try:
        result = publish(
            source.store(),
            files,
            ledger,
            plan=NewPlan(name, datetime.now(), plan.unit, phases),
            uploaded_by=by,
            uploaded_at=datetime.now(),
            note=t("plan.baseline_note"),
            address=access.client_address(),
            audit_action="plan_import",
        )
    except STORE_ERRORS as problem:
        store_failed(problem)
        return
    announce(result)


def rename(plan_id: int, key: str) -> None:
    """Button callback: the plan on screen under the name typed."""
    from ui import access

    if not access.still_allowed("manage_plans"):
        st.session_state[FLASH_KEY] = ("error", t("account.forbidden"))
        return
    try:
        source.store().rename_plan(
            plan_id, st.session_state.get(key, ""), at=datetime.now(), by=access.who(), address=access.client_address()
        )
        st.session_state[FLASH_KEY] = ("success", t("plan.renamed"))
    except STORE_ERRORS as problem:
        st.session_state[FLASH_KEY] = ("error", t(problem_code(problem), **problem_params(problem)))


def delete_demo(plan_id: int) -> None:
    """Button callback: the demo plan and its versions, gone for good."""
    from ui import access

    if not access.still_allowed("manage_plans"):
        st.session_state[FLASH_KEY] = ("error", t("account.forbidden"))
        return
    try:
        source.store().delete_plan(plan_id, at=datetime.now(), by=access.who(), address=access.client_address())
        st.session_state.pop(source.PLAN_KEY, None)
        st.query_params.pop(source.PLAN_KEY, None)
        st.session_state[FLASH_KEY] = ("success", t("plan.demo_deleted"))
    except STORE_ERRORS as problem:
        st.session_state[FLASH_KEY] = ("error", t(problem_code(problem), **problem_params(problem)))
