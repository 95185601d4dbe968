"""Reading the plan document (README "The plan document"): the seed plan and the other forms real plans use, the
round trip plan → prefilled ledger → ledger, the `plan` command, and the Plan page."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from ledger.cli import run
from ledger.intake.plan_document import ledger_rows, read_plan
from ledger.intake.plan_reading import load_plan, load_plan_text
from ledger.intake.reading import load_ledger
from ledger.report import issue_message
from ledger.store import Store
from ledger.writing import prefilled_workbook
from tests.cards import figures
from tests.sheets import docx

SEED = Path(__file__).resolve().parent.parent / "data" / "sample_plan.txt"  # the seed plan, as the customer wrote it
CATEGORIES = [
    "思想重视不够、落实不力的问题",
    "基层干部队伍建设薄弱的问题",
    "宗教、邪教进校园工作仍有漏洞的问题",
    "校园文化阵地建设不全面的问题",
    "网络管控力度不大、能力欠缺的问题",
]
PHASES = [
    ("第一阶段:自查自纠", date(2019, 4, 25), date(2019, 5, 10)),
    ("第二阶段:整改落实", date(2019, 5, 11), date(2019, 5, 31)),
    ("第三阶段:迎接督导检查", date(2019, 6, 1), date(2019, 6, 10)),
    ("第四阶段:健全机制", date(2019, 6, 11), date(2019, 6, 30)),
]


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def test_the_seed_plan_gives_its_title_unit_date_categories_measures_and_phases(seed_text):
    plan = read_plan(seed_text, year=2019)
    assert plan.title == "关于进一步落实意识形态工作责任制专项整治方案"
    assert (plan.unit, plan.date) == ("榆树市职业技术教育中心党总支", date(2019, 5, 6))
    assert [c.name for c in plan.categories] == CATEGORIES
    assert [len(c.measures) for c in plan.categories] == [5, 3, 2, 2, 5]
    assert plan.categories[1].problem.startswith("部分基层宣传干部年龄偏大")
    assert plan.categories[0].measures[2].measure.startswith('结合开展"不忘初心、牢记使命"主题教育活动')
    assert [(p.name, p.start, p.end) for p in plan.phases] == PHASES
    assert plan.phases[1].description.startswith("对照问题逐条认真进行整改")


def test_text_the_plan_cannot_place_is_quoted_in_warnings(seed_text):
    plan = read_plan(seed_text, year=2019)
    quoted = [(w.row, w.value[:8]) for w in plan.warnings]
    assert quoted == [
        (2, "加强意识形态工作"),
        (4, "为全面落实中央、"),
        (6, "坚持以习近平新时"),
        (51, "加强领导,落实责"),
    ]
    assert issue_message(plan.warnings[0], "zh").startswith("第 2 行起的文字没有归入任何类别、措施或阶段：加强意识形态")


def test_a_year_the_document_leaves_out_is_asked_for(seed_text):
    plan = read_plan(seed_text)
    assert plan.year_missing and plan.date is None and plan.phases[0].start is None
    assert read_plan(seed_text.replace("201x年5月6日", "2020年5月6日")).phases[0].start == date(2020, 4, 25)


OTHER_FORMS = """XX局党委关于巡察反馈问题的整改方案
第一类：制度执行不严格
存在问题：会议记录不完整。
1、完善会议记录制度（责任领导：党委书记；责任部门：办公室；责任人：办公室主任；完成时限：2020年6月底前）
2、开展制度执行情况自查，形成自查报告。
责任领导：纪委书记 责任部门：纪检室 完成时限：立行立改
问题二：作风不实
（1）建立领导干部联系基层制度，
每月至少下基层一次。
责任领导：局长
②整治“文山会海”。牵头部门：办公室 完成时间：2020年二季度末
三、整改步骤
（一）动员部署阶段（2020年6月1日—6月10日）
召开动员会，部署整改工作。
（二）集中整改阶段
时间安排：2020年6月11日到7月31日
（三）总结验收阶段（2020年8月1日~8月15日）
2020年5月20日
XX局党委
"""


def test_other_headings_numberings_responsibilities_and_phase_forms_are_read():
    plan = read_plan(OTHER_FORMS)
    assert [c.name for c in plan.categories] == ["制度执行不严格", "作风不实"]
    assert plan.categories[0].problem == "会议记录不完整。"
    first, second = plan.categories[0].measures
    assert (first.id, first.measure, first.leader, first.department, first.owner, first.due) == (
        "1",
        "完善会议记录制度",
        "党委书记",
        "办公室",
        "办公室主任",
        date(2020, 6, 30),
    )
    assert (second.leader, second.department, second.due_text, second.due) == ("纪委书记", "纪检室", "立行立改", None)
    kept, circled = plan.categories[1].measures
    assert kept.measure == "建立领导干部联系基层制度，每月至少下基层一次。" and kept.leader == "局长"
    assert (circled.id, circled.measure, circled.department, circled.due) == (
        "2",
        "整治“文山会海”。",
        "办公室",
        date(2020, 6, 30),
    )
    assert [(p.name, p.start, p.end) for p in plan.phases] == [
        ("动员部署阶段", date(2020, 6, 1), date(2020, 6, 10)),
        ("集中整改阶段", date(2020, 6, 11), date(2020, 7, 31)),
        ("总结验收阶段", date(2020, 8, 1), date(2020, 8, 15)),
    ]
    assert (plan.date, plan.unit) == (date(2020, 5, 20), "XX局党委")


def test_the_seed_as_docx_and_as_gbk_text_reads_the_same(seed_text):
    from_docx = load_plan(docx(*seed_text.splitlines()), "整改方案.docx", year=2019)
    from_gbk = load_plan(seed_text.encode("gb18030"), "整改方案.txt", year=2019)
    from_paste = load_plan_text(seed_text, year=2019)
    assert from_docx.categories == from_gbk.categories == from_paste.categories
    assert from_docx.phases == from_gbk.phases == from_paste.phases and len(from_docx.measures) == 17


def test_a_legacy_word_document_without_libreoffice_gets_a_clear_message(monkeypatch):
    import ledger.intake.documents

    monkeypatch.setattr(ledger.intake.documents, "libreoffice", lambda: None)
    issue = load_plan(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024), "整改方案.doc")
    assert issue.code == "file.needs_libreoffice"
    assert "另存为 .docx" in issue_message(issue, "zh")


def test_a_legacy_word_document_is_read_through_libreoffice(seed_text, tmp_path):
    import subprocess

    from ledger.intake.documents import libreoffice
    from tests.conftest import in_ci

    if libreoffice() is None:
        if in_ci():
            pytest.fail("LibreOffice is missing: apt-get install libreoffice-writer-nogui")
        pytest.skip("LibreOffice is not installed")
    source = tmp_path / "整改方案.docx"
    source.write_bytes(docx(*seed_text.splitlines()))
    subprocess.run(
        [libreoffice(), "--headless", "--convert-to", "doc", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    plan = load_plan((tmp_path / "整改方案.doc").read_bytes(), "整改方案.doc", year=2019)
    assert [c.name for c in plan.categories] == CATEGORIES and len(plan.measures) == 17 and len(plan.phases) == 4


def test_round_trip_seed_to_prefilled_ledger_and_back(seed_text, tmp_path):
    """The seed as .docx and as GBK .txt → plan → prefilled ledger → read back: 17 measures, 5 categories and 4
    dated phases."""
    for name, data in (("整改方案.docx", docx(*seed_text.splitlines())), ("整改方案.txt", seed_text.encode("gbk"))):
        plan = load_plan(data, name, year=2019)
        workbook = prefilled_workbook(ledger_rows(plan), plan.dated_phases(), plan.title, plan.unit)
        ledger = load_ledger([("台账.xlsx", workbook)], date(2019, 5, 6))
        assert len(ledger.tasks) == 17
        assert list(dict.fromkeys(ledger.tasks["category"])) == CATEGORIES
        assert [(p.name, p.start, p.end) for p in ledger.phases] == PHASES
        assert set(ledger.tasks["status"]) == {"not_started"}
        assert {issue.code for issue in ledger.errors} == {"task.no_responsible"}  # what the office fills in
        assert ledger.tasks["problem"].iloc[0].startswith("有的党员领导干部")


def test_the_prefilled_ledger_has_checks_a_frozen_header_and_an_a4_landscape_print_out(seed_text):
    plan = read_plan(seed_text, year=2019)
    book = openpyxl.load_workbook(
        __import__("io").BytesIO(prefilled_workbook(ledger_rows(plan), plan.dated_phases(), plan.title, plan.unit))
    )
    sheet = book["整改台账"]
    assert sheet.freeze_panes == "D4" and sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9 and sheet.print_title_rows == "$3:$3"
    kinds = {rule.type for rule in sheet.data_validations.dataValidation}
    assert kinds == {"list", "date", "decimal"}
    assert sheet["A1"].value == "关于进一步落实意识形态工作责任制专项整治方案整改台账" and "说明" in book.sheetnames


def test_the_plan_command_prints_json_and_writes_the_ledger(seed_text, tmp_path, capsys):
    document = tmp_path / "整改方案.txt"
    document.write_text(seed_text, encoding="utf-8")
    assert run(["plan", str(document)]) == 1  # the year is unknown
    assert "--year" in capsys.readouterr().err
    out = tmp_path / "台账.xlsx"
    assert run(["plan", str(document), "--year", "2019", "--json", "--ledger", str(out)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["title", "unit", "date", "categories", "phases", "warnings"]
    assert data["date"] == "2019-05-06" and len(data["categories"]) == 5
    assert data["categories"][0]["measures"][0] == {
        "id": "1",
        "measure": data["categories"][0]["measures"][0]["measure"],
        "leader": None,
        "department": None,
        "owner": None,
        "start": None,
        "due": None,
    }
    assert data["phases"][0] == {"name": "第一阶段:自查自纠", "start": "2019-04-25", "end": "2019-05-10"}
    assert len(load_ledger([(out.name, out.read_bytes())], date(2019, 5, 6)).tasks) == 17
    empty = tmp_path / "空.txt"
    empty.write_text("一份没有措施的通知\n请各部门知悉。", encoding="utf-8")
    assert run(["plan", str(empty)]) == 2


# --- the Plan page -----------------------------------------------------------------------------------------------


def plan_page(tmp_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("LEDGER_DB_URL", f"sqlite:///{tmp_path / 'ledger.db'}")
    monkeypatch.setenv("LEDGER_EDITOR_PASSWORD", "correct horse")
    at = AppTest.from_file("../dashboard.py", default_timeout=60).run()
    at.switch_page("pages/plan.py").run()
    at.text_input(key="editor_password_input").input("correct horse")
    at.button[0].click().run()
    return at


def test_the_plan_page_reads_the_seed_takes_edits_and_publishes_the_first_version(seed_text, tmp_path, monkeypatch):
    from ui.plan import digest

    at = plan_page(tmp_path, monkeypatch)
    at.radio(key="plan_source").set_value("paste").run()
    at.text_area(key="plan_text").input(seed_text).run()
    assert at.warning[0].value.startswith("文档没有写明年份")
    at.number_input(key="plan_year").set_value(2019).run()
    assert list(figures(at).values()) == ["5", "17", "4"]
    assert at.button(key="plan_publish").disabled  # nobody is responsible yet
    key = digest(seed_text.encode("utf-8")) + "2019"
    at.session_state[f"plan_grid_{key}"] = {
        "edited_rows": {i: {"leader": "党总支书记", "department": "党政办公室"} for i in range(17)},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.button(key="plan_publish").disabled
    assert [b.label for b in at.get("download_button")][-1] == "下载预填好的整改台账（Excel）"
    at.text_input(key=f"plan_name_{key}").input("意识形态专项整治（本校）")
    at.button(key="plan_publish").click().run()
    assert at.success[0].value == "已发布为“意识形态专项整治（本校）”的第 1 版（填报日期 2019-05-06），所有页面已更新。"
    store = Store(f"sqlite:///{tmp_path / 'ledger.db'}")
    plan = store.plan_named("意识形态专项整治（本校）")
    [version] = store.versions(plan.id)
    ledger = store.ledger(version.id)
    assert len(ledger.tasks) == 17 and set(ledger.tasks["leader"]) == {"党总支书记"}
    assert [p.name for p in store.plan_phases(plan.id)] == [p[0] for p in PHASES]
    assert version.file_names == ("整改方案（粘贴）.txt", "关于进一步落实意识形态工作责任制专项整治方案整改台账.xlsx")
    at.switch_page("pages/overview.py").run()
    assert figures(at)["整改措施"] == "17"


def test_the_demo_plan_can_be_deleted_from_the_plan_page(tmp_path, monkeypatch):
    at = plan_page(tmp_path, monkeypatch)
    at.button(key="plan_delete_demo").click().run()
    assert at.success[0].value == "示例方案已删除。"
    assert Store(f"sqlite:///{tmp_path / 'ledger.db'}").plans() == []
    at = AppTest.from_file("../dashboard.py", default_timeout=60).run()  # a later visit: the demo is not back
    assert at.title[0].value == "上传本周台账"
