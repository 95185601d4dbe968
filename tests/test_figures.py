"""The charts' left margin (ledger.figures): worked out from the tick labels instead of plotly's automargin."""

from datetime import date

import pandas as pd
import pytest

from ledger.figures import TICK_SIZE, category_bars, gantt, text_width


def test_text_width_counts_wide_characters_as_one_em_and_others_as_less():
    assert text_width("整改") == 2 * TICK_SIZE
    assert text_width("ab12") == 4 * 0.62 * TICK_SIZE
    assert text_width("Mm%") == 3 * 0.95 * TICK_SIZE and text_width("Ti.") == (0.75 + 0.4 + 0.4) * TICK_SIZE
    assert text_width("● 整改\u200b\u200b") == (3 + 0.4) * TICK_SIZE  # the light's symbol; no zero-width space
    assert text_width("&lt;b&gt;") == 3 * 0.62 * TICK_SIZE  # plotly decodes entities: <b> drawn as three characters


def test_text_width_takes_the_widest_line_in_its_own_size():
    label = "<b>第一阶段</b><br><span style='font-size:12px'>已结束 · 完成 100% · 进度滞后</span>"
    wide = len("已结束完成进度滞后") + 2  # and the two middle dots, of ambiguous width
    small = (wide + 5 * 0.4 + 3 * 0.62 + 0.95) * 12  # five spaces, 100 and %
    assert text_width(label) == pytest.approx(max(4 * 12 * 1.1, small))


def test_category_ticks_are_short_and_the_bars_keep_the_whole_name():
    long = "思想重视不够、落实不力、学习教育流于形式的问题"
    table = pd.DataFrame(
        {"name": [long, "短"], "tasks": [2, 1], "completion_pct": [50.0, 0.0], "verified_pct": [0.0, 0.0]}
        | {"overdue": [1, 0]}
        | {status: [1, 0] for status in ("done", "in_progress", "not_started", "ongoing")}
    )
    figure = category_bars(table, "zh")
    assert list(figure.layout.yaxis.ticktext) == [long[:17] + "…", "短"]
    assert list(figure.data[0].y) == [long, "短"]  # a click maps back to the whole name
    assert list(figure.data[-1].text) == ["上报 50% · 核验 0% · 超期 1", "上报 0% · 核验 0% · 超期 0"]
    labels = [(a.y, a.text) for a in figure.layout.annotations]  # above the bars, the plot keeps the width
    assert labels == [(long, long[:17] + "…"), ("短", "短")] and figure.layout.margin.l == 16


def test_the_gantt_leaves_room_for_its_widest_label(sample_ledger):
    ledger = sample_ledger
    as_of = date(2019, 5, 27)
    figure = gantt(ledger.phases, ledger.tasks, as_of, "zh", show_tasks=True)
    assert not figure.layout.yaxis.automargin and not figure.layout.yaxis.showticklabels
    above = [a.text for a in figure.layout.annotations if a.yref == "y"]  # each row's label above its bar
    assert above == list(figure.layout.yaxis.categoryarray) and figure.layout.margin.l == 16
    labels = figure.layout.yaxis.categoryarray
    headers = [label for label in labels if label.startswith("<i>")]  # a row per phase × category
    phases = [label for label in labels if label.startswith("<b>")]
    assert len(labels) == len(phases) + len(headers) + 17 and (len(phases), len(headers)) == (4, 12)
    assert [label.split(" <span")[0] for label in phases] == [f"<b>{p.name}</b>" for p in ledger.phases]
    assert labels.index(phases[2]) + 1 == labels.index(phases[3])  # the third phase has no measures, in its place
