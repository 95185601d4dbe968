"""Browser tests: a `streamlit run dashboard.py` on a free port, headless Debian Chromium, one page per test.

Modelled on Streamlit's own e2e_playwright suite: poll /_stcore/health until "ok", wait for the script to finish
(data-test-script-state="notRunning"), find elements by data-testid. Needs /usr/bin/chromium and CJK fonts
(`apt-get install chromium fonts-noto-cjk`); without Chromium the tests skip, or fail when CI=true.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.conftest import in_ci

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    # offline, as a customer's intranet may be: no name but our own server's resolves
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
]
START_TIMEOUT_S = 60
TIMEOUT_MS = 40_000  # generous: two test workers share two cores with their servers and browsers
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}

expect.set_options(timeout=TIMEOUT_MS)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except OSError:
        return False


def streamlit_command(script: str, port: int) -> list[str]:
    """`streamlit run script` headless on `port`, without usage statistics or file watching."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]


@contextlib.contextmanager
def streamlit_server(
    failed: Callable[[], bool] = lambda: False, show: Callable[[str], None] = print, env: dict[str, str] | None = None
) -> Iterator[str]:
    """`streamlit run dashboard.py` on a free port with a fresh SQLite store; yields its base URL, then stops it.
    Its log goes to `show` when the block raises or, at the end, when `failed()` says a test using it failed."""
    port = _free_port()
    url = f"http://localhost:{port}"
    with tempfile.TemporaryDirectory(prefix="e2e_ledger_") as data, tempfile.TemporaryFile("w+") as log:
        # A store of its own, seeded with the sample weeks on first start: the repository's data/ stays untouched.
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "LEDGER_DB_URL": f"sqlite:///{data}/ledger.db", **(env or {})}
        process = subprocess.Popen(
            streamlit_command("dashboard.py", port),
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )

        def output() -> str:
            log.flush()
            log.seek(0)
            return log.read()

        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while not _healthy(url):
                if process.poll() is not None:
                    pytest.fail(f"streamlit exited with {process.returncode}")
                if time.monotonic() > deadline:
                    pytest.fail(f"streamlit not healthy on {url} after {START_TIMEOUT_S} s")
                time.sleep(0.2)
            yield url
        except BaseException:
            show(f"--- streamlit log ({url}) ---\n{output()}")
            raise
        else:
            if failed():
                show(f"--- streamlit log ({url}) ---\n{output()}")
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextlib.contextmanager
def served(request: pytest.FixtureRequest, env: dict[str, str] | None = None) -> Iterator[str]:
    """streamlit_server for a fixture: its log is shown in the report when a test using it failed."""
    failed_before = request.session.testsfailed
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    show = (lambda text: reporter.write_line("\n" + text)) if reporter else print
    with streamlit_server(lambda: request.session.testsfailed > failed_before, show, env=env) as url:
        yield url


ADMIN, ADMIN_PASSWORD = "局党委管理员", "整改看板-管理-2019"


def accounts_env(db_url: str) -> dict[str, str]:
    """A server on `db_url` whose first start creates the admin ADMIN; viewing needs a login; no editor password."""
    return {
        "LEDGER_DB_URL": db_url,
        "LEDGER_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "LEDGER_ADMIN_NAME": ADMIN,
        "LEDGER_PUBLIC_VIEW": "",
        "LEDGER_EDITOR_PASSWORD": "",
    }


@pytest.fixture(scope="session")
def app_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The base URL of a dashboard server shared by the whole session; its log is shown if any test failed."""
    with served(request) as url:
        yield url


OFFSITE: list[str] = []  # requests for anything but our own server, by any page of any context


def _ours(url: str) -> bool:
    return urllib.parse.urlsplit(url).hostname in ("localhost", "127.0.0.1") or url.startswith(("data:", "blob:"))


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium (the system one: `playwright install` is not used). Each of its contexts notes a request
    for anything but our own server in OFFSITE: the app works offline (README "Two commands"), so a test fails on one
    (`_offline`)."""
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        new_context = chromium.new_context

        def watched(**options):
            context = new_context(**options)
            context.on("request", lambda request: None if _ours(request.url) else OFFSITE.append(request.url))
            return context

        chromium.new_context = watched
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _offline() -> Iterator[None]:
    """Fails a browser test whose pages asked for anything off our own server (a CDN script, a web font, an icon)."""
    OFFSITE.clear()
    yield
    assert OFFSITE == [], f"requests off our server: {sorted(set(OFFSITE))}"


