"""Meeting mode's slides: which slides there are and which rows each shows.

A slide is laid out in lines of body text, each 1/30 of the screen's height (36 px at 1920×1080, 24 px at
1280×720), so the same rows fit at any 16:9 size. Rows that do not fit at that size continue on the next slide of the
same kind rather than shrink; the pages only draw what a Slide holds."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from ledger import metrics
from ledger.diff import Changes
from ledger.figures import text_width
from ledger.requirements import MeetingRequirements

LINES = 18.5  # lines of body text a slide has under its title bar
HEADER = 1.7  # a table's header row
ROW = 0.75  # a table row's padding and rules, beyond its lines of text
HEADING = 1.7  # a list's heading over its table
FIGURES = 5.0  # a row of figure cards (label and large value)
NOTE = 1.6  # a caption line under a table
TEXT_EMS = 26.0  # a slide table's wrapping column, in em of body text (the other columns do not wrap)
SLIDE_ROWS = 12  # never more rows on a slide, however short
OVERALL_FIGURES = ("measures", "completion", "verified", "overdue", "due_soon")  # brief.headline_figures' keys

OVERDUE_COLUMNS = ("days_overdue", "measure", "leader", "owner", "due")
LEADER_COLUMNS = ("days_overdue", "measure", "owner", "due")  # a leader's own slide: the leader is in the title
NEWLY_OVERDUE_COLUMNS = ("days_overdue", "measure", "leader", "owner")
NEWLY_DONE_COLUMNS = ("measure", "leader", "owner")


@dataclass(frozen=True)
class Slide:
    """One slide: its kind (overall, phases, overdue, changes, carried, current); for overdue the leader when each
    has slides of their own; its part among the slides of the same kind and leader; and what it lists."""

    kind: str
    leader: str | None = None
    part: int = 1
    parts: int = 1
    figures: bool = False  # changes: the counts, on its first slide
    sections: tuple[tuple[str, object], ...] = field(default=())  # (what, rows): a frame or a list of requirements


def lines(text: str, ems: float = TEXT_EMS) -> int:
    """Lines a text takes in a slide table's wrapping column (a generous estimate)."""
    return max(1, math.ceil(text_width(str(text), 1) / ems))


def _row_lines(texts: list[str]) -> list[float]:
    return [lines(text) + ROW for text in texts]


def pack(heights: list[float], first: float, budget: float = LINES) -> list[tuple[int, int]]:
    """Rows of these heights (in lines) split over slides: `first` lines are taken on the first slide before its
    table's header. Returns (start, stop) per slide; at least one slide, at least one row on each."""
    parts: list[tuple[int, int]] = []
    start, used = 0, first + HEADER
    for n, height in enumerate(heights):
        if n > start and (used + height > budget or n - start >= SLIDE_ROWS):
            parts.append((start, n))
            start, used = n, HEADER
        used += height
    parts.append((start, len(heights)))
    return parts


def _split(kind: str, heights: list[float], rows, first: float = 0.0, leader: str | None = None, what: str = ""):
    parts = pack(heights, first)
    return [
        Slide(kind, leader, n, len(parts), sections=((what or kind, rows[start:stop]),))
        for n, (start, stop) in enumerate(parts, 1)
    ]


def overdue_slides(tasks: pd.DataFrame, as_of: date) -> list[Slide]:
    """All overdue measures on one slide (leader None) when they fit, else each responsible leader's on slides of
    their own, the leader with the longest delay first; rows are metrics.overdue's, most days late first."""
    late = metrics.overdue(tasks, as_of)
    heights = _row_lines(late["measure"].tolist())
    if len(pack(heights, 0.0)) == 1:
        return [Slide("overdue", None, sections=(("overdue", late),))]
    slides: list[Slide] = []
    for _, group in late.groupby(metrics.name_keys(late["leader"]), sort=False):
        slides += _split("overdue", _row_lines(group["measure"].tolist()), group, leader=group["leader"].iloc[0])
    return slides


def changes_slides(changes: Changes | None) -> list[Slide]:
    """The counts since last week, then the newly overdue and the newly done measures, continued on more slides
    when they do not fit under the counts."""
    if changes is None:
        return [Slide("changes")]
    rows: list[tuple[str, pd.DataFrame]] = [
        (name, frame) for name, frame in (("newly_overdue", changes.newly_overdue), ("newly_done", changes.newly_done))
    ]
    slides: list[list[tuple[str, object]]] = [[]]
    used = FIGURES
    for name, frame in rows:
        start = 0
        for n, height in enumerate(_row_lines(frame["measure"].tolist())):
            if n == start:  # a heading and a header before the first row on this slide
                height += HEADING + HEADER
            if used + height > LINES or n - start >= SLIDE_ROWS:
                if n > start:
                    slides[-1].append((name, frame.iloc[start:n]))
                slides.append([])
                start, used = n, HEADING + HEADER
                height = lines(frame["measure"].iloc[n]) + ROW
            used += height
        if start < len(frame):
            slides[-1].append((name, frame.iloc[start:]))
    return [
        Slide("changes", None, n, len(slides), figures=n == 1, sections=tuple(sections))
        for n, sections in enumerate(slides, 1)
    ]


def slides(tasks: pd.DataFrame, as_of: date, changes: Changes | None, requirements: MeetingRequirements) -> list[Slide]:
    """Meeting mode's slides in order: the overall figures, the phases, the overdue measures, the changes since
    last week, last meeting's requirements and this meeting's (the latest last, continued on more slides)."""
    carried = requirements.carried
    current = requirements.current
    return [
        Slide("overall"),
        Slide("phases"),
        *overdue_slides(tasks, as_of),
        *changes_slides(changes),
        *_split("carried", _row_lines([s.requirement.text for s in carried]), carried, first=NOTE),
        *_split("current", _row_lines([r.text for r in current]), current, first=NOTE),
    ]
