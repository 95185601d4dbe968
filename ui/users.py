"""The Users page's actions: button callbacks, each checking the admin's right again
before it changes anything; the outcome is left in session_state["users_flash"] for the page to show."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from ledger import accounts
from ui import access, source
from ui.i18n import t, tl


def done(message: str) -> None:
    st.session_state["users_flash"] = ("success", message)


def failed(problem: accounts.AccountError) -> None:
    st.session_state["users_flash"] = ("error", tl(problem.code, **problem.params))  # a name shown as written


def add_user() -> None:
    state = st.session_state
    if not access.still_allowed("manage_users"):
        state["users_flash"] = ("error", t("account.forbidden"))
        return
    if state.get("new_user_password") != state.get("new_user_password_again"):
        state["users_flash"] = ("error", t("cli.password_mismatch"))
        return
    try:
        user = accounts.add_user(
            source.store(),
            state.get("new_user_name", ""),
            state.get("new_user_role", "viewer"),
            state.get("new_user_password", ""),
            at=datetime.now(),
            by=access.who(),
            address=access.client_address(),
            units=state.get("new_user_units", []),
        )
    except accounts.AccountError as problem:
        failed(problem)
        return
    for key in ("new_user_name", "new_user_password", "new_user_password_again"):
        state[key] = ""
    done(tl("cli.user_added", name=user.name, role=t(f"role.{user.role}")))


CONFIRM_KEY = "users_own_password"  # the acting admin's own password, asked again before a change to an account


def _reauthenticated() -> bool:
    """The admin typed their own password again (a left-open browser is not enough to change an account)."""
    given = st.session_state.get(CONFIRM_KEY, "")
    st.session_state[CONFIRM_KEY] = ""
    user = access.current_user()
    return user is not None and accounts.reauthenticate(
        source.store(), user.name, given, address=access.client_address(), now=datetime.now()
    )


def change(name: str, what: str) -> None:
    state = st.session_state
    if not access.still_allowed("manage_users"):
        state["users_flash"] = ("error", t("account.forbidden"))
        return
    if what == "disable" and name == access.who():
        state["users_flash"] = ("error", t("users.not_yourself"))
        return
    if what in ("disable", "password", "role") and access.current_user() is not None and not _reauthenticated():
        state["users_flash"] = ("error", t("account.reauth"))
        return
    try:
        if what == "disable":
            accounts.set_disabled(
                source.store(), name, True, at=datetime.now(), by=access.who(), address=access.client_address()
            )
            done(tl("cli.user_disabled_msg", name=name))
        elif what == "enable":
            accounts.set_disabled(
                source.store(), name, False, at=datetime.now(), by=access.who(), address=access.client_address()
            )
            done(tl("cli.user_enabled_msg", name=name))
        elif what == "password":
            accounts.set_password(
                source.store(),
                name,
                state.get("reset_password", ""),
                at=datetime.now(),
                by=access.who(),
                address=access.client_address(),
            )
            state["reset_password"] = ""
            done(tl("cli.password_set", name=name))
        else:
            accounts.set_role(
                source.store(),
                name,
                state.get("edit_role", "viewer"),
                state.get("edit_units", []),
                at=datetime.now(),
                by=access.who(),
                address=access.client_address(),
            )
            done(tl("users.role_saved", name=name))
    except accounts.AccountError as problem:
        failed(problem)


def add_unit() -> None:
    if not access.still_allowed("manage_users"):
        st.session_state["users_flash"] = ("error", t("account.forbidden"))
        return
    try:
        unit = accounts.add_unit(
            source.store(),
            st.session_state.get("new_unit_name", ""),
            at=datetime.now(),
            by=access.who(),
            address=access.client_address(),
            plan_id=st.session_state.get("new_unit_plan"),
        )
    except accounts.AccountError as problem:
        failed(problem)
        return
    st.session_state["new_unit_name"] = ""
    done(tl("users.unit_added", name=unit.name))


def backup_state() -> None:
    """When the store was last backed up (`python -m ledger backup`), with a warning when never, or longer ago than
    LEDGER_BACKUP_MAX_DAYS."""
    import os

    from ledger import backup, config

    state = backup.status(source.store(), datetime.now(), config.backup_max_days(os.environ, source.secrets()))
    if state.last is None:
        st.warning(t("backup.never"), icon=":material/backup:")
        return
    line = t("backup.last", at=state.last.isoformat(sep=" ", timespec="minutes"), days=int(state.age_days or 0))
    if state.overdue:
        st.warning(line + t("backup.old", max=state.max_age_days), icon=":material/backup:")
    else:
        st.caption(line)
