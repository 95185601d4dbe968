"""The meeting pack as editable Word documents (python-docx): the brief and the supervision notices, in the
conventions of Chinese official documents — A4 with 公文 margins, 黑体 headings, 仿宋 body (Word and WPS substitute
what a machine lacks), page numbers in the footer, charts as images and tables as real Word tables."""

from __future__ import annotations

import io
import re
import zipfile
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ledger import typeset

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

HEADING_FONT = "黑体"
BODY_FONT = "仿宋"
LATIN_FONT = "Times New Roman"
RED = RGBColor(0xC6, 0x28, 0x28)
MUTED = RGBColor(0x54, 0x6E, 0x7A)
CHART_PPI = 200


def _east_asian(target, name: str) -> None:
    """Set the East Asian font of a style or run (python-docx sets only the Latin one)."""
    properties = target.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _document() -> WordDocument:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.6)
    section.left_margin, section.right_margin = Cm(2.6), Cm(2.4)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = LATIN_FONT, Pt(12)
    _east_asian(normal, BODY_FONT)
    for name, size in (("Title", 20), ("Heading 1", 15), ("Heading 2", 13)):
        style = document.styles[name]
        style.font.name, style.font.size, style.font.bold = LATIN_FONT, Pt(size), name != "Title"
        style.font.color.rgb = RGBColor(0, 0, 0)
        _east_asian(style, HEADING_FONT)
    _page_numbers(section)
    return document


