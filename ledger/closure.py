"""Closure review, 销号审核: what has been checked, apart from what is claimed.

A measure the ledger reports as done is **claimed** (已完成待审核) until reviewed. An inspector or an admin
**approves** it (已销号: verified, with the date and who) or **returns** it with a reason (退回). A returned claim
counts as not done — in the lights, the overdue list and both completion figures — until it is claimed again: a
later version reports it done with anything the office wrote about it changed (status, progress, completion date,
evidence, notes, 销号), or the office re-submits it (typically after adding evidence). A measure that a later
version reports as not done loses its claim, and its verification if it had one (a warning says so).

The state of a measure is a pure function of its rows in the plan's live versions and of the review events, in
time order (`review_of`); the events are appended only, never changed, and each is an audit record too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd
import sqlalchemy as sa

from ledger.evidence import Measure
from ledger.model import Ledger
from ledger.store import (
    LIVE,
    Store,
    append_audit,
    closure_table,
    evidence_table,
    refuse_closed,
    tasks_table,
    versions_table,
)
from ledger.vocab import CLAIMED, DONE, IN_PROGRESS, RETURNED, VERIFIED

REQUEST, APPROVE, RETURN = "request", "approve", "return"
ACTIONS = (REQUEST, APPROVE, RETURN)
AUDITED = {REQUEST: "closure_requested", APPROVE: "closure_approved", RETURN: "closure_returned"}
CONTENT_FIELDS = ("status", "progress", "completed_on", "evidence", "notes", "closure")
"""What the office writes about a measure: a claim returned is claimed again when a later version changes any."""
MAX_REASON = 2_000
ALL = object()  # decisions(): every unit's


@dataclass(frozen=True)
class Report:
    """A measure in one live version: reported done or not, and a digest of what the office wrote about it."""

    version_id: int
    order: tuple  # the version's place in time: (report date, id)
    done: bool
    content: int
    published_at: datetime


@dataclass(frozen=True)
class Event:
    id: int
    action: str
    version_id: int
    order: tuple  # the place in time of the version the event was made against
    reason: str
    by: str
    at: datetime


@dataclass(frozen=True)
class Review:
    """A measure's review state: "" (not reported done), CLAIMED, VERIFIED or RETURNED; since when and by whom;
    the reason of a return; `lost`: a verification lost because a later version reported it not done;
    `regressed`: done in one version and not done in a later one, at any time."""

    state: str = ""
    at: datetime | None = None
    by: str = ""
    reason: str = ""
    lost: bool = False
    regressed: bool = False


def review_of(reports: Sequence[Report], events: Sequence[Event]) -> Review:
    """The state of one measure after its reports (each live version it is in) and its events, merged in time:
    versions in the order of their report dates, each event right after the version it was made against."""
    timeline: list[tuple[tuple, int, Report | Event]] = [(r.order, 0, r) for r in reports]
    timeline += [(e.order, 1 + e.id, e) for e in events]
    timeline.sort(key=lambda item: (item[0], item[1]))
    state, at, by, reason = "", None, "", ""
    lost = regressed = done = seen = False
    content: int | None = None
    returned_content: int | None = None
    for _, _, item in timeline:
        if isinstance(item, Report):
            if item.done:
                if state == "" or (state == RETURNED and item.content != returned_content):
                    state, at, by, reason, lost = CLAIMED, item.published_at, "", "", False
            else:
                regressed = regressed or (seen and done)
                lost = lost or state == VERIFIED
                if state:
                    state, at, by, reason = "", None, "", ""
            done, content, seen = item.done, item.content, True
            continue
        if item.action == REQUEST and state == RETURNED and done:
            state, at, by, reason = CLAIMED, item.at, item.by, ""
        elif item.action == APPROVE and state in (CLAIMED, VERIFIED):  # again: a spot check confirmed it
            state, at, by, reason, lost = VERIFIED, item.at, item.by, "", False
        elif item.action == RETURN and state in (CLAIMED, VERIFIED):
            state, at, by, reason, returned_content = RETURNED, item.at, item.by, item.reason, content
    return Review(state, at, by, reason, lost, regressed)


class ClosureError(Exception):
    """A decision that cannot be taken in the measure's state; `code` names the message (i18n `closure.*`)."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


# --- reading the timeline of a plan's (unit's) measures -----------------------------------------------------------


def _unit_clause(column, unit_id: int | None):
    return column.is_(None) if unit_id is None else column == unit_id


def _content(frame: pd.DataFrame) -> np.ndarray:
    return pd.util.hash_pandas_object(frame[list(CONTENT_FIELDS)].astype(str), index=False).to_numpy()


