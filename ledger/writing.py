"""Writing ledger workbooks the way offices keep them (title lines, merged categories, percent cells), with xlsxwriter."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import xlsxwriter

from ledger.i18n import translate
from ledger.model import DATE_COLUMNS, EXCEL_CELL_CHARS, WRITTEN_FIELDS, Phase
from ledger.vocab import STATUS_WORDS, STATUSES

COLUMNS = tuple(f.name for f in WRITTEN_FIELDS)
STATUS_WORDS_ZH = {status: STATUS_WORDS[status][0] for status in STATUSES}  # 已完成 进行中 未开始 长期坚持
HELP_ROWS = (
    ("序号", "每项措施一个编号，各周保持不变，用于周与周之间的比对。"),
    ("问题类别", "问题所属类别；同一类别可合并单元格，或用“一、……的问题”这样的分段行。"),
    ("具体问题", "该类问题的具体表现（可合并单元格）；可不填。"),
    ("整改措施", "必填。具体到事。"),
    ("所属阶段", "填阶段名称或“第二阶段”，须与“整改步骤”表一致；可不填，按完成时限归入阶段。"),
    ("责任领导 / 责任部门 / 责任人", "至少填写一项，细化到人。"),
    (
        "开始日期 / 完成时限 / 完成日期",
        "日期格式均可：2019-05-31、2019/5/31、2019年5月31日、5月31日、5月底、6月底前；"
        "完成时限填“长期”表示长期坚持，填“立行立改”按所属阶段的结束日计。",
    ),
    ("完成情况", "已完成 / 进行中 / 未开始 / 长期坚持（也接受：已整改、已销号、整改中、未完成等）。"),
    ("完成进度", "0–100 的数字或百分比，如 80%。"),
    ("佐证材料", "已完成的措施请注明佐证材料（文件、会议记录、照片等）。"),
    ("填报日期", "写在表头上方一行，如“填报日期：2019年5月27日”；数据按此日期统计。"),
)


@dataclass
class LedgerSheet:
    """What goes into a ledger workbook: task records keyed by COLUMNS and the phases."""

    tasks: Sequence[dict]
    phases: Sequence[Phase]
    report_date: date | None = None
    title: str = "整改台账"
    unit: str = ""
    footer: Sequence[str] = field(default_factory=tuple)
    merge_categories: bool = True
    sheet_name: str = "整改台账"


def _checks_and_print(sheet, first: int, count: int) -> None:
    """What helps whoever fills the ledger in: a status list, date and progress checks (soft: 长期 and 立行立改 are
    words), and an A4 landscape print-out one page wide with the header on every page."""
    last = first + max(count, 200)
    status_col = COLUMNS.index("status")
    sheet.data_validation(
        first,
        status_col,
        last,
        status_col,
        {"validate": "list", "source": list(STATUS_WORDS_ZH.values()), "error_type": "warning"},
    )
    for name in DATE_COLUMNS:
        col = COLUMNS.index(name)
        sheet.data_validation(
            first,
            col,
            last,
            col,
            {
                "validate": "date",
                "criteria": "between",
                "minimum": date(2000, 1, 1),
                "maximum": date(2100, 12, 31),
                "error_type": "information",
                "error_title": "日期",
                "error_message": "请填写日期，如 2019-05-31；完成时限也可以写“长期”或“立行立改”。",
            },
        )
    progress = COLUMNS.index("progress")
    sheet.data_validation(
        first,
        progress,
        last,
        progress,
        {
            "validate": "decimal",
            "criteria": "between",
            "minimum": 0,
            "maximum": 1,
            "error_type": "warning",
            "error_title": "完成进度",
            "error_message": "完成进度请填 0%–100%。",
        },
    )
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(first - 1)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer("&C第 &P 页，共 &N 页")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_SHORTENED = "…（超长，已截断）"


class SafeBook:
    """An xlsxwriter workbook that writes every string as text: never a formula or a link. A string that Excel or
    WPS would take for a formula when a cell is edited (starting with = + - @, tab or CR) gets the quote prefix,
    which shows it exactly as written. Every spreadsheet the app produces is written through this class."""

    def __init__(self, buffer: io.BytesIO, **options: object):
        self.book = xlsxwriter.Workbook(
            buffer, {**options, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
        )
        self._properties: dict[int | None, dict] = {}
        self._quoted: dict[int | None, object] = {}

    def format(self, properties: dict) -> object:
        made = self.book.add_format(properties)
        self._properties[id(made)] = properties
        return made

    def _quote(self, cell_format) -> object:
        key = id(cell_format) if cell_format is not None else None
        if key not in self._quoted:
            self._quoted[key] = self.book.add_format({**self._properties.get(key, {}), "quote_prefix": True})
        return self._quoted[key]

    def text(self, sheet, row: int, col: int, value: object, cell_format=None) -> None:
        text = str(value)
        if len(text) > EXCEL_CELL_CHARS:  # reading refuses such cells; should one be built, say so in the cell
            text = text[: EXCEL_CELL_CHARS - len(_SHORTENED)] + _SHORTENED
        if text.startswith(FORMULA_STARTS):
            cell_format = self._quote(cell_format)
        sheet.write_string(row, col, text, cell_format)

    def merged_text(self, sheet, first: tuple[int, int], last: tuple[int, int], value: object, cell_format) -> None:
        sheet.merge_range(*first, *last, "", cell_format)
        self.text(sheet, *first, value, cell_format)

    def value(self, sheet, row: int, col: int, value: object, cell_format=None, date_format=None) -> None:
        """Any exported value by its type: text as text, numbers as numbers, dates as dates, nothing as blank."""
        if value is None or (isinstance(value, float) and value != value):
            return
        if isinstance(value, bool):
            sheet.write_boolean(row, col, value, cell_format)
        elif isinstance(value, (int, float)):
            sheet.write_number(row, col, value, cell_format)
        elif isinstance(value, date):
            sheet.write_datetime(row, col, value, date_format)
        else:
            self.text(sheet, row, col, value, cell_format)

    def close(self) -> None:
        self.book.close()


def _write_cell(safe: SafeBook, sheet, row: int, col: int, name: str, value, formats: dict) -> None:
    if value is None or value == "":
        sheet.write_blank(row, col, None, formats["cell"])
    elif name in DATE_COLUMNS and isinstance(value, date):
        sheet.write_datetime(row, col, value, formats["date"])
    elif name == "progress":
        sheet.write_number(row, col, float(value) / 100, formats["percent"])
    elif name == "status":
        safe.text(sheet, row, col, STATUS_WORDS_ZH.get(value, str(value)), formats["cell"])
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, value, formats["cell"])
    else:
        safe.text(sheet, row, col, value, formats["cell"])


def _formats(safe: SafeBook) -> dict:
    wrap = {"text_wrap": True, "valign": "vcenter", "border": 1, "font_name": "宋体", "font_size": 10}
    return {
        "title": safe.format({"bold": True, "font_size": 16, "align": "center", "font_name": "黑体"}),
        "meta": safe.format({"font_size": 10}),
        "head": safe.format({**wrap, "bold": True, "align": "center", "bg_color": "#DDEBF7"}),
        "cell": safe.format(wrap),
        "date": safe.format({**wrap, "num_format": "yyyy-mm-dd", "align": "center"}),
        "percent": safe.format({**wrap, "num_format": "0%", "align": "center"}),
    }


def _category_runs(tasks: Sequence[dict]) -> Iterable[tuple[int, int]]:
    start = 0
    for i in range(1, len(tasks) + 1):
        if i == len(tasks) or tasks[i].get("category") != tasks[start].get("category"):
            yield start, i - 1
            start = i


def _tasks_sheet(safe: SafeBook, data: LedgerSheet, formats: dict, big: bool) -> None:
    sheet = safe.book.add_worksheet(_sheet_name(data.sheet_name))
    last = len(COLUMNS) - 1
    safe.merged_text(sheet, (0, 0), (0, last), data.title, formats["title"])
    safe.merged_text(sheet, (1, 0), (1, 5), f"填报单位：{data.unit}", formats["meta"])
    when = (
        f"填报日期：{data.report_date.year}年{data.report_date.month}月{data.report_date.day}日"
        if data.report_date
        else "填报日期："
    )
    safe.merged_text(sheet, (1, 11), (1, last), when, formats["meta"])
    for col, written in enumerate(WRITTEN_FIELDS):
        safe.text(sheet, 2, col, written.header, formats["head"])
        sheet.set_column(col, col, written.width)
    sheet.freeze_panes(3, 3)
    first = 3
    for offset, task in enumerate(data.tasks):
        for col, name in enumerate(COLUMNS):
            _write_cell(safe, sheet, first + offset, col, name, task.get(name), formats)
    if data.merge_categories and not big:
        for top, bottom in _category_runs(data.tasks):
            for name in ("category", "problem"):
                column, value = COLUMNS.index(name), data.tasks[top].get(name) or ""
                same = all((task.get(name) or "") == value for task in data.tasks[top : bottom + 1])
                if bottom > top and same and (value or name == "category"):
                    safe.merged_text(sheet, (first + top, column), (first + bottom, column), value, formats["cell"])
    _checks_and_print(sheet, first, len(data.tasks))
    for i, line in enumerate(data.footer):
        safe.text(sheet, first + len(data.tasks) + 1 + i, 0, line, formats["meta"])


def _phases_sheet(safe: SafeBook, phases: Sequence[Phase], formats: dict) -> None:
    sheet = safe.book.add_worksheet("整改步骤")
    for col, (text, width) in enumerate((("序号", 6), ("阶段", 24), ("时间安排", 22), ("工作内容", 70))):
        safe.text(sheet, 0, col, text, formats["head"])
        sheet.set_column(col, col, width)
    for row, phase in enumerate(phases, start=1):
        period = f"{phase.start.month}月{phase.start.day}日至{phase.end.month}月{phase.end.day}日"
        if phase.start.year != phase.end.year:
            period = f"{phase.start.isoformat()}至{phase.end.isoformat()}"
        for col, value in enumerate((phase.order, phase.name, period, phase.description)):
            _write_cell(safe, sheet, row, col, "order" if col == 0 else "text", value, formats)


def _help_sheet(safe: SafeBook, formats: dict) -> None:
    sheet = safe.book.add_worksheet("说明")
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 90)
    for col, text in enumerate(("栏目", "填写说明")):
        safe.text(sheet, 0, col, text, formats["head"])
    for row, pair in enumerate(HELP_ROWS, start=1):
        for col, text in enumerate(pair):
            safe.text(sheet, row, col, text, formats["cell"])


def ledger_workbook(data: LedgerSheet, *, with_help: bool = True, more: Sequence[LedgerSheet] = ()) -> bytes:
    """An .xlsx ledger: a 整改台账 sheet (and `more` tasks sheets, one per department, say), a 整改步骤 sheet and
    (optionally) a 说明 sheet."""
    buffer = io.BytesIO()
    big = sum(len(sheet.tasks) for sheet in (data, *more)) > 5000
    safe = SafeBook(buffer, constant_memory=big, in_memory=not big)
    created = data.report_date or date(2019, 1, 1)
    safe.book.set_properties({"title": data.title[:255], "created": datetime(created.year, created.month, created.day)})
    formats = _formats(safe)
    for sheet in (data, *more):
        _tasks_sheet(safe, sheet, formats, big)
    _phases_sheet(safe, data.phases, formats)
    if with_help:
        _help_sheet(safe, formats)
    safe.close()
    return buffer.getvalue()


def prefilled_workbook(rows: Sequence[dict], phases: Sequence[Phase], title: str, unit: str = "") -> bytes:
    """The ledger an office starts from, filled from its plan (ledger.intake.plan_document.ledger_rows, as corrected on
    the Plan page): every measure not started, the plan's phases, the checks, the print set-up and 说明."""
    tasks = [{**row, "status": "未开始", "progress": 0} for row in rows]
    name = title if title.endswith(("台账", "台帐")) else f"{title}整改台账"
    return ledger_workbook(LedgerSheet(tasks, phases, None, name, unit))


