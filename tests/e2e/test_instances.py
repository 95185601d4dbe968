"""Two app instances on one real PostgreSQL (deployments that outgrow one machine): two `streamlit run
dashboard.py` processes on two ports with the same LEDGER_DB_URL, started at the same moment on a fresh database.
Both come up; an account logs in on either, its sessions are rows in the database that every instance checks on
each run; a version published through one instance is shown by the other on its next rerun."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime

import psycopg
import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from ledger import accounts
from ledger.i18n import translate
from ledger.publishing import check_upload, publish
from ledger.report import summary
from ledger.sample import history_files
from ledger.store import DEMO_PLAN_NAME, SCHEMA_VERSION, Store, meta_table, sessions_table
from ledger.store.migrations import _MIGRATION_LOCK
from tests.conftest import in_ci
from tests.e2e.conftest import ROOT, _lent_tab, figure_value, streamlit_server, wait_for_app
from tests.postgres import PostgresServer, fresh_database
from tests.sheets import week_five

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

ADMIN, PASSWORD = "系统管理员", "整改台账-七号-2019"
PLAN = "全市教育系统意识形态整改方案"
REPORTED = date(2019, 6, 3)
NEXT_WEEK = {15: {"status": "已完成", "progress": 100, "completed_on": date(2019, 6, 1), "evidence": "舆情研判制度"}}

# An instance's first run, on its own: what dashboard.py's first visit does to the store (ui.source._store opens
# it, creating the tables, the demo plan and the first admin), released by a line on stdin.
FIRST_RUN = """
import sys
from ui import source
print("READY", flush=True)
sys.stdin.readline()
source._store(sys.argv[1])
print("UP", flush=True)
"""


def zh(key: str, **params: object) -> str:
    return translate(key, "zh", **params)


@dataclass
class Cluster:
    db_url: str
    urls: tuple[str, str]
    _store: Store | None = None

    @property
    def store(self) -> Store:
        """This test process's own connection to the shared database, opened on first use: the instances must
        be the first to open (and so create) the database."""
        if self._store is None:
            self._store = Store(self.db_url)
        return self._store


@contextlib.contextmanager
def two_servers(env: dict[str, str], failed, show) -> Iterator[tuple[str, str]]:
    """Two dashboard processes started at the same moment (each waits for its own health check in a thread);
    both are stopped at the end, and a server that came up is stopped even when the other did not."""
    servers = [streamlit_server(failed, show, env) for _ in range(2)]
    with contextlib.ExitStack() as stack:
        with ThreadPoolExecutor(2) as pool:
            futures = [pool.submit(server.__enter__) for server in servers]
        urls, problems = [], []
        for server, future in zip(servers, futures, strict=True):
            if future.exception() is None:
                urls.append(future.result())
                stack.push(server)
            else:
                problems.append(future.exception())
        if problems:
            raise problems[0]
        yield urls[0], urls[1]


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    try:
        server = PostgresServer().start()
    except (FileNotFoundError, subprocess.CalledProcessError) as problem:
        message = f"no PostgreSQL server: {problem}"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    yield server
    with contextlib.suppress(subprocess.CalledProcessError):
        server.stop()


@pytest.fixture(scope="module")
def cluster(postgres: PostgresServer, browser: Browser, request: pytest.FixtureRequest) -> Iterator[Cluster]:
    """Two instances on one fresh, empty database; the first admin comes from LEDGER_ADMIN_PASSWORD (both
    instances are given it, as a deployment would). Their logs are shown if a test of this module failed."""
    db_url = fresh_database(postgres.admin_url, "two_instances")
    env = {"LEDGER_DB_URL": db_url, "LEDGER_ADMIN_NAME": ADMIN, "LEDGER_ADMIN_PASSWORD": PASSWORD}
    failed_before = request.session.testsfailed
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    show = (lambda text: reporter.write_line("\n" + text)) if reporter else print
    with two_servers(env, lambda: request.session.testsfailed > failed_before, show) as urls:
        cluster = Cluster(db_url, urls)
        yield cluster
        if cluster._store is not None:
            cluster._store.dispose()


@pytest.fixture(scope="module")
def _second_tabs(browser: Browser) -> Iterator[dict[str, Page]]:
    """The module's second desktop tab (a browser context of its own, kept for the module): the second person of a
    test, with cookies of their own, beside the one in `page`. Kept open, it loads the instance again at about a
    third of the processor time of a new context."""
    tabs: dict[str, Page] = {}
    yield tabs
    for second in tabs.values():
        with contextlib.suppress(Exception):
            second.context.close()


@pytest.fixture
def other(browser: Browser, _second_tabs: dict[str, Page], request: pytest.FixtureRequest) -> Iterator[Page]:
    """A second person's desktop tab (1400×900), clean as a new one, lent like `page` (its own Streamlit session
    and cookies, at the same time as `page`'s)."""
    with _lent_tab(browser, _second_tabs, "desktop", request) as second:
        yield second


