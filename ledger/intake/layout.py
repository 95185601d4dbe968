"""Finding things in a messy sheet: which sheet is which, where the header row is, the report date, row kinds."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from ledger.dates import clean_text, parse_text
from ledger.intake.cells import Header, is_blank, shown
from ledger.intake.columns import choose, header_field
from ledger.intake.fields import PHASE_HEADERS, match_header, normalize_header, sheet_kind_by_name
from ledger.model import RESPONSIBILITY_FIELDS, RawSheet

HEADER_SEARCH_ROWS = 20


def _map_row(cells: list[object]) -> dict[str, tuple[int, str, int]]:
    """A phases header: field → (column, header as written, rank); the best-ranked column wins when two name one
    field."""
    found: dict[str, tuple[int, str, int]] = {}
    for column, cell in enumerate(cells):
        if is_blank(cell) or not isinstance(cell, str):
            continue
        field = match_header(cell, "phases")
        if field is None:
            continue
        key = normalize_header(cell)
        words = [normalize_header(w) for w in PHASE_HEADERS[field]]
        rank = words.index(key) if key in words else 100 + column
        if field not in found or rank < found[field][2]:
            found[field] = (column, cell.strip(), rank)
    return found


def _task_fields(cells: list[object], mapping: Mapping[str, str] | None) -> dict[str, tuple[int, str, int]]:
    """A tasks header row by its words alone (and a person's choice of columns): field → (column, header, 0); {}
    for a row that is no header: fewer than a third of its filled cells name a field, or it holds dates or numbers
    (a task row whose 成立领导小组 contains 领导)."""
    found: dict[str, tuple[int, str, int]] = {}
    filled = values = 0
    for column, cell in enumerate(cells):
        if is_blank(cell):
            continue
        filled += 1
        if not isinstance(cell, str):
            values += 1
            continue
        field = header_field(cell, mapping)
        if field is not None and field not in found:
            found[field] = (column, cell.strip(), 0)
    return found if 3 * len(found) >= filled and 4 * values <= filled else {}


def _under(upper: dict[str, tuple[int, str, int]], lower: dict[str, tuple[int, str, int]]) -> bool:
    """A second header row under a first (责任领导 / 责任部门 / 责任人 under 责任分工): two or more fields, each
    in a column where the first row names none."""
    named = {column for column, _, _ in upper.values()}
    return len(lower) >= 2 and all(column not in named for column, _, _ in lower.values())


def _acceptable(fields: set[str], kind: str) -> bool:
    if kind == "tasks":
        return "measure" in fields and len(fields) >= 2
    return "name" in fields and len(fields) >= 2


def find_header(
    rows: list[list[object]], kind: str, mapping: Mapping[str, str] | None = None, sheet: str = ""
) -> Header | None:
    """The header row in the first 20 rows (a two-row header is merged), or None when there is none. For a tasks
    sheet the row is found by its headers' words (and `mapping`, a person's choice of columns), then every column
    is read by meaning (ledger.intake.columns); its notes are issues of `sheet`."""
    best: tuple[int, int, dict] | None = None  # (score, last header row, mapping)
    limit = min(len(rows), HEADER_SEARCH_ROWS)
    span = range(min(len(rows), limit + 1))
    mapped = [_task_fields(rows[i], mapping) if kind == "tasks" else _map_row(rows[i]) for i in span]
    for i in range(limit):
        candidates = [(mapped[i], i)]
        if i + 1 < len(mapped) and _under(mapped[i], mapped[i + 1]):
            combined = {**mapped[i], **mapped[i + 1]}
            if len(combined) > max(len(mapped[i]), len(mapped[i + 1])):
                candidates.append((combined, i + 1))
        for found, last in candidates:
            if _acceptable(set(found), kind) and (best is None or len(found) > best[0]):
                best = (len(found), last, found)
    if best is None:
        return None
    if kind == "tasks":
        richer = max(range(best[1]), key=lambda i: len(mapped[i]), default=None)
        if richer is not None and len(mapped[richer]) > len(best[2]):
            # A row above names more fields, though none is the measure (主要工作 …): that is the header, and the
            # row found is a task whose words (制定整改任务清单, 校领导) merely look like headers. Read by meaning,
            # the column step then asks which column holds the measures.
            return choose(rows, richer, None, mapping, sheet)
        two_rows = best[1] > 0 and len(best[2]) > len(mapped[best[1]])
        return choose(rows, best[1], best[1] - 1 if two_rows else None, mapping, sheet)
    return Header(best[1], {field: (col, text) for field, (col, text, _) in best[2].items()})


def table_header(rows: list[list[object]], mapping: Mapping[str, str] | None = None, sheet: str = "") -> Header | None:
    """The header of a table whose headers name no measure by their words (a ledger no rule can guess): the first of
    the first 20 rows with the most short texts (at least three) and a filled row under it, read by meaning so that
    a person can say which column is which."""
    best: tuple[int, int] | None = None  # (short texts, row)
    for i in range(min(len(rows) - 1, HEADER_SEARCH_ROWS)):
        texts = sum(1 for cell in rows[i] if isinstance(cell, str) and not is_blank(cell) and len(cell.strip()) <= 24)
        below = sum(1 for cell in rows[i + 1] if not is_blank(cell))
        if texts >= 3 and below >= 2 and (best is None or texts > best[0]):
            best = (texts, i)
    return choose(rows, best[1], None, mapping, sheet) if best else None


@dataclass
class SheetRoles:
    tasks: tuple[RawSheet, Header] | None = None  # the first (or only) tasks sheet
    phases: tuple[RawSheet, Header] | None = None
    meta: RawSheet | None = None
    more_tasks: list[tuple[RawSheet, Header]] = field(default_factory=list)  # one sheet per department or unit
    not_read: list[RawSheet] = field(default_factory=list)  # look like tasks, but are not read (each is named)

    @property
    def all_tasks(self) -> list[tuple[RawSheet, Header]]:
        return ([self.tasks] if self.tasks else []) + self.more_tasks


_SUMMARY_NAMES = ("汇总", "汇总表", "总表", "总台账", "合计", "全部", "summary", "total", "all")


def assign_roles(sheets: list[RawSheet], mapping: Mapping[str, str] | None = None) -> SheetRoles:
    """Which sheets hold tasks, which holds phases: by name first, then by what their headers say; `mapping` is a
    person's choice of the tasks sheet's columns.

    A workbook may keep one tasks sheet per department or unit (same or similar headers): all are read as one
    ledger — unless one sheet is named as the tasks or summary sheet (整改台账, 汇总 …), which is then read alone,
    since it usually holds the others' rows already. When no sheet's headers name a measure, the first table found
    is read by meaning, for a person to say which column is which."""
    roles = SheetRoles()
    named = [(sheet, sheet_kind_by_name(sheet.name)) for sheet in sheets]
    headers = {
        id(sheet): found
        for sheet, kind in named
        if kind not in ("phases", "meta")
        and (found := find_header(sheet.rows, "tasks", mapping, sheet.name)) is not None
        and not (kind is None and _phases_not_tasks(sheet, found))
    }
    summary = [s for s, _ in named if normalize_header(s.name) in {normalize_header(n) for n in _SUMMARY_NAMES}]
    ordered = summary + [s for s, k in named if k == "tasks"] + [s for s, k in named if k is None]
    main = next((s for s in ordered if id(s) in headers), None)
    if main is None:
        guessed = next(((s, h) for s in ordered if (h := table_header(s.rows, mapping, s.name)) is not None), None)
        if guessed is not None:
            main = guessed[0]
            headers[id(main)] = guessed[1]
    if main is not None:
        roles.tasks = (main, headers[id(main)])
    for sheet in [s for s, k in named if k == "phases"] + [s for s, k in named if k is None]:
        if sheet is not main and (header := find_header(sheet.rows, "phases")) is not None:
            roles.phases = (sheet, header)
            break
    roles.meta = next((s for s, k in named if k == "meta"), None)
    if main is None:
        return roles
    alone = main in summary or sheet_kind_by_name(main.name) == "tasks"
    taken = {id(main), id(roles.phases[0]) if roles.phases else None, id(roles.meta)}
    for sheet, _ in named:
        header = headers.get(id(sheet))
        if id(sheet) in taken or header is None:
            continue
        if not alone and _similar(header, headers[id(main)]):
            roles.more_tasks.append((sheet, header))
        else:
            roles.not_read.append(sheet)
    return roles


def _phases_not_tasks(sheet: RawSheet, tasks: Header) -> bool:
    """A sheet of phases whose 工作内容 column reads as measures: its headers name a phase and its dates, and no one
    who answers for a measure."""
    phases = find_header(sheet.rows, "phases")
    dated = phases is not None and bool({"start", "end", "period"} & phases.fields)
    return dated and not tasks.fields & set(RESPONSIBILITY_FIELDS)


def _similar(header: Header, first: Header) -> bool:
    """Another department's sheet: it names at least half of the fields the first tasks sheet names."""
    return len(header.fields & first.fields) * 2 >= len(first.fields)


