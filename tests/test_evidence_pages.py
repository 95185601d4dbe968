"""The evidence and inspection pages by role, with Streamlit's AppTest (README "Evidence and closure review"): an
editor attaches and re-submits but cannot approve; a viewer sees file names and cannot open or download a file; an
inspector opens a claim with its evidence and approves or returns it; downloads are made and audited at the click;
the overview then shows both completion figures."""

from __future__ import annotations

from datetime import datetime

import pytest

from ledger import audit, evidence
from ledger.closure import measure_named, reviews
from ledger.escape import markdown
from ledger.i18n import translate
from ledger.intake import strip_metadata
from tests.cards import figures
from tests.test_access_pages import PEOPLE, A, app, db, media, template  # noqa: F401  (fixtures)
from tests.test_evidence import pdf, photo
from ui import source
from ui.evidence import slug


def t(key: str, **params) -> str:
    return translate(key, "zh", **params)


@pytest.fixture
def attached(db, template, tmp_path):
    """Measure 1 of 第一中学 (reported done in its ledger) with a PDF and a photo attached by its editor."""
    measure = measure_named(db, template.plan_id, template.units[A], "1")
    (tmp_path / "分工文件.pdf").write_bytes(pdf())
    (tmp_path / "现场照片.jpg").write_bytes(photo())
    paths = [("分工文件.pdf", str(tmp_path / "分工文件.pdf")), ("现场照片.jpg", str(tmp_path / "现场照片.jpg"))]
    outcome = evidence.add_files(db, measure, paths, by=PEOPLE["editor"][0], at=datetime.now())
    assert not outcome.refused
    return measure


def open_measure(role: str, template, page: str, measure_id: str, key: str):
    at = app(template.tokens[role])
    at.session_state[source.UNIT_KEY] = template.units[A]
    at.query_params["measure"] = measure_id
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def buttons(at) -> list[str]:
    return [b.label for b in at.button]


def test_an_inspector_opens_a_claim_with_its_evidence_and_approves_it(db, template, attached, media):
    start = datetime.now()
    at = open_measure("inspector", template, "pages/inspection.py", "1", "inspection_measure")
    assert at.selectbox(key="inspection_measure").value == attached.key
    assert t("evidence.approve") in buttons(at) and t("evidence.return") in buttons(at)
    names = [m.value for m in at.markdown if m.value.startswith("**")]
    assert names == [f"**{markdown('分工文件.pdf')}**", f"**{markdown('现场照片.jpg')}**"]
    previews = [e for e in at.expander if e.label == t("evidence.preview")]  # drawn on the server, as images
    assert [[type(c).__name__ for c in e.children.values()] for e in previews] == [["Image"], ["Image"]]
    downloads = at.get("download_button")
    photo_button = downloads[1]  # in the order the files were added: the PDF, then the photo
    assert not [r for r in audit.records(db, since=start) if r.action == "download"]  # nothing before the click
    assert media.fetch(photo_button) == strip_metadata(photo(), "jpeg")  # as stored: no location in it
    assert [(r.who, r.target) for r in audit.records(db, since=start, actions=["download"])] == [
        (
            "督导组",
            f"evidence {evidence.files(db, template.plan_id, template.units[A], attached.key)[1].id}: 现场照片.jpg",
        )
    ]
    next(b for b in at.button if b.label == t("evidence.approve")).click().run()
    assert not at.exception, at.exception
    assert reviews(db, template.plan_id, template.units[A])[attached.key].state == "verified"
    assert [r.action for r in audit.records(db, since=start, actions=["closure_approved"])] == ["closure_approved"]
    at.switch_page("pages/overview.py").run()
    shown = figures(at)
    assert shown["核验完成率"] != "0.0%" and shown["上报完成率"] != shown["核验完成率"]


def test_returning_needs_a_reason_and_the_returned_claim_shows_it(db, template, attached):
    at = open_measure("inspector", template, "pages/inspection.py", "1", "inspection_measure")
    next(b for b in at.button if b.label == t("evidence.return")).click().run()
    assert at.error and t("closure.reason_needed") in at.error[0].value
    assert reviews(db, template.plan_id, template.units[A])[attached.key].state == "claimed"  # nothing changed
    at.text_area(key=f"reason_{slug(attached)}").input("照片不清晰，请补充会议纪要")
    next(b for b in at.button if b.label == t("evidence.return")).click().run()
    assert reviews(db, template.plan_id, template.units[A])[attached.key].state == "returned"
    editor = open_measure("editor", template, "pages/evidence.py", "1", "evidence_measure")
    assert any("照片不清晰，请补充会议纪要" in e.value for e in editor.error)
    assert t("evidence.resubmit") in buttons(editor)
    next(b for b in editor.button if b.label == t("evidence.resubmit")).click().run()
    assert reviews(db, template.plan_id, template.units[A])[attached.key].state == "claimed"


def test_an_editor_attaches_but_cannot_approve_and_cannot_open_the_inspection_page(db, template, attached):
    at = open_measure("editor", template, "pages/evidence.py", "1", "evidence_measure")
    assert t("evidence.approve") not in buttons(at) and t("evidence.return") not in buttons(at)
    assert t("evidence.save", measure="1") in buttons(at)  # the editor of 第一中学 attaches to its measures
    save = next(b for b in at.button if b.label == t("evidence.save", measure="1"))
    assert save.disabled  # until files have been chosen and have reached the server
    assert at.button(key="evidence_zip_go").disabled  # and the zip import until its zip has
    assert len(at.get("download_button")) == 2
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not a page of theirs at all
        at.switch_page("pages/inspection.py")


def test_a_viewer_sees_the_file_names_but_cannot_open_or_download_them(db, template, attached):
    at = open_measure("viewer", template, "pages/evidence.py", "1", "evidence_measure")
    names = [m.value for m in at.markdown if m.value.startswith("**")]
    assert names == [f"**{markdown('分工文件.pdf')}**", f"**{markdown('现场照片.jpg')}**"]
    assert not at.get("download_button")  # no download
    assert t("evidence.preview") not in [e.label for e in at.expander]  # and no preview
    assert t("evidence.save", measure="1") not in buttons(at) and t("evidence.approve") not in buttons(at)
    assert not at.get("file_uploader")


def test_an_editor_of_another_unit_cannot_attach_to_this_units_measures(db, template, attached):
    at = app(template.tokens["editor"])
    at.session_state[source.UNIT_KEY] = template.units["第二中学"]
    at.query_params["measure"] = "1"
    at.switch_page("pages/evidence.py").run()
    assert not at.exception
    assert t("evidence.save", measure="1") not in buttons(at)
