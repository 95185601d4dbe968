"""Who may do what.

Once an account exists, people log in with their own name and password (ledger.accounts) and their role decides;
the session lives in the database, so every app instance knows it. Before any account exists the earlier rule
stays: editors who know the shared password, or, with no password configured, a browser on this machine."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
import os
from collections.abc import Callable
from datetime import datetime

import streamlit as st

from ledger import accounts, audit, config
from ledger import throttle as throttling
from ledger.store import STORE_ERRORS
from ui.i18n import t, tl
from ui.source import secrets, store, store_at

EDITOR_KEY = "_editor"
TOKEN_KEY = "_session_token"
LEGACY_ACTIONS = {
    "view",
    "export",
    "publish",
    "withdraw",
    "restore",
    "record",
    "import_plan",
    "manage_plans",
    "originals",
    "evidence",
    "evidence_files",
    "claim",
    "review",
}
REFUSED_KEY = "_editor_refused"
ANY_PLAN = object()  # allowed()'s plan when a page asks whether someone may do an action at all (its gate)
log = logging.getLogger(__name__)
_FORWARDED = ("X-Forwarded-For", "X-Real-Ip", "Forwarded")


def configured_password() -> str | None:
    return config.editor_password(os.environ, secrets())


def password_matches(given: str, expected: str) -> bool:
    """Constant-time comparison of digests, so neither timing nor length tells anything about the password."""
    return hmac.compare_digest(hashlib.sha256(given.encode()).digest(), hashlib.sha256(expected.encode()).digest())


def is_loopback_client() -> bool:
    """The browser runs on this machine (a loopback address, accounts.machine_address), and no proxy forwarded it."""
    headers = st.context.headers or {}
    address = st.context.ip_address  # None, an address, or (in AppTest, no connection at all) neither
    local = address is None or (isinstance(address, str) and accounts.machine_address(address) == accounts.LOCAL)
    return local and not any(headers.get(name) for name in _FORWARDED)


def is_editor() -> bool:
    """Before any account exists: the shared editor password was given, or (none configured) this machine."""
    if st.session_state.get(EDITOR_KEY):
        return True
    return configured_password() is None and is_loopback_client()


_HAVE_ACCOUNTS: set[str] = set()  # stores known to have accounts: accounts are never deleted, only disabled
USER_KEY = "_session_user"  # the session checked in this run: a page asks many times


NO_ACCOUNTS_KEY = "_no_accounts"  # none existed when this run (or action) asked: a page asks many times


def accounts_exist() -> bool:
    url = store().url
    if url in _HAVE_ACCOUNTS:
        return True
    if st.session_state.get(NO_ACCOUNTS_KEY) == url:
        return False
    if accounts.any_account(store()):
        _HAVE_ACCOUNTS.add(url)
        return True
    st.session_state[NO_ACCOUNTS_KEY] = url
    return False


def idle_minutes() -> int:
    return config.idle_minutes(os.environ, secrets())


def current_user() -> accounts.User | None:
    """The person logged in to this browser session (None: nobody, or the session ended, went idle or the account
    was disabled). Checked against the database once per run: dashboard.py and every action's callback start with
    forget_user()."""
    token = st.session_state.get(TOKEN_KEY)
    from_cookie = False
    if not token:  # a reload, or another instance: the browser's cookie still holds the login
        token = _cookie_token()
        from_cookie = token is not None
    if not token:
        return None
    checked = st.session_state.get(USER_KEY)
    if checked is not None and checked[0] == token:
        return checked[1]
    user = accounts.session_user(
        store(), token, datetime.now(), idle_minutes(), config.session_max_hours(os.environ, secrets())
    )
    if user is None:
        st.session_state.pop(TOKEN_KEY, None)
        st.session_state.pop(USER_KEY, None)
        if from_cookie:  # ended, idle or disabled: forget it in this browser
            st.session_state[IGNORED_KEY] = token
            st.session_state[COOKIE_KEY] = [(COOKIE, "", 0)]
    else:
        st.session_state[TOKEN_KEY] = token
        st.session_state[USER_KEY] = (token, user)
    return user


def forget_user() -> None:
    """The next current_user() and accounts_exist() ask the database again (a new run, or an action about to be
    done)."""
    st.session_state.pop(USER_KEY, None)
    st.session_state.pop(NO_ACCOUNTS_KEY, None)


def still_allowed(action: str, unit_id: int | None = None, plan_id: int | object | None = ANY_PLAN) -> bool:
    """A button's callback, before it acts: may this session do `action` now (the account asked again)?"""
    forget_user()
    return allowed(action, unit_id, plan_id)


