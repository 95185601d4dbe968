"""`pytest --cpu` (tests/cpu_budget.py), run on a small suite of its own in a separate pytest."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SUITE = """
import subprocess, sys

SPIN = "import time\\nend = time.process_time() + 0.6\\nwhile time.process_time() < end: pass"

def test_a_child_that_works_and_is_waited_for():
    subprocess.run([sys.executable, "-c", SPIN], check=True)

def test_a_child_still_working_when_the_test_ends():
    import atexit, time
    left = subprocess.Popen([sys.executable, "-c", SPIN])
    atexit.register(left.kill)
    time.sleep(0.3)
"""

IDLE = """
import time

def test_waits_without_working():
    time.sleep(0.5)
"""


def test_cpu_prints_the_seconds_of_each_file_with_its_processes_and_the_machine(tmp_path):
    """Test that `--cpu` counts a child's seconds for the test that ran it, a file that only waits near zero, and
    prints the whole machine's seconds and the reference loop."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_working.py").write_text(SUITE)
    (tmp_path / "test_idle.py").write_text(IDLE)
    options = ["-p", "tests.cpu_budget", "--cpu", "-q", "-p", "no:cacheprovider", "-c", str(tmp_path / "pytest.ini")]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *options, "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    rows = {
        path: (float(seconds), int(tests))
        for seconds, tests, path in re.findall(r"^\s*([\d.]+) s\s+[\d.]+%\s+(\d+) tests\s+(\S+)$", result.stdout, re.M)
    }
    assert set(rows) == {"test_working.py", "test_idle.py"}, result.stdout
    working, idle = rows["test_working.py"], rows["test_idle.py"]
    assert working[1] == 2 and working[0] >= 0.6, working  # the waited-for child, and at least part of the other
    assert idle[1] == 1 and idle[0] < 0.3, idle
    assert re.search(r"spent by the whole machine over \d+ s of wall clock", result.stdout), result.stdout
    assert re.search(r"reference loop \(10,000,000 additions\): [\d.]+ s at the start", result.stdout)
