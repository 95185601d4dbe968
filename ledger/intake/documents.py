"""Word documents and plain text as offices hand them over: a .docx read as paragraphs and tables (streaming XML,
vertically merged cells kept as merges), text in UTF-8 or GBK, and legacy .doc/.wps converted by LibreOffice
where it is installed. Runs inside the guarded worker (ledger.intake.guard); sizes are checked as the XML streams."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from ledger.intake.guard import Limits
from ledger.intake.precheck import refusal
from ledger.intake.xlsx_cells import BadXml, UnsafeXml, parse
from ledger.model import Issue

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAX_TABLE_DEPTH = 8
LEGACY_WORD = (".doc", ".wps", ".wpt", ".dot")


@dataclass
class Table:
    rows: list[list[str]] = field(default_factory=list)
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)  # 0-based, inclusive


@dataclass
class Document:
    """A document's body in order: paragraphs (str) and tables."""

    blocks: list[str | Table] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return [block for block in self.blocks if isinstance(block, str)]

    @property
    def tables(self) -> list[Table]:
        return [block for block in self.blocks if isinstance(block, Table)]

    def lines(self) -> list[str]:
        """Every paragraph, and every table row as its cells joined by tabs, in document order."""
        out: list[str] = []
        for block in self.blocks:
            if isinstance(block, str):
                out += block.split("\n")
            else:
                out += ["\t".join(row) for row in block.rows]
        return out


class _TooBig(Exception):
    def __init__(self, issue: Issue):
        super().__init__(issue.code)
        self.issue = issue


class _Body:
    """Collects paragraphs and tables from word/document.xml events; cells of nested tables become text."""

    def __init__(self, file_name: str, limits: Limits):
        self.file_name, self.limits = file_name, limits
        self.document = Document()
        self.tables: list[Table] = []  # open tables, innermost last
        self.text: list[str] = []
        self.cell: list[str] | None = None
        self.cell_span = 1
        self.cell_merge: str | None = None
        self.columns: list[int] = []  # per open table: the column the next cell starts at
        self.open_merges: list[dict[int, int]] = []  # per open table: column → row where its vertical merge began
        self.cells = 0
        self.in_text = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = tag.rsplit(" ", 1)[-1] if tag.startswith(_W) else ""
        if name == "tbl":
            if len(self.tables) >= MAX_TABLE_DEPTH:
                raise _TooBig(refusal("file.tables_too_deep", self.file_name, limit=MAX_TABLE_DEPTH))
            self.tables.append(Table())  # a table inside a cell keeps its text in that cell (see end)
            self.columns.append(0)
            self.open_merges.append({})
        elif name == "tr" and len(self.tables) == 1:
            table = self.tables[0]
            table.rows.append([])
            self.columns[0] = 0
            if len(table.rows) > self.limits.max_rows + 100:
                raise _TooBig(
                    refusal(
                        "file.too_many_rows",
                        self.file_name,
                        where=self._table_name(),
                        count=len(table.rows),
                        limit=self.limits.max_rows,
                        cell="—",
                    )
                )
        elif name == "tc" and len(self.tables) == 1:
            self.cell, self.cell_span, self.cell_merge = [], 1, None
        elif name == "gridSpan" and self.cell is not None and len(self.tables) == 1:
            self.cell_span = max(1, min(_number(attrs.get(f"{_W} val")), self.limits.max_columns + 1))
        elif name == "vMerge" and self.cell is not None and len(self.tables) == 1:
            self.cell_merge = attrs.get(f"{_W} val", "continue")
        elif name == "t":
            self.in_text = True
        elif name == "tab":
            self.text.append("\t")
        elif name in ("br", "cr"):
            self.text.append("\n")

    def end(self, tag: str) -> None:
        name = tag.rsplit(" ", 1)[-1] if tag.startswith(_W) else ""
        if name == "t":
            self.in_text = False
        elif name == "p":
            paragraph = "".join(self.text).strip()
            self.text = []
            if self.cell is not None:
                self.cell.append(paragraph)
            elif not self.tables:
                self.document.blocks.append(paragraph)
        elif name == "tc" and len(self.tables) == 1 and self.cell is not None:
            self._end_cell(self.cell)
        elif name == "tbl":
            inner = self.tables.pop()
            self.columns.pop()
            self.open_merges.pop()
            if not self.tables:
                self.document.blocks.append(inner)
            elif self.cell is not None:  # nested table: its rows as lines of the outer cell
                self.cell += ["\t".join(row) for row in inner.rows]

    def _end_cell(self, cell: list[str]) -> None:
        table, column = self.tables[0], self.columns[0]
        row = table.rows[-1]
        text = "\n".join(part for part in cell if part)
        row.append(text)
        row.extend([""] * (self.cell_span - 1))
        merges = self.open_merges[0]
        if self.cell_merge == "restart":
            merges[column] = len(table.rows) - 1
        elif self.cell_merge == "continue" and column in merges:
            top = merges[column]
            table.merged = [m for m in table.merged if m[0] != (top, column)]
            table.merged.append(((top, column), (len(table.rows) - 1, column)))
        else:
            merges.pop(column, None)
        self.columns[0] = column + self.cell_span
        self.cell = None
        self.cells += self.cell_span
        if len(row) > self.limits.max_columns:
            raise _TooBig(
                refusal(
                    "file.too_many_columns",
                    self.file_name,
                    where=self._table_name(),
                    count=len(row),
                    limit=self.limits.max_columns,
                    cell="—",
                )
            )
        if self.cells > self.limits.max_word_cells:
            raise _TooBig(
                refusal("file.too_many_cells", self.file_name, count=f"{self.cells}+", limit=self.limits.max_word_cells)
            )

    def text_data(self, data: str) -> None:
        if self.in_text:  # text of runs only: not field codes, not deleted revisions
            self.text.append(data)

    def _table_name(self) -> str:
        return table_name(len(self.document.tables) + 1)


