"""The phases sheet (整改步骤): names, dated periods, order; and finding the phase a task cell names."""

from __future__ import annotations

import re
from datetime import date

from ledger.dates import DateReader, clean_text, find_range, parse_range
from ledger.intake.cells import Header, is_blank, shown
from ledger.intake.layout import is_footer, is_total
from ledger.model import EXCEL_CELL_CHARS, Issue, Phase, RawSheet
from ledger.text import visible

_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}
_ORDINAL = re.compile(r"^第\s*([一二三四五六七八九十\d]+)\s*阶段\s*[:：、.．\s]*(.*)$")
_PHASE_N = re.compile(r"^(?:phase|stage)\s*(\d+)\s*[:：.\-]?\s*(.*)$", re.IGNORECASE)
_PERIOD = re.compile(r"[（(][^（）()]*[)）]")
_NAME_CHARS = 200  # the part of a long cell the name patterns look at


def numeral(text: str) -> int | None:
    """`3`, `三`, `第三阶段` → 3."""
    text = clean_text(text)[:_NAME_CHARS]
    if text.replace(".0", "").isdigit():
        return int(float(text))
    if match := _ORDINAL.match(text):
        text = match[1]
    if text.isdigit():
        return int(text)
    if text in _NUMERALS:
        return _NUMERALS[text]
    if len(text) == 2 and text[0] == "十" and text[1] in _NUMERALS:
        return 10 + _NUMERALS[text[1]]
    return None


def phase_name(text: str) -> str:
    """The name without the period written after it: `第一阶段：自查自纠（4月25日至5月10日）。` → `第一阶段：自查自纠`."""
    cleaned = _PERIOD.sub("", text.strip()).rstrip("。；;，, \t\r\n").strip()
    return cleaned or text.strip()


def short_phase_name(name: str) -> str:
    """`第二阶段：整改落实` → `整改落实`, for places with little room."""
    match = _ORDINAL.match(name.strip()[:_NAME_CHARS])
    return match[2].strip() if match and match[2].strip() else name


def _phase_dates(cells: dict[str, object], dates: DateReader) -> tuple[date | None, date | None, str | None]:
    """(start, end, the field whose cell could not be read)."""
    start = end = None
    for field in ("start", "end"):
        value = cells.get(field)
        if not is_blank(value):
            parsed = dates(value)
            if not isinstance(parsed, date):
                return None, None, field
            start, end = (parsed, end) if field == "start" else (start, parsed)
    if start and end:
        return start, end, None
    period = cells.get("period")
    if not is_blank(period):
        found = parse_range(period, dates.default_year)
        return (found[0], found[1], None) if found else (None, None, "period")
    for field in ("name", "description"):
        found = find_range(shown(cells.get(field)), dates.default_year)
        if found:
            return found[0], found[1], None
    return start, end, None


def read_phases(
    sheet: RawSheet, header: Header, dates: DateReader, max_chars: int = EXCEL_CELL_CHARS
) -> tuple[tuple[Phase, ...], list[Issue]]:
    """Every phase row of the sheet, and what is wrong with them (text over `max_chars` in a cell is an error)."""
    phases: list[Phase] = []
    issues: list[Issue] = []
    for index in range(header.row + 1, len(sheet.rows)):
        row = sheet.rows[index]
        cells = {f: (row[c] if c < len(row) else "") for f, (c, _) in header.columns.items()}
        if all(is_blank(v) for v in cells.values()) or is_total(row):
            continue
        first = next((shown(v) for v in row if not is_blank(v)), "")
        if is_footer(first) or is_blank(cells.get("name")):
            continue
        issue = _too_long(sheet.name, index + 1, header, cells, max_chars) or _phase_issue(
            sheet.name, index + 1, header, cells, dates, phases
        )
        if issue:
            issues.append(issue)
            continue
        start, end, _ = _phase_dates(cells, dates)
        if start is None or end is None:  # never: _phase_issue has reported it
            continue
        order = numeral(shown(cells.get("order", ""))) or numeral(shown(cells["name"])) or len(phases) + 1
        phases.append(
            Phase(
                visible(phase_name(shown(cells["name"]))),
                start,
                end,
                order,
                visible(shown(cells.get("description", ""))),
            )
        )
    phases.sort(key=lambda p: (p.order, p.start))
    return tuple(phases), issues


def _too_long(sheet: str, row: int, header: Header, cells: dict, max_chars: int) -> Issue | None:
    for field in ("name", "description"):
        text = shown(cells.get(field))
        if len(text) > max_chars:
            return Issue(
                "error",
                "task.too_long",
                sheet,
                row,
                header.written(field),
                text,
                (("count", len(text)), ("limit", max_chars)),
            )
    return None


def _phase_issue(sheet: str, row: int, header: Header, cells: dict, dates: DateReader, phases) -> Issue | None:
    start, end, bad = _phase_dates(cells, dates)
    name = phase_name(shown(cells["name"]))
    if bad:
        return Issue("error", "phase.bad_date", sheet, row, header.written(bad), shown(cells.get(bad)))
    if start is None or end is None:
        return Issue("error", "phase.no_dates", sheet, row, header.written("name"), name)
    if end < start:
        return Issue(
            "error",
            "phase.end_before_start",
            sheet,
            row,
            header.written("end") or header.written("period"),
            f"{start.isoformat()} – {end.isoformat()}",
        )
    if any(p.name == name for p in phases):
        return Issue("error", "phase.duplicate", sheet, row, header.written("name"), name)
    return None


class PhaseIndex:
    """Finds the phase a task's phase cell means: `第二阶段`, `整改落实`, `2`, or the full name."""

    def __init__(self, phases: tuple[Phase, ...]):
        self.phases = phases
        self._aliases: dict[str, Phase] = {}
        for phase in phases:
            for alias in self._aliases_of(phase):
                self._aliases.setdefault(alias, phase)
        self._memo: dict[str, Phase | None] = {}

    @staticmethod
    def _aliases_of(phase: Phase) -> list[str]:
        name = _key(phase.name)
        aliases = [name, str(phase.order), f"第{phase.order}阶段", f"phase{phase.order}", f"stage{phase.order}"]
        if phase.order in _NUMERALS.values():
            aliases.append(f"第{'一二三四五六七八九十'[phase.order - 1]}阶段")
        for pattern in (_ORDINAL, _PHASE_N):
            if match := pattern.match(clean_text(phase.name)[:_NAME_CHARS]):
                aliases += [_key(match[2])] if match[2] else []
        return [a for a in aliases if a]

    def find(self, text: str) -> Phase | None:
        key = _key(phase_name(text))
        if key not in self._memo:
            self._memo[key] = self._search(key)
        return self._memo[key]

    def _search(self, key: str) -> Phase | None:
        if key in self._aliases:
            return self._aliases[key]
        for pattern in (_ORDINAL, _PHASE_N):
            if (match := pattern.match(key[:_NAME_CHARS])) and numeral(match[1]) is not None:
                rest = _key(match[2])
                by_title = self._aliases.get(rest) if rest else None
                return by_title or self._aliases.get(str(numeral(match[1])))
        if len(key) >= 2:
            hits = [p for a, p in self._aliases.items() if len(a) >= 2 and (key in a or a in key)]
            if len({p.name for p in hits}) == 1:
                return hits[0]
        return None

    def containing(self, day: date) -> Phase | None:
        """The phase whose period holds the day."""
        return next((p for p in self.phases if p.start <= day <= p.end), None)


def _key(text: str) -> str:
    return re.sub(r"[\s:：、.．,，\-—_]", "", clean_text(text).lower())
