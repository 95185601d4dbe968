"""Benchmark: reading ledgers against a bare python-calamine read, page script times, publishing, history, and the
roll-up of many units on PostgreSQL.

    .venv/bin/python bench/bench.py                  # full run (1k/10k/100k workbooks, 200 units × 52 weeks; minutes)
    .venv/bin/python bench/bench.py --quick          # 1k/10k only, 20 units × 52 weeks, fewer repeats
    .venv/bin/python bench/bench.py --postgres-only  # only the roll-up of many units on PostgreSQL
    .venv/bin/python bench/bench.py --no-postgres    # everything but that
    .venv/bin/python bench/bench.py --browser        # add the browser section (Chromium; ten minutes or so)
    .venv/bin/python bench/bench.py --browser-only   # only the browser section (bench/browser.py)
    .venv/bin/python bench/bench.py --reading-only   # reading vs a bare read: in process, and a whole `summary`
    .venv/bin/python bench/bench.py --columns-only   # reading by meaning against the release before it, the
                                                     # Upload page's column step re-checking a 1,000-row ledger,
                                                     # and 20 simultaneous logins' peak memory
    .venv/bin/python bench/bench.py --archive-only   # the archive (归档) of a plan of 52 weekly versions × 50 measures
    .venv/bin/python bench/bench.py --evidence-only  # 2,000 evidence files on SQLite and PostgreSQL: the inspection
                                                     # page, storing a 20 MiB photo, memory (bench/evidence.py)

The PostgreSQL section runs when Debian's server binaries are installed (/usr/lib/postgresql/*/bin; a throwaway
server as in the store tests, tests/postgres.py) and says so when they are not.

The browser section (bench/browser.py) serves the dashboard on the 10,000-task store and on the 52 weekly versions
of 1,000 tasks, next to a minimal five-page Streamlit app (bench/minimal_app), and measures them in Debian's
Chromium: sidebar clicks, full page loads, the first load after a start, and the server's memory with 20 sessions.

Every figure is a median of several runs, and each is reported next to a baseline measured in the same run
(a bare python-calamine read of the same file; an AppTest run of a one-line page; the minimal app in the browser),
so the ratios hold on a busy machine where seconds do not. Results also go to bench/out/results.json
(results_postgres.json, results_browser.json, results_reading.json for the -only runs).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
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
import sqlalchemy as sa  # noqa: E402

from ledger.accounts import add_unit  # noqa: E402
from ledger.intake import load_ledger, read_ledger  # noqa: E402
from ledger.metrics import DEFAULT_THRESHOLDS  # noqa: E402
from ledger.model import Ledger  # noqa: E402
from ledger.publishing import check_upload, publish  # noqa: E402
from ledger.rollup import combined, kept_figures, rollup, unit_summary  # noqa: E402
from ledger.sample import PHASES, TITLE, departments_workbook, scaled_tasks, scaled_workbook  # noqa: E402
from ledger.store import NewPlan, Store, snapshots_table  # noqa: E402
from ledger.writing import LedgerSheet, ledger_workbook  # noqa: E402
from ui import navigation  # noqa: E402

OUT = ROOT / "bench" / "out"
PAGES = tuple(spec.script for spec in navigation.listed(published=True, units=False) if spec.needs is None)
BARE_READ = (
    "import sys, python_calamine\n"
    "book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])\n"
    "for name in book.sheet_names:\n"
    "    book.get_sheet_by_name(name).to_python(skip_empty_area=False)\n"
)


def interleaved(actions: dict, repeat: int, clock=None) -> dict[str, tuple[float, float]]:
    """Each action's median (wall seconds, CPU seconds), the actions run in turn (a, b, a, b …) so that each sees
    the same machine load; CPU is this process's time, or `clock()` (the process tree's) when given."""
    clock = clock or time.process_time
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            wall, cpu = time.perf_counter(), clock()
            action()
            times[name].append((time.perf_counter() - wall, clock() - cpu))
    return {
        name: (statistics.median(w for w, _ in found), statistics.median(c for _, c in found))
        for name, found in times.items()
    }


def children_cpu() -> float:
    """CPU seconds of every child process waited for so far (their own children included)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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
    """In process: read_ledger (read + header mapping + validation: what the worker runs, with the cyclic
    collector on as there) against a bare calamine read of the same file, the two run in turn."""
    rows = []
    for size in sizes:
        path = workbook(folder, size)
        data = path.read_bytes()
        read_ledger([(path.name, data)], date(2019, 6, 1))  # first-call costs (imports, caches) outside the timing
        found = interleaved(
            {
                "bare": lambda p=path: bare_read(p),
                "ours": lambda d=data, p=path: read_ledger([(p.name, d)], date(2019, 6, 1)),
            },
            repeat,
        )
        (bare, bare_cpu), (ours, ours_cpu) = found["bare"], found["ours"]
        rows.append(
            {
                "tasks": size,
                "bare_read_s": bare,
                "load_ledger_s": ours,
                "ratio": ours / bare,
                "bare_read_cpu_s": bare_cpu,
                "load_ledger_cpu_s": ours_cpu,
                "cpu_ratio": ours_cpu / bare_cpu,
            }
        )
    return rows


