"""The history store, run the same way against SQLite and a real PostgreSQL server."""

import functools
import itertools
from datetime import date, datetime

import pandas as pd
import pytest
import sqlalchemy as sa

from ledger.model import TASK_DTYPES
from ledger.publishing import check_upload, publish
from ledger.sample import history_files, scaled_workbook
from ledger.store import (
    SCHEMA_VERSION,
    Store,
    StoreError,
    meta_table,
    snapshot_bytes,
    snapshot_frame,
    snapshot_frames,
    snapshots_table,
    tasks_table,
    versions_table,
)
from tests.postgres import fresh_database
from tests.publish_worker import start
from tests.sheets import PHASE_HEADER, PHASE_ROWS, TASK_HEADER, task_row, xlsx

WEEKS = sorted(history_files().items())
AT = datetime(2019, 6, 1, 9, 30)
_databases = itertools.count()


PLAN = "意识形态工作责任制专项整治方案"


def plan_id(store: Store) -> int:
    return store.plan_for(PLAN, created_at=AT).id


def publish_file(store: Store, name: str, data: bytes, by: str = "办公室主任"):
    files = [(name, data)]
    plan = plan_id(store)
    return publish(
        store,
        files,
        check_upload(store, files, date(2019, 6, 1), plan_id=plan),
        plan=plan,
        uploaded_by=by,
        uploaded_at=AT,
    )


def test_a_published_version_reads_back_exactly(store):
    name, data = WEEKS[-1]
    files = [(name, data)]
    ledger = check_upload(store, files, date(2019, 6, 1), plan_id=plan_id(store))
    result = publish(store, files, ledger, plan=plan_id(store), uploaded_by="办公室主任", uploaded_at=AT, note="第四周")
    assert result.created and result.version.id == 1
    stored = store.ledger(1)
    pd.testing.assert_frame_equal(stored.tasks, ledger.tasks.reset_index(drop=True))
    assert stored.phases == ledger.phases and stored.warnings == ledger.warnings
    assert store.files(1) == files
    version = store.versions(plan_id(store))[0]
    assert (version.report_date, version.uploaded_by, version.note, version.file_names) == (
        date(2019, 5, 27),
        "办公室主任",
        "第四周",
        (name,),
    )


def test_versions_read_together_are_the_versions_read_one_by_one(store):
    for name, data in WEEKS[:2]:
        publish_file(store, name, data)
    together = store.ledgers([1, 2])
    for version_id in (1, 2):
        pd.testing.assert_frame_equal(together[version_id].tasks, store.ledger(version_id).tasks)
        assert dict(together[version_id].tasks.dtypes) == TASK_DTYPES


def test_a_version_is_read_from_its_snapshot_exactly_as_from_its_rows(store):
    """Schema 5: the task table written when a version is published (an Arrow snapshot) is the one its rows give,
    types included; a version without one (published before schema 5) is read from its rows, alone or with others."""
    for name, data in WEEKS[:2]:
        publish_file(store, name, data)
    from_snapshots = {version_id: store.ledger(version_id).tasks for version_id in (1, 2)}
    with store.engine.begin() as conn:
        assert conn.execute(sa.select(snapshots_table.c.version_id)).scalars().all() == [1, 2]
        conn.execute(snapshots_table.delete().where(snapshots_table.c.version_id == 1))
    from_rows = store.ledger(1).tasks
    pd.testing.assert_frame_equal(from_snapshots[1], from_rows, check_exact=True)
    pd.testing.assert_frame_equal(from_snapshots[2], store.tasks_from_rows(2), check_exact=True)
    assert dict(from_snapshots[1].dtypes) == dict(from_rows.dtypes) == TASK_DTYPES
    assert from_rows["long_term"].any() and from_rows["due"].isna().any() and len(from_rows) == 17
    together = store.ledgers([1, 2])  # the first from its rows, the second from its snapshot
    pd.testing.assert_frame_equal(together[1].tasks, from_rows, check_exact=True)
    pd.testing.assert_frame_equal(together[2].tasks, from_snapshots[2], check_exact=True)
    changed = together[2].tasks  # a reader may change its copy (Arrow's buffers are read-only) without a trace
    changed.loc[0, ["owner", "progress", "long_term"]] = ["改过", 99.0, True]
    changed["due"] = changed["due"].fillna(pd.Timestamp("2019-06-30"))
    pd.testing.assert_frame_equal(store.ledger(2).tasks, from_snapshots[2], check_exact=True)


