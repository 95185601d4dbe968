"""Units: each unit's newest ledger in one table — completion, overdue, phases, lights, last report — sorted by what
needs attention; clicking a unit shows every page for that unit."""

from functools import partial

import streamlit as st

from ledger.intake import short_phase_name
from ledger.lights import LIGHTS, SYMBOLS
from ui import rollup, source
from ui.i18n import literal, t
from ui.state import view
from ui.widgets import pct


def phase_line(phases: list[dict]) -> str:
    return "; ".join(
        t(
            "rollup.phase",
            name=short_phase_name(p["name"]),
            state=t("phase_state." + p["state"]),
            pct=pct(p["completion_pct"]),
        )
        for p in phases
    )


v = view()
st.title(t("rollup.title"))
if not v.source.units:
    st.info(t("rollup.no_units"), icon=":material/info:")
    st.stop()
if st.session_state.pop(rollup.DRILL_KEY, False):  # a unit was clicked: its overview
    st.switch_page("pages/overview.py", query_params=st.query_params.to_dict())  # ?unit= stays in the address

as_of = v.as_of if v.source.combined and v.as_of != v.source.newest else None  # an earlier day: reported by then
rows = rollup.figures(v.source.plan.id, as_of, v.thresholds)
missing = [r for r in rows if r.missing]
st.caption(t("rollup.caption", n=len(rows), as_of=(as_of or v.ledger.report_date).isoformat()))
if missing:
    st.warning(
        t("rollup.missing_units", n=len(missing), names="、".join(literal(r.unit.name) for r in missing)),
        icon=":material/report:",
    )

table = [
    {
        t("field.unit"): r.unit.name,
        t("rollup.flag"): t("rollup.missing") if r.missing else "",
        t("rollup.report_date"): r.version.report_date.isoformat() if r.version else t("rollup.never"),
        t("overview.measures"): r.figures["tasks"] if r.figures else None,
        t("overview.completion"): pct(r.figures["completion_pct"]) if r.figures else "—",
        t("overview.verified"): pct(r.figures["verified_pct"]) if r.figures else "—",
        t("overview.overdue"): r.overdue,
        t("rollup.longest"): r.longest_overdue or None,
        t("rollup.lights"): "  ".join(
            f"{SYMBOLS[light]}{r.figures['lights'][light]}"
            for light in LIGHTS
            if r.figures and r.figures["lights"][light]
        )
        if r.figures
        else "",
        t("rollup.phases"): phase_line(r.figures["phases"]) if r.figures else "",
    }
    for r in rows
]
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    key=rollup.TABLE_KEY,
    selection_mode="single-row",
    on_select=partial(rollup.drill_down, [r.unit.id for r in rows]),
    column_config={t("rollup.phases"): st.column_config.TextColumn(width="large")},
)
st.caption(t("rollup.sorted"))
if v.source.unit is not None:
    st.button(t("rollup.show_all"), on_click=source.choose_unit, args=(source.ALL_UNITS,), icon=":material/apps:")
