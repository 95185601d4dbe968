"""The plan's archive (README "The plan's archive (归档)"): its folder tree, an index that lists exactly its other
entries with their sizes and sha256, originals byte for byte as the store keeps them, briefs that name the plan,
names safe on Windows; and a closed plan refusing every write, with its record in the trail."""

from __future__ import annotations

import hashlib
import io
import subprocess
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
import sqlalchemy as sa

from ledger import accounts, archive, meeting
from ledger.closure import APPROVE, decide, measure_named
from ledger.evidence import add_bytes
from ledger.i18n import translate
from ledger.publishing import check_upload, publish
from ledger.sample import history_files
from ledger.store import NewPlan, Store, StoreError, problem_code, problem_params
from ledger.store.tables import files_table
from tests.test_backup import AT, UNITS_PLAN, fill, photo

PLAN = "示范整改方案"
DOCUMENT = ("关于印发示范整改方案的通知.docx", b"PK\x03\x04 the plan document as it was uploaded")
FOLDERS = ("01_整改方案", "02_整改台账", "03_周报与督办单", "04_佐证材料", "05_会议要求")


def _weeks() -> list[tuple[str, bytes, date]]:
    return [
        (name.split("/")[-1], data, date.fromisoformat(name[-15:-5])) for name, data in sorted(history_files().items())
    ]


def _imported(store: Store) -> int:
    """A plan imported from its document (version 1 holds the document and the ledger made from it), three more
    weeks, a requirement, evidence and an approved closure; and another plan, whose records are not this one's."""
    accounts.add_user(store, "管理员", "admin", "correct horse battery", at=AT, by="cli")
    weeks = _weeks()
    name, data, day = weeks[0]
    ledger = check_upload(store, [(name, data)], day)
    made = publish(store, [DOCUMENT, (name, data)], ledger, plan=NewPlan(PLAN, AT), uploaded_by="办公室主任",
                   uploaded_at=datetime(day.year, day.month, day.day, 17), audit_action="plan_import")  # fmt: skip
    assert made is not None
    plan_id = made.version.plan_id
    for name, data, day in weeks[1:]:
        upload = [(name, data)]
        publish(store, upload, check_upload(store, upload, day, plan_id=plan_id), plan=plan_id,
                uploaded_by="办公室主任", uploaded_at=datetime(day.year, day.month, day.day, 17))  # fmt: skip
    newest = store.versions(plan_id)[0]
    meeting.record(store, newest, scope="measure", target="1", text="六月底前完成", given_by="党总支书记",
                   meeting_date=date(2019, 5, 27), due=date(2019, 6, 30), recorded_by="办公室主任",
                   recorded_at=AT)  # fmt: skip
    done = store.ledger(newest.id).tasks.query("status == 'done'")["id"].iloc[0]
    measure = measure_named(store, plan_id, None, done)
    assert measure is not None
    assert not add_bytes(store, measure, [("现场照片.png", photo())], by="办公室主任", at=AT).refused
    decide(store, measure, APPROVE, by="管理员", at=AT)
    other = store.create_plan("另一个方案", created_at=AT).id
    store.rename_plan(other, "另一个方案（改名）", at=AT, by="管理员")
    return plan_id


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("archive")
    store = Store(f"sqlite:///{folder / 'ledger.db'}")
    plan_id = _imported(store)
    out = folder / "归档.zip"
    index = archive.write(store, plan_id, None, out, now=AT)
    yield store, plan_id, out, index
    store.dispose()


