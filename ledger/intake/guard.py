"""The boundary every file a user hands us crosses: its limits, and a worker process that parses under them.

A parser that runs out of memory, spins or crashes (native code aborts the whole process when an allocation fails)
does so in a worker: the server and every other session go on, and the caller gets a `Failure` to report. The
limits are the README's "Limits" table; `ledger.intake.precheck` applies the cheap ones before any worker starts.
"""

from __future__ import annotations

import ctypes
import errno
import faulthandler
import logging
import multiprocessing
import os
import resource
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import spawn
from multiprocessing.connection import Connection
from typing import Any, Protocol

from ledger.model import EXCEL_CELL_CHARS

MIB = 1024 * 1024
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """What one upload may hold and what reading it may cost; beyond them it is refused with a message."""

    max_mib: int = 20  # the file, in MiB (the same number on the Upload page and on the command line)
    max_sheets: int = 50
    max_rows: int = 200_000  # per sheet
    max_columns: int = 200  # per sheet
    max_cells: int = 5_000_000  # rows × columns, all sheets together
    max_cell_chars: int = EXCEL_CELL_CHARS
    max_merged: int = 20_000  # merged ranges, all sheets together
    max_word_cells: int = 200_000  # cells of the tables in a Word document (a ledger there is a few thousand)
    max_parts: int = 1_000  # entries in a zip container (xlsx, ods, docx)
    max_part_mib: int = 256  # one entry, unpacked
    max_unpacked_mib: int = 512  # all entries, unpacked
    max_ratio: int = 200  # unpacked ÷ packed, for entries over 1 MiB unpacked
    max_line_bytes: int = MIB  # the longest line of a CSV file
    memory_mib: int = 768  # address space the worker may add to what it starts with
    cpu_seconds: int = 30
    wall_seconds: int = 60
    workers: int = 2  # files read at once by one server; more wait their turn

    @property
    def max_bytes(self) -> int:
        return self.max_mib * MIB


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Failure:
    """Why the worker gave no answer: "memory", "time", "crash", or "unavailable" when no worker could be started
    (with what the server log should say)."""

    reason: str
    detail: str = ""


PRELOAD = ["ledger.intake.reading"]  # what the fork server imports once, so that each worker starts in milliseconds
WORKER_NAME = "ledger-reader"


class _Preparation(Protocol):
    def __call__(self, name: str) -> dict[str, Any]: ...


def _without_main(get_preparation_data: _Preparation) -> _Preparation:
    """multiprocessing re-imports the parent's __main__ in each fork-server child. In a Streamlit server __main__
    is the running page script, which must not run again inside a worker; ours need nothing from it."""

    def prepared(name: str) -> dict[str, Any]:
        data = get_preparation_data(name)
        if name.startswith(WORKER_NAME):
            data.pop("init_main_from_name", None)
            data.pop("init_main_from_path", None)
        return data

    prepared.wraps_main_filter = True  # type: ignore[attr-defined]
    return prepared


if not getattr(spawn.get_preparation_data, "wraps_main_filter", False):
    spawn.get_preparation_data = _without_main(spawn.get_preparation_data)