def no_exception(page: Page, errors: bool = False) -> None:
    """No traceback; with `errors`, no error message either (the overview shows phases behind schedule as one)."""
    expect(page.get_by_test_id("stException")).to_have_count(0)
    if not errors:
        expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)


def shows_login(page: Page) -> None:
    expect(page.locator("h1")).to_have_text(zh("access.login_title"))
    expect(page.get_by_test_id("stForm")).to_be_visible()
    wait_for_app(page)
    no_exception(page)


def log_in(page: Page, url: str) -> None:
    """Open the instance and log in as the admin; the sidebar then names who is logged in."""
    page.goto(url)
    shows_login(page)
    form = page.get_by_test_id("stForm")
    form.get_by_label(zh("access.name")).fill(ADMIN)
    form.get_by_label(zh("access.account_password")).fill(PASSWORD)
    form.get_by_role("button", name=zh("access.login")).click()
    expect(badge(page)).to_be_visible()
    wait_for_app(page)


def badge(page: Page):
    return page.get_by_test_id("stSidebar").get_by_text(
        zh("access.signed_in", name=ADMIN, role=zh("role.admin")), exact=True
    )


def rerun_by_sidebar(page: Page, page_key: str, title_key: str) -> None:
    """A rerun of this session (not a new one): follow a sidebar page link."""
    page.get_by_test_id("stSidebarNav").locator("a").filter(has_text=zh(page_key)).first.click()
    expect(page.locator("h1")).to_have_text(zh(title_key))
    wait_for_app(page)


def metric(page: Page, label: str):
    return figure_value(page, label)


def shows_figures(page: Page, figures: dict) -> None:
    """The overview's headline figures are `summary`'s on that ledger."""
    expect(metric(page, zh("overview.measures"))).to_have_text(str(figures["tasks"]))
    expect(metric(page, zh("overview.completion"))).to_have_text(f"{figures['completion_pct']:.1f}%")
    expect(metric(page, zh("overview.overdue"))).to_have_text(str(len(figures["overdue"])))


def version_picker(page: Page):
    return page.get_by_test_id("stSidebar").get_by_role("combobox", name=zh("sidebar.version"))


def sessions(store: Store) -> list[dict]:
    with store.engine.connect() as conn:
        return [
            dict(row)
            for row in conn.execute(sa.select(sessions_table).order_by(sessions_table.c.created_at)).mappings()
        ]


