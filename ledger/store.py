"""The history store: plans, and every published ledger version of each with its original files, in SQLite or
PostgreSQL."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from ledger.model import (
    DATE,
    DATE_COLUMNS,
    EXTRA_PREFIX,
    FLAG,
    FLOAT,
    INT,
    STATUS,
    TASK_COLUMNS,
    TASK_DTYPES,
    TASK_FIELDS,
    TEXT,
    Issue,
    Ledger,
    Phase,
    date_column,
    task_table,
)
from ledger.requirements import NewRequirement, Requirement, checked
from ledger.text import fold

SCHEMA_VERSION = 7  # 1: versions only; 2: plans, and the problem, goal, 立行立改 and 销号 fields of a task;
# 3: meeting requirements; 4: units, accounts, sessions, the audit trail, withdrawn versions; 5: task snapshots;
# 6: a plan's confirmed columns (a snapshot also holds the measures' extra fields); 7: the login throttle's counts
DEFAULT_SQLITE = Path(__file__).resolve().parent.parent / "data" / "ledger.db"
DEMO_UPLOADER = "示例数据"  # who "published" the bundled sample weeks
MAX_PLAN_NAME = 200

metadata = sa.MetaData()
meta_table = sa.Table(
    "ledger_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
plans_table = sa.Table(
    "ledger_plans",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(MAX_PLAN_NAME), nullable=False, unique=True),
    sa.Column("unit", sa.String(MAX_PLAN_NAME), nullable=False, default=""),
    sa.Column("demo", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)
plan_phases_table = sa.Table(
    "ledger_plan_phases",
    metadata,
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("ledger_plans.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("start", sa.Date, nullable=False),
    sa.Column("end", sa.Date, nullable=False),
    sa.Column("order", sa.Integer, nullable=False),
    sa.Column("description", sa.Text, nullable=False),
)
versions_table = sa.Table(
    "ledger_versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("ledger_plans.id", ondelete="CASCADE"), nullable=True, index=True),
    sa.Column("content_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("report_date", sa.Date, nullable=False),
    sa.Column("uploaded_at", sa.DateTime, nullable=False),
    sa.Column("uploaded_by", sa.String(200), nullable=False),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("file_names", sa.Text, nullable=False),  # JSON list, in upload order
    sa.Column("task_count", sa.Integer, nullable=False),
    sa.Column("matched_by_id", sa.Boolean, nullable=False),
    sa.Column("warnings", sa.Text, nullable=False),  # JSON list of issues
    sa.Column("unit_id", sa.Integer, sa.ForeignKey("ledger_units.id"), nullable=True, index=True),
    sa.Column("withdrawn_at", sa.DateTime, nullable=True),
    sa.Column("withdrawn_by", sa.String(200), nullable=True),
    sa.Column("withdrawn_reason", sa.Text, nullable=True),
    sa.Column("withdrawn_sha256", sa.String(64), nullable=True),  # the content digest while withdrawn
)
_ADDED_IN_4 = (
    ("unit_id", "INTEGER REFERENCES ledger_units(id)"),
    ("withdrawn_at", "TIMESTAMP"),
    ("withdrawn_by", "VARCHAR(200)"),
    ("withdrawn_reason", "TEXT"),
    ("withdrawn_sha256", "VARCHAR(64)"),
)
units_table = sa.Table(
    "ledger_units",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
)
plan_units_table = sa.Table(  # the units expected to report for a plan
    "ledger_plan_units",
    metadata,
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("ledger_plans.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("unit_id", sa.Integer, sa.ForeignKey("ledger_units.id", ondelete="CASCADE"), primary_key=True),
)
users_table = sa.Table(
    "ledger_users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("password_changed_at", sa.DateTime, nullable=False),
)
user_units_table = sa.Table(
    "ledger_user_units",
    metadata,
    sa.Column("user_id", sa.Integer, sa.ForeignKey("ledger_users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("unit_id", sa.Integer, sa.ForeignKey("ledger_units.id", ondelete="CASCADE"), primary_key=True),
)
sessions_table = sa.Table(  # logins, shared by every app instance on the database
    "ledger_sessions",
    metadata,
    sa.Column("token_sha256", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("ledger_users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("last_seen_at", sa.DateTime, nullable=False),
    sa.Column("ended_at", sa.DateTime, nullable=True),
    sa.Column("address", sa.String(100), nullable=False, default=""),
)
audit_table = sa.Table(  # append-only: no code path updates or deletes a row, and triggers refuse it
    "ledger_audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False, index=True),
    sa.Column("who", sa.String(100), nullable=False),
    sa.Column("action", sa.String(40), nullable=False, index=True),
    sa.Column("target", sa.Text, nullable=False),
    sa.Column("address", sa.String(100), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),  # JSON object
)
files_table = sa.Table(
    "ledger_files",
    metadata,
    sa.Column("version_id", sa.Integer, sa.ForeignKey("ledger_versions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(500), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
)
phases_table = sa.Table(
    "ledger_phases",
    metadata,
    sa.Column("version_id", sa.Integer, sa.ForeignKey("ledger_versions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("start", sa.Date, nullable=False),
    sa.Column("end", sa.Date, nullable=False),
    sa.Column("order", sa.Integer, nullable=False),
    sa.Column("description", sa.Text, nullable=False),
)
_ADDED_IN_2 = ("problem", "goal", "closure", "immediate")
_STORED = (  # the SQL column of each task-table type, in the order the table's columns are created
    ((INT,), lambda name: sa.Column(name, sa.Integer, nullable=False)),
    ((TEXT, STATUS), lambda name: sa.Column(name, sa.Text, nullable=False, server_default="")),
    ((DATE,), lambda name: sa.Column(name, sa.Date, nullable=True)),
    ((FLAG,), lambda name: sa.Column(name, sa.Boolean, nullable=False, server_default=sa.false())),
    ((FLOAT,), lambda name: sa.Column(name, sa.Float, nullable=True)),
)
tasks_table = sa.Table(
    "ledger_tasks",
    metadata,
    sa.Column("version_id", sa.Integer, sa.ForeignKey("ledger_versions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    *[column(f.name) for dtypes, column in _STORED for f in TASK_FIELDS if f.dtype in dtypes],
)
sa.Index("ix_ledger_tasks_key", tasks_table.c.key)
snapshots_table = sa.Table(  # each version's task table as read back from its rows, written when it is published
    "ledger_task_snapshots",
    metadata,
    sa.Column("version_id", sa.Integer, sa.ForeignKey("ledger_versions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("arrow", sa.LargeBinary, nullable=False),
)
column_choices_table = sa.Table(  # a person's choice of a ledger's columns, remembered with the plan per header row
    "ledger_column_choices",
    metadata,
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("ledger_plans.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("shape_sha256", sa.String(64), primary_key=True),  # of the header row's folded text
    sa.Column("shape", sa.Text, nullable=False),
    sa.Column("choices", sa.Text, nullable=False),  # JSON object: folded header → field, "extra" or "ignore"
    sa.Column("saved_at", sa.DateTime, nullable=False),
    sa.Column("saved_by", sa.String(200), nullable=False),
)
throttle_table = sa.Table(  # failed attempts per key (an account, an address, a browser, everyone): ledger.throttle
    "ledger_throttle",
    metadata,
    sa.Column("key", sa.String(300), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("last_at", sa.DateTime, nullable=False),
)
throttled_table = sa.Table(  # attempts refused while they had to wait, per account, address and minute
    "ledger_throttled",
    metadata,
    sa.Column("minute", sa.DateTime, primary_key=True),
    sa.Column("account", sa.String(100), primary_key=True),
    sa.Column("address", sa.String(100), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
)
requirements_table = sa.Table(
    "ledger_requirements",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("ledger_plans.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("version_id", sa.Integer, sa.ForeignKey("ledger_versions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("scope", sa.String(16), nullable=False),
    sa.Column("target", sa.String(200), nullable=False),
    sa.Column("keys", sa.Text, nullable=False),  # JSON list of task keys
    sa.Column("measure", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("given_by", sa.String(200), nullable=False),
    sa.Column("meeting_date", sa.Date, nullable=False),
    sa.Column("due", sa.Date, nullable=True),
    sa.Column("recorded_by", sa.String(200), nullable=False),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
    sa.Column("withdrawn_at", sa.DateTime, nullable=True),
    sa.Column("withdrawn_by", sa.String(200), nullable=True),
)


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


class StoreError(Exception):
    """The store cannot be used or cannot do what was asked; `code` names the message (i18n `store.*`)."""

    def __init__(self, code: str, detail: str = "", **params: object):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.params = params  # what the message states besides the detail, such as the limit that was exceeded


def problem_code(error: BaseException) -> str:
    """The i18n code of the message a person should read about a database failure (`store.*`): full disk,
    read-only, corrupted file, busy, unreachable… Details stay in the server log."""
    if isinstance(error, StoreError):
        return error.code
    original = getattr(error, "orig", None) or error
    text = str(original).lower()
    state = getattr(original, "sqlstate", None) or ""
    checks = (
        ("store.full", state == "53100" or "disk is full" in text or "no space left" in text),
        ("store.io", "disk i/o error" in text or state.startswith("58")),
        ("store.read_only", state == "25006" or "readonly database" in text or "read-only" in text),
        ("store.corrupt", "file is not a database" in text or "malformed" in text),
        ("store.busy", "database is locked" in text or state in ("55P03", "57014", "40P01")),
        ("store.too_long", state == "22001"),
    )
    for code, matched in checks:
        if matched:
            return code
    if isinstance(error, (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError, OSError)):
        return "store.unavailable"
    return "store.failed"


def problem_params(error: BaseException) -> dict[str, object]:
    """The parameters of problem_code()'s message: the name or id it concerns (`name`), and any limit it states."""
    if isinstance(error, StoreError):
        return {"name": error.detail, **error.params}
    return {"name": ""}


