"""Checking and publishing an upload: the one path the upload page and `python -m ledger publish` share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from ledger.guard import DEFAULT_LIMITS, Limits
from ledger.model import Ledger
from ledger.reading import load_ledger
from ledger.store import Published, Store


def check_upload(store: Store, files: Sequence[tuple[str, bytes]], received_on: date,
                 limits: Limits = DEFAULT_LIMITS) -> Ledger:
    """Read an upload as it would be published: a ledger without phases keeps the current version's phases."""
    current = store.current_id()
    fallback = store.phases(current) if current is not None else None
    return load_ledger(list(files), received_on, fallback_phases=fallback, limits=limits)


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


def publish(store: Store, files: Sequence[tuple[str, bytes]], ledger: Ledger, *, uploaded_by: str,
            uploaded_at: datetime, note: str = "", report_date: date | None = None) -> Published | None:
    """Store the upload as a new version; None (and nothing stored) when the ledger has errors."""
    if ledger.errors:
        return None
    return store.publish(list(files), with_report_date(ledger, report_date),
                         uploaded_by=_plain(uploaded_by)[:MAX_UPLOADER], uploaded_at=uploaded_at,
                         note=_plain(note)[:MAX_NOTE])