SCREENS = {"desktop": {"viewport": DESKTOP}, "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True}}
LEAVE = """() => { try { localStorage.clear(); sessionStorage.clear(); } catch (e) {} }"""


@pytest.fixture(scope="session")
def _tabs(browser: Browser) -> Iterator[dict[str, Page]]:
    """One browser tab per kind of screen, kept for the session and lent to one test at a time (`page`,
    `phone_page`): a tab that stays open keeps its scripts compiled and cached, and a page load in it costs about a
    third of the processor time of one in a new context (1.4 against 4.5 CPU seconds for the categories page)."""
    tabs: dict[str, Page] = {}
    yield tabs
    for tab in tabs.values():
        with contextlib.suppress(Exception):
            tab.context.close()


@contextlib.contextmanager
def _lent_tab(browser: Browser, tabs: dict[str, Page], screen: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """The session's tab for `screen`, as a new one would be: no cookie, nothing stored, the screen's size. Left on
    about:blank after the test (its Streamlit session ends) and without the test's listeners, with a screenshot under
    /tmp if the test failed; a tab that cannot be left that way is closed, and the next test gets a new one."""
    tab = tabs.get(screen)
    if tab is None or tab.is_closed():
        context = browser.new_context(locale="zh-CN", **SCREENS[screen])
        context.set_default_timeout(TIMEOUT_MS)
        tab = tabs[screen] = context.new_page()
    added: list[tuple[str, Callable]] = []  # the test's own listeners (page.on), taken off after it

    def on(event: str, handler: Callable) -> None:
        added.append((event, handler))
        Page.on(tab, event, handler)

    tab.on = on
    try:
        yield tab
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            path = Path(tempfile.gettempdir()) / f"e2e_{request.node.name}.png"
            with contextlib.suppress(Exception):
                tab.screenshot(path=str(path), full_page=True)
                print(f"screenshot: {path}")
    finally:
        del tab.on
        for event, handler in added:
            tab.remove_listener(event, handler)
        try:
            tab.evaluate(LEAVE)
            tab.goto("about:blank")
            tab.context.clear_cookies()
            tab.set_viewport_size(SCREENS[screen]["viewport"])
        except Exception:
            with contextlib.suppress(Exception):
                tab.context.close()
            tabs.pop(screen, None)


@pytest.fixture
def page(browser: Browser, _tabs: dict[str, Page], request: pytest.FixtureRequest) -> Iterator[Page]:
    """A desktop tab (1400×900), clean as a new one: the session's (`_tabs`)."""
    with _lent_tab(browser, _tabs, "desktop", request) as tab:
        yield tab


@pytest.fixture
def phone_page(browser: Browser, _tabs: dict[str, Page], request: pytest.FixtureRequest) -> Iterator[Page]:
    """Like `page`, on a phone-sized touch screen (390×844)."""
    with _lent_tab(browser, _tabs, "phone", request) as tab:
        yield tab


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def figure_value(page: Page, label: str) -> Locator:
    """The value of the figure card (ui.cards) labelled exactly `label`."""
    return page.locator(f'[data-testid="figure"][data-label={json.dumps(label, ensure_ascii=False)}] .figure-value')


def wait_for_app(page: Page, timeout: int = TIMEOUT_MS) -> None:
    """Wait until the script run has finished and nothing is still loading."""
    expect(page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")).to_be_attached(timeout=timeout)
    expect(
        page.locator("[data-testid='stSkeleton'], [data-testid='stAppSkeleton'], [data-testid='stSpinner']")
    ).to_have_count(0, timeout=timeout)
