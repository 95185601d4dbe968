"""Users (admins): accounts, their roles and units — add, disable, reset a password, assign units; and units."""

import pandas as pd
import streamlit as st

from ledger import accounts
from ui import access, source
from ui.i18n import literal, t
from ui.users import CONFIRM_KEY, add_unit, add_user, backup_state, change

st.title(t("users.title"))
access.require("manage_users")
backup_state()

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
        st.text_input(t("users.own_password"), type="password", key=CONFIRM_KEY, help=t("users.own_password_help"))
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
    st.caption(literal("、".join(units.values())) or t("users.no_units"))
    st.text_input(t("users.unit_name"), key="new_unit_name", max_chars=accounts.MAX_NAME)
    plans = {s.plan.id: s.plan.name for s in store.plans() if not s.plan.demo}
    st.selectbox(
        t("users.unit_plan"),
        [None, *plans],
        key="new_unit_plan",
        format_func=lambda p: t("users.no_plan") if p is None else plans[p],
    )
    st.button(t("users.add_unit"), on_click=add_unit, key="add_unit")
