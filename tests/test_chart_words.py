"""Each chart in words (ledger.chart_words, README "Accessibility"): the figures a chart draws, for screen readers,
in Chinese and English, kept on the figure for ui.widgets.plotly_chart to write under it."""

from __future__ import annotations

from datetime import date

import pandas as pd

from ledger import chart_words, metrics
from ledger.figures import category_bars, gantt, trend

AS_OF = date(2019, 5, 27)


def test_the_category_chart_names_each_category_with_its_measures_and_percentages(sample_ledger):
    table = metrics.by_category(sample_ledger.tasks, AS_OF)
    zh = chart_words.category_bars(table, "zh")
    assert zh.startswith(
        "图表“各类问题整改完成情况”：思想重视不够、落实不力的问题：措施 5 项（已完成 1、进行中 2、未开始 2、"
    )
    assert (
        "网络管控力度不大、能力欠缺的问题：措施 5 项（已完成 1、进行中 1、未开始 2、长期坚持 1），上报完成率 25%，"
        in zh
    )
    assert (
        "宗教、邪教进校园工作仍有漏洞的问题：措施 2 项（已完成 1、进行中 0、未开始 0、长期坚持 1），上报完成率 100%"
        in zh
    )
    assert zh.count("上报完成率") == len(table) == 5 and zh.endswith("超期 1 项。")
    en = chart_words.category_bars(table, "en")
    assert en.startswith(
        "Chart “Completion by category”: 思想重视不够、落实不力的问题: 5 measures (done 1, in progress 2,"
    )
    assert "20% reported done, 0% verified, 2 overdue;" in en
    assert category_bars(table, "zh").layout.meta == chart_words.meta(zh)  # the chart carries its words


def test_the_timeline_says_each_phase_its_dates_state_and_completion(sample_ledger):
    zh = chart_words.gantt(sample_ledger.phases, sample_ledger.tasks, AS_OF, "zh")
    assert zh.startswith(
        "图表“整改阶段时间轴”：统计日 2019-05-27；第一阶段：自查自纠（2019-04-25 至 2019-05-10）已结束，"
    )
    assert "第二阶段：整改落实（2019-05-11 至 2019-05-31）进行中，措施 9 项，完成 22%，时间已过 76%，进度滞后；" in zh
    assert "第三阶段：迎接督导检查（2019-06-01 至 2019-06-10）未开始，措施 0 项，完成 —" in zh
    en = chart_words.gantt(sample_ledger.phases, sample_ledger.tasks, AS_OF, "en")
    assert "(2019-05-11 to 2019-05-31): Current, 9 measures, 22% done, 76% of the time gone, behind;" in en
    figure = gantt(sample_ledger.phases, sample_ledger.tasks, AS_OF, "en", show_tasks=True)
    assert figure.layout.meta == chart_words.meta(en)


def test_the_trend_gives_each_line_its_value_on_each_report_date():
    days = pd.to_datetime(["2019-05-20", "2019-05-27"])
    points = pd.DataFrame(
        {
            "report_date": [*days, *days],
            "series": ["全部", "全部", "网络管控", "网络管控"],
            "completion_pct": [13.3, 26.7, 0.0, 25.0],
            "planned_pct": [40.0, 55.5, None, None],
        }
    )
    assert chart_words.trend(points, "zh") == (
        "图表“完成率变化趋势”：全部：2019-05-20 为 13.3%，2019-05-27 为 26.7%；"
        "网络管控：2019-05-20 为 0.0%，2019-05-27 为 25.0%；计划进度：2019-05-20 为 40.0%，2019-05-27 为 55.5%。"
    )
    overall = points.assign(series=points["series"].replace("全部", "All"))
    assert chart_words.trend(overall, "en", by_category=False) == (
        "Chart “Completion over the weeks”: All: 13.3% on 2019-05-20, 26.7% on 2019-05-27; "
        "Planned pace: 40.0% on 2019-05-20, 55.5% on 2019-05-27."
    )
    assert trend(points, "zh").layout.meta == chart_words.meta(chart_words.trend(points, "zh"))


def test_a_chart_without_data_says_so():
    empty = pd.DataFrame(columns=["report_date", "series", "completion_pct", "planned_pct"])
    assert chart_words.trend(empty, "en") == "Chart “Completion over the weeks”: no data."
