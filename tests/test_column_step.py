"""The Upload page with ledgers this project did not design (AppTest): the column step confirms how the columns are
read and the plan remembers it; a group's ledger shows the units it names and publishes one version per unit; an
editor of some units cannot publish the others' rows."""

from __future__ import annotations

from datetime import datetime

import pytest
from streamlit.testing.v1 import AppTest

from ledger import accounts
from ledger.escape import markdown
from ledger.i18n import translate
from ledger.store import Store
from tests.cards import figures, small_tables
from tests.families import ODD_MAPPING, audit_workbook, odd_workbook
from ui import access

PASSWORD = "correct horse"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNITS = ("第一分公司", "第二分公司", "第三分公司")


def t(key: str, **params) -> str:
    return translate(key, "zh", **params)


@pytest.fixture
def db_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    monkeypatch.setenv("LEDGER_DB_URL", url)
    return url


def editor_app() -> AppTest:
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.secrets["editor_password"] = PASSWORD
    at.run()
    at.switch_page("pages/upload.py").run()
    at.text_input(key="editor_password_input").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    return at


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, data, XLSX)).run()
    assert not at.exception, at.exception
    return at


def pickers(at: AppTest) -> dict[str, object]:
    """The column step's pickers, by the header they are for."""
    return {box.label.split(" · ", 1)[1]: box for box in at.selectbox if box.key and box.key.startswith("column_")}


def choose_columns(at: AppTest, mapping: str) -> AppTest:
    """Change the column step's pickers as a person would, one per column named in `mapping`."""
    found = pickers(at)
    for part in mapping.split(","):
        header, field = part.split("=")
        found[header].set_value(field)
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_ledger_no_rule_can_guess_is_published_after_its_columns_are_chosen_and_next_week_is_not_asked(db_url):
    at = upload(editor_app(), "推进表.xlsx", odd_workbook(0))
    assert at.header[0].value == t("columns.title")
    found = pickers(at)
    assert list(found) == ["条目", "办什么", "谁来抓", "归口", "经手", "交账日子", "眼下"]
    assert found["办什么"].value == "measure" and found["办什么"].label == "？B · 办什么"  # not sure: marked
    assert found["谁来抓"].value == "extra" and found["条目"].label == "A · 条目"
    assert found["交账日子"].help == markdown(  # shown as written, whatever the cells hold
        "依据：表头不对应任何字段，按内容推测（各格是日期）。前几格：2024-05-10 | 2024-05-31 | 2024-06-15"
    )
    assert not [b for b in at.button if b.key == "publish"]  # nothing is guessed silently
    choose_columns(at, ODD_MAPPING)
    assert at.success[0].value.startswith("检查通过")
    assert t("columns.confirmed") in [c.value for c in at.caption]
    at.text_input(key="upload_by").input("办公室主任")
    at.button(key="publish").click().run()
    store = Store(db_url)
    plan = store.plan_named("某中学整改推进表")
    assert plan is not None and store.column_choices(plan.id)["谁来抓"] == "leader"
    [version] = store.versions(plan.id)
    assert store.ledger(version.id).tasks["leader"].tolist() == ["党总支书记", "党总支副书记", "分管教学副校长"]

    at.selectbox(key="upload_target").set_value(plan.id).run()
    upload(at, "推进表第二周.xlsx", odd_workbook(1))
    assert not pickers(at)  # the same shape, remembered with the plan: no column step
    assert at.success[0].value.startswith("检查通过")
    at.button(key="publish").click().run()
    assert [v.number for v in Store(db_url).versions(plan.id)] == [2, 1]


def test_confirming_the_columns_as_shown_is_enough_when_they_are_right(db_url):
    at = upload(editor_app(), "推进表.xlsx", odd_workbook(0))
    choose_columns(at, "谁来抓=leader,归口=department,经手=owner")  # 办什么, 交账日子, 眼下 were guessed right
    assert at.success[0].value.startswith("检查通过")
    assert t("columns.confirmed") in [c.value for c in at.caption]


def test_the_columns_proposed_as_right_are_confirmed_with_one_click(db_url):
    from tests.sheets import xlsx

    rows = [
        [1, "建立周例会制度", "党总支书记", "进行中"],
        [2, "完善责任清单", "党总支副书记", "未开始"],
        [3, "开展专题学习", "校长", "已完成"],
    ]
    data = xlsx({"表": [["填报日期：2024年5月6日"], ["序号", "整改措施", "责任领导", "眼下"], *rows]})
    at = upload(editor_app(), "表.xlsx", data)
    assert pickers(at)["眼下"].value == "status" and not [b for b in at.button if b.key == "publish"]
    next(b for b in at.button if b.label == t("columns.confirm")).click().run()
    assert at.success[0].value.startswith("检查通过")
    assert [b for b in at.button if b.key == "publish"]


