"""The history store: plans, and every published ledger version of each with its original files."""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ledger.model import (
    DATE_COLUMNS,
    EXTRA_PREFIX,
    TASK_COLUMNS,
    Ledger,
    Phase,
    date_column,
)
from ledger.requirements import NewRequirement, Requirement, checked
from ledger.store.engine import WRITING, inserted_id, make_engine
from ledger.store.errors import StoreError
from ledger.store.migrations import migrate
from ledger.store.snapshots import (
    issue_from_dict,
    issue_to_dict,
    rows_frame,
    snapshot_bytes,
    snapshot_frame,
    snapshot_frames,
    task_rows,
    tasks_frame,
)
from ledger.store.tables import (
    LIVE,
    MAX_PLAN_NAME,
    closure_table,
    column_choices_table,
    evidence_table,
    files_table,
    meta_table,
    phases_table,
    plan_phases_table,
    plan_units_table,
    plans_table,
    requirements_table,
    snapshots_table,
    summaries_table,
    tasks_table,
    units_table,
    versions_table,
)
from ledger.store.trail import append_audit
from ledger.text import fold


@dataclass(frozen=True)
class Plan:
    """A rectification plan: its versions never mix with another plan's. The bundled sample is a demo plan."""

    id: int
    name: str
    unit: str
    demo: bool
    created_at: datetime


@dataclass(frozen=True)
class NewPlan:
    """A plan to create together with its first version, in one transaction."""

    name: str
    created_at: datetime
    unit: str = ""
    phases: tuple[Phase, ...] = ()


@dataclass(frozen=True)
class _Made:
    """Who made a version, when, from where and from which files, with the note and the audit action."""

    files: Sequence[tuple[str, bytes]]
    by: str
    at: datetime
    note: str
    address: str
    action: str
    new_plan: bool


@dataclass(frozen=True)
class Columns:
    """A person's choice of a ledger's columns, to keep with the plan it is published into: the header row's folded
    text (Ledger.shape) and each folded header's field, "extra" or "ignore"."""

    shape: str
    choices: dict[str, str]


@dataclass(frozen=True)
class PlanSummary:
    plan: Plan
    versions: int
    latest_report_date: date | None


@dataclass(frozen=True)
class Version:
    """One published upload, without its tasks."""

    id: int
    plan_id: int
    number: int  # 1, 2, 3 … within its plan, in the order published
    report_date: date
    uploaded_at: datetime
    uploaded_by: str
    note: str
    file_names: tuple[str, ...]
    task_count: int
    content_sha256: str
    unit_id: int | None = None
    withdrawn_at: datetime | None = None
    withdrawn_by: str | None = None
    withdrawn_reason: str | None = None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


@dataclass(frozen=True)
class Published:
    version: Version
    created: bool  # False: these exact files were published before, as `version`


@dataclass(frozen=True)
class Closed:
    """A plan marked closed (结束) after its archive: read-only from then on."""

    at: datetime
    by: str


CLOSED_PREFIX = "plan_closed:"  # the meta row that marks a plan closed: its key ends with the plan's id


def refuse_closed(conn: sa.Connection, plan_id: int) -> None:
    """Inside a write transaction: StoreError "store.plan_closed" when the plan is closed, so nothing is written."""
    if conn.execute(sa.select(meta_table.c.key).where(meta_table.c.key == f"{CLOSED_PREFIX}{plan_id}")).first():
        name = conn.execute(sa.select(plans_table.c.name).where(plans_table.c.id == plan_id)).scalar()
        raise StoreError("store.plan_closed", str(name or plan_id))


def content_sha256(files: Sequence[tuple[str, bytes]]) -> str:
    """One digest for an upload of one or two files: the same bytes give the same digest whatever the names."""
    digest = hashlib.sha256()
    for _, data in files:
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


