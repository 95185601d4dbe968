"""Meeting mode's slides (ledger.slides): which slides there are, and rows that do not fit continuing on the next
slide rather than shrinking (README "Meeting mode"); the browser test measures the text on each."""

from __future__ import annotations

from datetime import date

import pandas as pd

from ledger import metrics
from ledger.intake.reading import load_ledger
from ledger.requirements import MeetingRequirements
from ledger.slides import HEADER, LINES, Slide, lines, pack, slides
from tests.test_meeting_pack import SAMPLE

AS_OF = date(2019, 5, 27)


def sample_tasks() -> pd.DataFrame:
    return load_ledger([(SAMPLE.name, SAMPLE.read_bytes())], AS_OF).tasks


def test_a_long_text_takes_more_lines_than_a_short_one():
    assert lines("成立领导小组") == 1
    assert lines("把意识形态工作纳入党总支年度工作要点，与业务工作同部署、同落实、同检查、同考核。") == 2
    assert lines("字" * 200) == 8


def test_rows_that_do_not_fit_continue_on_the_next_slide():
    assert pack([2.0] * 3, 0.0) == [(0, 3)]
    parts = pack([3.0] * 20, 0.0)
    assert parts[0] == (0, int((LINES - HEADER) // 3)) and parts[-1][1] == 20
    assert all(stop > start for start, stop in parts)
    assert [start for start, _ in parts[1:]] == [stop for _, stop in parts[:-1]]  # every row once, in order
    assert pack([LINES * 2], 0.0) == [(0, 1)]  # a row taller than a slide still gets one
    assert pack([], 0.0) == [(0, 0)]


def test_the_sample_s_slides_in_order():
    tasks = sample_tasks()
    deck = slides(tasks, AS_OF, None, MeetingRequirements([], []))
    assert [s.kind for s in deck] == ["overall", "phases", "overdue", "changes", "carried", "current"]
    overdue = deck[2].sections[0][1]
    assert deck[2].leader is None and overdue["days_overdue"].tolist() == [10, 7, 3, 2]


def test_many_overdue_measures_go_one_leader_at_a_time_and_a_long_list_continues():
    tasks = sample_tasks()
    many = pd.concat([tasks] * 12, ignore_index=True).assign(row=lambda f: range(len(f)))
    deck = [s for s in slides(many, AS_OF, None, MeetingRequirements([], [])) if s.kind == "overdue"]
    late = metrics.overdue(many, AS_OF)
    assert all(s.leader for s in deck)
    assert sum(len(s.sections[0][1]) for s in deck) == len(late) == 48
    by_leader: dict[str, list[Slide]] = {}
    for s in deck:
        by_leader.setdefault(s.leader or "", []).append(s)
    for leader, own in by_leader.items():
        assert [s.part for s in own] == list(range(1, len(own) + 1)) and {s.parts for s in own} == {len(own)}
        assert sum(len(s.sections[0][1]) for s in own) == int((late["leader"] == leader).sum())
    assert max(s.parts for s in deck) >= 2  # twelve measures of a leader, two lines each, need two slides
