"""Plans on the pages (AppTest): the demo plan and a real plan side by side, never compared with each other; the
sidebar and ?plan= pick one; a week published late reaches the History page's trend and postponements at once."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from streamlit.testing.v1 import AppTest

from ledger.publishing import check_upload, publish
from ledger.sample import PHASES, TITLE, week_tasks
from ledger.store import DEMO_PLAN_NAME, Store
from ledger.writing import LedgerSheet, ledger_workbook
from tests.apptest import app
from tests.cards import figures
from ui.versions import POSTPONEMENTS_OPEN_KEY

REAL = "本单位意识形态专项整治"


def week(report_date: date, **changes_by_id: dict) -> bytes:
    """The sample's rows as of the week of 2019-05-27, reported on `report_date`, with changes by measure id."""
    rows = week_tasks(date(2019, 5, 27))
    for row in rows:
        row.update(changes_by_id.get(f"m{row['id']}", {}))
    return ledger_workbook(LedgerSheet(rows, PHASES, report_date, TITLE + "（本单位）"))


@pytest.fixture
def two_plans(tmp_path, monkeypatch):
    """A store with the demo plan (imported on first start) and a real plan with one week, 2019-06-03."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    monkeypatch.setenv("LEDGER_DB_URL", url)
    AppTest.from_file("../dashboard.py", default_timeout=60).run()  # first start: imports the demo plan
    store = Store(url)
    plan = store.create_plan(REAL, created_at=datetime(2019, 6, 3))
    publish_week(store, plan.id, week(date(2019, 6, 3), m2={"due": date(2019, 6, 10)}))
    return store, plan


def publish_week(store: Store, plan_id: int, data: bytes) -> None:
    files = [("台账.xlsx", data)]
    ledger = check_upload(store, files, date(2019, 6, 3), plan_id=plan_id)
    publish(store, files, ledger, plan=plan_id, uploaded_by="办公室主任", uploaded_at=datetime.now())


def test_the_real_plan_opens_first_and_is_never_compared_with_the_demo(two_plans):
    _store, plan = two_plans
    at = app()
    assert at.selectbox(key="plan").value == plan.id
    assert at.selectbox(key="plan").options == [REAL, f"【示例】{DEMO_PLAN_NAME}"]
    assert at.query_params["plan"] == str(plan.id)
    assert "这是第一版台账，还没有可比较的上一版。" in [h.value for h in at.header]  # not "since the demo's week 4"
    at.switch_page("pages/history.py").run()
    assert at.dataframe[0].value["版本"].tolist() == [1]


def test_the_sidebar_switches_to_the_demo_plan_and_its_own_history(two_plans):
    store, _ = two_plans
    demo = store.plan_named(DEMO_PLAN_NAME)
    at = app()
    at.selectbox(key="plan").set_value(demo.id).run()
    assert at.query_params["plan"] == str(demo.id)
    assert figures(at)["上报完成率"] == "26.7%"
    assert any(h.value.startswith("与上一版（2019-05-20）相比") for h in at.header)
    at.switch_page("pages/history.py").run()
    assert at.dataframe[0].value["版本"].tolist() == [4, 3, 2, 1]


def test_a_link_with_the_plan_opens_that_plan(two_plans):
    store, _ = two_plans
    demo = store.plan_named(DEMO_PLAN_NAME)
    at = app(plan=str(demo.id))
    assert at.selectbox(key="plan").value == demo.id
    assert figures(at)["上报完成率"] == "26.7%"


def test_a_week_published_late_reaches_the_trend_and_postponements_at_once(two_plans):
    store, plan = two_plans
    at = app()
    at.switch_page("pages/history.py").run()
    assert at.dataframe[0].value["填报日期"].tolist() == ["2019-06-03"]
    publish_week(store, plan.id, week(date(2019, 5, 30)))  # a week that was forgotten, published after 06-03
    at.run()
    assert at.dataframe[0].value["填报日期"].tolist() == ["2019-06-03", "2019-05-30"]
    trend = json.loads(at.get("plotly_chart")[0].proto.spec)
    overall = next(trace for trace in trend["data"] if trace["name"] == "全部")
    assert overall["x"] == ["2019-05-30", "2019-06-03"]
    at.session_state[POSTPONEMENTS_OPEN_KEY] = True  # the lists are drawn once their panel is open
    at.run()
    postponed = at.dataframe[-1].value  # measure 2: 05-20 in the late week, 06-10 in the next
    assert postponed[["序号", "延期次数"]].values.tolist() == [["2", 1]]
