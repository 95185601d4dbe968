"""Units and the roll-up (README "Units and the roll-up"): each unit's figures equal `summary` on its ledger."""

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from ledger import accounts
from ledger.cli import run
from ledger.publishing import check_upload, publish
from ledger.report import summary
from ledger.rollup import combined, rollup
from ledger.sample import history_files
from ledger.store import Store
from tests.sheets import week_five

ROOT = Path(__file__).resolve().parent.parent
PLAN = "全市教育系统意识形态整改方案"
WEEKS = dict(sorted(history_files().items()))
AT = datetime(2019, 6, 3, 17)


pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def store(store):
    """The shared fresh store, with one plan reported by three units and a fourth that never reported."""
    plan = store.create_plan(PLAN, created_at=AT)
    files = list(WEEKS.values())
    for unit, data in (("第一中学", files[3]), ("第二中学", week_five()), ("第三中学", files[2])):
        unit_id = accounts.add_unit(store, unit, at=AT, by="admin", plan_id=plan.id).id
        upload = [(f"{unit}.xlsx", data)]
        publish(
            store,
            upload,
            check_upload(store, upload, date(2019, 6, 3), plan_id=plan.id),
            plan=plan.id,
            uploaded_by="办公室主任",
            uploaded_at=AT,
            unit_id=unit_id,
        )
    accounts.add_unit(store, "第四中学", at=AT, by="admin", plan_id=plan.id)  # expected, never reported
    return store


def test_each_units_figures_equal_summary_on_that_units_ledger(store):
    plan = store.plan_named(PLAN)
    for row in rollup(store, plan.id):
        if row.version is None:
            continue
        alone = summary(store.ledger(row.version.id))
        assert row.figures == alone
        record = row.record()
        assert (record["tasks"], record["completion_pct"], record["overdue"], record["lights"], record["phases"]) == (
            alone["tasks"],
            alone["completion_pct"],
            len(alone["overdue"]),
            alone["lights"],
            alone["phases"],
        )


def test_units_without_a_report_this_week_come_first_then_by_overdue_never_ranked(store):
    rows = rollup(store, store.plan_named(PLAN).id)
    assert [(r.unit.name, r.missing, r.overdue) for r in rows] == [
        ("第一中学", True, 4),
        ("第三中学", True, 1),
        ("第四中学", True, 0),
        ("第二中学", False, 5),
    ]
    assert rows[2].version is None and "rank" not in rows[0].record()


def test_rollup_as_of_a_day_takes_each_units_ledger_reported_by_then(store):
    rows = {r.unit.name: r for r in rollup(store, store.plan_named(PLAN).id, date(2019, 5, 27))}
    assert rows["第二中学"].version is None  # its only report is of 6-3
    assert rows["第一中学"].figures == summary(store.ledger(rows["第一中学"].version.id), date(2019, 5, 27))
    assert not rows["第一中学"].missing and rows["第三中学"].missing


def test_all_units_together_keep_each_units_measures_apart_with_the_unit_as_a_field(store):
    ledger = combined(store, store.plan_named(PLAN).id)
    assert len(ledger.tasks) == 3 * 17 and set(ledger.tasks["unit"]) == {"第一中学", "第二中学", "第三中学"}
    assert ledger.tasks["key"].is_unique and ledger.report_date == date(2019, 6, 3)