STORE_ERRORS = (StoreError, sa.exc.SQLAlchemyError, OSError)
"""What the store's methods raise when the database fails: callers turn these into problem_code()'s message."""


def content_sha256(files: Sequence[tuple[str, bytes]]) -> str:
    """One digest for an upload of one or two files: the same bytes give the same digest whatever the names."""
    digest = hashlib.sha256()
    for _, data in files:
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


WRITING = "ledger_writing"
_MIGRATION_LOCK = 0x1ED6E5  # any number, the same in every process of this program


SQLITE_BUSY_SECONDS = 8  # how long a statement waits for another writer's lock before "busy"
PG_CONNECT_SECONDS = 4  # per address; a server that accepts and never answers is given up on after this
PG_STATEMENT_MS = 30_000
PG_LOCK_MS = 8_000
POOL_WAIT_SECONDS = 10


def _sqlite_setup(engine: Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(connection, _record):
        connection.isolation_level = None  # let SQLAlchemy's BEGIN below be the only transaction control
        cursor = connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        cursor.execute("PRAGMA foreign_keys=ON")
        with contextlib.suppress(sqlite3.OperationalError):  # a read-only database keeps its mode, still readable
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A writing transaction takes the write lock at its start, so two publishers queue instead of failing
        # on a lock upgrade; readers stay DEFERRED and, with WAL, never wait for a writer.
        mode = "IMMEDIATE" if connection.get_execution_options().get(WRITING) else "DEFERRED"
        connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str) -> Engine:
    """An engine with timeouts, so that a database that never answers gives an error within seconds."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS})
        _sqlite_setup(engine)
        return engine
    given = sa.engine.make_url(url).query
    defaults = {
        "connect_timeout": PG_CONNECT_SECONDS,
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 5,
        "keepalives_count": 2,
        "options": f"-c statement_timeout={PG_STATEMENT_MS} -c lock_timeout={PG_LOCK_MS}",
    }
    connect_args = {key: value for key, value in defaults.items() if key not in given}
    return sa.create_engine(url, pool_pre_ping=True, pool_timeout=POOL_WAIT_SECONDS, connect_args=connect_args)


def shown_url(url: str) -> str:
    """The URL as it may be printed: without its password."""
    if url.startswith("sqlite"):
        return url  # a file path: no password, and clearer unencoded
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except (sa.exc.ArgumentError, ValueError):
        return "(invalid database URL)"


def default_url() -> str:
    return f"sqlite:///{DEFAULT_SQLITE}"


class Store:
    """Versions of the ledger. Publishing is one transaction: a failed publish leaves no trace."""

    def __init__(self, url: str):
        self.url = url
        path = sa.engine.make_url(url).database if url.startswith("sqlite") else None
        if path and not path.startswith("file:") and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.engine = make_engine(url)
        self._migrate()

    @contextmanager
    def transaction(self) -> Iterator[sa.Connection]:
        """A write transaction: committed at the end of the block, rolled back if it raises. On SQLite it holds the
        database's write lock from its start, so what it reads and writes is one step for every other writer."""
        with self.engine.connect().execution_options(**{WRITING: True}) as conn, conn.begin():
            yield conn

    _writing = transaction  # the name the store's own methods use

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

    def _schema_version(self, conn: sa.Connection) -> int | None:
        if not sa.inspect(conn).has_table(meta_table.name):
            return None
        found = conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")).scalar()
        return int(found) if found is not None else None

    def _migrate(self) -> None:
        """Create or upgrade the tables. A store already at this schema is only read (so a read-only database
        opens); several processes opening a fresh database at once take turns (a PostgreSQL advisory lock,
        SQLite's write lock)."""
        with self.engine.connect() as conn:
            found = self._schema_version(conn)
        if found == SCHEMA_VERSION:
            return
        if found is not None and found > SCHEMA_VERSION:
            raise StoreError(
                "store.newer_schema", f"database schema {found} is newer than this program ({SCHEMA_VERSION})"
            )
        with self._writing() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            found = self._schema_version(conn)  # again, now that this process holds the lock
            if found == SCHEMA_VERSION:
                return
            metadata.create_all(conn)
            _append_only(conn)
            if found is None:
                conn.execute(meta_table.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
                return
            if found == 1:
                _from_schema_1(conn)
            if found < 4:
                _from_schema_3(conn)
            if found < 5:
                _from_schema_4(conn)
            conn.execute(
                meta_table.update().where(meta_table.c.key == "schema_version").values(value=str(SCHEMA_VERSION))
            )

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
            with self._writing() as conn:
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
            with self._writing() as conn:
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
        with self._writing() as conn:
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
            for table in (snapshots_table, tasks_table, phases_table, files_table):
                conn.execute(table.delete().where(table.c.version_id.in_(version_ids)))
            conn.execute(requirements_table.delete().where(requirements_table.c.plan_id == plan_id))
            conn.execute(column_choices_table.delete().where(column_choices_table.c.plan_id == plan_id))
            conn.execute(versions_table.delete().where(versions_table.c.plan_id == plan_id))
            conn.execute(plan_phases_table.delete().where(plan_phases_table.c.plan_id == plan_id))
            conn.execute(plans_table.delete().where(plans_table.c.id == plan_id))

    def set_plan_phases(self, plan_id: int, phases: Sequence[Phase]) -> None:
        with self._writing() as conn:
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
        with contextlib.suppress(IntegrityError), self._writing() as conn:
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
            with self._writing() as conn:
                plan_id = _insert_plan(conn, plan) if isinstance(plan, NewPlan) else plan
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
        version (README "Units and the roll-up")."""
        if any(part.errors for _, part in parts):
            raise ValueError("a ledger with errors cannot be published")  # callers check first: programmer error
        whole = content_sha256(files)
        digests = [unit_sha256(whole, name) for name, _ in parts]
        if isinstance(plan, NewPlan) and self.plan_named(plan.name) is not None:
            raise StoreError("store.plan_exists", _plan_name(plan.name))
        created: dict[int, int] = {}  # part → new version id
        try:
            with self._writing() as conn:
                plan_id = _insert_plan(conn, plan) if isinstance(plan, NewPlan) else plan
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
        rows = _task_rows(version_id, ledger.tasks)
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
        """Record a meeting requirement with the plan (README "Meeting requirements"); the ledger is not touched.
        Raises requirements.RequirementError for an empty or overlong text."""
        new = checked(new)
        with self._writing() as conn:
            found = conn.execute(
                sa.select(versions_table.c.plan_id).where(versions_table.c.id == new.version_id)
            ).scalar()
            if found != plan_id:
                raise StoreError("store.no_version", str(new.version_id))
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
        with self._writing() as conn:
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
        with self._writing() as conn:
            row = conn.execute(sa.select(versions_table).where(versions_table.c.id == version_id)).mappings().first()
            if row is None:
                raise StoreError("store.no_version", str(version_id))
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
        with self._writing() as conn:
            row = conn.execute(sa.select(versions_table).where(versions_table.c.id == version_id)).mappings().first()
            if row is None:
                raise StoreError("store.no_version", str(version_id))
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
            tasks = snapshot_frame(snapshot) if snapshot is not None else _rows_frame(conn, version_id)
        warnings = tuple(issue_from_dict(item) for item in json.loads(head["warnings"]))
        return Ledger(tasks, self.phases(version_id), head["report_date"], True, warnings, head["matched_by_id"])

    def tasks_from_rows(self, version_id: int) -> pd.DataFrame:
        """A version's task table read from its rows, as before schema 5 (what its snapshot is checked and
        benchmarked against)."""
        with self.engine.connect() as conn:
            return _rows_frame(conn, version_id)

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


def inserted_id(result: sa.CursorResult) -> int:
    """The primary key an INSERT of one row gave it."""
    key = result.inserted_primary_key
    if key is None:  # never for an INSERT ... VALUES
        raise RuntimeError("the insert returned no primary key")
    return key[0]


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


DEMO_PLAN_NAME = "意识形态工作责任制专项整治方案"
UPGRADED_PLAN_NAME = "整改方案"


def _from_schema_1(conn: sa.Connection) -> None:
    """Schema 1 → 2: the new task fields, and every existing version under one plan — the demo plan when all of
    them are the bundled sample weeks."""
    conn.execute(
        sa.text("ALTER TABLE ledger_versions ADD COLUMN plan_id INTEGER REFERENCES ledger_plans(id) ON DELETE CASCADE")
    )
    conn.execute(sa.text("CREATE INDEX ix_ledger_versions_plan_id ON ledger_versions (plan_id)"))
    for name in ("problem", "goal", "closure"):
        conn.execute(sa.text(f"ALTER TABLE ledger_tasks ADD COLUMN {name} TEXT NOT NULL DEFAULT ''"))
    conn.execute(sa.text("ALTER TABLE ledger_tasks ADD COLUMN immediate BOOLEAN NOT NULL DEFAULT FALSE"))
    uploaders = set(conn.execute(sa.select(versions_table.c.uploaded_by).distinct()).scalars())
    if not uploaders:
        return
    demo = uploaders == {DEMO_UPLOADER}
    plan_id = inserted_id(
        conn.execute(
            plans_table.insert().values(
                name=DEMO_PLAN_NAME if demo else UPGRADED_PLAN_NAME,
                unit="",
                demo=demo,
                created_at=conn.execute(sa.select(sa.func.min(versions_table.c.uploaded_at))).scalar(),
            ),
        )
    )
    conn.execute(versions_table.update().values(plan_id=plan_id))
    if DEMO_UPLOADER in uploaders:
        conn.execute(meta_table.insert().values(key="sample_imported", value="1"))


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


_APPEND_ONLY = "the audit trail is append-only"


def _append_only(conn: sa.Connection) -> None:
    """Triggers that refuse any UPDATE or DELETE (and, on PostgreSQL, TRUNCATE) of the audit trail."""
    if conn.dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            conn.execute(
                sa.text(
                    f"CREATE TRIGGER IF NOT EXISTS ledger_audit_no_{event.lower()} BEFORE {event} ON "
                    f"ledger_audit BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END"
                )
            )
    elif conn.dialect.name == "postgresql":
        conn.execute(
            sa.text(
                "CREATE OR REPLACE FUNCTION ledger_audit_append_only() RETURNS trigger AS $$ BEGIN "
                f"RAISE EXCEPTION '{_APPEND_ONLY}'; END $$ LANGUAGE plpgsql"
            )
        )
        conn.execute(sa.text("DROP TRIGGER IF EXISTS ledger_audit_no_change ON ledger_audit"))
        conn.execute(
            sa.text(
                "CREATE TRIGGER ledger_audit_no_change BEFORE UPDATE OR DELETE ON ledger_audit "
                "FOR EACH ROW EXECUTE FUNCTION ledger_audit_append_only()"
            )
        )
        conn.execute(sa.text("DROP TRIGGER IF EXISTS ledger_audit_no_truncate ON ledger_audit"))
        conn.execute(
            sa.text(
                "CREATE TRIGGER ledger_audit_no_truncate BEFORE TRUNCATE ON ledger_audit "
                "FOR EACH STATEMENT EXECUTE FUNCTION ledger_audit_append_only()"
            )
        )


def _from_schema_3(conn: sa.Connection) -> None:
    """Schema 3 → 4: a version's unit and withdrawal (the new tables come from create_all)."""
    present = {column["name"] for column in sa.inspect(conn).get_columns("ledger_versions")}
    for name, kind in _ADDED_IN_4:
        if name not in present:
            conn.execute(sa.text(f"ALTER TABLE ledger_versions ADD COLUMN {name} {kind}"))


