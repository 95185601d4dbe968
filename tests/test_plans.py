"""Plans in the store: each keeps its own versions, phases and numbering; the demo plan stands apart; a store
written by the previous release (schema 1) opens with all its versions under one plan."""

from __future__ import annotations

import itertools
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger.publishing import check_upload, publish
from ledger.sample import PHASES, import_history
from ledger.store import (
    DEMO_PLAN_NAME,
    SCHEMA_VERSION,
    UPGRADED_PLAN_NAME,
    Store,
    StoreError,
    meta_table,
    tasks_table,
)
from tests.postgres import fresh_database
from tests.sheets import task_row, week_five, workbook

pytestmark = pytest.mark.sqlite_only  # `store`: a fresh SQLite store (tests/conftest.py)

ROOT = Path(__file__).resolve().parent.parent
V1_FIXTURE = Path(__file__).parent / "fixtures" / "store_v1.db"  # written by the release before plans
AT = datetime(2019, 6, 3, 17, 0)
_databases = itertools.count()


def publish_into(store: Store, plan_id: int, name: str, data: bytes):
    files = [(name, data)]
    ledger = check_upload(store, files, date(2019, 6, 3), plan_id=plan_id)
    return publish(store, files, ledger, plan=plan_id, uploaded_by="办公室主任", uploaded_at=AT), ledger


def test_versions_trends_and_numbers_never_cross_plans(store):
    import_history(store, ROOT / "data")
    demo = store.plan_named(DEMO_PLAN_NAME)
    real = store.create_plan("意识形态整改（本单位）", created_at=AT)
    result, _ = publish_into(store, real.id, "第五周.xlsx", week_five())
    assert result.version.number == 1 and [v.number for v in store.versions(demo.id)] == [4, 3, 2, 1]
    assert [v.id for v in store.versions(real.id)] == [result.version.id]
    assert set(store.history(real.id)["version_id"]) == {result.version.id}
    assert store.last_published_id(demo.id) == 4 and store.last_published_id(real.id) == result.version.id


def test_the_demo_plan_is_marked_and_can_be_deleted_for_good(store):
    import_history(store, ROOT / "data")
    [summary] = store.plans()
    assert (summary.plan.name, summary.plan.demo, summary.versions) == (DEMO_PLAN_NAME, True, 4)
    store.delete_plan(summary.plan.id, at=AT, by="管理员")
    assert store.plans() == [] and store.counts()["ledger_versions"] == 0 and store.counts()["ledger_tasks"] == 0
    assert store.sample_imported()  # so a restart does not import it again


def test_plan_names_are_unique_and_can_be_edited(store):
    plan = store.create_plan("整改方案", created_at=AT)
    with pytest.raises(StoreError) as refused:
        store.create_plan(" 整改方案 ", created_at=AT)
    assert refused.value.code == "store.plan_exists"
    assert store.rename_plan(plan.id, "二〇一九年整改方案", at=AT, by="管理员").name == "二〇一九年整改方案"
    with pytest.raises(StoreError):
        store.rename_plan(plan.id, "   ", at=AT, by="管理员")


def test_a_ledger_without_phases_takes_its_plans_phases(store):
    plan = store.create_plan("整改方案", created_at=AT, phases=PHASES)
    only_tasks = workbook([task_row(phase="第二阶段")], phases=None)
    _, ledger = publish_into(store, plan.id, "tasks.xlsx", only_tasks)
    assert ledger.phases == PHASES and "ledger.phases_from_previous" in [w.code for w in ledger.warnings]
    assert ledger.tasks["phase"].tolist() == ["第二阶段：整改落实"]


def test_a_ledger_of_another_plan_is_warned_and_next_week_of_the_same_is_not(store):
    import_history(store, ROOT / "data")
    demo = store.plan_named(DEMO_PLAN_NAME)
    same = check_upload(store, [("第五周.xlsx", week_five())], date(2019, 6, 3), plan_id=demo.id)
    assert "ledger.different_plan" not in [w.code for w in same.warnings]
    other = workbook([task_row(id=i, measure=f"财务整改措施{i}", category="财务管理问题") for i in range(1, 6)])
    ledger = check_upload(store, [("财务.xlsx", other)], date(2019, 6, 3), plan_id=demo.id)
    [warning] = [w for w in ledger.warnings if w.code == "ledger.different_plan"]
    assert warning.value == DEMO_PLAN_NAME and dict(warning.params) == {"share": "0%"}


# --- the upgrade from schema 1 -------------------------------------------------------------------------------------


def test_a_store_of_the_previous_release_opens_with_its_versions_under_one_plan(tmp_path):
    path = tmp_path / "ledger.db"
    shutil.copy(V1_FIXTURE, path)
    store = Store(f"sqlite:///{path}")
    assert_upgraded(store)


def assert_upgraded(store: Store) -> None:
    [summary] = store.plans()
    assert (summary.plan.name, summary.plan.demo, summary.versions) == (UPGRADED_PLAN_NAME, False, 5)
    assert summary.latest_report_date == date(2019, 6, 3)
    versions = store.versions(summary.plan.id)
    assert [(v.number, v.report_date.day) for v in versions] == [(5, 3), (4, 27), (3, 20), (2, 13), (1, 6)]
    ledger = store.ledger(versions[0].id)
    assert len(ledger.tasks) == 17 and set(ledger.tasks["problem"]) == {""} and not ledger.tasks["immediate"].any()
    assert store.plan_phases(summary.plan.id)[0].name == "第一阶段：自查自纠"
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")).scalar() == str(
            SCHEMA_VERSION
        )
        assert conn.execute(sa.select(sa.func.count()).select_from(tasks_table)).scalar() == 85
    assert store.sample_imported()


@pytest.mark.postgres
def test_a_postgresql_store_of_the_previous_release_is_upgraded_too(postgres):
    url = fresh_database(postgres.admin_url, f"ledger_v1_{next(_databases)}")  # on the session's server
    copy_v1_fixture(url)
    assert_upgraded(Store(url))


def copy_v1_fixture(url: str) -> None:
    """The schema-1 tables as that release declared them, filled with the fixture's rows."""
    old = sa.MetaData()
    source = sa.create_engine(f"sqlite:///{V1_FIXTURE}")
    old.reflect(source)
    target = sa.create_engine(url)
    with source.connect() as read, target.begin() as write:
        for table in old.sorted_tables:
            columns = [
                sa.Column(c.name, _portable(c.type), primary_key=c.primary_key, nullable=c.nullable)
                for c in table.columns
            ]
            copy = sa.Table(table.name, sa.MetaData(), *columns)
            copy.create(write)
            rows = [dict(row) for row in read.execute(sa.select(table)).mappings()]
            if rows:
                write.execute(copy.insert(), rows)
    source.dispose()
    target.dispose()


def _portable(kind):
    name = type(kind).__name__.upper()
    return {
        "BLOB": sa.LargeBinary(),
        "BOOLEAN": sa.Boolean(),
        "DATE": sa.Date(),
        "DATETIME": sa.DateTime(),
        "FLOAT": sa.Float(),
        "INTEGER": sa.Integer(),
    }.get(name, sa.Text())
