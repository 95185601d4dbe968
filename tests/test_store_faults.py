"""The database under faults: a server that never answers, a full disk, a read-only or damaged database, a server
that drops before Publish. Each gets a clear message on the page and on the command line within seconds, nothing
partial is stored, and what was stored stays readable."""

from __future__ import annotations

import contextlib
import re
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ledger.cli import run
from ledger.i18n import translate
from ledger.sample import import_history, scaled_workbook
from ledger.store import DEMO_PLAN_NAME, Store
from tests.cards import figures
from tests.postgres import PostgresServer, fresh_database
from tests.sheets import week_five

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOTHING = {"ledger_versions": 0, "ledger_files": 0, "ledger_phases": 0, "ledger_tasks": 0}


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.2)
    held, stop = [], threading.Event()

    def accept() -> None:
        while not stop.is_set():
            with contextlib.suppress(OSError):
                held.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()


def sample_store(path: Path) -> str:
    url = f"sqlite:///{path}"
    store = Store(url)
    import_history(store, DATA)
    store.dispose()
    return url


def page(url: str, monkeypatch, target: str | None = None) -> AppTest:
    monkeypatch.setenv("LEDGER_DB_URL", url)
    at = AppTest.from_file("../dashboard.py", default_timeout=60).run()
    if target:
        at.switch_page(target).run()
    return at


def editor_page(url: str, monkeypatch) -> AppTest:
    """The Upload page, logged in as an editor."""
    monkeypatch.setenv("LEDGER_EDITOR_PASSWORD", "correct horse")
    at = page(url, monkeypatch, "pages/upload.py")
    at.text_input(key="editor_password_input").input("correct horse")
    at.button[0].click().run()
    return at


def test_a_database_that_never_answers_is_reported_within_ten_seconds_by_the_command_line(capsys):
    with silent_server() as port:
        started = time.monotonic()
        code = run(["history", "--db", f"postgresql+psycopg://ledger:secret@127.0.0.1:{port}/ledger"])
        seconds = time.monotonic() - started
    assert code == 1 and seconds <= 10
    err = capsys.readouterr().err
    assert translate("store.unavailable", "zh") in err and "secret" not in err


def test_a_database_that_never_answers_is_reported_within_ten_seconds_on_the_page(monkeypatch):
    with silent_server() as port:
        started = time.monotonic()
        at = page(f"postgresql+psycopg://ledger@127.0.0.1:{port}/ledger", monkeypatch)
        seconds = time.monotonic() - started
    assert not at.exception and seconds <= 10
    assert [error.value for error in at.error] == [translate("store.unavailable", "zh")]


def _file_size_limit() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (400_000, 400_000))


def _small_disk(folder: Path) -> tuple[str, Callable | None, Callable]:
    """A disk that really runs out: a 1 MiB tmpfs where mounting is allowed (as root in CI), else the kernel's
    file size limit on the publishing process. Returns the message expected, the limit to apply, the clean-up."""
    folder.mkdir()
    mounted = (
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True).returncode
        == 0
    )
    if mounted:
        return "store.full", None, lambda: subprocess.run(["umount", "--lazy", str(folder)], check=False)
    return "store.io", _file_size_limit, lambda: None


def test_a_full_disk_gives_a_clear_message_stores_nothing_and_keeps_the_history_readable(tmp_path):
    code, limit, cleanup = _small_disk(tmp_path / "disk")
    try:
        url = sample_store(tmp_path / "disk" / "ledger.db")
        opened = Store(url)
        before = opened.counts()
        opened.dispose()
        big = tmp_path / "big.xlsx"
        big.write_bytes(scaled_workbook(8000))
        done = subprocess.run(
            [sys.executable, "-m", "ledger", "publish", str(big), "--db", url, "--plan", "新方案"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            preexec_fn=limit,
        )
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert translate(code, "zh") in done.stderr
        store = Store(url)
        assert store.counts() == before and [s.versions for s in store.plans()] == [4]
        store.dispose()
    finally:
        cleanup()


def read_only(url: str) -> str:
    """The same SQLite database opened read-only, as an operator configures it (SQLite's mode=ro)."""
    return f"sqlite:///file:{url.removeprefix('sqlite:///')}?mode=ro&uri=true"


def test_a_read_only_database_can_be_viewed_but_publishing_says_why_not(tmp_path, capsys):
    url = read_only(sample_store(tmp_path / "ledger.db"))
    assert run(["history", "--db", url, "--plan", DEMO_PLAN_NAME]) == 0 and "第4版" in capsys.readouterr().out
    path = tmp_path / "week5.xlsx"
    path.write_bytes(week_five())
    assert run(["publish", str(path), "--db", url, "--plan", "新方案"]) == 1
    assert translate("store.read_only", "zh") in capsys.readouterr().err
    assert [s.versions for s in Store(url).plans()] == [4]


def test_a_read_only_database_shows_its_pages_and_refuses_a_publish_clearly(tmp_path, monkeypatch):
    url = read_only(sample_store(tmp_path / "ledger.db"))
    assert figures(page(url, monkeypatch))["整改措施"] == "17"
    at = editor_page(url, monkeypatch)
    at.file_uploader[0].set_value(("第五周.xlsx", week_five(), XLSX)).run()
    at.button(key="publish").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["未发布：" + translate("store.read_only", "zh")]
    assert [s.versions for s in Store(url).plans()] == [4]


def test_a_damaged_database_file_is_named_as_such_on_the_page_and_the_command_line(tmp_path, monkeypatch, capsys):
    path = tmp_path / "ledger.db"
    path.write_bytes(b"this is not a database" * 500)
    url = f"sqlite:///{path}"
    assert run(["history", "--db", url]) == 1
    assert translate("store.corrupt", "zh") in capsys.readouterr().err
    at = page(url, monkeypatch)
    assert not at.exception and [e.value for e in at.error] == [translate("store.corrupt", "zh")]


@pytest.fixture
def own_postgres():
    try:
        server = PostgresServer().start()
    except (FileNotFoundError, subprocess.CalledProcessError) as problem:
        pytest.skip(f"no PostgreSQL server: {problem}")
    yield server
    with contextlib.suppress(subprocess.CalledProcessError):
        server.stop()


@pytest.mark.postgres
def test_a_server_that_drops_just_before_publish_stores_nothing_and_publishing_works_once_it_is_back(
    own_postgres, monkeypatch
):
    url = fresh_database(own_postgres.admin_url, "ledger_drop")
    at = editor_page(url, monkeypatch)
    at.file_uploader[0].set_value(("第五周.xlsx", week_five(), XLSX)).run()
    assert at.success[0].value.startswith("检查通过")
    own_postgres.halt()
    at.button(key="publish").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [translate("store.unavailable", "zh")]
    own_postgres.resume()
    at.run()
    assert [e.value for e in at.error] == ["未发布：" + translate("store.unavailable", "zh")]
    assert [s.versions for s in Store(url).plans()] == [4]  # the demo weeks; nothing partial from the failed publish
    at.button(key="publish").click().run()
    # after a crash PostgreSQL's id sequence moves on, so the number is not 5; the version is the one published
    assert re.fullmatch(r"已发布为“.+”的第 1 版（填报日期 2019-06-03），所有页面已更新。", at.success[0].value)
    real = [s for s in Store(url).plans() if not s.plan.demo]
    assert [(s.versions, s.latest_report_date.isoformat()) for s in real] == [(1, "2019-06-03")]
