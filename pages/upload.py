"""Upload (editors): check this week's ledger row by row, see what would change, and publish it as a new version."""

import streamlit as st

from ledger import metrics
from ledger.diff import compare
from ledger.publishing import MAX_NOTE
from ledger.store import MAX_PLAN_NAME
from ledger.writing import template_workbook
from ui import access, columns, source
from ui.cards import Card, cards
from ui.changes import counts_row, details
from ui.i18n import literal, t
from ui.state import view
from ui.upload import (
    MAX_FILES,
    NEW_PLAN,
    PLAN_NAME_KEY,
    TARGET_KEY,
    UNIT_TARGET_KEY,
    checked,
    do_publish,
    flash,
    limits,
    lost_verifications,
    targets,
    unit_parts,
    unit_targets,
    units_step,
    uploader_key,
    verdict,
)
from ui.widgets import XLSX_MIME, file_uploader, pct, task_table

v = view()  # None while nothing has been published yet
st.title(t("upload.title"))
flash()
if v is None:
    st.info(t("store.empty"), icon=":material/upload_file:")
access.require("publish")
if not access.accounts_exist():
    access.logout_button()
    if access.configured_password() is None:
        st.caption(t("access.local_only"))
    access.first_admin_hint()

plans = targets()
if st.session_state.get(TARGET_KEY) not in plans:  # the plan on screen, unless it is the demo: then a new one
    st.session_state[TARGET_KEY] = v.source.plan.id if v and v.source.plan.id in plans else NEW_PLAN
target = st.selectbox(t("upload.target"), list(plans), key=TARGET_KEY, format_func=plans.get)
plan_id = None if target == NEW_PLAN else target
units = unit_targets(plan_id)
if units == {}:  # the plan is reported by units, none of them this person's
    st.error(t("upload.unit_forbidden"), icon=":material/block:")
    st.stop()
if units:  # a plan reported by several units: each publishes its own ledger, editors for their units only
    if st.session_state.get(UNIT_TARGET_KEY) not in units:
        shown = v.source.unit_id if v and v.source.unit_id in units else next(iter(units))
        st.session_state[UNIT_TARGET_KEY] = shown
    st.selectbox(t("upload.unit"), list(units), key=UNIT_TARGET_KEY, format_func=lambda i: literal(units[i]))
unit_id = st.session_state.get(UNIT_TARGET_KEY) if units else None

chosen = file_uploader(
    t("upload.files"), uploader_key(), limits().max_mib, accept_multiple_files=True, help=t("upload.help")
)
phases = source.store().plan_phases(plan_id) if plan_id else ()
st.download_button(
    t("upload.template"),
    data=lambda: template_workbook(phases),
    file_name=t("upload.template_file"),
    mime=XLSX_MIME,
    on_click="ignore",
    icon=":material/download:",
    key="template_download",
)
if not chosen:
    st.stop()
if len(chosen) > MAX_FILES:
    st.error(t("upload.too_many_files", n=len(chosen)), icon=":material/error:")
    st.stop()

files = [(f.name, f.getvalue()) for f in chosen]
digest, base = checked(files, plan_id)  # its columns as read by meaning, or as the plan remembers them
person = columns.chosen(base, digest)  # as this person confirmed or changed them in the column step
ledger = checked(files, plan_id, person)[1] if person is not None else base
if base.asks or person is not None:
    columns.step(base, digest, confirmed=person is not None)
verdict(ledger)
parts = unit_parts(ledger)  # a group's ledger whose rows name their units: one version per unit
if ledger.errors or (parts is not None and not units_step(ledger, parts, picked=bool(units), plan_id=plan_id)):
    st.stop()

date_key = f"report_date_{digest[:16]}"
st.date_input(
    t("upload.report_date"),
    value=ledger.report_date,
    key=date_key,
    format="YYYY-MM-DD",
    help=t("upload.report_date_found" if ledger.report_date_found else "upload.report_date_missing"),
)
cards(
    [
        Card(t("overview.measures"), len(ledger.tasks)),
        Card(t("upload.phases"), len(ledger.phases)),
        Card(t("overview.completion"), pct(metrics.completion_pct(ledger.tasks))),
    ],
    key="upload_figures",
)

newest = source.store().newest_report_id(plan_id, unit_id or None) if plan_id and parts is None else None
if newest is not None:
    st.header(t("upload.against", label=source.version_label(source.store().version(newest))))
    changes = compare(source.ledger_of(newest), ledger)
    counts_row(changes)
    details(changes, key="upload_changes")
    lost_verifications(plan_id, unit_id or None, ledger)
with st.expander(t("upload.preview"), icon=":material/table:"):
    task_table(
        ledger.tasks.head(500),
        ("id", "category", "measure", "phase", "leader", "department", "owner", "due", "status", "progress"),
        key="upload_preview",
        with_extras=True,
    )

name_key = f"{PLAN_NAME_KEY}_{digest[:16]}"
if target == NEW_PLAN:
    st.text_input(
        t("upload.plan_name"),
        value=ledger.title,
        key=name_key,
        max_chars=MAX_PLAN_NAME,
        help=t("upload.plan_name_help"),
    )
access.who_input()
st.text_area(t("upload.note"), key="upload_note", height=68, max_chars=MAX_NOTE)
st.button(
    t("upload.publish"),
    type="primary",
    icon=":material/publish:",
    on_click=do_publish,
    args=(files, ledger, date_key, name_key, person is not None),
    key="publish",
)
