"""Reading the dates people write in ledgers: date cells, Excel serials, 2019年5月31日, 5.31, 5月底, 6月底前,
二季度末, 年底前, 长期, 立行立改."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TypeAlias

from ledger.text import clean_text, fold
from ledger.vocab import ONGOING_WORDS


class DueWord(StrEnum):
    """A deadline written as a word instead of a date. A StrEnum: each member equals its string value."""

    LONG_TERM = "long_term"
    """长期/长期坚持: an ongoing measure with no deadline."""

    IMMEDIATE = "immediate"
    """立行立改/即知即改/立即整改: a measure to be put right at once; ledger.intake.tasks dates it (README "The ledger spreadsheet")."""


LONG_TERM = DueWord.LONG_TERM
IMMEDIATE = DueWord.IMMEDIATE

Due: TypeAlias = date | DueWord
"""What a deadline cell reads as: a date, or a word that stands for one."""

IMMEDIATE_WORDS = frozenset(
    fold(word)
    for word in ("立行立改", "即知即改", "立即整改", "立即", "立查立改", "即查即改", "马上就改", "immediately")
)

LONG_TERM_WORDS = frozenset(fold(word) for word in ONGOING_WORDS)
"""Deadlines meaning 长期: the ongoing status words (ledger.vocab.ONGOING_WORDS), folded."""

_EXCEL_EPOCH = date(1899, 12, 30)
_PART_DAY = {"上旬": 10, "中旬": 20}
_END_WORDS = ("底", "末", "份", "下旬", "")

_FULL = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?\s*(?:前|之前|以前)?"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YEAR_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*(底|末|份|上旬|中旬|下旬)?\s*(?:前|之前|以前)?$")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?\s*(?:前|之前|以前)?$")
_MONTH_ONLY = re.compile(r"^(\d{1,2})\s*月\s*(底|末|份|上旬|中旬|下旬)?\s*(?:前|之前|以前)?$")
_DAY_ONLY = re.compile(r"^(\d{1,2})\s*[日号]$")
_YEAR_END = re.compile(r"^(?:(\d{4})\s*)?(?:本|今)?年\s*(?:底|末|内)\s*(?:前|之前|以前)?$")
_QUARTER = re.compile(r"^(?:(\d{4})\s*年\s*)?第?\s*([一二三四1-4])\s*季度\s*(?:末|底)?\s*(?:前|之前|以前)?$")
_HALF_YEAR = re.compile(r"^(?:(\d{4})\s*年\s*)?(上|下)半年\s*(?:末|底)?\s*(?:前|之前|以前)?$")
_DONE_SUFFIX = re.compile(r"(?:完成|完毕|办结|结束)$")  # 2019年5月15日前完成
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_ENGLISH_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y")
MAX_DATE_CHARS = 64
_RANGE_WORDS = ("至", "到", "~", "～", "—", "–", " to ", "－")


YEARS = range(1900, 2101)
"""Years a ledger date may have; anything else is a typo (0000年, 9999-12-31) reported as unreadable."""


def _safe(year: int, month: int, day: int) -> date | None:
    if year not in YEARS:
        return None
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def _month_part(year: int, month: int, part: str | None) -> date | None:
    if not 1 <= month <= 12 or year not in YEARS:
        return None
    if part in _PART_DAY:
        return date(year, month, _PART_DAY[part])
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_number(value: float, default_year: int) -> date | None:
    """A number in a date cell: 20190531, an Excel serial, or 5.31 typed as a number."""
    if value != value or isinstance(value, bool):
        return None
    if float(value).is_integer():
        whole = int(value)
        if 19000101 <= whole <= 21001231:
            return _safe(whole // 10000, whole // 100 % 100, whole % 100)
        return _EXCEL_EPOCH + timedelta(days=whole) if 3000 <= whole <= 73050 else None  # 1908 … 2099
    if 1 <= value < 13:
        month_text, day_text = repr(float(value)).split(".")
        return _safe(default_year, int(month_text), int(day_text)) if len(day_text) <= 2 else None
    if 3000 <= value <= 73050:  # a serial with a time of day
        return _EXCEL_EPOCH + timedelta(days=int(value))
    return None


def parse_text(text: str, default_year: int) -> Due | None:
    """A date written as text; LONG_TERM for 长期; None when it can't be read."""
    text = clean_text(text)
    if len(text) > MAX_DATE_CHARS:  # no date is this long; and patterns never see unbounded text
        return None
    if fold(text) in LONG_TERM_WORDS:
        return LONG_TERM
    if fold(text) in IMMEDIATE_WORDS:
        return IMMEDIATE
    text = _DONE_SUFFIX.sub("", text).strip() or text
    if match := _FULL.match(text):
        return _safe(int(match[1]), int(match[2]), int(match[3]))
    if match := _COMPACT.match(text):
        return _safe(int(match[1]), int(match[2]), int(match[3]))
    if match := _MONTH_DAY.match(text):
        return _safe(default_year, int(match[1]), int(match[2]))
    if match := _YEAR_MONTH.match(text):
        return _month_part(int(match[1]), int(match[2]), match[3])
    if match := _MONTH_ONLY.match(text):
        return _month_part(default_year, int(match[1]), match[2])
    if match := _YEAR_END.match(text):
        return _safe(int(match[1] or default_year), 12, 31)
    if match := _QUARTER.match(text):
        return _month_part(int(match[1] or default_year), _QUARTERS[match[2]] * 3, None)
    if match := _HALF_YEAR.match(text):
        return _month_part(int(match[1] or default_year), 6 if match[2] == "上" else 12, None)
    for fmt in _ENGLISH_FORMATS:
        try:
            found = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return found if found.year in YEARS else None
    return None


