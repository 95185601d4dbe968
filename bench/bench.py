"""Benchmark: reading ledgers against a bare python-calamine read, page script times, publishing, history.

    .venv/bin/python bench/bench.py            # full run (writes 1k/10k/100k workbooks; a few minutes)
    .venv/bin/python bench/bench.py --quick    # 1k/10k only, fewer repeats

Every figure is a median of several runs, and each is reported next to a baseline measured in the same run
(a bare python-calamine read of the same file; an AppTest run of a one-line page), so the ratios hold on a busy
machine where seconds do not. Results also go to bench/out/results.json.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import python_calamine  # noqa: E402

from ledger.publishing import check_upload, publish  # noqa: E402
from ledger.reading import load_ledger, read_ledger  # noqa: E402
from ledger.sample import PHASES, TITLE, departments_workbook, scaled_tasks, scaled_workbook  # noqa: E402
from ledger.store import NewPlan, Store  # noqa: E402
from ledger.writing import LedgerSheet, ledger_workbook  # noqa: E402

OUT = ROOT / "bench" / "out"
PAGES = ("pages/overview.py", "pages/timeline.py", "pages/categories.py", "pages/responsibilities.py",
         "pages/history.py", "pages/upload.py", "pages/meeting.py")
BARE_READ = ("import sys, python_calamine\n"
             "book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])\n"
             "for name in book.sheet_names:\n"
             "    book.get_sheet_by_name(name).to_python(skip_empty_area=False)\n")


def without_gc(action):
    """The action as the reading worker runs it: a one-shot process with the cyclic collector off (ledger.guard)."""
    def run():
        gc.disable()
        try:
            return action()
        finally:
            gc.enable()
    return run


def median_time(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bare_read(path: Path) -> None:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def workbook(folder: Path, size: int) -> Path:
    path = folder / f"ledger_{size}.xlsx"
    if not path.exists():
        path.write_bytes(scaled_workbook(size))
    return path


def reading(folder: Path, sizes: list[int], repeat: int) -> list[dict]:
    """In process: read_ledger (read + header mapping + validation, without the worker, with the collector off as
    in the worker) against a bare calamine read of the cells."""
    rows = []
    for size in sizes:
        path = workbook(folder, size)
        data = path.read_bytes()
        bare = median_time(lambda p=path: bare_read(p), repeat)
        ours = median_time(without_gc(lambda d=data, p=path: read_ledger([(p.name, d)], date(2019, 6, 1))), repeat)
        rows.append({"tasks": size, "bare_read_s": bare, "load_ledger_s": ours, "ratio": ours / bare})
    return rows


def guarded(folder: Path, sizes: list[int], repeat: int) -> list[dict]:
    """The guarded path (load_ledger: pre-checks, a worker process under limits, the result sent back) against
    the same reading in process (collector off, as in the worker), both measured here; the worker forked directly
    (the command line) and from the fork server (the dashboard, whose threads rule out a plain fork). The RSS
    figure is the largest worker so far (forked workers count the pages they share with this process)."""
    import resource
    import threading

    rows = []
    files = {"sample (17)": ROOT / "data" / "sample_ledger.xlsx"} | {f"{n:,}": workbook(folder, n) for n in sizes}
    for label, path in files.items():
        upload = [(path.name, path.read_bytes())]
        inside = median_time(without_gc(lambda u=upload: read_ledger(u, date(2019, 6, 1))), repeat)
        forked = median_time(lambda u=upload: load_ledger(u, date(2019, 6, 1)), repeat)
        stop = threading.Event()
        other = threading.Thread(target=stop.wait, daemon=True)  # a second thread, as in the server
        other.start()
        load_ledger(upload, date(2019, 6, 1))  # start the fork server outside the timing, as the dashboard does
        served = median_time(lambda u=upload: load_ledger(u, date(2019, 6, 1)), repeat)
        stop.set()
        other.join()
        rows.append({"file": label, "in_process_s": inside, "forked_s": forked, "fork_server_s": served,
                     "worker_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024})
    return rows


def plan_document(repeat: int) -> dict:
    """Reading the seed plan (data/sample_plan.txt, as a .docx) through the guarded path and in process, next to
    python-docx merely opening the same document and joining its paragraphs."""
    import io

    import docx

    from ledger.plan_document import read_plan
    from ledger.plan_reading import load_plan
    from tests.sheets import docx as word_document

    text = (ROOT / "data" / "sample_plan.txt").read_text(encoding="utf-8")
    data = word_document(*text.splitlines())
    bare = median_time(lambda: "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs), repeat)
    parse = median_time(lambda: read_plan(text, year=2019), repeat)
    guarded = median_time(lambda: load_plan(data, "整改方案.docx", year=2019), repeat)
    return {"python_docx_open_s": bare, "read_plan_s": parse, "load_plan_guarded_s": guarded}


def department_sheets(repeat: int) -> dict:
    """10,000 tasks kept as 10 sheets of 1,000 (one per department) against the same tasks in one sheet."""
    one = scaled_workbook(10_000)
    ten = departments_workbook(10_000, 10)
    single = median_time(without_gc(lambda: read_ledger([("one.xlsx", one)], date(2019, 6, 1))), repeat)
    several = median_time(without_gc(lambda: read_ledger([("ten.xlsx", ten)], date(2019, 6, 1))), repeat)
    return {"one_sheet_s": single, "ten_sheets_s": several, "ratio": several / single}


def whole_process(folder: Path, size: int, repeat: int) -> dict:
    """`python -m ledger summary FILE --json` as a whole process against a process that only reads the cells."""
    path = workbook(folder, size)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}

    def run(*args):
        subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)

    bare = median_time(lambda: run("-c", BARE_READ, str(path)), repeat)
    ours = median_time(lambda: run("-m", "ledger", "summary", str(path), "--json"), repeat)
    return {"tasks": size, "bare_read_process_s": bare, "summary_process_s": ours, "ratio": ours / bare}


def _pin_navigation_mode() -> None:
    """As in tests/conftest.py: run AppTest in a real server's steady state (after its first st.navigation)."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init


