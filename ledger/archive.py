"""The plan's archive (整改资料归档, README "Backup, restore and archive"): one zip file of a folder tree that anyone
reads without this program —

    01_整改方案/      the plan document as uploaded (when the plan was imported from it) and its measures and phases
    02_整改台账/      each version's original files, `第N版_YYYY-MM-DD_原文件名`
    03_周报与督办单/  each version's brief (周报) and supervision notices (督办单) as PDF, made from the stored version
    04_佐证材料/      the evidence files, a folder per measure (`序号_措施`)
    05_会议要求/      the meeting requirements and their states
    06_操作记录.xlsx  the plan's audit trail
    目录.xlsx         every other entry with its size and sha256

A plan with units archived as a whole has a folder per unit inside 02, 03 and 04. Entries are written one at a time
(never two open at once), each piece as it is made, so memory holds one version's files at most.
Names are safe on Windows and in zip tools (safe_name); a name taken already in its folder gets a number."""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO

import pandas as pd
import sqlalchemy as sa

from ledger import accounts, audit, brief, meeting, metrics, typeset
from ledger import evidence as evidence_files
from ledger import requirements as req
from ledger.i18n import translate
from ledger.intake import LEDGER_FIELDS
from ledger.store import Plan, Store, Version, audit_table, evidence_table, versions_table
from ledger.text import second_text
from ledger.writing import prefilled_workbook, table_workbook

NAME_LIMIT = 80  # characters of one file or folder name, its extension included
FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
)
FOLDERS = ("plan", "ledgers", "briefs", "evidence", "requirements")  # archive.folder.*, numbered 01 … 05 in order
PIECE = 1 << 20


def safe_name(text: str, limit: int = NAME_LIMIT) -> str:
    """A file or folder name Windows and zip tools accept: \\ / : * ? " < > | and control characters become _,
    spaces and dots trimmed at the ends, a reserved device name (CON, NUL, COM1 …) prefixed with _, at most `limit`
    characters with the extension kept; Chinese and other letters stay as they are."""
    text = unicodedata.normalize("NFC", str(text))
    text = FORBIDDEN.sub("_", " ".join(text.split())).strip(" .") or "_"
    stem, dot, extension = text.rpartition(".")
    if not dot or not stem or len(extension) > 10 or not extension.isalnum():
        stem, extension = text, ""
    if stem.split(".")[0].upper() in RESERVED:
        stem = f"_{stem}"
    tail = f".{extension}" if extension else ""
    stem = stem[: max(1, limit - len(tail))].rstrip(" .") or "_"
    return f"{stem}{tail}"


def numbered(name: str, n: int) -> str:
    """The n-th name of a collision: 名称.pdf → 名称(2).pdf."""
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        return f"{name}({n})"
    return f"{stem}({n}).{extension}"


@dataclass(frozen=True)
class Entry:
    path: str  # inside the zip, folders joined by /
    bytes: int
    sha256: str


@dataclass
class Index:
    """What an archive holds besides 目录.xlsx itself: each entry, in the order written."""

    plan: str
    entries: list[Entry] = field(default_factory=list)

    def paths(self) -> list[str]:
        return [e.path for e in self.entries]


class _Writer:
    """The zip being written: entries one at a time, each name made safe and unique in its folder (case-blind, as
    Windows compares names), each entry's size and sha256 noted."""

    def __init__(self, zf: zipfile.ZipFile, index: Index):
        self.zf = zf
        self.index = index
        self.taken: set[str] = set()

    def name(self, folders: Iterable[str], name: str) -> str:
        parent = "/".join(safe_name(f) for f in folders)
        base = safe_name(name)
        candidate, n = base, 1
        while True:
            path = f"{parent}/{candidate}" if parent else candidate
            if path.casefold() not in self.taken:
                self.taken.add(path.casefold())
                return path
            n += 1
            candidate = numbered(safe_name(base, NAME_LIMIT - len(f"({n})")), n)

    def write(self, folders: Iterable[str], name: str, pieces: Iterable[bytes]) -> Entry:
        path = self.name(folders, name)
        digest, size = hashlib.sha256(), 0
        with self.zf.open(path, "w", force_zip64=True) as out:
            for piece in pieces:
                out.write(piece)
                digest.update(piece)
                size += len(piece)
        entry = Entry(path, size, digest.hexdigest())
        self.index.entries.append(entry)
        return entry


def _pieces(data: bytes) -> Iterator[bytes]:
    view = memoryview(data)
    for start in range(0, len(view), PIECE):
        yield bytes(view[start : start + PIECE])


def _folder(kind: str, lang: str) -> str:
    """A folder's name, numbered in the order of FOLDERS: 01_整改方案 …"""
    return f"{FOLDERS.index(kind) + 1:02d}_{translate(f'archive.folder.{kind}', lang)}"


