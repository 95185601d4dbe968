"""The command line of evidence and closure review, exactly as README "Command line" gives it: exit codes, what is
printed, what is stored, and the audit records."""

from __future__ import annotations

import getpass
import hashlib
import io
import json
import zipfile
from datetime import date

from ledger import audit, evidence
from ledger.cli import run
from ledger.intake import strip_metadata
from ledger.store import Store
from tests.test_evidence import PLAN, pdf, photo, png_with_metadata, publish_week

TODAY = date(2019, 6, 3)


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = run(list(argv), today=TODAY)
    out = capsys.readouterr()
    return code, out.out, out.err


def ready(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    store = Store(url)
    publish_week(store, date(2019, 5, 20), {7: "已完成"})
    publish_week(store, date(2019, 5, 27), {1: "已完成", 2: "已完成", 6: "已完成"})
    store.dispose()
    return url


def test_evidence_add_list_and_get(tmp_path, capsys):
    url = ready(tmp_path)
    (tmp_path / "分工文件.pdf").write_bytes(pdf())
    (tmp_path / "现场照片.jpg").write_bytes(photo())
    code, out, _ = cli(
        capsys, "evidence", "add", "--db", url, "--measure", "6", str(tmp_path / "分工文件.pdf"),
        str(tmp_path / "现场照片.jpg"), "--by", "办公室主任",
    )  # fmt: skip
    assert code == 0 and out.splitlines() == [
        "已保存 [1] 分工文件.pdf（措施 6）",
        "已保存 [2] 现场照片.jpg（措施 6）",
    ]
    code, out, _ = cli(capsys, "evidence", "list", "--db", url, "--json")
    listed = json.loads(out)
    cleaned = strip_metadata(photo(), "jpeg")
    who = f"cli:{getpass.getuser()} as 办公室主任"
    assert [{k: r[k] for k in ("id", "measure", "file", "bytes", "sha256", "by")} for r in listed] == [
        {"id": 1, "measure": "6", "file": "分工文件.pdf", "bytes": len(pdf()), "sha256": hashlib.sha256(pdf()).hexdigest(), "by": who},
        {"id": 2, "measure": "6", "file": "现场照片.jpg", "bytes": len(cleaned), "sha256": hashlib.sha256(cleaned).hexdigest(), "by": who},
    ]  # fmt: skip
    assert set(listed[0]) == {"id", "measure", "file", "bytes", "sha256", "by", "at"}
    assert json.loads(cli(capsys, "evidence", "list", "--db", url, "--measure", "1", "--json")[1]) == []
    code, out, _ = cli(capsys, "evidence", "get", "--db", url, "--id", "2", "--out", str(tmp_path / "back.jpg"))
    assert code == 0 and (tmp_path / "back.jpg").read_bytes() == cleaned  # as stored: without its metadata
    store = Store(url)
    assert [(r.action, r.target) for r in audit.records(store, actions=["download"])] == [
        ("download", "evidence 2: 现场照片.jpg")
    ]
    assert [r.action for r in audit.records(store, actions=["evidence_added"])] == ["evidence_added"] * 2
    store.dispose()


def test_evidence_add_exits_2_and_stores_nothing_when_one_file_is_refused(tmp_path, capsys):
    url = ready(tmp_path)
    (tmp_path / "纪要.pdf").write_bytes(pdf())
    (tmp_path / "照片.jpg").write_bytes(b"<html><script>alert(1)</script></html>")
    code, out, _ = cli(
        capsys, "evidence", "add", "--db", url, "--measure", "6", str(tmp_path / "纪要.pdf"), str(tmp_path / "照片.jpg")
    )
    assert code == 2
    assert out.splitlines() == [
        "“照片.jpg”是网页、SVG 或 XML 文件，不能作为佐证材料。可接收：JPG PNG WebP GIF BMP TIFF PDF Word Excel PowerPoint WPS OFD。",
        "本次未保存任何文件。",
    ]
    store = Store(url)
    assert evidence.files(store, store.plan_named(PLAN).id) == []
    store.dispose()


def test_evidence_add_of_an_unknown_measure_is_a_usage_error(tmp_path, capsys):
    url = ready(tmp_path)
    (tmp_path / "纪要.pdf").write_bytes(pdf())
    code, _, err = cli(capsys, "evidence", "add", "--db", url, "--measure", "99", str(tmp_path / "纪要.pdf"))
    assert code == 1 and "最新版台账中没有序号为“99”的措施。" in err


def test_evidence_import_lists_what_it_skipped_and_refuses_a_bomb_with_exit_2(tmp_path, capsys):
    url = ready(tmp_path)
    out_zip = io.BytesIO()
    with zipfile.ZipFile(out_zip, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("6/分工文件.pdf", pdf())
        archive.writestr("2-截图/净网行动.png", png_with_metadata())
        archive.writestr("../../etc/x.pdf", pdf())
        archive.writestr("42/y.pdf", pdf())
    (tmp_path / "佐证.zip").write_bytes(out_zip.getvalue())
    code, out, _ = cli(capsys, "evidence", "import", "--db", url, str(tmp_path / "佐证.zip"))
    assert code == 0
    assert out.splitlines() == [
        "已导入 2 个文件，跳过 2 个：",
        "  ../../etc/x.pdf: 路径指向压缩包之外（../ 或绝对路径），不解压",
        "  42/y.pdf: 文件夹名或文件名开头不是最新版台账中的序号",
    ]
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("6/z.bmp", b"\x00" * (50 * 1024 * 1024))
    (tmp_path / "炸弹.zip").write_bytes(bomb.getvalue())
    code, out, _ = cli(capsys, "evidence", "import", "--db", url, str(tmp_path / "炸弹.zip"))
    assert code == 2 and "可能是压缩炸弹" in out
    store = Store(url)
    assert len(evidence.files(store, store.plan_named(PLAN).id)) == 2
    assert [r.action for r in audit.records(store, actions=["evidence_imported"])] == ["evidence_imported"]
    store.dispose()


def test_closure_request_approve_return_and_the_inspection(tmp_path, capsys):
    url = ready(tmp_path)
    code, _, err = cli(capsys, "closure", "return", "--db", url, "--measure", "2")
    assert code == 1 and "退回时必须写明理由" in err
    code, out, _ = cli(
        capsys, "closure", "return", "--db", url, "--measure", "2", "--reason", "照片不清晰", "--by", "督导组组长"
    )
    assert (code, out.strip()) == (0, "措施 2 已退回：退回")
    code, out, _ = cli(capsys, "closure", "approve", "--db", url, "--measure", "1", "--by", "督导组组长")
    assert (code, out.strip()) == (0, "措施 1 审核通过：已销号")
    code, _, err = cli(capsys, "closure", "approve", "--db", url, "--measure", "3")
    assert code == 1 and "措施 3 当前不是待审核状态" in err
    code, out, _ = cli(capsys, "inspection", "--db", url, "--json")
    assert code == 0
    found = json.loads(out)
    assert {k: found[k] for k in ("claimed", "verified", "returned", "without_evidence", "regressed", "sample")} == {
        "claimed": 1,
        "verified": 1,
        "returned": 1,
        "without_evidence": ["1", "2", "6"],
        "regressed": ["7"],
        "sample": ["1"],
    }
    assert found["measures"][1] == {"id": "2", "state": "returned", "evidence": 0, "reason": "照片不清晰"}
    code, out, _ = cli(capsys, "closure", "request", "--db", url, "--measure", "2", "--by", "办公室主任")
    assert (code, out.strip()) == (0, "措施 2 已重新申请销号：已完成待审核")
    store = Store(url)
    who = f"cli:{getpass.getuser()} as 督导组组长"
    assert [(r.action, r.who) for r in reversed(audit.records(store)) if r.action.startswith("closure")] == [
        ("closure_returned", who),
        ("closure_approved", who),
        ("closure_requested", f"cli:{getpass.getuser()} as 办公室主任"),
    ]
    store.dispose()
    code, out, _ = cli(capsys, "inspection", "--db", url)
    assert out.splitlines()[0] == "待审核 2 项，已销号 1 项，退回 0 项"
