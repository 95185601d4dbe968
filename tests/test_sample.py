"""The bundled data: the sample ledger and its weekly history built from the seed plan, and the blank template."""

from datetime import date
from pathlib import Path

from ledger.sample import HISTORY_DIR, SAMPLE_FILE, TEMPLATE_FILE, WEEKS, history_files, week_workbook
from ledger.writing import template_workbook
from tests.sheets import load

DATA = Path(__file__).resolve().parent.parent / "data"


def test_committed_sample_files_are_what_the_generator_writes():
    assert (DATA / SAMPLE_FILE).read_bytes() == week_workbook(WEEKS[-1])
    for name, data in history_files().items():
        assert (DATA / name).read_bytes() == data, name


def test_sample_holds_the_seed_plan_17_measures_in_5_categories_and_4_dated_phases(sample_ledger):
    assert len(sample_ledger.tasks) == 17
    assert sample_ledger.tasks["category"].nunique() == 5
    assert [(p.start, p.end) for p in sample_ledger.phases] == [
        (date(2019, 4, 25), date(2019, 5, 10)),
        (date(2019, 5, 11), date(2019, 5, 31)),
        (date(2019, 6, 1), date(2019, 6, 10)),
        (date(2019, 6, 11), date(2019, 6, 30)),
    ]
    assert sample_ledger.report_date == date(2019, 5, 27) and sample_ledger.report_date_found
    assert sample_ledger.errors == []


def test_every_sample_measure_names_a_role_not_a_person(sample_ledger):
    roles = set(sample_ledger.tasks["leader"]) | set(sample_ledger.tasks["owner"])
    assert all(role.endswith(("书记", "校长", "主任", "委员", "干事", "处长", "员")) for role in roles)


def test_weekly_history_moves_forward_with_a_postponement_and_a_regression():
    weeks = [load((name, (DATA / name).read_bytes())) for name in sorted(history_files())]
    assert [w.report_date for w in weeks] == list(WEEKS)
    done = [int((w.tasks["status"] == "done").sum()) for w in weeks]
    assert done == sorted(done) and done[0] < done[-1]
    due_of_2 = [w.tasks.set_index("id").loc["2", "due"].date() for w in weeks]
    assert due_of_2 == [date(2019, 5, 15), date(2019, 5, 15), date(2019, 5, 20), date(2019, 5, 20)]
    progress_of_15 = [w.tasks.set_index("id").loc["15", "progress"] for w in weeks]
    assert progress_of_15[-2] > progress_of_15[-1]


def test_template_has_the_headers_the_phases_and_an_explanation_sheet():
    data = (DATA / TEMPLATE_FILE).read_bytes()
    assert data == template_workbook(load((TEMPLATE_FILE, data)).phases)
    template = load((TEMPLATE_FILE, data))
    assert template.tasks.empty and len(template.phases) == 4
    assert [issue.code for issue in template.errors] == ["ledger.no_tasks"]


def test_history_folder_name_is_stable():
    assert all(name.startswith(HISTORY_DIR + "/") for name in history_files())