def _sheet(data: bytes) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def test_the_archive_holds_the_folder_tree(made):
    store, plan_id, out, index = made
    names = zipfile.ZipFile(out).namelist()
    assert names[-1] == "目录.xlsx" and "06_操作记录.xlsx" in names
    assert {n.split("/")[0] for n in names if "/" in n} == set(FOLDERS)
    versions = sorted(store.versions(plan_id), key=lambda v: v.number)
    assert f"01_整改方案/{DOCUMENT[0]}" in names and "01_整改方案/整改措施与阶段.xlsx" in names
    originals = [n for n in names if n.startswith("02_整改台账/")]
    assert originals == [
        f"02_整改台账/第{v.number}版_{v.report_date.isoformat()}_{name}" for v in versions for name in v.file_names
    ]
    briefs = [n for n in names if n.startswith("03_周报与督办单/") and n.endswith("_周报.pdf")]
    assert briefs == [f"03_周报与督办单/第{v.number}版_{v.report_date.isoformat()}_周报.pdf" for v in versions]
    evidence = [n for n in names if n.startswith("04_佐证材料/")]
    assert len(evidence) == 1 and evidence[0].endswith("/现场照片.png")
    assert evidence[0].split("/")[1].startswith("1_")  # 序号_措施
    assert names.count("05_会议要求/会议要求及落实情况.xlsx") == 1
    assert index.paths() == names[:-1]


def test_the_index_lists_every_other_entry_with_its_size_and_sha256(made):
    _, _, out, _ = made
    with zipfile.ZipFile(out) as zf:
        rows = _sheet(zf.read("目录.xlsx"))
        assert rows[0] == ("文件", "字节数", "SHA-256")
        actual = [
            (n, len(zf.read(n)), hashlib.sha256(zf.read(n)).hexdigest()) for n in zf.namelist() if n != "目录.xlsx"
        ]
    assert [(path, int(size), digest) for path, size, digest in rows[1:]] == actual


def test_the_originals_are_the_store_s_bytes(made):
    store, plan_id, out, _ = made
    with store.engine.connect() as conn:
        kept = {
            (vid, pos): (name, digest)
            for vid, pos, name, digest in conn.execute(
                sa.select(files_table.c.version_id, files_table.c.position, files_table.c.name, files_table.c.sha256)
            )
        }
    with zipfile.ZipFile(out) as zf:
        for version in store.versions(plan_id):
            for position, name in enumerate(version.file_names):
                entry = f"02_整改台账/第{version.number}版_{version.report_date.isoformat()}_{name}"
                assert hashlib.sha256(zf.read(entry)).hexdigest() == kept[(version.id, position)][1]
        assert zf.read(f"01_整改方案/{DOCUMENT[0]}") == DOCUMENT[1]


def test_the_briefs_name_the_plan_and_the_workbooks_hold_the_plan(made):
    store, plan_id, out, _ = made
    with zipfile.ZipFile(out) as zf:
        pdfs = [n for n in zf.namelist() if n.endswith(".pdf")]
        assert any(n.endswith("_督办单.pdf") for n in pdfs)
        for name in pdfs:
            text = subprocess.run(
                ["pdftotext", "-layout", "-", "-"], input=zf.read(name), capture_output=True, check=True
            ).stdout.decode()
            assert PLAN in text.replace(" ", ""), name
        requirements = _sheet(zf.read("05_会议要求/会议要求及落实情况.xlsx"))
        assert requirements[1][:3] == ("1", "六月底前完成", "党总支书记")
        trail = _sheet(zf.read("06_操作记录.xlsx"))
        actions = [row[2] for row in trail[1:]]
        assert actions.count("发布台账") == 3 and "导入整改方案" in actions and "记录会议要求" in actions
        assert "上传佐证材料" in actions and "审核通过（销号）" in actions
        assert "方案改名" not in actions and "新建账号" not in actions  # another plan's, and no plan's
        measures = openpyxl.load_workbook(io.BytesIO(zf.read("01_整改方案/整改措施与阶段.xlsx")), read_only=True)
        assert {"整改台账", "整改步骤"} <= set(measures.sheetnames)
        first = store.ledger(min(v.id for v in store.versions(plan_id))).tasks
        cells = [str(c) for row in measures["整改台账"].iter_rows(values_only=True) for c in row if c]
        assert str(first["measure"].iloc[0]) in cells


