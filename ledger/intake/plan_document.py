"""The plan itself (整改方案) as offices write it: title, issuing unit and date; categories from their headings, each
with its problem description and numbered measures (responsibilities written inline are read); the dated phases.
Whatever cannot be placed becomes a warning quoting it."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from ledger.dates import Due, clean_text, find_range, parse_range, parse_text
from ledger.intake.phases import phase_name
from ledger.model import Issue, Phase
from ledger.text import shortened

_NUMERALS = "一二三四五六七八九十"
_HEADING_1 = re.compile(rf"^([{_NUMERALS}]{{1,3}})\s*[、.．]\s*(.*)$")
_HEADING_2 = re.compile(rf"^[（(]\s*([{_NUMERALS}]{{1,3}})\s*[）)]\s*[、.．]?\s*(.*)$")
_CATEGORY = re.compile(rf"^(?:第([{_NUMERALS}\d]{{1,3}})类|问题([{_NUMERALS}\d]{{1,3}}))\s*[:：、.．]?\s*(.*)$")
_MEASURE = re.compile(r"^(?:(\d{1,3})\s*[.、．](?!\d)|[（(]\s*(\d{1,3})\s*[）)]\s*[、.．]?|([①-⑳]))\s*(.+)$")
_PROBLEM_WORDS = ("问题表现", "具体问题", "存在问题", "主要问题", "问题描述", "突出问题", "问题")
_MEASURE_WORDS = ("整改措施", "具体措施", "工作措施", "整改要求", "措施")
_KEYWORD = re.compile(rf"^({'|'.join(_PROBLEM_WORDS + _MEASURE_WORDS)})\s*(?:[:：]\s*(.*))?$")
_PHASE_SECTION = ("步骤", "阶段", "时间安排", "进度安排", "实施安排", "时间节点")
_PHASE_LINE = re.compile(rf"^第\s*([{_NUMERALS}\d]{{1,3}})\s*阶段")
_SCHEDULE = re.compile(r"^(?:时间安排|时间|起止时间|完成时间)\s*[:：]\s*(.+)$")
_DOCUMENT_DATE = re.compile(r"^(\d{4}|[12]\d{2}[xX×*]|[12]\d[xX]{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_UNIT = re.compile(r"(党委|党总支|党支部|党组|委员会|办公室|学校|学院|中学|小学|中心|局|处|科|厅|公司|医院|支部)$")
_FIELDS = {
    "责任领导": "leader",
    "牵头领导": "leader",
    "分管领导": "leader",
    "包保领导": "leader",
    "责任部门": "department",
    "责任单位": "department",
    "牵头部门": "department",
    "牵头单位": "department",
    "责任科室": "department",
    "具体责任人": "owner",
    "责任人": "owner",
    "完成时限": "due",
    "整改时限": "due",
    "完成时间": "due",
    "整改期限": "due",
    "时限": "due",
}
_RESPONSIBILITY = re.compile(rf"({'|'.join(sorted(_FIELDS, key=len, reverse=True))})\s*[:：]\s*")
_RESPONSIBILITY_GROUP = re.compile(r"[（(]([^（）()]{0,200}?(?:责任|牵头|分管|时限|完成时间)[^（）()]{0,200}?)[）)]")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_QUOTE = 60


@dataclass(frozen=True)
class PlanMeasure:
    id: str
    measure: str
    leader: str = ""
    department: str = ""
    owner: str = ""
    start: date | None = None
    due: date | None = None
    due_text: str = ""  # as written (立行立改, 6月底前, 长期坚持 …): what the prefilled ledger carries
    line: int = 0


@dataclass(frozen=True)
class PlanCategory:
    name: str
    problem: str
    measures: tuple[PlanMeasure, ...]


@dataclass(frozen=True)
class PlanPhase:
    name: str
    start: date | None
    end: date | None
    description: str = ""
    written: str = ""  # its heading as written, period included: what a phases sheet can hold


@dataclass(frozen=True)
class PlanDocument:
    """A plan read from its document; dates are None while the year is unknown (`year_missing`)."""

    title: str
    unit: str
    date: date | None
    categories: tuple[PlanCategory, ...]
    phases: tuple[PlanPhase, ...]
    warnings: tuple[Issue, ...]
    year_missing: bool = False

    @property
    def measures(self) -> list[PlanMeasure]:
        return [m for category in self.categories for m in category.measures]

    @property
    def usable(self) -> bool:
        return bool(self.measures or self.phases)

    def dated_phases(self) -> tuple[Phase, ...]:
        """The phases with both dates, as the ledger's phases."""
        return tuple(
            Phase(p.name, p.start, p.end, i, p.description)
            for i, p in enumerate(self.phases, start=1)
            if p.start and p.end and p.start <= p.end
        )