def _timeline(
    conn: sa.Connection, plan_id: int, unit_id: int | None, upto: tuple | None, keys: Iterable[str] | None = None
) -> tuple[dict[str, list[Report]], dict[str, list[Event]]]:
    versions = conn.execute(
        sa.select(versions_table.c.id, versions_table.c.report_date, versions_table.c.uploaded_at).where(
            versions_table.c.plan_id == plan_id, _unit_clause(versions_table.c.unit_id, unit_id), LIVE
        )
    ).all()
    order = {v.id: (v.report_date, v.id) for v in versions}
    published = {v.id: v.uploaded_at for v in versions}
    ids = [v for v, place in order.items() if upto is None or place <= upto]
    wanted = list(keys) if keys is not None else None
    query = sa.select(tasks_table.c.version_id, tasks_table.c.key, *[tasks_table.c[f] for f in CONTENT_FIELDS]).where(
        tasks_table.c.version_id.in_(ids)
    )
    if wanted is not None:
        query = query.where(tasks_table.c.key.in_(wanted))
    frame = pd.DataFrame(conn.execute(query).all(), columns=["version_id", "key", *CONTENT_FIELDS])
    reports: dict[str, list[Report]] = {}
    if len(frame):
        digests = _content(frame)
        done = (frame["status"] == DONE).to_numpy()
        for version_id, key, is_done, digest in zip(frame["version_id"], frame["key"], done, digests, strict=True):
            reports.setdefault(key, []).append(
                Report(int(version_id), order[version_id], bool(is_done), int(digest), published[version_id])
            )
    events_query = sa.select(closure_table).where(
        closure_table.c.plan_id == plan_id, _unit_clause(closure_table.c.unit_id, unit_id)
    )
    if wanted is not None:
        events_query = events_query.where(closure_table.c.key.in_(wanted))
    events: dict[str, list[Event]] = {}
    for row in conn.execute(events_query.order_by(closure_table.c.id)).mappings():
        place = order.get(row["version_id"], (date.min, row["version_id"]))  # a withdrawn version keeps its turn
        if upto is not None and place > upto:
            continue
        events.setdefault(row["key"], []).append(
            Event(row["id"], row["action"], row["version_id"], place, row["reason"], row["by"], row["at"])
        )
    return reports, events


def _upto(conn: sa.Connection, version_id: int | None) -> tuple | None:
    if version_id is None:
        return None
    found = conn.execute(
        sa.select(versions_table.c.report_date, versions_table.c.id).where(versions_table.c.id == version_id)
    ).first()
    return (found.report_date, found.id) if found is not None else None


def reviews(
    store: Store, plan_id: int, unit_id: int | None, version_id: int | None = None, keys: Iterable[str] | None = None
) -> dict[str, Review]:
    """Each measure's review as of a version (None: now, all versions), for a unit (None: a plan without units)."""
    with store.engine.connect() as conn:
        reports, events = _timeline(conn, plan_id, unit_id, _upto(conn, version_id), keys)
    return {key: review_of(reports.get(key, ()), events.get(key, ())) for key in reports.keys() | events.keys()}


def review_columns(tasks: pd.DataFrame, found: Mapping[str, Review], prefix: str = "") -> pd.DataFrame:
    """The task table with its measures' review: `review` (CLAIMED,
    VERIFIED, RETURNED or ""), `review_reason`, `review_by`, `review_at`, `review_lost`. A returned claim counts
    as not done: its status is in progress for every figure (the ledger's own word stays in the original file)."""
    keys = tasks["key"].astype(str).str.removeprefix(prefix) if prefix else tasks["key"].astype(str)
    done = (tasks["status"] == DONE).to_numpy()
    looked = [found.get(k) for k in keys]
    state = [(r.state if r is not None else (CLAIMED if d else "")) for r, d in zip(looked, done, strict=True)]
    out = tasks.copy()
    out["review"] = pd.Series(state, index=tasks.index, dtype=object)
    out["review_reason"] = pd.Series([r.reason if r else "" for r in looked], index=tasks.index, dtype=object)
    out["review_by"] = pd.Series([r.by if r else "" for r in looked], index=tasks.index, dtype=object)
    out["review_at"] = pd.Series([r.at if r else None for r in looked], index=tasks.index, dtype=object)
    out["review_lost"] = pd.Series([bool(r and r.lost) for r in looked], index=tasks.index, dtype=bool)
    returned = out["review"].eq(RETURNED).to_numpy()
    if returned.any():
        out.loc[returned, "status"] = IN_PROGRESS
    return out


def reviewed(store: Store, plan_id: int, unit_id: int | None, version_id: int, ledger: Ledger) -> Ledger:
    """A version's ledger with its measures' review as of that version. While nobody has decided on any of the
    unit's measures, each measure reported done is a claim and nothing else can be: the versions before are not
    read (a unit's figures, and all units together, read one version each)."""
    from dataclasses import replace

    found = reviews(store, plan_id, unit_id, version_id) if unit_id in store.review_stamps(plan_id) else {}
    return replace(ledger, tasks=review_columns(ledger.tasks, found))


def newest(store: Store, plan_id: int, unit_id: int | None) -> int | None:
    """The version a decision is made against: the plan's (unit's) newest by report date."""
    return store.newest_report_id(plan_id, unit_id)


def measures(store: Store, plan_id: int, unit_id: int | None) -> list[Measure]:
    """The measures of the newest version of a plan (of a unit), in ledger order."""
    version_id = newest(store, plan_id, unit_id)
    if version_id is None:
        return []
    tasks = store.ledger(version_id).tasks
    return [
        Measure(plan_id, unit_id, key, str(mid), str(text))
        for key, mid, text in zip(tasks["key"], tasks["id"], tasks["measure"], strict=True)
    ]


