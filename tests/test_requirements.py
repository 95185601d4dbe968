"""Meeting requirements (README "Meeting requirements"): recorded with the plan, never in the ledger; met, pending
and missed across the versions that follow; the `decisions` command."""

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from ledger import meeting
from ledger.cli import run
from ledger.publishing import check_upload, publish
from ledger.requirements import RequirementError
from ledger.sample import DEMO_PLAN_NAME, PHASES, TITLE, import_history, week_tasks
from ledger.store import Store
from ledger.writing import LedgerSheet, ledger_workbook
from tests.sheets import week_five

ROOT = Path(__file__).resolve().parent.parent
MEETING = date(2019, 5, 28)
AT = datetime(2019, 5, 28, 10, 0)


def week_six() -> bytes:
    """Week five, then measures 3 and 7 done on 6-3 (measure 15 still open): report date 2019-06-10."""
    rows = week_tasks(date(2019, 5, 27))
    for row in rows:
        if row["id"] in (2, 4):
            row.update(status="已完成", progress=100, completed_on=date(2019, 6, 1), evidence="党总支会议纪要")
        if row["id"] in (3, 7):
            row.update(status="已完成", progress=100, completed_on=date(2019, 6, 3), evidence="培训签到表")
    return ledger_workbook(LedgerSheet(rows, PHASES, date(2019, 6, 10), TITLE))


pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def store(store):
    """The shared fresh store, with the four sample weeks imported (the demo plan)."""
    import_history(store, ROOT / "data")
    return store


def plan(store):
    return store.plan_named(DEMO_PLAN_NAME)


def newest(store):
    return store.version(store.newest_report_id(plan(store).id))


def add(store, version, scope="measure", target="2", text="本周内完成", by="党总支书记", due=None, day=MEETING):
    return meeting.record(
        store,
        version,
        scope=scope,
        target=target,
        text=text,
        given_by=by,
        meeting_date=day,
        due=due,
        recorded_by="办公室主任",
        recorded_at=AT,
    )


def publish_week(store, name, data):
    files = [(name, data)]
    ledger = check_upload(store, files, date(2019, 6, 10), plan_id=plan(store).id)
    return publish(
        store, files, ledger, plan=plan(store).id, uploaded_by="办公室主任", uploaded_at=datetime(2019, 6, 10, 17, 0)
    ).version


def states(shown):
    return {s.requirement.text: (s.state, s.done, s.concerned) for s in shown.carried}


def test_a_requirement_is_stored_with_the_plan_and_the_ledger_is_untouched(store):
    version = newest(store)
    before = store.counts()
    recorded = add(store, version, due=date(2019, 5, 31))
    after = store.counts()
    assert after.get("ledger_tasks") == before.get("ledger_tasks")
    assert after.get("ledger_versions") == before.get("ledger_versions")
    assert recorded.keys == ("id:2",) and recorded.measure.startswith("把意识形态工作纳入党总支年度工作要点")
    assert recorded.required_by == date(2019, 5, 31)
    assert store.requirements(plan(store).id) == [recorded]
    shown = meeting.version_requirements(store, version)
    assert shown.current == [recorded] and shown.carried == []


def test_the_required_date_is_the_new_deadline_else_the_meeting_date_plus_seven_days(store):
    assert add(store, newest(store)).required_by == date(2019, 6, 4)


def test_requirements_go_met_pending_and_missed_across_versions(store):
    version = newest(store)  # 2019-05-27: measures 2, 4, 11, 15 overdue
    add(store, version, target="2", text="尽快完成年度工作要点")  # required 6-4; done 6-1 in week five
    add(store, version, target="15", text="5月31日前建立舆情研判制度", due=date(2019, 5, 31))  # never done
    add(store, version, target="11", text="6月10日前完成阵地建设", due=date(2019, 6, 10))
    add(store, version, scope="leader", target="党总支副书记", text="副书记分管工作一周内补齐")  # 3, 4, 7
    five = publish_week(store, "台账_0603.xlsx", week_five())
    assert states(meeting.version_requirements(store, five)) == {
        "尽快完成年度工作要点": ("met", 1, 1),
        "5月31日前建立舆情研判制度": ("missed", 0, 1),
        "6月10日前完成阵地建设": ("pending", 0, 1),
        "副书记分管工作一周内补齐": ("pending", 1, 3),
    }
    six = publish_week(store, "台账_0610.xlsx", week_six())
    # met last week: settled and no longer carried; the leader's three measures are now all done by 6-3
    assert states(meeting.version_requirements(store, six)) == {
        "5月31日前建立舆情研判制度": ("missed", 0, 1),
        "6月10日前完成阵地建设": ("pending", 0, 1),
        "副书记分管工作一周内补齐": ("met", 3, 3),
    }
    # an earlier version still shows its own meeting's requirements, not later ones
    assert meeting.version_requirements(store, version).carried == []