def title_and_unit(rows: list[list[object]]) -> tuple[str, str]:
    """The title line above a table (its first text that is not a label line) and the 填报单位 it names."""
    title = unit = ""
    for cells in rows:
        for cell in cells:
            if not isinstance(cell, str) or is_blank(cell):
                continue
            text = clean_text(cell)
            if found := _UNIT.match(text):
                unit = unit or found[1].strip()
            elif not title and not _LABEL.match(text) and not is_footer(text) and len(text) <= 120:
                title = text
    return title, unit


_UNIT = re.compile(r"^(?:填报单位|单位名称|报送单位|unit)\s*[:：]\s*([^\s:：]{1,60})", re.IGNORECASE)


_LABEL_WORDS = (
    "填报日期", "报送日期", "填报时间", "报送时间", "统计日期", "统计时间", "数据截止日期", "数据截止时间", "数据截至",
    "数据截止", "统计截止日期", "统计截止时间", "统计截至", "统计截止", "截止日期", "截止时间", "截至日期", "截至时间",
    "截至", "截止", "报告日期", "as of", "report date", "reporting date", "date",
)  # fmt: skip
_LABEL = re.compile(
    "(" + "|".join(sorted(map(re.escape, _LABEL_WORDS), key=len, reverse=True)) + r")\s*[:：]?\s*", re.IGNORECASE
)  # the longest label first: 统计截止时间, not 统计截止 followed by 时间
_DATE_TOKEN = re.compile(
    r"(\d{4}\s*[年./-]\s*\d{1,2}\s*[月./-]\s*\d{1,2}\s*[日号]?|\d{4}\s*年\s*\d{1,2}\s*月\s*(?:底|末|上旬|中旬|下旬)|"
    r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]?|\d{1,2}\s*月\s*(?:底|末)|\d{8}|\d{4}-\d{2}-\d{2})"
)
_AFTER_FIELD = re.compile(r"[:：][^:：]{0,60}?(?:\s|[，,；;。])\s*$")  # 填报单位：党政办公室　　填报日期：…