def login_required() -> bool:
    """Viewing needs a login once an account exists, unless viewing without login is allowed (a meeting-room
    screen: LEDGER_PUBLIC_VIEW / public_view)."""
    return accounts_exist() and not config.public_view(os.environ, secrets()) and current_user() is None


def allowed(action: str, unit_id: int | None = None, plan_id: int | object | None = ANY_PLAN) -> bool:
    """May whoever uses this session do `action` — for a unit (None: a plan without units, or the plan as a whole)
    of a plan (an id, None for a plan the action creates)? Once accounts exist, ledger.accounts.may decides."""
    if not accounts_exist():
        return action in ("view", "export", "originals") or (action in LEGACY_ACTIONS and is_editor())
    user = current_user()
    if user is None:
        return action in ("view", "export") and config.public_view(os.environ, secrets())
    if action not in accounts.UNIT_ACTIONS or user.role == "admin":
        return accounts.may(user, action)
    plan = None if plan_id is ANY_PLAN else accounts.scope(store(), plan_id)  # type: ignore[arg-type]
    if plan_id is ANY_PLAN and unit_id is None:  # may this person do it at all (a page's gate)?
        return user.can(action)
    return accounts.may(user, action, plan, unit_id)


BY_KEY = "upload_by"  # who acts, as typed before accounts exist: one key for the upload and plan pages


def who() -> str:
    """Who acts, for "uploaded by", requirements and the audit trail: the logged-in person's name; before any
    account exists, what the editor typed (or "editor")."""
    user = current_user()
    if user is not None:
        return user.name
    return st.session_state.get(BY_KEY, "").strip() or t("upload.anonymous")


def who_input() -> None:
    """Where the editor says who they are, while nobody is logged in (once someone is, who() knows)."""
    from ledger.publishing import MAX_UPLOADER

    if current_user() is None:
        st.text_input(t("upload.by"), key=BY_KEY, placeholder=t("upload.by_placeholder"), max_chars=MAX_UPLOADER)


def who_records() -> str:
    """Who records a meeting requirement: the logged-in person, else the meeting's minutes."""
    user = current_user()
    return user.name if user is not None else t("meeting.recorder")


def audited_data(make: Callable[[], bytes], target: str, action: str = "export") -> Callable[[], bytes]:
    """A download button's data, made when the browser asks for the file — Streamlit calls it at the click, in a
    thread of its own (st.download_button with a callable) — and recorded in the same step: no file leaves the server
    without its audit row, whether or not the browser sends the click. The person is checked again then, from what
    this run knows of them (their session's token, or, before accounts exist, what they may do now); someone who may
    no longer download gets an empty file and no record."""
    token = st.session_state.get(TOKEN_KEY) or _cookie_token()
    with_accounts = accounts_exist()
    permitted_now = allowed(action)
    person, address, url = who(), client_address(), store().url
    limits = (idle_minutes(), config.session_max_hours(os.environ, secrets()))

    def produce() -> bytes:
        the_store = store_at(url)
        if with_accounts and token:
            user = accounts.session_user(the_store, token, datetime.now(), *limits)
            permitted = accounts.may(user, action)
        else:
            permitted = permitted_now and not (with_accounts and action not in ("view", "export"))
        if not permitted:
            return b""
        data = make()
        audit.record(the_store, at=datetime.now(), who=person, action="download", target=target, address=address)
        return data

    return produce


