"""What first contact with an office's own ledger leaves in the store (README "The ledger spreadsheet", "Units and
the roll-up"): a group's merged ledger as one version per unit, extra fields kept through a publish, a restart and
the Excel export, amounts totalled, and a person's choice of columns remembered with the plan."""

from __future__ import annotations

import io
import json
from datetime import date, datetime

import openpyxl
import pytest

from ledger import accounts, metrics
from ledger.brief import version_workbook
from ledger.cli import run
from ledger.meeting import context
from ledger.publishing import check_upload, publish_units, split_units
from ledger.report import summary
from ledger.rollup import combined, rollup
from ledger.store import Store
from tests.families import ODD_MAPPING, audit_workbook, odd_workbook

AT = datetime(2024, 4, 2, 9, 0)
RECEIVED = date(2024, 4, 2)
UNITS = ("第一分公司", "第二分公司", "第三分公司")


def publish_group(store: Store, data: bytes, plan: int | None = None):
    files = [("集团审计整改汇总台账.xlsx", data)]
    ledger = check_upload(store, files, RECEIVED, plan_id=plan)
    parts = split_units(ledger)
    assert parts is not None and not parts.issues
    target = plan if plan is not None else store.create_plan("审计整改", created_at=AT).id
    return target, publish_units(store, files, parts, plan=target, uploaded_by="审计部", uploaded_at=AT)


def test_a_merged_group_ledger_published_once_is_one_version_per_unit_in_the_roll_up(store):
    data = audit_workbook()
    plan, results = publish_group(store, data)
    assert [r.created for r in results] == [True, True, True]
    assert [u.name for u in accounts.units(store, plan)] == sorted(UNITS)
    by_unit = {u.name: u.id for u in accounts.units(store)}
    assert [(r.version.unit_id, r.version.task_count) for r in results] == [
        (by_unit["第一分公司"], 3),
        (by_unit["第二分公司"], 2),
        (by_unit["第三分公司"], 1),
    ]
    rows = {row.unit.name: row for row in rollup(store, plan)}
    for name in UNITS:
        row = rows[name]
        assert row.figures == summary(store.ledger(row.version.id))  # the roll-up is each unit's own summary
    assert rows["第一分公司"].figures["completion_pct"] == pytest.approx(33.3)
    first = store.ledger(rows["第一分公司"].version.id)
    assert "unit" not in first.tasks and first.tasks["key"].tolist() == ["id:1", "id:2", "id:3"]
    together = combined(store, plan)
    assert together is not None and sorted(set(together.tasks["unit"])) == sorted(UNITS)
    assert [r.created for r in publish_group(store, data, plan)[1]] == [False, False, False]  # the same file again
    assert len(store.versions(plan)) == 3


def test_extra_fields_survive_a_publish_a_restart_and_the_excel_export(store):
    _, results = publish_group(store, audit_workbook())
    again = Store(store.url)  # a restart: a new process reads the store afresh
    ledger = again.ledger(results[0].version.id)
    assert ledger.tasks["extra:涉及金额（万元）"].tolist() == [12.5, 80.0, 35.2]
    assert ledger.tasks["extra:审计来源"].tolist() == ["内部审计", "外部审计", "内部审计"]
    assert ledger.tasks["extra:红黑榜"].tolist() == ["红榜", "", "黑榜"]
    assert again.ledgers([results[1].version.id])[results[1].version.id].tasks["extra:涉及金额（万元）"].tolist() == [
        150.0,
        22.0,
    ]
    book = openpyxl.load_workbook(io.BytesIO(version_workbook(context(again, results[0].version))))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header = next(row for row in rows if row and "涉及金额（万元）" in row)
    body = [dict(zip(header, row, strict=False)) for row in rows[rows.index(header) + 1 :]]
    assert sorted(r["涉及金额（万元）"] for r in body) == [12.5, 35.2, 80.0]
    assert sorted(r["审计来源"] for r in body) == ["内部审计", "内部审计", "外部审计"]
    again.dispose()


