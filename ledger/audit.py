"""The audit trail: who did what, when, from where — logins (and failures), log-outs,
publishes, withdrawals and restores, plan imports, meeting requirements, downloads, user and role changes.

Append-only: this module only inserts and reads; no code path updates or deletes a row, and the database refuses
it (triggers created with the table, ledger.store)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ledger.escape import visible_controls
from ledger.store import AUDIT_ACTIONS as ACTIONS  # noqa: F401  (re-exported)
from ledger.store import Store, audit_table
from ledger.store import append_audit as append
from ledger.text import second_text
from ledger.throttle import throttled_count

SHOWN = 5000  # records the audit page lists at most, the newest first (its caption says so)


@dataclass(frozen=True)
class Record:
    at: datetime
    who: str
    action: str
    target: str
    address: str
    detail: dict

    def as_json(self) -> dict:
        """The record as `audit --json` and the Audit page show it: what a visitor typed (a login name, a target)
        with every control and direction character written out (ledger.escape.visible_controls)."""
        shown = {
            "at": second_text(self.at),
            "who": visible_controls(self.who),
            "action": self.action,
            "target": visible_controls(self.target),
            "address": visible_controls(self.address),
        }
        if "count" in self.detail:  # attempts refused while waiting: one record a minute, with how many there were
            shown["count"] = self.detail["count"]
        return shown


def record(store: Store, **fields) -> None:
    """append() in a transaction of its own (for what the trail alone records: a download, a failed login)."""
    with store.transaction() as conn:
        append(conn, **fields)


def records(
    store: Store,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    actions: Sequence[str] = (),
    who: str | None = None,
    limit: int | None = None,
) -> list[Record]:
    """The trail, newest first, filtered."""
    query = sa.select(audit_table).order_by(audit_table.c.id.desc())
    if since is not None:
        query = query.where(audit_table.c.at >= since)
    if until is not None:
        query = query.where(audit_table.c.at < until)
    if actions:
        query = query.where(audit_table.c.action.in_(list(actions)))
    if who:
        query = query.where(audit_table.c.who == who)
    if limit:
        query = query.limit(limit)
    with store.engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    found = [
        Record(r["at"], r["who"], r["action"], r["target"], r["address"], json.loads(r["detail"] or "{}")) for r in rows
    ]
    return [_with_count(store, r) if r.action == "login_throttled" and "minute" in r.detail else r for r in found]


def _with_count(store: Store, record: Record) -> Record:
    """A throttled-login record with the number of attempts its minute counted (ledger.throttle)."""
    minute = datetime.fromisoformat(record.detail["minute"])
    count = throttled_count(store, record.target, record.address, minute)
    return Record(
        record.at, record.who, record.action, record.target, record.address, {**record.detail, "count": count}
    )