def guarded(folder: Path, sizes: list[int], repeat: int) -> list[dict]:
    """The guarded path (load_ledger: pre-checks, a worker process under limits, the result sent back) against
    the same reading in process, both measured here; the worker forked directly (the command line) and from the
    fork server (the dashboard, whose threads rule out a plain fork). The RSS figure is the largest worker so far
    (forked workers count the pages they share with this process)."""
    import threading

    rows = []
    files = {"sample (17)": ROOT / "data" / "sample_ledger.xlsx"} | {f"{n:,}": workbook(folder, n) for n in sizes}
    for label, path in files.items():
        upload = [(path.name, path.read_bytes())]
        inside = median_time(lambda u=upload: read_ledger(u, date(2019, 6, 1)), repeat)
        forked = median_time(lambda u=upload: load_ledger(u, date(2019, 6, 1)), repeat)
        stop = threading.Event()
        other = threading.Thread(target=stop.wait, daemon=True)  # a second thread, as in the server
        other.start()
        load_ledger(upload, date(2019, 6, 1))  # start the fork server outside the timing, as the dashboard does
        served = median_time(lambda u=upload: load_ledger(u, date(2019, 6, 1)), repeat)
        stop.set()
        other.join()
        rows.append(
            {
                "file": label,
                "in_process_s": inside,
                "forked_s": forked,
                "fork_server_s": served,
                "worker_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            }
        )
    return rows


def plan_document(repeat: int) -> dict:
    """Reading the seed plan (data/sample_plan.txt, as a .docx) through the guarded path and in process, next to
    python-docx merely opening the same document and joining its paragraphs."""
    import io

    import docx

    from ledger.intake import load_plan, read_plan
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
    single = median_time(lambda: read_ledger([("one.xlsx", one)], date(2019, 6, 1)), repeat)
    several = median_time(lambda: read_ledger([("ten.xlsx", ten)], date(2019, 6, 1)), repeat)
    return {"one_sheet_s": single, "ten_sheets_s": several, "ratio": several / single}


def whole_process(folder: Path, size: int, repeat: int) -> dict:
    """`python -m ledger summary FILE --json` as a whole process (imports, the reading worker, the figures, the
    JSON) against a process that only imports python-calamine and reads the cells, the two run in turn; wall
    seconds, and CPU seconds of each process tree (steadier on a busy machine). Both run as a command does on a
    second run: with the modules' compiled bytecode cached (in bench/out/pycache, whatever PYTHONDONTWRITEBYTECODE
    says), after one untimed run each."""
    path = workbook(folder, size)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")

    def run(*args):
        subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)

    run("-c", BARE_READ, str(path))
    run("-m", "ledger", "summary", str(path), "--json")
    found = interleaved(
        {
            "bare": lambda: run("-c", BARE_READ, str(path)),
            "ours": lambda: run("-m", "ledger", "summary", str(path), "--json"),
        },
        repeat,
        clock=children_cpu,
    )
    (bare, bare_cpu), (ours, ours_cpu) = found["bare"], found["ours"]
    return {
        "tasks": size,
        "bare_read_process_s": bare,
        "summary_process_s": ours,
        "ratio": ours / bare,
        "bare_read_process_cpu_s": bare_cpu,
        "summary_process_cpu_s": ours_cpu,
        "cpu_ratio": ours_cpu / bare_cpu,
    }


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
        publish(
            store,
            files,
            ledger,
            plan=NewPlan("bench", datetime(2019, 6, 1)),
            uploaded_by="bench",
            uploaded_at=datetime(2019, 6, 1),
        )
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
            files = [
                (
                    f"week_{week + 1}.xlsx",
                    ledger_workbook(
                        LedgerSheet(scaled_tasks(size, day, seed=week), PHASES, day, TITLE), with_help=False
                    ),
                )
            ]
            publish(
                store,
                files,
                check_upload(store, files, day, plan_id=plan),
                plan=plan,
                uploaded_by="bench",
                uploaded_at=datetime(day.year, day.month, day.day, 17),
            )
    store.dispose()
    return url