def test_a_number_extra_is_totalled_per_category_and_unit(store):
    plan, _ = publish_group(store, audit_workbook())
    together = combined(store, plan)
    assert together is not None
    assert metrics.amount_fields(together.tasks) == ["涉及金额（万元）"]  # 审计年度 holds years: not an amount
    total = metrics.amounts(together.tasks, "涉及金额（万元）")
    assert total[["total", "done", "not_done"]].round(2).values.tolist() == [[305.5, 40.3, 265.2]]
    by_unit = metrics.amounts(together.tasks, "涉及金额（万元）", "unit").round(2)
    assert by_unit.set_index("name").to_dict("index") == {
        "第一分公司": {"total": 127.7, "done": 12.5, "not_done": 115.2},
        "第二分公司": {"total": 172.0, "done": 22.0, "not_done": 150.0},
        "第三分公司": {"total": 5.8, "done": 5.8, "not_done": 0.0},
    }
    record = summary(together)["amounts"][0]
    assert [(c["name"], c["total"], c["done"]) for c in record["categories"]] == [
        ("财务管理", 168.3, 18.3),
        ("合同管理", 80.0, 0.0),
        ("资产管理", 35.2, 0.0),
        ("采购管理", 22.0, 22.0),
    ]
    assert [u["name"] for u in record["units"]] == [u.name for u in sorted(accounts.units(store), key=lambda u: u.id)]


def test_rows_without_a_unit_and_rows_of_another_unit_are_errors_for_those_rows():
    from tests.sheets import load

    ledger = load(("汇总.xlsx", audit_workbook()))
    named = split_units(ledger, "第二分公司")
    assert named is not None and [(i.code, i.row, i.value) for i in named.issues] == [
        ("task.other_unit", 4, "第一分公司"),
        ("task.other_unit", 5, "第一分公司"),
        ("task.other_unit", 6, "第一分公司"),
        ("task.other_unit", 9, "第三分公司"),
    ]
    from tests.families import AUDIT_HEADER, audit_rows
    from tests.sheets import xlsx

    rows = audit_rows()
    rows[0][1] = rows[4][1] = ""  # the first row names no unit; the fifth is under 第二分公司's first row
    blank = split_units(load(("汇总.xlsx", xlsx({"汇总台账": [AUDIT_HEADER, *rows]}))))
    assert blank is not None and [(i.code, i.row) for i in blank.issues] == [("task.blank_unit", 2)]
    rows[0][1] = "第一分公司"
    written_once = split_units(load(("汇总.xlsx", xlsx({"汇总台账": [AUDIT_HEADER, *rows]}))))
    assert written_once is not None and not written_once.issues
    assert [(name, len(part.tasks)) for name, part in written_once.parts] == [
        ("第一分公司", 3),
        ("第二分公司", 2),
        ("第三分公司", 1),
    ]


# --- the command line ---------------------------------------------------------------------------------------------