@dataclass
class _Heading:
    level: int
    text: str
    line: int
    problem: list[str] = field(default_factory=list)
    measures: list[dict] = field(default_factory=list)
    defaults: dict[str, str] = field(default_factory=dict)
    children: int = 0
    body: list[tuple[int, str]] = field(default_factory=list)  # lines under it that are nothing else


class _Reader:
    def __init__(self, lines: list[tuple[int, str]], year: int):
        self.lines, self.year = lines, year
        self.title = lines[0][1] if lines else ""
        self.headings: list[_Heading] = []
        self.phases: list[dict] = []
        self.unplaced: list[tuple[int, str]] = []
        self.h1: _Heading | None = None
        self.current: _Heading | None = None
        self.mode = ""
        self.measure: dict | None = None
        self.in_phases = False
        self.date_line: tuple[int, str] | None = None
        self.unit = ""

    def read(self) -> None:
        for number, text in self.lines[1:]:
            if clean_text(text) == clean_text(self.title):
                continue  # the title repeated (as web copies of documents do)
            self._line(number, text)

    def _line(self, number: int, text: str) -> None:
        """One line, matched as written (the patterns take full- and half-width forms alike), kept as written."""
        cleaned = text.strip()
        if _DOCUMENT_DATE.match(clean_text(cleaned)):
            self.date_line = (number, clean_text(cleaned))
            return
        if self._heading(number, cleaned):
            return
        if len(cleaned) <= 40 and _UNIT.search(cleaned) and (self.date_line or number >= self.lines[-1][0] - 1):
            self.unit = cleaned  # the signature under the plan: the unit that issued it
            return
        if self.in_phases:
            self._phase_line(number, cleaned)
            return
        if self._keyword(number, cleaned) or self._responsibility_line(cleaned) or self._measure(number, cleaned):
            return
        if self.mode == "problem" and self.current is not None:
            self.current.problem.append(cleaned)
        elif self.measure is not None:
            self.measure["text"] += cleaned  # a measure kept whole across lines
        elif self.current is not None:
            self.current.body.append((number, cleaned))
        else:
            self.unplaced.append((number, cleaned))

    def _heading(self, number: int, text: str) -> bool:
        if found := _HEADING_1.match(text):
            self.h1 = self.current = _Heading(1, found[2].strip(), number)
            self.headings.append(self.h1)
            self.in_phases = any(word in found[2][:12] for word in _PHASE_SECTION)
        elif (found := _HEADING_2.match(text)) and not self.in_phases:
            self.current = _Heading(2, found[2].strip(), number)
            self.headings.append(self.current)
            if self.h1 is not None:
                self.h1.children += 1
        elif (found := _CATEGORY.match(text)) and not self.in_phases:
            self.current = _Heading(2, found[3].strip() or text, number)
            self.headings.append(self.current)
        elif self.in_phases and (_HEADING_2.match(text) or _PHASE_LINE.match(text)):
            self._phase_line(number, text)
            return True
        else:
            return False
        self.mode, self.measure = "", None
        return True

    def _keyword(self, number: int, text: str) -> bool:
        found = _KEYWORD.match(text)
        if not found or self.current is None:
            return False
        rest = (found[2] or "").strip()
        if found[1] in _PROBLEM_WORDS:
            self.mode, self.measure = "problem", None
            if rest:
                self.current.problem.append(rest)
        else:
            self.mode, self.measure = "measures", None
            if rest:
                self._add_measure(self.current, number, "", rest)
        return True

    def _responsibility_line(self, text: str) -> bool:
        """责任领导：… on a line of its own: for the measure above, or, before any, for the whole category."""
        if not _RESPONSIBILITY.match(text) or self.current is None:
            return False
        found = _attributes(text)
        if self.measure is not None:
            self.measure.update({k: v for k, v in found.items() if not self.measure.get(k)})
        else:
            self.current.defaults.update(found)
        return True

    def _measure(self, number: int, text: str) -> bool:
        found = _MEASURE.match(text)
        if not found or self.current is None or (self.mode == "problem" and not self.current.problem):
            return False
        circled = found[3]
        measure_id = found[1] or found[2] or (str(ord(circled) - ord("①") + 1) if circled else "")
        self._add_measure(self.current, number, measure_id, found[4])
        return True

    def _add_measure(self, heading: _Heading, number: int, measure_id: str, text: str) -> None:
        self.mode = "measures"
        measure_id = measure_id or str(len(heading.measures) + 1)
        self.measure = {"id": measure_id, "text": text.strip(), "line": number}
        heading.measures.append(self.measure)

    def _phase_line(self, number: int, text: str) -> None:
        schedule = _SCHEDULE.match(text)
        if schedule and self.phases:
            found = parse_range(schedule[1], self.year) or find_range(f"（{schedule[1]}）", self.year)
            if found:
                self.phases[-1].update(start=found[0], end=found[1])
                self.phases[-1]["written"] += f"（{schedule[1].strip()}）"
                return
        heading = _HEADING_2.match(text)
        if _PHASE_LINE.match(text) or (heading and "阶段" in text[:30]) or (heading and find_range(text, self.year)):
            self._add_phase(number, heading[2] if heading and not _PHASE_LINE.match(text) else text)
        elif self.phases:
            self.phases[-1]["description"] += text
        elif self.current is not None:
            self.current.body.append((number, text))
        else:
            self.unplaced.append((number, text))

    def _add_phase(self, number: int, text: str) -> None:
        """`第一阶段：自查自纠（4月25日至5月10日）。认真学习…`: the name, the period in brackets, the rest."""
        head = _first_sentence(text)
        period = find_range(head, self.year) or find_range(text, self.year)
        self.phases.append(
            {
                "name": phase_name(head),
                "start": period[0] if period else None,
                "end": period[1] if period else None,
                "line": number,
                "written": head,
                "description": text[len(head) :].lstrip("。；;，, "),
            }
        )