def _log_in() -> None:
    name = st.session_state.get("login_name", "")
    password = st.session_state.get("login_password", "")
    st.session_state["login_password"] = ""
    devices = _devices()
    result = accounts.log_in(
        store(),
        name,
        password,
        address=client_address(),
        now=datetime.now(),
        devices=devices,
        device_days=config.device_days(os.environ, secrets()),
    )
    if result.wait_seconds > 0:
        st.session_state[REFUSED_KEY] = t("access.throttled", seconds=math.ceil(result.wait_seconds))
    elif result.user is None:
        st.session_state[REFUSED_KEY] = t("access.login_refused")
    else:  # a new token at every login: one this browser held before (another person's, say) ends now
        earlier = st.session_state.get(TOKEN_KEY) or _cookie_token()
        if earlier and earlier != result.token:
            accounts.log_out(store(), earlier, now=datetime.now(), address=client_address())
        st.session_state[TOKEN_KEY] = result.token
        kept = accounts.kept_devices(devices, result.device, store(), name, datetime.now())
        days = config.device_days(os.environ, secrets())
        st.session_state[COOKIE_KEY] = [(COOKIE, result.token, None), (DEVICE_COOKIE, "~".join(kept), days * 86_400)]


def login_form() -> None:
    """Name and password; the same message for an unknown name and a wrong password."""
    with st.form("account_login", clear_on_submit=False):
        st.text_input(t("access.name"), key="login_name", max_chars=accounts.MAX_NAME)
        st.text_input(
            t("access.account_password"), type="password", key="login_password", max_chars=accounts.MAX_PASSWORD
        )
        st.form_submit_button(t("access.login"), on_click=_log_in, type="primary")
    refused = st.session_state.pop(REFUSED_KEY, None)
    if refused:
        st.error(refused, icon=":material/block:")


def _log_out() -> None:
    token = st.session_state.pop(TOKEN_KEY, None)
    st.session_state.pop(USER_KEY, None)
    st.session_state[COOKIE_KEY] = [(COOKIE, "", 0)]  # the device cookie stays: it outlives log-out
    if token:
        st.session_state[IGNORED_KEY] = token  # this page's connection still carries the old cookie
        accounts.log_out(store(), token, now=datetime.now(), address=client_address())


COOKIE = "ledger_session"  # the login's token in the browser, for the browser session only
DEVICE_COOKIE = "ledger_device"  # device tokens: this browser logged in as these accounts (ledger.accounts)
COOKIE_KEY = "_cookie_action"
IGNORED_KEY = "_cookie_ignored"


def _cookie_token() -> str | None:
    """The token the browser sent in its cookie when this page connected (unless it was logged out since)."""
    try:
        token = st.context.cookies.get(COOKIE)
    except Exception:  # no request behind this run (a bare script run)
        return None
    if not isinstance(token, str) or not token or token == st.session_state.get(IGNORED_KEY) or len(token) > 100:
        return None
    return token


def _devices() -> list[str]:
    """The device tokens this browser sent when the page connected."""
    try:
        found = st.context.cookies.get(DEVICE_COOKIE)
    except Exception:  # no request behind this run
        return []
    if not isinstance(found, str) or len(found) > 2000:
        return []
    return [token for token in found.split("~") if token][: accounts.MAX_DEVICE_TOKENS]


def cookie_sync() -> None:
    """Write or clear the cookies after a login or log-out, so that a reload — or another instance behind the same
    address — finds the login, and the browser is known at its next login.
    SameSite=Strict, Secure over HTTPS; the session cookie without an expiry (it ends with the browser, the server
    ends idle and old sessions), the device cookie for its days."""
    found = st.session_state.pop(COOKIE_KEY, None)
    if not found:
        return
    lines = []
    for name, value, max_age in found:
        cookie = f"{name}={value}; path=/; SameSite=Strict" + (f"; Max-Age={max_age}" if max_age is not None else "")
        lines.append(f"document.cookie = {json.dumps(cookie)} + (location.protocol === 'https:' ? '; Secure' : '');")
    st.html(f"<script>{''.join(lines)}</script>", unsafe_allow_javascript=True)