def _version_stem(version: Version, lang: str) -> str:
    return translate("archive.version", lang, n=version.number, day=version.report_date.isoformat())


def plan_document(store: Store, plan_id: int) -> tuple[Version, str, bytes] | None:
    """The plan document as uploaded: the first file of the version the plan was imported with (the Plan page
    publishes the document and the ledger made from it together, audit action plan_import); None for a plan
    started from a ledger."""
    imported = {v.id: v for v in store.versions(plan_id, withdrawn=True)}
    with store.engine.connect() as conn:
        targets = conn.execute(
            sa.select(audit_table.c.target).where(audit_table.c.action == "plan_import").order_by(audit_table.c.id)
        ).scalars()
        ids = [int(t.split()[-1]) for t in targets if t.startswith("version ") and t.split()[-1].isdigit()]
    for version_id in ids:
        if version_id in imported and len(imported[version_id].file_names) > 1:
            name, data = store.files(version_id)[0]
            return imported[version_id], name, data
    return None


def _date(value: object) -> date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value if isinstance(value, date) else None


def measures_workbook(store: Store, plan: Plan, versions: list[Version]) -> bytes:
    """The plan's measures (as its first version lists them: 序号, category, problem, measure, who, when) and its
    phases, as the ledger an office starts from (ledger.writing.prefilled_workbook)."""
    first = min(versions, key=lambda v: v.id) if versions else None
    rows: list[dict] = []
    if first is not None:
        tasks = store.ledger(first.id).tasks
        for record in tasks.to_dict("records"):
            rows.append(
                {
                    name: _date(record.get(name)) if name in ("start", "due") else str(record.get(name) or "")
                    for name in LEDGER_FIELDS
                }
            )
    return prefilled_workbook(rows, store.plan_phases(plan.id), plan.name, plan.unit)


def requirements_workbook(store: Store, plan_id: int, unit_ids: set[int | None] | None, lang: str) -> bytes:
    """Every requirement of the plan (of the units archived) with its state in the newest version."""
    unit_of = {v.id: v.unit_id for v in store.versions(plan_id, withdrawn=True)}
    found = [
        s
        for s in meeting.latest_states(store, plan_id)
        if unit_ids is None or unit_of.get(s.requirement.version_id) in unit_ids
    ]
    rows = [
        {
            "id": record["measure"] or "",
            "requirement": record["text"],
            "given_by": record["by"],
            "meeting_date": record["date"],
            "due": record["due"] or "",
            "required_by": record["required_by"],
            "state": translate(f"requirement.state.{record['state']}", lang),
            "concerned": f"{record['done']}/{record['concerned']}",
        }
        for record in req.records(found)
    ]
    return table_workbook({translate("archive.requirements_sheet", lang): rows}, lang)


def plan_trail(store: Store, plan_id: int) -> list[audit.Record]:
    """The plan's audit records, oldest first: those whose detail names the plan (plan_id: publishes, imports,
    withdrawals, restores, requirements, renames, closing), those of its versions and requirements by target
    ("version N", "requirement N"), its evidence (detail.evidence: an id or a list of ids of the plan's evidence) and
    closure review (detail.version: one of its versions). Logins, accounts and backups belong to no plan."""
    with store.engine.connect() as conn:
        version_ids = set(
            conn.execute(sa.select(versions_table.c.id).where(versions_table.c.plan_id == plan_id)).scalars()
        )
        evidence_ids = set(
            conn.execute(sa.select(evidence_table.c.id).where(evidence_table.c.plan_id == plan_id)).scalars()
        )
        rows = conn.execute(sa.select(audit_table).order_by(audit_table.c.id)).mappings().all()
    requirement_ids = {r.id for r in store.requirements(plan_id)}
    targets = {f"version {i}" for i in version_ids} | {f"requirement {i}" for i in requirement_ids}
    found = []
    for row in rows:
        detail = json.loads(row["detail"] or "{}")
        named = detail.get("evidence")
        ids = set(named) if isinstance(named, list) else {named}
        mine = (
            detail.get("plan_id") == plan_id
            or row["target"] in targets
            or (row["action"].startswith("evidence_") and bool(ids & evidence_ids))
            or (row["action"].startswith("closure_") and detail.get("version") in version_ids)
        )
        if mine:
            found.append(audit.Record(row["at"], row["who"], row["action"], row["target"], row["address"], detail))
    return found


def trail_workbook(store: Store, plan_id: int, lang: str) -> bytes:
    rows = [
        {
            **{name: value for name, value in r.as_json().items() if name != "count"},
            "at": second_text(r.at),
            "action": translate(f"audit.{r.action}", lang),
        }
        for r in plan_trail(store, plan_id)
    ]
    return table_workbook({translate("audit.title", lang): rows}, lang)


