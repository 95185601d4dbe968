"""What Streamlit itself needs to draw some elements (bench/browser.py): one kind of element per page, or what a
dashboard page is made of, under a sidebar like the dashboard's (language, version, as-of date, six filters of 70
options drawn only while their expander is open, as ui/state.py), and again with no sidebar at all, in the
dashboard's wide layout. No computation: everything is made once per server. The pages "as on" a dashboard page
draw its elements as it draws them (its charts made by ledger.figures from the bundled sample, its figures by
ui.cards), with nothing read or computed per run: what is left of the page's time when its work is taken away."""

from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ledger import load_ledger, metrics
from ledger.figures import category_bars, gantt
from ledger.figures import trend as trend_figure
from ledger.text import percent
from ui.cards import Card, cards, small_table

ROWS = 100  # a page of the dashboard's tables (ui/widgets.py PAGE_ROWS)
WEEKS = 52
CONFIG = {"displaylogo": False, "displayModeBar": False}  # as ui/widgets.py CHART_CONFIG
COLORS = {"1–7天": "#FFE082", "8–30天": "#FFB74D", "31天以上": "#E57373"}


@st.cache_resource
def _table() -> pd.DataFrame:
    frame = pd.DataFrame({f"列{j}": [f"第{i}行的文字{j}" for i in range(ROWS)] for j in range(10)})
    return frame.assign(程度=[list(COLORS)[i % 3] for i in range(ROWS)])


@st.cache_resource
def _chart() -> go.Figure:
    figure = go.Figure()
    for n in range(4):
        figure.add_bar(y=[f"阶段{n + 1}"], x=[30 * 86_400_000], base=[f"2019-0{n + 4}-01"], orientation="h")
    return figure.update_xaxes(type="date")


AS_OF = date(2019, 5, 27)
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample_ledger.xlsx"


@st.cache_resource
def _sample():
    """The bundled sample's Gantt and categories chart as the dashboard draws them, and the short tables under
    them."""
    ledger = load_ledger([(SAMPLE.name, SAMPLE.read_bytes())], AS_OF)
    table = metrics.by_category(ledger.tasks, AS_OF)
    states = metrics.phase_states(ledger.phases, ledger.tasks, AS_OF)
    phases = pd.DataFrame(
        {
            "阶段": [state.name for state in states],
            "起止日期": [f"{state.phase.start} – {state.phase.end}" for state in states],
            "状态": [state.state for state in states],
            "措施数": [state.tasks for state in states],
            "时间进度": [percent(state.elapsed_pct) for state in states],
            "完成率": [percent(state.completion_pct) for state in states],
        }
    )
    shown = table.assign(completion_pct=table["completion_pct"].map(percent))
    return gantt(ledger.phases, ledger.tasks, AS_OF, "zh"), category_bars(table, "zh"), shown, phases


@st.cache_resource
def _versions() -> tuple[go.Figure, go.Figure, pd.DataFrame]:
    """The history page's trend with 52 versions (ledger.figures.trend): the overall line against the planned pace,
    and with the six categories' lines as well; and its versions table."""
    days = pd.date_range("2019-04-29", periods=WEEKS, freq="7D")
    points = pd.concat(
        [
            pd.DataFrame(
                {
                    "report_date": days,
                    "series": "全部",
                    "completion_pct": [min(100.0, week * 2.1) for week in range(WEEKS)],
                    "planned_pct": [min(100.0, week * 2.5) for week in range(WEEKS)],
                }
            ),
            *[
                pd.DataFrame(
                    {
                        "report_date": days,
                        "series": f"类别{n}",
                        "completion_pct": [min(100.0, week * (n + 2) / 3) for week in range(WEEKS)],
                        "planned_pct": None,
                    }
                )
                for n in range(6)
            ],
        ],
        ignore_index=True,
    )
    table = pd.DataFrame(
        {
            "版本": range(WEEKS, 0, -1),
            "填报日期": [day.date().isoformat() for day in days[::-1]],
            "上传时间": [f"{day.date()} 17:00" for day in days[::-1]],
            "上传人": "办公室主任",
            "文件": [f"整改台账_{day.date()}.xlsx" for day in days[::-1]],
            "措施数": 1000,
            "完成率": [f"{min(100.0, week * 2.1):.1f}%" for week in range(WEEKS - 1, -1, -1)],
            "超期": [week % 40 for week in range(WEEKS)],
            "说明": "",
        }
    )
    return trend_figure(points, "zh", by_category=False), trend_figure(points, "zh", by_category=True), table


def nothing():
    pass


def twenty_metrics():
    for row in range(5):
        for n, column in enumerate(st.columns(4)):
            column.metric(f"指标{row}{n}", row * n, border=True)


def captions():
    for n in range(100):
        st.caption(f"第{n}行")


def table():
    st.dataframe(_table(), hide_index=True)


def styled_table():
    """Coloured cells through a pandas Styler, as the dashboard's task tables colour the overdue severity."""
    styler = _table().style.map(lambda v: f"background-color: {COLORS[v]}" if v in COLORS else "", subset=["程度"])
    st.dataframe(styler, hide_index=True)


def chart():
    st.plotly_chart(_chart())


