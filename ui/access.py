"""Who may upload: editors who know the password, or, with no password configured, a browser on this machine."""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import os
import time

import streamlit as st

from ledger import config
from ledger.throttle import Throttle
from ui.i18n import t
from ui.source import secrets

EDITOR_KEY = "_editor"
REFUSED_KEY = "_editor_refused"
log = logging.getLogger(__name__)
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


@st.cache_resource(show_spinner=False)
def throttle() -> Throttle:
    """One throttle for the whole server: guesses from every session count."""
    return Throttle()


def client_address() -> str:
    """Who is guessing: the connection's address (forwarding headers can be forged, so they are not believed);
    "local" for a browser on this machine, for which Streamlit reports none."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "local"


def _check_password() -> None:
    given = st.session_state.get("editor_password_input", "")
    expected = configured_password()
    address, now = client_address(), time.monotonic()
    wait = throttle().wait(address, now)
    if wait > 0:  # not even compared: a right password waits too
        st.session_state[REFUSED_KEY] = t("access.throttled", seconds=math.ceil(wait))
        return
    if expected is not None and given and password_matches(given, expected):
        throttle().succeeded(address)
        st.session_state[EDITOR_KEY] = True
        return
    failures = throttle().failed(address, now)
    log.warning("editor password refused for client %s (%d failures in the last %d minutes)", address, failures,
                throttle().policy.memory_seconds // 60)
    st.session_state[REFUSED_KEY] = t("access.refused")


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
    refused = st.session_state.pop(REFUSED_KEY, None)
    if refused:
        st.error(refused, icon=":material/block:")


def logout_button() -> None:
    if st.session_state.get(EDITOR_KEY):
        st.button(t("access.logout"), on_click=lambda: st.session_state.pop(EDITOR_KEY, None),
                  icon=":material/logout:")
