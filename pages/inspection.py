"""Inspection (督导检查, inspectors and admins): claims waiting for review, oldest first, each opened with its
evidence to approve or return; returned claims and their reasons; measures reported done without evidence; measures
that went back from done; the week's spot check; the 督导检查记录表 in Word and PDF."""

from datetime import date

import streamlit as st

from ledger import typeset, word
from ledger.inspection import record_data
from ui import access, source
from ui import evidence as ev
from ui.cards import Card, cards
from ui.i18n import lang, t
from ui.state import view
from ui.widgets import paged_dataframe

v = view()
st.title(t("inspection.title"))
access.require("review")
ev.flash()
week = date.today()
found = ev.inspection_of(v, week)
cards(
    [
        Card(t("inspection.claims_count"), len(found.claimed)),
        Card(t("review.verified"), len(found.verified)),
        Card(t("review.returned"), len(found.returned), alarm=True),
        Card(t("inspection.without_evidence"), len(found.without_evidence), alarm=True),
        Card(t("inspection.regressed"), len(found.regressed), alarm=True),
    ],
    key="inspection_figures",
    per_row=5,
)

st.header(t("inspection.claims"))
if found.claimed:
    paged_dataframe(ev.items_frame(found.claimed), "inspection_claims", hide_index=True, width="stretch")
else:
    st.caption(t("inspection.no_claims"))
choices = ev.item_measures(v.source.plan.id, [*found.claimed, *found.returned, *found.sampled, *found.verified])
measure = ev.pick_measure(choices, "inspection_measure", t("inspection.open"))
if measure is not None:
    with st.container(border=True, key="inspection_claim"):
        review = ev.review_state(measure)
        ev.state_line(review)
        ev.files_panel(measure, "inspection")
        ev.review_buttons(measure, review)

for title, items, with_reason in (
    ("inspection.returned", found.returned, True),
    ("inspection.without_evidence", found.without_evidence, False),
    ("inspection.regressed", found.regressed, False),
    ("inspection.sample", found.sampled, False),
):
    st.header(t(title) + f"（{len(items)}）")
    if items:
        paged_dataframe(ev.items_frame(items, with_reason), f"inspection_{title}", hide_index=True, width="stretch")
    else:
        st.caption("—")
st.caption(t("inspection.sample_help", n=len(found.sampled)))

unit_name = v.source.unit.name if v.source.unit else ""
units = tuple((u.id, u.name) for u in v.source.units) if v.source.combined else ((v.source.unit_id, unit_name),)
data = lambda: record_data(  # noqa: E731  (made when the browser asks for the file)
    source.store(), v.source.plan.id, v.source.plan.name, units, found, week, lang()
)
name = t("record.title") + f"_{week.isoformat()}"
left, right = st.columns(2)
for column, suffix, make, mime in (
    (left, "docx", lambda: word.record_docx(data()), "application/octet-stream"),
    (right, "pdf", lambda: typeset.pdf("record.typ", data()), "application/octet-stream"),
):
    column.download_button(
        t(f"inspection.record_{suffix}"),
        data=access.audited_data(make, f"{name}.{suffix}"),
        file_name=f"{name}.{suffix}",
        mime=mime,
        on_click="ignore",
        icon=":material/download:",
        key=f"record_{suffix}",
        width="stretch",
    )
