"""Every page of the dashboard run with Streamlit's AppTest on the bundled sample, asserting what it shows."""

import base64
import json
from datetime import date

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from ledger.escape import markdown
from tests.cards import figures, small_tables
from ui.state import FILTERS_OPEN_KEY
from ui.versions import COMPARE_OPEN_KEY, DOWNLOADS_OPEN_KEY, POSTPONEMENTS_OPEN_KEY

PAGES = (
    "pages/overview.py",
    "pages/timeline.py",
    "pages/categories.py",
    "pages/responsibilities.py",
    "pages/history.py",
    "pages/upload.py",
    "pages/meeting.py",
)


def open_app(page: str | None = None, **query) -> AppTest:
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.query_params.update(query)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def metrics_of(at: AppTest) -> dict[str, str]:
    return figures(at)


def figure(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def values(trace: dict, axis: str) -> list:
    """A trace's data; plotly sends numeric arrays as base64 typed arrays."""
    data = trace[axis]
    if isinstance(data, dict) and "bdata" in data:
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_an_exception_and_has_a_title(page):
    at = open_app(page)
    assert at.title and at.title[0].value


def test_overview_shows_the_sample_headline_figures():
    at = open_app()
    shown = metrics_of(at)
    assert shown["整改措施"] == "17"
    assert shown["上报完成率"] == "26.7%"
    assert shown["核验完成率"] == "0.0%"  # the sample's done measures are claims nobody has reviewed yet
    assert shown["超期未完成"] == "4"
    assert shown["7天内到期"] == "3"
    assert shown["当前阶段：整改落实"] == "剩余 4 天"
    assert "第二阶段：整改落实" in at.error[0].value  # behind schedule


def test_overview_lists_the_longest_overdue_first():
    frame = open_app().dataframe[0].value
    assert frame["超期天数"].tolist() == [10, 7, 3, 2]
    assert frame["责任人"].tolist() == ["网络管理员", "办公室主任", "办公室主任", "团委书记"]


def test_timeline_draws_four_phases_the_as_of_line_and_the_inspection_milestone():
    spec = figure(open_app("pages/timeline.py"))
    phase_rows = {bar["y"][0] for bar in spec["data"] if bar["type"] == "bar"}
    assert len(phase_rows) == 4
    assert spec["layout"]["shapes"][0]["x0"] == "2019-05-27"
    milestone = next(trace for trace in spec["data"] if trace["type"] == "scatter")
    assert milestone["x"] == ["2019-06-01"] and milestone["text"] == ["督导检查"]


def test_timeline_switch_shows_each_measure_and_marks_the_overdue_ones():
    at = open_app("pages/timeline.py")
    at.toggle[0].set_value(True).run()
    traces = {trace.get("name"): trace for trace in figure(at)["data"] if trace["type"] == "bar"}
    assert sum(len(traces[name]["y"]) for name in ("已完成", "进行中", "未开始", "长期坚持")) == 17
    assert sorted(traces["超期未完成"]["text"]) == sorted(["超期10天", "超期7天", "超期3天", "超期2天"])


def test_categories_page_shows_completion_by_category():
    frame = small_tables(open_app("pages/categories.py"))[0]
    assert frame["问题类别"].tolist()[0] == "思想重视不够、落实不力的问题"
    assert frame["上报完成率"].tolist() == ["20.0%", "33.3%", "100.0%", "0.0%", "25.0%"]
    assert frame["超期"].tolist() == [2, 0, 0, 1, 1]


def test_choosing_a_category_filters_every_page():
    at = open_app("pages/categories.py")
    at.selectbox(key="category_pick").set_value("网络管控力度不大、能力欠缺的问题").run()
    assert at.multiselect(key="filter_category").value == ["网络管控力度不大、能力欠缺的问题"]
    assert len(at.dataframe[0].value) == 5
    at.switch_page("pages/overview.py").run()
    assert metrics_of(at)["整改措施"] == "5"


def test_responsibilities_group_overdue_work_by_leader_department_owner():
    at = open_app("pages/responsibilities.py")
    groups = at.dataframe[0].value
    assert groups[["责任领导", "责任人", "超期项数", "最长超期天数"]].values.tolist() == [
        ["校长", "网络管理员", 1, 10],
        ["党总支书记", "办公室主任", 1, 7],
        ["党总支副书记", "办公室主任", 1, 3],
        ["分管德育副校长", "团委书记", 1, 2],
    ]


def test_responsibilities_detail_is_sorted_by_days_overdue_with_severity():
    at = open_app("pages/responsibilities.py")
    detail = at.dataframe[1].value
    assert detail["序号"].tolist() == ["15", "2", "4", "11"]
    assert detail["超期天数"].tolist() == [10, 7, 3, 2]
    assert detail["超期程度"].tolist() == ["8–30天", "1–7天", "1–7天", "1–7天"]
    soon = at.dataframe[2].value
    assert soon["序号"].tolist() == ["3", "7", "16"] and soon["剩余天数"].tolist() == [4, 4, 6]


def test_moving_the_as_of_date_recomputes_every_figure():
    at = open_app("pages/responsibilities.py")
    at.date_input(key="as_of_v4").set_value(date(2019, 6, 5)).run()
    assert metrics_of(at)["超期未完成"] == "7"
    assert at.dataframe[1].value["超期天数"].tolist()[0] == 19


def test_sidebar_filters_apply_to_the_figures():
    at = open_app()
    assert not at.multiselect, "the filters are drawn only while their expander is open"
    at.session_state[FILTERS_OPEN_KEY] = True  # the user opens the expander
    at.run()
    at.multiselect(key="filter_leader").set_value(["校长"]).run()
    assert metrics_of(at)["整改措施"] == "3"
    assert metrics_of(at)["超期未完成"] == "1"
    at.session_state[FILTERS_OPEN_KEY] = False  # closed again: the filter stays, and says so
    at.run()
    assert not at.multiselect and metrics_of(at)["整改措施"] == "3"
    assert "已按责任领导筛选" in [c.value for c in at.sidebar.caption]
    at.sidebar.button[-1].click().run()  # 清除筛选
    assert metrics_of(at)["整改措施"] == "17"


def test_english_is_one_click_away():
    at = open_app()
    at.radio(key="lang_switch_zh").set_value("en").run()
    assert at.title[0].value == "Rectification progress"
    assert metrics_of(at)["Overdue"] == "4"


def test_lang_query_parameter_opens_the_english_ui():
    at = open_app("pages/responsibilities.py", lang="en")
    assert at.title[0].value == "Responsibilities"
    assert list(at.dataframe[1].value.columns[:2]) == ["Light", "Days overdue"]
    assert at.dataframe[1].value["Light"].iloc[0] == "■ Red · overdue"


def test_overview_shows_what_changed_since_last_week():
    shown = metrics_of(open_app())
    assert (shown["新增超期"], shown["完成时限推迟"], shown["进度倒退"], shown["已完成但无佐证"]) == (
        "3",
        "0",
        "1",
        "1",
    )


def test_picking_an_earlier_version_shows_it_on_every_page():
    at = open_app()
    at.selectbox(key="version").set_value(2).run()
    assert metrics_of(at)["上报完成率"] == "13.3%"
    assert metrics_of(at)["完成时限推迟"] == "0"
    at.switch_page("pages/timeline.py").run()
    assert figure(at)["layout"]["shapes"][0]["x0"] == "2019-05-13"


def test_history_lists_every_version_with_its_figures():
    at = open_app("pages/history.py")
    versions = at.dataframe[0].value
    assert versions["版本"].tolist() == [4, 3, 2, 1]
    assert versions["完成率"].tolist() == ["26.7%", "20.0%", "13.3%", "0.0%"]
    assert versions["超期"].tolist() == [4, 1, 0, 0]


def test_history_trend_compares_completion_with_the_planned_pace_and_shows_categories_on_demand():
    at = open_app("pages/history.py")
    traces = {trace["name"]: trace for trace in figure(at)["data"]}
    assert [round(y, 1) for y in values(traces["全部"], "y")] == [0.0, 13.3, 20.0, 26.7]
    planned = values(traces["计划进度"], "y")
    assert len(planned) == 4 and planned == sorted(planned) and planned[-1] > 26.7
    assert list(traces) == ["全部", "计划进度"]
    at.toggle(key="trend_by_category").set_value(True).run()
    traces = {trace["name"]: trace for trace in figure(at)["data"]}
    assert len(traces) == 7  # overall, five categories, plan
    assert [round(y, 1) for y in values(traces["网络管控力度不大、能力欠缺的问题"], "y")] == [0.0, 0.0, 0.0, 25.0]


def test_history_differences_default_to_latest_against_previous_and_count_postponements():
    at = open_app("pages/history.py")
    assert "新增超期 (3)" not in [e.label for e in at.expander], "the comparison is drawn once its panel is opened"
    at.session_state[COMPARE_OPEN_KEY] = True
    at.run()
    labels = [e.label for e in at.expander]
    assert "新增超期 (3)" in labels and "进度倒退 (1)" in labels
    assert "1 项措施推迟过完成时限，涉及 1 位责任领导" in labels  # the lists are drawn once it is opened
    at.session_state[POSTPONEMENTS_OPEN_KEY] = True
    at.run()
    leaders = at.dataframe[-2].value
    assert leaders.values.tolist() == [["党总支书记", 1, 1]]
    at.selectbox(key="compare_newer").set_value(3).run()
    assert "完成时限推迟 (1)" in [e.label for e in at.expander]


def test_history_offers_each_versions_original_file():
    at = open_app("pages/history.py")
    assert not at.get("download_button"), "the files are read only while their panel is open"
    at.session_state[DOWNLOADS_OPEN_KEY] = True
    at.run()
    assert [b.label for b in at.get("download_button")] == [markdown("整改台账_2019-05-27.xlsx")]  # shown as written