PACK_PROCESS = (
    "import resource, sys, time\n"
    "from datetime import date\n"
    "from pathlib import Path\n"
    "from ledger.intake import read_ledger\n"
    "path = Path(sys.argv[1])\n"
    "ledger = read_ledger([(path.name, path.read_bytes())], date(2019, 6, 1))\n"
    "if sys.argv[2] == 'brief':\n"
    "    from ledger import brief, typeset\n"
    "    typeset.pdf('brief.typ', brief.brief_data(brief.Context(ledger, ledger.tasks, ledger.report_date)))\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
)


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
        return {
            "tasks": len(ledger.tasks),
            "read_s": median_time(lambda: read_ledger(upload, date(2019, 6, 1)), repeat),
            "brief_pdf_s": median_time(lambda: typeset.pdf("brief.typ", brief.brief_data(context)), repeat),
            "brief_docx_s": median_time(lambda: word.brief_docx(brief.brief_data(context)), repeat),
            "image_s": median_time(lambda: typeset.png("headline.typ", brief.brief_data(context)), repeat),
            "workbook_s": median_time(lambda: brief.version_workbook(context), repeat),
        }

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
        out = subprocess.run(
            [sys.executable, "-c", PACK_PROCESS, str(workbook(folder, 10_000)), mode],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        memory[mode] = float(out.stdout.strip())
    return {
        "sample": sample,
        "10k": big,
        "memory_10k_mb": memory,
        "notices_200": {
            "leaders": len(notices["notices"]),
            "tasks": len(ledger.tasks),
            "read_s": median_time(lambda: read_ledger(upload, date(2019, 6, 1)), repeat),
            "pdf_s": median_time(lambda: typeset.pdf("notices.typ", brief.notices_data(context)), repeat),
            "docx_zip_s": median_time(lambda: word.notices_zip(brief.notices_data(context)), repeat),
        },
    }


def published_store(folder: Path, size: int) -> str:
    url = f"sqlite:///{folder / f'pages_{size}.db'}"
    store = Store(url)
    if store.last_published_id() is None:
        path = workbook(folder, size)
        files = [(path.name, path.read_bytes())]
        publish(
            store,
            files,
            check_upload(store, files, date(2019, 6, 1)),
            plan=NewPlan("bench", datetime(2019, 6, 1)),
            uploaded_by="bench",
            uploaded_at=datetime(2019, 5, 27, 17),
        )
    store.dispose()
    return url


# --- many units on PostgreSQL ------------------------------------------------
UNITS_FULL, UNITS_QUICK, WEEKS, MEASURES = 200, 20, 52, 50
VARIANTS = 4  # ledgers per week: units take turns, so that their figures differ
UNIT_PAGES = ("pages/rollup.py", "pages/overview.py")
FIRST_WEEK = date(2019, 4, 29)


def postgres_available() -> bool:
    import glob

    return bool(glob.glob("/usr/lib/postgresql/*/bin/initdb"))


def tagged(data: bytes, tag: str) -> bytes:
    """The same workbook with `tag` as its zip comment: the same cells, other bytes (so another content digest,
    which is what a unit's own file would have)."""
    comment = tag.encode()
    assert data[-22:-18] == b"PK\x05\x06" and data[-2:] == b"\0\0", "a zip without a comment expected"
    return data[:-2] + len(comment).to_bytes(2, "little") + comment


def weekly_ledgers(weeks: int, measures: int) -> list[tuple[date, list[tuple[bytes, Ledger]]]]:
    """Each week's ledgers of `measures` measures (VARIANTS of them, progress moving week by week), each read once."""
    found = []
    for week in range(weeks):
        day = FIRST_WEEK + timedelta(days=7 * week)
        variants = []
        for variant in range(VARIANTS):
            data = ledger_workbook(
                LedgerSheet(scaled_tasks(measures, day, seed=week * VARIANTS + variant), PHASES, day, TITLE),
                with_help=False,
            )
            variants.append((data, read_ledger([("week.xlsx", data)], day)))
        found.append((day, variants))
    return found


def _pg_size(store: Store) -> dict:
    import sqlalchemy as sa

    with store.engine.connect() as conn:
        total = conn.execute(sa.text("SELECT pg_database_size(current_database())")).scalar()
        tables = dict(
            conn.execute(
                sa.text(
                    "SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relkind = 'r' AND relname LIKE 'ledger%'"
                )
            ).all()
        )
    return {"database_bytes": total, "tables_bytes": tables}


def _analyze(url: str) -> None:
    """What autovacuum does after a bulk load, done now so that every run plans its queries the same way."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def build_units_store(url: str, units: int, weeks: int, measures: int) -> dict:
    """A plan reported by `units` units, each publishing a `measures`-measure ledger every week for `weeks` weeks,
    through Store.publish as the upload page does (week by week, unit after unit)."""
    import sqlalchemy as sa

    from ledger.store import audit_table

    store = Store(url)
    plan = store.create_plan("bench units", created_at=datetime(2019, 4, 29)).id
    unit_ids = [
        add_unit(store, f"单位{n:03d}", at=datetime(2019, 4, 29), by="bench", plan_id=plan).id
        for n in range(1, units + 1)
    ]
    empty = _pg_size(store)
    started = time.perf_counter()
    ledgers = weekly_ledgers(weeks, measures)
    read = time.perf_counter() - started
    started = time.perf_counter()
    for week, (day, variants) in enumerate(ledgers, start=1):
        for n, unit_id in enumerate(unit_ids):
            data, ledger = variants[n % VARIANTS]
            files = [(f"单位{n + 1:03d}_第{week}周.xlsx", tagged(data, f"unit {unit_id} week {week}"))]
            done = store.publish(
                files,
                ledger,
                plan=plan,
                uploaded_by="bench",
                unit_id=unit_id,
                uploaded_at=datetime(day.year, day.month, day.day, 17) + timedelta(seconds=n),
            )
            assert done.created
        if week % 13 == 0:
            print(f"  … {week} of {weeks} weeks published ({time.perf_counter() - started:.0f} s)", flush=True)
    build = time.perf_counter() - started
    _analyze(url)
    rows = store.counts()
    with store.engine.connect() as conn:
        rows["ledger_audit"] = conn.execute(sa.select(sa.func.count()).select_from(audit_table)).scalar()
    size = _pg_size(store)
    store.dispose()
    versions = rows["ledger_versions"]
    return {
        "plan_id": plan,
        "unit_ids": unit_ids,
        "units": units,
        "weeks": weeks,
        "measures": measures,
        "read_ledgers_s": read,
        "build_s": build,
        "publish_each_s": build / versions,
        "rows": rows,
        "empty_store": empty,
        "store": size,
        "bytes_per_version": (size["database_bytes"] - empty["database_bytes"]) / versions,
    }


def unit_pages(db_url: str, repeat: int, profile: Path | None = None, publish_one=None) -> dict:
    """The Units page (and the overview of all units together) in AppTest: its first run (the roll-up computed and
    cached) and its warm runs (the second and later runs in the same session, median), against a one-line page."""
    import cProfile

    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    os.environ["LEDGER_DB_URL"] = db_url
    baseline_script = Path(tempfile.mkdtemp()) / "baseline.py"
    baseline_script.write_text("import streamlit as st\nst.title('baseline')\n")
    baseline = AppTest.from_file(str(baseline_script), default_timeout=120).run()
    times = {"baseline_page_s": median_time(baseline.run, repeat)}
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
    started = time.perf_counter()
    app.run()
    times["first_run_s"] = time.perf_counter() - started  # the default page, the store opened
    assert not app.exception, app.exception
    for page in UNIT_PAGES:
        started = time.perf_counter()
        app.switch_page(page).run()
        cold = time.perf_counter() - started
        assert not app.exception, app.exception
        times[page] = {"cold_s": cold, "warm_s": median_time(app.run, repeat)}
    if publish_one is not None:  # one unit publishes: the Units page's next run recomputes that unit only
        publish_one()
        started = time.perf_counter()
        app.switch_page(UNIT_PAGES[0]).run()
        times["after_publish_s"] = time.perf_counter() - started
        assert not app.exception, app.exception
    if profile is not None:  # the script runs in its own thread: profile that thread's runs of the Units page
        profiler = cProfile.Profile()
        original = LocalScriptRunner._run_script_thread

        def profiled(self):
            profiler.enable()
            try:
                return original(self)
            finally:
                profiler.disable()

        LocalScriptRunner._run_script_thread = profiled
        try:
            app.switch_page(UNIT_PAGES[0]).run()
            for _ in range(repeat):
                app.run()
        finally:
            LocalScriptRunner._run_script_thread = original
        profiler.dump_stats(str(profile))
    return times


def publish_ratio(admin_url: str, big_url: str, plan_id: int, unit_ids: list[int], measures: int, repeat: int) -> dict:
    """One more week's ledger (check_upload + publish, as the upload page does) into the big store and into an empty
    store (a fresh database each time: plan and unit created before the timing), alternately."""
    from tests.postgres import fresh_database

    day = FIRST_WEEK + timedelta(days=7 * WEEKS)
    data = ledger_workbook(LedgerSheet(scaled_tasks(measures, day, seed=10**6), PHASES, day, TITLE), with_help=False)
    at = datetime(day.year, day.month, day.day, 17)
    big = Store(big_url)
    timings = {f"{store}_{part}_s": [] for store in ("empty", "big") for part in ("check", "publish", "total")}

    def once(store: Store, plan: int, unit: int, tag: str, prefix: str) -> None:
        files = [(f"{tag}.xlsx", tagged(data, tag))]
        started = time.perf_counter()
        ledger = check_upload(store, files, day, plan_id=plan)
        checked = time.perf_counter()
        done = publish(store, files, ledger, plan=plan, uploaded_by="bench", uploaded_at=at, unit_id=unit)
        published = time.perf_counter()
        assert done is not None and done.created
        timings[f"{prefix}_check_s"].append(checked - started)
        timings[f"{prefix}_publish_s"].append(published - checked)
        timings[f"{prefix}_total_s"].append(published - started)

    load_ledger([("warm.xlsx", data)], day)  # the reading worker started outside the timing
    big.counts()  # the connection opened and every table read once, outside the timing (as for the empty ones)
    for i in range(repeat):
        empty = Store(fresh_database(admin_url, f"bench_empty_{i}"))
        plan = empty.create_plan("bench units", created_at=datetime(2019, 4, 29)).id
        unit = add_unit(empty, "单位001", at=datetime(2019, 4, 29), by="bench", plan_id=plan).id
        empty.counts()
        once(empty, plan, unit, f"empty {i}", "empty")
        empty.dispose()
        once(big, plan_id, unit_ids[i % len(unit_ids)], f"big {i}", "big")
    big.dispose()
    found = {key: statistics.median(values) for key, values in timings.items()}
    found["ratio"] = found["big_total_s"] / found["empty_total_s"]
    found["publish_ratio"] = found["big_publish_s"] / found["empty_publish_s"]
    return found


def units_on_postgres(units: int, weeks: int, measures: int, repeat: int, profile: Path | None = None) -> dict:
    """The roll-up of `units` units × `measures` measures × `weeks` weekly versions on a throwaway PostgreSQL."""
    from tests.postgres import PostgresServer, fresh_database

    server = PostgresServer().start()
    try:
        url = fresh_database(server.admin_url, "bench_units")
        print(f"Building the PostgreSQL store: {units} units × {weeks} weeks × {measures} measures …", flush=True)
        built = build_units_store(url, units, weeks, measures)
        store = Store(url)
        plan = built["plan_id"]
        # What publishing does as each unit reports (publishing._keep_figures): the newest versions' figures kept.
        # The store was built through Store.publish, below that step, so it is done here for the last week.
        started = time.perf_counter()
        kept_figures(store, plan, list(store.unit_versions(plan, None).values()), DEFAULT_THRESHOLDS)
        built["keep_newest_s"] = time.perf_counter() - started
        rollup(store, plan, None, DEFAULT_THRESHOLDS)  # connections opened outside the timing

        def summarising() -> None:  # the roll-up as it was before figures were kept: every unit summarised
            ledgers = store.ledgers([v.id for v in store.unit_versions(plan, None).values()])
            rollup(store, plan, None, DEFAULT_THRESHOLDS, lambda v, p: unit_summary(ledgers[v.id], p, None))

        core = {
            "rollup_s": median_time(lambda: rollup(store, plan, None, DEFAULT_THRESHOLDS), repeat),
            "rollup_summarising_s": median_time(summarising, 1),
            "combined_s": median_time(lambda: combined(store, plan), repeat),
            "changes_stamp_s": median_time(lambda: store.changes_stamp(plan), repeat),
            "versions_s": median_time(lambda: store.versions(plan), repeat),
        }
        store.dispose()
        day = FIRST_WEEK + timedelta(days=7 * WEEKS)

        def publish_one() -> None:
            data = ledger_workbook(
                LedgerSheet(scaled_tasks(measures, day, seed=7), PHASES, day, TITLE), with_help=False
            )
            files = [("one more week.xlsx", tagged(data, "one more week"))]
            with_store = Store(url)
            publish(
                with_store,
                files,
                check_upload(with_store, files, day, plan_id=plan),
                plan=plan,
                uploaded_by="bench",
                uploaded_at=datetime(day.year, day.month, day.day, 18),
                unit_id=built["unit_ids"][0],
            )
            with_store.dispose()

        pages = unit_pages(url, repeat, profile, publish_one)
        ratio = publish_ratio(server.admin_url, url, plan, built["unit_ids"], measures, repeat)
        backups = backup_section(server, url, Path(tempfile.mkdtemp(prefix="bench_backup_")))
    finally:
        server.stop()
    built.pop("unit_ids")
    return {
        "server": server.bin.parent.name,
        **built,
        "core": core,
        "pages": pages,
        "publish": ratio,
        "backup": backups,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1k and 10k only, 3 repeats")
    parser.add_argument("--repeat", type=int, default=5)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--postgres-only", action="store_true", help="only the roll-up of many units on PostgreSQL")
    which.add_argument("--no-postgres", action="store_true", help="skip the roll-up of many units on PostgreSQL")
    which.add_argument("--browser-only", action="store_true", help="only the browser section (bench/browser.py)")
    which.add_argument(
        "--evidence-only", action="store_true", help="only evidence and closure review (bench/evidence.py)"
    )
    which.add_argument(
        "--archive-only", action="store_true", help="only the archive of a plan of 52 weekly versions × 50 measures"
    )
    which.add_argument(
        "--columns-only",
        action="store_true",
        help="only reading by meaning against the release before it, and the column step",
    )
    which.add_argument(
        "--reading-only",
        action="store_true",
        help="only reading against a bare read, in process and as a whole `summary` process",
    )
    parser.add_argument("--browser", action="store_true", help="add the browser section (Chromium, ~10 minutes)")
    parser.add_argument(
        "--against", default=BEFORE_COLUMNS, help=f"the revision reading is compared with (default {BEFORE_COLUMNS})"
    )
    parser.add_argument("--sessions", type=int, default=20, help="browser sessions for the memory figure (default 20)")
    parser.add_argument(
        "--units", type=int, help=f"units in the PostgreSQL store (default {UNITS_FULL}, {UNITS_QUICK} with --quick)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the Units page's warm runs into bench/out/units_page.prof"
    )
    args = parser.parse_args()
    repeat = 3 if args.quick else args.repeat
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    OUT.mkdir(parents=True, exist_ok=True)
    folder = OUT / "files"
    folder.mkdir(exist_ok=True)
    _pin_navigation_mode()
    results = {"machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}", "repeat": repeat}
    if args.browser_only:
        results["browser"] = browser_section(folder, repeat, args.sessions)
        (OUT / "results_browser.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
        print(report(results))
        return
    if args.evidence_only:
        import evidence

        before = os.getloadavg()[0]
        results["evidence"] = evidence.run(folder, repeat, median_time, postgres_available())
        results["load"] = [before, os.getloadavg()[0]]
        (OUT / "results_evidence.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
        print("\n".join(evidence.report(results["evidence"])))
        return
    if args.archive_only:
        before = os.getloadavg()[0]
        results["archive"] = archive_section(folder, repeat)
        results["load"] = [before, os.getloadavg()[0]]
        (OUT / "results_archive.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
        print(archive_report(results["archive"]))
        return
    if args.columns_only:
        before = os.getloadavg()[0]
        results["columns"] = columns_section(folder, sizes, repeat, args.against)
        results["logins"] = simultaneous_logins(folder)
        results["load"] = [before, os.getloadavg()[0]]
        (OUT / "results_columns.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
        print(report(results))
        return
    if args.reading_only:
        before = os.getloadavg()[0]
        results |= reading_only(folder, sizes, repeat)
        results["load"] = [before, os.getloadavg()[0]]
        (OUT / "results_reading.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
        print(report(results))
        return
    if not args.postgres_only:
        before = os.getloadavg()[0]
        results |= everything_but_postgres(folder, sizes, repeat)
        results["load"] = [before, os.getloadavg()[0]]
    if args.browser:
        results["browser"] = browser_section(folder, repeat, args.sessions)
    if args.no_postgres:
        results["units_postgres"] = {"skipped": "--no-postgres"}
    elif not postgres_available():
        results["units_postgres"] = {"skipped": "PostgreSQL server binaries not found (apt-get install postgresql)"}
    else:
        units = args.units or (UNITS_QUICK if args.quick else UNITS_FULL)
        results["units_postgres"] = units_on_postgres(
            units, WEEKS, MEASURES, repeat, OUT / "units_page.prof" if args.profile else None
        )
        results["units_postgres"]["reduced"] = units < UNITS_FULL
    (OUT / ("results_postgres.json" if args.postgres_only else "results.json")).write_text(
        json.dumps(results, indent=2, ensure_ascii=False)
    )
    print(report(results))


def _process(command: list[str], env: dict | None = None) -> dict:
    """Run a command; its wall time and its peak RSS in MiB: the VmHWM of /proc/PID/status, read until it exits. Not
    ru_maxrss, which a child forked from this (large) process inherits from it."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a talkative child never blocks on a full pipe
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors, env=env)
        peak_kib = 0
        while process.poll() is None:
            with contextlib.suppress(OSError, ValueError, IndexError):
                status = Path(f"/proc/{process.pid}/status").read_text()
                peak_kib = max(peak_kib, int(status.split("VmHWM:")[1].split()[0]))
            time.sleep(0.02)
        errors.seek(0)
        assert process.returncode == 0, errors.read().decode(errors="replace")
    return {"s": time.perf_counter() - started, "maxrss_mib": peak_kib / 1024}


