"""Backup and restore of the whole store: one zip file that any engine
restores into an empty store.

The file holds, per table, its rows as JSON lines (`tables/NAME.jsonl`), and every stored byte string — original
files, task snapshots, evidence pieces — as an entry of its own (`blobs/NAME/…`), written and read a piece at a time,
so memory stays bounded whatever the store's size. `manifest.json` names the schema version, each table's row count
and the sha256 of every entry, and so of every stored file.

A backup is consistent while people publish: SQLite is first copied with its online backup API, PostgreSQL is read
in one REPEATABLE READ transaction. Sessions, the login throttle's counts and the kept figures are left out: they
are remade as needed. `pg_dump` remains the database-level alternative on PostgreSQL."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from ledger.store import SCHEMA_VERSION, Store, StoreError, append_audit, audit_table, meta_table, metadata

FORMAT = "zhenggai-ledger-backup"
FORMAT_VERSION = 1
SKIPPED = frozenset({"ledger_sessions", "ledger_throttle", "ledger_throttled", "ledger_summaries"})
KEPT_META = ("schema_version", "last_backup")  # meta rows of the store itself, never copied from a backup
LAST_BACKUP = "last_backup"
DEFAULT_MAX_AGE_DAYS = 7
BATCH = 500  # rows fetched and inserted at a time
PIECE = 1 << 20  # bytes copied at a time


class BackupError(Exception):
    """A backup cannot be made or restored; `code` names the message (i18n `backup.*`)."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Manifest:
    schema_version: int
    made_at: str
    engine: str
    rows: dict[str, int]  # table → rows
    entries: dict[str, dict]  # entry name → {"sha256", "bytes"}

    def record(self) -> dict:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema_version": self.schema_version,
            "made_at": self.made_at,
            "engine": self.engine,
            "rows": self.rows,
            "entries": self.entries,
        }


def tables() -> list[sa.Table]:
    """The tables a backup holds, parents before children."""
    return [t for t in metadata.sorted_tables if t.name not in SKIPPED]


# --- making one ------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _consistent(url: str) -> Iterator[sa.Connection]:
    """A connection that sees one moment of the store: a copy made by SQLite's online backup API, or a PostgreSQL
    REPEATABLE READ transaction."""
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if not path or not Path(path).exists():
            raise BackupError("backup.no_store", url=url)
        with tempfile.TemporaryDirectory(prefix="ledger_backup_") as folder:
            copy = Path(folder) / "copy.db"
            source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            target = sqlite3.connect(copy)
            try:
                source.backup(target, pages=1024)
            finally:
                target.close()
                source.close()
            engine = sa.create_engine(f"sqlite:///{copy}")
            try:
                with engine.connect() as conn:
                    yield conn
            finally:
                engine.dispose()
        return
    engine = sa.create_engine(url)
    try:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
            yield conn
    finally:
        engine.dispose()


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


class _Hashing:
    """A writable entry of the zip that counts and hashes what goes through it."""

    def __init__(self, target) -> None:
        self.target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes | memoryview) -> None:
        self.target.write(data)
        self.digest.update(data)
        self.size += len(data)

    def seal(self) -> dict:
        return {"sha256": self.digest.hexdigest(), "bytes": self.size}


def _blob_name(table: sa.Table, row: sa.Row, column: str) -> str:
    key = "_".join(str(row._mapping[c.name]) for c in table.primary_key.columns)
    return f"blobs/{table.name}/{key}.{column}"


