"""Connecting to the database: SQLite by default, PostgreSQL by URL, with timeouts so that a database that never
answers gives an error within seconds."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

DEFAULT_SQLITE = Path(__file__).resolve().parents[2] / "data" / "ledger.db"


WRITING = "ledger_writing"


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


def inserted_id(result: sa.CursorResult) -> int:
    """The primary key an INSERT of one row gave it."""
    key = result.inserted_primary_key
    if key is None:  # never for an INSERT ... VALUES
        raise RuntimeError("the insert returned no primary key")
    return key[0]
