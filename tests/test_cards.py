"""The figure cards and progress lines (ui.cards): what a ledger's author wrote is shown as text, never as markup."""

from ui.cards import Card, bars_markup, cards_markup

HOSTILE = "<img src=x onerror=alert(1)>\"' & ![u](http://x)"


def test_a_card_escapes_its_label_value_note_and_help_and_keeps_the_words():
    markup = cards_markup([Card(HOSTILE, HOSTILE, note=HOSTILE, alarm=True, help=HOSTILE)], key="k")
    assert "<img" not in markup and 'onerror=alert(1)>"' not in markup
    assert markup.count("&lt;img src=x onerror=alert(1)&gt;&quot;&#x27; &amp; ![u](http://x)") == 6
    assert 'class="figure-note alarm"' in markup and 'class="figure-help" title="&lt;img' in markup
    assert 'tabindex="0" role="img" aria-label="&lt;img src=x' in markup  # the help, for the keyboard and readers


def test_cards_go_per_row_and_a_light_keeps_its_colour_next_to_its_word():
    markup = cards_markup([Card("■ 红灯·超期", 4, color="#C62828"), Card("● 绿灯·正常", 9)], key="light_row", per_row=3)
    assert 'class="figures light_row" style="grid-template-columns: repeat(3, minmax(0, 1fr))"' in markup
    assert 'data-label="■ 红灯·超期" style="border-left: 0.5rem solid #C62828"' in markup
    assert '<div class="figure-value">4</div>' in markup and '<div class="figure-value">9</div>' in markup
    assert markup.count('data-testid="figure"') == 2 and "figure-note" not in markup.split("</style>")[1]


def test_progress_lines_are_filled_to_their_percentage_within_0_and_100():
    markup = bars_markup([("第一阶段 · 完成 40.0%", 40.0), ("无措施", None), ("超出", 130.0), (HOSTILE, -5)], key="p")
    widths = [part.split("%")[0] for part in markup.split('class="bar-fill" style="width: ')[1:]]
    assert widths == ["40.0", "0.0", "100.0", "0.0"]
    assert "<img" not in markup and "第一阶段 · 完成 40.0%" in markup


def test_a_small_table_escapes_its_cells_aligns_numbers_and_reads_back_as_shown():
    import pandas as pd
    from streamlit.testing.v1 import AppTest

    from tests.cards import small_tables
    from ui.cards import table_markup

    frame = pd.DataFrame({"问题类别": [HOSTILE, "作风"], "措施数": [3, 12], "完成率": ["33.3%", None]})
    markup = table_markup(frame, key="category_table")
    assert "<img" not in markup and markup.count('<td class="number">') == 2
    assert "<th>问题类别</th><th>措施数</th><th>完成率</th>" in markup and "<td></td>" in markup

    def page():
        import pandas as pd

        from ui.cards import small_table

        small_table(pd.DataFrame({"名称": ["<b>甲</b>", "乙"], "数": [1, 20]}), key="t")

    read = small_tables(AppTest.from_function(page).run())
    assert len(read) == 1 and read[0].to_dict("list") == {"名称": ["<b>甲</b>", "乙"], "数": [1, 20]}


def test_a_kept_chart_sends_what_plotly_encodes_without_the_tool_bar():
    import json

    from streamlit.testing.v1 import AppTest

    def page():
        from datetime import date

        import plotly.graph_objects as go
        import plotly.io
        import streamlit as st

        from ui.widgets import plotly_chart

        figure = go.Figure(go.Scatter(x=[date(2019, 5, 20), date(2019, 5, 27)], y=[13.3, 26.7], name="<b>全部</b>"))
        st.session_state["expected"] = plotly.io.to_json(figure, validate=False)
        st.session_state["figure"] = figure
        plotly_chart(figure, key="kept")
        plotly_chart(figure, key="again")  # the dict is made once per figure object

    at = AppTest.from_function(page).run()
    sent = at.get("plotly_chart")
    assert len(sent) == 2 and sent[0].proto.spec == sent[1].proto.spec
    assert json.loads(sent[0].proto.spec) == json.loads(at.session_state["expected"])
    assert json.loads(sent[0].proto.config) == {"displaylogo": False, "displayModeBar": False}
