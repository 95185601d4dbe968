"""Slowing password guessing down: after a few failures for a key — an account tried from
browsers it does not know, a client address, everyone together, or one known browser — each further attempt must
wait, twice as long each time.

The counts live in the database (`ledger_throttle`), so every app instance counts the same attempts, and each attempt
is checked and counted in one transaction: parallel guesses are all counted, where checking first and counting after
let twenty through at once. An attempt counts as a failure from the moment it is let through; a right answer takes
that back (for an address, everyone) or clears the count (for the account, the browser). Attempts refused while a key
must wait are aggregated: one row per account, address and minute, with a count (`ledger_throttled`), so guessing
cannot flood the audit trail.

Password checks (argon2 with 64 MiB each) run at most a few at a time per process (`verifying`), so parallel logins
cannot exhaust the server's memory."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from ledger.store import Store, throttle_table, throttled_table

EVERYONE = "all"


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
    return wait_for(len(times), times[-1] if times else now, free, policy, now)


def wait_for(failures: int, last: float, free: int, policy: Policy, now: float) -> float:
    """Seconds still to wait after `failures` failures, the last at `last`, when `free` of them cost nothing."""
    beyond = failures - free
    if beyond < 0 or failures == 0:
        return 0.0
    wait = min(policy.first_wait_seconds * 2**beyond, policy.longest_wait_seconds)
    return max(0.0, last + wait - now)


@dataclass(frozen=True)
class Attempt:
    """One attempt as the throttle saw it: let through (its keys each counted once), or refused for `wait_seconds`."""

    keys: tuple[str, ...]
    wait_seconds: float = 0.0
    before: tuple[tuple[int, datetime | None], ...] = ()  # each key's (failures, last failure) before this attempt

    @property
    def allowed(self) -> bool:
        return self.wait_seconds <= 0


def attempt(store: Store, keys: Sequence[tuple[str, int]], now: datetime, policy: Policy = Policy()) -> Attempt:
    """Check and count one attempt in one transaction. `keys` are (key, failures free before a wait). When any key
    must wait, the attempt is refused and counts nothing; else each key counts it as a failure until `succeeded`."""
    names = [key[:300] for key, _ in keys]
    with store.transaction() as conn:
        if conn.dialect.name == "postgresql":  # rows to lock, for keys never seen
            from sqlalchemy.dialects.postgresql import insert

            conn.execute(
                insert(throttle_table).on_conflict_do_nothing(),
                [{"key": name, "failures": 0, "last_at": now} for name in names],
            )
            query = sa.select(throttle_table).where(throttle_table.c.key.in_(names)).with_for_update()
        else:  # SQLite: a writing transaction holds the database's write lock from its start
            query = sa.select(throttle_table).where(throttle_table.c.key.in_(names))
        found = {row.key: (row.failures, row.last_at) for row in conn.execute(query)}
        counts: dict[str, int] = {}
        for name, free in zip(names, (free for _, free in keys), strict=True):
            failures, last = found.get(name, (0, now))
            if (now - last).total_seconds() > policy.memory_seconds:
                failures = 0
            counts[name] = failures
            wait = wait_for(failures, last.timestamp(), free, policy, now.timestamp())
            if wait > 0:
                return Attempt(tuple(names), wait)
        for name in names:
            values = {"failures": counts[name] + 1, "last_at": now}
            if name in found:
                conn.execute(throttle_table.update().where(throttle_table.c.key == name).values(**values))
            else:
                conn.execute(throttle_table.insert().values(key=name, **values))
    before = tuple((counts[name], found[name][1] if name in found and counts[name] else None) for name in names)
    return Attempt(tuple(names), before=before)


def waiting(store: Store, keys: Sequence[tuple[str, int]], now: datetime, policy: Policy = Policy()) -> float:
    """Seconds an attempt counted against `keys` would have to wait now (nothing is counted)."""
    names = [key[:300] for key, _ in keys]
    with store.engine.connect() as conn:
        found = {
            r.key: (r.failures, r.last_at)
            for r in conn.execute(sa.select(throttle_table).where(throttle_table.c.key.in_(names)))
        }
    waits = [0.0]
    for name, free in zip(names, (free for _, free in keys), strict=True):
        failures, last = found.get(name, (0, now))
        if (now - last).total_seconds() <= policy.memory_seconds:
            waits.append(wait_for(failures, last.timestamp(), free, policy, now.timestamp()))
    return max(waits)


def succeeded(store: Store, tried: Attempt, forget: Sequence[str]) -> None:
    """A right answer: the keys in `forget` (the account's, the browser's) start afresh; the others (an address,
    everyone) take back the failure the attempt was counted as, and its time, when nothing was counted since — so
    logging in with one's own account never wipes an address's record of guesses, nor makes the next person from
    that address wait as if it had been one."""
    before = tried.before or tuple((0, None) for _ in tried.keys)
    with store.transaction() as conn:
        for name, (failures, last) in zip(tried.keys, before, strict=True):
            row = throttle_table.c.key == name
            if name in forget:
                conn.execute(throttle_table.delete().where(row))
                continue
            untouched = conn.execute(
                throttle_table.update()
                .where(row, throttle_table.c.failures == failures + 1)
                .values(failures=failures, **({"last_at": last} if last is not None else {}))
            ).rowcount
            if not untouched:  # others counted since: take back one
                conn.execute(
                    throttle_table.update()
                    .where(row, throttle_table.c.failures > 0)
                    .values(failures=throttle_table.c.failures - 1)
                )


def throttled(store: Store, account: str, address: str, now: datetime) -> int:
    """Count one attempt refused while it must wait; returns how many this account and address have made in this
    minute (1: the first, which the audit trail records)."""
    minute = now.replace(second=0, microsecond=0)
    key = {"minute": minute, "account": account[:100], "address": address[:100]}
    where = sa.and_(*(throttled_table.c[name] == value for name, value in key.items()))
    with store.transaction() as conn:
        count = conn.execute(sa.select(throttled_table.c.count).where(where)).scalar()
        if count is None:
            try:
                with conn.begin_nested():
                    conn.execute(throttled_table.insert().values(**key, count=1))
                return 1
            except sa.exc.IntegrityError:  # another instance counted this minute's first at the same moment
                count = conn.execute(sa.select(throttled_table.c.count).where(where)).scalar_one()
        conn.execute(throttled_table.update().where(where).values(count=throttled_table.c.count + 1))
        return int(count) + 1


def throttled_count(store: Store, account: str, address: str, minute: datetime) -> int:
    """How many attempts this account and address made in that minute while they had to wait."""
    with store.engine.connect() as conn:
        found = conn.execute(
            sa.select(throttled_table.c.count).where(
                throttled_table.c.minute == minute.replace(second=0, microsecond=0),
                throttled_table.c.account == account[:100],
                throttled_table.c.address == address[:100],
            )
        ).scalar()
    return int(found or 0)


def forget_old(store: Store, now: datetime, policy: Policy = Policy()) -> None:
    """Drop counts nobody needs any more (older than the memory window)."""
    with store.transaction() as conn:
        conn.execute(
            throttle_table.delete().where(throttle_table.c.last_at < now - timedelta(seconds=policy.memory_seconds))
        )


VERIFY_SLOTS = 2  # password checks at once per process, each argon2 with 64 MiB (LEDGER_LOGIN_CHECKS)
_slots = threading.BoundedSemaphore(VERIFY_SLOTS)
_slots_lock = threading.Lock()
VERIFY_WAIT_SECONDS = 20.0


def set_verify_slots(count: int) -> None:
    """How many password checks may run at once in this process (a setting; default 2)."""
    global _slots
    with _slots_lock:
        _slots = threading.BoundedSemaphore(max(1, count))


@contextmanager
def verifying() -> Iterator[bool]:
    """A slot for one password check: True once one is free (within VERIFY_WAIT_SECONDS), False if none came."""
    slots = _slots
    got = slots.acquire(timeout=VERIFY_WAIT_SECONDS)
    try:
        yield got
    finally:
        if got:
            slots.release()
