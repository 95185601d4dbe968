"""Evidence files of measures: what an editor attaches to a measure, stored in
the database with its name, size, sha256, who added it and when, the measure and the unit.

A file belongs to the measure, not to one version: it is kept under the measure's identity across versions
(ledger.model.task_keys, the `key` of the task table), so next week's ledger of the same measure shows the same
files. Every file has crossed the guarded path (ledger.intake: type by bytes, refusals, metadata removal) before it
gets here; its bytes are written and read in pieces of at most 1 MiB, never whole in memory."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from ledger.intake import (
    DEFAULT_EVIDENCE_LIMITS,
    EvidenceEntry,
    EvidenceLimits,
    Prepared,
    Refused,
    prepare_evidence,
    unpack_evidence_zip,
)
from ledger.store import Store, append_audit, evidence_chunks_table, evidence_table, inserted_id, refuse_closed
from ledger.text import second_text

CHUNK = 1024 * 1024
ANY_UNIT = object()  # files(): every unit's (and the plan's own)


@dataclass(frozen=True)
class Evidence:
    id: int
    plan_id: int
    unit_id: int | None
    key: str
    measure: str  # the measure's 序号 when the file was added
    name: str
    kind: str
    size: int
    sha256: str
    stripped: bool
    by: str
    at: datetime

    def record(self) -> dict:
        """The `evidence list --json` item: {id, measure, file, bytes, sha256, by, at}."""
        return {
            "id": self.id,
            "measure": self.measure,
            "file": self.name,
            "bytes": self.size,
            "sha256": self.sha256,
            "by": self.by,
            "at": second_text(self.at),
        }


@dataclass(frozen=True)
class Measure:
    """A measure as evidence and closure review know it: its plan, unit and identity, and its 序号 and text in the
    version it was found in."""

    plan_id: int
    unit_id: int | None
    key: str
    id: str
    text: str


class EvidenceError(Exception):
    """Evidence that cannot be added as asked; `code` names the message (i18n `evidence.*`)."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Added:
    """What one call stored, and what it did not store again (a file the measure already has: same sha256)."""

    files: tuple[Evidence, ...] = ()
    duplicates: tuple[str, ...] = ()


def _evidence(row) -> Evidence:
    return Evidence(
        row["id"],
        row["plan_id"],
        row["unit_id"],
        row["key"],
        row["measure"],
        row["name"],
        row["kind"],
        int(row["size"]),
        row["sha256"],
        bool(row["stripped"]),
        row["added_by"],
        row["added_at"],
    )


def _mine(plan_id: int, unit_id: int | None):
    unit = evidence_table.c.unit_id.is_(None) if unit_id is None else evidence_table.c.unit_id == unit_id
    return sa.and_(evidence_table.c.plan_id == plan_id, unit)


def files(
    store: Store, plan_id: int, unit_id: int | object | None = ANY_UNIT, key: str | None = None
) -> list[Evidence]:
    """The plan's evidence files (of one unit, of one measure), oldest first."""
    query = sa.select(evidence_table).where(evidence_table.c.plan_id == plan_id).order_by(evidence_table.c.id)
    if unit_id is not ANY_UNIT:
        query = query.where(_mine(plan_id, unit_id))  # type: ignore[arg-type]
    if key is not None:
        query = query.where(evidence_table.c.key == key)
    with store.engine.connect() as conn:
        return [_evidence(row) for row in conn.execute(query).mappings()]


def one(store: Store, evidence_id: int) -> Evidence | None:
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(evidence_table).where(evidence_table.c.id == evidence_id)).mappings().first()
    return _evidence(row) if row is not None else None


def counts(store: Store, plan_id: int) -> dict[tuple[int | None, str], int]:
    """How many evidence files each measure of the plan has: (unit id, key) → count."""
    query = (
        sa.select(evidence_table.c.unit_id, evidence_table.c.key, sa.func.count())
        .where(evidence_table.c.plan_id == plan_id)
        .group_by(evidence_table.c.unit_id, evidence_table.c.key)
    )
    with store.engine.connect() as conn:
        return {(unit, key): int(n) for unit, key, n in conn.execute(query)}