def test_two_instances_started_at_once_on_a_fresh_database_both_come_up(cluster: Cluster, page: Page, other: Page):
    """Test that two instances started together on an empty PostgreSQL database both serve their first visits,
    opened at the same moment: one schema, one demo plan with the sample's weeks, one first admin."""
    # Both navigations start together, so both first runs (schema, demo plan, first admin) race each other.
    for tab, url in zip((page, other), cluster.urls, strict=True):
        tab.evaluate("url => setTimeout(() => location.assign(url), 0)", url)
    for tab in (page, other):
        shows_login(tab)
    with cluster.store.engine.connect() as conn:
        assert conn.execute(
            sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")
        ).scalars().all() == [str(SCHEMA_VERSION)]
    plans = cluster.store.plans()
    assert [(s.plan.name, s.plan.demo, s.versions) for s in plans] == [(DEMO_PLAN_NAME, True, len(history_files()))]
    assert [(u.name, u.role) for u in accounts.users(cluster.store)] == [(ADMIN, "admin")]


def test_a_login_works_on_both_instances_and_its_session_lives_in_the_database(
    cluster: Cluster, page: Page, other: Page
):
    """Test that one account logs in on either instance, each login a session row in the shared database; logging
    out on instance 1 ends its row, and instance 2 checks its own session against the database on every run."""
    one, two = page, other  # two browsers: a login on one is not the other's (cookies are per host, not per port)
    before = len(sessions(cluster.store))
    log_in(one, cluster.urls[0])
    log_in(two, cluster.urls[1])
    rows = sessions(cluster.store)[before:]
    assert len(rows) == 2 and all(row["ended_at"] is None for row in rows)

    one.get_by_test_id("stSidebar").get_by_role("button", name=zh("access.logout_account")).click()
    shows_login(one)
    ended, open_ = sessions(cluster.store)[before:]
    assert ended["ended_at"] is not None and open_["ended_at"] is None  # instance 1's row, not instance 2's

    rerun_by_sidebar(two, "page.history", "history.title")  # instance 2's session is untouched
    expect(badge(two)).to_be_visible()
    with cluster.store.transaction() as conn:  # as disabling the account or a password reset anywhere would
        conn.execute(sessions_table.update().where(sessions_table.c.ended_at.is_(None)).values(ended_at=datetime.now()))
    two.get_by_test_id("stSidebarNav").locator("a").filter(has_text=zh("page.overview")).first.click()
    shows_login(two)  # its next run found the session ended in the database


def test_a_version_published_through_one_instance_is_shown_by_the_other_on_its_next_rerun(
    cluster: Cluster, page: Page, other: Page, tmp_path
):
    """Test that a ledger published on instance 1's Upload page shows on instance 2 at its next rerun (a sidebar page
    link, in the same session): the sidebar's version picker names the new version as the newest, and the
    overview's figures change from `summary`'s on the version before to `summary`'s on the new one."""
    store = cluster.store
    plan = store.plan_named(PLAN) or store.create_plan(PLAN, created_at=datetime(2019, 5, 27, 17))
    first = [("整改台账_第一周.xlsx", week_five())]
    publish(
        store,
        first,
        check_upload(store, first, REPORTED, plan_id=plan.id),
        plan=plan.id,
        uploaded_by="办公室",
        uploaded_at=datetime(2019, 6, 3, 17),
    )
    upload = tmp_path / "整改台账_2019-06-03.xlsx"
    upload.write_bytes(week_five(NEXT_WEEK))
    before = summary(check_upload(store, first, REPORTED, plan_id=plan.id))
    after = summary(check_upload(store, [(upload.name, upload.read_bytes())], REPORTED, plan_id=plan.id))
    assert (before["completion_pct"], len(before["overdue"])) != (after["completion_pct"], len(after["overdue"]))

    one, two = page, other  # two browsers: each its own login
    log_in(two, cluster.urls[1])
    expect(version_picker(two)).to_have_value(
        zh("sidebar.latest", label=zh("version.label", n=1, day=REPORTED.isoformat()))
    )
    shows_figures(two, before)

    log_in(one, cluster.urls[0])
    rerun_by_sidebar(one, "page.upload", "upload.title")
    one.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(upload))
    expect(one.get_by_text(zh("upload.verdict_ok", errors=0, warnings=1))).to_be_visible()
    wait_for_app(one)
    one.get_by_role("button", name=zh("upload.publish")).click()
    expect(one.get_by_text(zh("upload.published", plan=PLAN, n=2, day=REPORTED.isoformat()))).to_be_visible()
    no_exception(one)

    label = zh("version.label", n=2, day=REPORTED.isoformat())
    rerun_by_sidebar(two, "page.history", "history.title")
    expect(version_picker(two)).to_have_value(zh("sidebar.latest", label=label))
    no_exception(two)
    rerun_by_sidebar(two, "page.overview", "overview.title")
    shows_figures(two, after)
    no_exception(two, errors=True)