def make(store: Store, out: Path, now: datetime, by: str = "") -> Manifest:
    """Write the whole store to `out` (through a temporary file beside it, renamed at the end) and note the moment in
    the store (`backup --status`, the Users page) and its trail."""
    out = Path(out)
    rows: dict[str, int] = {}
    entries: dict[str, dict] = {}
    partial = out.with_name(out.name + ".part")
    try:
        with _consistent(store.url) as conn, zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
            schema = conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")).scalar()
            for table in tables():
                binary = [c.name for c in table.columns if isinstance(c.type, sa.LargeBinary)]
                name = f"tables/{table.name}.jsonl"
                count = 0
                with tempfile.TemporaryFile() as lines:  # one entry at a time: a row's files go in first
                    query = sa.select(table).order_by(*table.primary_key.columns)
                    result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(query)
                    for row in result:
                        record = {k: _plain(v) for k, v in row._mapping.items() if k not in binary}
                        for column in binary:
                            data = row._mapping[column]
                            if data is None:
                                record[column] = None
                                continue
                            blob = _blob_name(table, row, column)
                            with zf.open(blob, "w", force_zip64=True) as piece_out:
                                hashing = _Hashing(piece_out)
                                view = memoryview(data)
                                for start in range(0, len(view), PIECE):
                                    hashing.write(view[start : start + PIECE])
                            entries[blob] = hashing.seal()
                            record[column] = {"blob": blob}
                        lines.write(json.dumps(record, ensure_ascii=False).encode() + b"\n")
                        count += 1
                    lines.seek(0)
                    with zf.open(name, "w", force_zip64=True) as raw:
                        written = _Hashing(raw)
                        while piece := lines.read(PIECE):
                            written.write(piece)
                entries[name] = written.seal()
                rows[table.name] = count
            manifest = Manifest(int(schema or SCHEMA_VERSION), now.isoformat(), conn.dialect.name, rows, entries)
            zf.writestr("manifest.json", json.dumps(manifest.record(), ensure_ascii=False, indent=1))
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    with contextlib.suppress(StoreError, sa.exc.SQLAlchemyError), store.transaction() as conn:
        conn.execute(meta_table.delete().where(meta_table.c.key == LAST_BACKUP))
        conn.execute(meta_table.insert().values(key=LAST_BACKUP, value=json.dumps({"at": now.isoformat()})))
        append_audit(conn, at=now, who=by, action="backup_made", target=out.name, detail={"rows": rows})
    return manifest


# --- status ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    last: datetime | None
    max_age_days: int
    now: datetime

    @property
    def age_days(self) -> float | None:
        return None if self.last is None else (self.now - self.last) / timedelta(days=1)

    @property
    def overdue(self) -> bool:
        """No backup yet, or the last one older than the setting."""
        return self.last is None or self.now - self.last > timedelta(days=self.max_age_days)


def status(store: Store, now: datetime, max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> Status:
    with store.engine.connect() as conn:
        found = conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == LAST_BACKUP)).scalar()
    last = datetime.fromisoformat(json.loads(found)["at"]) if found else None
    return Status(last, max_age_days, now)


# --- restoring ---------------------------------------------------------------------------------------------------


def _open(path: Path) -> tuple[zipfile.ZipFile, dict]:
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError as missing:
        raise BackupError("backup.missing", path=str(path)) from missing
    except (zipfile.BadZipFile, OSError, EOFError) as bad:
        raise BackupError("backup.damaged", path=str(path)) from bad
    try:
        manifest = json.loads(zf.read("manifest.json"))
    except (KeyError, ValueError, zipfile.BadZipFile, OSError, EOFError) as bad:
        zf.close()
        raise BackupError("backup.no_manifest", path=str(path)) from bad
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        zf.close()
        raise BackupError("backup.no_manifest", path=str(path))
    return zf, manifest