def test_snapshots_read_together_are_the_snapshots_read_one_by_one_whatever_their_sizes(store):
    publish_file(store, *WEEKS[-1])
    tasks = store.ledger(1).tasks
    parts = [tasks.head(0), tasks.iloc[:5], tasks.iloc[5:6], tasks.iloc[6:]]
    blobs = [snapshot_bytes(part.reset_index(drop=True)) for part in parts]
    for together, part, blob in zip(snapshot_frames(blobs), parts, blobs, strict=True):
        pd.testing.assert_frame_equal(together, snapshot_frame(blob), check_exact=True)
        pd.testing.assert_frame_equal(together, part.reset_index(drop=True), check_exact=True)
    assert snapshot_frames([]) == []


def test_a_schema_4_store_gets_every_versions_snapshot_when_opened(store, url):
    for name, data in WEEKS[:2]:
        publish_file(store, name, data)
    expected = {version_id: store.ledger(version_id).tasks for version_id in (1, 2)}
    with store.engine.begin() as conn:  # as a store published before schema 5 is
        conn.execute(snapshots_table.delete())
        conn.execute(meta_table.update().where(meta_table.c.key == "schema_version").values(value="4"))
    store.dispose()
    upgraded = Store(url)
    with upgraded.engine.connect() as conn:
        assert conn.execute(sa.select(snapshots_table.c.version_id)).scalars().all() == [1, 2]
        assert conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")).scalar() == str(
            SCHEMA_VERSION
        )
    for version_id, tasks in expected.items():
        pd.testing.assert_frame_equal(upgraded.ledger(version_id).tasks, tasks, check_exact=True)
    upgraded.dispose()


def test_versions_are_numbered_in_order_newest_first(store):
    for name, data in WEEKS:
        publish_file(store, name, data)
    assert [(v.id, v.report_date.day) for v in store.versions(plan_id(store))] == [(4, 27), (3, 20), (2, 13), (1, 6)]
    history = store.history(plan_id(store))
    assert history.groupby("version_id").size().tolist() == [17, 17, 17, 17]


def test_the_same_file_published_twice_is_stored_once(store):
    name, data = WEEKS[0]
    first = publish_file(store, name, data)
    again = publish_file(store, "renamed copy.xlsx", data)
    assert first.created and not again.created and again.version.id == first.version.id
    assert store.counts()["ledger_versions"] == 1


def test_a_rejected_upload_changes_nothing(store):
    publish_file(store, *WEEKS[0])
    before = store.counts()
    bad = xlsx({"整改台账": [TASK_HEADER, task_row(status="差不多")], "阶段": [PHASE_HEADER, *PHASE_ROWS]})
    assert publish_file(store, "bad.xlsx", bad) is None
    assert store.counts() == before


def test_a_ledger_without_phases_keeps_the_previous_versions_phases(store):
    publish_file(store, *WEEKS[0])
    only_tasks = xlsx({"整改台账": [["填报日期：2019年6月3日"], TASK_HEADER, task_row(phase="第二阶段")]})
    ledger = check_upload(store, [("tasks.xlsx", only_tasks)], date(2019, 6, 3), plan_id=plan_id(store))
    assert [p.name for p in ledger.phases] == [p.name for p in store.phases(1)]
    assert "ledger.phases_from_previous" in [w.code for w in ledger.warnings]
    assert ledger.tasks["phase"].tolist() == ["第二阶段：整改落实"]


def test_the_schema_version_is_recorded_and_a_newer_schema_is_refused(store, url):
    with store.engine.begin() as conn:
        assert conn.execute(sa.select(meta_table.c.value)).scalar() == str(SCHEMA_VERSION)
        conn.execute(meta_table.update().values(value=str(SCHEMA_VERSION + 1)))
    with pytest.raises(StoreError):
        Store(url)


def consistent(store: Store) -> bool:
    """Every version has all its tasks and its files; no task or file belongs to no version."""
    with store.engine.connect() as conn:
        counted = dict(
            conn.execute(sa.select(tasks_table.c.version_id, sa.func.count()).group_by(tasks_table.c.version_id)).all()
        )
        declared = dict(conn.execute(sa.select(versions_table.c.id, versions_table.c.task_count)).all())
    ids = {v.id for v in store.versions(plan_id(store))}
    return (
        all(counted.get(i, 0) == n for i, n in declared.items())
        and set(counted) <= ids
        and all(store.files(i) for i in ids)
    )


@functools.cache
def workbook(seed: int) -> bytes:
    """A ledger of 300 measures, written once per test process (the backup tests publish the same ones)."""
    return scaled_workbook(300, seed=seed)


