"""What Streamlit itself needs to draw some elements (bench/browser.py): one kind of element per page, or what a
dashboard page is made of, under a sidebar like the dashboard's (language, version, as-of date, six filters of 70
options drawn only while their expander is open, as ui/state.py), and again with no sidebar at all. No computation:
everything is made once per server."""

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

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


@st.cache_resource
def _trend() -> go.Figure:
    """Like the history page's trend with 52 versions: the overall line, six categories' and the planned pace."""
    days = pd.date_range("2019-04-29", periods=WEEKS, freq="7D")
    figure = go.Figure()
    for n in range(8):
        values = [min(100.0, week * (n + 2) / 3) for week in range(WEEKS)]
        figure.add_scatter(x=days, y=values, mode="lines" if n == 7 else "lines+markers", name=f"类别{n}")
    return figure.update_layout(height=460, legend={"orientation": "h", "y": -0.12, "yanchor": "top"})


def nothing():
    pass


def metrics():
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
    """Like the responsibilities page: three data grids of up to 100 rows."""
    for _ in range(3):
        st.dataframe(_table(), hide_index=True)


def clickable_chart():
    """Like the categories page: bars a click selects, and a short HTML table under them (ui/cards.py)."""
    st.plotly_chart(_chart(), on_select="rerun", selection_mode="points", key="picked", config=CONFIG)
    rows = "".join(f"<tr><td>类别{n}</td><td>{n * 3}</td><td>{n * 10}.0%</td></tr>" for n in range(5))
    st.html(f"<table><tr><th>类别</th><th>措施数</th><th>完成率</th></tr>{rows}</table>")


def trend():
    st.plotly_chart(_trend(), width="stretch", config=CONFIG)


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
    ("metrics", "20 个指标", metrics, True),
    ("captions", "100 行说明", captions, True),
    ("table", "100 行表格", table, True),
    ("styled", "100 行着色表格", styled_table, True),
    ("chart", "四根柱的图", chart, True),
    ("code", "代码块", code, True),
    ("tables3", "三个 100 行表格", three_tables, True),
    ("clickable", "可点选的图和短表", clickable_chart, True),
    ("trend", "52 周的趋势图", trend, True),
    ("bare_metrics", "20 个指标，无侧栏", metrics, False),
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


st.navigation(
    [
        st.Page(page(path, title, element, with_sidebar), title=title, url_path=path or None, default=not path)
        for path, title, element, with_sidebar in PAGES
    ]
).run()
