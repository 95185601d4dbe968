"""Checking and publishing an upload: the one path the upload page and `python -m ledger publish` share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from ledger.diff import overlap
from ledger.intake import DEFAULT_LIMITS, Limits, load_ledger
from ledger.model import Issue, Ledger
from ledger.store import NewPlan, Published, Store
from ledger.text import percent

SAME_PLAN_SHARE = 0.5
"""Below this share of its measures found in the plan's newest version, an upload "looks like a different plan"."""


def check_upload(
    store: Store,
    files: Sequence[tuple[str, bytes]],
    received_on: date,
    limits: Limits = DEFAULT_LIMITS,
    plan_id: int | None = None,
) -> Ledger:
    """Read an upload as it would be published into the plan: a ledger without phases takes the plan's phases;
    one whose measures barely match the plan's newest version gets a warning."""
    fallback = store.plan_phases(plan_id) if plan_id is not None else None
    ledger = load_ledger(list(files), received_on, fallback_phases=fallback, limits=limits)
    newest = store.newest_report_id(plan_id) if plan_id is not None else None
    if ledger.ok and newest is not None and plan_id is not None:
        share = overlap(store.ledger(newest).tasks, ledger.tasks)
        if share is not None and share < SAME_PLAN_SHARE:
            warning = Issue(
                "warning",
                "ledger.different_plan",
                value=store.plan(plan_id).name,
                params=(("share", percent(share * 100, 0)),),
            )
            ledger = replace(ledger, issues=(*ledger.issues, warning))
    return ledger


def with_report_date(ledger: Ledger, report_date: date | None) -> Ledger:
    """The ledger with the report date the editor confirmed (or the detected one when None)."""
    if report_date is None or report_date == ledger.report_date:
        return ledger
    issues = tuple(i for i in ledger.issues if i.code != "ledger.no_report_date")
    return replace(ledger, report_date=report_date, report_date_found=True, issues=issues)


MAX_UPLOADER = 200
MAX_NOTE = 2000


def _plain(text: str) -> str:
    """Typed text as stored: no NUL characters (PostgreSQL refuses them), no surrounding spaces."""
    return text.replace("\x00", "").strip()


def publish(
    store: Store,
    files: Sequence[tuple[str, bytes]],
    ledger: Ledger,
    *,
    plan: int | NewPlan,
    uploaded_by: str,
    uploaded_at: datetime,
    note: str = "",
    report_date: date | None = None,
    unit_id: int | None = None,
    address: str = "",
    audit_action: str = "publish",
) -> Published | None:
    """Store the upload as a new version of the plan (an id, or a NewPlan created with it), for one of its units
    when given; None (and nothing stored) when the ledger has errors."""
    if ledger.errors:
        return None
    return store.publish(
        list(files),
        with_report_date(ledger, report_date),
        plan=plan,
        uploaded_by=_plain(uploaded_by)[:MAX_UPLOADER],
        uploaded_at=uploaded_at,
        note=_plain(note)[:MAX_NOTE],
        unit_id=unit_id,
        address=address,
        audit_action=audit_action,
    )