def test_two_processes_publishing_at_the_same_moment_both_land(store, url, tmp_path):
    publish_file(store, *WEEKS[0])
    paths = []
    for i in range(4):
        path = tmp_path / f"week{i}.xlsx"
        path.write_bytes(workbook(i))
        paths.append(path)
    workers = [start(url, f"editor{i}", path, wait=True) for i, path in enumerate(paths)]
    for process in workers:
        assert process.readline() == "READY"
    for process in workers:
        process.go()
    outputs = [process.finish(timeout=120) for process in workers]
    assert all(process.returncode == 0 for process in workers), outputs
    published = sorted(int(line.split()[1]) for out in outputs for line in out.splitlines())
    assert published == [2, 3, 4, 5]
    assert sorted(v.uploaded_by for v in store.versions(plan_id(store))[:4]) == [
        "editor0",
        "editor1",
        "editor2",
        "editor3",
    ]
    assert consistent(store)


def test_a_publisher_killed_at_any_moment_leaves_the_store_intact(store, url, tmp_path):
    """A publisher killed (SIGKILL) while it reads its file, as it writes a version's measures, and with every row
    of a version written but not committed: the versions before it stay as they were, and every version stored is
    whole — the one it published before it was killed included."""
    for name, data in WEEKS:
        publish_file(store, name, data)
    before = {v.id: (v.content_sha256, v.task_count) for v in store.versions(plan_id(store))}
    paths = []
    for i in range(3):
        path = tmp_path / f"week{10 + i}.xlsx"
        path.write_bytes(workbook(10 + i))
        paths.append(path)
    # Three moments named in advance, rather than six random ones: each is reached on every run, and none is spent
    # on a process still starting up (where a random moment often fell).
    for stage, files in (("reading", paths[:1]), ("writing", paths[:2]), ("committing", paths[1:])):
        process = start(url, f"killed_{stage}", *files, pause_at=stage)
        said = [process.readline() for _ in files]  # "PUBLISHED <id>" for each file before the last
        assert [line.split()[0] for line in said] == ["PUBLISHED"] * (len(files) - 1) + [stage.upper()], said
        process.kill()
        fresh = Store(url)
        assert {
            v.id: (v.content_sha256, v.task_count) for v in fresh.versions(plan_id(fresh)) if v.id in before
        } == before
        assert consistent(fresh)
        fresh.dispose()


def test_a_week_published_late_takes_its_place_in_time(store):
    for name, data in (WEEKS[0], WEEKS[3], WEEKS[1]):
        publish_file(store, name, data)
    assert [(v.id, v.report_date.day) for v in store.versions(plan_id(store))] == [(2, 27), (3, 13), (1, 6)]
    assert store.newest_report_id(plan_id(store)) == 2 and store.last_published_id(plan_id(store)) == 3
    assert store.history(plan_id(store))["report_date"].drop_duplicates().tolist() == [
        date(2019, 5, d) for d in (6, 13, 27)
    ]


def test_text_with_nul_characters_and_a_long_uploader_name_publish_on_every_backend(store):
    data = xlsx(
        {
            "整改台账": [["填报日期：2019年5月27日"], TASK_HEADER, task_row(measure="成立_x0000_领导小组")],
            "阶段": [PHASE_HEADER, *PHASE_ROWS],
        }
    )
    files = [("nul.xlsx", data)]
    result = publish(
        store,
        files,
        check_upload(store, files, date(2019, 6, 1)),
        plan=plan_id(store),
        uploaded_by="办公室" * 100 + "\x00",
        uploaded_at=AT,
        note="第\x00五周",
    )
    assert result.created
    assert store.ledger(result.version.id).tasks["measure"].tolist() == ["成立领导小组"]
    assert len(result.version.uploaded_by) == 200 and result.version.note == "第五周"


@pytest.mark.postgres
def test_six_processes_opening_a_fresh_postgresql_database_at_once_all_publish(postgres, tmp_path):
    url = fresh_database(postgres.admin_url, f"ledger_race_{next(_databases)}")
    paths = []
    for i in range(6):
        path = tmp_path / f"unit{i}.xlsx"
        path.write_bytes(scaled_workbook(50, seed=100 + i))
        paths.append(path)
    workers = [start(url, f"editor{i}", path, wait="open") for i, path in enumerate(paths)]
    for process in workers:
        assert process.readline() == "READY"
    for process in workers:  # all six create the tables at the same moment
        process.go()
    outputs = [process.finish(timeout=120) for process in workers]
    assert [process.returncode for process in workers] == [0] * 6, outputs
    store = Store(url)
    assert sorted(v.uploaded_by for v in store.versions(plan_id(store))) == [f"editor{i}" for i in range(6)]
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(meta_table.c.value)).scalars().all() == [str(SCHEMA_VERSION)]
    store.dispose()
