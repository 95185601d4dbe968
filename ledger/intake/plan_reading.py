"""Reading a plan document through the guarded path: .docx, .txt (UTF-8 or GBK), legacy .doc/.wps through
LibreOffice where it is installed, or text pasted on the page — each parsed in a worker under the limits."""

from __future__ import annotations

import logging
from pathlib import PurePath

from ledger.intake import documents, guard
from ledger.intake.documents import LEGACY_WORD, convert_legacy, decode_text, read_docx
from ledger.intake.guard import DEFAULT_LIMITS, MIB, Failure, Limits
from ledger.intake.plan_document import PlanDocument, read_plan
from ledger.intake.precheck import CFB_MAGIC, check_bytes, refusal
from ledger.model import Issue

PLAN_TYPES = (".docx", ".txt", *LEGACY_WORD)
MAX_PASTED_MIB = 2  # text pasted on the page
log = logging.getLogger(__name__)


def load_plan(
    data: bytes, file_name: str, *, year: int | None = None, limits: Limits = DEFAULT_LIMITS
) -> PlanDocument | Issue:
    """The plan in a document file, or the refusal saying why it can't be read. Never raises on bad input."""
    suffix = PurePath(file_name).suffix.lower()
    if suffix not in PLAN_TYPES and not data.startswith((b"PK\x03\x04", CFB_MAGIC)):
        return refusal("file.type", file_name, accepted=" ".join(PLAN_TYPES))
    legacy = suffix in LEGACY_WORD or data.startswith(CFB_MAGIC)
    if legacy and not data.startswith(CFB_MAGIC):  # a .doc/.wps is a compound file: HTML, RTF or XML named so is not
        return refusal("file.type", file_name, accepted=" ".join(PLAN_TYPES))
    if legacy and documents.libreoffice() is None:  # said at once, without starting a worker
        return refusal("file.needs_libreoffice", file_name)
    if not legacy and (problem := check_bytes(data, file_name, limits)) is not None:
        return problem
    if len(data) > limits.max_bytes:
        return refusal("file.too_large", file_name, size=f"{len(data) / MIB:.1f}", limit=limits.max_mib)
    result = guard.run(read_plan_file, (data, file_name, year, limits), limits)
    return _answer(result, file_name, limits)


def load_plan_text(
    text: str, *, year: int | None = None, limits: Limits = DEFAULT_LIMITS, source: str = ""
) -> PlanDocument | Issue:
    """The plan in pasted text (at most MAX_PASTED_MIB), parsed in a worker like a file."""
    size = len(text.encode("utf-8"))
    if size > MAX_PASTED_MIB * MIB:
        return refusal("plan.text_too_long", source, size=f"{size / MIB:.1f}", limit=MAX_PASTED_MIB)
    return _answer(guard.run(_read_text, (text, year, source), limits), source, limits)


def _read_text(text: str, year: int | None, source: str) -> PlanDocument:
    return read_plan(text, year=year, source=source)


def _answer(result, file_name: str, limits: Limits) -> PlanDocument | Issue:
    if isinstance(result, Failure):
        log.warning("plan worker failed reading %s: %s %s", file_name, result.reason, result.detail[-300:])
        if result.reason == "memory":
            return refusal("file.too_much_memory", file_name, limit=limits.memory_mib)
        if result.reason == "time":
            return refusal("file.too_slow", file_name, limit=limits.cpu_seconds)
        return refusal("file.reader_unavailable" if result.reason == "unavailable" else "file.crashed", file_name)
    return result


def read_plan_file(data: bytes, file_name: str, year: int | None, limits: Limits) -> PlanDocument | Issue:
    """In the worker: the document's text, then the plan in it."""
    suffix = PurePath(file_name).suffix.lower()
    if suffix in LEGACY_WORD or data.startswith(CFB_MAGIC):
        converted = convert_legacy(data, file_name, limits)
        if isinstance(converted, Issue):
            return converted
        data = converted
    if data.startswith(b"PK\x03\x04"):
        document = read_docx(data, file_name, limits)
        if isinstance(document, Issue):
            return document
        text = "\n".join(document.lines())
    else:
        decoded = decode_text(data)
        if decoded is None or "\x00" in decoded:
            return refusal("file.encoding", file_name)
        text = decoded
    return read_plan(text, year=year, source=file_name)
