"""`python -m ledger summary|check`: the JSON of the README's "Command line", exit codes, and the text report."""

import getpass
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from ledger.cli import run
from ledger.sample import MEASURES
from tests.sheets import csv_bytes, load, task_row, week_five, workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample_ledger.xlsx"
MEASURE = {number: text for number, _, text, *_ in MEASURES}


def summary_json(capsys, *args) -> tuple[int, dict]:
    code = run(["summary", *map(str, args), "--json"])
    return code, json.loads(capsys.readouterr().out)


def person(leader, department, owner):
    return {"leader": leader, "department": department, "owner": owner}


def test_summary_json_of_the_sample_ledger_is_pinned(capsys):
    code, data = summary_json(capsys, SAMPLE)
    assert code == 0
    assert list(data) == [
        "as_of",
        "tasks",
        "by_status",
        "completion_pct",
        "verified_pct",
        "review",
        "categories",
        "extras",
        "amounts",
        "phases",
        "thresholds",
        "lights",
        "overdue",
        "due_soon",
        "errors",
        "warnings",
    ]
    assert data["thresholds"] == {"due_soon_days": 7, "behind_points": 20.0}
    assert data["lights"] == {"red": 4, "yellow": 3, "green": 4, "claimed": 4, "done": 0, "ongoing": 2}
    assert [(r["id"], r.pop("light")) for r in data["overdue"]] == [
        ("15", "red"),
        ("2", "red"),
        ("4", "red"),
        ("11", "red"),
    ]
    assert {r.pop("light") for r in data["due_soon"]} == {"yellow"}
    assert data["as_of"] == "2019-05-27"
    assert data["tasks"] == 17
    assert data["by_status"] == {"done": 4, "in_progress": 6, "not_started": 5, "ongoing": 2}
    assert data["completion_pct"] == 26.7
    assert data["verified_pct"] == 0.0  # a file read on its own: every measure it reports done is a claim
    assert data["review"] == {"claimed": 4, "verified": 0, "returned": 0}
    assert [{k: c[k] for k in ("name", "tasks", "done", "completion_pct", "overdue")} for c in data["categories"]] == [
        {"name": "思想重视不够、落实不力的问题", "tasks": 5, "done": 1, "completion_pct": 20.0, "overdue": 2},
        {"name": "基层干部队伍建设薄弱的问题", "tasks": 3, "done": 1, "completion_pct": 33.3, "overdue": 0},
        {"name": "宗教、邪教进校园工作仍有漏洞的问题", "tasks": 2, "done": 1, "completion_pct": 100.0, "overdue": 0},
        {"name": "校园文化阵地建设不全面的问题", "tasks": 2, "done": 0, "completion_pct": 0.0, "overdue": 1},
        {"name": "网络管控力度不大、能力欠缺的问题", "tasks": 5, "done": 1, "completion_pct": 25.0, "overdue": 1},
    ]
    assert {(c["verified"], c["verified_pct"]) for c in data["categories"]} == {(0, 0.0)}
    assert data["phases"] == [
        {
            "name": "第一阶段：自查自纠",
            "start": "2019-04-25",
            "end": "2019-05-10",
            "state": "done",
            "completion_pct": 100.0,
        },
        {
            "name": "第二阶段：整改落实",
            "start": "2019-05-11",
            "end": "2019-05-31",
            "state": "current",
            "completion_pct": 22.2,
        },
        {
            "name": "第三阶段：迎接督导检查",
            "start": "2019-06-01",
            "end": "2019-06-10",
            "state": "upcoming",
            "completion_pct": None,
        },
        {
            "name": "第四阶段：健全机制",
            "start": "2019-06-11",
            "end": "2019-06-30",
            "state": "upcoming",
            "completion_pct": 0.0,
        },
    ]
    assert data["overdue"] == [
        {
            "id": "15",
            "category": "网络管控力度不大、能力欠缺的问题",
            "measure": MEASURE[15],
            "due": "2019-05-17",
            "days_overdue": 10,
            **person("校长", "信息中心", "网络管理员"),
        },
        {
            "id": "2",
            "category": "思想重视不够、落实不力的问题",
            "measure": MEASURE[2],
            "due": "2019-05-20",
            "days_overdue": 7,
            **person("党总支书记", "党政办公室", "办公室主任"),
        },
        {
            "id": "4",
            "category": "思想重视不够、落实不力的问题",
            "measure": MEASURE[4],
            "due": "2019-05-24",
            "days_overdue": 3,
            **person("党总支副书记", "党政办公室", "办公室主任"),
        },
        {
            "id": "11",
            "category": "校园文化阵地建设不全面的问题",
            "measure": MEASURE[11],
            "due": "2019-05-25",
            "days_overdue": 2,
            **person("分管德育副校长", "团委", "团委书记"),
        },
    ]
    assert [(r["id"], r["due"], r["days_overdue"], r["owner"]) for r in data["due_soon"]] == [
        ("3", "2019-05-31", -4, "组织委员"),
        ("7", "2019-05-31", -4, "德育处主任"),
        ("16", "2019-06-02", -6, "舆情信息员"),
    ]
    assert data["errors"] == []
    assert data["warnings"] == [
        {"sheet": "整改台账", "row": 12, "column": "佐证材料", "value": "", "message": "已完成但没有佐证材料。"}
    ]


