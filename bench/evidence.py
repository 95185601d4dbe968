"""The evidence benchmark (bench/bench.py --evidence-only), on SQLite and on a throwaway
PostgreSQL: a plan of 2,000 measures holding 2,000 evidence files of 200 KiB and a few hundred closure decisions.

- The inspection page, warm (AppTest, an inspector logged in), against a one-line page measured the same way.
- Storing a 20 MiB phone photo (EXIF with GPS) through the whole guarded path — type by bytes, metadata removal in
  a reading worker, 1 MiB pieces into the database — against storing the same bytes with no check at all.
- Memory while storing it, in a fresh process: the server process's peak growth and the reading worker's, each
  against the file's size.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEASURES = 2_000
FILE_KIB = 200
DISTINCT = 20  # different files, given to the measures in turn (a measure's files must differ, not all of them)
PHOTO_MIB = 19.5
INSPECTOR, PASSWORD = "督导组组长", "督导-检查-基准-2019"

MEMORY_IN_PROCESS = r"""
import json, os, resource, sys, threading, time, tracemalloc
from datetime import datetime
sys.path.insert(0, sys.argv[1])
from ledger import evidence
from ledger.closure import measures
from ledger.intake import evidence as checks
from ledger.store import Store

def rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

report = sys.argv[6]
original = checks.examine