class Store:
    """Versions of the ledger. Publishing is one transaction: a failed publish leaves no trace."""

    def __init__(self, url: str):
        self.url = url
        path = sa.engine.make_url(url).database if url.startswith("sqlite") else None
        if path and not path.startswith("file:") and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.engine = make_engine(url)
        migrate(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[sa.Connection]:
        """A write transaction: committed at the end of the block, rolled back if it raises. On SQLite it holds the
        database's write lock from its start, so what it reads and writes is one step for every other writer."""
        with self.engine.connect().execution_options(**{WRITING: True}) as conn, conn.begin():
            yield conn

    def secret(self, name: str) -> bytes:
        """A random key the store keeps for every app instance (the device tokens' signing key), made on first use."""
        key = f"secret:{name}"
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == key)).scalar()
        if found is None:
            with contextlib.suppress(IntegrityError), self.transaction() as conn:
                conn.execute(meta_table.insert().values(key=key, value=secrets.token_hex(32)))
            with self.engine.connect() as conn:
                found = conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == key)).scalar_one()
        return bytes.fromhex(found)

    # --- plans -------------------------------------------------------------------------------------------
    def plans(self) -> list[PlanSummary]:
        """Every plan with its number of versions and newest report date; real plans first, oldest first."""
        counted = (
            sa.select(
                versions_table.c.plan_id,
                sa.func.count().label("versions"),
                sa.func.max(versions_table.c.report_date).label("latest"),
            )
            .where(LIVE)
            .group_by(versions_table.c.plan_id)
            .subquery()
        )
        query = (
            sa.select(plans_table, counted.c.versions, counted.c.latest)
            .outerjoin(counted, counted.c.plan_id == plans_table.c.id)
            .order_by(plans_table.c.demo, plans_table.c.id)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [PlanSummary(_plan(row), row["versions"] or 0, row["latest"]) for row in rows]

    def plan(self, plan_id: int) -> Plan:
        with self.engine.connect() as conn:
            return _plan(conn.execute(sa.select(plans_table).where(plans_table.c.id == plan_id)).mappings().one())

    def plan_named(self, name: str) -> Plan | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(plans_table).where(plans_table.c.name == name.strip())).mappings().first()
        return _plan(row) if row else None

    def create_plan(
        self, name: str, *, created_at: datetime, unit: str = "", demo: bool = False, phases: Sequence[Phase] = ()
    ) -> Plan:
        """A new plan; a name already taken is refused (StoreError "store.plan_exists")."""
        try:
            with self.transaction() as conn:
                plan_id = _insert_plan(conn, NewPlan(name, created_at, unit, tuple(phases)), demo)
        except IntegrityError:
            raise StoreError("store.plan_exists", _plan_name(name)) from None
        return self.plan(plan_id)

    def plan_for(self, name: str, *, created_at: datetime, unit: str = "") -> Plan:
        """The plan of that name, created when missing (by whichever of several processes gets there first)."""
        found = self.plan_named(name)
        if found is not None:
            return found
        try:
            return self.create_plan(name, created_at=created_at, unit=unit)
        except StoreError:
            found = self.plan_named(name)
            if found is None:
                raise
            return found

    def rename_plan(self, plan_id: int, name: str, *, at: datetime, by: str, address: str = "") -> Plan:
        """The plan under a new name (refused when taken or empty), with its record in the audit trail."""
        name = _plan_name(name)
        was = self.plan(plan_id).name
        try:
            with self.transaction() as conn:
                refuse_closed(conn, plan_id)
                conn.execute(plans_table.update().where(plans_table.c.id == plan_id).values(name=name))
                append_audit(
                    conn,
                    at=at,
                    who=by,
                    action="plan_renamed",
                    target=name,
                    address=address,
                    detail={"plan_id": plan_id, "was": was},
                )
        except IntegrityError:
            raise StoreError("store.plan_exists", name) from None
        return self.plan(plan_id)

    def delete_plan(self, plan_id: int, *, at: datetime, by: str, address: str = "") -> None:
        """The plan and all its versions (the demo plan, when an office no longer wants it shown), with its record
        in the audit trail."""
        plan = self.plan(plan_id)
        versions = len(self.versions(plan_id, withdrawn=True))
        with self.transaction() as conn:
            refuse_closed(conn, plan_id)
            append_audit(
                conn,
                at=at,
                who=by,
                action="plan_deleted",
                target=plan.name,
                address=address,
                detail={"plan_id": plan_id, "demo": plan.demo, "versions": versions},
            )
            version_ids = sa.select(versions_table.c.id).where(versions_table.c.plan_id == plan_id)
            for table in (snapshots_table, tasks_table, phases_table, files_table, summaries_table):
                conn.execute(table.delete().where(table.c.version_id.in_(version_ids)))
            conn.execute(requirements_table.delete().where(requirements_table.c.plan_id == plan_id))
            conn.execute(column_choices_table.delete().where(column_choices_table.c.plan_id == plan_id))
            conn.execute(versions_table.delete().where(versions_table.c.plan_id == plan_id))
            conn.execute(plan_phases_table.delete().where(plan_phases_table.c.plan_id == plan_id))
            conn.execute(plans_table.delete().where(plans_table.c.id == plan_id))

    def close_plan(self, plan_id: int, *, at: datetime, by: str, address: str = "") -> Closed:
        """Mark the plan closed (结束): every write to it is refused from then on (StoreError "store.plan_closed"),
        with its record in the audit trail. Refused for a plan already closed."""
        plan = self.plan(plan_id)
        with self.transaction() as conn:
            refuse_closed(conn, plan_id)
            value = json.dumps({"at": at.isoformat(), "by": by}, ensure_ascii=False)
            conn.execute(meta_table.insert().values(key=f"{CLOSED_PREFIX}{plan_id}", value=value))
            append_audit(
                conn,
                at=at,
                who=by,
                action="plan_closed",
                target=plan.name,
                address=address,
                detail={"plan_id": plan_id, "versions": len(self.versions(plan_id))},
            )
        return Closed(at, by)

    def closed(self, plan_id: int) -> Closed | None:
        """When and by whom the plan was closed; None while it is open."""
        with self.engine.connect() as conn:
            found = conn.execute(
                sa.select(meta_table.c.value).where(meta_table.c.key == f"{CLOSED_PREFIX}{plan_id}")
            ).scalar()
        if found is None:
            return None
        value = json.loads(found)
        return Closed(datetime.fromisoformat(value["at"]), value["by"])

    def closed_plans(self) -> set[int]:
        """The ids of the plans closed."""
        with self.engine.connect() as conn:
            keys = conn.execute(sa.select(meta_table.c.key).where(meta_table.c.key.startswith(CLOSED_PREFIX))).scalars()
            return {int(key.removeprefix(CLOSED_PREFIX)) for key in keys}

    def set_plan_phases(self, plan_id: int, phases: Sequence[Phase]) -> None:
        with self.transaction() as conn:
            refuse_closed(conn, plan_id)
            conn.execute(plan_phases_table.delete().where(plan_phases_table.c.plan_id == plan_id))
            _insert_plan_phases(conn, plan_id, phases)

    def plan_phases(self, plan_id: int) -> tuple[Phase, ...]:
        """The plan's phases: its own (from its plan document), else those of its newest version."""
        with self.engine.connect() as conn:
            rows = (
                conn.execute(
                    sa.select(plan_phases_table)
                    .where(plan_phases_table.c.plan_id == plan_id)
                    .order_by(plan_phases_table.c.position)
                )
                .mappings()
                .all()
            )
        if rows:
            return tuple(_phase(row) for row in rows)
        newest = self.newest_report_id(plan_id)
        return self.phases(newest) if newest is not None else ()

    def sample_imported(self) -> bool:
        """Whether the bundled sample was ever imported (deleting the demo plan must not bring it back)."""
        with self.engine.connect() as conn:
            return (
                conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "sample_imported")).scalar()
                is not None
            )

    def mark_sample_imported(self) -> None:
        with contextlib.suppress(IntegrityError), self.transaction() as conn:
            conn.execute(meta_table.insert().values(key="sample_imported", value="1"))

    # --- writing -----------------------------------------------------------------------------------------
    def publish(
        self,
        files: Sequence[tuple[str, bytes]],
        ledger: Ledger,
        *,
        plan: int | NewPlan,
        uploaded_by: str,
        uploaded_at: datetime,
        note: str = "",
        unit_id: int | None = None,
        address: str = "",
        audit_action: str = "publish",
        columns: Columns | None = None,
    ) -> Published:
        """Store a valid ledger and its original files as a new version of the plan — an existing one by id, or
        a new one created in the same transaction — for one of its units when given; the same files again are not
        stored (whichever plan they went to) unless the earlier version was withdrawn. `columns`, a person's choice
        of the ledger's columns, is kept with the plan in the same transaction."""
        if ledger.errors:
            raise ValueError("a ledger with errors cannot be published")  # callers check first: programmer error
        digest = content_sha256(files)
        existing = self.find_by_sha(digest)
        if existing is not None:
            return Published(existing, False)
        if isinstance(plan, NewPlan) and self.plan_named(plan.name) is not None:
            raise StoreError("store.plan_exists", _plan_name(plan.name))
        try:
            with self.transaction() as conn:
                plan_id = _insert_plan(conn, plan) if isinstance(plan, NewPlan) else plan
                refuse_closed(conn, plan_id)
                made = _Made(files, uploaded_by, uploaded_at, note, address, audit_action, isinstance(plan, NewPlan))
                version_id = self._insert_version(conn, plan_id, ledger, digest, unit_id, made)
                if unit_id is not None:
                    _attach_unit(conn, plan_id, unit_id)
                if columns is not None:
                    _save_columns(conn, plan_id, columns, uploaded_at, uploaded_by)
        except IntegrityError:
            existing = self.find_by_sha(digest)
            if existing is None:
                raise
            return Published(existing, False)
        return Published(self.version(version_id), True)

    def publish_units(
        self,
        files: Sequence[tuple[str, bytes]],
        parts: Sequence[tuple[str, Ledger]],
        *,
        plan: int | NewPlan,
        uploaded_by: str,
        uploaded_at: datetime,
        note: str = "",
        address: str = "",
        columns: Columns | None = None,
    ) -> list[Published]:
        """A group's ledger whose rows name their units, as one version per unit — `parts`: (unit name, that unit's
        ledger) — in one transaction: the plan (when new), the units it does not know yet, their versions and the
        audit records land together or not at all. A unit whose part of these files was published before keeps that
        version."""
        if any(part.errors for _, part in parts):
            raise ValueError("a ledger with errors cannot be published")  # callers check first: programmer error
        whole = content_sha256(files)
        digests = [unit_sha256(whole, name) for name, _ in parts]
        if isinstance(plan, NewPlan) and self.plan_named(plan.name) is not None:
            raise StoreError("store.plan_exists", _plan_name(plan.name))
        created: dict[int, int] = {}  # part → new version id
        try:
            with self.transaction() as conn:
                plan_id = _insert_plan(conn, plan) if isinstance(plan, NewPlan) else plan
                refuse_closed(conn, plan_id)
                known = {
                    fold(name): unit_id
                    for unit_id, name in conn.execute(sa.select(units_table.c.id, units_table.c.name))
                }
                for i, ((name, ledger), digest) in enumerate(zip(parts, digests, strict=True)):
                    unit_id = known.get(fold(name))
                    if unit_id is None:
                        unit_id = known[fold(name)] = inserted_id(
                            conn.execute(units_table.insert().values(name=_unit_name(name), created_at=uploaded_at))
                        )
                        append_audit(
                            conn,
                            at=uploaded_at,
                            who=uploaded_by,
                            action="unit_added",
                            target=_unit_name(name),
                            address=address,
                        )
                    _attach_unit(conn, plan_id, unit_id)
                    if conn.execute(
                        sa.select(versions_table.c.id).where(versions_table.c.content_sha256 == digest)
                    ).first():
                        continue
                    made = _Made(files, uploaded_by, uploaded_at, note, address, "publish", isinstance(plan, NewPlan))
                    created[i] = self._insert_version(conn, plan_id, ledger, digest, unit_id, made)
                if columns is not None:
                    _save_columns(conn, plan_id, columns, uploaded_at, uploaded_by)
        except IntegrityError:
            if all(self.find_by_sha(digest) is not None for digest in digests):  # another process got there first
                return [Published(self.find_by_sha(digest), False) for digest in digests]  # type: ignore[arg-type]
            raise
        found = []
        for i, digest in enumerate(digests):
            version = self.version(created[i]) if i in created else self.find_by_sha(digest)
            assert version is not None
            found.append(Published(version, i in created))
        return found

    def column_choices(self, plan_id: int) -> dict[str, str]:
        """The columns a person chose for the plan's ledgers: each folded header → field, "extra" or "ignore", the
        latest choice of every header over all the header rows confirmed (a changed header row then asks only about
        its new columns)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(column_choices_table.c.choices)
                .where(column_choices_table.c.plan_id == plan_id)
                .order_by(column_choices_table.c.saved_at)
            ).scalars()
            merged: dict[str, str] = {}
            for text in rows:
                merged.update(json.loads(text))
        return merged

    def _insert_version(self, conn, plan_id: int, ledger: Ledger, digest: str, unit_id: int | None, made: _Made) -> int:
        """One version's rows — the version, its files, phases, tasks and snapshot — and its audit record."""
        files, uploaded_by, uploaded_at, note = made.files, made.by, made.at, made.note
        warnings = [issue_to_dict(issue) for issue in ledger.warnings]
        version_id = conn.execute(
            versions_table.insert().values(
                plan_id=plan_id,
                unit_id=unit_id,
                content_sha256=digest,
                report_date=ledger.report_date,
                uploaded_at=uploaded_at,
                uploaded_by=uploaded_by,
                note=note,
                file_names=json.dumps([name for name, _ in files], ensure_ascii=False),
                task_count=len(ledger.tasks),
                matched_by_id=ledger.matched_by_id,
                warnings=json.dumps(warnings, ensure_ascii=False),
            )
        ).inserted_primary_key[0]
        conn.execute(
            files_table.insert(),
            [
                {
                    "version_id": version_id,
                    "position": i,
                    "name": name,
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "size": len(data),
                    "content": data,
                }
                for i, (name, data) in enumerate(files)
            ],
        )
        if ledger.phases:
            conn.execute(
                phases_table.insert(),
                [
                    {
                        "version_id": version_id,
                        "position": i,
                        "name": p.name,
                        "start": p.start,
                        "end": p.end,
                        "order": p.order,
                        "description": p.description,
                    }
                    for i, p in enumerate(ledger.phases)
                ],
            )
        rows = task_rows(version_id, ledger.tasks)
        if rows:
            conn.execute(tasks_table.insert(), rows)
        stored = tasks_frame([tuple(row[name] for name in TASK_COLUMNS) for row in rows])  # as ledger() reads rows
        extra = [column for column in ledger.tasks.columns if column.startswith(EXTRA_PREFIX)]
        if extra:  # the measures' extra fields live in the snapshot only (README "The ledger spreadsheet")
            stored = pd.concat([stored, ledger.tasks[extra].reset_index(drop=True)], axis=1)
        conn.execute(snapshots_table.insert().values(version_id=version_id, arrow=snapshot_bytes(stored)))
        append_audit(
            conn,
            at=made.at,
            who=made.by,
            action=made.action,
            target=f"version {version_id}",
            address=made.address,
            detail={
                "plan_id": plan_id,
                "unit_id": unit_id,
                "files": [n for n, _ in files],
                "sha256": digest,
                "report_date": ledger.report_date.isoformat(),
                "new_plan": made.new_plan,
            },
        )
        return version_id

    # --- meeting requirements ----------------------------------------------------------------------------
    def add_requirement(self, plan_id: int, new: NewRequirement, address: str = "") -> Requirement:
        """Record a meeting requirement with the plan; the ledger is not touched.
        Raises requirements.RequirementError for an empty or overlong text."""
        new = checked(new)
        with self.transaction() as conn:
            found = conn.execute(
                sa.select(versions_table.c.plan_id).where(versions_table.c.id == new.version_id)
            ).scalar()
            if found != plan_id:
                raise StoreError("store.no_version", str(new.version_id))
            refuse_closed(conn, plan_id)
            requirement_id = inserted_id(
                conn.execute(
                    requirements_table.insert().values(
                        plan_id=plan_id,
                        version_id=new.version_id,
                        scope=new.scope,
                        target=new.target,
                        keys=json.dumps(list(new.keys), ensure_ascii=False),
                        measure=new.measure,
                        text=new.text,
                        given_by=new.given_by,
                        meeting_date=new.meeting_date,
                        due=new.due,
                        recorded_by=new.recorded_by,
                        recorded_at=new.recorded_at,
                    )
                )
            )
            append_audit(
                conn,
                at=new.recorded_at,
                who=new.recorded_by,
                action="requirement",
                target=f"requirement {requirement_id}",
                address=address,
                detail={
                    "plan_id": plan_id,
                    "version_id": new.version_id,
                    "scope": new.scope,
                    "target": new.target,
                    "text": new.text[:200],
                },
            )
        return next(r for r in self.requirements(plan_id) if r.id == requirement_id)

    def requirements(self, plan_id: int) -> list[Requirement]:
        """The plan's requirements not withdrawn, in the order recorded."""
        query = (
            sa.select(requirements_table)
            .where(requirements_table.c.plan_id == plan_id, requirements_table.c.withdrawn_at.is_(None))
            .order_by(requirements_table.c.id)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            Requirement(
                row["scope"],
                row["target"],
                tuple(json.loads(row["keys"])),
                row["measure"],
                row["text"],
                row["given_by"],
                row["meeting_date"],
                row["due"],
                row["version_id"],
                row["recorded_by"],
                row["recorded_at"],
                id=row["id"],
                plan_id=row["plan_id"],
            )
            for row in rows
        ]

    def withdraw_requirement(self, requirement_id: int, *, by: str, at: datetime) -> None:
        """Take back a requirement recorded by mistake: it is kept (who withdrew it, when) but no longer shown."""
        with self.transaction() as conn:
            plan_id = conn.execute(
                sa.select(requirements_table.c.plan_id).where(requirements_table.c.id == requirement_id)
            ).scalar()
            if plan_id is not None:
                refuse_closed(conn, plan_id)
            conn.execute(
                requirements_table.update()
                .where(requirements_table.c.id == requirement_id)
                .values(withdrawn_at=at, withdrawn_by=by)
            )

    def requirements_stamp(self, plan_id: int) -> tuple[int, int]:
        """Changes whenever a requirement of the plan is recorded or withdrawn: it keys the pages' caches."""
        table = requirements_table
        query = sa.select(sa.func.count(), sa.func.coalesce(sa.func.max(table.c.id), 0)).where(
            table.c.plan_id == plan_id, table.c.withdrawn_at.is_(None)
        )
        with self.engine.connect() as conn:
            count, newest = conn.execute(query).one()
        return int(count), int(newest)

    def version_order(self, plan_id: int, unit_id: int | None = None) -> dict[int, int]:
        """The plan's (or one unit's) versions ranked 0, 1, 2 … by report date, then publish order (oldest
        first)."""
        return {v.id: n for n, v in enumerate(reversed(self.versions(plan_id, unit_id)))}

    # --- reading -----------------------------------------------------------------------------------------
    def versions(self, plan_id: int, unit_id: int | None = None, *, withdrawn: bool = False) -> list[Version]:
        """The plan's versions (of one unit, when given), newest report date first (a week published late takes its
        place in time; on the same report date the later publish comes first); withdrawn ones only when asked.
        Numbers count every version of the plan in publish order, so they never change."""
        table = versions_table
        number = sa.func.row_number().over(order_by=table.c.id).label("number")
        numbered = sa.select(table, number).where(table.c.plan_id == plan_id).subquery()
        query = sa.select(numbered)
        if not withdrawn:
            query = query.where(numbered.c.withdrawn_at.is_(None))
        if unit_id is not None:  # one unit's among thousands: filtered by the database
            query = query.where(numbered.c.unit_id == unit_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(numbered.c.report_date.desc(), numbered.c.id.desc())).mappings().all()
        return [_version(row, row["number"]) for row in rows]

    def newest_report_id(self, plan_id: int, unit_id: int | None = None) -> int | None:
        """The plan's (or unit's) live version with the newest report date: what the dashboard shows unless a user
        picks another."""
        query = sa.select(versions_table.c.id).where(versions_table.c.plan_id == plan_id, LIVE)
        if unit_id is not None:
            query = query.where(versions_table.c.unit_id == unit_id)
        with self.engine.connect() as conn:
            return conn.execute(
                query.order_by(versions_table.c.report_date.desc(), versions_table.c.id.desc()).limit(1)
            ).scalar()

    def last_published_id(self, plan_id: int | None = None) -> int | None:
        """The id of the last publish (into the plan, or anywhere): every new publish changes it, whatever its
        report date."""
        query = sa.select(sa.func.max(versions_table.c.id))
        if plan_id is not None:
            query = query.where(versions_table.c.plan_id == plan_id)
        with self.engine.connect() as conn:
            return conn.execute(query).scalar()

    def changes_stamp(self, plan_id: int) -> str:
        """Changes whenever the plan's set of live versions changes — a publish, a withdrawal, a restore — so it
        keys the caches of figures across versions."""
        table = versions_table
        withdrawn = sa.case((table.c.withdrawn_at.is_not(None), table.c.id), else_=0)
        query = sa.select(
            sa.func.coalesce(sa.func.max(table.c.id), 0),
            sa.func.count(table.c.withdrawn_at),
            sa.func.coalesce(sa.func.sum(withdrawn), 0),
            sa.func.max(table.c.withdrawn_at),
        ).where(table.c.plan_id == plan_id)
        with self.engine.connect() as conn:
            newest, count, ids, last = conn.execute(query).one()
        return f"{newest}:{count}:{ids}:{last}"

    def review_stamp(self, plan_id: int) -> str:
        """Changes whenever evidence is added to the plan or a closure decision is recorded: with changes_stamp it
        keys the caches of figures that count what has been verified."""
        with self.engine.connect() as conn:
            decided = conn.execute(
                sa.select(sa.func.coalesce(sa.func.max(closure_table.c.id), 0)).where(
                    closure_table.c.plan_id == plan_id
                )
            ).scalar_one()
            added = conn.execute(
                sa.select(sa.func.coalesce(sa.func.max(evidence_table.c.id), 0)).where(
                    evidence_table.c.plan_id == plan_id
                )
            ).scalar_one()
        return f"|r{decided}:{added}"

    def review_stamps(self, plan_id: int) -> dict[int | None, int]:
        """Per unit (None: the plan's own), the newest closure decision's id: a unit's figures change with it."""
        query = (
            sa.select(closure_table.c.unit_id, sa.func.max(closure_table.c.id))
            .where(closure_table.c.plan_id == plan_id)
            .group_by(closure_table.c.unit_id)
        )
        with self.engine.connect() as conn:
            return {unit: int(newest) for unit, newest in conn.execute(query)}

    def summaries(self, bases: dict[int, str]) -> dict[int, dict]:
        """The kept figures of versions (id → basis), of those kept on that same basis."""
        if not bases:
            return {}
        found: dict[int, dict] = {}
        ids = list(bases)
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 1000):  # bounded IN lists
                query = sa.select(summaries_table).where(summaries_table.c.version_id.in_(ids[start : start + 1000]))
                for row in conn.execute(query):
                    if bases.get(row.version_id) == row.basis:
                        found[row.version_id] = json.loads(row.figures)
        return found

    def keep_summaries(self, kept: dict[int, tuple[str, dict]]) -> bool:
        """Keep versions' figures (id → (basis, figures)), replacing any made on another basis. Best effort: a
        read-only store, or another instance keeping the same at the same moment, leaves things as they are (False)."""
        if not kept:
            return True
        rows = [
            {"version_id": i, "basis": b, "figures": json.dumps(f, ensure_ascii=False)} for i, (b, f) in kept.items()
        ]
        try:
            with self.transaction() as conn:
                conn.execute(summaries_table.delete().where(summaries_table.c.version_id.in_(list(kept))))
                conn.execute(summaries_table.insert(), rows)
        except (IntegrityError, sa.exc.OperationalError, sa.exc.ProgrammingError):
            return False
        return True

    def units_stamp(self, plan_id: int) -> str:
        """Changes when a unit is added to the plan: it keys the roll-up's cache with changes_stamp."""
        query = sa.select(sa.func.count(), sa.func.coalesce(sa.func.max(plan_units_table.c.unit_id), 0)).where(
            plan_units_table.c.plan_id == plan_id
        )
        with self.engine.connect() as conn:
            count, newest = conn.execute(query).one()
        return f"|u{count}:{newest}"

    # --- withdrawing ---------------------------------------------------------------------------------------
    def withdraw(self, version_id: int, *, by: str, reason: str, at: datetime, address: str = "") -> Version:
        """Take a version out of the figures, trends, pickers and diffs; its files stay, and the same files may be
        published again. Raises StoreError for a version already withdrawn or an empty reason."""
        reason = " ".join(reason.split())
        if not reason:
            raise StoreError("store.withdraw_reason")
        with self.transaction() as conn:
            row = conn.execute(sa.select(versions_table).where(versions_table.c.id == version_id)).mappings().first()
            if row is None:
                raise StoreError("store.no_version", str(version_id))
            refuse_closed(conn, row["plan_id"])
            if row["withdrawn_at"] is not None:
                raise StoreError("store.already_withdrawn", str(version_id))
            conn.execute(
                versions_table.update()
                .where(versions_table.c.id == version_id)
                .values(
                    withdrawn_at=at,
                    withdrawn_by=by,
                    withdrawn_reason=reason[:2000],
                    withdrawn_sha256=row["content_sha256"],
                    content_sha256=f"withdrawn:{version_id}",
                )
            )
            append_audit(
                conn,
                at=at,
                who=by,
                action="withdraw",
                target=f"version {version_id}",
                address=address,
                detail={
                    "plan_id": row["plan_id"],
                    "reason": reason,
                    "files": json.loads(row["file_names"]),
                    "sha256": row["content_sha256"],
                },
            )
        return self.version(version_id)

    def restore(self, version_id: int, *, by: str, at: datetime, address: str = "") -> Version:
        """Bring a withdrawn version back; refused while the same files are published again as another version."""
        with self.transaction() as conn:
            row = conn.execute(sa.select(versions_table).where(versions_table.c.id == version_id)).mappings().first()
            if row is None:
                raise StoreError("store.no_version", str(version_id))
            refuse_closed(conn, row["plan_id"])
            if row["withdrawn_at"] is None:
                raise StoreError("store.not_withdrawn", str(version_id))
            again = conn.execute(
                sa.select(versions_table.c.id).where(versions_table.c.content_sha256 == row["withdrawn_sha256"])
            ).scalar()
            if again is not None:
                raise StoreError("store.restore_duplicate", str(again))
            conn.execute(
                versions_table.update()
                .where(versions_table.c.id == version_id)
                .values(
                    withdrawn_at=None,
                    withdrawn_by=None,
                    withdrawn_reason=None,
                    withdrawn_sha256=None,
                    content_sha256=row["withdrawn_sha256"],
                )
            )
            append_audit(
                conn,
                at=at,
                who=by,
                action="restore",
                target=f"version {version_id}",
                address=address,
                detail={"plan_id": row["plan_id"]},
            )
        return self.version(version_id)

    def version(self, version_id: int) -> Version:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(versions_table).where(versions_table.c.id == version_id)).mappings().one()
            return _version(row, self._number(conn, row))

    @staticmethod
    def _number(conn: sa.Connection, row) -> int:
        return conn.execute(
            sa.select(sa.func.count())
            .select_from(versions_table)
            .where(versions_table.c.plan_id == row["plan_id"], versions_table.c.id <= row["id"])
        ).scalar_one()

    def find_by_sha(self, digest: str) -> Version | None:
        with self.engine.connect() as conn:
            row = (
                conn.execute(sa.select(versions_table).where(versions_table.c.content_sha256 == digest))
                .mappings()
                .first()
            )
            return _version(row, self._number(conn, row)) if row else None

    def files(self, version_id: int) -> list[tuple[str, bytes]]:
        """The original files of a version, exactly as uploaded."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(files_table.c.name, files_table.c.content)
                .where(files_table.c.version_id == version_id)
                .order_by(files_table.c.position)
            )
            return [(name, bytes(content)) for name, content in rows]

    def phases(self, version_id: int) -> tuple[Phase, ...]:
        with self.engine.connect() as conn:
            rows = (
                conn.execute(
                    sa.select(phases_table)
                    .where(phases_table.c.version_id == version_id)
                    .order_by(phases_table.c.position)
                )
                .mappings()
                .all()
            )
        return tuple(_phase(row) for row in rows)

    def ledger(self, version_id: int) -> Ledger:
        """The ledger of a version as it was published (its warnings included): its task table from the snapshot
        written when it was published, or from its rows for a version published before schema 5."""
        with self.engine.connect() as conn:
            head = conn.execute(sa.select(versions_table).where(versions_table.c.id == version_id)).mappings().one()
            snapshot = conn.execute(
                sa.select(snapshots_table.c.arrow).where(snapshots_table.c.version_id == version_id)
            ).scalar()
            tasks = snapshot_frame(snapshot) if snapshot is not None else rows_frame(conn, version_id)
        warnings = tuple(issue_from_dict(item) for item in json.loads(head["warnings"]))
        return Ledger(tasks, self.phases(version_id), head["report_date"], True, warnings, head["matched_by_id"])

    def tasks_from_rows(self, version_id: int) -> pd.DataFrame:
        """A version's task table read from its rows, as before schema 5 (what its snapshot is checked and
        benchmarked against)."""
        with self.engine.connect() as conn:
            return rows_frame(conn, version_id)

    def unit_versions(self, plan_id: int, as_of: date | None = None) -> dict[int, Version]:
        """Each unit's newest live version of the plan (reported on or before as_of, when given), by unit id."""
        table = versions_table
        number = sa.func.row_number().over(order_by=table.c.id).label("number")  # as versions() numbers them
        numbered = sa.select(table, number).where(table.c.plan_id == plan_id).subquery()
        newest_first = sa.func.row_number().over(
            partition_by=numbered.c.unit_id, order_by=(numbered.c.report_date.desc(), numbered.c.id.desc())
        )
        live = sa.select(numbered, newest_first.label("rank")).where(
            numbered.c.withdrawn_at.is_(None), numbered.c.unit_id.is_not(None)
        )
        if as_of is not None:
            live = live.where(numbered.c.report_date <= as_of)
        ranked = live.subquery()
        query = sa.select(ranked).where(ranked.c.rank == 1).order_by(ranked.c.report_date, ranked.c.id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return {row["unit_id"]: _version(row, row["number"]) for row in rows}

    def ledgers(self, version_ids: Sequence[int]) -> dict[int, Ledger]:
        """Several versions' ledgers in four queries (the roll-up reads hundreds at once): snapshots, and the rows of
        versions published before schema 5."""
        if not version_ids:
            return {}
        ids = list(version_ids)
        with self.engine.connect() as conn:
            heads = {
                row["id"]: row
                for row in conn.execute(sa.select(versions_table).where(versions_table.c.id.in_(ids))).mappings()
            }
            snapshots = dict(
                conn.execute(
                    sa.select(snapshots_table.c.version_id, snapshots_table.c.arrow).where(
                        snapshots_table.c.version_id.in_(ids)
                    )
                ).all()
            )
            missing = [i for i in ids if i not in snapshots]
            rows = (
                conn.execute(
                    sa.select(tasks_table.c.version_id, *[tasks_table.c[name] for name in TASK_COLUMNS])
                    .where(tasks_table.c.version_id.in_(missing))
                    .order_by(tasks_table.c.version_id, tasks_table.c.position)
                ).fetchall()
                if missing
                else []
            )
            phase_rows = (
                conn.execute(
                    sa.select(phases_table)
                    .where(phases_table.c.version_id.in_(ids))
                    .order_by(phases_table.c.version_id, phases_table.c.position)
                )
                .mappings()
                .all()
            )
        tasks = tasks_frame([row[1:] for row in rows])
        owners = pd.Series([row[0] for row in rows], dtype="int64")
        phases: dict[int, list[Phase]] = {}
        for row in phase_rows:
            phases.setdefault(row["version_id"], []).append(_phase(row))
        kept = dict(zip(snapshots, snapshot_frames(list(snapshots.values())), strict=True))
        found = {}
        for version_id in ids:
            if version_id in kept:
                mine = kept[version_id]
            else:
                mine = tasks[(owners == version_id).to_numpy()].reset_index(drop=True)
            head = heads[version_id]
            warnings = tuple(issue_from_dict(item) for item in json.loads(head["warnings"]))
            found[version_id] = Ledger(
                mine, tuple(phases.get(version_id, ())), head["report_date"], True, warnings, head["matched_by_id"]
            )
        return found

    def history(self, plan_id: int, columns: Sequence[str] = TASK_COLUMNS, unit_id: int | None = None) -> pd.DataFrame:
        """The tasks of every live version of the plan (of one unit, when given; chosen columns), with version_id
        and report_date, oldest report first."""
        query = (
            sa.select(
                tasks_table.c.version_id, versions_table.c.report_date, *[tasks_table.c[name] for name in columns]
            )
            .join(versions_table, versions_table.c.id == tasks_table.c.version_id)
            .where(versions_table.c.plan_id == plan_id, LIVE)
            .order_by(versions_table.c.report_date, tasks_table.c.version_id, tasks_table.c.position)
        )
        if unit_id is not None:
            query = query.where(versions_table.c.unit_id == unit_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).fetchall()
        frame = pd.DataFrame(rows, columns=["version_id", "report_date", *columns])
        for name in set(columns) & set(DATE_COLUMNS):
            frame[name] = date_column(frame[name].tolist())
        return frame

    def counts(self) -> dict[str, int]:
        """Rows per table: what a test compares before and after an operation that must change nothing."""
        with self.engine.connect() as conn:
            return {
                table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                for table in (plans_table, versions_table, files_table, phases_table, tasks_table, requirements_table)
            }

    def dispose(self) -> None:
        self.engine.dispose()


def _plan(row) -> Plan:
    return Plan(row["id"], row["name"], row["unit"], bool(row["demo"]), row["created_at"])


def _phase(row) -> Phase:
    return Phase(row["name"], row["start"], row["end"], row["order"], row["description"])


def _plan_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise StoreError("store.plan_name_empty")
    if len(name) > MAX_PLAN_NAME:
        raise StoreError("store.plan_name_long", name[:40], limit=MAX_PLAN_NAME)
    return name


def _insert_plan(conn, plan: NewPlan, demo: bool = False) -> int:
    plan_id = conn.execute(
        plans_table.insert().values(
            name=_plan_name(plan.name), unit=plan.unit.strip()[:MAX_PLAN_NAME], demo=demo, created_at=plan.created_at
        )
    ).inserted_primary_key[0]
    _insert_plan_phases(conn, plan_id, plan.phases)
    return plan_id


def _insert_plan_phases(conn, plan_id: int, phases: Sequence[Phase]) -> None:
    if phases:
        conn.execute(
            plan_phases_table.insert(),
            [
                {
                    "plan_id": plan_id,
                    "position": i,
                    "name": p.name,
                    "start": p.start,
                    "end": p.end,
                    "order": p.order,
                    "description": p.description,
                }
                for i, p in enumerate(phases)
            ],
        )


def _attach_unit(conn: sa.Connection, plan_id: int, unit_id: int) -> None:
    found = conn.execute(
        sa.select(plan_units_table).where(plan_units_table.c.plan_id == plan_id, plan_units_table.c.unit_id == unit_id)
    ).first()
    if found is None:
        conn.execute(plan_units_table.insert().values(plan_id=plan_id, unit_id=unit_id))


def unit_sha256(content: str, unit: str) -> str:
    """The digest of one unit's version of a group's ledger: the files' digest and the unit (folded), so that each
    unit's part is one version, and the same files published again are each unit's same version."""
    return hashlib.sha256(f"{content}\x1funit:{fold(unit)}".encode()).hexdigest()


def _unit_name(name: str) -> str:
    return " ".join(name.split())[:200]


def _save_columns(conn: sa.Connection, plan_id: int, columns: Columns, at: datetime, by: str) -> None:
    """Keep a person's choice of columns with the plan: one record per header row (the newest choice wins)."""
    key = hashlib.sha256(columns.shape.encode()).hexdigest()
    conn.execute(
        column_choices_table.delete().where(
            column_choices_table.c.plan_id == plan_id, column_choices_table.c.shape_sha256 == key
        )
    )
    conn.execute(
        column_choices_table.insert().values(
            plan_id=plan_id,
            shape_sha256=key,
            shape=columns.shape,
            choices=json.dumps(columns.choices, ensure_ascii=False),
            saved_at=at,
            saved_by=by[:200],
        )
    )


def _version(row, number: int) -> Version:
    return Version(
        row["id"],
        row["plan_id"],
        number,
        row["report_date"],
        row["uploaded_at"],
        row["uploaded_by"],
        row["note"],
        tuple(json.loads(row["file_names"])),
        row["task_count"],
        row["withdrawn_sha256"] or row["content_sha256"],
        row["unit_id"],
        row["withdrawn_at"],
        row["withdrawn_by"],
        row["withdrawn_reason"],
    )
