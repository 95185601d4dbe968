"""Evidence (佐证材料): each measure's files — attached by the editors of its unit, opened and downloaded by editors,
inspectors and admins, previewed as images drawn on the server — its closure review, and a zip for many measures."""

import streamlit as st

from ui import evidence as ev
from ui.i18n import t
from ui.state import view

v = view()
st.title(t("evidence.title"))
st.caption(t("evidence.caption"))
ev.flash()
unit_id = ev.unit_or_stop(v)
found = ev.measures(v, unit_id)
measure = ev.pick_measure(found, "evidence_measure", t("evidence.measure"))
if measure is not None:
    review = ev.review_state(measure)
    ev.state_line(review)
    ev.files_panel(measure, "evidence")
    ev.attach_panel(measure)
    ev.resubmit_button(measure, review)
    ev.review_buttons(measure, review)
ev.import_panel(found, v.source.plan.id, unit_id)