def measured(*args):
    # In the reading worker (forked: this wrapper is what it runs): its resident memory before, and its peak.
    start = rss()
    result = original(*args)
    with open(report, "w") as out:
        json.dump({"start": start, "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}, out)
    return result

checks.examine = measured
store = Store(sys.argv[2])
plan = store.plan_named(sys.argv[3])
measure = measures(store, plan.id, None)[int(sys.argv[5])]
assert threading.active_count() == 1  # so the worker is forked from this process, as on the command line
tracemalloc.start()
started = time.perf_counter()
outcome = evidence.add_files(store, measure, [("现场照片.jpg", sys.argv[4])], by="bench", at=datetime.now())
seconds = time.perf_counter() - started
_, allocated = tracemalloc.get_traced_memory()
assert not outcome.refused and outcome.added.files, outcome
worker = json.load(open(report))
print(json.dumps({"process_peak_alloc": allocated, "worker_start": worker["start"], "worker_peak": worker["peak"],
                  "seconds": seconds, "stored": outcome.added.files[0].size}))
"""


def photo(path: Path, mib: float = PHOTO_MIB) -> int:
    """A phone photo of about `mib` MiB: noise (which JPEG cannot shrink), EXIF with GPS, camera and owner."""
    import numpy as np
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "Phone"
    exif.get_ifd(0x8825).update({1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)})
    wanted, limit = mib * 1024 * 1024, 20 * 1024 * 1024
    side = int((wanted / 1.0) ** 0.5)  # noise at quality 92: about a byte a pixel
    for _ in range(4):
        pixels = np.random.default_rng(7).integers(0, 256, size=(side * 3 // 4, side, 3), dtype=np.uint8)
        out = io.BytesIO()
        Image.fromarray(pixels).save(out, "JPEG", quality=92, exif=exif.tobytes())
        data = out.getvalue()
        if 0.95 * wanted <= len(data) <= limit:
            break
        side = int(side * (wanted / len(data)) ** 0.5)
    assert len(data) <= limit, f"{len(data)} bytes: over the 20 MiB limit"
    path.write_bytes(data)
    return len(data)


def build(url: str, folder: Path) -> dict:
    """The plan, its 2,000 evidence files (stored as checked files, in batches) and its decisions."""
    from ledger import accounts, evidence
    from ledger.closure import APPROVE, RETURN, decide, measures
    from ledger.intake import Prepared
    from ledger.publishing import check_upload, publish
    from ledger.sample import WEEKS, scaled_workbook
    from ledger.store import Store

    store = Store(url)
    plan = store.create_plan("基准整改方案", created_at=datetime(2019, 5, 1))
    files = [("台账.xlsx", scaled_workbook(MEASURES))]
    publish(store, files, check_upload(store, files, WEEKS[-1], plan_id=plan.id), plan=plan.id, uploaded_by="bench",
            uploaded_at=datetime(2019, 5, 27, 17))  # fmt: skip
    found = measures(store, plan.id, None)
    ready = []
    for n in range(DISTINCT):
        path = folder / f"evidence_{n}.pdf"
        data = b"%PDF-1.4\n" + os.urandom(FILE_KIB * 1024 - 9)
        path.write_bytes(data)
        ready.append(Prepared(f"佐证{n}.pdf", "pdf", str(path), len(data), hashlib.sha256(data).hexdigest(), False))
    started = time.perf_counter()
    for start in range(0, len(found), 200):
        batch = [(m, ready[i % DISTINCT]) for i, m in enumerate(found[start : start + 200], start)]
        evidence.add_prepared(store, batch, by="办公室主任", at=datetime(2019, 5, 28, 9))
    stored_s = time.perf_counter() - started
    tasks = store.ledger(store.newest_report_id(plan.id)).tasks
    done = [m for m, status in zip(found, tasks["status"], strict=True) if status == "done"]
    for i, measure in enumerate(done):
        if i % 10 < 6:
            decide(store, measure, APPROVE, by=INSPECTOR, at=datetime(2019, 5, 29, 10))
        elif i % 10 == 6:
            decide(store, measure, RETURN, by=INSPECTOR, at=datetime(2019, 5, 29, 11), reason="佐证材料不全")
    accounts.add_user(store, INSPECTOR, "inspector", PASSWORD, at=datetime.now(), by="bench")
    token = accounts.log_in(store, INSPECTOR, PASSWORD, address="bench", now=datetime.now()).token
    counts = {"measures": len(found), "evidence_files": MEASURES, "done": len(done), "store_2000_files_s": stored_s}
    store.dispose()
    return {"plan": plan.name, "token": token, **counts}


def page(url: str, token: str, repeat: int, median_time) -> dict:
    """The inspection page warm, in AppTest, against a one-line page."""
    from streamlit.testing.v1 import AppTest

    from ui import access

    os.environ["LEDGER_DB_URL"] = url
    baseline_script = Path(tempfile.mkdtemp()) / "baseline.py"
    baseline_script.write_text("import streamlit as st\nst.title('baseline')\n")
    baseline = AppTest.from_file(str(baseline_script), default_timeout=120).run()
    base = median_time(baseline.run, repeat)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    app.session_state[access.TOKEN_KEY] = token
    app.run()
    app.switch_page("pages/inspection.py").run()
    assert not app.exception, app.exception
    assert app.title[0].value == "督导检查", [t.value for t in app.title]
    warm = median_time(app.run, repeat)
    return {"inspection_page_s": warm, "baseline_page_s": base}


def store_photo(url: str, plan: str, folder: Path, repeat: int) -> dict:
    """A 20 MiB photo stored through the guarded path, each time for another measure (the same photo twice for one
    measure is stored once), against the same bytes stored unchecked; memory in a fresh process."""
    from ledger import evidence
    from ledger.closure import measures
    from ledger.intake import Prepared
    from ledger.store import Store

    path = folder / "photo.jpg"
    size = photo(path)
    store = Store(url)
    found = measures(store, store.plan_named(plan).id, None)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    guarded, unchecked = [], []
    for n in range(repeat):
        started = time.perf_counter()
        outcome = evidence.add_files(store, found[n], [("现场照片.jpg", str(path))], by="bench", at=datetime.now())
        guarded.append(time.perf_counter() - started)
        assert not outcome.refused and outcome.added.files and outcome.added.files[0].stripped
        raw = Prepared("原样.jpg", "jpeg", str(path), size, digest, False)
        started = time.perf_counter()
        evidence.add_prepared(store, [(found[repeat + n], raw)], by="bench", at=datetime.now())
        unchecked.append(time.perf_counter() - started)
    store.dispose()
    memory = json.loads(
        subprocess.run(
            [
                sys.executable,
                "-c",
                MEMORY_IN_PROCESS,
                str(ROOT),
                url,
                plan,
                str(path),
                str(3 * repeat),
                str(folder / "worker_memory.json"),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    mib = 1024 * 1024
    return {
        "photo_mib": size / mib,
        "store_photo_s": sorted(guarded)[len(guarded) // 2],
        "store_unchecked_s": sorted(unchecked)[len(unchecked) // 2],
        "process_alloc_mib": memory["process_peak_alloc"] / mib,
        "worker_growth_mib": (memory["worker_peak"] - memory["worker_start"]) / mib,
        "fresh_process_s": memory["seconds"],
    }


def backend(url: str, folder: Path, repeat: int, median_time) -> dict:
    print(f"Building the evidence store at {url.split('@')[-1]} …", flush=True)
    built = build(url, folder)
    token, plan = built.pop("token"), built["plan"]
    return {**built, **page(url, token, repeat, median_time), **store_photo(url, plan, folder, repeat)}


def run(folder: Path, repeat: int, median_time, postgres: bool) -> dict:
    results = {}
    sqlite = folder / "evidence.db"
    for stale in folder.glob("evidence.db*"):
        stale.unlink()
    results["sqlite"] = backend(f"sqlite:///{sqlite}", folder, repeat, median_time)
    if postgres:
        sys.path.insert(0, str(ROOT))
        from tests.postgres import PostgresServer, fresh_database

        server = PostgresServer().start()
        try:
            results["postgres"] = backend(
                fresh_database(server.admin_url, "bench_evidence"), folder, repeat, median_time
            )
        finally:
            server.stop()
    else:
        results["postgres"] = {"skipped": "PostgreSQL server binaries not found (apt-get install postgresql)"}
    return results


def report(found: dict) -> list[str]:
    lines = [f"Evidence: {MEASURES:,} measures with {MEASURES:,} files of {FILE_KIB} KiB and their decisions."]
    for name, r in found.items():
        if "skipped" in r:
            lines.append(f"  {name}: skipped ({r['skipped']})")
            continue
        lines += [
            f"  {name}: inspection page warm {r['inspection_page_s']:.3f} s "
            f"({r['inspection_page_s'] / r['baseline_page_s']:.1f}× a one-line page, {r['baseline_page_s']:.3f} s; "
            f"target ≤ 0.3 s)",
            f"  {name}: a {r['photo_mib']:.1f} MiB photo stored with its metadata removed in {r['store_photo_s']:.2f} s "
            f"({r['store_photo_s'] / r['store_unchecked_s']:.1f}× storing its bytes unchecked, "
            f"{r['store_unchecked_s']:.2f} s; target ≤ 2 s)",
            f"  {name}: memory while storing it: the process allocates at most {r['process_alloc_mib']:.1f} MiB "
            f"(tracemalloc), the reading worker grows by {r['worker_growth_mib']:.1f} MiB at its peak; together "
            f"{(r['process_alloc_mib'] + r['worker_growth_mib']) / r['photo_mib']:.2f}× the file (target ≤ 3×)",
        ]
    return lines