def _from_schema_4(conn: sa.Connection) -> None:
    """Schema 4 → 5: each version's task snapshot, made once from its rows (the table comes from create_all)."""
    done = sa.select(snapshots_table.c.version_id)
    ids = conn.execute(
        sa.select(versions_table.c.id).where(versions_table.c.id.not_in(done)).order_by(versions_table.c.id)
    ).scalars()
    for version_id in list(ids):
        snapshot = snapshot_bytes(_rows_frame(conn, version_id))
        conn.execute(snapshots_table.insert().values(version_id=version_id, arrow=snapshot))


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


LIVE = versions_table.c.withdrawn_at.is_(None)


def _task_rows(version_id: int, tasks: pd.DataFrame) -> list[dict]:
    columns = {name: tasks[name].tolist() for name in TASK_COLUMNS}  # Python ints, floats, bools and str
    for name in DATE_COLUMNS:  # datetime64[D] lists as datetime.date, NaT as None
        columns[name] = tasks[name].to_numpy().astype("datetime64[D]").tolist()
    for name in (f.name for f in TASK_FIELDS if f.dtype == FLOAT):  # NaN as NULL
        columns[name] = [None if v != v else v for v in columns[name]]
    names = list(columns)
    return [
        {"version_id": version_id, "position": i, **dict(zip(names, values, strict=True))}
        for i, values in enumerate(zip(*columns.values(), strict=True))
    ]


