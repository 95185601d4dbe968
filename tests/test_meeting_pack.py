"""The meeting pack (README "Meeting pack"): the brief as PDF, Word and image, the supervision notices, the whole
version as a workbook; read back out of the files with poppler (pdftotext, pdffonts), python-docx and openpyxl."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest
from PIL import Image

from ledger import brief, metrics, typeset, word
from ledger.cli import run
from ledger.figures import BAR, category_bars, gantt
from ledger.i18n import STRINGS
from ledger.sample import scaled_workbook
from tests.sheets import load_tasks, task_row

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample_ledger.xlsx"
LATE_MEASURE = "建立健全网络舆情分析研判制度"  # measure 15 of the sample: 10 days late on 2019-05-27, leader 校长


def poppler(tool: str, data: bytes, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: tests/run.sh installs poppler-utils")
    return subprocess.run(
        [tool, *args, "-", "-"] if tool == "pdftotext" else [tool, "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def pdf_text(data: bytes) -> str:
    return poppler("pdftotext", data, "-layout")


def pdf_pages(data: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_fonts(data: bytes) -> list[list[str]]:
    lines = poppler("pdffonts", data).splitlines()[2:]
    return [line.split() for line in lines if line.strip()]


@pytest.fixture(scope="module")
def context(sample_ledger_module):
    ledger = sample_ledger_module
    return brief.Context(
        ledger, ledger.tasks, ledger.report_date, "zh", plan="意识形态工作责任制专项整治方案", unit="党总支"
    )


@pytest.fixture(scope="module")
def sample_ledger_module():
    from ledger.intake.reading import load_ledger

    return load_ledger([(SAMPLE.name, SAMPLE.read_bytes())], date(2019, 5, 27))


@pytest.fixture(scope="module")
def brief_pdf(context):
    return typeset.pdf("brief.typ", brief.brief_data(context))


def test_the_brief_is_one_a4_page(brief_pdf):
    assert brief_pdf.startswith(b"%PDF")
    assert pdf_pages(brief_pdf) == 1
    info = subprocess.run(["pdfinfo", "-"], input=brief_pdf, capture_output=True, check=True).stdout.decode()
    assert "595.276 x 841.89 pts (A4)" in info


def test_pdftotext_finds_the_figures_a_late_measure_and_its_leader(brief_pdf):
    text = pdf_text(brief_pdf)
    assert "意识形态工作责任制专项整治方案" in text and "整改工作周报" in text
    assert "26.7%" in text  # completion: 4 done of 15 that can finish
    assert "超期未完成" in text and "（4）" in text  # the overdue count
    line = next(line for line in text.splitlines() if LATE_MEASURE in line)
    assert "校长" in line and "2019-05-17" in line and line.rstrip().endswith("10")
    for word_ in (
        "■ 红灯·超期 4",
        "▲ 黄灯·预警 3",
        "● 绿灯·正常 4",
        "✓? 已完成·待审核 4",
        "✓ 已销号 0",
        "◎ 长期坚持 2",
    ):
        assert word_ in text


def test_the_pdf_embeds_only_the_bundled_cjk_font(brief_pdf):
    fonts = pdf_fonts(brief_pdf)
    assert fonts, "no font in the PDF"
    for name, *_, emb, sub, uni, _obj, _gen in fonts:
        assert "NotoSansSC" in name, f"a glyph fell back to {name}"
        assert (emb, sub, uni) == ("yes", "yes", "yes")


def test_every_character_the_documents_write_is_in_the_bundled_font():
    from fontTools.ttLib import TTFont

    covered = set(TTFont(ROOT / "fonts" / "NotoSansSC_400Regular.ttf").getBestCmap())
    prefixes = (
        "brief.",
        "notice.",
        "light.",
        "requirement.state.",
        "overview.",
        "status.",
        "phase_state.",
        "gantt.",
        "chart.",
        "changes.",
        "field.",
    )
    missing = {
        (key, ch)
        for key, texts in STRINGS.items()
        if key.startswith(prefixes)
        for text in texts
        for ch in text
        if ord(ch) not in covered and ch not in "{}\n"
    }
    assert missing == set()


def test_the_brief_in_english(context):
    english = typeset.pdf(
        "brief.typ", brief.brief_data(brief.Context(context.ledger, context.tasks, context.as_of, "en"))
    )
    text = pdf_text(english)
    assert "Weekly rectification brief" in text and "Overdue, by responsible leader" in text
    assert pdf_pages(english) == 1


def test_a_brief_of_10000_measures_is_still_one_page_and_says_how_many_more():
    ledger = load_bytes(scaled_workbook(10_000))
    context = brief.Context(ledger, ledger.tasks, ledger.report_date)
    data = brief.brief_data(context)
    late = len(metrics.overdue(ledger.tasks, ledger.report_date))
    assert late > brief.TOP_OVERDUE
    assert data["overdue"]["more"] == f"另有 {late - brief.TOP_OVERDUE} 项超期未完成，见台账。"
    pdf = typeset.pdf("brief.typ", data)
    assert pdf_pages(pdf) == 1
    assert data["overdue"]["more"] in pdf_text(pdf).replace("\n", "")


def load_bytes(data: bytes):
    from ledger.intake.reading import load_ledger

    return load_ledger([("台账.xlsx", data)], date(2019, 6, 3))


def test_the_word_brief_holds_the_same_figures_in_real_tables(context):
    data = brief.brief_data(context)
    document = docx.Document(io.BytesIO(word.brief_docx(data)))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    figures = tables[0]
    assert figures[0][:5] == ["整改措施", "上报完成率", "核验完成率", "平均进度", "超期未完成"]
    assert figures[1][0] == "17" and figures[1][1].startswith("26.7%") and figures[1][2].startswith("0.0%")
    assert figures[1][4].startswith("4")
    overdue = next(t for t in tables if t[0][:3] == ["责任领导", "#", "措施 / 要求"])
    assert overdue[1][:2] == ["校长", "15"] and overdue[1][2].startswith(LATE_MEASURE) and overdue[1][4] == "10"
    assert len(overdue) == 1 + 4
    assert len(document.inline_shapes) == 2  # the phase Gantt and completion by category, as images
    body = document.element.body.xml
    assert 'w:eastAsia="黑体"' in document.styles.element.xml and 'w:eastAsia="仿宋"' in document.styles.element.xml
    assert "PAGE" in section.footer.paragraphs[0]._p.xml
    assert "fldChar" in section.footer.paragraphs[0]._p.xml
    assert "意识形态工作责任制专项整治方案" in body


def test_the_image_is_1080_pixels_wide(context):
    image = Image.open(io.BytesIO(typeset.png("headline.typ", brief.brief_data(context))))
    assert image.format == "PNG" and image.width == 1080 and 600 < image.height < 2400


def late_or_soon_leaders(ledger) -> set[str]:
    tasks, day = ledger.tasks, ledger.report_date
    return set(metrics.overdue(tasks, day)["leader"]) | set(metrics.due_soon(tasks, day)["leader"])


def test_one_notice_per_leader_with_overdue_or_due_soon_measures_each_naming_that_leader(context):
    data = brief.notices_data(context, "leader")
    expected = late_or_soon_leaders(context.ledger)
    assert {n["to"] for n in data["notices"]} == expected and len(data["notices"]) == len(expected) == 5
    assert [n["number"] for n in data["notices"]] == [f"督办〔2019〕第{i}号" for i in range(1, 6)]
    first = data["notices"][0]  # the most overdue first: 校长, measure 15, 10 days
    assert first["to"] == "校长" and first["rows"][0]["days"] == "■ 超期 10 天" and first["rows"][0]["postponed"] == 0
    pdf = typeset.pdf("notices.typ", data)
    assert pdf_pages(pdf) == len(expected)
    pages = pdf_text(pdf).split("\f")
    for page, notice in zip(pages, data["notices"], strict=False):
        assert f"督办对象：{notice['to']}" in page and notice["number"] in page.replace(" ", "")
        assert "整改情况反馈" in page and "责任人签字" in page


def test_notices_by_department_come_as_a_zip_of_word_documents(context):
    data = brief.notices_data(context, "department")
    departments = set(metrics.overdue(context.tasks, context.as_of)["department"]) | set(
        metrics.due_soon(context.tasks, context.as_of)["department"]
    )
    with zipfile.ZipFile(io.BytesIO(word.notices_zip(data))) as archive:
        names = archive.namelist()
        assert len(names) == len(departments) and all(name.endswith(".docx") for name in names)
        for name, notice in zip(names, data["notices"], strict=True):
            document = docx.Document(io.BytesIO(archive.read(name)))
            text = "\n".join(p.text for p in document.paragraphs)
            assert notice["to"] in name and f"督办对象：{notice['to']}" in text and notice["number"] in text
            assert document.tables[0].rows[0].cells[1].text == "整改措施"


def test_notices_carry_postponements_and_meeting_requirements(context):
    import pandas as pd

    from ledger.requirements import MeetingRequirements, Requirement

    history = pd.concat(
        [
            context.ledger.tasks.assign(
                version_id=1, report_date=date(2019, 5, 20), due=context.ledger.tasks["due"] - pd.Timedelta(days=7)
            ),
            context.ledger.tasks.assign(version_id=2, report_date=date(2019, 5, 27)),
        ]
    )
    asked = Requirement(
        "measure",
        "15",
        ("id:15",),
        "",
        "月底前完成",
        "党总支书记",
        date(2019, 5, 28),
        None,
        1,
        "办公室主任",
        None,
        id=1,
        plan_id=1,
    )
    with_more = brief.Context(
        context.ledger, context.tasks, context.as_of, history=history, requirements=MeetingRequirements([], [asked])
    )
    row = brief.notices_data(with_more)["notices"][0]["rows"][0]
    assert row["id"] == "15" and row["postponed"] == 1
    assert row["requirements"] == "党总支书记：月底前完成（2019-06-04）"


def test_the_version_workbook_has_lights_as_colours_and_words_overdue_first_filters_and_print_setup(context):
    book = openpyxl.load_workbook(io.BytesIO(brief.version_workbook(context)))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("灯号", "超期天数", "序号")
    assert [(r[0], r[1], r[2]) for r in rows[1:5]] == [
        ("■ 红灯·超期", 10, "15"),
        ("■ 红灯·超期", 7, "2"),
        ("■ 红灯·超期", 3, "4"),
        ("■ 红灯·超期", 2, "11"),
    ]
    assert rows[5][0] == "▲ 黄灯·预警" and rows[-1][0] in ("✓? 已完成·待审核", "◎ 长期坚持")
    assert len(rows) == 1 + 17
    assert sheet["A2"].fill.fgColor.rgb == "FFFFCDD2"
    assert sheet.auto_filter.ref == "A1:R18" and sheet.freeze_panes == "A2"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.print_title_rows == "$1:$1" and sheet.sheet_properties.pageSetUpPr.fitToPage


def test_a_formula_in_a_measure_comes_out_of_the_workbook_as_text():
    formula = '=HYPERLINK("http://x","y")'
    ledger = load_tasks([task_row(id=1, due=date(2019, 5, 20)), task_row(id=2)])
    tasks = ledger.tasks.assign(measure=[formula, "+1+1"])  # as a CSV or a WPS text cell would give them
    context = brief.Context(ledger, tasks, date(2019, 5, 27))
    sheet = openpyxl.load_workbook(io.BytesIO(brief.version_workbook(context))).worksheets[0]
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value is not None}
    for text in (formula, "+1+1"):
        assert cells[text].data_type == "s" and cells[text].quotePrefix
    pdf_text_ = pdf_text(typeset.pdf("brief.typ", brief.brief_data(context)))
    assert formula in pdf_text_  # shown as it was written, never evaluated


def test_markup_in_a_ledger_is_shown_as_text_in_every_document():
    tricky = '#set page(width: 1cm) *x* $y$ #import "@preview/x:0.1.0" ]) [ \\'
    ledger = load_tasks([task_row(id=1, measure=tricky, leader="#panic()", due=date(2019, 5, 20))])
    context = brief.Context(ledger, ledger.tasks, date(2019, 5, 27), plan=']#include "/etc/passwd"')
    pdf = typeset.pdf("brief.typ", brief.brief_data(context))
    text = pdf_text(pdf).replace("\n", " ")
    assert "#set page(width: 1cm) *x* $y$" in text and "#panic()" in text and "]#include" in text
    notices = typeset.pdf("notices.typ", brief.notices_data(context))
    assert "#panic()" in pdf_text(notices)


def test_charts_in_documents_show_the_same_data_as_the_charts_on_screen(context):
    ledger, day = context.ledger, context.as_of
    screen = gantt(ledger.phases, ledger.tasks, day, "zh")
    phase_bars = [trace for trace in screen.data if trace.type == "bar" and trace.width == BAR]
    document = brief.gantt_rows(ledger.phases, ledger.tasks, day, "zh")
    assert len(phase_bars) == len(document["rows"]) == 4
    for bar, row in zip(phase_bars, document["rows"], strict=True):
        assert bar.base[0] == row["start"]
        assert (
            bar.x[0]
            == (date.fromisoformat(row["end"]) - date.fromisoformat(row["start"])).days * 86_400_000 + 86_400_000
        )
        assert bar.text[0] == (f"{row['completion']:.0f}%" if row["completion"] is not None else "—")
    axis = screen.layout.xaxis.range
    first, last = date.fromisoformat(axis[0]), date.fromisoformat(axis[1])
    for row in document["rows"]:
        assert row["x"] == pytest.approx((date.fromisoformat(row["start"]) - first).days / (last - first).days)
    table = metrics.by_category(ledger.tasks, day)
    bars = category_bars(table, "zh")
    document = brief.category_rows(ledger.tasks, day, "zh")
    for trace in bars.data:
        if trace.type != "bar":
            continue
        status = next(s["name"] for s in document["statuses"] if s["word"] == trace.name)
        assert list(trace.x) == [row["counts"][status] for row in document["rows"]]
    assert [row["name"] for row in document["rows"]] == list(table["name"])


@pytest.mark.parametrize("fmt", ["pdf", "docx", "png", "xlsx"])
def test_cli_brief_writes_each_format(tmp_path, capsys, fmt):
    out = tmp_path / f"brief.{fmt}"
    assert run(["brief", str(SAMPLE), "--format", fmt, "--out", str(out)]) == 0
    data = out.read_bytes()
    magic = {"pdf": b"%PDF", "docx": b"PK", "png": b"\x89PNG", "xlsx": b"PK"}[fmt]
    assert data.startswith(magic) and len(data) > 5000
    assert str(out) in capsys.readouterr().out


def test_cli_notices_pdf_and_docx_zip(tmp_path, capsys):
    pdf = tmp_path / "notices.pdf"
    assert run(["notices", str(SAMPLE), "--by", "leader", "--format", "pdf", "--out", str(pdf)]) == 0
    assert pdf_pages(pdf.read_bytes()) == 5
    archive = tmp_path / "notices.zip"
    assert run(["notices", str(SAMPLE), "--by", "department", "--format", "docx", "--out", str(archive)]) == 0
    assert zipfile.is_zipfile(archive)


def test_cli_brief_of_a_ledger_with_errors_exits_2_and_usage_errors_exit_1(tmp_path, capsys):
    broken = tmp_path / "broken.xlsx"
    from tests.sheets import workbook

    broken.write_bytes(workbook([task_row(id=1, measure=""), task_row(id=2)]))
    out = tmp_path / "b.pdf"
    assert run(["brief", str(broken), "--format", "pdf", "--out", str(out)]) == 2
    assert out.read_bytes().startswith(b"%PDF")
    assert run(["brief", "--format", "pdf", "--out", str(out)]) == 1
    assert run(["brief", str(SAMPLE), "--format", "pdf", "--out", str(tmp_path / "missing" / "b.pdf")]) == 1
    assert run(["notices", str(SAMPLE), "--format", "png", "--out", str(out)]) == 1


def test_cli_brief_from_the_store_with_version_and_changes(tmp_path, capsys):
    from ledger.sample import DEMO_PLAN_NAME, import_history
    from ledger.store import Store

    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    store = Store(url)
    import_history(store, ROOT / "data")
    store.dispose()
    out = tmp_path / "b.pdf"
    assert run(["brief", "--db", url, "--plan", DEMO_PLAN_NAME, "--format", "pdf", "--out", str(out)]) == 0
    text = pdf_text(out.read_bytes())
    assert "第 4 版台账" in text and "新增超期 3" in text
    assert (
        run(["brief", "--db", url, "--plan", DEMO_PLAN_NAME, "--version", "1", "--format", "pdf", "--out", str(out)])
        == 0
    )
    assert "第一版台账" in pdf_text(out.read_bytes())
    assert (
        run(["brief", "--db", url, "--plan", DEMO_PLAN_NAME, "--version", "9", "--format", "pdf", "--out", str(out)])
        == 1
    )
    assert "1、2、3、4" in capsys.readouterr().err
    assert run(["brief", str(SAMPLE), "--db", url, "--format", "pdf", "--out", str(out)]) == 1


def test_summary_json_is_unchanged_by_the_pack(capsys):
    assert run(["summary", str(SAMPLE), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["lights"]["red"] == 4
