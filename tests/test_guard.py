"""The worker boundary (ledger.intake.guard): a value comes back; running out of memory or time, a native abort or a panic
comes back as a Failure, and the calling process goes on."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from ledger.intake.guard import DEFAULT_LIMITS, Failure, run
from ledger.intake.reading import load_ledger

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
