"""Reading the figure cards and short tables (ui.cards) of a page run in AppTest, as st.metric and st.dataframe were
read."""

import html
import re

import pandas as pd
from streamlit.testing.v1 import AppTest

_CARD = re.compile(
    r'<div class="figure" data-testid="figure" data-label="([^"]*)"[^>]*>.*?<div class="figure-value">([^<]*)</div>',
    re.S,
)


def figures(at: AppTest) -> dict[str, str]:
    """Each card's label and value as the browser shows them (unescaped), in page order."""
    return {
        html.unescape(label): html.unescape(value)
        for element in at.html
        for label, value in _CARD.findall(element.value)
    }


_TABLE = re.compile(r'<table class="small-table" data-testid="small-table">(.*?)</table>', re.S)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)


def _typed(values: list[str]) -> list:
    """A column of whole numbers as ints (as st.dataframe gave them), any other column as its text."""
    return [int(v) for v in values] if values and all(re.fullmatch(r"-?\d+", v) for v in values) else values


def small_tables(at: AppTest) -> list[pd.DataFrame]:
    """The short tables (ui.cards.small_table) of the page, in page order, as frames of their shown cells."""
    found = []
    for element in at.html:
        for body in _TABLE.findall(element.value):
            rows = [[html.unescape(cell) for cell in _CELL.findall(row)] for row in _ROW.findall(body)]
            columns = list(zip(*rows[1:], strict=True)) if len(rows) > 1 else [() for _ in rows[0]]
            found.append(
                pd.DataFrame({name: _typed(list(cells)) for name, cells in zip(rows[0], columns, strict=True)})
            )
    return found