def test_a_group_ledger_shows_its_units_and_publishes_one_version_per_unit(db_url):
    at = upload(editor_app(), "集团审计整改汇总台账.xlsx", audit_workbook())
    assert not pickers(at)  # every column read with confidence
    found = next(table for table in small_tables(at) if t("upload.units_unit") in table)
    assert found[[t("upload.units_unit"), t("upload.units_measures")]].values.tolist() == [
        ["第一分公司", 3],
        ["第二分公司", 2],
        ["第三分公司", 1],
    ]
    assert set(found[t("upload.units_state")]) == {t("upload.units_new")}
    at.text_input(key="upload_by").input("审计部")
    at.button(key="publish").click().run()
    store = Store(db_url)
    plan = store.plan_named("集团公司审计整改汇总台账")
    assert plan is not None
    assert sorted(u.name for u in accounts.units(store, plan.id)) == sorted(UNITS)
    assert sorted(v.task_count for v in store.versions(plan.id)) == [1, 2, 3]
    assert at.success[0].value.startswith("已按单位发布到方案“集团公司审计整改汇总台账”：第一分公司（第1版")


def test_an_editor_of_some_units_cannot_publish_the_rows_of_the_others_and_nothing_is_stored(db_url):
    store = Store(db_url)
    now = datetime.now()
    plan = store.create_plan("审计整改", created_at=now)
    first = accounts.add_unit(store, "第一分公司", at=now, by="管理员", plan_id=plan.id)
    accounts.add_user(store, "管理员", "admin", "整改-督办-2019", at=now, by="管理员")
    accounts.add_user(store, "一分编辑", "editor", "整改-督办-2019", at=now, by="管理员", units=[first.id])
    token = accounts.log_in(store, "一分编辑", "整改-督办-2019", address="198.51.100.1", now=now).token
    before = store.counts()
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.session_state[access.TOKEN_KEY] = token
    at.run()
    at.switch_page("pages/upload.py").run()
    at.selectbox(key="upload_target").set_value(plan.id).run()
    upload(at, "汇总.xlsx", audit_workbook())
    assert [e.value for e in at.error] == [t("upload.units_refused", units="第三分公司、第二分公司")]
    assert not [b for b in at.button if b.key == "publish"]
    assert Store(db_url).counts() == before
    upload(at, "一分.xlsx", audit_workbook(("第一分公司",)))  # their own unit's rows go through
    assert not at.error
    at.button(key="publish").click().run()
    [version] = Store(db_url).versions(plan.id)
    assert (version.unit_id, version.task_count, version.uploaded_by) == (first.id, 3, "一分编辑")


# --- extra fields on the pages ------------------------------------------------------------------------------------


@pytest.fixture
def group_plan(db_url):
    """The audit office's merged ledger published as one version per unit; the plan's id."""
    from ledger.publishing import check_upload, publish_units, split_units

    store = Store(db_url)
    files = [("汇总.xlsx", audit_workbook())]
    parts = split_units(check_upload(store, files, datetime(2024, 4, 2).date()))
    plan = store.create_plan("审计整改", created_at=datetime.now())
    publish_units(store, files, parts, plan=plan.id, uploaded_by="审计部", uploaded_at=datetime.now())
    store.dispose()
    return plan.id


def test_the_categories_page_groups_by_an_extra_field_and_totals_an_amount_per_group_and_unit(group_plan):
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.query_params["plan"] = str(group_plan)
    at.run()
    at.switch_page("pages/categories.py").run()
    picker = at.selectbox(key="category_group")
    assert picker.options == ["问题类别", "审计来源", "红黑榜"]  # few values; 审计建议 has one, 措施 each its own
    picker.set_value("审计来源")
    at.session_state["amounts_0"] = True  # the amounts' panel, drawn when opened
    at.run()
    assert not at.exception, at.exception
    tables = small_tables(at)
    groups = tables[0].set_index("审计来源")
    assert groups.loc["内部审计", "措施数"] == 4 and groups.loc["外部审计", "措施数"] == 2
    by_source, by_unit = tables[1].set_index("审计来源"), tables[2].set_index("单位")
    assert by_source.loc["外部审计"].tolist() == ["230.0", "0.0", "230.0"]
    assert by_source.loc["合计"].tolist() == ["305.5", "40.3", "265.2"]
    assert by_unit.loc["第一分公司"].tolist() == ["127.7", "12.5", "115.2"]
    at.selectbox(key="category_pick_审计来源").set_value("外部审计").run()
    assert at.session_state["filter_extra:审计来源"] == ["外部审计"]
    detail = at.dataframe[-1].value
    assert detail["审计来源"].tolist() == ["外部审计", "外部审计"]
    assert sorted(detail["涉及金额（万元）"]) == [80.0, 150.0]


def test_the_sidebar_filters_by_an_extra_field_with_few_values(group_plan):
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.query_params["plan"] = str(group_plan)
    at.session_state["_filters_open"] = True
    at.run()
    labels = [m.label for m in at.sidebar.multiselect]
    assert labels[:2] == ["单位", "问题类别"] and "红黑榜" in labels and "涉及金额（万元）" not in labels
    at.sidebar.multiselect(key="filter_extra:红黑榜").set_value(["黑榜"]).run()
    assert not at.exception, at.exception
    at.switch_page("pages/overview.py").run()
    assert not at.exception, at.exception
    assert figures(at)[t("overview.measures")] == "1"  # 第一分公司's 固定资产账实不符, the one on the 黑榜