def three_tables():
    """As on responsibilities: four figure cards, three data grids of up to 100 rows, a download button."""
    cards([Card("超期未完成", 4), Card("1–7天", 1), Card("8–30天", 2), Card("31天以上", 1)], key="overdue_counts")
    for title in ("超期责任（按责任领导、部门、责任人）", "超期措施明细", "7 天内到期"):
        st.subheader(title)
        st.dataframe(_table(), hide_index=True, width="stretch")
    st.download_button("下载超期和即将到期清单", b"", file_name="overdue.xlsx")


def clickable_chart():
    """As on categories: a caption, the clickable status bars of the sample's five categories, a short table
    (ui/cards.py) and the category picker."""
    _, chart, table, _ = _sample()
    st.caption("统计日期 2019-05-27；完成率 = 已完成 ÷（措施数 − 长期坚持）。")
    st.plotly_chart(chart, width="stretch", on_select="rerun", selection_mode="points", key="picked", config=CONFIG)
    st.caption("点击图中某一类别即可按该类别筛选所有页面。")
    small_table(table, key="category_table")
    st.selectbox("按类别筛选", table["name"].tolist(), index=None, placeholder="选择一个问题类别", key="category_pick")


def timeline():
    """As on the timeline: a caption, the switch for the measures and the sample's phase Gantt (a fragment), the
    short table of the phases and a caption."""
    chart, _, _, phases = _sample()
    st.caption("四个整改阶段、统计日（红色虚线）和督导检查节点（菱形）。统计日期 2019-05-27")

    @st.fragment
    def _chart():
        st.toggle("显示各阶段的整改措施（按类别分组，按状态着色）", key="timeline_show_tasks")
        st.plotly_chart(chart, width="stretch", key="gantt", config=CONFIG)

    _chart()
    small_table(phases, key="phase_table")
    st.caption("时间进度超过完成率 20 个百分点即为“进度滞后”。")


def history(eight_lines: bool = False):
    """As on history with 52 versions: the trend's switch and chart (a fragment), the versions grid, and the
    closed panels under their headings; with `eight_lines`, as the page was before the switch: the overall line,
    six categories' and the planned pace, and no switch."""
    two_lines, eight_lines_chart, table = _versions()
    st.caption(f"共 {WEEKS} 个版本；每次发布的原始文件都完整保存。")

    @st.fragment
    def _trend():
        if eight_lines:
            st.plotly_chart(eight_lines_chart, width="stretch", key="trend", config=CONFIG)
        else:
            st.toggle("分别显示各类问题的完成率", key="trend_by_category")
            st.plotly_chart(two_lines, width="stretch", key="trend", config=CONFIG)

    _trend()
    st.subheader("各版本")
    st.dataframe(table, hide_index=True, width="stretch")
    st.expander("下载某一版的原始文件", key="downloads_open", on_change="rerun")
    st.subheader("两个版本之间的变化")
    st.expander("选择两个版本对比", key="compare_open", on_change="rerun")
    st.subheader("完成时限推迟情况（全部历史）")
    st.expander("882 项措施推迟过完成时限，涉及 6 位责任领导", key="postponements_open", on_change="rerun")
    st.subheader("会议要求落实情况（各版）")
    st.caption("这个整改方案还没有会议要求。")


def history_of_eight_lines():
    history(eight_lines=True)


def code():
    st.code("export LEDGER_EDITOR_PASSWORD='…'", language="bash")


def sidebar():
    with st.sidebar:
        st.radio("语言", ["中文", "English"], horizontal=True, key="lang", label_visibility="collapsed")
        st.selectbox("版本", list(range(52)), key="version")
        st.date_input("统计日", date(2019, 5, 27), key="as_of")
        section = st.expander("筛选", key="filters_open", on_change="rerun")
        if section.open:
            with section:
                for n in range(6):
                    st.multiselect(f"筛选{n}", [f"选项{i}" for i in range(70)], key=f"filter_{n}")
                st.button("清除")


# (url path, title, what the page draws under its title, whether it has the sidebar); bench/browser.py ELEMENT_PAGES
PAGES = (
    ("", "一行", nothing, True),
    ("metrics", "20 个指标", twenty_metrics, True),
    ("captions", "100 行说明", captions, True),
    ("table", "100 行表格", table, True),
    ("styled", "100 行着色表格", styled_table, True),
    ("chart", "四根柱的图", chart, True),
    ("code", "代码块", code, True),
    ("tables3", "如责任落实：数字卡片和三个 100 行表格", three_tables, True),
    ("clickable", "如分类完成：可点选的图、短表和选框", clickable_chart, True),
    ("as_timeline", "如时间轴：阶段图和短表", timeline, True),
    ("as_history", "如历史版本：趋势、版本表和面板", history, True),
    ("as_history_eight", "如历史版本，趋势画八条线", history_of_eight_lines, True),
    ("bare_metrics", "20 个指标，无侧栏", twenty_metrics, False),
    ("bare_table", "100 行表格，无侧栏", table, False),
    ("bare_styled", "100 行着色表格，无侧栏", styled_table, False),
    ("bare_chart", "四根柱的图，无侧栏", chart, False),
)


def page(path, title, element, with_sidebar):
    def run():
        if with_sidebar:
            sidebar()
        st.title(title)
        element()

    run.__name__ = f"page_{path or 'first'}"  # st.Page tells callables apart by name
    return run


st.set_page_config(layout="wide")  # as dashboard.py
st.navigation(
    [
        st.Page(page(path, title, element, with_sidebar), title=title, url_path=path or None, default=not path)
        for path, title, element, with_sidebar in PAGES
    ]
).run()
