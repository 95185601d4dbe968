"""The dashboard in Streamlit's AppTest, shared by the page tests (tests/conftest.py also offers both helpers as the
`app` and `log_in` fixtures)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from ledger.i18n import translate

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard.py"
TIMEOUT_S = 60  # a whole page's script run on a busy 2-core machine


def app(
    token: str | None = None,
    page: str | None = None,
    *,
    state: Mapping[str, Any] | None = None,
    check: bool = False,
    **query: str,
) -> AppTest:
    """The dashboard, run once: in a browser session holding this login (`token`, a session token as after logging
    in) and session `state`, with `query` in the address; then switched to `page` ("pages/history.py"). With
    `check`, a script run that raised fails the test."""
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT_S)
    at.query_params.update(query)
    if token:
        from ui import access

        at.session_state[access.TOKEN_KEY] = token
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    if check:
        assert not at.exception, at.exception
    return at


def log_in(at: AppTest, name: str, password: str) -> AppTest:
    """Fill in the login form and press the login button; a script run that raised fails the test."""
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(password)
    next(b for b in at.button if b.label == translate("access.login", "zh")).click().run()
    assert not at.exception, at.exception
    return at