def account_badge() -> None:
    """In the sidebar: who is logged in, and the log-out button."""
    user = current_user()
    if user is None:
        return
    st.caption(tl("access.signed_in", name=user.name, role=t(f"role.{user.role}")))  # the name as written
    st.button(t("access.logout_account"), on_click=_log_out, icon=":material/logout:", key="account_logout")


def client_address() -> str:
    """Who is guessing: the connection's address (forwarding headers can be forged, so they are not believed);
    "local" for a browser on this machine (any loopback address)."""
    return accounts.machine_address(st.context.ip_address)


def _check_password() -> None:
    """The shared editor password (before any account exists), throttled in the database like logins: per client
    address and for everyone together, every app instance counting the same attempts."""
    given = st.session_state.get("editor_password_input", "")
    expected = configured_password()
    address, now = client_address(), datetime.now()
    policy = accounts.LOGIN_POLICY
    keys = [(f"editor:{address}", policy.free_failures), ("editor:all", policy.free_failures_overall)]
    try:
        tried: throttling.Attempt | None = throttling.attempt(store(), keys, now, policy)
    except STORE_ERRORS as problem:  # a read-only store counts nothing (and can be changed by nobody anyway)
        log.warning("the editor password's attempts cannot be counted: %r", problem)
        tried = None
    if tried is not None and not tried.allowed:  # not even compared: a right password waits too
        st.session_state[REFUSED_KEY] = t("access.throttled", seconds=math.ceil(tried.wait_seconds))
        return
    if expected is not None and given and password_matches(given, expected):
        if tried is not None:
            throttling.succeeded(store(), tried, forget=[f"editor:{address}"])
        st.session_state[EDITOR_KEY] = True
        return
    log.warning("editor password refused for client %s", address)
    st.session_state[REFUSED_KEY] = t("access.refused")


def require(action: str) -> None:
    """Every page's preamble for an action: the page goes on for those allowed it; everyone else sees gate() and
    nothing more of the page."""
    if not allowed(action):
        gate(action)
        st.stop()


def gate(action: str = "publish") -> None:
    """What someone without the right sees on an editing page: the login form, a refusal, or (before any account
    exists) the shared-password form or how to configure one."""
    if accounts_exist():
        if current_user() is None:
            st.info(t("access.login_needed"), icon=":material/lock:")
            login_form()
        else:
            st.error(t("account.forbidden"), icon=":material/block:")
        return
    if configured_password() is None:
        st.warning(t("access.no_password"), icon=":material/lock:")
        st.code(
            "export LEDGER_EDITOR_PASSWORD='…'\n# or in .streamlit/secrets.toml:\neditor_password = \"…\"",
            language=None,  # plain: the highlighter's colours are too pale
        )
        first_admin_hint()
        return
    st.info(t("access.viewer"), icon=":material/lock:")
    with st.form("editor_login", clear_on_submit=True):
        st.text_input(t("access.password"), type="password", key="editor_password_input")
        st.form_submit_button(t("access.login"), on_click=_check_password)
    refused = st.session_state.pop(REFUSED_KEY, None)
    if refused:
        st.error(refused, icon=":material/block:")


def first_admin_hint() -> None:
    """Before any account exists: how to create the first admin."""
    st.caption(t("access.first_admin"))
    st.code(
        ".venv/bin/python -m ledger users add admin --role admin\n# or, before the first start:\n"
        "export LEDGER_ADMIN_PASSWORD='…'",
        language=None,  # plain: the highlighter's colours are too pale
    )


def logout_button() -> None:
    if st.session_state.get(EDITOR_KEY):
        st.button(t("access.logout"), on_click=lambda: st.session_state.pop(EDITOR_KEY, None), icon=":material/logout:")
