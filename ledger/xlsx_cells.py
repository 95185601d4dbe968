"""What python-calamine does not report about xlsx cells — formula errors and percent formats — read from the XML."""

from __future__ import annotations

import io
import re
import zipfile
from functools import cached_property
from posixpath import join, normpath

_SHEET = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_REL_REVERSED = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')
_NUMFMT = re.compile(rb'<numFmt\b[^>]*?\bnumFmtId="(\d+)"[^>]*?\bformatCode="([^"]*)"')
_XF = re.compile(rb"<xf\b([^>]*)")
_CELL = re.compile(rb'<c\b([^>]*?)(?<!/)>(.*?)</c>', re.DOTALL)  # not the empty, self-closing <c …/>
_ATTR = re.compile(rb'\b(r|s|t)="([^"]*)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_BUILTIN_PERCENT = {9, 10}


def _position(reference: bytes) -> tuple[int, int]:
    """`K12` → (11, 10): 0-based row and column."""
    letters = reference.rstrip(b"0123456789")
    column = 0
    for letter in letters:
        column = column * 26 + letter - 64
    return int(reference[len(letters):]) - 1, column - 1


def _unescape(text: bytes) -> str:
    return text.decode("utf-8", "replace").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace(
        "&quot;", '"')


class XlsxCells:
    """Cell facts of one xlsx file, parsed only when asked for."""

    def __init__(self, data: bytes):
        self._zip = zipfile.ZipFile(io.BytesIO(data))

    def _read(self, name: str) -> bytes:
        try:
            return self._zip.read(name)
        except KeyError:
            return b""

    @cached_property
    def _sheet_paths(self) -> dict[str, str]:
        rels = self._read("xl/_rels/workbook.xml.rels")
        targets = {rid: target for rid, target in _REL.findall(rels)}
        targets |= {rid: target for target, rid in _REL_REVERSED.findall(rels)}
        paths = {}
        for name, rid in _SHEET.findall(self._read("xl/workbook.xml")):
            target = targets.get(rid, b"").decode()
            paths[_unescape(name)] = target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))
        return paths

    @cached_property
    def _percent_styles(self) -> set[int]:
        styles = self._read("xl/styles.xml")
        custom = {int(i) for i, code in _NUMFMT.findall(styles) if b"%" in code}
        cell_xfs = styles.split(b"<cellXfs", 1)[-1].split(b"</cellXfs>", 1)[0] if b"<cellXfs" in styles else b""
        percent = set()
        for index, attributes in enumerate(_XF.findall(cell_xfs)):
            found = re.search(rb'numFmtId="(\d+)"', attributes)
            if found and (int(found[1]) in _BUILTIN_PERCENT or int(found[1]) in custom):
                percent.add(index)
        return percent

    def _sheet(self, sheet: str) -> bytes:
        path = self._sheet_paths.get(sheet)
        return self._read(path) if path else b""

    def errors(self, sheet: str) -> dict[tuple[int, int], str]:
        """(row, column) → the error a formula shows there (#N/A, #REF!, #DIV/0! …)."""
        xml = self._sheet(sheet)
        if b't="e"' not in xml:
            return {}
        found = {}
        for attributes, body in _CELL.findall(xml):
            attrs = dict(_ATTR.findall(attributes))
            if attrs.get(b"t") == b"e" and b"r" in attrs:
                value = _VALUE.search(body)
                found[_position(attrs[b"r"])] = _unescape(value[1]) if value else "#ERROR"
        return found

    def percent(self, sheet: str, column: int) -> set[int]:
        """The rows (0-based) whose cell in `column` is formatted as a percentage."""
        styles = self._percent_styles
        if not styles:
            return set()
        rows = set()
        for attributes in re.findall(rb"<c\b([^>]*)>", self._sheet(sheet)):
            attrs = dict(_ATTR.findall(attributes))
            if b"r" in attrs and int(attrs.get(b"s", b"0")) in styles:
                row, col = _position(attrs[b"r"])
                if col == column:
                    rows.add(row)
        return rows
