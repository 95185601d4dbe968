"""The dashboard's pages, for st.navigation; in one place so a stray first run can register them too."""

from __future__ import annotations

import streamlit as st

from ui.i18n import t


def login_page():
    return st.Page("pages/login.py", title=t("page.login"), icon=":material/login:", url_path="login", default=True)


def pages(published: bool = True, units: bool = False) -> list:
    """Every page; only the upload and plan pages while nothing has been published; the roll-up for a plan
    reported by units. The users and audit pages are listed for those who may use them (each page checks
    again)."""
    from ui import access

    plan = st.Page("pages/plan.py", title=t("page.plan"), icon=":material/description:", url_path="plan")
    admin = []
    try:
        if access.accounts_exist() and access.allowed("manage_users"):
            admin.append(
                st.Page("pages/users.py", title=t("page.users"), icon=":material/manage_accounts:", url_path="users")
            )
        if access.accounts_exist() and access.allowed("audit"):
            admin.append(st.Page("pages/audit.py", title=t("page.audit"), icon=":material/policy:", url_path="audit"))
    except Exception:
        admin = []
    if not published:
        return [
            st.Page(
                "pages/upload.py",
                title=t("page.upload"),
                icon=":material/upload_file:",
                url_path="upload",
                default=True,
            ),
            plan,
            *admin,
        ]
    inspection = []
    try:
        if access.allowed("review"):
            inspection.append(
                st.Page(
                    "pages/inspection.py",
                    title=t("page.inspection"),
                    icon=":material/fact_check:",
                    url_path="inspection",
                )
            )
    except Exception:
        inspection = []
    rollup = (
        [st.Page("pages/rollup.py", title=t("page.rollup"), icon=":material/account_tree:", url_path="rollup")]
        if units
        else []
    )
    return [
        *rollup,
        st.Page(
            "pages/overview.py",
            title=t("page.overview"),
            icon=":material/dashboard:",
            url_path="overview",
            default=True,
        ),
        st.Page("pages/timeline.py", title=t("page.timeline"), icon=":material/view_timeline:", url_path="timeline"),
        st.Page("pages/categories.py", title=t("page.categories"), icon=":material/category:", url_path="categories"),
        st.Page(
            "pages/responsibilities.py",
            title=t("page.responsibilities"),
            icon=":material/groups:",
            url_path="responsibilities",
        ),
        st.Page("pages/evidence.py", title=t("page.evidence"), icon=":material/attach_file:", url_path="evidence"),
        *inspection,
        st.Page("pages/history.py", title=t("page.history"), icon=":material/history:", url_path="history"),
        st.Page("pages/meeting.py", title=t("page.meeting"), icon=":material/co_present:", url_path="meeting"),
        st.Page("pages/upload.py", title=t("page.upload"), icon=":material/upload_file:", url_path="upload"),
        plan,
        *admin,
    ]


def leave_pages_directory_mode() -> None:
    """Until some session has called st.navigation, Streamlit runs the files in pages/ on their own ("pages
    directory" mode), so a first visit after a server start straight to /timeline would skip dashboard.py.
    Registering our pages switches the process to st.navigation; the rerun then goes through dashboard.py to
    the same page (page identity is the url path in both modes)."""
    st.navigation(pages(), position="hidden")
    st.rerun()