def _page_numbers(section) -> None:
    """ "— N —" centred in the footer, as a PAGE field that Word and WPS keep up to date."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
    paragraph.add_run(" —")


def colon(data: dict) -> str:
    return "：" if data["lang"] == "zh" else ": "


def paren(data: dict, text: object) -> str:
    return f"（{text}）" if data["lang"] == "zh" else f" ({text})"


def _run(
    paragraph,
    text: str,
    *,
    bold: bool = False,
    color: RGBColor | None = None,
    size: float | None = None,
    font: str | None = None,
):
    run = paragraph.add_run(text)
    run.bold = bold
    if color is not None:
        run.font.color.rgb = color
    if size is not None:
        run.font.size = Pt(size)
    if font:
        _east_asian(run, font)
    return run


def _table(
    document, header: list[str], rows: list[list[str]], widths: list[float] | None = None, red_column: int | None = None
):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        _run(cell.paragraphs[0], text, bold=True, size=10.5, font=HEADING_FONT)
    for row in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = ""
            _run(cell.paragraphs[0], str(text), size=10.5, color=RED if i == red_column else None)
    if widths:  # a fixed grid (Word and WPS follow it) and the header's cells, not every cell: big notices stay fast
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        for cell, width in zip(table.rows[0].cells, widths, strict=True):
            cell.width = Cm(width)
    return table


def _chart(document, data: dict, chart: str) -> None:
    image = typeset.png("chart.typ", {**data, "chart": chart}, CHART_PPI)
    document.add_picture(io.BytesIO(image), width=Cm(15.5))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def brief_docx(data: dict) -> bytes:
    """The brief (ledger.brief.brief_data) as a Word document."""
    labels = data["labels"]
    document = _document()
    document.add_heading(data["title"], level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(heading, data["heading"], bold=True, size=16, font=HEADING_FONT)
    line = document.add_paragraph()
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(line, data["subtitle"], color=MUTED, size=11)
    if data["filters"]:
        _run(document.add_paragraph(), data["filters"], color=RED, size=11)

    document.add_heading(labels["figures"], level=1)
    _table(
        document,
        [f["label"] for f in data["figures"]],
        [[f["value"] + (paren(data, f["note"]) if f["note"] else "") for f in data["figures"]]],
    )
    document.add_heading(labels["lights"], level=1)
    _table(document, [item["word"] for item in data["lights"]], [[str(item["count"]) for item in data["lights"]]])
    _run(document.add_paragraph(), data["lights_rule"], color=MUTED, size=9)

    if data["gantt"]["rows"]:
        document.add_heading(labels["gantt"], level=1)
        _chart(document, data, "gantt")
    document.add_heading(labels["categories"], level=1)
    _chart(document, data, "categories")

    overdue = data["overdue"]
    document.add_heading(labels["overdue"] + paren(data, overdue["total"]), level=1)
    if overdue["groups"]:
        rows = [
            [group["leader"], r["id"], r["measure"], r["due"], str(r["days"])]
            for group in overdue["groups"]
            for r in group["rows"]
        ]
        _table(
            document,
            [labels["leader"], "#", labels["measure"], labels["due"], labels["days"]],
            rows,
            [2.8, 1.0, 8.4, 2.4, 1.6],
            red_column=4,
        )
        if overdue["more"]:
            _run(document.add_paragraph(), overdue["more"], color=MUTED)
    else:
        document.add_paragraph(labels["no_overdue"])

    changes = data["changes"]
    document.add_heading(labels["changes"], level=1)
    if changes["available"]:
        _table(document, [c["label"] for c in changes["counts"]], [[str(c["n"]) for c in changes["counts"]]])
        for item in changes["lines"]:
            paragraph = document.add_paragraph(style="List Bullet")
            _run(paragraph, item["kind"] + colon(data), color=RED if item["alarm"] else MUTED)
            _run(paragraph, item["text"] + paren(data, item["who"]))
    else:
        document.add_paragraph(changes["text"])

    requirements = data["requirements"]
    document.add_heading(labels["requirements"], level=1)
    if requirements["rows"]:
        _table(
            document,
            [labels["measure"], labels["by"], labels["target"], labels["required_by"], labels["state"]],
            [
                [
                    r["text"],
                    r["by"],
                    r["target"],
                    r["required_by"],
                    r["state_word"] + (f" {r['progress']}" if r["progress"] else ""),
                ]
                for r in requirements["rows"]
            ],
            [6.0, 2.2, 3.6, 2.4, 2.0],
        )
        if requirements["more"]:
            _run(document.add_paragraph(), f"… +{requirements['more']}", color=MUTED)
    else:
        document.add_paragraph(labels["no_requirements"])
    if requirements["current_text"]:
        _run(document.add_paragraph(), requirements["current_text"], color=MUTED)
    _run(document.add_paragraph(), data["footer"], color=MUTED, size=9)
    return _saved(document)


def notice_docx(data: dict, notice: dict) -> bytes:
    """One supervision notice (an item of ledger.brief.notices_data()["notices"]) as a Word document."""
    labels = data["labels"]
    document = _document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, labels["title"], bold=True, size=26, color=RED, font=HEADING_FONT)
    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(number, notice["number"])
    _run(document.add_paragraph(), labels["to"] + colon(data) + notice["to"], bold=True, font=HEADING_FONT)
    intro = document.add_paragraph()
    intro.paragraph_format.first_line_indent = Pt(24)
    _run(intro, notice["intro"])
    rows = [
        [
            r["id"],
            r["measure"]
            + ("\n" + labels["requirements"] + colon(data) + r["requirements"] if r["requirements"] else ""),
            r["due"],
            r["days"],
            str(r["postponed"]),
        ]
        for r in notice["rows"]
    ]
    _table(
        document,
        ["#", labels["measure"], labels["due"], labels["days"], labels["postponed"]],
        rows,
        [1.0, 9.0, 2.4, 2.2, 1.4],
    )
    _run(document.add_paragraph(), notice["deadline"], bold=True)
    feedback = document.add_table(rows=1, cols=1)
    feedback.style = "Table Grid"
    cell = feedback.rows[0].cells[0]
    cell.text = ""
    _run(cell.paragraphs[0], labels["feedback"], bold=True, font=HEADING_FONT)
    for _ in range(8):
        cell.add_paragraph("")
    document.add_paragraph()
    _run(
        document.add_paragraph(),
        f"{labels['signature']}{colon(data)}__________________    {labels['date']}{colon(data)}____________",
    )
    issuer = document.add_paragraph()
    issuer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(issuer, f"{labels['issuer']}\n{data['issued']}")
    return _saved(document)


def record_docx(data: dict) -> bytes:
    """The 督导检查记录表 (ledger.inspection.record_data) as a Word document: the week's decisions with the evidence
    each saw, the spot check, and blank lines for the inspectors' signatures."""
    labels = data["labels"]
    document = _document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, data["title"], bold=True, size=22, font=HEADING_FONT)
    for label, value in (("plan", data["plan"]), ("unit", data["unit"]), ("period", data["period"])):
        if value:
            _run(document.add_paragraph(), labels[label] + colon(data) + value)
    document.add_heading(labels["decisions"], level=1)
    if data["rows"]:
        _table(
            document,
            [labels[name] for name in ("id", "measure", "evidence", "decision", "reason", "by", "at")],
            [
                [
                    (r["unit"] + " " if r["unit"] else "") + r["id"],
                    r["measure"],
                    r["evidence"],
                    r["decision"],
                    r["reason"],
                    r["by"],
                    r["at"],
                ]
                for r in data["rows"]
            ],
            [1.4, 4.2, 3.2, 1.8, 2.6, 1.8, 1.6],
        )
    else:
        _run(document.add_paragraph(), labels["none"], color=MUTED)
    document.add_heading(labels["sample"], level=1)
    if data["sample"]:
        _table(
            document,
            [labels[name] for name in ("id", "measure", "evidence", "state")],
            [
                [(r["unit"] + " " if r["unit"] else "") + r["id"], r["measure"], r["evidence"], r["state"]]
                for r in data["sample"]
            ],
            [1.6, 9.2, 2.4, 3.4],
        )
    else:
        _run(document.add_paragraph(), "—", color=MUTED)
    document.add_paragraph()
    for label in ("leader", "members"):
        _run(
            document.add_paragraph(),
            f"{labels[label]}{colon(data)}______________________    {labels['date']}{colon(data)}____________",
        )
    return _saved(document)


def notices_zip(data: dict) -> bytes:
    """Every notice as its own .docx, in one zip (names: number and addressee)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # each .docx is compressed already
        for notice in data["notices"]:
            archive.writestr(file_name(f"{notice['number']}_{notice['to']}") + ".docx", notice_docx(data, notice))
    return buffer.getvalue()


def file_name(text: str, limit: int = 80) -> str:
    """A file name any system accepts, from text a ledger supplied."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", text).strip(" .") or "notice"
    return cleaned[:limit]


def _saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
