"""What every page needs for keyboard and screen-reader users: a focus you can see on
whatever the Tab key reaches, and the page's language on the document, so that a screen reader reads Chinese as
Chinese."""

from __future__ import annotations

import json

import streamlit as st

PAGE_LANGS = {"zh": "zh-CN", "en": "en"}  # the UI language → the document's lang attribute
FOCUS = "#B71C1C"  # the theme's primary colour: 6.6:1 on white, over the 3:1 a focus indicator needs
FOCUS_CSS = (
    f":focus-visible {{outline: 2px solid {FOCUS} !important; outline-offset: 1px;}}"
    # a radio button's or checkbox's own input is hidden: its label shows the focus; a select box's whole field
    f" label:has(> input:focus-visible), [data-baseweb='select'] > div:has(input:focus-visible)"
    f" {{outline: 2px solid {FOCUS} !important; outline-offset: 1px;}}"
    " [data-testid='stElementContainer']:has(.page-lang) {display: none;}"
)


def page_setup(lang: str) -> None:
    """The focus style, and the document's language set to the UI's (Streamlit's page says "en" whatever it
    shows)."""
    st.html(f"<style>{FOCUS_CSS}</style>")
    st.html(lang_markup(lang), unsafe_allow_javascript=True)


def lang_markup(lang: str) -> str:
    """The one script of ours on every page: a constant per language, nothing a user wrote."""
    return (
        f'<span class="page-lang"></span><script>document.documentElement.lang = {json.dumps(PAGE_LANGS[lang])};'
        "</script>"
    )