def _date_after_label(text: str, next_cell: object, default_year: int, anywhere: bool) -> date | None:
    match = _LABEL.search(text)
    if not match or not (anywhere or _stated(text[: match.start()])):
        return None
    rest = text[match.end() :]
    token = _DATE_TOKEN.match(rest.strip())
    if token:
        found = parse_text(token[1], default_year)
        return found if isinstance(found, date) else None
    if not rest.strip():
        if isinstance(next_cell, datetime):
            return next_cell.date()
        if isinstance(next_cell, date):
            return next_cell
        if isinstance(next_cell, str):
            found = parse_text(next_cell, default_year)
            return found if isinstance(found, date) else None
    return None


def _stated(prefix: str) -> bool:
    """The label opens a statement (`本表数据截止日期：…`), alone or after another field on the same line
    (`填报单位：党政办公室　　填报日期：…`), not an example in help text (`如“填报日期：…”`)."""
    if any(mark in prefix for mark in '“"「『如例'):
        return False
    return len(prefix) <= 6 or _AFTER_FIELD.search(prefix) is not None


def find_report_date(rows: list[list[object]], default_year: int, anywhere: bool = True) -> date | None:
    """A 填报日期/截至 date written in the given rows (title lines, footers, a 说明 sheet). With `anywhere` false
    the label must open its cell's statement, so that help text such as `如“填报日期：2019年5月27日”` is not
    taken for one."""
    for cells in rows:
        filled = [cell for cell in cells if not is_blank(cell)]
        for i, cell in enumerate(filled):
            if isinstance(cell, str):
                following = filled[i + 1] if i + 1 < len(filled) else None
                found = _date_after_label(clean_text(cell), following, default_year, anywhere)
                if found:
                    return found
    return None


