"""Hostile and broken files built in code: bombs, far cells, lying dimensions, unsafe XML, macro parts and more.

Each builder returns (file name, bytes). The corpus is what tests/test_hostile.py feeds through `check`, `publish`
and the Upload page; every kind named in the README's "Limits" has one here."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from tests.sheets import csv_bytes, task_row, workbook, xlsx

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"  # openpyxl writes the 整改台账 sheet here


def good() -> bytes:
    """A small valid ledger: 3 measures, a phases sheet, a report date."""
    return workbook([task_row(id=1), task_row(id=2, measure="召开专题会议"), task_row(id=3, measure="制定考核细则")])


def patched(data: bytes, changes: dict[str, bytes | Callable[[bytes], bytes]], *, level: int = 6) -> bytes:
    """The zip with some parts replaced (bytes) or rewritten (a function of the old bytes), others copied."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target:
        for entry in source.infolist():
            content = source.read(entry.filename)
            change = changes.get(entry.filename)
            target.writestr(entry.filename, change(content) if callable(change) else change or content)
        for name, change in changes.items():
            if name not in source.namelist():
                target.writestr(name, change if isinstance(change, bytes) else change(b""))
    return buffer.getvalue()


def _in_sheet_data(extra: bytes) -> Callable[[bytes], bytes]:
    return lambda xml: xml.replace(b"</sheetData>", extra + b"</sheetData>", 1)


def _after_sheet_data(extra: bytes) -> Callable[[bytes], bytes]:
    return lambda xml: xml.replace(b"</sheetData>", b"</sheetData>" + extra, 1)


