"""Slowing password guessing down: after a few failures from one client — or from everyone together — each further
attempt must wait, twice as long each time. The caller passes the clock and the key (a client address today, an
account name too once personal accounts exist), so the same throttle serves any login."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

GLOBAL = "*"


@dataclass(frozen=True)
class Policy:
    free_failures: int = 5  # per key, before any wait
    first_wait_seconds: float = 2.0  # after one more failure; it doubles with each further one
    longest_wait_seconds: float = 900.0
    memory_seconds: float = 900.0  # failures older than this are forgotten
    free_failures_overall: int = 50  # all keys together


def wait_after(times: Sequence[float], free: int, policy: Policy, now: float) -> float:
    """Seconds still to wait after these failure times (oldest first, within the memory window) when `free` of
    them cost nothing: the first_wait doubling with each failure beyond, from the last failure."""
    beyond = len(times) - free
    if beyond < 0 or not times:
        return 0.0
    wait = min(policy.first_wait_seconds * 2**beyond, policy.longest_wait_seconds)
    return max(0.0, times[-1] + wait - now)


class Throttle:
    """Failed attempts per key within the last `memory_seconds`, and the wait they impose. Thread-safe."""

    def __init__(self, policy: Policy = Policy()):
        self.policy = policy
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.policy.memory_seconds:
            times.popleft()
        return times

    def _wait_for(self, times: deque[float], free: int, now: float) -> float:
        return wait_after(times, free, self.policy, now)

    def wait(self, key: str, now: float) -> float:
        """Seconds before `key` may try again (0: now); the longer of its own wait and everyone's."""
        with self._lock:
            own = self._wait_for(self._recent(key, now), self.policy.free_failures, now)
            overall = self._wait_for(self._recent(GLOBAL, now), self.policy.free_failures_overall, now)
            return max(own, overall)

    def failed(self, key: str, now: float) -> int:
        """Record a failed attempt; returns how many `key` has made within the memory window."""
        with self._lock:
            self._recent(GLOBAL, now).append(now)
            times = self._recent(key, now)
            times.append(now)
            return len(times)

    def succeeded(self, key: str) -> None:
        """A right answer forgets the key's failures (not everyone's)."""
        with self._lock:
            self._failures.pop(key, None)
