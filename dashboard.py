"""整改进度看板 — the Streamlit entry point: page setup, language, navigation and the sidebar shared by every page."""

import streamlit as st
import streamlit.delta_generator

from ledger.store import STORE_ERRORS
from ui import a11y, access, source, state
from ui.i18n import language_switch, t
from ui.navigation import FAVICON, login_pages, pages

# Streamlit checks once per process, on the first element it draws, whether it runs in a Python shell, by walking
# the stack with inspect (which visits every loaded module): a tenth of a second of the first page after a start.
# `streamlit run` is no shell.
streamlit.delta_generator._use_warning_has_been_displayed = True
st.set_page_config(page_title=t("app.title"), page_icon=FAVICON, layout="wide")

source.start_warm_up()
with st.sidebar:
    a11y.page_setup(language_switch())
access.forget_user()  # who is logged in is checked once per run
try:
    locked = access.login_required()
except STORE_ERRORS as problem:
    source.unavailable(problem)
with st.sidebar:
    access.cookie_sync()  # after a login or log-out: the browser's cookie follows
if locked:  # accounts exist and viewing needs a login: only the login page
    st.navigation(login_pages()).run()
    st.stop()
with st.sidebar:
    access.account_badge()
current = source.current()
page = st.navigation(pages(published=current is not None, units=bool(current and current.units)))
with state.showing(state.sidebar(current) if current else None):
    try:
        page.run()
    except STORE_ERRORS as problem:  # the database failed while the page read it: say so, never a traceback
        source.unavailable(problem)
    finally:
        source.first_page_sent()  # the warm-up may start