def backup_section(server, url: str, folder: Path) -> dict:
    """`python -m ledger backup` of the big store, and `restore-backup` of it into an empty PostgreSQL database and
    an empty SQLite file, each a process of its own (time, peak memory); against pg_dump of the same database in its
    custom format, and a process that only opens the store."""
    from tests.postgres import fresh_database

    ledger = [sys.executable, "-m", "ledger"]
    out = folder / "backup.zip"
    found = {
        "open": _process([sys.executable, "-c", "import sys; from ledger.store import Store; Store(sys.argv[1])", url]),
        "backup": _process([*ledger, "backup", "--db", url, "--out", str(out)]),
    }
    dump = folder / "pg_dump.custom"
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    found["pg_dump"] = _process([str(server.bin / "pg_dump"), "--format=custom", f"--file={dump}", plain])
    target = fresh_database(server.admin_url, "bench_restored")
    found["restore_postgres"] = _process([*ledger, "restore-backup", str(out), "--db", target])
    found["restore_sqlite"] = _process([*ledger, "restore-backup", str(out), "--db", f"sqlite:///{folder / 'r.db'}"])
    restored = Store(target)
    found["restored_versions"] = restored.counts()["ledger_versions"]
    restored.dispose()
    found["backup_mib"] = out.stat().st_size / (1 << 20)
    found["pg_dump_mib"] = dump.stat().st_size / (1 << 20)
    return found