def page_times(db_url: str, repeat: int) -> dict:
    """Each page's script run with warm caches (AppTest), against a one-line page measured the same way."""
    from streamlit.testing.v1 import AppTest

    os.environ["LEDGER_DB_URL"] = db_url
    baseline_script = Path(tempfile.mkdtemp()) / "baseline.py"
    baseline_script.write_text("import streamlit as st\nst.title('baseline')\n")
    baseline = AppTest.from_file(str(baseline_script), default_timeout=120).run()
    base = median_time(baseline.run, repeat)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300).run()
    times = {"baseline_page_s": base}
    for page in PAGES:
        app.switch_page(page).run()  # warm the caches of this page
        assert not app.exception, app.exception
        times[page] = median_time(app.run, repeat)
    return times


def publishing(folder: Path, size: int, repeat: int) -> dict:
    """Check + publish of one upload into a fresh SQLite store; bare read of the same file as the baseline."""
    path = workbook(folder, size)
    files = [(path.name, path.read_bytes())]
    scratch = Path(tempfile.mkdtemp(prefix="bench-publish-"))
    counter = iter(range(10**6))

    def once():
        store = Store(f"sqlite:///{scratch / f'publish_{next(counter)}.db'}")  # empty: a real insert every time
        ledger = check_upload(store, files, date(2019, 6, 1))
        publish(store, files, ledger, plan=NewPlan("bench", datetime(2019, 6, 1)), uploaded_by="bench",
                uploaded_at=datetime(2019, 6, 1))
        store.dispose()

    bare = median_time(lambda: bare_read(path), repeat)
    ours = median_time(once, repeat)
    return {"tasks": size, "bare_read_s": bare, "check_and_publish_s": ours, "ratio": ours / bare}


def weekly_history(folder: Path, weeks: int, size: int) -> str:
    """A store holding `weeks` weekly versions of a `size`-task ledger, progress moving week by week."""
    url = f"sqlite:///{folder / f'history_{weeks}x{size}.db'}"
    store = Store(url)
    if store.last_published_id() is None:
        plan = store.create_plan("bench", created_at=datetime(2019, 4, 29)).id
        start = date(2019, 4, 29)
        for week in range(weeks):
            day = start + timedelta(days=7 * week)
            files = [(f"week_{week + 1}.xlsx", ledger_workbook(LedgerSheet(
                scaled_tasks(size, day, seed=week), PHASES, day, TITLE), with_help=False))]
            publish(store, files, check_upload(store, files, day, plan_id=plan), plan=plan, uploaded_by="bench",
                    uploaded_at=datetime(day.year, day.month, day.day, 17))
    store.dispose()
    return url