def measure_named(store: Store, plan_id: int, unit_id: int | None, measure_id: str) -> Measure | None:
    """The measure whose 序号 is `measure_id` in the newest version (the first of that number)."""
    wanted = str(measure_id).strip()
    return next((m for m in measures(store, plan_id, unit_id) if m.id == wanted), None)


# --- decisions -----------------------------------------------------------------------------------------------------


def decide(
    store: Store, measure: Measure, action: str, *, by: str, at: datetime, reason: str = "", address: str = ""
) -> Review:
    """Record a request, an approval or a return for a measure, checked against its state in the same transaction,
    with its audit record. ClosureError when the state does not allow it: approve a claim (or a verified measure
    again: a spot check that confirms it); return a claim or a verified measure, with a reason; request again only a returned claim of a measure still reported done."""
    if action not in ACTIONS:
        raise ValueError(action)
    reason = " ".join(str(reason).split())[:MAX_REASON]
    if action == RETURN and not reason:
        raise ClosureError("closure.reason_needed")
    with store.transaction() as conn:
        refuse_closed(conn, measure.plan_id)  # StoreError "store.plan_closed": a closed plan is read-only
        reports, events = _timeline(conn, measure.plan_id, measure.unit_id, None, [measure.key])
        mine = reports.get(measure.key, [])
        now = review_of(mine, events.get(measure.key, []))
        latest = max(mine, key=lambda r: r.order) if mine else None
        if latest is None:
            raise ClosureError("closure.unknown", measure=measure.id)
        if action == APPROVE and now.state not in (CLAIMED, VERIFIED):
            raise ClosureError("closure.not_claimed", measure=measure.id)
        if action == RETURN and now.state not in (CLAIMED, VERIFIED):
            raise ClosureError("closure.not_claimed", measure=measure.id)
        if action == REQUEST and (not latest.done or now.state != RETURNED):
            raise ClosureError("closure.not_returned" if latest.done else "closure.not_done", measure=measure.id)
        seen = conn.execute(
            sa.select(evidence_table.c.id).where(
                evidence_table.c.plan_id == measure.plan_id,
                _unit_clause(evidence_table.c.unit_id, measure.unit_id),
                evidence_table.c.key == measure.key,
            )
        ).scalars()
        evidence = list(seen)
        conn.execute(
            closure_table.insert().values(
                plan_id=measure.plan_id,
                unit_id=measure.unit_id,
                key=measure.key,
                measure=measure.id[:100],
                action=action,
                version_id=latest.version_id,
                reason=reason,
                evidence=json.dumps(evidence),
                by=by[:100],
                at=at,
            )
        )
        append_audit(
            conn,
            at=at,
            who=by,
            action=AUDITED[action],
            target=f"{measure.id}: {measure.text[:60]}",
            address=address,
            detail={"key": measure.key, "reason": reason, "evidence": evidence, "version": latest.version_id},
        )
        reports, events = _timeline(conn, measure.plan_id, measure.unit_id, None, [measure.key])
    return review_of(reports.get(measure.key, []), events.get(measure.key, []))


@dataclass(frozen=True)
class Decision:
    """One approval or return, as the 督导检查记录表 lists it."""

    unit_id: int | None
    measure: str
    key: str
    action: str
    reason: str
    by: str
    at: datetime
    evidence: tuple[int, ...]


def decisions(
    store: Store, plan_id: int, unit_id: int | object | None = None, since: datetime | None = None
) -> list[Decision]:
    """The plan's approvals and returns (of a unit; `ALL` for every unit), oldest first."""
    query = (
        sa.select(closure_table)
        .where(closure_table.c.plan_id == plan_id, closure_table.c.action.in_((APPROVE, RETURN)))
        .order_by(closure_table.c.id)
    )
    if unit_id is not ALL:
        query = query.where(_unit_clause(closure_table.c.unit_id, unit_id))  # type: ignore[arg-type]
    if since is not None:
        query = query.where(closure_table.c.at >= since)
    with store.engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return [
        Decision(
            r["unit_id"],
            r["measure"],
            r["key"],
            r["action"],
            r["reason"],
            r["by"],
            r["at"],
            tuple(json.loads(r["evidence"])),
        )
        for r in rows
    ]


def regressions(store: Store, plan_id: int, unit_id: int | None, tasks: pd.DataFrame) -> list[str]:
    """The 序号 of measures now verified that `tasks` (a ledger about to be published for this plan or unit)
    reports as not done: publishing it takes their verification away (the Upload page and `publish` warn)."""
    version_id = newest(store, plan_id, unit_id)
    if version_id is None:
        return []
    found = reviews(store, plan_id, unit_id, version_id)
    verified = {key for key, r in found.items() if r.state == VERIFIED}
    lost = tasks["key"].isin(verified) & (tasks["status"] != DONE)
    return [str(i) for i in tasks.loc[lost, "id"]]
