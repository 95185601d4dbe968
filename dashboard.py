"""整改进度看板 — the Streamlit entry point: page setup, language, navigation and the sidebar shared by every page."""

import streamlit as st

from ui import source, state
from ui.i18n import language_switch, t
from ui.navigation import pages

st.set_page_config(page_title=t("app.title"), page_icon=":material/fact_check:", layout="wide")

with st.sidebar:
    language_switch()
page = st.navigation(pages())
with state.showing(state.sidebar(source.current())):
    page.run()
