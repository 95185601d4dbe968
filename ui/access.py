"""Who may upload: editors who know the password, or, with no password configured, a browser on this machine."""

from __future__ import annotations

import hashlib
import hmac
import os

import streamlit as st

from ledger import config
from ui.i18n import t
from ui.source import secrets

EDITOR_KEY = "_editor"
_FORWARDED = ("X-Forwarded-For", "X-Real-Ip", "Forwarded")


def configured_password() -> str | None:
    return config.editor_password(os.environ, secrets())


def password_matches(given: str, expected: str) -> bool:
    """Constant-time comparison of digests, so neither timing nor length tells anything about the password."""
    return hmac.compare_digest(hashlib.sha256(given.encode()).digest(), hashlib.sha256(expected.encode()).digest())


def is_loopback_client() -> bool:
    """The browser runs on this machine: Streamlit reports no address for loopback, and no proxy forwarded it."""
    headers = st.context.headers or {}
    return st.context.ip_address is None and not any(headers.get(name) for name in _FORWARDED)


def is_editor() -> bool:
    if st.session_state.get(EDITOR_KEY):
        return True
    return configured_password() is None and is_loopback_client()


def _check_password() -> None:
    given = st.session_state.get("editor_password_input", "")
    expected = configured_password()
    if expected is not None and given and password_matches(given, expected):
        st.session_state[EDITOR_KEY] = True
    else:
        st.session_state["_editor_refused"] = True


def gate() -> None:
    """What a viewer sees on the upload page: a password form, or how to configure one."""
    if configured_password() is None:
        st.warning(t("access.no_password"), icon=":material/lock:")
        st.code("export LEDGER_EDITOR_PASSWORD='…'\n# or in .streamlit/secrets.toml:\neditor_password = \"…\"",
                language="bash")
        return
    st.info(t("access.viewer"), icon=":material/lock:")
    with st.form("editor_login", clear_on_submit=True):
        st.text_input(t("access.password"), type="password", key="editor_password_input")
        st.form_submit_button(t("access.login"), on_click=_check_password)
    if st.session_state.pop("_editor_refused", False):
        st.error(t("access.refused"), icon=":material/block:")


def logout_button() -> None:
    if st.session_state.get(EDITOR_KEY):
        st.button(t("access.logout"), on_click=lambda: st.session_state.pop(EDITOR_KEY, None),
                  icon=":material/logout:")