def ambiguous_number(value: object) -> bool:
    """5.1, 5.2, 5.3 typed as numbers: Excel dropped a trailing zero, so 5.3 may mean 5月3日 or 5月30日."""
    if not isinstance(value, float) or not 1 <= value < 13 or value.is_integer():
        return False
    month_text, day_text = repr(value).split(".")
    return len(day_text) == 1 and _safe(2000, int(month_text), int(day_text) * 10) is not None


def parse_date(value: object, default_year: int) -> Due | None:
    """Any date cell: a date, LONG_TERM, or None when it can't be read. Blank cells are the caller's concern."""
    if isinstance(value, datetime):
        return value.date() if value.year in YEARS else None
    if isinstance(value, date):
        return value if value.year in YEARS else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return parse_number(value, default_year)
    if isinstance(value, str):
        return parse_text(value, default_year)
    return None


class DateReader:
    """parse_date with a memo: ledgers repeat the same few dates thousands of times."""

    def __init__(self, default_year: int):
        self.default_year = default_year
        self._memo: dict[object, Due | None] = {}

    def __call__(self, value: object) -> Due | None:
        key = (type(value), value)
        try:
            return self._memo[key]
        except KeyError:
            result = self._memo[key] = parse_date(value, self.default_year)
            return result
        except TypeError:  # unhashable cell values never occur, but a report beats a crash
            return parse_date(value, self.default_year)


def _end_from_start(end_text: str, start: date) -> date | None:
    """The end of a range inherits what it leaves out from its start: 5.10 → same year, 30日 → same month."""
    end_text = clean_text(end_text)
    if match := _DAY_ONLY.match(end_text):
        return _safe(start.year, start.month, int(match[1]))
    if end_text.isdigit() and len(end_text) <= 2:
        return _safe(start.year, start.month, int(end_text))
    end = parse_text(end_text, start.year)
    if isinstance(end, date) and end < start and not re.match(r"^\d{4}", end_text):
        end = _safe(start.year + 1, end.month, end.day)
    return end if isinstance(end, date) else None


def parse_range(value: object, default_year: int) -> tuple[date, date] | None:
    """A period written in one cell: `4月25日至5月10日`, `2019.4.25-5.10`, `2019-04-25 ~ 2019-05-10`."""
    text = clean_text(value)
    if len(text) > 2 * MAX_DATE_CHARS:
        return None
    for word in _RANGE_WORDS:
        if word in text:
            head, _, tail = text.partition(word)
            return _range_from_parts(head, tail, default_year)
    # "-" also separates the parts of a date: try each "-" as the range's separator.
    for position in (m.start() for m in re.finditer("-", text)):
        if _YEAR_MONTH.match(text[:position].strip()):
            continue  # "2019-05" is the head of one date, not a whole one
        found = _range_from_parts(text[:position], text[position + 1 :], default_year)
        if found:
            return found
    return None


def _range_from_parts(head: str, tail: str, default_year: int) -> tuple[date, date] | None:
    start = parse_text(head, default_year)
    if not isinstance(start, date):
        return None
    end = _end_from_start(tail, start)
    return (start, end) if end else None


_PARENTHESISED = re.compile(r"[（(]([^（）()]+)[）)]")


def find_range(text: object, default_year: int) -> tuple[date, date] | None:
    """A period in parentheses inside longer text: `第一阶段：自查自纠（4月25日至5月10日）`."""
    for inner in _PARENTHESISED.findall(clean_text(text)):
        found = parse_range(inner, default_year)
        if found:
            return found
    return None


_YEAR_IN_TEXT = re.compile(r"(19|20)\d{2}")


def years_in(values: list[object]) -> list[int]:
    """Years that cells state outright (date cells and four-digit years in text), to date year-less cells."""
    years = []
    for value in values:
        if isinstance(value, date):
            years.append(value.year)
        elif isinstance(value, str) and (match := _YEAR_IN_TEXT.search(value)):  # \d takes full-width digits
            years.append(int(match[0]))
    return years