def far_cell(reference: str = "XFD150000", declared: str | None = None) -> bytes:
    """A stray cell far from the table (A1 … XFD150000): the dense grid a reader builds would be enormous."""
    row = int(reference.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    cell = f'<row r="{row}"><c r="{reference}"><v>1</v></c></row>'.encode()
    changes: dict = {SHEET: _in_sheet_data(cell)}
    if declared is not None:
        changes[SHEET] = lambda xml: _declare(declared, _in_sheet_data(cell)(xml))
    return patched(good(), changes)


def lying_dimension() -> bytes:
    """A good ledger whose <dimension> claims A1:XFD1048576: the claim alone must not refuse it."""
    return patched(good(), {SHEET: lambda xml: _declare("A1:XFD1048576", xml)})


def _declare(reference: str, xml: bytes) -> bytes:
    found = re.subn(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{reference}"/>'.encode(), xml, count=1)
    assert found[1] == 1, "no <dimension> to rewrite"
    return found[0]


def whitespace_bomb(mib: int = 64) -> bytes:
    """sheetData padded with whitespace: a few hundred KB packed, tens of MB unpacked."""
    return patched(good(), {SHEET: _in_sheet_data(b" " * (mib << 20))}, level=9)


def zip_bomb(mib: int = 300) -> bytes:
    """An extra part of zeros, larger unpacked than any spreadsheet part may be."""
    return patched(good(), {"xl/media/padding.bin": bytes(mib << 20)}, level=1)


def shared_strings_bomb(entries: int = 3_000_000) -> bytes:
    """A sharedStrings part with millions of empty entries."""
    body = b"<si><t></t></si>" * entries
    head = f'<?xml version="1.0"?><sst xmlns="{MAIN_NS}" count="{entries}" uniqueCount="{entries}">'.encode()
    return patched(good(), {"xl/sharedStrings.xml": head + body + b"</sst>"}, level=9)


def huge_cell(chars: int = 40_000) -> bytes:
    """A measure longer than a cell may hold (Excel's 32,767 characters; openpyxl would cut it, so it is
    written into the sheet's XML)."""
    text = ("落实" * (chars // 2)).encode()
    return patched(
        good(),
        {
            SHEET: lambda xml: re.sub(
                rb'<c r="C5"([^>]*?)(?: t="\w+")?>.*?</c>',
                rb'<c r="C5"\1 t="inlineStr"><is><t>' + text + rb"</t></is></c>",
                xml,
                count=1,
                flags=re.DOTALL,
            )
        },
    )


def giant_cell(mib: int = 60) -> bytes:
    """One text cell of tens of MB, packed into a few hundred KB."""
    text = "整".encode() * ((mib << 20) // 3)
    cell = b'<row r="40"><c r="C40" t="inlineStr"><is><t>' + text + b"</t></is></c></row>"
    return patched(good(), {SHEET: _in_sheet_data(cell)}, level=9)


def many_columns(columns: int = 5_000) -> bytes:
    return xlsx({"整改台账": [["序号", "整改措施", *[f"列{i}" for i in range(columns)]], [1, "措施", *range(columns)]]})


def many_sheets(count: int = 60) -> bytes:
    return xlsx({f"表{i}": [["x"]] for i in range(count)})


def many_parts(count: int = 1_500) -> bytes:
    return patched(good(), {f"xl/media/p{i}.bin": b"x" for i in range(count)})


def merge_bomb(ranges: int = 5_000, rows: int = 200_000, column: str = "B") -> bytes:
    """The same vertical merge declared thousands of times over 200k rows."""
    merges = (
        f'<mergeCells count="{ranges}">'.encode()
        + (f'<mergeCell ref="{column}4:{column}{rows}"/>'.encode() * ranges)
        + b"</mergeCells>"
    )
    return patched(
        good(),
        {
            SHEET: lambda xml: re.sub(rb"<mergeCells.*?</mergeCells>", b"", xml, flags=re.DOTALL).replace(
                b"</sheetData>", b"</sheetData>" + merges, 1
            )
        },
    )


def date_value(value: str) -> bytes:
    """A date-formatted due cell holding a number no date can be (-inf, -1e12)."""

    def edit(xml: bytes) -> bytes:
        return re.sub(
            rb'(<c r="I5"[^>]*?)(?: t="\w+")?>(.*?)</c>',
            rb"\1><v>" + value.encode() + rb"</v></c>",
            xml,
            count=1,
            flags=re.DOTALL,
        )

    return patched(good(), {SHEET: edit})


def quadratic_errors(cells: int = 30_000) -> bytes:
    """Formula-error cells closed with `</c >`: a pattern that scans ahead for `</c>` goes quadratic."""
    rows = b"".join(
        f'<row r="{r}"><c r="N{r}" t="e"><f>NA()</f><v>#N/A</v></c ></row>'.encode() for r in range(200, 200 + cells)
    )
    return patched(good(), {SHEET: _in_sheet_data(rows)})


def attribute_flood(count: int = 60_000) -> bytes:
    """workbook.xml whose sheet element carries tens of thousands of attributes."""
    attributes = b" ".join(f'a{i}="x"'.encode() for i in range(count))
    return patched(good(), {"xl/workbook.xml": lambda xml: xml.replace(b"<sheet ", b"<sheet " + attributes + b" ", 1)})


def _with_doctype(doctype: bytes, reference: bytes) -> Callable[[bytes], bytes]:
    """The sheet with a DOCTYPE in front and the entity used in a measure cell."""

    def edit(xml: bytes) -> bytes:
        xml = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
        return b'<?xml version="1.0"?>' + doctype + xml.replace("召开专题会议".encode(), reference, 1)

    return edit


def billion_laughs() -> bytes:
    entities = b"".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">'.encode() for i in range(1, 10))
    doctype = b'<!DOCTYPE worksheet [<!ENTITY lol0 "lol">' + entities + b"]>"
    return patched(good(), {SHEET: _with_doctype(doctype, b"&lol9;")})


def xxe() -> bytes:
    doctype = b'<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    return patched(good(), {SHEET: _with_doctype(doctype, b"&secret;")})


def hidden_macro() -> bytes:
    """A VBA project stored under an innocent name, declared through its content type."""
    cfb = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    override = b'<Override PartName="/xl/media/image1.bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'
    return patched(
        good(), {"xl/media/image1.bin": cfb, "[Content_Types].xml": lambda xml: xml.replace(b"</Types>", override)}
    )


def ods_repeat_bomb(rows: int = 20_000, columns: int = 1_000) -> bytes:
    """A 2 KB OpenDocument sheet whose one row is repeated 20k times with one cell repeated 1k times."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
        '<office:spreadsheet><table:table table:name="整改台账"><table:table-row>'
        '<table:table-cell office:value-type="string"><text:p>整改措施</text:p></table:table-cell></table:table-row>'
        f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell office:value-type="string" '
        f'table:number-columns-repeated="{columns}"><text:p>x</text:p></table:table-cell></table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


WORD = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def word_document(body: bytes) -> bytes:
    """A .docx (python-docx's blank document) whose body is replaced."""
    from tests.sheets import docx

    return patched(
        docx("x"),
        {
            "word/document.xml": b'<?xml version="1.0"?><w:document '
            + WORD.encode()
            + b"><w:body>"
            + body
            + b"</w:body></w:document>"
        },
        level=6,
    )


def word_zip_bomb() -> bytes:
    return word_document(b"<w:p><w:r><w:t>" + b" " * (64 << 20) + b"</w:t></w:r></w:p>")


def word_table_of_a_million_cells(rows: int = 10_000, columns: int = 100) -> bytes:
    """Distinct cell texts, so that it packs like real text and passes the zip checks."""
    cells = (
        f"<w:tc><w:p><w:r><w:t>{r * columns + c}</w:t></w:r></w:p></w:tc>" for r in range(rows) for c in range(columns)
    )
    row_xml = []
    generator = iter(cells)
    for _ in range(rows):
        row_xml.append("<w:tr>" + "".join(next(generator) for _ in range(columns)) + "</w:tr>")
    return word_document(("<w:tbl>" + "".join(row_xml) + "</w:tbl>").encode())


def word_nested_tables(depth: int = 50) -> bytes:
    inner = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>"
    for _ in range(depth):
        inner = b"<w:tbl><w:tr><w:tc>" + inner + b"<w:p/></w:tc></w:tr></w:tbl>"
    return word_document(inner)


def word_xxe() -> bytes:
    doctype = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY s SYSTEM "file:///etc/passwd">]>'
    return patched(
        word_document(b"<w:p><w:r><w:t>&amp;</w:t></w:r></w:p>"),
        {"word/document.xml": lambda xml: doctype + xml.split(b"?>", 1)[1].replace(b"&amp;", b"&s;")},
    )


def ten_million_line_csv() -> bytes:
    return "序号,整改措施,责任人\n".encode() + b"\n" * 10_000_000


def csv_long_line() -> bytes:
    return csv_bytes([["序号", "整改措施", "责任人"], [1, "落实" * 1_000_000, "办公室主任"]])


def truncated() -> bytes:
    data = good()
    return data[: len(data) // 2]


# name → (file name, builder, the refusal code expected, or None when the file must be read)
CORPUS: dict[str, tuple[str, Callable[[], bytes], str | None]] = {
    "zip bomb": ("台账.xlsx", zip_bomb, "file.unpacked_too_large"),
    "whitespace in sheetData": ("台账.xlsx", whitespace_bomb, "file.unpacked_too_large"),
    "sharedStrings bomb": ("台账.xlsx", shared_strings_bomb, "file.unpacked_too_large"),
    "ODS repeat bomb": ("台账.ods", ods_repeat_bomb, "file.too_many_columns"),
    "merge bomb": ("台账.xlsx", merge_bomb, None),
    "too many merges": ("台账.xlsx", lambda: merge_bomb(ranges=25_000, rows=10), "file.too_many_merged"),
    "far cell XFD150000": ("台账.xlsx", far_cell, "file.too_many_columns"),
    "far cell ALL100000": ("台账.xlsx", lambda: far_cell("ALL100000"), "file.too_many_columns"),
    "far cell A1048576": ("台账.xlsx", lambda: far_cell("A1048576"), "file.too_many_rows"),
    "declared huge, small inside": ("台账.xlsx", lying_dimension, None),
    "declared small, far inside": (
        "台账.xlsx",
        lambda: far_cell("XFD150000", declared="A1:N10"),
        "file.too_many_columns",
    ),
    "-inf in a date cell": ("台账.xlsx", lambda: date_value("-inf"), "file.unreadable_value"),
    "-1e12 in a date cell": ("台账.xlsx", lambda: date_value("-1e12"), "file.unreadable_value"),
    "NaN in a date cell": ("台账.xlsx", lambda: date_value("NaN"), None),
    "error cells closed with </c >": ("台账.xlsx", quadratic_errors, None),
    "60k attributes in workbook.xml": ("台账.xlsx", attribute_flood, None),
    "cell over 32,767 characters": ("台账.xlsx", huge_cell, "task.too_long"),
    "60 MB cell": ("台账.xlsx", giant_cell, "file.unpacked_too_large"),
    "5,000 columns": ("台账.xlsx", many_columns, "file.too_many_columns"),
    "60 sheets": ("台账.xlsx", many_sheets, "file.too_many_sheets"),
    "1,500 zip parts": ("台账.xlsx", many_parts, "file.too_many_parts"),
    "billion laughs": ("台账.xlsx", billion_laughs, "file.unsafe_xml"),
    "XXE": ("台账.xlsx", xxe, "file.unsafe_xml"),
    "macro part under another name": ("台账.xlsx", hidden_macro, "file.macro"),
    "10 million line CSV": ("台账.csv", ten_million_line_csv, "file.too_many_lines"),
    "CSV line of 6 MB": ("台账.csv", csv_long_line, "file.line_too_long"),
    "truncated xlsx": ("台账.xlsx", truncated, "file.corrupt"),
    "NUL bytes in a CSV": ("台账.csv", lambda: "序号,整改措施\n1,成立\x00领导小组\n".encode(), "file.type"),
    "garbage": ("台账.xlsx", lambda: b"PK\x03\x04" + bytes(range(256)) * 40, "file.corrupt"),
    "xlsm": ("台账.xlsm", good, "file.macro"),
    "Word zip bomb": ("台账.docx", word_zip_bomb, "file.unpacked_too_large"),
    "Word table of 1,000,000 cells": ("台账.docx", word_table_of_a_million_cells, "file.too_many_cells"),
    "Word tables nested 50 deep": ("台账.docx", word_nested_tables, "file.tables_too_deep"),
    "Word XXE": ("台账.docx", word_xxe, "file.unsafe_xml"),
}
WORD_KINDS = [kind for kind, (name, _, _) in CORPUS.items() if name.endswith(".docx")]