def test_as_of_moves_every_figure(capsys):
    _, data = summary_json(capsys, SAMPLE, "--as-of", "2019-06-05")
    assert data["as_of"] == "2019-06-05"
    assert [p["state"] for p in data["phases"]] == ["done", "done", "current", "upcoming"]
    assert [(r["id"], r["days_overdue"]) for r in data["overdue"]][:3] == [("15", 19), ("2", 16), ("4", 12)]
    assert len(data["overdue"]) == 7


def test_ledger_with_errors_exits_2_and_lists_them(tmp_path, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook([task_row(id=1, status="差不多"), task_row(id=2, due="五月中下旬吧")]))
    code, data = summary_json(capsys, path)
    assert code == 2
    assert [(e["row"], e["column"], e["value"]) for e in data["errors"]] == [
        (4, "完成情况", "差不多"),
        (5, "完成时限", "五月中下旬吧"),
    ]


def test_two_csv_files_are_read_like_one_workbook(tmp_path, capsys):
    tasks, phases = tmp_path / "tasks.csv", tmp_path / "phases.csv"
    tasks.write_bytes(
        csv_bytes(
            [
                ["填报日期：2019年5月27日"],
                ["序号", "整改措施", "所属阶段", "责任人", "完成时限", "状态"],
                [1, "制定学习计划", "整改落实", "组织委员", "2019/5/20", "进行中"],
            ],
            "gbk",
        )
    )
    phases.write_bytes(
        csv_bytes([["阶段", "时间安排"], ["自查自纠", "4月25日至5月10日"], ["整改落实", "5月11日至5月31日"]])
    )
    code, data = summary_json(capsys, tasks, phases)
    assert code == 0
    assert data["overdue"][0]["days_overdue"] == 7
    assert [p["end"] for p in data["phases"]] == ["2019-05-10", "2019-05-31"]


@pytest.mark.parametrize(
    "argv",
    [
        ["summary"],
        ["summary", "no-such-file.xlsx"],
        ["frobnicate", "x"],
        ["summary", "data/sample_ledger.xlsx", "--as-of", "27/05/2019"],
    ],
)
def test_usage_errors_exit_1(argv, capsys):
    assert run(argv) == 1