def chunks(store: Store, evidence_id: int) -> Iterator[bytes]:
    """A stored file's bytes, a piece at a time (each piece read by a query of its own)."""
    with store.engine.connect() as conn:
        positions = conn.execute(
            sa.select(evidence_chunks_table.c.position)
            .where(evidence_chunks_table.c.evidence_id == evidence_id)
            .order_by(evidence_chunks_table.c.position)
        ).scalars()
        for position in list(positions):
            yield conn.execute(
                sa.select(evidence_chunks_table.c.data).where(
                    evidence_chunks_table.c.evidence_id == evidence_id,
                    evidence_chunks_table.c.position == position,
                )
            ).scalar_one()


def content(store: Store, evidence_id: int) -> bytes:
    """A stored file's bytes, as stored (a photo: after metadata removal)."""
    return b"".join(chunks(store, evidence_id))


def write_to(store: Store, evidence_id: int, path: str) -> int:
    """Write a stored file to `path`, a piece at a time; returns its size."""
    size = 0
    with open(path, "wb") as out:
        for piece in chunks(store, evidence_id):
            out.write(piece)
            size += len(piece)
    return size


def stamp(store: Store, plan_id: int) -> str:
    """Changes whenever a file is added to the plan (what pages key their caches on)."""
    with store.engine.connect() as conn:
        count, newest = conn.execute(
            sa.select(sa.func.count(), sa.func.max(evidence_table.c.id)).where(evidence_table.c.plan_id == plan_id)
        ).one()
    return f"{count}:{newest}"


def _store_one(conn: sa.Connection, measure: Measure, prepared: Prepared, by: str, at: datetime) -> int:
    evidence_id = inserted_id(
        conn.execute(
            evidence_table.insert().values(
                plan_id=measure.plan_id,
                unit_id=measure.unit_id,
                key=measure.key,
                measure=measure.id[:100],
                name=prepared.name[:255],
                kind=prepared.kind,
                size=prepared.size,
                sha256=prepared.sha256,
                stripped=prepared.stripped,
                added_by=by[:100],
                added_at=at,
            )
        )
    )
    with open(prepared.path, "rb") as handle:
        position = 0
        while piece := handle.read(CHUNK):
            conn.execute(evidence_chunks_table.insert().values(evidence_id=evidence_id, position=position, data=piece))
            position += 1
    return evidence_id


def add_prepared(
    store: Store,
    batch: Sequence[tuple[Measure, Prepared]],
    *,
    by: str,
    at: datetime,
    address: str = "",
    action: str = "evidence_added",
    limits: EvidenceLimits = DEFAULT_EVIDENCE_LIMITS,
) -> Added:
    """Store checked files, each for its measure, in one transaction with their audit records: all or nothing.
    A file a measure already has (same sha256) is not stored again; more than the per-measure limit is refused
    (EvidenceError "evidence.too_many") and nothing is stored."""
    added: list[int] = []
    duplicates: list[str] = []
    with store.transaction() as conn:
        for plan_id in dict.fromkeys(measure.plan_id for measure, _ in batch):
            refuse_closed(conn, plan_id)  # StoreError "store.plan_closed": a closed plan is read-only
        have: dict[tuple[int | None, str], set[str]] = {}
        for measure, prepared in batch:
            place = (measure.unit_id, measure.key)
            if place not in have:
                have[place] = set(
                    conn.execute(
                        sa.select(evidence_table.c.sha256).where(
                            _mine(measure.plan_id, measure.unit_id), evidence_table.c.key == measure.key
                        )
                    ).scalars()
                )
            if prepared.sha256 in have[place]:
                duplicates.append(prepared.name)
                continue
            if len(have[place]) >= limits.max_files:
                raise EvidenceError("evidence.too_many", measure=measure.id, limit=limits.max_files)
            have[place].add(prepared.sha256)
            evidence_id = _store_one(conn, measure, prepared, by, at)
            added.append(evidence_id)
            if action == "evidence_added":
                append_audit(
                    conn,
                    at=at,
                    who=by,
                    action=action,
                    target=f"{measure.id}: {prepared.name}",
                    address=address,
                    detail={"evidence": evidence_id, "sha256": prepared.sha256, "bytes": prepared.size},
                )
        if action == "evidence_imported":
            append_audit(
                conn,
                at=at,
                who=by,
                action=action,
                target=f"{len(added)}",
                address=address,
                detail={"evidence": added, "duplicates": duplicates},
            )
        rows = conn.execute(sa.select(evidence_table).where(evidence_table.c.id.in_(added))).mappings().all()
    found = {row["id"]: _evidence(row) for row in rows}
    return Added(tuple(found[i] for i in added), tuple(duplicates))