def template_workbook(phases: Sequence[Phase]) -> bytes:
    """The blank ledger to hand out: headers, the plan's phases, a status list and a 说明 sheet."""
    return ledger_workbook(LedgerSheet(tasks=[], phases=phases, title="整改台账（模板）"))


def table_workbook(sheets: dict[str, Sequence[dict]], lang: str) -> bytes:
    """A plain export: one sheet per table, headers translated through the i18n table (field.*)."""
    buffer = io.BytesIO()
    safe = SafeBook(buffer, in_memory=True)
    dates = safe.format({"num_format": "yyyy-mm-dd"})
    for name, records in sheets.items():
        sheet = safe.book.add_worksheet(_sheet_name(name))
        keys = list(records[0]) if records else []
        for c, key in enumerate(keys):
            safe.text(sheet, 0, c, translate(f"field.{key}", lang))
        for r, record in enumerate(records, start=1):
            for c, key in enumerate(keys):
                safe.value(sheet, r, c, record[key], date_format=dates)
    safe.close()
    return buffer.getvalue()


def _sheet_name(name: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "Sheet"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: float
    kind: str = "text"  # text, date, percent, number


def lights_workbook(
    title: str,
    columns: Sequence[Column],
    records: Sequence[dict],
    fills: dict[str, str],
    summary: Sequence[tuple[str, object]],
    sheet_name: str,
    summary_name: str,
) -> bytes:
    """The whole version with its lights: one row per measure in the order given, the
    light as a word in a cell filled with its colour (column "light"), filters on the header, frozen header, an
    A4 landscape print-out one page wide with the header on every page; and a sheet of the headline figures.
    Every string is written as text (SafeBook), never a live formula."""
    buffer = io.BytesIO()
    safe = SafeBook(buffer, in_memory=True)
    base = {"text_wrap": True, "valign": "vcenter", "border": 1, "font_size": 10}
    head = safe.format({**base, "bold": True, "align": "center", "bg_color": "#DDEBF7"})
    kinds = {
        "text": safe.format(base),
        "date": safe.format({**base, "num_format": "yyyy-mm-dd", "align": "center"}),
        "percent": safe.format({**base, "num_format": "0%", "align": "center"}),
        "number": safe.format({**base, "align": "center"}),
    }
    lit = {
        word: safe.format({**base, "bold": True, "bg_color": color, "font_color": "#000000"})
        for word, color in fills.items()
    }
    sheet = safe.book.add_worksheet(_sheet_name(sheet_name))
    sheet.set_row(0, 30)
    for c, column in enumerate(columns):
        safe.text(sheet, 0, c, column.label, head)
        sheet.set_column(c, c, column.width)
    for r, record in enumerate(records, start=1):
        for c, column in enumerate(columns):
            value = record.get(column.key)
            if value is None or value == "" or (isinstance(value, float) and value != value):
                sheet.write_blank(r, c, None, kinds["text"])
            elif column.key == "light":
                safe.text(sheet, r, c, value, lit.get(value, kinds["text"]))
            elif column.kind == "date" and isinstance(value, date):
                sheet.write_datetime(r, c, value, kinds["date"])
            elif column.kind == "percent" and isinstance(value, (int, float)):
                sheet.write_number(r, c, float(value) / 100, kinds["percent"])
            elif column.kind == "number" and isinstance(value, (int, float)):
                sheet.write_number(r, c, value, kinds["number"])
            else:
                safe.text(sheet, r, c, value, kinds["text"])
    sheet.autofilter(0, 0, max(len(records), 1), len(columns) - 1)
    sheet.freeze_panes(1, 0)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    sheet.set_header('&C&"黑体,Bold"' + title.replace("&", "&&")[:200])
    sheet.set_footer("&C&P / &N")
    figures = safe.book.add_worksheet(_sheet_name(summary_name))
    figures.set_column(0, 0, 28)
    figures.set_column(1, 1, 40)
    safe.text(figures, 0, 0, title, head)
    for r, (label, value) in enumerate(summary, start=1):
        safe.text(figures, r, 0, label, kinds["text"])
        safe.value(figures, r, 1, value, kinds["text"], kinds["date"])
    safe.close()
    return buffer.getvalue()
