"""The audit trail's rows: each action's name, written inside the transaction of what it records."""

from __future__ import annotations

import json
from datetime import datetime

import sqlalchemy as sa

from ledger.store.tables import audit_table

AUDIT_ACTIONS = (
    "login",
    "login_failed",
    "login_throttled",
    "logout",
    "publish",
    "withdraw",
    "restore",
    "plan_import",
    "requirement",
    "download",
    "user_added",
    "user_disabled",
    "user_enabled",
    "password_changed",
    "role_changed",
    "unit_added",
    "plan_renamed",
    "plan_deleted",
    "evidence_added",
    "evidence_imported",
    "closure_requested",
    "closure_approved",
    "closure_returned",
    "backup_made",
    "backup_restored",
    "plan_closed",
)


def append_audit(
    conn: sa.Connection,
    *,
    at: datetime,
    who: str,
    action: str,
    target: str,
    address: str = "",
    detail: dict | None = None,
) -> None:
    """One audit record (ledger.audit), inside the caller's transaction: it lands with what it records, or not at
    all."""
    if action not in AUDIT_ACTIONS:
        raise ValueError(action)  # a programmer error: every action has its name and message
    conn.execute(
        audit_table.insert().values(
            at=at,
            who=str(who)[:100],
            action=action,
            target=str(target)[:2000],
            address=str(address or "")[:100],
            detail=json.dumps(detail or {}, ensure_ascii=False, default=str),
        )
    )