def backup_report(b: dict) -> str:
    return (
        f"Backup (`python -m ledger backup`) of this store: {b['backup']['s']:.1f} s, peak {b['backup']['maxrss_mib']:.0f} "
        f"MiB, a {b['backup_mib']:.0f} MiB file; against pg_dump --format=custom {b['pg_dump']['s']:.1f} s "
        f"({b['backup']['s'] / b['pg_dump']['s']:.1f}×), {b['pg_dump_mib']:.0f} MiB; a process that only opens the "
        f"store peaks at {b['open']['maxrss_mib']:.0f} MiB. Restore into an empty PostgreSQL database "
        f"{b['restore_postgres']['s']:.1f} s (peak {b['restore_postgres']['maxrss_mib']:.0f} MiB), into an empty "
        f"SQLite file {b['restore_sqlite']['s']:.1f} s (peak {b['restore_sqlite']['maxrss_mib']:.0f} MiB); "
        f"{b['restored_versions']:,} versions restored."
    )


ARCHIVE_PROCESS = (
    "import json, sys, time\n"
    "started = time.perf_counter()\n"
    "from ledger.store import Store\n"
    "store = Store(sys.argv[1])\n"
    "plan = store.plan_named('bench')\n"
    "entries = 0\n"
    "if sys.argv[3] == 'archive':\n"
    "    from ledger import archive\n"
    "    entries = len(archive.write(store, plan.id, None, sys.argv[2]).entries)\n"
    "peak = int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])  # not ru_maxrss: see _process\n"
    "print(json.dumps({'s': time.perf_counter() - started, 'entries': entries, 'maxrss_mib': peak / 1024}))\n"
)


