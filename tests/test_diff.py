"""Differences between versions and the postponement record, on the sample's weekly history."""

from datetime import date, timedelta

import pandas as pd
import pytest

from ledger.diff import compare, postponements
from ledger.sample import history_files
from tests.sheets import load, load_tasks, task_row

WEEKS = [load(item) for item in sorted(history_files().items())]


def ids(frame: pd.DataFrame) -> list[str]:
    return frame["id"].tolist()


def test_week_three_to_four_shows_new_overdue_regression_and_done_without_evidence():
    changes = compare(WEEKS[2], WEEKS[3])
    assert ids(changes.newly_done) == ["14"]
    assert ids(changes.newly_overdue) == ["2", "4", "11"]
    assert changes.newly_overdue["days_overdue"].tolist() == [7, 3, 2]
    assert ids(changes.regressed) == ["15"]
    assert changes.regressed[["old_progress", "new_progress"]].values.tolist() == [[50.0, 40.0]]
    assert ids(changes.done_without_evidence) == ["9"]
    assert not changes.by_text and changes.added.empty and changes.removed.empty


def test_week_two_to_three_shows_the_postponed_deadline():
    changes = compare(WEEKS[1], WEEKS[2])
    assert ids(changes.postponed) == ["2"]
    assert changes.postponed[["old_due", "new_due"]].iloc[0].tolist() == [
        pd.Timestamp("2019-05-15"),
        pd.Timestamp("2019-05-20"),
    ]


def test_status_changes_name_old_and_new_status():
    changes = compare(WEEKS[0], WEEKS[1])
    first = changes.status_changed.set_index("id").loc["1"]
    assert (first["old_status"], first["new_status"]) == ("in_progress", "done")


def test_added_and_removed_measures_are_listed():
    old = load_tasks([task_row(id=1, measure="甲"), task_row(id=2, measure="乙")])
    new = load_tasks([task_row(id=2, measure="乙"), task_row(id=3, measure="丙")])
    changes = compare(old, new)
    assert ids(changes.added) == ["3"] and ids(changes.removed) == ["1"]


def test_without_an_id_column_measures_are_matched_by_text():
    header = ["问题类别", "整改措施", "责任人", "开始日期", "完成时限", "完成情况"]
    old = load_tasks(
        [["甲类", "制定学习计划", "组织委员", date(2019, 5, 11), date(2019, 5, 31), "进行中"]], header=header
    )
    new = load_tasks(
        [["甲类", "制定 学习计划", "组织委员", date(2019, 5, 11), date(2019, 5, 31), "已完成"]], header=header
    )
    changes = compare(old, new)
    assert changes.by_text
    assert changes.newly_done["measure"].tolist() == ["制定 学习计划"]
    assert changes.added.empty


def test_a_done_measure_reopened_counts_as_progress_gone_backwards():
    old = load_tasks([task_row(status="已完成", progress=100, evidence="文件", completed_on=date(2019, 5, 20))])
    new = load_tasks([task_row(status="进行中", progress=90)])
    assert ids(compare(old, new).regressed) == ["1"]


@pytest.fixture
def history() -> pd.DataFrame:
    moved = [
        load_tasks([task_row(id=1, due=date(2019, 5, day)), task_row(id=2, leader="校长", due=date(2019, 5, 31))])
        for day in (15, 20, 20, 25)
    ]
    moved.append(load_tasks([task_row(id=1, due=date(2019, 5, 25)), task_row(id=2, leader="校长", due="长期")]))
    return pd.concat(
        [
            ledger.tasks.assign(version_id=i, report_date=date(2019, 5, 6) + timedelta(days=7 * i))
            for i, ledger in enumerate(moved)
        ]
    )


def test_postponements_count_each_push_back_across_all_versions(history):
    per_measure, per_leader = postponements(history)
    assert per_measure[["id", "times"]].values.tolist() == [["1", 2], ["2", 1]]
    assert per_measure["first_due"].iloc[0] == pd.Timestamp("2019-05-15")
    assert per_leader[["leader", "times", "measures"]].values.tolist() == [["党总支书记", 2, 1], ["校长", 1, 1]]


def test_sample_history_has_one_postponement_by_the_party_secretary():
    history = pd.concat(
        [ledger.tasks.assign(version_id=i, report_date=ledger.report_date) for i, ledger in enumerate(WEEKS)]
    )
    per_measure, _ = postponements(history)
    assert per_measure[["id", "times", "leader"]].values.tolist() == [["2", 1, "党总支书记"]]
