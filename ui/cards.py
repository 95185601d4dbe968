"""Figure cards, progress lines and small tables: a page's headline numbers drawn as one HTML block each.

One st.metric is a dozen browser components (its label goes through Streamlit's Markdown renderer) and, in columns,
three messages; the overview drew fifteen of them and four st.progress bars, and now sends 30 messages instead of 65
(in the browser, 20 metrics cost more than the page around them). Every word is escaped here:
labels, values and notes may hold what a ledger's author wrote (a phase's name).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from ledger.escape import html_text

_TEXT = "rgb(14, 17, 23)"  # the theme's text colour (.streamlit/config.toml: textColor = "#0E1117")
# Secondary text (notes under figures, table headers): the text colour at 65 %, 5.9:1 on white, 5.8:1 on #FAFAFB, over
# WCAG 2.0 AA's 4.5:1; lines and borders stay lighter.
_MUTED = "rgba(14, 17, 23, 0.65)"
CSS = (
    ".figures {display: grid; gap: 1rem; margin: 0 0 0.25rem 0; font-family: inherit;}"
    f" .figure {{border: 1px solid rgba(14, 17, 23, 0.2); border-radius: 0.5rem; padding: calc(1rem - 1px);"
    f" color: {_TEXT}; min-width: 0;}}"
    " .figure-label {font-size: 0.875rem; line-height: 1.4; min-height: 1.25rem; overflow-wrap: anywhere;}"
    " .figure-help {display: inline-block; margin-left: 0.3rem; width: 1rem; height: 1rem; line-height: 0.9rem;"
    " border: 1px solid rgba(14, 17, 23, 0.45); border-radius: 50%; font-size: 0.7rem; text-align: center;"
    f" color: {_MUTED}; cursor: help; vertical-align: 0.1rem; position: relative;}}"
    f" .figure-help:focus-visible::after {{content: attr(title); position: absolute; top: 1.4rem; left: -0.5rem;"
    f" z-index: 10; width: max-content; max-width: 18rem; padding: 0.4rem 0.6rem; border-radius: 0.4rem;"
    f" background: {_TEXT}; color: #FFFFFF; font-size: 0.8rem; line-height: 1.4; text-align: left;"
    f" white-space: pre-line;}}"
    " .figure-value {font-size: 2.25rem; line-height: 1.25; padding-top: 0.15rem; white-space: nowrap;"
    " overflow: hidden; text-overflow: ellipsis;}"
    f" .figure-note {{display: inline-block; margin-top: 0.2rem; font-size: 0.875rem; color: {_MUTED};}}"
    " .figure-note.alarm {color: #B71C1C; background: #FFEBEE; border-radius: 0.5rem; padding: 0 0.45rem;}"
    " .bars {display: flex; flex-direction: column; gap: 0.6rem; margin-bottom: 0.5rem;}"
    f" .bar-text {{font-size: 0.95rem; color: {_TEXT}; line-height: 1.5; overflow-wrap: anywhere;}}"
    " .bar-track {height: 0.5rem; border-radius: 0.25rem; background: #F0F2F6; overflow: hidden;}"
    " .bar-fill {height: 100%; border-radius: 0.25rem; background: #B71C1C;}"
    " .small-table-wrap {overflow-x: auto; margin-bottom: 0.5rem;}"
    f" .small-table {{border-collapse: collapse; width: 100%; font-size: 0.875rem; color: {_TEXT};}}"
    f" .small-table th {{text-align: left; font-weight: 400; color: {_MUTED}; background: #FAFAFB;}}"
    " .small-table th, .small-table td {border: 1px solid rgba(14, 17, 23, 0.1); padding: 0.35rem 0.6rem;"
    " vertical-align: top;}"
    " .small-table td.number {text-align: right; font-variant-numeric: tabular-nums;}"
    " .small-table td:not(.number) {min-width: 7em;}"  # on a phone the table scrolls rather than crush its words
    # on a phone the figures go two to a row
    " @media (max-width: 640px) {.figures {grid-template-columns: repeat(2, minmax(0, 1fr)) !important;"
    " gap: 0.5rem;} .figure-value {font-size: 1.6rem;}}"
)


@dataclass(frozen=True)
class Card:
    """One figure: what it counts, its value, and optionally a line under the value (an alarm in red), a text shown
    on hovering its (?) mark, and a coloured left edge (a light's colour; its word is the label)."""

    label: str
    value: object
    note: str = ""
    alarm: bool = False
    help: str = ""
    color: str | None = None


def _card(card: Card) -> str:
    edge = f' style="border-left: 0.5rem solid {card.color}"' if card.color else ""
    # the help reachable by the keyboard too: focused, the mark shows it (CSS) and a screen reader reads it
    mark = (
        f'<span class="figure-help" title="{html_text(card.help)}" tabindex="0" role="img"'
        f' aria-label="{html_text(card.help)}">?</span>'
        if card.help
        else ""
    )
    note = (
        f'<div><span class="figure-note{" alarm" if card.alarm else ""}">{html_text(card.note)}</span></div>'
        if card.note
        else ""
    )
    return (
        f'<div class="figure" data-testid="figure" data-label="{html_text(card.label)}"{edge}>'
        f'<div class="figure-label">{html_text(card.label)}{mark}</div>'
        f'<div class="figure-value">{html_text(card.value)}</div>{note}</div>'
    )


def cards_markup(items: Sequence[Card], key: str, per_row: int | None = None) -> str:
    """The cards as HTML, `per_row` to a row (all in one row by default), under the class `key`."""
    columns = per_row or len(items)
    return (
        f"<style>{CSS}</style>"
        f'<div class="figures {html_text(key)}" style="grid-template-columns: repeat({columns}, minmax(0, 1fr))">'
        + "".join(_card(card) for card in items)
        + "</div>"
    )


def cards(items: Sequence[Card], key: str, per_row: int | None = None) -> None:
    """Draw the cards as one element."""
    st.html(cards_markup(items, key, per_row))


def bars_markup(lines: Sequence[tuple[str, float | None]], key: str) -> str:
    """Progress lines as HTML: a text over a bar filled to the percentage (0 when None, at most 100)."""
    rows = "".join(
        f'<div class="bar" data-testid="bar"><div class="bar-text">{html_text(text)}</div>'
        f'<div class="bar-track"><div class="bar-fill" style="width: {min(max(value or 0.0, 0.0), 100.0):.1f}%">'
        "</div></div></div>"
        for text, value in lines
    )
    return f'<style>{CSS}</style><div class="bars {html_text(key)}">{rows}</div>'


def bars(lines: Sequence[tuple[str, float | None]], key: str) -> None:
    """Draw the progress lines as one element."""
    st.html(bars_markup(lines, key))


NUMBER_CELL = '<td class="number">'


def _cell(value: object) -> str:
    return "" if pd.api.types.is_scalar(value) and pd.isna(value) else html_text(value)


def table_markup(frame: pd.DataFrame, key: str) -> str:
    """A short table (a few rows: the phases, the categories) as HTML, numbers aligned right, blanks empty."""
    numeric = [pd.api.types.is_numeric_dtype(frame[column]) for column in frame.columns]
    head = "".join(f"<th>{html_text(column)}</th>" for column in frame.columns)
    rows = "".join(
        "<tr>"
        + "".join(
            (NUMBER_CELL if number else "<td>") + _cell(value) + "</td>"
            for value, number in zip(row, numeric, strict=True)
        )
        + "</tr>"
        for row in frame.itertuples(index=False, name=None)
    )
    return (
        f'<style>{CSS}</style><div class="small-table-wrap {html_text(key)}">'
        f'<table class="small-table" data-testid="small-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )


def small_table(frame: pd.DataFrame, key: str) -> None:
    """Draw a short table as one element: no data grid to load and lay out for a few rows. Long tables, which
    people sort and search, stay st.dataframe."""
    st.html(table_markup(frame, key))
