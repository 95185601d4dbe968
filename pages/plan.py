"""Plan (editors): start from the plan document — read it, correct who answers for what and by when, download the
prefilled ledger, publish the plan as its first version; rename a plan, delete the demo."""

from datetime import date

import streamlit as st

from ledger.intake import PLAN_TYPES
from ledger.model import Issue
from ledger.report import issue_message
from ledger.store import MAX_PLAN_NAME
from ui import access, plan
from ui.cards import Card, cards
from ui.i18n import lang, literal, t
from ui.state import view
from ui.upload import flash, limits
from ui.widgets import XLSX_MIME, file_uploader, issue_frame

v = view()
st.title(t("plan.title"))
flash()
access.require("import_plan")

if v is not None and access.allowed("manage_plans"):
    with st.expander(t("plan.manage"), icon=":material/edit_note:"):
        shown = v.source.plan
        if not shown.demo:
            name_key = f"plan_rename_{shown.id}"
            st.text_input(t("plan.rename"), value=shown.name, key=name_key, max_chars=MAX_PLAN_NAME)
            st.button(t("plan.rename_save"), on_click=plan.rename, args=(shown.id, name_key), key="plan_rename")
        for summary in v.source.plans:
            if summary.plan.demo:
                st.caption(t("plan.demo_caption", versions=summary.versions))
                st.button(
                    t("plan.delete_demo"),
                    on_click=plan.delete_demo,
                    args=(summary.plan.id,),
                    icon=":material/delete:",
                    key="plan_delete_demo",
                )

st.header(t("plan.import"))
kind = st.radio(
    t("plan.source"),
    ("file", "paste"),
    horizontal=True,
    key="plan_source",
    format_func={"file": t("plan.source_file"), "paste": t("plan.source_paste")}.get,
)
year = st.number_input(
    t("plan.year"), min_value=1990, max_value=2100, value=None, step=1, key="plan_year", help=t("plan.year_help")
)
if kind == "file":
    chosen = file_uploader(t("plan.file"), "plan_file", limits().max_mib, [s.lstrip(".") for s in PLAN_TYPES])
    if chosen is None:
        st.stop()
    original = (chosen.name, chosen.getvalue())
    found = plan.read(plan.digest(original[1]), year, original[1], chosen.name)
else:
    text = st.text_area(t("plan.paste"), height=220, key="plan_text")
    if not text.strip():
        st.stop()
    original = (t("plan.pasted_file"), text.encode("utf-8"))
    found = plan.read_text(plan.digest(original[1]), year, text)

if isinstance(found, Issue):
    st.error(literal(issue_message(found, lang())), icon=":material/block:")
    st.stop()
if found.year_missing:
    st.warning(t("plan.year_missing"), icon=":material/event:")
    st.stop()
st.caption(
    literal(
        t("cli.plan_head", title=found.title, unit=found.unit or "—", day=found.date.isoformat() if found.date else "—")
    )
)
cards(
    [
        Card(t("plan.categories"), len(found.categories)),
        Card(t("plan.measures"), len(found.measures)),
        Card(t("plan.phases"), len(found.phases)),
    ],
    key="plan_counts",
)
if found.warnings:
    with st.expander(t("plan.warnings", n=len(found.warnings)), icon=":material/info:"):
        st.dataframe(issue_frame(list(found.warnings)), hide_index=True, width="stretch", key="plan_warnings")
if not found.usable:
    st.stop()

key = plan.digest(original[1]) + str(year or "")
st.header(t("plan.grid"))
st.caption(t("plan.grid_help"))
grid = st.data_editor(
    plan.measures_frame(found),
    key=f"plan_grid_{key}",
    hide_index=True,
    width="stretch",
    num_rows="fixed",
    column_config={name: t(f"field.{name}") for name in plan.LEDGER_FIELDS},
)
st.header(t("plan.phases"))
phase_grid = st.data_editor(
    plan.phases_frame(found),
    key=f"plan_phases_{key}",
    hide_index=True,
    width="stretch",
    num_rows="dynamic",
    column_config={
        "name": t("timeline.phase"),
        "start": st.column_config.DateColumn(t("field.start")),
        "end": st.column_config.DateColumn(t("plan.end")),
        "description": t("plan.description"),
    },
)
phases = plan.phases_of(phase_grid)
ledger_name = t("plan.ledger_file", title=found.title)
data = plan.workbook(found, grid, phases)
st.download_button(
    t("plan.download"),
    data=data,
    file_name=ledger_name,
    mime=XLSX_MIME,
    on_click="ignore",
    icon=":material/download:",
    key="plan_download",
)

st.header(t("plan.publish_title"))
checked = plan.check(ledger_name, data, found.date or date.today())
if checked.errors:
    st.warning(t("plan.fill_first", n=len(checked.errors)), icon=":material/edit:")
    st.dataframe(issue_frame(checked.errors), hide_index=True, width="stretch", key="plan_errors")
name_key = f"plan_name_{key}"
st.text_input(t("upload.plan_name"), value=found.title, key=name_key, max_chars=MAX_PLAN_NAME)
access.who_input()
st.button(
    t("plan.publish"),
    type="primary",
    icon=":material/publish:",
    disabled=bool(checked.errors),
    on_click=plan.publish_plan,
    args=([original, (ledger_name, data)], checked, name_key, found, phases),
    key="plan_publish",
)
