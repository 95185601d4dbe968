"""All units together on an as-of day (ledger.rollup.all_units): the command line's brief, the overview page and
the brief made on the page show the same figures — each unit's newest ledger reported by that day."""

from datetime import date

from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from ledger import brief, meeting
from ledger.cli import _pack_context, build_parser, run
from ledger.i18n import translate
from tests.cards import figures
from tests.test_rollup import PLAN, store  # noqa: F401  (the fixture: four units, three reports on two days)

DAY = date(2019, 5, 27)  # 第二中学's only report is of 6-3: by this day two units had reported


def cli_context(url: str, *extra: str):
    args = build_parser().parse_args(
        ["brief", "--db", url, "--plan", PLAN, "--unit", "ALL", *extra, "--format", "pdf", "--out", "-"]
    )
    return _pack_context(args, DAY)[0]


def shown(cards: dict) -> dict:
    return {f["label"]: f["value"] for f in cards}


def test_the_cli_the_page_and_the_brief_show_the_same_all_units_figures_on_an_earlier_day(store, monkeypatch, tmp_path):  # noqa: F811
    plan = store.plan_named(PLAN)
    context = cli_context(store.url, "--as-of", DAY.isoformat())
    assert set(context.tasks["unit"]) == {"第一中学", "第三中学"} and len(context.tasks) == 2 * 17
    assert context.as_of == DAY and context.changes is not None  # since each unit's newest before that week
    from_cli = shown(brief.brief_data(context)["figures"])
    newest = shown(brief.brief_data(cli_context(store.url))["figures"])
    assert from_cli["整改措施"] == "34" and newest["整改措施"] == "51"  # the day chooses the ledgers

    out = tmp_path / "all.xlsx"
    argv = ["brief", "--db", store.url, "--plan", PLAN, "--unit", "ALL", "--as-of", DAY.isoformat()]
    assert run([*argv, "--format", "xlsx", "--out", str(out)]) == 0
    rows = list(load_workbook(out).worksheets[0].iter_rows(values_only=True))
    header = next(r for r in rows if translate("field.unit", "zh") in r)
    at = header.index(translate("field.unit", "zh"))
    assert {r[at] for r in rows[rows.index(header) + 1 :] if r[at]} == {"第一中学", "第三中学"}

    monkeypatch.setenv("LEDGER_DB_URL", store.url)
    app = AppTest.from_file("../dashboard.py", default_timeout=60)
    app.run()
    assert figures(app)["整改措施"] == newest["整改措施"]
    app.date_input(key=f"as_of_all{plan.id}_2019-06-03").set_value(DAY).run()
    assert not app.exception, app.exception
    on_page = figures(app)
    assert {label: on_page[label] for label in from_cli} == from_cli
    assert on_page["整改措施"] == "34"

    app.switch_page("pages/rollup.py").run()  # the units page takes the same ledgers
    assert not app.exception, app.exception
    reported = dict(zip(app.dataframe[0].value["单位"], app.dataframe[0].value["最近报送"], strict=True))
    assert reported["第二中学"] == translate("rollup.never", "zh") and reported["第一中学"] != reported["第二中学"]

    page_context = meeting.all_units_context(store, plan, as_of=DAY)  # what the page's meeting pack is made from
    assert shown(brief.brief_data(page_context)["figures"]) == from_cli
    assert len(page_context.requirements.carried) == len(context.requirements.carried)


def test_a_day_before_any_unit_reported_says_so(store, monkeypatch):  # noqa: F811
    plan = store.plan_named(PLAN)
    argv = ["brief", "--db", store.url, "--plan", PLAN, "--unit", "ALL", "--as-of", "2019-01-07"]
    assert run([*argv, "--format", "pdf", "--out", "/tmp/never.pdf"]) == 1
    monkeypatch.setenv("LEDGER_DB_URL", store.url)
    app = AppTest.from_file("../dashboard.py", default_timeout=60)
    app.run()
    app.date_input(key=f"as_of_all{plan.id}_2019-06-03").set_value(date(2019, 1, 7)).run()
    assert not app.exception, app.exception
    assert [i.value for i in app.info] == [translate("sidebar.all_units_none_by", "zh", day="2019-01-07")]
