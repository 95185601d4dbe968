"""Log in: shown alone while viewing needs a login and nobody is logged in."""

import streamlit as st

from ui import access
from ui.i18n import t

st.title(t("access.login_title"))
st.caption(t("access.login_caption"))
access.login_form()