def waiting_for_the_migration_lock(conn: psycopg.Connection) -> int:
    """How many connections wait for ledger.store's schema lock (a PostgreSQL advisory lock on one bigint key)."""
    return conn.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = %s AND objid = %s",
        (_MIGRATION_LOCK >> 32, _MIGRATION_LOCK & 0xFFFFFFFF),
    ).fetchone()[0]


def test_first_runs_of_two_instances_at_the_same_moment_create_the_demo_plan_and_the_first_admin_once(
    postgres: PostgresServer,
):
    """Test that two instances' first runs on an empty database, both held at the schema lock and let go at once,
    both open the store: the tables, the demo plan with the sample's weeks and the first admin exist once, and
    neither run fails on what the other created a moment before."""
    db_url = fresh_database(postgres.admin_url, "two_first_runs")
    env = {**os.environ, "LEDGER_DB_URL": db_url, "LEDGER_ADMIN_NAME": ADMIN, "LEDGER_ADMIN_PASSWORD": PASSWORD}
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", FIRST_RUN, db_url],
            cwd=ROOT,
            env=env,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    try:
        for run in runs:
            assert run.stdout.readline().strip() == "READY"
        with psycopg.connect(db_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as held:
            held.execute("SELECT pg_advisory_lock(%s)", (_MIGRATION_LOCK,))
            for run in runs:
                run.stdin.write("GO\n")
                run.stdin.flush()
            deadline = time.monotonic() + 30
            while waiting_for_the_migration_lock(held) < 2:  # both found no tables and wait to create them
                assert time.monotonic() < deadline and all(run.poll() is None for run in runs)
                time.sleep(0.05)
            held.execute("SELECT pg_advisory_unlock(%s)", (_MIGRATION_LOCK,))
        outputs = [run.communicate(timeout=120) for run in runs]
    finally:
        for run in runs:
            if run.poll() is None:
                run.kill()
                run.wait()
    assert [run.returncode for run in runs] == [0, 0], "\n".join(err for _, err in outputs)
    assert [out.split() for out, _ in outputs] == [["UP"], ["UP"]]
    store = Store(db_url)
    try:
        with store.engine.connect() as conn:
            assert conn.execute(
                sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")
            ).scalars().all() == [str(SCHEMA_VERSION)]
        assert [(s.plan.name, s.versions) for s in store.plans()] == [(DEMO_PLAN_NAME, len(history_files()))]
        assert store.sample_imported()
        assert [(u.name, u.role) for u in accounts.users(store)] == [(ADMIN, "admin")]
    finally:
        store.dispose()


def test_one_login_is_recognised_by_the_other_instance(cluster: Cluster, page: Page):
    """Test that a login made through instance 1 opens instance 2 in the same browser without logging in again, as
    after a fail-over behind a proxy: the browser's cookie carries the token, instance 2 finds its session in the
    shared database (cookies are per host, not per port, so both instances here share it as behind one address)."""
    before = len(sessions(cluster.store))
    log_in(page, cluster.urls[0])
    page.goto(cluster.urls[1])  # the same tab loads the app from the other instance, as a reload after a fail-over
    expect(badge(page)).to_be_visible()
    wait_for_app(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)  # (the overview's own alerts may show)
    rows = sessions(cluster.store)[before:]
    assert len(rows) == 1 and rows[0]["ended_at"] is None  # the same session, not a second login
