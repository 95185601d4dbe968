"""Reading the figure cards (ui.cards) of a page run in AppTest, as st.metric's label and value were read."""

import html
import re

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
