"""Suite-wide rules: in CI (CI=true) a skipped test is a failure, and a run that executes no test fails; a string
key missing from ledger/i18n.py, or a parameter its text needs and was not given, fails the test that shows it."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import subprocess

import pytest

from ledger.i18n import STRICT_ENV

pytest_plugins = ["tests.cpu_budget"]  # `--cpu`: processor seconds per test file

# Set before any test runs and inherited by every process the tests start (command line, workers, the served app).
os.environ[STRICT_ENV] = "1"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if hasattr(session.config, "workerinput"):  # a pytest-xdist worker: the controller counts every worker's tests
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    ran = sum(len(reporter.stats.get(kind, [])) for kind in ("passed", "failed", "xfailed", "xpassed"))
    skipped = len(reporter.stats.get("skipped", []))
    if session.config.option.collectonly:
        return
    if ran == 0:
        reporter.write_line("no test was executed: counted as a failure", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    elif skipped and in_ci():
        reporter.write_line(f"{skipped} tests skipped in CI: skips count as failures here", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


POSTGRES_FIXTURES = {"postgres", "own_postgres", "cluster"}  # fixtures that start a real PostgreSQL server


SHARED_SCOPES = ("module", "class", "package")


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the xdist_group markers
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test that starts PostgreSQL (a PostgreSQL fixture, or a parameter named "postgres") carries the
    `postgres` marker, so `-m "not postgres"` really leaves them out: an unmarked one stops the run.

    In parallel runs (pytest-xdist, `--dist loadgroup` in tests/run.sh) the tests of a file that share a fixture (a
    module's server, a store built once, a story told test by test) run together, in order, in one worker: they
    carry `xdist_group(<file>)`. Every other test, in that file too, goes to whichever worker is free."""

    def shares_fixtures(item: pytest.Item) -> bool:
        info = getattr(item, "_fixtureinfo", None)
        definitions = info.name2fixturedefs.values() if info is not None else ()
        return any(fixturedef.scope in SHARED_SCOPES for found in definitions for fixturedef in found)

    for item in items:
        if shares_fixtures(item):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))

    def uses_postgres(item: pytest.Item) -> bool:
        callspec = getattr(item, "callspec", None)
        return bool(POSTGRES_FIXTURES & set(getattr(item, "fixturenames", ()))) or (
            callspec is not None and "postgres" in callspec.params.values()
        )

    unmarked = [item.nodeid for item in items if uses_postgres(item) and item.get_closest_marker("postgres") is None]
    if unmarked:
        raise pytest.UsageError("tests that start PostgreSQL without the postgres marker: " + ", ".join(unmarked))


@pytest.fixture(scope="session")
def sample_ledger():
    """The bundled sample ledger (data/sample_ledger.xlsx), read as an upload would be."""
    from pathlib import Path

    from tests.sheets import load

    path = Path(__file__).resolve().parent.parent / "data" / "sample_ledger.xlsx"
    return load((path.name, path.read_bytes()))


@pytest.hookimpl(tryfirst=True)
def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked `sqlite_only` (say `pytestmark = pytest.mark.sqlite_only`) gets the `url` and `store`
    fixtures on SQLite alone, as if it were parametrized so itself."""
    definition = metafunc.definition
    if not (definition.get_closest_marker("sqlite_only") and "url" in metafunc.fixturenames):
        return
    for mark in definition.iter_markers("parametrize"):
        names = mark.args[0] if mark.args else mark.kwargs.get("argnames", ())
        if "url" in ([name.strip() for name in names.split(",")] if isinstance(names, str) else names):
            return
    definition.add_marker(pytest.mark.parametrize("url", ["sqlite"], indirect=True))


@pytest.fixture(autouse=True)
def navigation_mode(monkeypatch):
    """Run AppTest in the steady state of a real server.

    Streamlit starts each process in "pages directory" mode because pages/ exists, and leaves it for good at the
    first st.navigation call. AppTest resets that flag before every run, so each run would begin in the start-up
    mode and lose widget changes on its way through dashboard.py; pin it to navigation mode instead. The first
    visit after a server start is covered by the browser tests."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


# argon2id as the app hashes passwords, at the lowest cost: the tests hash and check thousands of passwords, and at
# the app's 64 MiB a check (ledger/accounts.py) the login and throttle tests alone took over 100 s of a serial run.
# Only this process is changed: the servers and commands the tests start hash at full cost (and the browser tests
# log in through them), and a hash of either kind verifies in both.
CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashes():
    from argon2 import PasswordHasher

    from ledger import accounts

    patch = pytest.MonkeyPatch()
    patch.setattr(accounts, "_hasher", PasswordHasher(**CHEAP_ARGON2))
    accounts.dummy_hash.cache_clear()
    yield
    patch.undo()
    accounts.dummy_hash.cache_clear()


@pytest.fixture(autouse=True, scope="session")
def _test_database(tmp_path_factory):
    """Pages and commands under test use a database of their own, never data/ledger.db."""
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'ledger.db'}"
    patch = pytest.MonkeyPatch()
    patch.setenv("LEDGER_DB_URL", url)
    patch.delenv("LEDGER_EDITOR_PASSWORD", raising=False)
    yield url
    patch.undo()


_databases = itertools.count()


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL server for the session (tests/postgres.py); skipped when none can start."""
    from tests.postgres import PostgresServer

    try:
        server = PostgresServer().start()
    except (FileNotFoundError, subprocess.CalledProcessError) as problem:
        pytest.skip(f"no PostgreSQL server: {problem}")
    yield server
    with contextlib.suppress(subprocess.CalledProcessError):  # as own_postgres: a server already gone is stopped
        server.stop()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory):
    """A migrated, empty SQLite store (its files), copied for each test's `store`."""
    from ledger.store import Store

    folder = tmp_path_factory.mktemp("template")
    Store(f"sqlite:///{folder / 'ledger.db'}").dispose()
    return sorted(folder.glob("ledger.db*"))


@pytest.fixture(scope="session")
def _postgres_template(postgres):
    """A migrated, empty database on the session's PostgreSQL server, the template of each test's `store`: a copy
    is made in a tenth of the time the tables, indexes and triggers take to create."""
    from ledger.store import Store
    from tests.postgres import fresh_database

    Store(fresh_database(postgres.admin_url, "ledger_template")).dispose()  # no connection left: a template
    return "ledger_template"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    """A fresh store's URL: SQLite, and a new database on the session's PostgreSQL server. Empty; but for a test
    that opens the `store` fixture on it, already a copy of a migrated, empty store (what opening it would make)."""
    from tests.postgres import fresh_database

    migrated = "store" in request.fixturenames
    if request.param == "sqlite":
        if migrated:
            for path in request.getfixturevalue("_sqlite_template"):
                shutil.copyfile(path, tmp_path / path.name)
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    admin_url = request.getfixturevalue("postgres").admin_url
    template = request.getfixturevalue("_postgres_template") if migrated else None
    return fresh_database(admin_url, f"ledger_{next(_databases)}", template)


@pytest.fixture
def store(url):
    """A fresh, empty store on each engine (on SQLite only for a test marked `sqlite_only`); a test file that needs
    one filled in extends it (`def store(store): ...`)."""
    from ledger.store import Store

    store = Store(url)
    yield store
    store.dispose()


@pytest.fixture
def app():
    """tests/apptest.py's `app`: the dashboard in AppTest, run once (`app(token, page, state=..., **query)`)."""
    from tests.apptest import app

    return app


@pytest.fixture
def log_in():
    """tests/apptest.py's `log_in(at, name, password)`: the login form filled in and sent."""
    from tests.apptest import log_in

    return log_in
