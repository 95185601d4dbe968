"""The worker boundary (ledger.intake.guard): a value comes back; running out of memory or time, a native abort or a panic
comes back as a Failure, and the calling process goes on."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import psutil
import pytest

from ledger.intake import guard
from ledger.intake.guard import DEFAULT_LIMITS, Failure, run
from ledger.intake.reading import load_ledger

ROOT = Path(__file__).resolve().parent.parent
SMALL = replace(DEFAULT_LIMITS, memory_mib=256, cpu_seconds=1, wall_seconds=3)


class PanicException(BaseException):
    """What pyo3 raises when native code panics: a BaseException, not an Exception."""


def double(value: int) -> int:
    return value * 2


def hog_memory() -> int:
    return len(bytearray(2 * 1024**3))


def spin() -> None:
    while True:
        pass


def sleep_long() -> None:
    time.sleep(30)


def abort() -> None:
    os.abort()


def panic() -> None:
    raise PanicException("called `Option::unwrap()` on a `None` value")


def test_a_value_comes_back_from_the_worker():
    assert run(double, (21,), SMALL) == 42


def test_a_worker_that_runs_out_of_memory_is_a_memory_failure():
    failure = run(hog_memory, (), SMALL)
    assert isinstance(failure, Failure) and failure.reason == "memory"


def test_a_worker_that_spins_is_stopped_by_its_cpu_limit():
    started = time.monotonic()
    failure = run(spin, (), SMALL)
    assert isinstance(failure, Failure) and failure.reason == "time"
    assert time.monotonic() - started < SMALL.wall_seconds + 5


def test_a_worker_that_waits_is_stopped_by_its_wall_clock_limit():
    failure = run(sleep_long, (), SMALL)
    assert failure == Failure("time", f"no answer in {SMALL.wall_seconds} s")


def test_a_native_abort_is_a_crash_and_the_caller_goes_on():
    failure = run(abort, (), SMALL)
    assert isinstance(failure, Failure) and failure.reason == "crash"
    assert run(double, (2,), SMALL) == 4


def test_a_panic_which_is_a_base_exception_is_caught_at_the_boundary():
    failure = run(panic, (), SMALL)
    assert failure.reason == "crash" and "PanicException: called `Option::unwrap()`" in failure.detail


def test_a_worker_that_cannot_be_started_is_reported_not_raised():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)  # the fork server must pickle what it runs
    other.start()
    try:
        failure = run(lambda: 1, (), SMALL)
    finally:
        stop.set()
        other.join()
    assert isinstance(failure, Failure) and failure.reason == "unavailable"
    assert run(double, (3,), SMALL) == 6


def test_a_threaded_process_gets_its_workers_from_the_fork_server():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        assert threading.active_count() > 1
        assert run(double, (5,), SMALL) == 10
        assert run(hog_memory, (), SMALL).reason == "memory"
    finally:
        stop.set()
        other.join()


def measures(ledger) -> list[str]:
    return ledger.tasks["measure"].tolist()


def broken(ledger) -> None:
    raise ValueError("a bug in what the worker works out")


def test_load_ledger_can_send_back_only_what_is_worked_out_from_the_ledger():
    sample = Path(__file__).resolve().parent.parent / "data" / "sample_ledger.xlsx"
    files = [(sample.name, sample.read_bytes())]
    day = date(2019, 6, 3)
    assert load_ledger(files, day, then=measures) == measures(load_ledger(files, day)) != []
    assert load_ledger([("台账.xlsx", b"not a workbook")], day, then=measures) == []  # refused here: then runs here
    with pytest.raises(RuntimeError, match="a bug in what the worker works out"):  # not taken for a bad file
        load_ledger(files, day, then=broken)


def answer_late(pid_file: str) -> bytes:
    Path(pid_file).write_text(str(os.getpid()))
    time.sleep(3)
    return b"x" * 200_000  # more than a pipe holds: sending blocks until someone reads


PARENT = """
import sys
from dataclasses import replace
from ledger.intake.guard import DEFAULT_LIMITS, run
from tests.test_guard import answer_late
run(answer_late, (sys.argv[1],), replace(DEFAULT_LIMITS, wall_seconds=60))
"""


@pytest.mark.parametrize("threaded", [False, True], ids=["forked", "from the fork server"])
def test_a_worker_ends_with_the_process_that_started_it(tmp_path, threaded):
    """The caller killed (SIGKILL: the OOM killer, a restart) while its worker reads: the worker goes too, rather
    than read on for nobody, or block for good handing over a result nobody will read."""
    pid_file = tmp_path / "worker.pid"
    code = PARENT if not threaded else "import threading; threading.Thread(target=input, daemon=True).start()" + PARENT
    parent = subprocess.Popen(
        [sys.executable, "-c", code, str(pid_file)], cwd=ROOT, stdin=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while not (pid_file.exists() and pid_file.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        worker = psutil.Process(int(pid_file.read_text()))
        parent.kill()
        parent.wait(10)
        gone, _ = psutil.wait_procs([worker], timeout=10)  # it was not ours to reap: gone or a zombie
        assert gone or worker.status() == psutil.STATUS_ZOMBIE
    finally:
        parent.kill()
        parent.wait(10)


def test_the_death_signal_a_worker_asks_for_is_sigkill():
    """What the worker asks of the kernel first (ledger.intake.guard._die_with_parent), asked here and undone at
    once: SIGKILL on its parent's death (read back with PR_GET_PDEATHSIG)."""
    libc = ctypes.CDLL(None, use_errno=True)
    asked = ctypes.c_int(-1)
    try:
        guard._die_with_parent()
        assert libc.prctl(2, ctypes.byref(asked)) == 0  # PR_GET_PDEATHSIG
    finally:
        libc.prctl(guard.PR_SET_PDEATHSIG, 0)  # this test process must not die with its parent
    assert asked.value == signal.SIGKILL


def test_a_worker_whose_parent_is_gone_before_it_asks_ends_and_one_on_a_system_without_prctl_goes_on(monkeypatch):
    """The two edges of _die_with_parent: the parent gone between the fork and the request (the worker's parent is
    then another process: it ends at once, with nobody to answer), and no prctl at all (it reads on, under its CPU
    limit)."""
    libc = ctypes.CDLL(None, use_errno=True)
    parents = iter([4242, 1])  # its parent before the request, then init, which adopted it
    monkeypatch.setattr(guard.os, "getppid", lambda: next(parents))
    ended = []
    monkeypatch.setattr(guard.os, "_exit", ended.append)
    try:
        guard._die_with_parent()
    finally:
        libc.prctl(guard.PR_SET_PDEATHSIG, 0)
    assert ended == [1]

    def no_libc(*_args, **_kwargs):
        raise OSError("no C library here")

    monkeypatch.setattr(guard.ctypes, "CDLL", no_libc)
    monkeypatch.setattr(guard.os, "getppid", lambda: 1)
    guard._die_with_parent()  # returns: nothing asked, and it does not end (the check needs the signal asked first)
    assert ended == [1]
