"""What python-calamine does not report about xlsx cells — formula errors and percent formats — and where each sheet's
part is, read with a streaming XML parser (expat; a DOCTYPE, and so any entity, is refused)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from functools import cached_property
from posixpath import join, normpath
from xml.parsers import expat

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_BUILTIN_PERCENT = {9, 10}
_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


class BadXml(ValueError):
    """A part is not well-formed XML."""


class UnsafeXml(ValueError):
    """A part declares a DOCTYPE: entity tricks (billion laughs, XXE) live there, and no spreadsheet needs one."""


def _refuse_doctype(*_args) -> None:
    raise UnsafeXml("DOCTYPE")


def parse(stream, start: Callable[[str, dict[str, str]], None], parser_hook=None) -> None:
    """Stream an XML part through expat with namespace-qualified names ("uri local"); `start` sees each element.
    Raises UnsafeXml for a DOCTYPE, BadXml for anything not well-formed (both ValueErrors)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.StartElementHandler = start
    if parser_hook:
        parser_hook(parser)
    try:
        parser.ParseFile(stream)
    except expat.ExpatError as problem:
        raise BadXml(str(problem)) from None


def position(reference: str) -> tuple[int, int] | None:
    """`K12` → (11, 10): 0-based row and column; None for anything that is not a cell reference."""
    found = _REFERENCE.fullmatch(reference)
    if not found:
        return None
    column = 0
    for letter in found[1]:
        column = column * 26 + ord(letter) - 64
    return int(found[2]) - 1, column - 1


class XlsxCells:
    """Cell facts of one xlsx file, parsed only when asked for."""

    def __init__(self, archive: zipfile.ZipFile):
        self._zip = archive
        self._names = set(archive.namelist())

    def _each(self, name: str, start: Callable[[str, dict[str, str]], None], parser_hook=None) -> None:
        if name in self._names:
            with self._zip.open(name) as stream:
                parse(stream, start, parser_hook)

    @cached_property
    def sheet_paths(self) -> dict[str, str]:
        """Sheet name → the zip part holding its cells."""
        targets: dict[str, str] = {}
        sheets: list[tuple[str, str]] = []

        def relation(tag: str, attrs: dict[str, str]) -> None:
            if tag == f"{_PKG_RELS} Relationship" and "Id" in attrs:
                targets[attrs["Id"]] = attrs.get("Target", "")

        def sheet(tag: str, attrs: dict[str, str]) -> None:
            if tag == f"{_MAIN} sheet":
                sheets.append((attrs.get("name", ""), attrs.get(f"{_DOC_RELS} id", "")))

        self._each("xl/_rels/workbook.xml.rels", relation)
        self._each("xl/workbook.xml", sheet)
        paths = {}
        for name, rid in sheets:
            target = targets.get(rid, "")
            if target:
                paths[name] = target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))
        return paths

    @cached_property
    def _percent_styles(self) -> set[int]:
        custom: set[int] = set()
        percent: set[int] = set()
        in_cell_xfs = [False]
        index = [0]

        def start(tag: str, attrs: dict[str, str]) -> None:
            if tag == f"{_MAIN} numFmt" and "%" in attrs.get("formatCode", ""):
                custom.add(_int(attrs.get("numFmtId")))
            elif tag == f"{_MAIN} cellXfs":
                in_cell_xfs[0] = True
            elif tag == f"{_MAIN} cellStyleXfs":
                in_cell_xfs[0] = False
            elif tag == f"{_MAIN} xf" and in_cell_xfs[0]:
                number_format = _int(attrs.get("numFmtId"))
                if number_format in _BUILTIN_PERCENT or number_format in custom:
                    percent.add(index[0])
                index[0] += 1

        self._each("xl/styles.xml", start)
        return percent

    def _sheet_part(self, sheet: str) -> str:
        return self.sheet_paths.get(sheet, "")

    def errors(self, sheet: str) -> dict[tuple[int, int], str]:
        """(row, column) → the error a formula shows there (#N/A, #REF!, #DIV/0! …)."""
        found: dict[tuple[int, int], str] = {}
        current: list = [None, []]  # the error cell being read, and the text of its <v>

        def text(data: str) -> None:
            current[1].append(data)

        def start(tag: str, attrs: dict[str, str]) -> None:
            if tag == f"{_MAIN} c":
                where = position(attrs.get("r", "")) if attrs.get("t") == "e" else None
                current[0], current[1] = where, []
                if where is not None:
                    found[where] = "#ERROR"

        def end(tag: str) -> None:
            if tag == f"{_MAIN} v" and current[0] is not None and current[1]:
                found[current[0]] = "".join(current[1]).strip()[:40] or "#ERROR"
            elif tag == f"{_MAIN} c":
                current[0] = None

        def hook(parser) -> None:
            parser.CharacterDataHandler = text
            parser.EndElementHandler = end

        part = self._sheet_part(sheet)
        if part and self._mentions(part, b't="e"'):
            self._each(part, start, hook)
        return found

    def _mentions(self, part: str, needle: bytes) -> bool:
        """Whether the part holds `needle` at all: a cheap pass that spares the full parse on clean sheets."""
        tail = b""
        with self._zip.open(part) as stream:
            while chunk := stream.read(1 << 22):
                if needle in tail + chunk[: len(needle)] or needle in chunk:
                    return True
                tail = chunk[-len(needle) :]
        return False

    def percent(self, sheet: str, column: int) -> set[int]:
        """The rows (0-based) whose cell in `column` is formatted as a percentage."""
        styles = self._percent_styles
        rows: set[int] = set()
        if not styles:
            return rows

        def start(tag: str, attrs: dict[str, str]) -> None:
            if tag == f"{_MAIN} c" and _int(attrs.get("s")) in styles:
                where = position(attrs.get("r", ""))
                if where is not None and where[1] == column:
                    rows.add(where[0])

        part = self._sheet_part(sheet)
        if part:
            self._each(part, start)
        return rows


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return -1