def test_cli_rollup_json(store, capsys):
    assert run(["rollup", "--db", store.url, "--plan", PLAN, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["unit"] for r in rows] == ["第一中学", "第三中学", "第四中学", "第二中学"]
    assert {"unit", "report_date", "tasks", "completion_pct", "overdue", "lights", "phases"} <= set(rows[0])
    assert rows[3]["report_date"] == "2019-06-03" and rows[2]["report_date"] is None
    assert run(["rollup", "--db", store.url, "--plan", PLAN]) == 0
    assert "本周未报送" in capsys.readouterr().out


def test_cli_publish_for_a_unit(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'u.db'}"
    ledger = tmp_path / "台账.xlsx"
    ledger.write_bytes(week_five())
    assert run(["publish", str(ledger), "--db", url, "--plan", PLAN, "--unit", "第五中学"]) == 0
    store = Store(url)
    plan = store.plan_named(PLAN)
    assert [u.name for u in accounts.units(store, plan.id)] == ["第五中学"]
    assert store.versions(plan.id)[0].unit_id == accounts.unit_named(store, "第五中学").id
    store.dispose()


def test_the_meeting_pack_for_all_units_names_the_unit_with_each_leader(store):
    from ledger import brief
    from ledger.i18n import translate

    plan = store.plan_named(PLAN)
    together = combined(store, plan.id)
    ctx = brief.Context(together, together.tasks, together.report_date, plan=PLAN, unit="全部单位")
    groups, _, _ = brief.overdue_groups(ctx, top=100)
    leaders = [g["leader"] for g in groups]
    assert all(name.split(" ")[0] in {"第一中学", "第二中学", "第三中学"} for name in leaders)
    assert len(leaders) == len(set(leaders))
    notices = brief.notices_data(ctx, "leader")["notices"]
    assert {n["to"].split(" ")[0] for n in notices} <= {"第一中学", "第二中学", "第三中学"}
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(brief.version_workbook(ctx))).worksheets[0]
    header = [
        c.value for c in next(r for r in sheet.iter_rows() if any(c.value == translate("field.unit", "zh") for c in r))
    ]
    assert header[0] == translate("field.unit", "zh")


def test_cli_brief_and_notices_for_one_unit_or_all_units_together(store, tmp_path, capsys):
    from openpyxl import load_workbook

    from ledger.i18n import translate

    out = tmp_path / "all.xlsx"
    assert (
        run(["brief", "--db", store.url, "--plan", PLAN, "--unit", "all", "--format", "xlsx", "--out", str(out)]) == 0
    )
    rows = list(load_workbook(out).worksheets[0].iter_rows(values_only=True))
    header = next(r for r in rows if translate("field.unit", "zh") in r)
    at = header.index(translate("field.unit", "zh"))
    units = {r[at] for r in rows[rows.index(header) + 1 :] if r[at]}
    assert units == {"第一中学", "第二中学", "第三中学"}
    assert len(rows) - rows.index(header) - 1 == len(combined(store, store.plan_named(PLAN).id).tasks)

    one = tmp_path / "one.xlsx"
    assert (
        run(["brief", "--db", store.url, "--plan", PLAN, "--unit", "第二中学", "--format", "xlsx", "--out", str(one)])
        == 0
    )
    rows = list(load_workbook(one).worksheets[0].iter_rows(values_only=True))
    assert translate("field.unit", "zh") not in next(r for r in rows if translate("field.measure", "zh") in r)

    capsys.readouterr()
    assert (
        run(
            [
                "notices",
                "--db",
                store.url,
                "--plan",
                PLAN,
                "--unit",
                "第九中学",
                "--format",
                "pdf",
                "--out",
                str(tmp_path / "n.pdf"),
            ]
        )
        == 1
    )
    assert translate("cli.no_such_unit", "zh", name="第九中学") in capsys.readouterr().err


def test_each_units_figures_are_kept_as_it_publishes_read_after_a_start_and_made_again_after_a_decision(
    store, monkeypatch
):
    from ledger.closure import APPROVE, decide, measure_named
    from ledger.metrics import DEFAULT_THRESHOLDS
    from ledger.rollup import summary_basis

    plan = store.plan_named(PLAN).id
    newest = store.unit_versions(plan, None)
    expected = {v.id: summary(store.ledger(v.id)) for v in newest.values()}
    basis = summary_basis(DEFAULT_THRESHOLDS, store.plan_phases(plan), 0)
    assert store.summaries(dict.fromkeys(expected, basis)) == expected  # made as each unit published

    started = Store(store.url)  # a start: nothing in memory; no unit's ledger is read, let alone summarised
    monkeypatch.setattr(Store, "ledgers", lambda self, ids: pytest.fail(f"versions {ids} summarised again"))
    assert {r.version.id: r.figures for r in rollup(started, plan) if r.version} == expected
    monkeypatch.undo()

    second = next(v for v in newest.values() if v.file_names == ("第二中学.xlsx",))
    done = store.ledger(second.id).tasks.query("status == 'done'")["id"].iloc[0]
    decide(store, measure_named(store, plan, second.unit_id, done), APPROVE, by="督导组组长", at=AT)
    after = {r.version.id: r.figures for r in rollup(started, plan) if r.version}
    assert after[second.id]["verified_pct"] > expected[second.id]["verified_pct"]
    assert {i: f for i, f in after.items() if i != second.id} == {i: f for i, f in expected.items() if i != second.id}
    started.dispose()
