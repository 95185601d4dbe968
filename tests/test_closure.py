"""Closure review (README "Evidence and closure review"): claim, approve, return, claim again, regress; two completion
figures with one definition; the week's spot check, reproducible and kept; the inspection's picture."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from ledger import evidence, metrics
from ledger.closure import (
    APPROVE,
    REQUEST,
    RETURN,
    ClosureError,
    Event,
    Report,
    Review,
    decide,
    measure_named,
    regressions,
    review_columns,
    review_of,
    reviews,
)
from ledger.inspection import draw, inspection, sample_size, spot_check
from ledger.lights import lights
from ledger.report import summary
from ledger.vocab import CLAIMED, RETURNED, VERIFIED
from tests.test_evidence import AT, PLAN, pdf, publish_week

DAY = datetime(2019, 5, 27, 17)


def report(n: int, done: bool, content: int = 0) -> Report:
    return Report(n, (date(2019, 5, n), n), done, content, datetime(2019, 5, n, 17))


def event(n: int, action: str, version: int, reason: str = "", by: str = "督导组组长") -> Event:
    return Event(n, action, version, (date(2019, 5, version), version), reason, by, datetime(2019, 5, version, 18, n))


# --- the state, a pure function of the versions and the events -----------------------------------------------------


def test_a_measure_reported_done_is_claimed_until_reviewed():
    assert review_of([report(1, False)], []) == Review()
    claimed = review_of([report(1, False), report(2, True)], [])
    assert (claimed.state, claimed.at) == (CLAIMED, datetime(2019, 5, 2, 17))


def test_an_approval_verifies_a_claim_with_who_and_when():
    verified = review_of([report(1, True)], [event(1, APPROVE, 1)])
    assert (verified.state, verified.by, verified.at) == (VERIFIED, "督导组组长", datetime(2019, 5, 1, 18, 1))
    assert review_of([report(1, True), report(2, True)], [event(1, APPROVE, 1)]).state == VERIFIED  # stays


def test_an_approval_of_a_measure_not_claimed_changes_nothing():
    assert review_of([report(1, False)], [event(1, APPROVE, 1)]) == Review()


def test_a_returned_claim_stays_returned_while_the_office_sends_the_same_row_again():
    events = [event(1, RETURN, 1, reason="照片不清晰")]
    returned = review_of([report(1, True, 7), report(2, True, 7)], events)
    assert (returned.state, returned.reason) == (RETURNED, "照片不清晰")


def test_a_returned_claim_is_claimed_again_when_a_later_version_changes_what_the_office_wrote():
    events = [event(1, RETURN, 1, reason="照片不清晰")]
    again = review_of([report(1, True, 7), report(2, True, 8)], events)
    assert (again.state, again.reason, again.at) == (CLAIMED, "", datetime(2019, 5, 2, 17))


def test_a_returned_claim_is_claimed_again_when_the_office_resubmits_it():
    events = [event(1, RETURN, 1, reason="缺少会议纪要"), event(2, REQUEST, 1, by="办公室主任")]
    again = review_of([report(1, True, 7)], events)
    assert (again.state, again.by) == (CLAIMED, "办公室主任")
    approved = review_of([report(1, True, 7)], [*events, event(3, APPROVE, 1)])
    assert approved.state == VERIFIED


def test_a_verified_measure_that_regresses_loses_its_verification_with_a_warning():
    events = [event(1, APPROVE, 1)]
    lost = review_of([report(1, True), report(2, False)], events)
    assert (lost.state, lost.lost, lost.regressed) == ("", True, True)
    claimed = review_of([report(1, True), report(2, False), report(3, True)], events)
    assert (claimed.state, claimed.lost, claimed.regressed) == (CLAIMED, False, True)  # needs a new approval


def test_an_event_made_against_a_version_takes_its_place_after_that_version():
    # the approval was made while version 1 was the newest; version 2, published after, regresses it
    assert review_of([report(2, False), report(1, True)], [event(1, APPROVE, 1)]).lost


def test_a_spot_check_that_confirms_a_verified_measure_approves_it_again():
    confirmed = review_of([report(1, True)], [event(1, APPROVE, 1), event(2, APPROVE, 1, by="督导组副组长")])
    assert (confirmed.state, confirmed.by) == (VERIFIED, "督导组副组长")


def test_a_verified_measure_can_be_returned_again_after_a_spot_check():
    events = [event(1, APPROVE, 1), event(2, RETURN, 1, reason="抽查发现未整改到位")]
    assert review_of([report(1, True)], events).state == RETURNED


# --- decisions in the store -----------------------------------------------------------------------------------------


def plan_id(store) -> int:
    return store.plan_named(PLAN).id


def test_decisions_are_checked_against_the_state_and_each_is_an_audit_record(store):
    from ledger import audit

    publish_week(store, date(2019, 5, 27), {6: "已完成", 2: "已完成"})
    six = measure_named(store, plan_id(store), None, "6")
    three = measure_named(store, plan_id(store), None, "3")
    with pytest.raises(ClosureError) as problem:
        decide(store, three, APPROVE, by="督导组组长", at=AT)
    assert problem.value.code == "closure.not_claimed"
    with pytest.raises(ClosureError) as problem:
        decide(store, six, RETURN, by="督导组组长", at=AT, reason="  ")
    assert problem.value.code == "closure.reason_needed"
    with pytest.raises(ClosureError) as problem:
        decide(store, six, REQUEST, by="办公室主任", at=AT)
    assert problem.value.code == "closure.not_returned"
    assert decide(store, six, RETURN, by="督导组组长", at=AT, reason="照片不清晰").state == RETURNED
    assert decide(store, six, REQUEST, by="办公室主任", at=AT).state == CLAIMED
    approved = decide(store, six, APPROVE, by="督导组组长", at=datetime(2019, 6, 3, 10))
    assert (approved.state, approved.by, approved.at) == (VERIFIED, "督导组组长", datetime(2019, 6, 3, 10))
    trail = [(r.action, r.who, r.target) for r in reversed(audit.records(store)) if r.action.startswith("closure")]
    assert trail == [
        ("closure_returned", "督导组组长", "6: 第6项整改措施"),
        ("closure_requested", "办公室主任", "6: 第6项整改措施"),
        ("closure_approved", "督导组组长", "6: 第6项整改措施"),
    ]


def test_two_completion_figures_the_returned_claim_not_done_and_the_claim_marked_in_the_lights(store):
    publish_week(store, date(2019, 5, 27), {1: "已完成", 2: "已完成", 6: "已完成"})
    plan = plan_id(store)
    decide(store, measure_named(store, plan, None, "1"), APPROVE, by="督导组组长", at=AT)
    decide(store, measure_named(store, plan, None, "2"), RETURN, by="督导组组长", at=AT, reason="缺少佐证材料")
    version = store.newest_report_id(plan)
    ledger = store.ledger(version)
    tasks = review_columns(ledger.tasks, reviews(store, plan, None, version))
    assert tasks["review"].tolist() == [VERIFIED, RETURNED, "", "", "", CLAIMED, ""]
    assert tasks.loc[1, "review_reason"] == "缺少佐证材料" and tasks.loc[1, "status"] == "in_progress"
    assert metrics.completion_pct(tasks) == pytest.approx(200 / 7)  # 1 and 6 as reported: the return is not done
    assert metrics.verified_pct(tasks) == pytest.approx(100 / 7)  # 1 only
    shown = lights(tasks, ledger.phases, date(2019, 6, 3))
    assert shown.tolist()[:2] == ["done", "red"] and shown.tolist()[5] == "claimed"  # the return is late: red
    figures = summary(replace(ledger, tasks=tasks), date(2019, 6, 3))
    assert (figures["completion_pct"], figures["verified_pct"]) == (28.6, 14.3)
    assert figures["review"] == {"claimed": 1, "verified": 1, "returned": 1}
    assert [o["id"] for o in figures["overdue"]] == ["2", "3", "4", "5", "7"]  # the returned claim is late again
    [category] = figures["categories"]
    assert (category["done"], category["verified"], category["verified_pct"]) == (2, 1, 14.3)


def test_a_file_read_outside_the_store_has_every_done_measure_claimed_and_none_verified():
    from tests.sheets import load, task_row, workbook

    ledger = load(("台账.xlsx", workbook([task_row(id=1, status="已完成", progress=100), task_row(id=2)])))
    assert metrics.completion_pct(ledger.tasks) == 50.0 and metrics.verified_pct(ledger.tasks) == 0.0
    assert lights(ledger.tasks, ledger.phases, date(2019, 5, 27)).tolist()[0] == "claimed"


def test_publishing_a_version_that_reports_a_verified_measure_not_done_is_warned_of(store):
    publish_week(store, date(2019, 5, 27), {6: "已完成"})
    plan = plan_id(store)
    decide(store, measure_named(store, plan, None, "6"), APPROVE, by="督导组组长", at=AT)
    from ledger.publishing import check_upload
    from tests.test_evidence import week

    files = [("下一周.xlsx", week(date(2019, 6, 3), {}))]
    assert regressions(store, plan, None, check_upload(store, files, date(2019, 6, 3), plan_id=plan).tasks) == ["6"]
    publish_week(store, date(2019, 6, 3), {})
    six = reviews(store, plan, None)[measure_named(store, plan, None, "6").key]
    assert (six.state, six.lost, six.regressed) == ("", True, True)


# --- the spot check and the inspection ------------------------------------------------------------------------------


def test_the_sample_is_a_tenth_at_least_three_and_the_same_for_the_same_plan_and_week():
    assert [sample_size(n) for n in (0, 2, 3, 10, 29, 31, 100)] == [0, 2, 3, 3, 3, 4, 10]
    population = [f"0|id:{n}" for n in range(100)]
    first = draw(7, 0, date(2019, 6, 3), population, 0.10, 3)
    assert len(first) == 10 and first == draw(7, 0, date(2019, 6, 5), list(reversed(population)), 0.10, 3)
    assert first != draw(7, 0, date(2019, 6, 10), population, 0.10, 3)  # another week
    assert first != draw(8, 0, date(2019, 6, 3), population, 0.10, 3)  # another plan


def test_the_weeks_sample_is_kept_and_cannot_be_drawn_again(store):
    publish_week(store, date(2019, 5, 27), {6: "已完成"})
    plan = plan_id(store)
    drawn = spot_check(store, plan, 0, date(2019, 6, 3), ["0|a", "0|b", "0|c", "0|d"], at=AT)
    assert len(drawn) == 3
    again = spot_check(store, plan, 0, date(2019, 6, 6), ["0|x", "0|y", "0|z"], at=AT)  # same week, other measures
    assert again == drawn
    assert spot_check(store, plan, 0, date(2019, 6, 10), ["0|x", "0|y", "0|z"], at=AT) == ["0|x", "0|y", "0|z"]


def test_the_inspection_lists_claims_oldest_first_returns_measures_without_evidence_and_regressions(store, tmp_path):
    publish_week(store, date(2019, 5, 20), {5: "已完成", 7: "已完成"})
    publish_week(store, date(2019, 5, 27), {1: "已完成", 2: "已完成", 5: "已完成", 6: "已完成"})
    plan = plan_id(store)
    one, two = measure_named(store, plan, None, "1"), measure_named(store, plan, None, "2")
    (tmp_path / "纪要.pdf").write_bytes(pdf())
    evidence.add_files(store, one, [("纪要.pdf", str(tmp_path / "纪要.pdf"))], by="办公室主任", at=AT)
    decide(store, one, APPROVE, by="督导组组长", at=AT)
    decide(store, two, RETURN, by="督导组组长", at=AT, reason="照片不清晰")
    found = inspection(store, plan, [(None, "")], week=date(2019, 6, 3), at=AT)
    record = found.record()
    assert [i.id for i in found.claimed] == ["5", "6"]  # 5 claimed on 5-20, 6 on 5-27
    assert (record["claimed"], record["verified"], record["returned"]) == (2, 1, 1)
    assert record["without_evidence"] == ["2", "5", "6"]  # reported done, returned ones included, no file
    assert record["regressed"] == ["7"]  # done on 5-20, not on 5-27
    assert record["sample"] == ["1"]  # one verified measure: all of it
    assert record["measures"][:3] == [
        {"id": "1", "state": "verified", "evidence": 1, "reason": ""},
        {"id": "2", "state": "returned", "evidence": 0, "reason": "照片不清晰"},
        {"id": "3", "state": "open", "evidence": 0, "reason": ""},
    ]


def test_the_inspection_record_lists_each_decision_with_the_evidence_seen_in_word_and_pdf(store, tmp_path):
    import docx

    from ledger import typeset, word
    from ledger.inspection import record_data
    from tests.test_meeting_pack import pdf_text

    publish_week(store, date(2019, 5, 27), {1: "已完成", 2: "已完成"})
    plan = plan_id(store)
    one, two = measure_named(store, plan, None, "1"), measure_named(store, plan, None, "2")
    (tmp_path / "分工文件.pdf").write_bytes(pdf())
    evidence.add_files(store, one, [("分工文件.pdf", str(tmp_path / "分工文件.pdf"))], by="办公室主任", at=AT)
    decide(store, one, APPROVE, by="督导组组长", at=datetime(2019, 6, 4, 10, 30))
    decide(store, two, RETURN, by="督导组组长", at=datetime(2019, 6, 4, 10, 45), reason="照片不清晰")
    decide(store, one, APPROVE, by="督导组组长", at=datetime(2019, 5, 29, 9))  # the week before: not listed
    found = inspection(store, plan, [(None, "")], week=date(2019, 6, 5), at=AT)
    data = record_data(store, plan, PLAN, [(None, "")], found, date(2019, 6, 5), "zh")
    assert data["period"] == "2019-06-03 至 2019-06-09"
    assert [(r["id"], r["evidence"], r["decision"], r["reason"], r["by"], r["at"]) for r in data["rows"]] == [
        ("1", "分工文件.pdf", "通过（销号）", "", "督导组组长", "2019-06-04 10:30"),
        ("2", "无佐证材料", "退回", "照片不清晰", "督导组组长", "2019-06-04 10:45"),
    ]
    assert [(r["id"], r["state"]) for r in data["sample"]] == [("1", "已销号")]
    text = pdf_text(typeset.pdf("record.typ", data))
    for expected in ("督导检查记录表", PLAN, "分工文件.pdf", "照片不清晰", "督导组成员（签字）", "2019-06-04 10:45"):
        assert expected in text, expected
    document = docx.Document(__import__("io").BytesIO(word.record_docx(data)))
    written = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "督导检查记录表" in written and "督导组组长（签字）：" in written
    assert cells[7:14] == ["1", "第1项整改措施", "分工文件.pdf", "通过（销号）", "", "督导组组长", "2019-06-04 10:30"]
