"""Separate processes that publish ledgers, for the concurrency, backup and SIGKILL tests of the store.

`start(url, by, *paths)` starts one: it opens the store, reads each file as an upload would be read, then publishes
each in turn, saying "PUBLISHED <version id>" after each. With `wait=True` it says "READY" once its files are read
and waits for `go()`; with `wait="open"` it does so before even opening the store. With `pause_at` it stops at one
moment of its work, says so and waits there for the test to kill it:

    "reading"     says "READING" as it starts reading its first file, and goes on (it is killed while it reads)
    "writing"     in the transaction that publishes its last file, as the measures are about to be written (the
                  version and its original files are written already): says "WRITING" and waits
    "committing"  in the transaction that publishes its last file, every row written, just before the COMMIT: says
                  "COMMITTING" and waits

Each publisher is its own process with its own connections, killed or left to finish on its own. It is forked from
multiprocessing's fork server, which imports the store and the reading code once per test process: a fresh
`python -m ...` per publisher spent about 1.3 CPU-seconds on imports before its first statement, more than its
publishing did.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import traceback
from datetime import date, datetime
from multiprocessing.connection import Connection
from pathlib import Path

import sqlalchemy as sa

from ledger.publishing import check_upload, publish
from ledger.store import Store

CONTEXT = multiprocessing.get_context("forkserver")
CONTEXT.set_forkserver_preload([__name__])  # what the fork server imports before it forks any publisher
PLAN = "意识形态工作责任制专项整治方案"
STAGES = ("reading", "writing", "committing")


class Publisher:
    """One publishing process, seen from the test: its messages one by one, a word to it, its end."""

    def __init__(self, url: str, by: str, paths: tuple[Path, ...], wait: bool | str, pause_at: str | None):
        if pause_at is not None and pause_at not in STAGES:
            raise ValueError(f"pause_at: one of {STAGES}")
        self._conn, theirs = CONTEXT.Pipe()
        self.process = CONTEXT.Process(
            target=_main, args=(theirs, url, by, [str(path) for path in paths], wait, pause_at), name=f"publisher-{by}"
        )
        self.process.start()
        theirs.close()
        self.said: list[str] = []

    def readline(self, timeout: float = 120) -> str:
        """The next thing it says (as a line of its output would be, without the newline)."""
        if not self._conn.poll(timeout):
            raise TimeoutError(f"{self.process.name} said nothing in {timeout} s; so far: {self.said}")
        line = self._conn.recv()
        self.said.append(line)
        return line

    def go(self) -> None:
        self._conn.send("GO")

    def running(self) -> bool:
        return self.process.is_alive()

    def finish(self, timeout: float = 120) -> str:
        """Wait for it to end; what it said that was not read yet, one line each (as `communicate` gives a
        process's remaining output)."""
        self.process.join(timeout)
        if self.process.exitcode is None:
            raise TimeoutError(f"{self.process.name} still running after {timeout} s")
        read = len(self.said)
        try:
            while self._conn.poll():
                self.readline()
        except EOFError:
            pass
        return "".join(f"{line}\n" for line in self.said[read:])

    @property
    def returncode(self) -> int | None:
        return self.process.exitcode

    def kill(self) -> None:
        """SIGKILL, as a power cut or the OOM killer would end it; returns once it is gone. Its reading worker, if
        it has one at that moment, is killed with it: left alone, that worker would wait forever to hand over a
        result nobody reads (the fork it came from kept both ends of the pipe)."""
        with contextlib.suppress(ProcessLookupError):  # its process group: itself and its reading worker
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.join(30)


def start(url: str, by: str, *paths: Path, wait: bool | str = False, pause_at: str | None = None) -> Publisher:
    return Publisher(url, by, paths, wait, pause_at)


def _main(conn: Connection, url: str, by: str, paths: list[str], wait: bool | str, pause_at: str | None) -> None:
    os.setpgid(0, 0)  # a group of its own, before it says anything: the test kills it and its reading worker at once
    try:
        _publish(conn, url, by, paths, wait, pause_at)
    except BaseException:
        conn.send(traceback.format_exc())  # the test shows it; the process still ends with a failing exit code
        raise


def _publish(conn: Connection, url: str, by: str, paths: list[str], wait: bool | str, pause_at: str | None) -> None:
    if wait == "open":
        conn.send("READY")
        conn.recv()
    store = Store(url)
    prepared = []
    for path in map(Path, paths):
        if pause_at == "reading" and not prepared:
            conn.send("READING")
        files = [(path.name, path.read_bytes())]
        prepared.append((files, check_upload(store, files, date(2019, 6, 1))))
    plan = store.plan_for(PLAN, created_at=datetime(2019, 6, 1))
    if wait is True:
        conn.send("READY")
        conn.recv()
    for number, (files, ledger) in enumerate(prepared, 1):
        if pause_at in ("writing", "committing") and number == len(prepared):
            _pause_in_the_next_transaction(store, conn, pause_at)
        result = publish(store, files, ledger, plan=plan.id, uploaded_by=by, uploaded_at=datetime(2019, 6, 1, 9, 0))
        conn.send(f"PUBLISHED {result.version.id}")


def _pause_in_the_next_transaction(store: Store, conn: Connection, stage: str) -> None:
    """Say the stage and wait (for a kill; the test never answers) at that moment of the next publish."""

    def pause(*_args) -> None:
        conn.send(stage.upper())
        conn.recv()

    if stage == "committing":
        sa.event.listen(store.engine, "commit", pause)  # before the driver's COMMIT
    else:

        def before(_conn, _cursor, statement: str, *_args) -> None:
            if statement.lstrip().upper().startswith("INSERT INTO LEDGER_TASKS"):
                pause()

        sa.event.listen(store.engine, "before_cursor_execute", before)
