"""Users (admins): accounts, their roles and units — add, disable, reset a password, assign units; and units."""

from datetime import datetime

import pandas as pd
import streamlit as st

from ledger import accounts
from ui import access, source
from ui.i18n import t

st.title(t("users.title"))
if not access.allowed("manage_users"):
    access.gate("manage_users")
    st.stop()

store = source.store()
units = {u.id: u.name for u in accounts.units(store)}
people = accounts.users(store)
st.dataframe(
    pd.DataFrame(
        {
            t("users.name"): [u.name for u in people],
            t("users.role"): [t(f"role.{u.role}") for u in people],
            t("users.state"): [t("users.disabled") if u.disabled else t("users.active") for u in people],
            t("users.units"): ["、".join(units.get(i, "?") for i in u.units) for u in people],
        }
    ),
    hide_index=True,
    width="stretch",
    key="users_table",
)


def done(message: str) -> None:
    st.session_state["users_flash"] = ("success", message)


def failed(problem: accounts.AccountError) -> None:
    st.session_state["users_flash"] = ("error", t(problem.code, **problem.params))


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
            store,
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
    done(t("cli.user_added", name=user.name, role=t(f"role.{user.role}")))


def change(name: str, what: str) -> None:
    state = st.session_state
    if not access.still_allowed("manage_users"):
        state["users_flash"] = ("error", t("account.forbidden"))
        return
    try:
        if what == "disable":
            if name == access.who():
                state["users_flash"] = ("error", t("users.not_yourself"))
                return
            accounts.set_disabled(
                store, name, True, at=datetime.now(), by=access.who(), address=access.client_address()
            )
            done(t("cli.user_disabled_msg", name=name))
        elif what == "enable":
            accounts.set_disabled(
                store, name, False, at=datetime.now(), by=access.who(), address=access.client_address()
            )
            done(t("cli.user_enabled_msg", name=name))
        elif what == "password":
            accounts.set_password(
                store,
                name,
                state.get("reset_password", ""),
                at=datetime.now(),
                by=access.who(),
                address=access.client_address(),
            )
            state["reset_password"] = ""
            done(t("cli.password_set", name=name))
        else:
            accounts.set_role(
                store,
                name,
                state.get("edit_role", "viewer"),
                state.get("edit_units", []),
                at=datetime.now(),
                by=access.who(),
                address=access.client_address(),
            )
            done(t("users.role_saved", name=name))
    except accounts.AccountError as problem:
        failed(problem)


def add_unit() -> None:
    if not access.still_allowed("manage_users"):
        st.session_state["users_flash"] = ("error", t("account.forbidden"))
        return
    try:
        unit = accounts.add_unit(
            store,
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
    done(t("users.unit_added", name=unit.name))


flash = st.session_state.pop("users_flash", None)
with st.container():  # always there, so a message coming or going does not shift (and fold) the expanders below
    if flash:
        (st.success if flash[0] == "success" else st.error)(flash[1])

with st.expander(t("users.add"), icon=":material/person_add:"):
    st.text_input(t("users.name"), key="new_user_name", max_chars=accounts.MAX_NAME)
    st.selectbox(t("users.role"), accounts.ROLES, key="new_user_role", format_func=lambda r: t(f"role.{r}"), index=1)
    st.multiselect(
        t("users.units"), list(units), key="new_user_units", format_func=units.get, help=t("users.units_help")
    )
    left, right = st.columns(2)
    left.text_input(
        t("access.account_password"),
        type="password",
        key="new_user_password",
        help=t("users.password_help", n=accounts.MIN_PASSWORD),
    )
    right.text_input(t("users.password_again"), type="password", key="new_user_password_again")
    st.button(t("users.add_button"), on_click=add_user, type="primary", key="add_user")

if people:
    with st.expander(t("users.edit"), icon=":material/manage_accounts:"):
        names = [u.name for u in people]
        chosen = st.selectbox(t("users.name"), names, key="edit_user")
        person = next(u for u in people if u.name == chosen)
        st.selectbox(
            t("users.role"),
            accounts.ROLES,
            key="edit_role",
            index=accounts.ROLES.index(person.role),
            format_func=lambda r: t(f"role.{r}"),
        )
        st.multiselect(
            t("users.units"),
            list(units),
            default=[i for i in person.units if i in units],
            key="edit_units",
            format_func=units.get,
        )
        st.button(t("users.save_role"), on_click=change, args=(chosen, "role"), key="save_role")
        st.text_input(
            t("users.new_password"),
            type="password",
            key="reset_password",
            help=t("users.password_help", n=accounts.MIN_PASSWORD),
        )
        st.button(t("users.reset"), on_click=change, args=(chosen, "password"), key="reset_password_button")
        if person.disabled:
            st.button(t("users.enable"), on_click=change, args=(chosen, "enable"), key="enable_user")
        else:
            st.button(t("users.disable"), on_click=change, args=(chosen, "disable"), key="disable_user")

with st.expander(t("users.units_title"), icon=":material/domain:"):
    st.caption("、".join(units.values()) or t("users.no_units"))
    st.text_input(t("users.unit_name"), key="new_unit_name", max_chars=accounts.MAX_NAME)
    plans = {s.plan.id: s.plan.name for s in store.plans() if not s.plan.demo}
    st.selectbox(
        t("users.unit_plan"),
        [None, *plans],
        key="new_unit_plan",
        format_func=lambda p: t("users.no_plan") if p is None else plans[p],
    )
    st.button(t("users.add_unit"), on_click=add_unit, key="add_unit")