def _first_sentence(text: str) -> str:
    return re.split(r"[。；;]", text, maxsplit=1)[0]


def _attributes(text: str) -> dict[str, str]:
    """`责任领导：校长；责任部门：办公室；完成时限：5月31日` → {leader, department, due} (the words as written)."""
    found: dict[str, str] = {}
    matches = list(_RESPONSIBILITY.finditer(text))
    for position, match in enumerate(matches):
        end = matches[position + 1].start() if position + 1 < len(matches) else len(text)
        value = text[match.end() : end].strip(" ；;，,。.、\t")
        field_name = _FIELDS[match[1]]
        if value and field_name not in found:
            found[field_name] = value
    return found


def _split_measure(text: str) -> tuple[str, dict[str, str]]:
    """A measure's own words and the responsibilities written with it, in parentheses or after it."""
    found: dict[str, str] = {}
    for group in _RESPONSIBILITY_GROUP.finditer(text):
        found.update({k: v for k, v in _attributes(group[1]).items() if k not in found})
    text = _RESPONSIBILITY_GROUP.sub("", text) if found else text
    first = _RESPONSIBILITY.search(text)
    if first:
        found.update({k: v for k, v in _attributes(text[first.start() :]).items() if k not in found})
        text = text[: first.start()]
    return text.strip(" ；;，,\t"), found


def _due(text: str, year: int) -> Due | None:
    return parse_text(text, year) if text else None


def _year_of(lines: list[tuple[int, str]], date_line: tuple[int, str] | None) -> int | None:
    if date_line and (explicit := re.match(r"^(\d{4})", date_line[1])):
        return int(explicit[1])
    years = Counter(int(y) for _, text in lines for y in _YEAR.findall(clean_text(text)) if 1990 <= int(y) <= 2100)
    return years.most_common(1)[0][0] if years else None


def read_plan(text: str, *, year: int | None = None, source: str = "") -> PlanDocument:
    """The plan in a document's text (paragraphs, one per line). `year` dates what the document leaves year-less
    (`201x年5月6日`); without it and without a year in the text, dates are None and `year_missing` is set."""
    lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    probe = _Reader(lines, 2000)
    probe.read()
    known = year or _year_of(lines, probe.date_line)
    dated = bool(
        probe.date_line
        or any(p["start"] for p in probe.phases)
        or any(_RESPONSIBILITY.search(raw["text"]) for heading in probe.headings for raw in heading.measures)
    )
    reader = _Reader(lines, known or 2000)
    reader.read()
    categories, warnings = _categories(reader, known or 2000, source)
    document_date = _document_date(reader.date_line, known)
    phases = tuple(PlanPhase(p["name"], p["start"], p["end"], p["description"], p["written"]) for p in reader.phases)
    plan = PlanDocument(
        reader.title,
        reader.unit,
        document_date,
        categories,
        phases,
        tuple(warnings),
        year_missing=known is None and dated,
    )
    return _without_dates(plan) if known is None else plan