def table_name(number: int) -> str:
    """How a Word table is named in reports: 表格1, 表格2 …"""
    return f"表格{number}"


def _number(text: str | None) -> int:
    try:
        return int(text or 1)
    except ValueError:
        return 1


def read_docx(data: bytes, file_name: str, limits: Limits) -> Document | Issue:
    """The body of a .docx, or the refusal that says why it can't be read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if "word/document.xml" not in archive.namelist():
            return refusal("file.type", file_name, accepted=".docx .txt")
        body = _Body(file_name, limits)

        def hooks(parser) -> None:
            parser.EndElementHandler = body.end
            parser.CharacterDataHandler = body.text_data

        with archive.open("word/document.xml") as stream:
            parse(stream, body.start, hooks)
    except _TooBig as problem:
        return problem.issue
    except UnsafeXml:
        return refusal("file.unsafe_xml", file_name)
    except (BadXml, zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError):
        return refusal("file.corrupt", file_name)
    return body.document


def decode_text(data: bytes) -> str | None:
    """Text in UTF-8 (with or without BOM) or GBK/GB18030; None when it is neither."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def libreoffice() -> str | None:
    """The LibreOffice program, where it is installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_legacy(data: bytes, file_name: str, limits: Limits) -> bytes | Issue:
    """A .doc/.wps converted to .docx by LibreOffice (headless, in a scratch folder), or the message saying why not
    — LibreOffice not installed, or the conversion failed."""
    program = libreoffice()
    if program is None:
        return refusal("file.needs_libreoffice", file_name)
    with tempfile.TemporaryDirectory(prefix="ledger-convert-") as folder:
        source = Path(folder) / ("document" + PurePath(file_name).suffix.lower())
        source.write_bytes(data)
        # Nothing of the server's: no database address or password, a profile of its own; and, in the reading
        # worker, no network (ledger.intake.guard._box).
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": folder, "LANG": "C.UTF-8"}
        try:
            subprocess.run(
                [program, "--headless", "--norestore", "--convert-to", "docx", "--outdir", folder, str(source)],
                capture_output=True,
                timeout=limits.wall_seconds,
                env=env,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return refusal("file.corrupt", file_name)
        converted = source.with_suffix(".docx")
        if not converted.is_file():
            return refusal("file.corrupt", file_name)
        return converted.read_bytes()