_FOOTER = re.compile(
    r"^(注|备注|说明|填表人|填报人|审核人|制表人|联系人|联系电话|负责人签字|单位盖章|签字|填报单位|报送单位|note|notes|"
    r"prepared by|checked by)\s*[:：]",
    re.IGNORECASE,
)
_SECTION = re.compile(
    r"^(?:[一二三四五六七八九十百]+\s*[、.．]|[(（]\s*[一二三四五六七八九十百]+\s*[)）]|第[一二三四五六七八九十]+[类部分])"
)
_ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十百]+\s*[、.．]|[(（]\s*[一二三四五六七八九十百\d]+\s*[)）]|"
    r"第[一二三四五六七八九十]+类\s*[:：]?)\s*"
)
_CHINESE_NUMERAL = re.compile(r"^[(（]?[一二三四五六七八九十百]+[)）]?[、.．]?$")


def strip_enumerator(text: str) -> str:
    """`一、思想重视不够的问题` → `思想重视不够的问题`."""
    text = text.strip()
    return _ENUMERATOR.sub("", text) or text


def is_footer(first_text: str) -> bool:
    return bool(_FOOTER.match(first_text))


def is_footer_line(cells: list[object]) -> bool:
    """A line under the table such as `填表人：…  填报日期：…` or `注：…`: it starts with a footer or date label."""
    first = next((shown(c) for c in cells if not is_blank(c)), "")
    return is_footer(first) or bool(_LABEL.match(clean_text(first)))


def is_total(cells: list[object]) -> bool:
    """A 合计/小计 line: one of its first cells says so, alone or after what it totals (第一分公司小计)."""
    return any(
        isinstance(c, str) and len(c) <= 16 and _TOTAL.search("".join(c.split()).lower().strip(":：")) is not None
        for c in cells[:4]
    )


_TOTAL = re.compile(r"^(?:合计|小计|总计|共计|total|subtotal|sum)$|.(?:合计|小计|总计)$")


def section_title(filled: list[tuple[int, object]], columns: dict[str, int]) -> str | None:
    """The category a section row such as `一、…的问题` sets, "" for a row holding only a number (skipped), or None
    when the row is not one (a lone cell in a task field, say a measure, is a task with its other fields missing)."""
    id_column = columns.get("id")
    if len(filled) == 1:
        column, value = filled[0]
        text = shown(value)
        if _SECTION.match(clean_text(text)):
            return strip_enumerator(text)
        if isinstance(value, (int, float)) or clean_text(text).replace(".", "", 1).isdigit():
            return ""
        heading = column in (id_column, columns.get("category"), 0) or column not in columns.values()
        return strip_enumerator(text) if heading else None
    numbered = len(filled) == 2 and id_column is not None and filled[0][0] == id_column
    if numbered and _CHINESE_NUMERAL.match(clean_text(shown(filled[0][1]))):
        return strip_enumerator(shown(filled[1][1]))
    return None


def fill_merged(sheet: RawSheet) -> None:
    """Give every row of a vertically merged cell the value written in its top cell. Each cell is filled at most
    once, however many (repeated or overlapping) ranges a file declares: the work is the cells filled."""
    rows = sheet.rows
    filled_to: dict[int, int] = {}  # column → the last row already filled there
    for (top, left), (bottom, _right) in sorted(set(sheet.merged), key=lambda m: (m[0][1], m[0][0])):
        if bottom <= top or top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        first = max(top + 1, filled_to.get(left, -1) + 1)
        last = min(bottom, len(rows) - 1)
        for r in range(first, last + 1):
            if left < len(rows[r]) and is_blank(rows[r][left]):
                rows[r][left] = value
        filled_to[left] = max(filled_to.get(left, -1), last)
