"""What Streamlit itself needs to draw some elements (bench/browser.py): a sidebar like the dashboard's on every page
(language, version, as-of date, six filters of 70 options in a closed expander), then one kind of element per page.
No computation: everything is made once per server."""

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st


@st.cache_resource
def _table() -> pd.DataFrame:
    return pd.DataFrame({f"列{j}": [f"第{i}行的文字{j}" for i in range(1500)] for j in range(12)})


@st.cache_resource
def _chart() -> go.Figure:
    figure = go.Figure()
    for n in range(4):
        figure.add_bar(y=[f"阶段{n + 1}"], x=[30 * 86_400_000], base=[f"2019-0{n + 4}-01"], orientation="h")
    return figure.update_xaxes(type="date")


def one_line():
    st.title("一行")


def metrics():
    st.title("20 个指标")
    for row in range(5):
        for n, column in enumerate(st.columns(4)):
            column.metric(f"指标{row}{n}", row * n, border=True)


def captions():
    st.title("100 行说明")
    for n in range(100):
        st.caption(f"第{n}行")


def table():
    st.title("1500 行表格")
    st.dataframe(_table(), hide_index=True)


def chart():
    st.title("四根柱的图")
    st.plotly_chart(_chart())


def code():
    st.title("代码块")
    st.code("export LEDGER_EDITOR_PASSWORD='…'", language="bash")


with st.sidebar:
    st.radio("语言", ["中文", "English"], horizontal=True, key="lang", label_visibility="collapsed")
    st.selectbox("版本", list(range(52)), key="version")
    st.date_input("统计日", date(2019, 5, 27), key="as_of")
    with st.expander("筛选"):
        for n in range(6):
            st.multiselect(f"筛选{n}", [f"选项{i}" for i in range(70)], key=f"filter_{n}")
        st.button("清除")
st.navigation(
    [
        st.Page(one_line, title="一行", default=True),
        *(
            st.Page(page, title=title, url_path=page.__name__)
            for page, title in (
                (metrics, "20 个指标"),
                (captions, "100 行说明"),
                (table, "1500 行表格"),
                (chart, "四根柱的图"),
                (code, "代码块"),
            )
        ),
    ]
).run()