def test_publish_of_a_group_ledger_without_unit_makes_one_version_per_unit(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    path = tmp_path / "集团审计整改汇总台账.xlsx"
    path.write_bytes(audit_workbook())
    assert run(["publish", str(path), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "新建整改方案“集团公司审计整改汇总台账”" in out
    assert "第一分公司: 已发布为方案“集团公司审计整改汇总台账”的第 1 版" in out
    assert "第三分公司: 已发布为方案“集团公司审计整改汇总台账”的第 3 版" in out
    assert run(["rollup", "--db", db, "--json"]) == 0
    rolled = {r["unit"]: (r["tasks"], r["completion_pct"]) for r in json.loads(capsys.readouterr().out)}
    assert rolled == {"第一分公司": (3, 33.3), "第二分公司": (2, 50.0), "第三分公司": (1, 100.0)}


def test_publish_for_one_unit_refuses_the_rows_of_another_and_stores_nothing(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    path = tmp_path / "汇总.xlsx"
    path.write_bytes(audit_workbook())
    assert run(["publish", str(path), "--db", db, "--plan", "审计整改", "--unit", "第二分公司"]) == 2
    out = capsys.readouterr().out
    assert "这一行属于“第一分公司”，不是本次发布的单位“第二分公司”" in out
    assert Store(db).counts()["ledger_versions"] == 0
    one = tmp_path / "第二分公司.xlsx"
    one.write_bytes(audit_workbook(("第二分公司",)))
    assert run(["publish", str(one), "--db", db, "--plan", "审计整改", "--unit", "第二分公司"]) == 0
    stored = Store(db)
    [version] = stored.versions(stored.plan_named("审计整改").id)
    assert version.task_count == 2 and "unit" not in stored.ledger(version.id).tasks


def test_a_persons_choice_of_columns_is_remembered_with_the_plan(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    week1, week2 = tmp_path / "week1.xlsx", tmp_path / "week2.xlsx"
    week1.write_bytes(odd_workbook(0))
    week2.write_bytes(odd_workbook(1))
    assert run(["publish", str(week1), "--db", db, "--plan", "推进表"]) == 2  # asked: nothing stored
    assert "没有把握" in capsys.readouterr().out
    assert run(["publish", str(week1), "--db", db, "--plan", "推进表", "--columns", ODD_MAPPING]) == 0
    capsys.readouterr()
    assert run(["publish", str(week2), "--db", db]) == 0  # next week's ledger of the same shape: no --columns
    assert "已发布为方案“推进表”的第 2 版" in capsys.readouterr().out
    stored = Store(db)
    newest = stored.ledger(stored.newest_report_id(stored.plan_named("推进表").id))
    assert newest.tasks["status"].tolist() == ["done", "in_progress", "not_started"]
    assert newest.tasks["owner"].tolist() == ["办公室主任", "组织员", "教务处处长"]


def test_a_changed_shape_asks_only_about_the_columns_that_changed(tmp_path):
    from tests.families import ODD_HEADER, odd_rows
    from tests.sheets import xlsx

    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    first = tmp_path / "week1.xlsx"
    first.write_bytes(odd_workbook(0))
    assert run(["publish", str(first), "--db", db, "--plan", "推进表", "--columns", ODD_MAPPING]) == 0
    stored = Store(db)
    plan = stored.plan_named("推进表").id
    rows = [[*row, f"{row[4]}的手机"] for row in odd_rows(1)]
    changed = [("week2.xlsx", xlsx({"推进表": [["填报日期：2024年5月13日"], [*ODD_HEADER, "咋联系"], *rows]}))]
    ledger = check_upload(stored, changed, RECEIVED, plan_id=plan)
    assert [c.header for c in ledger.columns if not c.confirmed] == ["咋联系"]
    assert ledger.ok and ledger.tasks["extra:咋联系"].tolist()[0] == "办公室主任的手机"


def test_summary_json_names_the_extras_and_groups_by_one(tmp_path, capsys):
    path = tmp_path / "审计.xlsx"
    path.write_bytes(audit_workbook())
    assert run(["summary", str(path), "--json", "--group-by", "审计来源"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"name": "涉及金额（万元）", "kind": "number"} in data["extras"]
    assert {"name": "审计来源", "kind": "text"} in data["extras"]
    assert data["groups"] == [
        {
            "name": "内部审计",
            "tasks": 4,
            "done": 3,
            "verified": 0,
            "completion_pct": 75.0,
            "verified_pct": 0.0,
            "overdue": 0,
        },
        {
            "name": "外部审计",
            "tasks": 2,
            "done": 0,
            "verified": 0,
            "completion_pct": 0.0,
            "verified_pct": 0.0,
            "overdue": 0,
        },
    ]
    assert list(data)[list(data).index("categories") + 1] == "group_by"
    assert run(["summary", str(path), "--group-by", "没有这一列"]) == 1
    assert "--group-by “没有这一列”" in capsys.readouterr().err


def test_columns_prints_each_column_with_its_field_confidence_reason_and_sample(tmp_path, capsys):
    path = tmp_path / "审计.xlsx"
    path.write_bytes(audit_workbook())
    assert run(["--lang", "en", "columns", str(path), "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert records[8] == {
        "column": "I",
        "header": "整改计划及措施",
        "field": "measure",
        "confidence": 0.85,
        "reason": "the header contains “整改计划”; the cells are text",
        "sample": [
            "补齐差旅费报销单据并建立审核台账",
            "对未经审核的合同逐份补充法务审核意见",
            "开展固定资产全面盘点，调整账务",
        ],
    }
    assert [r["field"] for r in records].count("extra") == 7
    assert run(["columns", str(path)]) == 0
    text = capsys.readouterr().out
    assert "I  整改计划及措施 → 整改措施 [measure] (0.85): 表头含“整改计划”；各格是文字叙述" in text


@pytest.mark.parametrize(
    ("columns", "says"),
    [
        ("没有这列=measure", "--columns 指定的表头在任务表中找不到：没有这列"),
        ("办什么=measures", "--columns 中的“measures”不是字段"),
        ("办什么=measure,谁来抓=measure", "--columns 把“办什么”和“谁来抓”都指定为 measure"),
        ("办什么", "--columns 的“办什么”应写作“表头=字段”"),
    ],
)
def test_a_wrong_choice_of_columns_is_a_usage_error_that_says_which(tmp_path, capsys, columns, says):
    path = tmp_path / "推进表.xlsx"
    path.write_bytes(odd_workbook())
    for command in ("check", "summary", "columns"):
        assert run([command, str(path), "--columns", columns]) == 1
        assert says in capsys.readouterr().err
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    assert run(["publish", str(path), "--db", db, "--columns", columns]) == 1
    assert says in capsys.readouterr().err


def test_the_brief_groups_its_category_chart_by_an_extra_field_when_asked(tmp_path, capsys):
    from ledger.brief import Context, brief_data
    from tests.sheets import load

    ledger = load(("审计.xlsx", audit_workbook()))
    data = brief_data(Context(ledger, ledger.tasks, ledger.report_date, group_by="审计来源"))
    assert data["labels"]["categories"] == "按“审计来源”分列的完成情况"
    assert [(r["name"], r["tasks"]) for r in data["categories"]["rows"]] == [("内部审计", 4), ("外部审计", 2)]
    plain = brief_data(Context(ledger, ledger.tasks, ledger.report_date))
    assert [r["name"] for r in plain["categories"]["rows"]] == ["财务管理", "合同管理", "资产管理", "采购管理"]
    path, out = tmp_path / "审计.xlsx", tmp_path / "brief.docx"
    path.write_bytes(audit_workbook())
    assert run(["brief", str(path), "--format", "docx", "--out", str(out), "--group-by", "审计来源"]) == 0
    import docx

    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "按“审计来源”分列的完成情况" in text


def test_an_extra_of_numbers_in_one_sheet_and_text_in_another_is_text_and_publishes(tmp_path, capsys):
    from tests.sheets import xlsx

    header = ["序号", "整改措施", "责任人", "涉及金额"]
    book = xlsx(
        {
            "财务部": [["填报日期：2024年4月1日"], header, [1, "补齐报销单据", "财务部经理", 12.5]],
            "法务部": [["填报日期：2024年4月1日"], header, [1, "补充法务审核意见", "法务专员", "—"]],
        }
    )
    path = tmp_path / "部门台账.xlsx"
    path.write_bytes(book)
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    assert run(["publish", str(path), "--db", db, "--plan", "P"]) == 0
    stored = Store(db)
    tasks = stored.ledger(stored.newest_report_id(stored.plan_named("P").id)).tasks
    assert tasks["extra:涉及金额"].tolist() == ["12.5", "—"]


def test_units_whose_extra_fields_differ_in_kind_or_presence_read_together(store):
    from tests.families import AUDIT_HEADER, audit_rows
    from tests.sheets import xlsx

    plan, _ = publish_group(store, audit_workbook())
    rows = [[*row[:6], "—", *row[7:]] for row in audit_rows(("第二分公司",))]  # this week: no amounts, only a dash
    later = xlsx({"汇总台账": [["统计截止时间：2024年4月8日"], AUDIT_HEADER[:-1], *[r[:-1] for r in rows]]})
    files = [("第二分公司.xlsx", later)]
    parts = split_units(check_upload(store, files, RECEIVED, plan_id=plan))
    publish_units(store, files, parts, plan=plan, uploaded_by="审计部", uploaded_at=AT)
    together = combined(store, plan)
    assert together is not None
    amounts = together.tasks.groupby("unit")["extra:涉及金额（万元）"].agg(list)
    assert amounts["第二分公司"] == ["—", "—"] and amounts["第一分公司"] == ["12.5", "80", "35.2"]  # text for all
    assert metrics.filter_options(together.tasks, "extra:备注") == []  # no "nan" where a unit lacks the column
    assert set(together.tasks["extra:备注"]) == {""}
    assert all(row.figures is not None for row in rollup(store, plan))


def test_a_persons_choice_of_columns_is_kept_with_the_plan_on_every_engine(store):
    from ledger.store import Columns

    plan = store.create_plan("推进表", created_at=AT)
    store.publish(
        [("a.xlsx", odd_workbook(0))],
        check_upload(store, [("a.xlsx", odd_workbook(0))], RECEIVED, columns=ODD_CHOICE),
        plan=plan.id,
        uploaded_by="办公室",
        uploaded_at=AT,
        columns=Columns("条目|办什么", dict(ODD_CHOICE)),
    )
    assert store.column_choices(plan.id) == ODD_CHOICE
    store.publish(
        [("b.xlsx", odd_workbook(1))],
        check_upload(store, [("b.xlsx", odd_workbook(1))], RECEIVED, plan_id=plan.id),
        plan=plan.id,
        uploaded_by="办公室",
        uploaded_at=AT,
        columns=Columns("条目|办什么", {**ODD_CHOICE, "眼下": "extra"}),
    )
    assert store.column_choices(plan.id)["眼下"] == "extra"  # the newest choice for one header row wins


ODD_CHOICE = {part.split("=")[0]: part.split("=")[1] for part in ODD_MAPPING.split(",")}
