"""Text as people type it: invisible control characters dropped for display, and one folding for comparing names;
a percentage, a moment and a shortened text as they are shown."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from functools import lru_cache

# Zero-width characters, direction controls (which can make `三张` display as `张三`), soft hyphen and BOM:
# invisible in a cell, yet they make two names that look the same compare different.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\x00]")
_SPACES = re.compile(r"\s+")


def has_invisible(text: str) -> bool:
    # Every invisible character is unprintable (Cf, Cc): printable text, the usual case, is passed in one quick scan.
    return not text.isprintable() and _INVISIBLE.search(text) is not None


def visible(text: str) -> str:
    """The text without invisible control characters (what a reader sees is what is kept and shown)."""
    return _INVISIBLE.sub("", text) if _INVISIBLE.search(text) else text


def clean_text(value: object) -> str:
    """Cell text as compared: NFKC-folded (全角→半角, compatibility ideographs → ideographs) and stripped. The one
    Unicode folding: fold() builds on it."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def fold(text: object) -> str:
    """The form names are compared and grouped in: NFKC (全角→半角, compatibility ideographs → ideographs),
    without invisible characters or spaces (`张 三` is 张三), case folded. The original stays what is displayed."""
    text = str(text)
    return _fold_short(text) if len(text) <= _CACHED_CHARS else _fold(text)


_CACHED_CHARS = 200


def _fold(text: str) -> str:
    return _SPACES.sub("", clean_text(visible(text))).casefold()


_fold_short = lru_cache(maxsize=16_384)(_fold)  # names and words repeat on every page run


def percent(value: float | None, digits: int = 1) -> str:
    """A percentage as shown everywhere (screens, charts, the meeting pack, the CLI): `45.2%`, to `digits`
    decimals; `—` when there is none (None or NaN)."""
    return "—" if value is None or value != value else f"{value:.{digits}f}%"


_ASCII_NUMBER = re.compile(r"[0-9]{1,9}")
MAX_NUMBER_DIGITS = 9


def asked_number(text: object) -> int | None:
    """A number from an address (?slide=3, ?plan=2): ASCII digits only, at most 9 of them; anything else (², ٣, a
    5,000-digit string, -1) is None, to be ignored as if it were not there."""
    return int(text) if isinstance(text, str) and _ASCII_NUMBER.fullmatch(text) else None


def shortened(text: str, length: int) -> str:
    """At most `length` characters: a longer text cut with an ellipsis (…) as its last."""
    return text if len(text) <= length else text[: length - 1] + "…"


def minute_text(at: datetime) -> str:
    """A moment as the pages show it: YYYY-MM-DD HH:MM."""
    return at.strftime("%Y-%m-%d %H:%M")


def second_text(at: datetime) -> str:
    """A moment as the records and the command line's JSON give it: YYYY-MM-DD HH:MM:SS."""
    return at.isoformat(sep=" ", timespec="seconds")
