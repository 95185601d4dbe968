"""The store's tables (SQLAlchemy Core), one metadata for all of them."""

from __future__ import annotations

import sqlalchemy as sa

from ledger.model import (
    DATE,
    FLAG,
    FLOAT,
    INT,
    STATUS,
    TASK_FIELDS,
    TEXT,
)

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


LIVE = versions_table.c.withdrawn_at.is_(None)
evidence_table = sa.Table(  # a measure's evidence files (ledger.evidence): a measure is its plan, unit and task key
    "ledger_evidence",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("ledger_plans.id", ondelete="CASCADE"), nullable=False),
    sa.Column("unit_id", sa.Integer, sa.ForeignKey("ledger_units.id"), nullable=True),
    sa.Column("key", sa.Text, nullable=False),  # the measure's identity across versions (ledger.model.task_keys)
    sa.Column("measure", sa.String(100), nullable=False),  # its 序号 when the file was added
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # by its bytes (ledger.intake KINDS)
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("stripped", sa.Boolean, nullable=False),  # metadata was removed (a photo)
    sa.Column("added_by", sa.String(100), nullable=False),
    sa.Column("added_at", sa.DateTime, nullable=False),
)
sa.Index("ix_ledger_evidence_measure", evidence_table.c.plan_id, evidence_table.c.unit_id, evidence_table.c.key)
evidence_chunks_table = sa.Table(  # each file's bytes in pieces of at most 1 MiB, written and read one at a time
    "ledger_evidence_chunks",
    metadata,
    sa.Column("evidence_id", sa.Integer, sa.ForeignKey("ledger_evidence.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("data", sa.LargeBinary, nullable=False),
)
closure_table = sa.Table(  # closure review (ledger.closure): requests, approvals and returns, appended only
    "ledger_closure",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("ledger_plans.id", ondelete="CASCADE"), nullable=False),
    sa.Column("unit_id", sa.Integer, sa.ForeignKey("ledger_units.id"), nullable=True),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("measure", sa.String(100), nullable=False),  # its 序号 then
    sa.Column("action", sa.String(16), nullable=False),  # request, approve, return
    sa.Column("version_id", sa.Integer, sa.ForeignKey("ledger_versions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("evidence", sa.Text, nullable=False),  # JSON list of the evidence ids the decision saw
    sa.Column("by", sa.String(100), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
)
sa.Index("ix_ledger_closure_measure", closure_table.c.plan_id, closure_table.c.unit_id, closure_table.c.key)
spot_checks_table = sa.Table(  # each week's sample of verified measures to check again, drawn once and kept
    "ledger_spot_checks",
    metadata,
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("ledger_plans.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("scope", sa.Integer, primary_key=True),  # the unit's id; 0: the plan as a whole, all its units
    sa.Column("week", sa.Date, primary_key=True),  # its Monday
    sa.Column("chosen", sa.Text, nullable=False),  # JSON list of "unit id|key" (0: no unit)
    sa.Column("population", sa.Integer, nullable=False),  # verified measures it was drawn from
    sa.Column("drawn_at", sa.DateTime, nullable=False),
)
summaries_table = sa.Table(  # a unit version's figures (report.summary as of its own report date), made once
    "ledger_summaries",
    metadata,
    sa.Column("version_id", sa.Integer, sa.ForeignKey("ledger_versions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("basis", sa.String(200), nullable=False),  # what else they depend on: thresholds, phases, reviews
    sa.Column("figures", sa.Text, nullable=False),  # JSON, as `summary --json` prints it
)