_slots: dict[int, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


def _slot(limits: Limits) -> threading.BoundedSemaphore:
    with _slots_lock:
        return _slots.setdefault(limits.workers, threading.BoundedSemaphore(max(1, limits.workers)))


def _context() -> multiprocessing.context.ForkContext | multiprocessing.context.ForkServerContext:
    """fork in a one-thread process (the command line); in a threaded server, forking could copy a lock some other
    thread holds, so workers come from a fork server started once, with the reading modules already imported."""
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def warm_up() -> None:
    """Start the fork server now (a server calls this at start), so the first upload does not wait for it."""
    if threading.active_count() > 1:
        run(_nothing, (), DEFAULT_LIMITS)


def _nothing() -> None:
    return None


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000
WORKER_PATH = "/usr/local/bin:/usr/bin:/bin"


def _box() -> str:
    """In the worker, before it reads anything: an environment of its own — no database address, no password, no
    setting of the server's, a HOME of its own — and, where the system allows it, no network at all (a network
    namespace of its own, where even loopback is down), so that neither a parser nor a program it starts
    (LibreOffice) can reach a server or reveal a secret (README "Limits"). Returns the HOME made, to be removed."""
    home = tempfile.mkdtemp(prefix="ledger-worker-")
    os.environ.clear()
    os.environ.update({"PATH": WORKER_PATH, "HOME": home, "LANG": "C.UTF-8", "RUST_BACKTRACE": "0"})
    _without_network()
    return home


def _without_network() -> bool:
    """Leave every network: a new network namespace (as root), or a user and network namespace (as anyone, where
    the kernel allows unprivileged ones). False where neither is allowed: the worker keeps the server's network."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        flags = CLONE_NEWNET if os.geteuid() == 0 else CLONE_NEWUSER | CLONE_NEWNET
        return libc.unshare(flags) == 0
    except (OSError, AttributeError):
        return False


def network_isolation() -> bool:
    """Whether reading workers run without network on this machine (asked of a worker: the answer is its own)."""
    return bool(run(_has_no_network, ()))


def _has_no_network() -> bool:
    import socket

    with socket.socket() as probe:
        try:
            probe.connect(("127.0.0.1", 9))
        except OSError as problem:
            return problem.errno == errno.ENETUNREACH
    return False


def _apply(limits: Limits, stderr_path: str) -> None:
    """In the worker: cap memory and CPU, write no core file, and keep native crash reports for the parent."""
    cap = _address_space() + limits.memory_mib * MIB
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 2))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    faulthandler.disable()  # an abort here is expected and reported by the parent, not dumped to its terminal
    descriptor = os.open(stderr_path, os.O_WRONLY | os.O_TRUNC)
    os.dup2(descriptor, 2)
    os.close(descriptor)


def _work(conn: Connection, function: Callable, args: tuple, limits: Limits, stderr_path: str) -> None:
    """The worker's whole life: box it, apply the limits, run, send ("ok", value) or ("failed", reason, detail)."""
    _die_with_parent()
    home = None
    try:
        home = _box()
        _apply(limits, stderr_path)
        message: tuple = ("ok", function(*args))
    except MemoryError:
        message = ("failed", "memory", "MemoryError")
    except BaseException as problem:  # native panics are BaseExceptions; all end here as a report
        message = ("failed", "crash", f"{type(problem).__name__}: {problem}"[:1000])
    try:
        conn.send(message)
    except MemoryError:
        conn.send(("failed", "memory", "MemoryError while sending the result"))
    finally:
        conn.close()
        if home is not None:
            shutil.rmtree(home, ignore_errors=True)


PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the worker: end when the process that started it ends (the command line, or the server's fork server,
    which ends with the server), killed by anything. A worker left behind would read on for nobody; forked
    straight from the command line, it also holds the read end of its own result pipe, so a result over the pipe's
    64 KiB would block it for good."""
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the CPU limit still ends a worker that computes
        return
    if os.getppid() != parent:  # the parent was gone before the signal was asked for
        os._exit(1)


def _classify(exitcode: int | None, stderr: str) -> Failure:
    if exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
        return Failure("time", f"exit {exitcode}")
    if "memory allocation" in stderr or "MemoryError" in stderr or "Cannot allocate memory" in stderr:
        return Failure("memory", stderr[-1000:])
    return Failure("crash", f"exit {exitcode}: {stderr[-1000:]}")


def _read_back(path: str) -> str:
    try:
        with open(path, errors="replace") as handle:
            return handle.read()[-4000:]
    except OSError:
        return ""


def run(function: Callable[..., Any], args: tuple, limits: Limits = DEFAULT_LIMITS) -> Any:
    """`function(*args)` in a worker process under `limits`: its value, or a Failure when the worker ran out of
    memory or time or died. `function` must be importable by name, and its arguments and value picklable."""
    with _slot(limits):
        context = _context()
        receiver, sender = context.Pipe(duplex=False)
        handle, stderr_path = tempfile.mkstemp(prefix="ledger-worker-", suffix=".log")
        os.close(handle)
        worker = context.Process(
            target=_work,
            args=(sender, function, args, limits, stderr_path),
            daemon=True,
            name=f"{WORKER_NAME}-{os.getpid()}",
        )
        try:
            worker.start()
        except Exception as problem:  # no worker to be had: process limits, fork server down, nothing to send
            log.error("no reading worker could be started: %r", problem)
            sender.close()
            receiver.close()
            os.unlink(stderr_path)
            return Failure("unavailable", repr(problem))
        try:
            sender.close()
            return _outcome(worker, receiver, limits, stderr_path)
        finally:
            receiver.close()
            if worker.is_alive():
                worker.kill()
            worker.join(5)
            os.unlink(stderr_path)


def _outcome(worker, receiver: Connection, limits: Limits, stderr_path: str) -> Any:
    deadline = time.monotonic() + limits.wall_seconds
    try:
        if not receiver.poll(limits.wall_seconds):
            worker.kill()
            return Failure("time", f"no answer in {limits.wall_seconds} s")
        message = receiver.recv()
    except (EOFError, OSError):  # the worker died before it could answer
        worker.join(max(0.0, min(5.0, deadline - time.monotonic())))
        return _classify(worker.exitcode, _read_back(stderr_path))
    if message[0] == "ok":
        return message[1]
    return Failure(message[1], message[2] + _read_back(stderr_path)[-1000:])
