"""`pytest --cpu`: where the suite's processor time goes, per test file, and what the machine gave it.

The wall clock of a run on a shared two-core machine says little: it moves by a third from one hour to the next.
Processor seconds of runs made the same way move much less, and they bound the wall clock: a run that needs C
CPU-seconds takes at least C / cores seconds, however it is shared out. (They are not a fixed amount of work either:
with both cores busy, each does less per second, and the same suite took 871 CPU-seconds in one worker and 1,155 to
1,196 in three.) So with `--cpu`, each test's processor time is measured, from before its set-up to after its
tear-down: this process's, that of the processes it waited for, and that of every process still running under it (a
Streamlit server, Chromium and its renderers, a reading worker). A shared fixture's start (a server, a browser)
counts for the test that started it; its work later, for the test it served.

At the end the controller prints the seconds per test file, the tests' sum, and what the whole machine spent over
the run (/proc/stat, every process, PostgreSQL's servers too, which leave our process tree). The same pure-Python
loop is timed at the start and the end: the host's speed in this run, to compare runs of different hours."""

from __future__ import annotations

import collections
import contextlib
import os
import resource
import time

import pytest

KEY = "cpu_s"
LOOP = 10_000_000  # additions in the reference loop: about half a second on this machine


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--cpu", action="store_true", help="print the processor seconds per test file (tests/cpu_budget.py)"
    )


def _tree() -> float:
    """Processor seconds of this process, the children it waited for, and every live descendant (with theirs)."""
    import psutil

    mine, waited = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    total = mine.ru_utime + mine.ru_stime + waited.ru_utime + waited.ru_stime
    for process in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            times = process.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
    return total


def _machine() -> float:
    """Processor seconds spent by every process of the machine since it started (user, nice, system, interrupts)."""
    with open("/proc/stat") as stat:
        user, nice, system, _idle, _iowait, irq, softirq, *_ = map(int, stat.readline().split()[1:])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def _loop() -> float:
    started = time.perf_counter()
    total = 0
    for i in range(LOOP):
        total += i
    return time.perf_counter() - started


class CpuBudget:
    def __init__(self, config: pytest.Config):
        self.started: dict[str, float] = {}
        self.files: collections.Counter[str] = collections.Counter()
        self.tests: collections.Counter[str] = collections.Counter()
        self.controller = not hasattr(config, "workerinput")
        if self.controller:
            self.loops = [_loop()]
            self.machine, self.wall = _machine(), time.monotonic()

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        self.started[item.nodeid] = _tree()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = yield
        if report.when == "teardown" and item.nodeid in self.started:
            # A process tree that ends without its parent here waiting for it (a browser closed with the session)
            # takes its seconds, counted while it ran, out of the sum: that drop is no work of this test.
            report.user_properties.append((KEY, max(0.0, _tree() - self.started.pop(item.nodeid))))
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if not self.controller or report.when != "teardown":
            return
        path = report.nodeid.split("::")[0]
        for name, seconds in report.user_properties:
            if name == KEY:
                self.files[path] += seconds
                self.tests[path] += 1

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.controller:
            return
        machine, wall = _machine() - self.machine, time.monotonic() - self.wall
        self.loops.append(_loop())
        cores = os.cpu_count() or 1
        write = terminalreporter.write_line
        terminalreporter.section("processor seconds per test file (--cpu)")
        total = sum(self.files.values())
        for path, seconds in self.files.most_common():
            write(f"{seconds:8.1f} s {seconds / total if total else 0:6.1%} {self.tests[path]:5d} tests  {path}")
        write(f"{total:8.1f} s in the tests (set-up to tear-down, with the processes under them)")
        write(f"{machine - total:8.1f} s elsewhere: workers starting, PostgreSQL (its server leaves our process tree)")
        write(
            f"{machine:8.1f} s spent by the whole machine over {wall:.0f} s of wall clock on {cores} cores "
            f"({machine / (wall * cores):.0%} busy): at least {machine / cores:.0f} s on {cores} cores"
        )
        write(
            f"reference loop ({LOOP:,} additions): {self.loops[0]:.2f} s at the start, {self.loops[1]:.2f} s at the end"
        )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("cpu", False) and not config.option.collectonly:
        config.pluginmanager.register(CpuBudget(config), "cpu_budget")