def phases_written(lines: list[str]) -> list[PlanPhase]:
    """The phases a text states (整改步骤 paragraphs around a Word-table ledger), their periods as written."""
    reader = _Reader([(number, line) for number, line in enumerate(lines, start=1) if line.strip()], 2000)
    reader.lines.insert(0, (0, ""))  # no title line in such text
    reader.read()
    return [PlanPhase(p["name"], None, None, p["description"], p["written"]) for p in reader.phases]


def _document_date(date_line: tuple[int, str] | None, year: int | None) -> date | None:
    found = _DOCUMENT_DATE.match(date_line[1]) if date_line else None
    if found is None or year is None:
        return None
    try:
        return date(year, int(found[2]), int(found[3]))
    except ValueError:
        return None


def _without_dates(plan: PlanDocument) -> PlanDocument:
    categories = tuple(
        replace(c, measures=tuple(replace(m, start=None, due=None) for m in c.measures)) for c in plan.categories
    )
    return replace(
        plan, categories=categories, phases=tuple(replace(p, start=None, end=None) for p in plan.phases), date=None
    )


def _categories(reader: _Reader, year: int, source: str) -> tuple[tuple[PlanCategory, ...], list[Issue]]:
    """Headings that hold measures (or a problem description) become categories; the text of the others, and
    anything before the first heading, is named in warnings."""
    categories, unplaced = [], list(reader.unplaced)
    for heading in reader.headings:
        if heading.measures or heading.problem:
            measures = tuple(_measure(raw, heading.defaults, year) for raw in heading.measures)
            categories.append(PlanCategory(heading.text, "".join(heading.problem), measures))
            unplaced += heading.body
        elif not heading.children and not (heading.level == 1 and any(w in heading.text[:12] for w in _PHASE_SECTION)):
            if len(heading.text) > 30:
                unplaced.append((heading.line, heading.text))
            unplaced += heading.body
        else:
            unplaced += heading.body
    warnings = [
        Issue("warning", "plan.unplaced", source, number, "", _quote(text))
        for number, text in _blocks(sorted(unplaced))
    ]
    if not categories:
        warnings.append(Issue("warning", "plan.no_measures", source))
    return tuple(categories), warnings


def _measure(raw: dict, defaults: dict[str, str], year: int) -> PlanMeasure:
    text, found = _split_measure(raw["text"])
    own_lines = {name: raw[name] for name in ("leader", "department", "owner", "due") if raw.get(name)}
    found = {**defaults, **own_lines, **found}
    due_text = found.get("due", "")
    due = _due(due_text, year)
    return PlanMeasure(
        raw["id"],
        text,
        found.get("leader", ""),
        found.get("department", ""),
        found.get("owner", ""),
        None,
        due if isinstance(due, date) else None,
        due_text,
        raw["line"],
    )


def _blocks(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Consecutive lines as one block (its first line number, its text): one warning per block of prose."""
    blocks: list[tuple[int, str]] = []
    last = -2
    for number, text in lines:
        if number == last + 1 and blocks:
            blocks[-1] = (blocks[-1][0], blocks[-1][1] + text)
        else:
            blocks.append((number, text))
        last = number
    return blocks


def _quote(text: str) -> str:
    return shortened(text, _QUOTE + 1)


LEDGER_FIELDS = ("id", "category", "problem", "measure", "leader", "department", "owner", "start", "due")


def ledger_rows(plan: PlanDocument) -> list[dict]:
    """The plan's measures as ledger rows (LEDGER_FIELDS, not started): what the prefilled ledger holds and the
    Plan page lets an office correct. A deadline the plan gives in words (立行立改, 6月底前) stays in words."""
    return [
        {
            "id": m.id,
            "category": c.name,
            "problem": c.problem,
            "measure": m.measure,
            "leader": m.leader,
            "department": m.department,
            "owner": m.owner,
            "start": m.start,
            "due": m.due or m.due_text or None,
        }
        for c in plan.categories
        for m in c.measures
    ]