def test_done_without_a_completion_date_counts_from_the_first_version_that_shows_it_done(store):
    version = newest(store)
    add(store, version, target="15", text="6月3日前完成", due=date(2019, 6, 3))
    five = publish_week(
        store, "台账_0603.xlsx", week_five({15: {"status": "已完成", "progress": 100, "evidence": "制度文件"}})
    )
    assert states(meeting.version_requirements(store, five)) == {"6月3日前完成": ("met", 1, 1)}
    # shown as met in week five, it is settled: week six no longer carries it
    assert meeting.version_requirements(store, publish_week(store, "台账_0610.xlsx", week_six())).carried == []


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"target": "99"}, "requirement.no_measure"),
        ({"scope": "leader", "target": "不存在的领导"}, "requirement.no_leader"),
        ({"text": "  "}, "requirement.no_text"),
        ({"by": ""}, "requirement.no_by"),
        ({"text": "要" * 2001}, "requirement.too_long"),
        ({"due": date(2019, 5, 1)}, "requirement.due_before_meeting"),
    ],
)
def test_a_requirement_that_cannot_be_checked_is_refused_and_nothing_is_stored(store, kwargs, code):
    with pytest.raises(RequirementError) as refused:
        add(store, newest(store), **kwargs)
    assert refused.value.code == code
    assert store.requirements(plan(store).id) == []


def test_a_withdrawn_requirement_is_kept_but_not_shown(store):
    recorded = add(store, newest(store))
    store.withdraw_requirement(recorded.id, by="办公室主任", at=AT)
    assert store.requirements(plan(store).id) == []
    assert store.counts().get("ledger_requirements", 1) == 1


def test_deleting_a_plan_deletes_its_requirements(store):
    add(store, newest(store))
    store.delete_plan(plan(store).id, at=datetime.now(), by="管理员")
    assert store.counts().get("ledger_requirements", 0) == 0


def test_decisions_cli_adds_and_lists_with_states(store, capsys):
    url = store.url
    assert (
        run(
            [
                "decisions",
                "add",
                "--db",
                url,
                "--plan",
                DEMO_PLAN_NAME,
                "--measure",
                "15",
                "--text",
                '=HYPERLINK("http://x","y") 本周完成',
                "--by",
                "校长",
                "--due",
                "2019-05-31",
                "--date",
                "2019-05-28",
                "--json",
            ]
        )
        == 0
    )
    added = json.loads(capsys.readouterr().out)
    assert (added["measure"], added["by"], added["date"], added["due"], added["state"]) == (
        "15",
        "校长",
        "2019-05-28",
        "2019-05-31",
        "pending",
    )
    assert (
        run(
            [
                "decisions",
                "add",
                "--db",
                url,
                "--plan",
                DEMO_PLAN_NAME,
                "--leader",
                "党总支副书记",
                "--text",
                "一周内补齐",
                "--by",
                "党总支书记",
                "--date",
                "2019-05-28",
            ]
        )
        == 0
    )
    capsys.readouterr()
    publish_week(store, "台账_0603.xlsx", week_five())
    assert run(["decisions", "--db", url, "--plan", DEMO_PLAN_NAME, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [{k: r[k] for k in ("id", "measure", "text", "by", "date", "due", "state")} for r in listed] == [
        {
            "id": added["id"],
            "measure": "15",
            "text": '=HYPERLINK("http://x","y") 本周完成',
            "by": "校长",
            "date": "2019-05-28",
            "due": "2019-05-31",
            "state": "missed",
        },
        {
            "id": added["id"] + 1,
            "measure": None,
            "text": "一周内补齐",
            "by": "党总支书记",
            "date": "2019-05-28",
            "due": None,
            "state": "pending",
        },
    ]
    assert run(["decisions", "--db", url, "--plan", DEMO_PLAN_NAME]) == 0
    text = capsys.readouterr().out
    assert "未落实" in text and "党总支副书记" in text


def test_decisions_cli_refuses_an_unknown_measure_with_exit_1(store, capsys):
    assert (
        run(
            [
                "decisions",
                "add",
                "--db",
                store.url,
                "--plan",
                DEMO_PLAN_NAME,
                "--measure",
                "99",
                "--text",
                "x",
                "--by",
                "校长",
            ]
        )
        == 1
    )
    assert "99" in capsys.readouterr().err
    assert store.requirements(plan(store).id) == []


def test_a_schema_2_store_gains_the_requirements_table_and_keeps_its_versions(tmp_path):
    import sqlalchemy as sa

    from ledger.store import SCHEMA_VERSION, meta_table

    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = Store(url)
    import_history(old, ROOT / "data")
    versions = old.counts()["ledger_versions"]
    with old.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE ledger_requirements"))
        conn.execute(meta_table.update().where(meta_table.c.key == "schema_version").values(value="2"))
    old.dispose()
    upgraded = Store(url)
    assert upgraded.counts()["ledger_versions"] == versions
    assert add(upgraded, newest(upgraded)).id == 1
    with upgraded.engine.connect() as conn:
        assert conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")).scalar() == str(
            SCHEMA_VERSION
        )
    upgraded.dispose()
