"""The browser benchmark's baseline: Streamlit itself, five one-line pages under st.navigation (bench/browser.py)."""

import streamlit as st

PAGES = (("one", "第一页"), ("two", "第二页"), ("three", "第三页"), ("four", "第四页"), ("five", "第五页"))

st.navigation([st.Page(f"{name}.py", title=title, url_path=name) for name, title in PAGES]).run()
