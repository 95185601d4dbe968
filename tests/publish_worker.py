"""Separate processes that publish ledgers, for the concurrency, backup and SIGKILL tests of the store.

`start(url, by, *paths)` starts one (`python -m tests.publish_worker`): it opens the store, reads each file as an
upload would be read, then publishes each in turn, saying "PUBLISHED <version id>" after each. With `wait=True` it
says "READY" once its files are read and waits for `go()`; with `wait="open"` it does so before even opening the
store. With `pause_at` it stops at one moment of its work, says so and waits there for the test to kill it:

    "reading"     says "READING" as it starts reading its first file, and goes on (it is killed while it reads)
    "writing"     in the transaction that publishes its last file, as the measures are about to be written (the
                  version and its original files are written already): says "WRITING" and waits
    "committing"  in the transaction that publishes its last file, every row written, just before the COMMIT: says
                  "COMMITTING" and waits

Each publisher is a process of its own, with its own connections, in a process group of its own (with the reading
worker it starts), killed or left to finish on its own. It is a fresh Python, not a fork of the test process: the
test process runs threads (pytest-xdist's, AppTest's), and forking it could copy a lock one of them holds.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa

from ledger.publishing import check_upload, publish
from ledger.store import Store

ROOT = Path(__file__).resolve().parent.parent
PLAN = "意识形态工作责任制专项整治方案"
STAGES = ("reading", "writing", "committing")


class Publisher:
    """One publishing process, seen from the test: its messages line by line, a word to it, its end."""

    def __init__(self, url: str, by: str, paths: tuple[Path, ...], wait: bool | str, pause_at: str | None):
        if pause_at is not None and pause_at not in STAGES:
            raise ValueError(f"pause_at: one of {STAGES}")
        order = json.dumps({"url": url, "by": by, "paths": [str(p) for p in paths], "wait": wait, "pause": pause_at})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.publish_worker", order],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,  # a process group of its own: kill() takes its reading worker too
        )
        self.said: list[str] = []

    def readline(self) -> str:
        """The next line it says, without the newline ("" once it has ended)."""
        line = self.process.stdout.readline().rstrip("\n")
        self.said.append(line)
        return line

    def go(self) -> None:
        self.process.stdin.write("GO\n")
        self.process.stdin.flush()

    def running(self) -> bool:
        return self.process.poll() is None

    def finish(self, timeout: float = 120) -> str:
        """Wait for it to end; what it said that was not read yet."""
        return self.process.communicate(timeout=timeout)[0]

    @property
    def returncode(self) -> int | None:
        return self.process.returncode

    def kill(self) -> None:
        """SIGKILL to it and its reading worker at once, as a power cut would end them; returns once it is gone."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.communicate(timeout=30)


def start(url: str, by: str, *paths: Path, wait: bool | str = False, pause_at: str | None = None) -> Publisher:
    return Publisher(url, by, paths, wait, pause_at)


def _say(line: str) -> None:
    print(line, flush=True)


def _publish(url: str, by: str, paths: list[str], wait: bool | str, pause_at: str | None) -> None:
    if wait == "open":
        _say("READY")
        sys.stdin.readline()
    store = Store(url)
    prepared = []
    for path in map(Path, paths):
        if pause_at == "reading" and not prepared:
            _say("READING")
        files = [(path.name, path.read_bytes())]
        prepared.append((files, check_upload(store, files, date(2019, 6, 1))))
    plan = store.plan_for(PLAN, created_at=datetime(2019, 6, 1))
    if wait is True:
        _say("READY")
        sys.stdin.readline()
    for number, (files, ledger) in enumerate(prepared, 1):
        if pause_at in ("writing", "committing") and number == len(prepared):
            _pause_in_the_next_transaction(store, pause_at)
        result = publish(store, files, ledger, plan=plan.id, uploaded_by=by, uploaded_at=datetime(2019, 6, 1, 9, 0))
        _say(f"PUBLISHED {result.version.id}")


def _pause_in_the_next_transaction(store: Store, stage: str) -> None:
    """Say the stage and wait (for a kill; the test never answers) at that moment of the next publish."""

    def pause(*_args) -> None:
        _say(stage.upper())
        sys.stdin.readline()

    if stage == "committing":
        sa.event.listen(store.engine, "commit", pause)  # before the driver's COMMIT
    else:

        def before(_conn, _cursor, statement: str, *_args) -> None:
            if statement.lstrip().upper().startswith("INSERT INTO LEDGER_TASKS"):
                pause()

        sa.event.listen(store.engine, "before_cursor_execute", before)


if __name__ == "__main__":
    order = json.loads(sys.argv[1])
    _publish(order["url"], order["by"], order["paths"], order["wait"], order["pause"])
