"""User text made literal for what renders markup: Streamlit's Markdown (captions, labels, alerts, help texts,
button labels), plotly's HTML subset (ticks, legends, hover and bar text) and the HTML blocks of ui.cards (figure
cards, progress lines, short tables). Spreadsheets are written as text by
`ledger.writing.SafeBook`; tables (st.dataframe) show text as it is."""

from __future__ import annotations

import html
import re
import unicodedata

_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every character CommonMark lets a backslash escape
_WORD_JOINER = "\u2060"


def markdown(text: object) -> str:
    """Text that Streamlit's Markdown shows exactly as written, on one line: no link, image, emphasis, heading,
    HTML, LaTeX, colour, icon or emoji shortcode. Each ASCII punctuation mark is backslash-escaped; a colon is
    followed by an invisible word joiner, since shortcodes (`:material/…:`, `:smile:`) are matched in the text
    after the escapes are resolved."""
    line = " ".join(str(text).split())
    return _ASCII_PUNCTUATION.sub(r"\\\1", line).replace(":", ":" + _WORD_JOINER)


def plotly(text: object) -> str:
    """Text that plotly shows as written in ticks, legends and hover text (it renders tags such as <a> and <img>,
    and decodes &lt; &gt; &amp;)."""
    return html.escape(str(text), quote=False)


def html_text(text: object) -> str:
    """Text shown as written in an HTML block (st.html), in an element or an attribute's quoted value."""
    return html.escape(str(text), quote=True)


def visible_controls(text: object) -> str:
    """Text with every control, format and direction character written out as its code (`\\u202e`): what the audit
    trail shows of names a visitor typed, so that none can erase a terminal line, forge a record or turn `who`
    around on the page."""
    return "".join(f"\\u{ord(ch):04x}" if unicodedata.category(ch) in _HIDDEN else ch for ch in str(text))


_HIDDEN = {
    "Cc",
    "Cf",
    "Cs",
    "Co",
    "Cn",
    "Zl",
    "Zp",
}  # control, format (bidi, zero-width), surrogate, private, unassigned