def _rows_frame(conn: sa.Connection, version_id: int) -> pd.DataFrame:
    """A version's task table from its rows."""
    rows = conn.execute(
        sa.select(*[tasks_table.c[name] for name in TASK_COLUMNS])
        .where(tasks_table.c.version_id == version_id)
        .order_by(tasks_table.c.position)
    ).fetchall()
    return tasks_frame(rows)


def tasks_frame(rows: Sequence[Sequence[object]]) -> pd.DataFrame:
    """Stored task rows (in TASK_COLUMNS order) back into the task table the figures work on."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(TASK_COLUMNS)
    return task_table(dict(zip(TASK_COLUMNS, columns, strict=True)))


def snapshot_bytes(tasks: pd.DataFrame) -> bytes:
    """A task table as a zstd-compressed Arrow IPC stream: smaller than its rows and read in a fraction of their
    time (bench/bench.py --reading-only: README "Benchmark")."""
    import pyarrow as pa  # pandas' own dependency here; imported when a version is first published or read

    table = pa.Table.from_pandas(tasks, preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema, options=pa.ipc.IpcWriteOptions(compression="zstd")) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def snapshot_frame(data: bytes) -> pd.DataFrame:
    """The task table of snapshot_bytes, with the types task_table gives (text as Python strings)."""
    return snapshot_frames([data])[0]


def snapshot_frames(blobs: Sequence[bytes]) -> list[pd.DataFrame]:
    """Several snapshots' task tables, converted to pandas together (the roll-up reads hundreds of small ones: one
    conversion instead of one each)."""
    import pyarrow as pa

    if not blobs:
        return []
    tables = [pa.ipc.open_stream(data).read_all() for data in blobs]
    # The task fields of every version converted together; each version's extra fields on their own, as it has them
    # (one version's amounts may be numbers where another's are text).
    fields = [[name for name in table.column_names if name in TASK_DTYPES] for table in tables]
    whole = pa.concat_tables(
        [table.select(names) for table, names in zip(tables, fields, strict=True)], promote_options="default"
    ).to_pandas()
    for name in whole.columns:  # the task table's types: Arrow's strings come back as pandas' string type, and an
        if whole[name].dtype != TASK_DTYPES[name]:  # empty status column without its categories
            whole[name] = whole[name].astype(TASK_DTYPES[name])
    ends = list(itertools.accumulate(table.num_rows for table in tables))
    found = []
    for end, table, names in zip(ends, tables, fields, strict=True):
        frame = whole if len(tables) == 1 else whole.iloc[end - table.num_rows : end][names].reset_index(drop=True)
        extra = [name for name in table.column_names if name not in TASK_DTYPES]
        if extra:
            found.append(pd.concat([frame, _extras_frame(table.select(extra))], axis=1))
        else:
            found.append(frame)
    return found


def _extras_frame(table) -> pd.DataFrame:
    """A version's extra fields from its snapshot: text as text (Python strings), numbers and dates as they are."""
    frame = table.to_pandas()
    for name in frame.columns:
        if frame[name].dtype.kind not in "fM":
            frame[name] = frame[name].astype(object).where(frame[name].notna(), "")
    return frame


def issue_to_dict(issue: Issue) -> dict:
    return {
        "severity": issue.severity,
        "code": issue.code,
        "sheet": issue.sheet,
        "row": issue.row,
        "column": issue.column,
        "value": issue.value,
        "params": [[k, v] for k, v in issue.params],
    }


def issue_from_dict(item: dict) -> Issue:
    return Issue(
        item["severity"],
        item["code"],
        item["sheet"],
        item["row"],
        item["column"],
        item["value"],
        tuple((k, v) for k, v in item["params"]),
    )