def test_a_plan_reported_by_units_has_a_folder_per_unit(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'units.db'}")
    fill(store)
    plan = store.plan_named(UNITS_PLAN)
    assert plan is not None
    buffer = io.BytesIO()
    index = archive.write(store, plan.id, None, buffer)
    names = zipfile.ZipFile(buffer).namelist()
    assert names[:-1] == index.paths()
    assert {n.split("/")[1] for n in names if n.startswith("02_整改台账/")} == {"第二中学", "第三中学"}
    assert next(n for n in names if n.startswith("04_佐证材料/第二中学/")).endswith("/现场照片.png")
    unit = accounts.unit_named(store, "第三中学")
    assert unit is not None
    alone = io.BytesIO()
    archive.write(store, plan.id, unit.id, alone)
    mine = zipfile.ZipFile(alone).namelist()
    assert [n for n in mine if n.startswith("02_")] == ["02_整改台账/第2版_2019-05-20_第三中学.xlsx"]
    assert not [n for n in mine if n.startswith("04_")]  # the evidence is 第二中学's
    store.dispose()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ('a/b:c*?"<>|.xlsx', "a_b_c______.xlsx"),
        ("第1版_2019-05-06_整改台账.xlsx", "第1版_2019-05-06_整改台账.xlsx"),
        ("  报告\t\n草稿. ", "报告 草稿"),
        ("CON.txt", "_CON.txt"),
        ("", "_"),
        ("...", "_"),
    ],
)
def test_safe_names(given, expected):
    assert archive.safe_name(given) == expected


def test_a_long_name_keeps_its_extension_and_collisions_get_a_number():
    long = "很" * 300 + ".pdf"
    assert archive.safe_name(long) == "很" * 76 + ".pdf" and len(archive.safe_name(long)) == archive.NAME_LIMIT
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        writer = archive._Writer(zf, archive.Index("x"))
        paths = [
            writer.write(["文件夹"], name, [b"x"]).path for name in ("表.xlsx", "表.xlsx", "表.XLSX", "a:b", "a?b")
        ]
        again = [writer.write([], long, [b"y"]).path for _ in range(2)]
    assert paths == ["文件夹/表.xlsx", "文件夹/表(2).xlsx", "文件夹/表(3).XLSX", "文件夹/a_b", "文件夹/a_b(2)"]
    assert again[0] == "很" * 76 + ".pdf" and again[1] == "很" * 73 + "(2).pdf"
    assert all(len(p.split("/")[-1]) <= archive.NAME_LIMIT for p in again)


def _refused(call) -> str:
    with pytest.raises(StoreError) as caught:
        call()
    assert problem_code(caught.value) == "store.plan_closed"
    return translate("store.plan_closed", **problem_params(caught.value))