def _briefs(
    writer: _Writer, store: Store, version: Version, folders: list[str], lang: str, thresholds: metrics.Thresholds
) -> None:
    """A version's brief and notices as PDF, as `brief --format pdf` and `notices --format pdf` make them."""
    ctx = meeting.context(store, version, lang=lang, thresholds=thresholds)
    stem = _version_stem(version, lang)
    writer.write(
        folders, f"{stem}_{translate('archive.brief', lang)}.pdf", [typeset.pdf("brief.typ", brief.brief_data(ctx))]
    )
    notices = brief.notices_data(ctx)
    if notices["notices"]:
        writer.write(folders, f"{stem}_{translate('archive.notices', lang)}.pdf", [typeset.pdf("notices.typ", notices)])


def write(
    store: Store,
    plan_id: int,
    unit_id: int | None,
    out: str | os.PathLike | IO[bytes],
    *,
    lang: str = "zh",
    now: datetime | None = None,
    thresholds: metrics.Thresholds = metrics.DEFAULT_THRESHOLDS,
) -> Index:
    """Write the plan's archive (of one unit, when given) to `out`: a path (through a temporary file beside it,
    renamed at the end: whole or not at all) or a writable binary file."""
    if isinstance(out, (str, os.PathLike)):
        target = Path(out)
        partial = target.with_name(target.name + ".part")
        try:
            with open(partial, "wb") as handle:
                index = write(store, plan_id, unit_id, handle, lang=lang, now=now, thresholds=thresholds)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        return index
    plan = store.plan(plan_id)
    moment = now or datetime.now()
    index = Index(plan.name)
    names = {u.id: u.name for u in accounts.units(store)}
    versions = sorted(store.versions(plan_id, unit_id), key=lambda v: (v.report_date, v.id))
    by_unit = unit_id is None and any(v.unit_id is not None for v in versions)

    def place(kind: str, unit: int | None) -> list[str]:
        return [_folder(kind, lang)] + ([names.get(unit, "_") if unit is not None else plan.name] if by_unit else [])

    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        writer = _Writer(zf, index)
        document = plan_document(store, plan_id)
        if document is not None:
            writer.write([_folder("plan", lang)], document[1], _pieces(document[2]))
        writer.write(
            [_folder("plan", lang)],
            translate("archive.measures", lang),
            [measures_workbook(store, plan, versions)],
        )
        for version in versions:
            for name, data in store.files(version.id):
                stem = f"{_version_stem(version, lang)}_{name}"
                writer.write(place("ledgers", version.unit_id), stem, _pieces(data))
        for version in versions:
            _briefs(writer, store, version, place("briefs", version.unit_id), lang, thresholds)
        _evidence(writer, store, plan_id, unit_id, versions, place)
        units: set[int | None] | None = None if unit_id is None else {unit_id}
        writer.write(
            [_folder("requirements", lang)],
            translate("archive.requirements", lang),
            [requirements_workbook(store, plan_id, units, lang)],
        )
        writer.write(
            [], f"{len(FOLDERS) + 1:02d}_{translate('archive.trail', lang)}", [trail_workbook(store, plan_id, lang)]
        )
        listed = [{"path": e.path, "bytes": e.bytes, "sha256": e.sha256} for e in index.entries]
        heading = translate("archive.index_sheet", lang, plan=plan.name, at=second_text(moment))
        book = table_workbook({translate("archive.index_title", lang): listed}, lang)
        with zf.open(writer.name([], translate("archive.index", lang)), "w") as raw:  # not listed in itself
            raw.write(book)
        zf.comment = heading.encode()[:65535]
    return index


def _evidence(writer: _Writer, store: Store, plan_id: int, unit_id: int | None, versions: list[Version], place) -> None:
    """The evidence files, a folder per measure: its 序号 and the measure's text in the newest version (or only the
    序号 when that version no longer lists it)."""
    found = evidence_files.files(store, plan_id, unit_id if unit_id is not None else evidence_files.ANY_UNIT)
    if not found:
        return
    texts: dict[tuple[int | None, str], str] = {}
    newest: dict[int | None, Version] = {}
    for version in versions:
        newest[version.unit_id] = version
    for unit, version in newest.items():
        tasks = store.ledger(version.id).tasks
        for key, measure in zip(tasks["key"], tasks["measure"], strict=True):
            texts[(unit, str(key))] = str(measure or "")
    for piece in found:
        text = texts.get((piece.unit_id, piece.key), "")
        folder = safe_name(f"{piece.measure}_{text}" if text else piece.measure, 40)
        writer.write([*place("evidence", piece.unit_id), folder], piece.name, evidence_files.chunks(store, piece.id))
