"""The dashboard's pages: one registry (PAGES) used by st.navigation, the tests and the benchmark.

Every page opens at its own address, /overview as well as /timeline; the default page of the moment also answers at
/. An address that names a page not open to this visitor right now (nothing published yet, a login needed, a page
for admins) opens the default page of the moment rather than Streamlit's "Page not found" dialog."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import streamlit as st

from ui.i18n import t

Shown = Literal["always", "published", "units"]

# The tab's icon, written into the page (a data: address): a :material/…: icon makes the browser fetch an SVG from
# fonts.gstatic.com, an image file is one more request to the media store, and the dashboard asks nothing of any
# server but its own (README "Two commands").
FAVICON = "data:image/png;base64," + base64.b64encode((Path(__file__).parent / "favicon.png").read_bytes()).decode()


@dataclass(frozen=True)
class PageSpec:
    """One page: its address (/key), its file, the string key of its own heading (what a test sees), when it is
    listed, and the action a visitor must be allowed to have it listed (None: everyone).

    Pages have no icon: Streamlit makes a page's :material: icon the tab's icon, fetched from fonts.gstatic.com, when
    the page's navigation reaches the browser before the app's own icon (the first visit after a start), and the
    dashboard asks nothing of any server but its own (README "Two commands")."""

    key: str
    heading: str
    shown: Shown = "published"
    needs: str | None = None

    @property
    def script(self) -> str:
        return f"pages/{self.key}.py"

    @property
    def title(self) -> str:
        return "page." + self.key


PAGES: tuple[PageSpec, ...] = (
    PageSpec("rollup", "rollup.title", shown="units"),
    PageSpec("overview", "overview.title"),
    PageSpec("timeline", "timeline.title"),
    PageSpec("categories", "categories.title"),
    PageSpec("responsibilities", "responsibilities.title"),
    PageSpec("evidence", "evidence.title"),
    PageSpec("inspection", "inspection.title", needs="review"),
    PageSpec("history", "history.title"),
    PageSpec("meeting", "slides.overall"),
    PageSpec("upload", "upload.title", shown="always"),
    PageSpec("plan", "plan.title", shown="always"),
    PageSpec("users", "users.title", shown="always", needs="manage_users"),
    PageSpec("audit", "audit.title", shown="always", needs="audit"),
)
LOGIN = PageSpec("login", "access.login_title", shown="always")
BY_KEY = {spec.key: spec for spec in (*PAGES, LOGIN)}


def listed(published: bool, units: bool, allowed=lambda action: True) -> list[PageSpec]:
    """The pages in the sidebar, in order: every page once something is published (the roll-up for a plan reported
    by units); only the upload and plan pages before; pages that need an action for those allowed it."""
    return [
        spec
        for spec in PAGES
        if (spec.shown == "always" or (published and (spec.shown == "published" or units)))
        and (spec.needs is None or allowed(spec.needs))
    ]


def default_key(published: bool) -> str:
    return "overview" if published else "upload"


def _st_pages(specs: list[PageSpec], default: str) -> list:
    """st.Page objects for `specs`: the default at / (and, hidden, at its own address); every other address in
    the registry, hidden, opening the default page."""
    first = BY_KEY[default]
    shown = [
        st.Page(
            spec.script,
            title=t(spec.title),
            url_path="" if spec.key == default else spec.key,
            default=spec.key == default,
        )
        for spec in specs
    ]
    listed_keys = {spec.key for spec in specs} - {default}
    hidden = [
        st.Page(first.script, title=t(first.title), url_path=key, visibility="hidden")
        for key in BY_KEY
        if key not in listed_keys
    ]
    return shown + hidden


def login_pages() -> list:
    """While a login is needed: the login page alone, at / and at every page's address."""
    return _st_pages([LOGIN], LOGIN.key)


def pages(published: bool = True, units: bool = False) -> list:
    """The pages for st.navigation (see listed()); each page checks the visitor's rights again."""
    from ui import access

    def allowed(action: str) -> bool:
        """Users and audit are listed once accounts exist; inspection for whoever may review (before any account:
        this machine, or whoever gave the editor password)."""
        try:
            return (action == "review" or access.accounts_exist()) and access.allowed(action)
        except Exception:  # the store is down: the pages that need a role are left out until it answers
            return False

    return _st_pages(listed(published, units, allowed), default_key(published))


def leave_pages_directory_mode() -> None:
    """Until some session has called st.navigation, Streamlit runs the files in pages/ on their own ("pages
    directory" mode), so a first visit after a server start straight to /timeline would skip dashboard.py.
    Registering our pages switches the process to st.navigation; the rerun then goes through dashboard.py to
    the same page (page identity is the url path in both modes)."""
    st.navigation(pages(), position="hidden")
    st.rerun()
