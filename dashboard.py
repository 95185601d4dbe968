"""整改进度看板 — the Streamlit entry point: page setup, language, navigation and the sidebar shared by every page."""

import streamlit as st

from ui import source, state
from ui.i18n import language_switch, t
from ui.navigation import pages

st.set_page_config(page_title=t("app.title"), page_icon=":material/fact_check:", layout="wide")

with st.sidebar:
    language_switch()
current = source.current()
page = st.navigation(pages(published=current is not None))
with state.showing(state.sidebar(current) if current else None):
    page.run()
