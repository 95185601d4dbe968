"""Backup and restore (README "Backup, restore and archive"): a round trip on each pair of engines gives the same
figures, history, roll-up, requirement states, original bytes, evidence, accounts and audit trail; a damaged file,
a wrong manifest and a store that holds anything are refused and change nothing."""

from __future__ import annotations

import io
import itertools
import json
import shutil
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from ledger import accounts, backup, meeting
from ledger.closure import APPROVE, decide, measure_named
from ledger.evidence import add_bytes, content, files
from ledger.publishing import check_upload, publish
from ledger.report import summary
from ledger.rollup import rollup
from ledger.sample import history_files
from ledger.store import Store
from tests.sheets import week_five

AT = datetime(2019, 6, 3, 17)
PLAN, UNITS_PLAN = "全市教育系统意识形态整改方案", "各校整改方案"
_names = itertools.count()


def store_url(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    from tests.postgres import fresh_database

    if kind == "sqlite":
        return f"sqlite:///{tmp_path / f'ledger_{next(_names)}.db'}"
    return fresh_database(request.getfixturevalue("postgres").admin_url, f"backup_{next(_names)}")


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def fill(store: Store) -> None:
    """Two plans (one reported by three units and one not), four weeks, a withdrawn version, a requirement,
    accounts, evidence and a closure decision: each writes its audit rows."""
    accounts.add_user(store, "管理员", "admin", "correct horse battery", at=AT, by="cli")
    plain = store.create_plan(PLAN, created_at=AT).id
    for name, data in sorted(history_files().items()):
        day = date.fromisoformat(name[-15:-5])
        upload = [(name.split("/")[-1], data)]
        publish(store, upload, check_upload(store, upload, day, plan_id=plain), plan=plain, uploaded_by="办公室主任",
                uploaded_at=datetime(day.year, day.month, day.day, 17))  # fmt: skip
    versions = store.versions(plain)
    store.withdraw(versions[1].id, by="办公室主任", reason="传错了", at=AT)
    meeting.record(store, versions[-1], scope="measure", target="1", text="六月底前完成", given_by="党总支书记",
                   meeting_date=date(2019, 5, 27), due=date(2019, 6, 30), recorded_by="办公室主任",
                   recorded_at=AT)  # fmt: skip
    units = store.create_plan(UNITS_PLAN, created_at=AT).id
    weeks = list(history_files().values())
    for name, data in (("第一中学", weeks[3]), ("第二中学", week_five()), ("第三中学", weeks[2])):
        unit = accounts.add_unit(store, name, at=AT, by="admin", plan_id=units).id
        upload = [(f"{name}.xlsx", data)]
        publish(store, upload, check_upload(store, upload, date(2019, 6, 3), plan_id=units), plan=units,
                uploaded_by="办公室主任", uploaded_at=AT, unit_id=unit)  # fmt: skip
        if name == "第二中学":
            accounts.add_user(store, "二中编辑", "editor", "correct horse battery", at=AT, by="管理员", units=[unit])
            done = store.ledger(store.unit_versions(units)[unit].id).tasks.query("status == 'done'")["id"].iloc[0]
            measure = measure_named(store, units, unit, done)
            assert not add_bytes(store, measure, [("现场照片.png", photo())], by="二中编辑", at=AT).refused
            decide(store, measure, APPROVE, by="管理员", at=AT)


@pytest.fixture(scope="session")
def _filled(tmp_path_factory) -> Path:
    """A SQLite store filled in (`fill`), closed: each test that needs one starts from a copy of its file, made in
    milliseconds where filling one takes over a CPU-second."""
    path = tmp_path_factory.mktemp("filled") / "ledger.db"
    store = Store(f"sqlite:///{path}")
    fill(store)
    store.dispose()  # the last connection closed: SQLite folds its write-ahead log into the file
    assert [found.name for found in path.parent.iterdir()] == [path.name]
    return path


def filled(template: Path, path: Path) -> Store:
    """The filled store, as a copy of its own at `path`."""
    shutil.copyfile(template, path)
    return Store(f"sqlite:///{path}")


def picture(store: Store) -> dict:
    """Everything a person sees of the store, as plain values."""
    seen: dict = {"plans": []}
    for found in store.plans():
        plan = found.plan
        versions = store.versions(plan.id, withdrawn=True)
        seen["plans"].append(
            {
                "name": plan.name,
                "versions": [
                    (v.id, v.number, v.report_date, v.unit_id, v.withdrawn_at, v.file_names) for v in versions
                ],
                "figures": {v.id: summary(store.ledger(v.id)) for v in versions},
                "originals": {v.id: store.files(v.id) for v in versions},
                "rollup": [r.record() for r in rollup(store, plan.id)],
                "requirements": [s.__dict__ for s in meeting.latest_states(store, plan.id)],
                "evidence": [(e.name, e.sha256, content(store, e.id)) for e in files(store, plan.id)],
            }
        )
    seen["users"] = [(u.name, u.role, u.units) for u in accounts.users(store)]
    with store.engine.connect() as conn:
        seen["hashes"] = conn.execute(sa.text("SELECT name, password_hash FROM ledger_users ORDER BY id")).all()
    seen["audit"] = [r for r in backup.audit_rows(store) if not r["action"].startswith("backup")]
    return seen


@pytest.mark.postgres
@pytest.mark.parametrize(("source", "target"), [("sqlite", "sqlite"), ("sqlite", "postgres"), ("postgres", "sqlite")])
def test_a_backup_restores_every_figure_and_byte_on_any_engine(source, target, tmp_path, request):
    if source == "sqlite":
        original = filled(request.getfixturevalue("_filled"), tmp_path / "source.db")
    else:
        original = Store(store_url(source, tmp_path, request))
        fill(original)
    before = picture(original)
    out = tmp_path / "ledger.backup.zip"
    manifest = backup.make(original, out, datetime(2019, 6, 4, 2), by="cron")
    versions = sum(len(p["versions"]) for p in before["plans"])
    assert versions >= 6 and manifest.rows["ledger_versions"] == versions and manifest.rows["ledger_evidence"] == 1
    assert manifest.rows["ledger_users"] == 2 and manifest.rows["ledger_requirements"] == 1
    originals = [e for e in manifest.entries if e.startswith("blobs/ledger_files/")]
    assert len(originals) == versions  # every original file, each with its sha256
    with original.engine.connect() as conn:
        stored = dict(conn.execute(sa.text("SELECT version_id || '_' || position, sha256 FROM ledger_files")).all())
    assert {name.split("/")[-1].removesuffix(".content"): entry["sha256"] for name, entry in manifest.entries.items()
            if name in originals} == stored  # fmt: skip
    restored = Store(store_url(target, tmp_path, request))
    backup.restore(out, restored, by="admin", at=datetime(2019, 6, 5))
    assert picture(restored) == before
    trail = backup.audit_rows(restored)
    assert trail[-1]["action"] == "backup_restored"  # "backup_made" came after the moment the backup holds
    assert [r["action"] for r in trail].count("backup_made") == 0
    # the restored store goes on: its next ids follow the restored ones on PostgreSQL too
    plan = restored.plan_named(PLAN).id
    upload = [("第五周.xlsx", week_five()[:-2] + b"\x09\x00restored.")]  # other bytes (a zip comment), same cells
    done = publish(restored, upload, check_upload(restored, upload, date(2019, 6, 3), plan_id=plan), plan=plan,
                   uploaded_by="办公室主任", uploaded_at=datetime(2019, 6, 5, 9))  # fmt: skip
    assert done.created and done.version.id == max(v[0] for p in before["plans"] for v in p["versions"]) + 1
    original.dispose()
    restored.dispose()


@pytest.fixture
def made(_filled, tmp_path):
    store = filled(_filled, tmp_path / "source.db")
    out = tmp_path / "ledger.backup.zip"
    backup.make(store, out, datetime(2019, 6, 4, 2))
    yield store, out
    store.dispose()


def empty(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / f'empty_{next(_names)}.db'}")


def rewritten(out: Path, target: Path, change) -> Path:
    """A copy of the backup with `change(name, data) -> data` applied to each entry."""
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(target, "w") as copy:
        for name in source.namelist():
            copy.writestr(name, change(name, source.read(name)))
    return target


def test_a_store_that_holds_anything_is_refused_and_keeps_what_it_holds(made, tmp_path):
    _, out = made
    target = empty(tmp_path)
    target.create_plan("已有的方案", created_at=AT)
    with pytest.raises(backup.BackupError) as refused:
        backup.restore(out, target, by="admin", at=AT)
    assert refused.value.code == "backup.not_empty"
    assert [p.plan.name for p in target.plans()] == ["已有的方案"]


@pytest.mark.parametrize(
    ("damage", "code"),
    [
        ("truncated", "backup.damaged"),
        ("changed byte", "backup.checksum"),
        ("manifest rows", "backup.rows"),
        ("manifest schema", "backup.schema"),
        ("no manifest", "backup.no_manifest"),
        ("not a zip", "backup.damaged"),
    ],
)
def test_a_damaged_file_or_a_wrong_manifest_is_refused_before_anything_is_written(made, tmp_path, damage, code):
    _, out = made
    bad = tmp_path / "bad.zip"
    if damage == "truncated":
        bad.write_bytes(out.read_bytes()[: out.stat().st_size // 2])
    elif damage == "not a zip":
        bad.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    elif damage == "changed byte":

        def flip(name: str, data: bytes) -> bytes:
            return (
                data.replace("办公室主任".encode(), "办公室副主任".encode(), 1)
                if name.endswith("versions.jsonl")
                else data
            )

        rewritten(out, bad, flip)
    elif damage == "no manifest":
        with zipfile.ZipFile(out) as source, zipfile.ZipFile(bad, "w") as copy:
            for name in source.namelist():
                if name != "manifest.json":
                    copy.writestr(name, source.read(name))
    else:

        def lie(name: str, data: bytes) -> bytes:
            if name != "manifest.json":
                return data
            manifest = json.loads(data)
            if damage == "manifest rows":
                manifest["rows"]["ledger_versions"] += 1
            else:
                manifest["schema_version"] = 3
            return json.dumps(manifest).encode()

        rewritten(out, bad, lie)
    target = empty(tmp_path)
    with pytest.raises(backup.BackupError) as refused:
        backup.restore(bad, target, by="admin", at=AT)
    assert refused.value.code == code
    assert not backup.holds_anything(target) and target.plans() == []


def test_the_last_backup_is_noted_and_old_after_the_setting(made):
    store, _ = made
    state = backup.status(store, datetime(2019, 6, 8, 2))
    assert state.last == datetime(2019, 6, 4, 2) and state.age_days == 4 and not state.overdue
    assert backup.status(store, datetime(2019, 6, 12, 2)).overdue
    assert backup.status(store, datetime(2019, 6, 5), max_age_days=0).overdue
    assert backup.audit_rows(store)[-1]["action"] == "backup_made"


def test_the_command_line_backs_up_says_when_and_restores_into_an_empty_store_only(made, tmp_path, capsys):
    from ledger.cli import run

    store, _ = made
    fresh = Store(f"sqlite:///{tmp_path / 'never.db'}")
    assert run(["backup", "--status", "--db", fresh.url]) == 2
    assert "尚未做过备份" in capsys.readouterr().out
    out = tmp_path / "夜间备份.zip"
    assert run(["backup", "--db", store.url, "--out", str(out)]) == 0
    assert f"已备份到 {out}" in capsys.readouterr().out
    assert run(["backup", "--status", "--db", store.url, "--lang", "en"]) == 0
    assert "Last backup:" in capsys.readouterr().out
    assert run(["backup", "--db", store.url]) == 1  # neither --out nor --status
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    assert run(["restore-backup", str(out), "--db", target]) == 0
    assert "已从" in capsys.readouterr().out
    assert picture(Store(target)) == picture(store)
    assert run(["restore-backup", str(out), "--db", target]) == 2  # now it holds something
    assert "已有数据" in capsys.readouterr().out
    (tmp_path / "cut.zip").write_bytes(out.read_bytes()[:1000])
    assert run(["restore-backup", str(tmp_path / "cut.zip"), "--db", f"sqlite:///{tmp_path / 'other.db'}"]) == 2
    assert "已损坏或不完整" in capsys.readouterr().out


def test_a_backup_taken_while_four_processes_publish_holds_each_version_whole_or_not_at_all(url, tmp_path):
    """Four publishing processes, three ledgers each, and backups taken meanwhile: every version a backup holds
    has all its measures and its original file; the last one, taken after them, holds all twelve."""
    from ledger.store import content_sha256
    from tests.publish_worker import start
    from tests.test_store import workbook

    store = Store(url)
    paths = []
    for i in range(12):
        path = tmp_path / f"week{i}.xlsx"
        path.write_bytes(workbook(i))
        paths.append(path)
    workers = [start(url, f"editor{n}", *paths[n * 3 : n * 3 + 3], wait=True) for n in range(4)]
    for process in workers:
        assert process.readline() == "READY"
    for process in workers:
        process.go()
    taken = []
    while any(process.running() for process in workers) and len(taken) < 20:
        out = tmp_path / f"during_{len(taken)}.zip"
        backup.make(store, out, datetime.now())
        taken.append(out)
    outputs = [process.finish(timeout=300) for process in workers]
    assert all(process.returncode == 0 for process in workers), outputs
    final = tmp_path / "after.zip"
    backup.make(store, final, datetime.now())
    held = []
    for out in [*taken, final]:
        restored = Store(f"sqlite:///{tmp_path / (out.stem + '.db')}")
        backup.restore(out, restored, by="test", at=datetime.now())
        versions = [v for found in restored.plans() for v in restored.versions(found.plan.id)]
        for version in versions:
            assert len(restored.ledger(version.id).tasks) == version.task_count == 300
            assert content_sha256(restored.files(version.id)) == version.content_sha256
        held.append(len(versions))
        restored.dispose()
    print("versions held by each backup:", held)
    assert taken and held[-1] == 12 and held == sorted(held)
    store.dispose()


def test_the_users_page_tells_the_admin_when_the_last_backup_was_made(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from ui import access

    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    monkeypatch.setenv("LEDGER_DB_URL", url)
    store = Store(url)
    accounts.add_user(store, "管理员", "admin", "correct horse battery", at=AT, by="cli")
    token = accounts.log_in(store, "管理员", "correct horse battery", address="198.51.100.1", now=datetime.now()).token

    def users_page() -> AppTest:
        at = AppTest.from_file("../dashboard.py", default_timeout=60)
        at.session_state[access.TOKEN_KEY] = token
        at.run()
        at.switch_page("pages/users.py").run()
        assert not at.exception, at.exception
        return at

    assert [w.value for w in users_page().warning] == ["尚未做过备份。请尽快备份：python -m ledger backup --out 文件名"]
    backup.make(store, tmp_path / "b.zip", datetime.now() - timedelta(days=9))
    assert next(w.value for w in users_page().warning).endswith("最近一次备份已超过 7 天，请尽快备份。")
    backup.make(store, tmp_path / "b.zip", datetime.now())
    page = users_page()
    assert not page.warning and any(c.value.startswith("最近一次备份：") for c in page.caption)
    store.dispose()
