"""The figures of the README's "Figures", on small ledgers built in code and on the sample plan."""

from datetime import date

import pytest

from ledger import metrics
from ledger.model import Phase
from ledger.text import percent
from tests.sheets import load_tasks, task_row

AS_OF = date(2019, 5, 27)


def tasks_of(*rows):
    return load_tasks(list(rows)).tasks


def test_completion_counts_done_over_tasks_that_can_finish():
    tasks = tasks_of(
        task_row(id=1, status="已完成"),
        task_row(id=2, status="进行中"),
        task_row(id=3, status="未开始"),
        task_row(id=4, status="长期坚持", due="长期"),
    )
    assert metrics.completion_pct(tasks) == pytest.approx(100 / 3)


def test_completion_of_only_ongoing_measures_is_undefined():
    assert metrics.completion_pct(tasks_of(task_row(status="长期坚持", due="长期"))) is None


def test_average_progress_ignores_ongoing_measures():
    tasks = tasks_of(
        task_row(id=1, progress=20),
        task_row(id=2, progress=60),
        task_row(id=3, status="长期坚持", due="长期", progress=90),
    )
    assert metrics.average_progress(tasks) == pytest.approx(40)


def test_overdue_is_open_work_due_before_as_of_with_days_and_severity():
    tasks = tasks_of(
        task_row(id=1, due=date(2019, 5, 26)),
        task_row(id=2, due=date(2019, 5, 10)),
        task_row(id=3, due=date(2019, 4, 26), start=date(2019, 4, 25)),
        task_row(id=4, due=date(2019, 5, 27)),
        task_row(id=5, due=date(2019, 5, 1), status="已完成"),
        task_row(id=6, due="长期", status="进行中"),
    )
    late = metrics.overdue(tasks, AS_OF)
    assert late["id"].tolist() == ["3", "2", "1"]
    assert late["days_overdue"].tolist() == [31, 17, 1]
    assert late["severity"].tolist() == ["severe", "serious", "mild"]


@pytest.mark.parametrize(("days", "name"), [(1, "mild"), (7, "mild"), (8, "serious"), (30, "serious"), (31, "severe")])
def test_severity_bands_are_1_to_7_8_to_30_and_over_30_days(days, name):
    assert metrics.severity(days) == name


def test_due_soon_is_open_work_due_within_the_next_seven_days():
    tasks = tasks_of(
        task_row(id=1, due=date(2019, 5, 27)),
        task_row(id=2, due=date(2019, 6, 2)),
        task_row(id=3, due=date(2019, 6, 3), start=date(2019, 5, 11)),
        task_row(id=4, due=date(2019, 5, 30), status="已完成"),
    )
    soon = metrics.due_soon(tasks, AS_OF)
    assert soon["id"].tolist() == ["1", "2"]
    assert soon["days_left"].tolist() == [0, 6]


def test_phase_state_and_behind_follow_elapsed_time_against_completion():
    phase = Phase("整改落实", date(2019, 5, 11), date(2019, 5, 31), 2)
    tasks = tasks_of(task_row(id=1, status="已完成"), task_row(id=2), task_row(id=3), task_row(id=4))
    state = metrics.phase_states((phase,), tasks, AS_OF)[0]
    assert state.state == "current"
    assert state.completion_pct == 25
    assert state.elapsed_pct == pytest.approx(16 / 21 * 100)
    assert state.behind
    assert state.days_left == 4


@pytest.mark.parametrize(
    ("as_of", "state"),
    [
        (date(2019, 5, 10), "upcoming"),
        (date(2019, 5, 11), "current"),
        (date(2019, 5, 31), "current"),
        (date(2019, 6, 1), "done"),
    ],
)
def test_phase_is_done_only_after_its_end(as_of, state):
    phase = Phase("整改落实", date(2019, 5, 11), date(2019, 5, 31), 2)
    assert metrics.phase_states((phase,), tasks_of(task_row()), as_of)[0].state == state


def test_phase_not_behind_when_completion_keeps_pace():
    phase = Phase("整改落实", date(2019, 5, 11), date(2019, 5, 31), 2)
    tasks = tasks_of(task_row(id=1, status="已完成"), task_row(id=2, status="已完成"), task_row(id=3))
    assert not metrics.phase_states((phase,), tasks, AS_OF)[0].behind


def test_by_category_keeps_ledger_order_and_counts_overdue():
    tasks = tasks_of(
        task_row(id=1, category="乙类问题", due=date(2019, 5, 20)),
        task_row(id=2, category="甲类问题", status="已完成"),
        task_row(id=3, category="乙类问题", status="已完成"),
    )
    table = metrics.by_category(tasks, AS_OF)
    assert table["name"].tolist() == ["乙类问题", "甲类问题"]
    assert table["completion_pct"].tolist() == [50.0, 100.0]
    assert table["overdue"].tolist() == [1, 0]


def test_responsibility_groups_put_the_latest_first():
    tasks = tasks_of(
        task_row(id=1, leader="校长", owner="甲", due=date(2019, 5, 25)),
        task_row(id=2, leader="校长", owner="甲", due=date(2019, 5, 20)),
        task_row(id=3, leader="书记", owner="乙", due=date(2019, 5, 12)),
    )
    groups = metrics.responsibility_groups(tasks, AS_OF)
    assert groups[["leader", "owner", "overdue", "max_days_overdue"]].values.tolist() == [
        ["书记", "乙", 1, 15],
        ["校长", "甲", 2, 7],
    ]


def test_select_keeps_rows_matching_every_filter():
    tasks = tasks_of(
        task_row(id=1, leader="校长", status="已完成"), task_row(id=2, leader="校长"), task_row(id=3, leader="书记")
    )
    chosen = metrics.select(tasks, {"leader": ["校长"], "status": ["in_progress"], "owner": []})
    assert chosen["id"].tolist() == ["2"]


def test_sample_ledger_headline(sample_ledger):
    head = metrics.headline(sample_ledger.tasks, sample_ledger.phases, sample_ledger.report_date)
    assert (head.tasks, head.overdue, head.due_soon) == (17, 4, 3)
    assert head.by_status == {"done": 4, "in_progress": 6, "not_started": 5, "ongoing": 2}
    assert round(head.completion_pct, 1) == 26.7
    assert head.current.name == "第二阶段：整改落实" and head.current.days_left == 4
    assert [s.name for s in head.behind] == ["第二阶段：整改落实"]


@pytest.mark.parametrize(
    ("value", "digits", "shown"), [(45.26, 1, "45.3%"), (100, 1, "100.0%"), (66.6, 0, "67%"), (None, 1, "—")]
)
def test_a_percentage_is_shown_one_way(value, digits, shown):
    assert percent(value, digits) == shown
    assert percent(float("nan")) == "—"