PACK_PROCESS = ("import resource, sys, time\n"
                "from datetime import date\n"
                "from pathlib import Path\n"
                "from ledger.reading import read_ledger\n"
                "path = Path(sys.argv[1])\n"
                "ledger = read_ledger([(path.name, path.read_bytes())], date(2019, 6, 1))\n"
                "if sys.argv[2] == 'brief':\n"
                "    from ledger import brief, typeset\n"
                "    typeset.pdf('brief.typ', brief.brief_data(brief.Context(ledger, ledger.tasks, ledger.report_date)))\n"
                "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n")


def meeting_pack(folder: Path, repeat: int) -> dict:
    """The meeting pack against reading the same ledger in the same run (read_ledger in process): the brief of the
    sample and of 10,000 tasks as PDF, Word, image and workbook; notices for 200 leaders; and the peak memory of a
    process that reads 10,000 tasks and writes the brief against one that only reads them."""
    from ledger import brief, typeset, word
    from ledger.sample import scaled_tasks

    def timings(ledger_bytes: bytes, name: str) -> dict:
        upload = [(name, ledger_bytes)]
        ledger = read_ledger(upload, date(2019, 6, 1))
        context = brief.Context(ledger, ledger.tasks, ledger.report_date)
        typeset.pdf("brief.typ", brief.brief_data(context))  # fonts loaded once per process, outside the timing
        return {"tasks": len(ledger.tasks),
                "read_s": median_time(without_gc(lambda: read_ledger(upload, date(2019, 6, 1))), repeat),
                "brief_pdf_s": median_time(lambda: typeset.pdf("brief.typ", brief.brief_data(context)), repeat),
                "brief_docx_s": median_time(lambda: word.brief_docx(brief.brief_data(context)), repeat),
                "image_s": median_time(lambda: typeset.png("headline.typ", brief.brief_data(context)), repeat),
                "workbook_s": median_time(lambda: brief.version_workbook(context), repeat)}

    sample = timings((ROOT / "data" / "sample_ledger.xlsx").read_bytes(), "sample_ledger.xlsx")
    big = timings(workbook(folder, 10_000).read_bytes(), "ledger_10000.xlsx")
    rows = scaled_tasks(4_000, date(2019, 6, 1))
    for i, row in enumerate(rows):
        row["leader"] = f"分管领导{i % 200 + 1}"
    leaders_file = ledger_workbook(LedgerSheet(rows, PHASES, date(2019, 6, 1), TITLE), with_help=False)
    upload = [("leaders_200.xlsx", leaders_file)]
    ledger = read_ledger(upload, date(2019, 6, 1))
    context = brief.Context(ledger, ledger.tasks, ledger.report_date)
    notices = brief.notices_data(context)
    memory = {}
    for mode in ("read", "brief"):
        out = subprocess.run([sys.executable, "-c", PACK_PROCESS, str(workbook(folder, 10_000)), mode], cwd=ROOT,
                             capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        memory[mode] = float(out.stdout.strip())
    return {"sample": sample, "10k": big, "memory_10k_mb": memory,
            "notices_200": {"leaders": len(notices["notices"]), "tasks": len(ledger.tasks),
                            "read_s": median_time(without_gc(lambda: read_ledger(upload, date(2019, 6, 1))), repeat),
                            "pdf_s": median_time(lambda: typeset.pdf("notices.typ", brief.notices_data(context)),
                                                 repeat),
                            "docx_zip_s": median_time(lambda: word.notices_zip(brief.notices_data(context)), repeat)}}


def published_store(folder: Path, size: int) -> str:
    url = f"sqlite:///{folder / f'pages_{size}.db'}"
    store = Store(url)
    if store.last_published_id() is None:
        path = workbook(folder, size)
        files = [(path.name, path.read_bytes())]
        publish(store, files, check_upload(store, files, date(2019, 6, 1)), plan=NewPlan("bench", datetime(2019, 6, 1)),
                uploaded_by="bench",
                uploaded_at=datetime(2019, 5, 27, 17))
    store.dispose()
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1k and 10k only, 3 repeats")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    repeat = 3 if args.quick else args.repeat
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    OUT.mkdir(parents=True, exist_ok=True)
    folder = OUT / "files"
    folder.mkdir(exist_ok=True)
    _pin_navigation_mode()
    results = {"machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}", "repeat": repeat,
               "reading": reading(folder, sizes, repeat),
               "guarded": guarded(folder, sizes[1:], repeat),
               "plan_document": plan_document(repeat),
               "department_sheets": department_sheets(repeat),
               "meeting_pack": meeting_pack(folder, repeat),
               "summary_process": whole_process(folder, sizes[-1], repeat),
               "publish_10k": publishing(folder, 10_000, repeat),
               "pages_10k": page_times(published_store(folder, 10_000), repeat),
               "history_52x1000": page_times(weekly_history(folder, 52, 1_000), repeat)}
    (OUT / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(report(results))


def report(r: dict) -> str:
    lines = [f"Machine: {r['machine']}; medians of {r['repeat']} runs.", "",
             "| tasks | bare calamine read | load_ledger (read+validate) | ratio |", "|---:|---:|---:|---:|"]
    lines += [f"| {x['tasks']:,} | {x['bare_read_s']:.3f} s | {x['load_ledger_s']:.3f} s | {x['ratio']:.2f}× |"
              for x in r["reading"]]
    lines += ["", "| file | read in process | guarded, forked worker (CLI) | guarded, fork server (dashboard) | "
              "overhead (CLI / dashboard) | largest worker RSS so far |", "|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {g['file']} | {g['in_process_s']:.3f} s | {g['forked_s']:.3f} s | {g['fork_server_s']:.3f} s | "
              f"+{g['forked_s'] - g['in_process_s']:.3f} s / +{g['fork_server_s'] - g['in_process_s']:.3f} s | "
              f"{g['worker_peak_rss_mb']:.0f} MB |" for g in r["guarded"]]
    d, s10 = r["plan_document"], r["department_sheets"]
    lines += ["", f"Seed plan document (.docx): read_plan {d['read_plan_s']:.3f} s in process, load_plan "
              f"{d['load_plan_guarded_s']:.3f} s guarded (target ≤ 0.2 s); python-docx only opening it: "
              f"{d['python_docx_open_s']:.3f} s.",
              f"10,000 tasks as 10 department sheets: {s10['ten_sheets_s']:.3f} s vs one sheet "
              f"{s10['one_sheet_s']:.3f} s → **{s10['ratio']:.2f}×** (target ≤ 1.3×)."]
    m = r["meeting_pack"]
    lines += ["", "| meeting pack | read the ledger | brief PDF | brief Word | image | workbook |",
              "|---|---:|---:|---:|---:|---:|"]
    for label, x in (("sample (17 tasks)", m["sample"]), ("10,000 tasks", m["10k"])):
        lines.append(f"| {label} | {x['read_s']:.3f} s | {x['brief_pdf_s']:.3f} s ({x['brief_pdf_s'] / x['read_s']:.2f}×)"
                     f" | {x['brief_docx_s']:.3f} s | {x['image_s']:.3f} s | {x['workbook_s']:.3f} s |")
    n, mem = m["notices_200"], m["memory_10k_mb"]
    lines += [f"Notices for {n['leaders']} leaders ({n['tasks']:,} tasks): PDF {n['pdf_s']:.2f} s, Word zip "
              f"{n['docx_zip_s']:.2f} s, against reading that ledger {n['read_s']:.3f} s (targets: brief of the sample "
              "≤ 1 s, of 10,000 tasks ≤ 3 s, notices for 200 leaders ≤ 10 s).",
              f"Peak memory of a process reading 10,000 tasks: {mem['read']:.0f} MB; reading them and writing the "
              f"brief PDF: {mem['brief']:.0f} MB ({mem['brief'] / mem['read']:.2f}×)."]
    s = r["summary_process"]
    lines += ["", f"Whole process, {s['tasks']:,} tasks: `python -m ledger summary --json` {s['summary_process_s']:.2f} s"
              f" vs a process that only reads the cells {s['bare_read_process_s']:.2f} s → **{s['ratio']:.2f}×** "
              "(target ≤ 2.5×).",
              f"Publish (check + store) of 10,000 tasks into SQLite: {r['publish_10k']['check_and_publish_s']:.2f} s "
              f"({r['publish_10k']['ratio']:.2f}× a bare read of the file).", "",
              "| page (warm caches) | 10,000 tasks | 52 weekly versions × 1,000 tasks |", "|---|---:|---:|"]
    for page in PAGES:
        lines.append(f"| {page} | {r['pages_10k'][page]:.3f} s | {r['history_52x1000'][page]:.3f} s |")
    lines.append(f"| baseline: one-line page | {r['pages_10k']['baseline_page_s']:.3f} s | "
                 f"{r['history_52x1000']['baseline_page_s']:.3f} s |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
