"""Names as people type them: invisible characters never reach the screen, and look-alike spellings of one name
form one group (responsibilities, categories, filters, postponements), shown as first written."""

from datetime import date

import pandas as pd

from ledger import metrics
from ledger.diff import postponements
from ledger.text import fold, visible
from tests.sheets import load_tasks, task_row

AS_OF = date(2019, 5, 27)
LATE = {"due": date(2019, 5, 20), "status": "进行中"}


def test_fold_joins_full_width_compatibility_and_spacing_variants():
    assert fold("ＩＴ中心") == fold("IT中心") == fold(" it  中心 ") == fold("It 中 心")
    assert fold("⼯会主席") == fold("工会主席")  # a Kangxi radical that looks like 工
    assert fold("张\u200b三") == fold("张三")


def test_visible_drops_zero_width_and_direction_controls_only():
    assert visible("张\u200b三") == "张三"
    assert visible("\u202e三张") == "三张"  # shown as it is really written, no longer disguised as 张三
    assert visible("办公室主任（兼）") == "办公室主任（兼）"


def test_reading_keeps_no_invisible_character_in_any_name():
    tasks = load_tasks(
        [task_row(id=1, leader="党总支\u200b书记", owner="\u202e任主室公办", department="党政\ufeff办公室")]
    ).tasks
    assert tasks.loc[0, ["leader", "owner", "department"]].tolist() == ["党总支书记", "任主室公办", "党政办公室"]


def test_look_alike_names_form_one_responsibility_group_shown_as_first_written():
    tasks = load_tasks(
        [
            task_row(id=1, leader="校长", department="ＩＴ中心", owner="网络管理员", **LATE),
            task_row(id=2, leader="校长", department="IT中心", owner="网络管理员", **LATE),
            task_row(id=3, leader="校长", department="It 中心", owner="网络管理员", **LATE),
        ]
    ).tasks
    groups = metrics.responsibility_groups(tasks, AS_OF)
    assert groups[["leader", "department", "owner", "overdue"]].values.tolist() == [
        ["校长", "ＩＴ中心", "网络管理员", 3]
    ]


def test_look_alike_categories_are_one_category_and_one_filter_option():
    tasks = load_tasks(
        [
            task_row(id=1, category="⼯作作风问题", **LATE),
            task_row(id=2, category="工作作风问题"),
            task_row(id=3, category="队伍建设问题"),
        ]
    ).tasks
    table = metrics.by_category(tasks, AS_OF)
    assert table[["name", "tasks", "overdue"]].values.tolist() == [["⼯作作风问题", 2, 1], ["队伍建设问题", 1, 0]]
    assert metrics.filter_options(tasks, "category") == ["⼯作作风问题", "队伍建设问题"]
    assert metrics.select(tasks, {"category": ["⼯作作风问题"]})["id"].tolist() == ["1", "2"]


def test_postponements_per_leader_join_look_alike_spellings():
    history = pd.DataFrame(
        {
            "version_id": [1, 1, 2, 2],
            "report_date": [date(2019, 5, 6)] * 2 + [date(2019, 5, 13)] * 2,
            "key": ["id:1", "id:2", "id:1", "id:2"],
            "id": ["1", "2", "1", "2"],
            "measure": ["甲", "乙", "甲", "乙"],
            "leader": ["ＩＴ主任", "IT主任", "ＩＴ主任", "IT主任"],
            "due": pd.to_datetime(["2019-05-10", "2019-05-10", "2019-05-20", "2019-05-25"]),
            "long_term": [False] * 4,
        }
    )
    _, per_leader = postponements(history)
    assert per_leader.values.tolist() == [["ＩＴ主任", 2, 2]]