@dataclass(frozen=True)
class Outcome:
    """One call's answer: what was stored, and each refused file with why (then nothing was stored)."""

    added: Added = field(default_factory=Added)
    refused: tuple[tuple[str, Refused], ...] = ()


def add_files(
    store: Store,
    measure: Measure,
    paths: Sequence[tuple[str, str]],
    *,
    by: str,
    at: datetime,
    address: str = "",
    limits: EvidenceLimits = DEFAULT_EVIDENCE_LIMITS,
) -> Outcome:
    """Files given as (name, path) for one measure: each checked and cleaned through the guarded path; if any is
    refused, nothing is stored."""
    with tempfile.TemporaryDirectory(prefix="ledger-evidence-") as workdir:
        results = prepare_evidence(paths, workdir, limits)
        refusals = tuple((name, r) for (name, _), r in zip(paths, results, strict=True) if isinstance(r, Refused))
        if refusals:
            return Outcome(refused=refusals)
        ready = [(measure, r) for r in results if isinstance(r, Prepared)]
        return Outcome(add_prepared(store, ready, by=by, at=at, address=address, limits=limits))


def add_bytes(
    store: Store,
    measure: Measure,
    uploads: Sequence[tuple[str, bytes | memoryview]],
    *,
    by: str,
    at: datetime,
    address: str = "",
    limits: EvidenceLimits = DEFAULT_EVIDENCE_LIMITS,
) -> Outcome:
    """add_files for files a page received (name, bytes): written to a private folder first."""
    with tempfile.TemporaryDirectory(prefix="ledger-upload-") as folder:
        paths = []
        for number, (name, data) in enumerate(uploads):
            path = os.path.join(folder, f"{number}.upload")
            with open(path, "wb") as out:
                out.write(data)
            paths.append((name, path))
        return add_files(store, measure, paths, by=by, at=at, address=address, limits=limits)


@dataclass(frozen=True)
class Imported:
    """A zip's import: what was stored, what was skipped and why; or the archive refused whole (`refusal`)."""

    added: Added = field(default_factory=Added)
    skipped: tuple[EvidenceEntry, ...] = ()
    refusal: Refused | None = None

    def skipped_records(self) -> list[dict]:
        return [
            {"entry": e.path, "measure": e.measure, "reason": e.reason, "detail": e.refusal.code if e.refusal else ""}
            for e in self.skipped
        ]


def import_zip(
    store: Store,
    measures: Sequence[Measure],
    zip_path: str,
    *,
    by: str,
    at: datetime,
    address: str = "",
    limits: EvidenceLimits = DEFAULT_EVIDENCE_LIMITS,
) -> Imported:
    """A zip arranged as offices arrange evidence — one folder, or one file-name prefix, per 序号 — stored for the
    measures it names (`measures`: the newest version's). A bomb is refused before anything is unpacked; names
    outside the archive, links, unknown measures and refused files are skipped and listed with the reason; the
    rest is stored in one transaction with one audit record."""
    by_id = {m.id: m for m in measures if m.id}
    with tempfile.TemporaryDirectory(prefix="ledger-zip-") as workdir:
        unpacked = unpack_evidence_zip(zip_path, workdir, list(by_id), limits)
        if unpacked.refusal is not None:
            return Imported(refusal=unpacked.refusal)
        batch = [(by_id[e.measure], e.prepared) for e in unpacked.taken if e.prepared is not None]
        added = add_prepared(store, batch, by=by, at=at, address=address, action="evidence_imported", limits=limits)
    return Imported(added, tuple(unpacked.skipped))