def test_check_prints_the_report_in_the_chosen_language(capsys):
    assert run(["--lang", "en", "check", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "整改台账 row 12 [佐证材料]: Marked done without evidence." in out
    assert out.strip().endswith("0 errors, 1 warning.")


def test_module_runs_as_a_separate_process():
    done = subprocess.run(
        [sys.executable, "-m", "ledger", "summary", str(SAMPLE), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0
    assert json.loads(done.stdout)["completion_pct"] == 26.7


PLAN = "意识形态专项整治"


def test_publish_creates_the_named_plan_and_history_lists_the_version(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    assert run(["publish", str(SAMPLE), "--db", db, "--plan", PLAN, "--by", "办公室主任", "--note", "第四周"]) == 0
    out = capsys.readouterr().out
    assert "新建整改方案“意识形态专项整治”。" in out
    assert "已发布为方案“意识形态专项整治”的第 1 版（填报日期 2019-05-27）。" in out
    assert run(["history", "--db", db, "--json"]) == 0  # the only plan: no --plan needed
    [version] = json.loads(capsys.readouterr().out)
    assert (version["number"], version["report_date"], version["uploaded_by"], version["note"]) == (
        1,
        "2019-05-27",
        f"cli:{getpass.getuser()} as 办公室主任",  # the login acts; the name typed is only what it said
        "第四周",
    )
    assert (version["tasks"], version["completion_pct"], version["overdue"], version["due_soon"]) == (17, 26.7, 4, 3)


def test_plans_lists_name_unit_demo_versions_and_latest_report_date(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    run(["publish", str(SAMPLE), "--db", db, "--plan", PLAN])
    capsys.readouterr()
    assert run(["plans", "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"name": PLAN, "unit": "党总支办公室", "demo": False, "versions": 1, "latest_report_date": "2019-05-27"}
    ]


def test_without_plan_publish_uses_the_only_real_plan_and_otherwise_asks(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    run(["publish", str(SAMPLE), "--db", db, "--plan", PLAN])
    week_five_path = tmp_path / "week5.xlsx"
    week_five_path.write_bytes(week_five())
    assert run(["publish", str(week_five_path), "--db", db]) == 0
    assert f"已发布为方案“{PLAN}”的第 2 版" in capsys.readouterr().out
    other = tmp_path / "other.xlsx"
    other.write_bytes(workbook([task_row(measure="另一个方案的措施")]))
    run(["publish", str(other), "--db", db, "--plan", "另一个方案"])
    capsys.readouterr()
    assert run(["history", "--db", db]) == 1
    assert "现有方案：意识形态专项整治、另一个方案" in capsys.readouterr().err


def test_publish_twice_stores_once(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    run(["publish", str(SAMPLE), "--db", db, "--plan", PLAN])
    assert run(["--lang", "en", "publish", str(SAMPLE), "--db", db]) == 0
    assert f"were published before (version 1 of “{PLAN}”" in capsys.readouterr().out


def test_publish_of_a_ledger_with_errors_exits_2_and_stores_nothing(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook([task_row(status="差不多")]))
    assert run(["publish", str(path), "--db", db, "--plan", PLAN]) == 2
    out = capsys.readouterr()
    assert "状态“差不多”无法识别" in out.out and "未发布" in out.err
    assert run(["plans", "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []  # not even the plan was created


def test_publish_report_date_overrides_the_ledger(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    assert run(["publish", str(SAMPLE), "--db", db, "--plan", PLAN, "--report-date", "2019-05-28"]) == 0
    run(["history", "--db", db, "--json"])
    assert json.loads(capsys.readouterr().out.splitlines()[-1])[0]["report_date"] == "2019-05-28"


def test_an_unreachable_database_is_a_usage_error(capsys):
    assert run(["history", "--db", "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: 数据库 postgresql+psycopg://nobody:***@127.0.0.1:1/none：暂时无法连接数据库")
    assert "secret" not in err


def test_a_category_of_ongoing_measures_only_has_no_completion_in_valid_json(tmp_path):
    path = tmp_path / "ongoing.xlsx"
    path.write_bytes(
        workbook(
            [
                task_row(id=1, category="思想", status="已完成", evidence="文件", completed_on=date(2019, 5, 20)),
                task_row(id=2, category="机制", due="长期", status="长期坚持", progress=""),
            ]
        )
    )
    done = subprocess.run(
        [sys.executable, "-m", "ledger", "summary", str(path), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    categories = json.loads(done.stdout, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))["categories"]
    assert [c["completion_pct"] for c in categories] == [100.0, None]


@pytest.mark.parametrize(
    "argv",
    [["summary", str(SAMPLE), "--as-of", "9999-12-31"], ["history", "--db", "sqlite:////dev/null/cannot/ledger.db"]],
)
def test_impossible_dates_and_unusable_database_paths_are_usage_errors(argv, capsys):
    assert run(argv) == 1
    assert "error:" in capsys.readouterr().err


def test_without_plan_publish_into_an_empty_store_creates_a_plan_named_after_the_ledgers_title(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    assert run(["publish", str(SAMPLE), "--db", db]) == 0
    out = capsys.readouterr().out
    title = load((SAMPLE.name, SAMPLE.read_bytes())).title
    assert f"新建整改方案“{title}”" in out and f"已发布为方案“{title}”的第 1 版" in out
