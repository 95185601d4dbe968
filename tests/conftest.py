"""Suite-wide rules: in CI (CI=true) a skipped test is a failure, and a run that executes no test fails."""

from __future__ import annotations

import os

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
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
