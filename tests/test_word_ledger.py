"""A ledger kept as a Word table (.docx): the table whose header matches is the tasks table, merged cells fill
down, 整改步骤 paragraphs give the phases, a paragraph gives the report date; rows are numbered as the table's."""

from __future__ import annotations

from datetime import date

from ledger.report import issue_message
from tests.sheets import TASK_HEADER, docx, load, task_row

PHASE_LINES = [
    "三、整改步骤",
    "第一阶段：自查自纠（4月25日至5月10日）。制定整改方案。",
    "第二阶段：整改落实（5月11日至5月31日）。逐条整改。",
]


def word_ledger(rows, *, merges=(), after=()) -> bytes:
    return docx(
        "党总支意识形态专项整治整改台账",
        "填报日期：2019年5月27日",
        [TASK_HEADER, *rows],
        *after,
        *PHASE_LINES,
        merges=merges,
    )


def test_a_word_table_is_read_like_a_sheet_with_its_report_date_and_phases():
    rows = [
        task_row(id=1, category="思想重视不够的问题"),
        task_row(
            id=2,
            category="",
            measure="召开专题会议",
            status="已完成",
            evidence="会议纪要",
            completed_on=date(2019, 5, 20),
        ),
    ]
    ledger = load(("台账.docx", word_ledger(rows, merges=[(0, 1, 1, 2)])))
    assert ledger.ok, ledger.errors
    assert ledger.report_date == date(2019, 5, 27) and ledger.report_date_found
    assert ledger.tasks["measure"].tolist() == ["成立领导小组", "召开专题会议"]
    assert ledger.tasks["category"].tolist() == ["思想重视不够的问题"] * 2  # the merged cell fills down
    assert ledger.tasks["sheet"].tolist() == ["表格1"] * 2 and ledger.tasks["row"].tolist() == [2, 3]
    assert [(p.name, p.start, p.end) for p in ledger.phases] == [
        ("第一阶段：自查自纠", date(2019, 4, 25), date(2019, 5, 10)),
        ("第二阶段：整改落实", date(2019, 5, 11), date(2019, 5, 31)),
    ]
    assert ledger.title == "党总支意识形态专项整治整改台账"


def test_problems_in_a_word_table_name_the_table_and_its_row():
    ledger = load(("台账.docx", word_ledger([task_row(id=1), task_row(id=2, status="差不多了")])))
    [error] = ledger.errors
    assert (error.code, error.sheet, error.row, error.column) == ("task.bad_status", "表格1", 3, "完成情况")
    assert issue_message(error, "en").startswith("Unknown status “差不多了”")


def test_a_phases_table_wins_over_phases_paragraphs():
    phases = [
        ["阶段", "开始日期", "结束日期"],
        ["自查自纠", "2019-04-25", "2019-05-10"],
        ["整改落实", "2019-05-11", "2019-05-31"],
    ]
    data = docx("填报日期：2019年5月27日", [TASK_HEADER, task_row(phase="整改落实")], phases, *PHASE_LINES)
    ledger = load(("台账.docx", data))
    assert [p.name for p in ledger.phases] == ["自查自纠", "整改落实"] and ledger.ok
