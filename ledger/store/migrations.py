"""Creating the tables and upgrading a database from any earlier schema, once, whoever opens it first."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ledger.store.engine import WRITING, inserted_id
from ledger.store.errors import StoreError
from ledger.store.snapshots import rows_frame, snapshot_bytes
from ledger.store.tables import meta_table, metadata, plans_table, snapshots_table, versions_table

SCHEMA_VERSION = 9  # 1: versions only; 2: plans, and the problem, goal, 立行立改 and 销号 fields of a task;
# 3: meeting requirements; 4: units, accounts, sessions, the audit trail, withdrawn versions; 5: task snapshots;
# 6: a plan's confirmed columns (a snapshot also holds the measures' extra fields); 7: the login throttle's counts;
# 8: evidence files, closure review and spot checks; 9: each unit version's figures, kept
DEMO_UPLOADER = "示例数据"  # who "published" the bundled sample weeks
_ADDED_IN_4 = (
    ("unit_id", "INTEGER REFERENCES ledger_units(id)"),
    ("withdrawn_at", "TIMESTAMP"),
    ("withdrawn_by", "VARCHAR(200)"),
    ("withdrawn_reason", "TEXT"),
    ("withdrawn_sha256", "VARCHAR(64)"),
)
_MIGRATION_LOCK = 0x1ED6E5  # any number, the same in every process of this program


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
        snapshot = snapshot_bytes(rows_frame(conn, version_id))
        conn.execute(snapshots_table.insert().values(version_id=version_id, arrow=snapshot))


def schema_version(conn: sa.Connection) -> int | None:
    """The schema a database is at; None for a database without the store's tables."""
    if not sa.inspect(conn).has_table(meta_table.name):
        return None
    found = conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")).scalar()
    return int(found) if found is not None else None


def migrate(engine: Engine) -> None:
    """Create or upgrade the tables. A store already at this schema is only read (so a read-only database opens);
    several processes opening a fresh database at once take turns (a PostgreSQL advisory lock, SQLite's write
    lock)."""
    with engine.connect() as conn:
        found = schema_version(conn)
    if found == SCHEMA_VERSION:
        return
    if found is not None and found > SCHEMA_VERSION:
        raise StoreError("store.newer_schema", f"database schema {found} is newer than this program ({SCHEMA_VERSION})")
    with engine.connect().execution_options(**{WRITING: True}) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        found = schema_version(conn)  # again, now that this process holds the lock
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
        conn.execute(meta_table.update().where(meta_table.c.key == "schema_version").values(value=str(SCHEMA_VERSION)))