def test_a_closed_plan_refuses_every_write_and_the_trail_says_who_closed_it(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'closed.db'}")
    plan_id = _imported(store)
    newest = store.versions(plan_id)[0]
    tasks = store.ledger(newest.id).tasks
    measure = measure_named(store, plan_id, None, tasks["id"].iloc[1])
    assert measure is not None and store.closed(plan_id) is None
    closed = store.close_plan(plan_id, at=AT, by="管理员")
    assert store.closed(plan_id) == closed and store.closed_plans() == {plan_id}
    week = _weeks()[-1]
    changed = [("下周.xlsx", week[1])]
    ledger = check_upload(store, changed, date(2019, 6, 10), plan_id=plan_id)
    message = _refused(
        lambda: store.publish([("新.xlsx", b"new bytes")], ledger, plan=plan_id, uploaded_by="x", uploaded_at=AT)
    )
    assert message == f"整改方案“{PLAN}”已结束归档，只能查看，不能再修改。"
    _refused(lambda: store.publish_units([("u.xlsx", b"u")], [("一中", ledger)], plan=plan_id, uploaded_by="x",
                                         uploaded_at=AT))  # fmt: skip
    _refused(lambda: meeting.record(store, newest, scope="measure", target="1", text="再议", given_by="书记",
                                    meeting_date=date(2019, 6, 3), due=None, recorded_by="x", recorded_at=AT))  # fmt: skip
    _refused(lambda: add_bytes(store, measure, [("又一张.png", photo())], by="x", at=AT))
    _refused(lambda: decide(store, measure, APPROVE, by="管理员", at=AT))
    _refused(lambda: store.rename_plan(plan_id, "新名字", at=AT, by="管理员"))
    _refused(lambda: store.withdraw(newest.id, by="x", reason="错了", at=AT))
    _refused(lambda: store.delete_plan(plan_id, at=AT, by="管理员"))
    _refused(lambda: store.close_plan(plan_id, at=AT, by="管理员"))
    assert len(store.versions(plan_id)) == 4 and store.plan(plan_id).name == PLAN
    assert len(store.requirements(plan_id)) == 1
    trail = archive.plan_trail(store, plan_id)
    assert [(r.action, r.who, r.target) for r in trail if r.action == "plan_closed"] == [
        ("plan_closed", "管理员", PLAN)
    ]
    buffer = io.BytesIO()
    archive.write(store, plan_id, None, buffer)  # a closed plan is still archived
    assert "06_操作记录.xlsx" in zipfile.ZipFile(buffer).namelist()
    store.dispose()


def test_the_command_line_archives_and_closes(tmp_path, capsys):
    from ledger.cli import run

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    store = Store(url)
    _imported(store)
    out = tmp_path / "归档.zip"
    assert run(["archive", "--db", url, "--plan", PLAN, "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"已写入归档 {out}：") and len(zipfile.ZipFile(out).namelist()) > 10
    assert run(["archive", "--db", url, "--plan", "没有这个方案", "--out", str(out)]) == 1
    assert run(["archive", "--db", url, "--plan", PLAN, "--unit", "没有这个单位", "--out", str(out)]) == 1
    assert run(["archive", "--db", url, "--plan", PLAN, "--out", str(tmp_path / "no" / "a.zip")]) == 1
    assert run(["close-plan", "--db", url, "--plan", PLAN, "--lang", "en"]) == 0
    assert capsys.readouterr().out.strip() == f"Closed the plan “{PLAN}”: read-only from now on."
    assert run(["close-plan", "--db", url, "--plan", PLAN]) == 2
    assert "已结束归档" in capsys.readouterr().out
    downloads = [r for r in archive.plan_trail(store, store.plan_named(PLAN).id) if r.action == "download"]
    assert [r.target for r in downloads] == ["archive: 归档.zip"]
    store.dispose()


def test_an_admin_sees_the_archive_button_on_the_history_page_and_a_viewer_does_not(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from ui import access

    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    monkeypatch.setenv("LEDGER_DB_URL", url)
    store = Store(url)
    plan_id = _imported(store)
    accounts.add_user(store, "观察员", "viewer", "correct horse battery", at=AT, by="cli")

    def history(name: str) -> AppTest:
        token = accounts.log_in(store, name, "correct horse battery", address="198.51.100.1", now=datetime.now())
        at = AppTest.from_file("../dashboard.py", default_timeout=90)
        at.session_state[access.TOKEN_KEY] = token.token
        at.run()
        at.switch_page("pages/history.py").run()
        assert not at.exception, at.exception
        return at

    viewer = history("观察员")
    assert not [h for h in viewer.header if h.value == "归档与结束"]
    admin = history("管理员")
    assert [h.value for h in admin.header if h.value == "归档与结束"] == ["归档与结束"]
    close = admin.button(key="archive_close")
    assert close.disabled
    admin.checkbox(key="archive_close_confirm").check().run()
    admin.button(key="archive_close").click().run()
    assert not admin.exception, admin.exception
    assert store.closed(plan_id) is not None
    assert any(s.value.startswith("已结束整改方案") for s in admin.success)
    assert any(c.value.startswith("已结束（") for c in admin.caption)
    store.dispose()