def archive_section(folder: Path, repeat: int, weeks: int = 52, measures: int = 50) -> dict:
    """The archive of one plan without units of `weeks` weekly versions of `measures` measures (originals, a brief
    and notices PDF per week, the workbooks and the index), each run a process of its own: wall time and peak memory
    (ru_maxrss), against a process that only opens the same store."""
    url = weekly_history(folder, weeks, measures)
    out = folder / "archive.zip"
    runs: dict[str, list[dict]] = {"archive": [], "open": []}
    for _ in range(max(1, min(repeat, 3))):
        for kind in runs:
            done = subprocess.run(
                [sys.executable, "-c", ARCHIVE_PROCESS, url, str(out), kind],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
            runs[kind].append(json.loads(done.stdout.strip().splitlines()[-1]))
    made = sorted(runs["archive"], key=lambda r: r["s"])[len(runs["archive"]) // 2]
    bare = sorted(runs["open"], key=lambda r: r["s"])[len(runs["open"]) // 2]
    return {
        "weeks": weeks,
        "measures": measures,
        "runs": len(runs["archive"]),
        "archive_s": made["s"],
        "archive_maxrss_mib": max(r["maxrss_mib"] for r in runs["archive"]),
        "open_s": bare["s"],
        "open_maxrss_mib": max(r["maxrss_mib"] for r in runs["open"]),
        "entries": made["entries"] + 1,
        "zip_mib": out.stat().st_size / (1 << 20),
    }


def archive_report(a: dict) -> str:
    return (
        f"Archive of {a['weeks']} weekly versions × {a['measures']} measures: {a['archive_s']:.1f} s "
        f"(median of {a['runs']} processes; a process that only opens the store {a['open_s']:.1f} s), peak memory "
        f"{a['archive_maxrss_mib']:.0f} MiB (that process {a['open_maxrss_mib']:.0f} MiB); {a['entries']} entries, "
        f"{a['zip_mib']:.1f} MiB zip"
    )


def browser_section(folder: Path, repeat: int, sessions: int) -> dict:
    """The dashboard in Chromium against a minimal five-page app, on the two stores the page times use."""
    import browser

    stores = {
        "10,000 tasks": published_store(folder, 10_000),
        "52 weekly versions × 1,000 tasks": weekly_history(folder, 52, 1_000),
    }
    return browser.run(stores, rounds=repeat, starts=3, sessions=sessions)


def store_reading(folder: Path, repeat: int) -> dict:
    """A published version of 10,000 tasks read back from the store: its task snapshot (schema 5) against its rows,
    in turn; and the snapshot's size."""
    store = Store(published_store(folder, 10_000))
    version_id = store.last_published_id()
    with store.engine.connect() as conn:
        size = conn.execute(
            sa.select(sa.func.length(snapshots_table.c.arrow)).where(snapshots_table.c.version_id == version_id)
        ).scalar_one()
    store.ledger(version_id)  # first-call costs outside the timing
    found = interleaved(
        {"rows": lambda: store.tasks_from_rows(version_id), "snapshot": lambda: store.ledger(version_id)}, repeat
    )
    store.dispose()
    return {
        "tasks": 10_000,
        "rows_s": found["rows"][0],
        "snapshot_s": found["snapshot"][0],
        "snapshot_kib": size / 1024,
    }


def reading_only(folder: Path, sizes: list[int], repeat: int) -> dict:
    return {
        "reading": reading(folder, sizes, repeat),
        "summary_process": whole_process(folder, sizes[-1], repeat),
        "store_reading": store_reading(folder, repeat),
    }


def everything_but_postgres(folder: Path, sizes: list[int], repeat: int) -> dict:
    return {
        "reading": reading(folder, sizes, repeat),
        "guarded": guarded(folder, sizes[1:], repeat),
        "plan_document": plan_document(repeat),
        "department_sheets": department_sheets(repeat),
        "meeting_pack": meeting_pack(folder, repeat),
        "summary_process": whole_process(folder, sizes[-1], repeat),
        "store_reading": store_reading(folder, repeat),
        "publish_10k": publishing(folder, 10_000, repeat),
        "pages_10k": page_times(published_store(folder, 10_000), repeat),
        "history_52x1000": page_times(weekly_history(folder, 52, 1_000), repeat),
        "columns": columns_section(folder, sizes, repeat, BEFORE_COLUMNS),
        "logins": simultaneous_logins(folder),
    }


BEFORE_COLUMNS = "680ebe3"  # main as it was before columns were read by meaning (the release this is held to)
READ_IN_TREE = (
    "import json, resource, statistics, sys, time\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "from datetime import date\n"
    "try:\n"
    "    from ledger.intake import read_ledger\n"
    "except ImportError:\n"
    "    from ledger.reading import read_ledger\n"
    "path, runs = sys.argv[2], int(sys.argv[3])\n"
    "files = [(path.rsplit('/', 1)[-1], open(path, 'rb').read())]\n"
    "read_ledger(files, date(2019, 6, 1))\n"
    "walls, cpus = [], []\n"
    "for _ in range(runs):\n"
    "    wall, cpu = time.perf_counter(), time.process_time()\n"
    "    read_ledger(files, date(2019, 6, 1))\n"
    "    walls.append(time.perf_counter() - wall)\n"
    "    cpus.append(time.process_time() - cpu)\n"
    "print(json.dumps({'wall': statistics.median(walls), 'cpu': statistics.median(cpus),\n"
    "                  'rss_mib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n"
)


def reading_against(folder: Path, revision: str, size: int, repeat: int) -> dict:
    """read_ledger (what the worker runs) at `size` tasks by this tree and by `revision` of it (a git worktree), each
    in a fresh process of its own, the two in turn; per process the median of 3 reads after a first one, and its
    peak RSS."""
    path = workbook(folder, size)
    tree = Path(tempfile.mkdtemp(prefix="ledger-before-")) / "tree"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), revision], check=True, capture_output=True
    )
    found: dict[str, list[dict]] = {"before": [], "now": []}
    try:
        for _ in range(repeat):
            for name, where in (("before", tree), ("now", ROOT)):
                done = subprocess.run(
                    [sys.executable, "-c", READ_IN_TREE, str(where), str(path), "3"],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                found[name].append(json.loads(done.stdout))
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], capture_output=True)

    def median(name: str, key: str) -> float:
        return statistics.median(x[key] for x in found[name])

    return {
        "tasks": size,
        "revision": revision,
        **{f"{name}_{key}": median(name, key) for name in found for key in ("wall", "cpu", "rss_mib")},
        "ratio": median("now", "wall") / median("before", "wall"),
        "cpu_ratio": median("now", "cpu") / median("before", "cpu"),
        "rss_ratio": median("now", "rss_mib") / median("before", "rss_mib"),
    }


ODD_HEADER = ("条目", "办什么", "谁来抓", "归口", "经手", "交账日子", "眼下")
ODD_CHOICE = {"条目": "id", "办什么": "measure", "谁来抓": "leader", "归口": "department", "经手": "owner",
              "交账日子": "due", "眼下": "status"}  # fmt: skip


