"""No file makes the server fetch anything (security review, finding 1): a beacon listens on this machine while files
that point at it — HTML, RTF and XML named .doc/.wps, a real .doc with a linked picture, Word and Excel files with
external images and links — go through every reading path (plan documents, ledgers), and it must hear nothing.
The reading workers run boxed: an environment of their own and, where the system allows it, no network."""

from __future__ import annotations

import io
import socket
import subprocess
import threading
import zipfile
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from ledger.intake import guard, load_ledger, load_plan
from ledger.intake.documents import convert_legacy, libreoffice
from tests.conftest import in_ci
from tests.sheets import docx, xlsx


class Beacon:
    """An HTTP server on 127.0.0.1 that notes every request it gets."""

    def __init__(self, port: int):
        hits = self.hits = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"GIF89a")

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Beacon:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def html_page(port: int) -> bytes:
    return (
        f'<html><body><p>关于意识形态工作的整改方案</p><img src="http://127.0.0.1:{port}/html.png">'
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/style.css"></body></html>'
    ).encode()


def rtf_page(port: int) -> bytes:
    return (
        '{\\rtf1\\ansi{\\field{\\*\\fldinst INCLUDEPICTURE "http://127.0.0.1:'
        + str(port)
        + '/rtf.png" \\\\d}{\\fldrslt }}整改方案}'
    ).encode()


def word_xml(port: int) -> bytes:
    return (
        '<?xml version="1.0"?><?mso-application progid="Word.Document"?>'
        '<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml">'
        f'<w:body><w:p><w:r><w:t>整改方案</w:t></w:r></w:p><w:pict src="http://127.0.0.1:{port}/xml.png"/></w:body>'
        "</w:wordDocument>"
    ).encode()


def with_external_image(data: bytes, part: str, port: int) -> bytes:
    """An Office file with an extra relationship to an image outside it (TargetMode="External")."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == part:
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdBeacon" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/image" Target="http://127.0.0.1:'
                    + str(port).encode()
                    + b'/external.png" TargetMode="External"/></Relationships>',
                )
            target.writestr(item, content)
    return out.getvalue()


def linked_doc(folder: Path, port: int) -> bytes:
    """A real Word 97 .doc (a compound file) whose picture is linked to the beacon's address, made by LibreOffice
    before the beacon listens (so making it is not what the beacon hears)."""
    program = libreoffice()
    if program is None:
        if in_ci():
            pytest.fail("LibreOffice is not installed (tests/run.sh installs libreoffice-writer-nogui)")
        pytest.skip("LibreOffice is not installed")
    page = folder / "linked.html"
    page.write_bytes(html_page(port))
    subprocess.run(
        [program, "--headless", "--norestore", "--convert-to", "doc:MS Word 97", "--outdir", str(folder), str(page)],
        capture_output=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(folder)},
        check=True,
    )
    return (folder / "linked.doc").read_bytes()


def test_reading_workers_run_without_network_and_without_the_servers_secrets(monkeypatch):
    monkeypatch.setenv("LEDGER_DB_URL", "postgresql://ledger:secret@db.example/ledger")
    monkeypatch.setenv("LEDGER_EDITOR_PASSWORD", "a-secret")
    assert guard.network_isolation()  # this machine allows a network namespace: the README says what if not
    seen = guard.run(_environment, ())
    assert "LEDGER_DB_URL" not in seen and "LEDGER_EDITOR_PASSWORD" not in seen
    assert set(seen) <= {"PATH", "HOME", "LANG", "RUST_BACKTRACE"} and seen["HOME"].startswith("/tmp/ledger-worker-")


def _environment() -> dict[str, str]:
    import os

    return dict(os.environ)


def test_no_file_on_any_reading_path_makes_the_server_fetch_anything(tmp_path):
    port = free_port()
    real_doc = linked_doc(tmp_path, port)
    assert real_doc.startswith(b"\xd0\xcf\x11\xe0")  # a compound file, as a real .doc is
    plan_docx = docx("关于意识形态工作的整改方案", "一、思想重视不够的问题", "1. 成立领导小组（责任人：办公室主任）")
    ledger_xlsx = xlsx({"整改台账": [["序号", "整改措施", "责任人"], [1, "成立领导小组", "办公室主任"]]})
    with Beacon(port) as beacon:
        refused = {
            name: load_plan(data, name)
            for name, data in (
                ("方案.doc", html_page(port)),
                ("方案.wps", rtf_page(port)),
                ("方案.doc", word_xml(port)),
            )
        }
        assert {issue.code for issue in refused.values()} == {"file.type"}  # not compound files: refused unread
        converted = load_plan(real_doc, "方案.doc")  # converted by LibreOffice in the boxed worker
        assert not hasattr(converted, "code") or converted.code != "file.needs_libreoffice"
        # Were HTML ever to reach LibreOffice (outside the box it fetches every picture and style sheet the page
        # names), the boxed worker has no network to fetch them with.
        guard.run(convert_legacy, (html_page(port), "方案.doc", guard.DEFAULT_LIMITS))
        load_plan(with_external_image(plan_docx, "word/_rels/document.xml.rels", port), "方案.docx")
        load_ledger([("台账.docx", with_external_image(plan_docx, "word/_rels/document.xml.rels", port))], date.today())
        load_ledger([("台账.xlsx", with_external_image(ledger_xlsx, "xl/_rels/workbook.xml.rels", port))], date.today())
        load_ledger(
            [("台账.csv", f"序号,整改措施,责任人\n1,http://127.0.0.1:{port}/csv,主任\n".encode())], date.today()
        )
        assert beacon.hits == []