def verify(path: Path) -> dict:
    """Check every entry against the manifest (sha256, size, and each table's row count) before anything is
    written; the manifest when all agree, BackupError otherwise."""
    zf, manifest = _open(Path(path))
    with zf:
        if manifest.get("schema_version") != SCHEMA_VERSION:
            raise BackupError("backup.schema", found=manifest.get("schema_version"), expected=SCHEMA_VERSION)
        entries = manifest.get("entries") or {}
        names = set(zf.namelist()) - {"manifest.json"}
        if names != set(entries):
            raise BackupError("backup.entries", n=len(names ^ set(entries)))
        for name, expected in entries.items():
            digest, size, lines = hashlib.sha256(), 0, 0
            try:
                with zf.open(name) as entry:
                    while piece := entry.read(PIECE):
                        digest.update(piece)
                        size += len(piece)
                        lines += piece.count(b"\n")
            except (zipfile.BadZipFile, OSError, EOFError, zlib_error()) as bad:
                raise BackupError("backup.damaged", path=str(path)) from bad
            if digest.hexdigest() != expected.get("sha256") or size != expected.get("bytes"):
                raise BackupError("backup.checksum", entry=name)
            table = name.removeprefix("tables/").removesuffix(".jsonl")
            if name.startswith("tables/") and lines != (manifest.get("rows") or {}).get(table):
                raise BackupError("backup.rows", table=table)
        if set(manifest.get("rows") or {}) != {t.name for t in tables()}:
            raise BackupError("backup.entries", n=len(set(manifest.get("rows") or {}) ^ {t.name for t in tables()}))
    return manifest


def zlib_error() -> type[Exception]:
    import zlib

    return zlib.error


def _value(column: sa.Column, value: object, zf: zipfile.ZipFile) -> object:
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, sa.LargeBinary):
        with zf.open(value["blob"]) as entry:  # type: ignore[index]
            return entry.read()
    if isinstance(kind, sa.DateTime):
        return datetime.fromisoformat(str(value))
    if isinstance(kind, sa.Date):
        return date.fromisoformat(str(value))
    return value


def holds_anything(store: Store) -> bool:
    """Any row in any table a backup holds, besides the store's own meta rows."""
    with store.engine.connect() as conn:
        for table in tables():
            query = sa.select(sa.literal(1)).select_from(table)
            if table is meta_table:
                query = query.where(meta_table.c.key.not_in(KEPT_META) & ~meta_table.c.key.startswith("secret:"))
            if conn.execute(query.limit(1)).first() is not None:
                return True
    return False


def restore(path: Path, store: Store, *, by: str, at: datetime) -> dict:
    """Load a verified backup into an empty store, in one transaction, and record it in the trail. BackupError, and
    the store unchanged, for a store that holds anything or a file that does not match its manifest."""
    manifest = verify(path)
    if holds_anything(store):
        raise BackupError("backup.not_empty", url=store.url)
    with zipfile.ZipFile(path) as zf, store.transaction() as conn:
        conn.execute(meta_table.delete().where(meta_table.c.key.startswith("secret:")))
        for table in tables():
            columns = {c.name: c for c in table.columns}
            binary = any(isinstance(c.type, sa.LargeBinary) for c in columns.values())
            batch: list[dict] = []
            with zf.open(f"tables/{table.name}.jsonl") as lines:
                for line in lines:
                    record = json.loads(line)
                    if table is meta_table and record.get("key") in KEPT_META:
                        continue
                    batch.append({k: _value(columns[k], v, zf) for k, v in record.items() if k in columns})
                    if len(batch) >= (1 if binary else BATCH):  # stored files one at a time: memory stays bounded
                        conn.execute(table.insert(), batch)
                        batch = []
            if batch:
                conn.execute(table.insert(), batch)
        if conn.dialect.name == "postgresql":
            for table in tables():
                if "id" in table.c and table.c.id.autoincrement is True and table.c.id.primary_key:
                    conn.execute(
                        sa.text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                        )
                    )
        append_audit(
            conn,
            at=at,
            who=by,
            action="backup_restored",
            target=Path(path).name,
            detail={"made_at": manifest.get("made_at"), "engine": manifest.get("engine"), "rows": manifest["rows"]},
        )
    return manifest


def audit_rows(store: Store) -> list[dict]:
    """The audit trail as rows (for comparing a store with its restored copy)."""
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(audit_table).order_by(audit_table.c.id))]