def odd_ledger(size: int) -> bytes:
    """The scaled ledger of `size` measures under headers no rule can guess (what the column step is for)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["某中学整改推进表"])
    sheet.append(["填报日期：2019年5月27日"])
    sheet.append(list(ODD_HEADER))
    for row in scaled_tasks(size):
        due = row["due"] if isinstance(row["due"], date) else "长期"
        sheet.append([row["id"], row["measure"], row["leader"], row["department"], row["owner"], due, row["status"]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def column_step(folder: Path, size: int, repeat: int) -> dict:
    """The Upload page's column step: the check re-run with a person's choice of columns (check_upload: the guarded
    path, the worker from the fork server as on the page), against the first check of the same upload (no choice,
    columns read by meaning) and a bare calamine read of the file, in turn."""
    from ledger.intake import guard, key_of

    data = odd_ledger(size)
    path = folder / f"odd_{size}.xlsx"
    path.write_bytes(data)
    files = [(path.name, data)]
    store = Store(f"sqlite:///{folder / 'column_step.db'}")
    chosen = {key_of(header): field for header, field in ODD_CHOICE.items()}
    guard.warm_up()  # the dashboard starts its fork server at launch
    assert check_upload(store, files, date(2019, 6, 1), columns=chosen).ok  # first-call costs outside the timing
    found = interleaved(
        {
            "bare": lambda: bare_read(path),
            "first": lambda: check_upload(store, files, date(2019, 6, 1)),
            "chosen": lambda: check_upload(store, files, date(2019, 6, 1), columns=chosen),
        },
        repeat,
    )
    store.dispose()
    return {"tasks": size, **{f"{name}_s": wall for name, (wall, _) in found.items()}, **column_step_page(path, repeat)}


def column_step_page(path: Path, repeat: int) -> dict:
    """The Upload page's run after a person changes a column's picker (AppTest): the whole script with the check
    re-run for a choice not read before, against the same page run with nothing changed (warm). Up to 8 repeats."""
    from streamlit.testing.v1 import AppTest

    os.environ["LEDGER_DB_URL"] = f"sqlite:///{path.parent / 'column_step_page.db'}"
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    at.secrets["editor_password"] = "bench password"
    at.run()
    at.switch_page("pages/upload.py").run()
    at.text_input(key="editor_password_input").input("bench password")
    at.button[0].click().run()
    at.file_uploader[0].set_value((path.name, path.read_bytes(), "application/octet-stream")).run()
    pickers = {box.label.split(" · ", 1)[1]: box.key for box in at.selectbox if (box.key or "").startswith("column_")}
    unseen = iter(  # a choice of columns not read before on each run: the check runs again, as after a change
        {**ODD_CHOICE, "条目": first, "眼下": second}
        for first in ("id", "extra", "ignore")
        for second in ("status", "extra", "ignore")
    )

    def change() -> None:
        for header, field in next(unseen).items():
            at.selectbox(key=pickers[header]).set_value(field)
        at.run()
        assert not at.exception and at.success, at.exception

    change()
    changed = median_time(change, min(repeat, 8))
    warm = median_time(at.run, repeat)
    return {"page_changed_s": changed, "page_warm_s": warm}


def columns_section(folder: Path, sizes: list[int], repeat: int, revision: str) -> dict:
    return {
        "reading_against": reading_against(folder, revision, sizes[-1], repeat),
        "column_step": column_step(folder, 1_000, repeat),
    }


def report_columns(r: dict) -> list[str]:
    """Reading by meaning against the release before it (target ≤ 1.05× at 100,000 tasks), and the column step."""
    a, c = r["reading_against"], r["column_step"]
    return [
        f"Reading by meaning, {a['tasks']:,} tasks, `read_ledger` in a fresh process each, this tree against "
        f"{a['revision']} in turn: {a['now_wall']:.3f} s vs {a['before_wall']:.3f} s → **{a['ratio']:.3f}×** "
        f"(CPU {a['cpu_ratio']:.3f}×; peak RSS {a['now_rss_mib']:.0f} MiB vs {a['before_rss_mib']:.0f} MiB → "
        f"{a['rss_ratio']:.3f}×; target ≤ 1.05×).",
        f"The column step re-checking {c['tasks']:,} rows with a person's choice of columns: {c['chosen_s']:.3f} s "
        f"(target ≤ 0.3 s; the first check of the same upload {c['first_s']:.3f} s, a bare read {c['bare_s']:.3f} s); "
        f"the Upload page's whole run after a picker changes {c['page_changed_s']:.3f} s (AppTest; the same page "
        f"run with nothing changed {c['page_warm_s']:.3f} s).",
    ]


LOGINS_IN_PROCESS = (
    "import json, resource, sys, threading, time\n"
    "from concurrent.futures import ThreadPoolExecutor\n"
    "from datetime import datetime\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "from ledger import accounts, throttle\n"
    "from ledger.store import Store\n"
    "store = Store(sys.argv[2])\n"
    "throttle.set_verify_slots(int(sys.argv[3]))\n"
    "accounts.log_in(store, 'u0', 'secret-password-0', address='10.0.0.1', now=datetime.now())\n"
    "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
    "start = time.perf_counter()\n"
    "with ThreadPoolExecutor(max_workers=20) as pool:\n"
    "    done = list(pool.map(lambda n: accounts.log_in(store, f'u{n}', f'secret-password-{n}',\n"
    "        address=f'10.0.{n}.1', now=datetime.now()).user is not None, range(20)))\n"
    "print(json.dumps({'ok': sum(done), 'seconds': time.perf_counter() - start, 'before_mib': before,\n"
    "                  'peak_mib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n"
)


def simultaneous_logins(folder: Path) -> dict:
    """20 people logging in at the same moment (argon2, 64 MiB a check), in a fresh process each time: the peak
    memory with the password checks run two at a time (the default), against all twenty at once."""
    from ledger import accounts

    url = f"sqlite:///{folder / 'logins.db'}"
    if not (folder / "logins.db").exists():
        store = Store(url)
        for n in range(20):
            accounts.add_user(store, f"u{n}", "viewer", f"secret-password-{n}", at=datetime.now(), by="bench")
        store.dispose()
    found = {}
    for slots in (2, 20):
        done = subprocess.run(
            [sys.executable, "-c", LOGINS_IN_PROCESS, str(ROOT), url, str(slots)],
            check=True,
            capture_output=True,
            text=True,
        )
        found[slots] = json.loads(done.stdout)
    return {"two_at_a_time": found[2], "all_at_once": found[20]}


def report(r: dict) -> str:
    lines = [f"Machine: {r['machine']}; medians of {r['repeat']} runs."]
    if "reading" in r:
        lines += ["", *report_reading(r)]
    if "guarded" in r:
        lines += ["", *report_files(r)]
    if "columns" in r:
        lines += ["", *report_columns(r["columns"])]
    if "logins" in r:
        two, every = r["logins"]["two_at_a_time"], r["logins"]["all_at_once"]
        lines += [
            "",
            f"20 simultaneous logins: peak memory {two['peak_mib']:.0f} MiB with the password checks two at a time "
            f"({two['peak_mib'] - two['before_mib']:+.0f} MiB over one login; {two['seconds']:.2f} s for all), "
            f"{every['peak_mib']:.0f} MiB with all twenty at once ({every['peak_mib'] - every['before_mib']:+.0f} MiB; "
            f"{every['seconds']:.2f} s).",
        ]
    if "browser" in r:
        import browser

        lines += ["", *browser.report(r["browser"])]
    if "units_postgres" in r:
        lines += ["", *report_units(r["units_postgres"])]
    return "\n".join(lines)


def report_reading(r: dict) -> list[str]:
    """Reading against a bare calamine read: in process (target ≤ 1.3× at 100,000 tasks) and as a whole
    `summary` process (target ≤ 2×); each figure next to its baseline, measured in turn in the same run."""
    lines = [
        "| tasks | bare calamine read | read_ledger (read+validate) | ratio | ratio of CPU time |",
        "|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {x['tasks']:,} | {x['bare_read_s']:.3f} s | {x['load_ledger_s']:.3f} s | {x['ratio']:.2f}× | "
        f"{x['cpu_ratio']:.2f}× |"
        for x in r["reading"]
    ]
    s = r["summary_process"]
    lines += [
        "",
        f"Whole process, {s['tasks']:,} tasks: `python -m ledger summary --json` {s['summary_process_s']:.2f} s"
        f" vs a process that only reads the cells {s['bare_read_process_s']:.2f} s → **{s['ratio']:.2f}×** "
        f"(CPU time of the process trees: {s['summary_process_cpu_s']:.2f} s vs {s['bare_read_process_cpu_s']:.2f} s"
        f" → {s['cpu_ratio']:.2f}×; target ≤ 2×).",
        f"Load average (1 min) before / after: {' / '.join(f'{load:.1f}' for load in r['load'])}."
        if "load" in r
        else "",
    ]
    if "store_reading" in r:
        x = r["store_reading"]
        lines.append(
            f"A published version of {x['tasks']:,} tasks read back from the store: from its snapshot "
            f"{x['snapshot_s']:.3f} s, from its rows {x['rows_s']:.3f} s ({x['rows_s'] / x['snapshot_s']:.1f}× "
            f"longer); the snapshot holds {x['snapshot_kib']:.0f} KiB."
        )
    return lines


def report_files(r: dict) -> list[str]:
    lines = [
        "| file | read in process | guarded, forked worker (CLI) | guarded, fork server (dashboard) | "
        "overhead (CLI / dashboard) | largest worker RSS so far |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {g['file']} | {g['in_process_s']:.3f} s | {g['forked_s']:.3f} s | {g['fork_server_s']:.3f} s | "
        f"+{g['forked_s'] - g['in_process_s']:.3f} s / +{g['fork_server_s'] - g['in_process_s']:.3f} s | "
        f"{g['worker_peak_rss_mb']:.0f} MB |"
        for g in r["guarded"]
    ]
    d, s10 = r["plan_document"], r["department_sheets"]
    lines += [
        "",
        f"Seed plan document (.docx): read_plan {d['read_plan_s']:.3f} s in process, load_plan "
        f"{d['load_plan_guarded_s']:.3f} s guarded (target ≤ 0.2 s); python-docx only opening it: "
        f"{d['python_docx_open_s']:.3f} s.",
        f"10,000 tasks as 10 department sheets: {s10['ten_sheets_s']:.3f} s vs one sheet "
        f"{s10['one_sheet_s']:.3f} s → **{s10['ratio']:.2f}×** (target ≤ 1.3×).",
    ]
    m = r["meeting_pack"]
    lines += [
        "",
        "| meeting pack | read the ledger | brief PDF | brief Word | image | workbook |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, x in (("sample (17 tasks)", m["sample"]), ("10,000 tasks", m["10k"])):
        lines.append(
            f"| {label} | {x['read_s']:.3f} s | {x['brief_pdf_s']:.3f} s ({x['brief_pdf_s'] / x['read_s']:.2f}×)"
            f" | {x['brief_docx_s']:.3f} s | {x['image_s']:.3f} s | {x['workbook_s']:.3f} s |"
        )
    n, mem = m["notices_200"], m["memory_10k_mb"]
    lines += [
        f"Notices for {n['leaders']} leaders ({n['tasks']:,} tasks): PDF {n['pdf_s']:.2f} s, Word zip "
        f"{n['docx_zip_s']:.2f} s, against reading that ledger {n['read_s']:.3f} s (targets: brief of the sample "
        "≤ 1 s, of 10,000 tasks ≤ 3 s, notices for 200 leaders ≤ 10 s).",
        f"Peak memory of a process reading 10,000 tasks: {mem['read']:.0f} MB; reading them and writing the "
        f"brief PDF: {mem['brief']:.0f} MB ({mem['brief'] / mem['read']:.2f}×).",
    ]
    lines += [
        "",
        f"Publish (check + store) of 10,000 tasks into SQLite: {r['publish_10k']['check_and_publish_s']:.2f} s "
        f"({r['publish_10k']['ratio']:.2f}× a bare read of the file).",
        "",
        "| page (warm caches) | 10,000 tasks | 52 weekly versions × 1,000 tasks |",
        "|---|---:|---:|",
    ]
    for page in PAGES:
        lines.append(f"| {page} | {r['pages_10k'][page]:.3f} s | {r['history_52x1000'][page]:.3f} s |")
    lines.append(
        f"| baseline: one-line page | {r['pages_10k']['baseline_page_s']:.3f} s | "
        f"{r['history_52x1000']['baseline_page_s']:.3f} s |"
    )
    return lines


def report_units(u: dict) -> list[str]:
    if "skipped" in u:
        return [f"Roll-up of many units on PostgreSQL: skipped — {u['skipped']}."]
    rows, core, pages, pub = u["rows"], u["core"], u["pages"], u["publish"]
    mib = 1024 * 1024
    versions = rows["ledger_versions"]
    lines = [
        f"Roll-up on PostgreSQL ({u['server']}): {u['units']} units × {u['measures']} measures × {u['weeks']} "
        f"weekly versions"
        + (f" (REDUCED with --quick or --units; the target is for {UNITS_FULL} units)" if u["reduced"] else "")
        + ".",
        f"Store built through Store.publish in {u['build_s']:.0f} s ({u['publish_each_s'] * 1000:.1f} ms a "
        f"version; {u['read_ledgers_s']:.1f} s to write and read the {u['weeks'] * VARIANTS} weekly ledgers): "
        f"{versions:,} versions, {rows['ledger_tasks']:,} task rows, {rows['ledger_files']:,} files, "
        f"{rows['ledger_audit']:,} audit records.",
        f"Database size {u['store']['database_bytes'] / mib:.1f} MiB (empty store "
        f"{u['empty_store']['database_bytes'] / mib:.1f} MiB) → **{u['bytes_per_version'] / 1024:.1f} KiB a "
        f"version** ("
        + ", ".join(
            f"{name.removeprefix('ledger_')} {size / mib:.1f} MiB"
            for name, size in sorted(u["store"]["tables_bytes"].items(), key=lambda x: -x[1])[:4]
        )
        + ").",
        "",
        "| page (AppTest, all units) | first run (caches cold, as after any publish) | warm (2nd and later runs) |",
        "|---|---:|---:|",
    ]
    for page in UNIT_PAGES:
        target = " (target ≤ 1 s)" if page == "pages/rollup.py" else ""
        lines.append(f"| {page} | {pages[page]['cold_s']:.3f} s | **{pages[page]['warm_s']:.3f} s**{target} |")
    if "after_publish_s" in pages:
        lines.append(
            f"| pages/rollup.py, the first run after one unit publishes | {pages['after_publish_s']:.3f} s | |"
        )
    lines += [
        f"| baseline: one-line page | | {pages['baseline_page_s']:.3f} s |",
        "",
        f"After a start: the app's first run (the default page, all units together) {pages['first_run_s']:.3f} s, "
        f"then the Units page's first run **{pages['pages/rollup.py']['cold_s']:.3f} s** (target ≤ 1 s), reading "
        f"each unit's kept figures; keeping the newest {u['units']} versions' figures took {u['keep_newest_s']:.1f} s.",
        f"Core: rollup() reading kept figures {core['rollup_s']:.3f} s, against summarising every unit "
        f"{core['rollup_summarising_s']:.3f} s ({core['rollup_summarising_s'] / core['rollup_s']:.0f}×); "
        f"combined() {core['combined_s']:.3f} s, "
        f"store.versions() {core['versions_s']:.3f} s, changes_stamp() {core['changes_stamp_s'] * 1000:.1f} ms.",
        f"A publish (check_upload + publish) of one {u['measures']}-measure ledger: into this store "
        f"{pub['big_total_s']:.3f} s, into an empty store {pub['empty_total_s']:.3f} s → **{pub['ratio']:.2f}×** "
        f"(target ≤ 1.5×); Store.publish alone {pub['big_publish_s']:.3f} s vs {pub['empty_publish_s']:.3f} s "
        f"({pub['publish_ratio']:.2f}×), the check {pub['big_check_s']:.3f} s vs {pub['empty_check_s']:.3f} s.",
    ]
    if "backup" in u:
        lines.append(backup_report(u["backup"]))
    return lines


if __name__ == "__main__":
    main()
