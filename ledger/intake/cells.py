"""A sheet's cells as people read them: blank or not, shown as text; and where a sheet's header is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ledger.model import ColumnChoice, Issue


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and value != value


def shown(value: object) -> str:
    """A cell's value as a person would read it back in a message."""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None:
        return ""
    text = str(value)
    return (text if "\x00" not in text else text.replace("\x00", "")).strip()  # NUL: from _x0000_ escapes


@dataclass(frozen=True)
class Header:
    """Where a sheet's header is: its last row (0-based) and, per field, the column and the header as written; for a
    tasks sheet also the columns kept as extra fields (column, name), how every column was read, and what a person
    should know of that (columns competing for one field, a column read without confidence)."""

    row: int
    columns: dict[str, tuple[int, str]]
    extras: tuple[tuple[int, str], ...] = ()
    choices: tuple[ColumnChoice, ...] = ()
    notes: tuple[Issue, ...] = ()

    @property
    def fields(self) -> set[str]:
        return set(self.columns)

    def written(self, field: str) -> str:
        return self.columns[field][1] if field in self.columns else ""
