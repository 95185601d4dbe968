"""The UI language of this session (sidebar switch, also ?lang=en) and the translate shortcut `t`."""

from __future__ import annotations

import streamlit as st

from ledger.escape import markdown
from ledger.i18n import DEFAULT_LANG, LANGS, translate
from ledger.metrics import SEVERITIES

LANG_KEY = "lang"
_LABELS = {"zh": "中文", "en": "English"}


def lang() -> str:
    value = st.session_state.get(LANG_KEY)
    return value if value in LANGS else DEFAULT_LANG


def t(key: str, **params: object) -> str:
    """The UI string `key` in the session's language."""
    return translate(key, lang(), **params)


def tl(key: str, **params: object) -> str:
    """The UI string `key` with each parameter shown literally (ledger.escape.markdown): for elements that render
    Markdown — captions, labels, alerts, help texts — when a parameter holds what users wrote."""
    return t(key, **{name: markdown(value) for name, value in params.items()})


def severity(name: str) -> str:
    """An overdue band (ledger.metrics.SEVERITIES: "mild", "serious", "severe") in words, its days taken from that
    table; "" (not overdue) stays blank."""
    if not name:
        return ""
    low, high = next(((low, high) for low, high, band in SEVERITIES if band == name), (None, None))
    return t(f"severity.{name}", low=low, high=high, over=None if low is None else low - 1)


def literal(text: object) -> str:
    """What a user wrote, shown as written where Streamlit renders Markdown (a label, a help text)."""
    return markdown(text)


def _switch_key(chosen: str) -> str:
    return f"lang_switch_{chosen}"


def _switched(key: str) -> None:
    chosen = st.session_state[key]
    st.session_state[LANG_KEY] = chosen if chosen in LANGS else DEFAULT_LANG
    if lang() == DEFAULT_LANG:
        st.query_params.pop(LANG_KEY, None)
    else:
        st.query_params[LANG_KEY] = lang()


def language_switch() -> str:
    """The 中文/English switch; a link with ?lang=en opens in English, and the URL follows the switch.

    The language is a plain session value, not the radio's own state: the browser resets a radio to its default
    when the set of pages changes (at a login), so the radio's default is the language in force, under a key of
    that language."""
    if LANG_KEY not in st.session_state:
        asked = st.query_params.get(LANG_KEY, DEFAULT_LANG)
        st.session_state[LANG_KEY] = asked if asked in LANGS else DEFAULT_LANG
    chosen = lang()
    st.radio(
        "语言 / Language",
        LANGS,
        index=list(LANGS).index(chosen),
        key=_switch_key(chosen),
        format_func=_LABELS.get,
        horizontal=True,
        on_change=_switched,
        args=(_switch_key(chosen),),
        label_visibility="collapsed",
    )
    return chosen
