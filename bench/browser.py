"""The browser section of the benchmark: the dashboard in headless Chromium (Playwright, Debian's /usr/bin/chromium)
against a minimal Streamlit app of five one-line pages (bench/minimal_app/app.py), served in the same run.

Measured, each dashboard round next to a round of the minimal app (interleaved), medians of the rounds:
- a sidebar click to idle: from the click (the page's own clock) until the script is idle
  (data-test-script-state="notRunning", no skeleton or spinner) and the new page's title shows; every page, twice
  per round: the first visit in the tab (Streamlit then loads the code of the elements it has not drawn yet), and
  again (the usual case: clicking between pages already seen);
- a full page load (typing the address): from the navigation's start until the same state, in a warm browser;
- the first load after a server start: a fresh server and a fresh browser profile each time;
- the server's memory (RSS of the streamlit process and its children, from /proc) while 20 sessions each visit
  every page and stay open, and the growth per extra session (between the 10th and the 20th);
- what Streamlit itself needs to draw some elements (bench/minimal_app/elements.py, served with the dashboard's
  settings): a one-line page under a sidebar like the dashboard's, 20 metrics, 100 captions, a table of 100 rows
  (plain, and coloured through a pandas Styler), a plotly chart of four bars, a code block; some again without any
  sidebar; clicks and full loads, so that a page's figure can be read against the elements it shows.
Each click also gives its profile: the bytes and messages the server sent on the websocket (Streamlit's forward
messages, counted by Playwright), the time until the last message (the server's script run, as sent) and from then
until idle (the browser drawing), and the browser's main-thread time (Chrome's Performance metrics).

    .venv/bin/python bench/bench.py --browser-only
"""

from __future__ import annotations

import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ledger.i18n import translate  # noqa: E402
from tests.e2e.conftest import _free_port, _healthy, streamlit_command  # noqa: E402  (the browser tests' server helpers)
from ui import navigation  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [  # as tests/e2e/conftest.py
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 900}
TIMEOUT_MS = 60_000
START_TIMEOUT_S = 90
MINIMAL = ROOT / "bench" / "minimal_app"
PYCACHE = ROOT / "bench" / "out" / "pycache"
# (url path, title) of each page, in sidebar order
MINIMAL_PAGES = (("", "第一页"), ("two", "第二页"), ("three", "第三页"), ("four", "第四页"), ("five", "第五页"))
ELEMENT_PAGES = (
    ("", "一行"),
    ("metrics", "20 个指标"),
    ("captions", "100 行说明"),
    ("table", "100 行表格"),
    ("styled", "100 行着色表格"),
    ("chart", "四根柱的图"),
    ("code", "代码块"),
    ("tables3", "如责任落实：数字卡片和三个 100 行表格"),
    ("clickable", "如分类完成：可点选的图、短表和选框"),
    ("as_timeline", "如时间轴：阶段图和短表"),
    ("as_history", "如历史版本：趋势、版本表和面板"),
    ("as_history_eight", "如历史版本，趋势画八条线"),
    ("bare_metrics", "20 个指标，无侧栏"),
    ("bare_table", "100 行表格，无侧栏"),
    ("bare_styled", "100 行着色表格，无侧栏"),
    ("bare_chart", "四根柱的图，无侧栏"),
)  # bench/minimal_app/elements.py PAGES
DASHBOARD_PAGES = tuple(
    ("" if spec.key == navigation.default_key(published=True) else spec.key, translate(spec.heading))
    for spec in navigation.listed(published=True, units=False)
    if spec.needs is None
)
LEAVE = {"meeting": translate("slides.exit")}  # pages that hide the sidebar, and the link that leaves them

_IDLE = """
(title) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
  if (document.querySelector("[data-testid='stSkeleton'], [data-testid='stAppSkeleton'], [data-testid='stSpinner']"))
    return false;
  if (![...document.querySelectorAll("h1")].some((h) => h.textContent.trim() === title)) return false;
  return performance.now();
}
"""
# The click's time, and when the page handled the first and the last message of the run (the page's own clock).
_CLOCKS = """
window.__bench = {click: 0, first: 0, last: 0};
addEventListener("click", () => { window.__bench = {click: performance.now(), first: 0, last: 0}; }, true);
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", () => {
      const b = window.__bench;
      b.first = b.first || performance.now();
      b.last = performance.now();
    });
  }
};
"""


# --- servers -----------------------------------------------------------------------------------------------------
@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen


@contextlib.contextmanager
def streamlit_server(name: str, script: Path, db_url: str | None = None, cwd: Path | None = None) -> Iterator[Server]:
    """`streamlit run script` on a free port, as tests/e2e/conftest.py starts the dashboard, from `cwd` or else the
    script's own folder (so the dashboard reads its .streamlit/config.toml and the minimal apps run with Streamlit's
    defaults), with a copy of the store at `db_url` (the server may write: the WAL, an audit record)."""
    port = _free_port()
    url = f"http://localhost:{port}"
    with tempfile.TemporaryDirectory(prefix="bench_browser_") as scratch, tempfile.TemporaryFile("w+") as log:
        # Compiled bytecode kept between starts, as any deployment keeps it (this machine sets PYTHONDONTWRITEBYTECODE,
        # which would make every start compile the project's modules again); under bench/out, not in the tree.
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPYCACHEPREFIX": str(PYCACHE)}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["LEDGER_DB_URL"] = f"sqlite:///{scratch}/unused.db"
        if db_url is not None:
            original = Path(db_url.removeprefix("sqlite:///"))
            shutil.copyfile(original, Path(scratch) / original.name)
            env["LEDGER_DB_URL"] = f"sqlite:///{scratch}/{original.name}"
        process = subprocess.Popen(
            streamlit_command(str(script), port),
            cwd=cwd or script.parent,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while not _healthy(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"{name}: streamlit did not start on {url}\n{log.read()}")
                time.sleep(0.05)
            yield Server(name, url, process)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _children(pid: int) -> list[int]:
    found = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(c) for c in f.read().split()]
    return found


def _proc_kib(path: str, name: str) -> int:
    with contextlib.suppress(OSError), open(path) as f:
        for line in f:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    return 0


def memory_mb(pid: int) -> dict:
    """RSS of the server process and of its whole tree (the reading workers' fork server counts the pages it shares
    with the server again), and the tree's PSS (shared pages split between the processes sharing them)."""
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo += _children(p)
    return {
        "server_rss_mb": _proc_kib(f"/proc/{pid}/status", "VmRSS") / 1024,
        "tree_rss_mb": sum(_proc_kib(f"/proc/{p}/status", "VmRSS") for p in tree) / 1024,
        "tree_pss_mb": sum(_proc_kib(f"/proc/{p}/smaps_rollup", "Pss") for p in tree) / 1024,
        "processes": len(tree),
    }


# --- one browser tab on one app ----------------------------------------------------------------------------------
@dataclass
class Click:
    seconds: float
    received_bytes: int
    messages: int
    profile: dict  # seconds: until the first message, the run as sent, after the last message; main-thread time


@dataclass
class Tab:
    """A browser context and page on one server, counting what arrives on the websocket."""

    server: Server
    pages: tuple[tuple[str, str], ...]
    context: object
    page: object
    cdp: object
    received: list[int] = field(default_factory=lambda: [0, 0])
    arrivals: list[float] = field(default_factory=list)  # when each frame reached the browser's network stack

    @classmethod
    def open(cls, browser, server: Server, pages) -> Tab:
        context = browser.new_context(locale="zh-CN", viewport=VIEWPORT)
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(_CLOCKS)
        page = context.new_page()
        tab = cls(server, pages, context, page, context.new_cdp_session(page))
        tab.cdp.send("Performance.enable")
        page.on("websocket", lambda ws: ws.on("framereceived", tab._count))
        return tab

    def _count(self, payload) -> None:
        self.received[0] += len(payload)
        self.received[1] += 1
        self.arrivals.append(time.perf_counter())

    def close(self) -> None:
        self.context.close()

    def _idle(self, path: str) -> float:
        title = dict(self.pages)[path]
        return self.page.wait_for_function(_IDLE, arg=title, polling="raf", timeout=TIMEOUT_MS).json_value()

    def _main_thread(self) -> dict:
        found = {m["name"]: m["value"] for m in self.cdp.send("Performance.getMetrics")["metrics"]}
        return {
            "main_thread_s": found.get("TaskDuration", 0.0),
            "script_s": found.get("ScriptDuration", 0.0),
            "style_layout_s": found.get("RecalcStyleDuration", 0.0) + found.get("LayoutDuration", 0.0),
        }

    def load(self, path: str) -> float:
        """Type the address: seconds from the navigation's start until the page is idle with its title."""
        self.page.goto(f"{self.server.url}/{path}")
        return self._idle(path) / 1000

    def click(self, path: str) -> Click:
        """Click the sidebar's link to `path`: seconds from the click until idle with the new title, and its
        profile."""
        links = self.page.get_by_test_id("stSidebarNav").locator("a")
        link = links.nth(self.sidebar_paths().index(path))
        before, self.received[:], self.arrivals[:] = self._main_thread(), [0, 0], []
        link.click()
        idle = self._idle(path)
        clock = self.page.evaluate("window.__bench")
        after = self._main_thread()
        profile = {  # the page's clock from the click: its first and last message of the run handled, then idle
            "first_s": (clock["first"] - clock["click"]) / 1000,
            "last_s": (clock["last"] - clock["click"]) / 1000,
            "after_last_s": (idle - clock["last"]) / 1000,
            "server_s": self.arrivals[-1] - self.arrivals[0] if self.arrivals else 0.0,  # the run, as sent
        } | {name: after[name] - before[name] for name in after}
        if path in LEAVE:
            self.page.get_by_text(LEAVE[path], exact=True).click()
            self._idle(self.pages[0][0])
        return Click((idle - clock["click"]) / 1000, *self.received, profile)

    def sidebar_paths(self) -> list[str]:
        more = self.page.get_by_test_id("stSidebarNavViewButton")  # past ten pages Streamlit folds the rest away
        if more.count() and more.inner_text().endswith("more"):
            more.click()
        hrefs = self.page.get_by_test_id("stSidebarNav").locator("a").evaluate_all("a => a.map(x => x.href)")
        return [h.removeprefix(self.server.url).strip("/") for h in hrefs]

    def visit_all(self) -> dict[str, Click]:
        """From the first page, a click to every other page, back to the first, then to those that hide the
        sidebar (each left by its own link, back to the first page)."""
        paths = [p for p, _ in self.pages]
        order = [p for p in paths[1:] if p not in LEAVE] + [paths[0]] + [p for p in paths if p in LEAVE]
        return {path: self.click(path) for path in order}


def round_of(tab: Tab) -> dict:
    """Every page typed in the address bar; then, in one document, every page reached by a sidebar click for the
    first time, and again."""
    paths = [p for p, _ in tab.pages]
    loads = {path: tab.load(path) for path in paths}
    tab.load(paths[0])
    found = set(tab.sidebar_paths())
    assert found == set(paths), f"{tab.server.name}: the sidebar has {sorted(found)}, the bench expects {sorted(paths)}"
    return {"load": loads, "first": tab.visit_all(), "again": tab.visit_all()}


def _median(values) -> float:
    return statistics.median(values)


def _summary(rounds: list[dict]) -> dict:
    paths = list(rounds[0]["load"])
    found = {
        "load_s": {p: _median(r["load"][p] for r in rounds) for p in paths},
        "load_median_s": _median(v for r in rounds for v in r["load"].values()),
    }
    for kind in ("first", "again"):
        clicks = [r[kind] for r in rounds]
        found[kind] = {
            "click_s": {p: _median(c[p].seconds for c in clicks) for p in paths},
            "median_s": _median(c[p].seconds for c in clicks for p in paths),
            "kib": {p: _median(c[p].received_bytes for c in clicks) / 1024 for p in paths},
            "messages": {p: _median(c[p].messages for c in clicks) for p in paths},
            "profile": {p: {k: _median(c[p].profile[k] for c in clicks) for k in clicks[0][p].profile} for p in paths},
        }
    return found


# --- the sections --------------------------------------------------------------------------------------------------
def clicks_and_loads(browser, stores: dict[str, str], rounds: int) -> dict:
    """Per store: `rounds` rounds of the minimal app and of the dashboard, alternately."""
    results = {}
    for label, db_url in stores.items():
        with (
            streamlit_server("minimal app", MINIMAL / "app.py") as minimal,
            streamlit_server("minimal app, the dashboard's settings", MINIMAL / "app.py", cwd=ROOT) as same,
            streamlit_server(f"dashboard, {label}", ROOT / "dashboard.py", db_url) as dashboard,
        ):
            tabs = {
                "baseline": Tab.open(browser, minimal, MINIMAL_PAGES),
                "baseline_settings": Tab.open(browser, same, MINIMAL_PAGES),
                "dashboard": Tab.open(browser, dashboard, DASHBOARD_PAGES),
            }
            for tab in tabs.values():  # warm: the browser's cache, the servers' imports and caches
                round_of(tab)
            measured: dict[str, list] = {name: [] for name in tabs}
            for n in range(rounds):
                for name, tab in tabs.items():
                    measured[name].append(round_of(tab))
                print(f"  {label}: round {n + 1} of {rounds}", flush=True)
            for tab in tabs.values():
                tab.close()
        results[label] = {name: _summary(found) for name, found in measured.items()}
    return results


def elements(browser, rounds: int) -> dict:
    """What Streamlit itself needs to draw some elements: clicks to the pages of bench/minimal_app/elements.py, the
    first visit in a freshly loaded tab and again, in rounds alternating with the minimal app's."""
    with (
        streamlit_server("minimal app", MINIMAL / "app.py") as minimal,
        # with the dashboard's settings (.streamlit/config.toml: no full garbage collection after each run, which
        # with pandas and plotly imported costs more than most elements), as the dashboard draws them
        streamlit_server("elements", MINIMAL / "elements.py", cwd=ROOT) as server,
    ):
        tabs = {
            "baseline": Tab.open(browser, minimal, MINIMAL_PAGES),
            "elements": Tab.open(browser, server, ELEMENT_PAGES),
        }
        measured: dict[str, list] = {name: [] for name in tabs}
        for n in range(rounds + 1):  # the first round warms the servers and the browser's cache
            for name, tab in tabs.items():
                loads = {path: tab.load(path) for path, _ in tab.pages}
                tab.load("")
                found = {"load": loads, "first": tab.visit_all(), "again": tab.visit_all()}
                if n:
                    measured[name].append(found)
        for tab in tabs.values():
            tab.close()
    found = {
        f"baseline_{kind}_s": _median(c.seconds for r in measured["baseline"] for c in r[kind].values())
        for kind in ("first", "again")
    }
    found["baseline_load_s"] = _median(s for r in measured["baseline"] for s in r["load"].values())
    for path, title in ELEMENT_PAGES:
        found[title] = {
            kind: {
                "click_s": _median(r[kind][path].seconds for r in measured["elements"]),
                "messages": _median(r[kind][path].messages for r in measured["elements"]),
                "kib": _median(r[kind][path].received_bytes for r in measured["elements"]) / 1024,
                "last_s": _median(r[kind][path].profile["last_s"] for r in measured["elements"]),
                "after_last_s": _median(r[kind][path].profile["after_last_s"] for r in measured["elements"]),
            }
            for kind in ("first", "again")
        } | {"load_s": _median(r["load"][path] for r in measured["elements"])}
    return found


def _apps(stores: dict[str, str]) -> dict[str, tuple]:
    return {"baseline": (MINIMAL / "app.py", None, MINIMAL_PAGES)} | {
        label: (ROOT / "dashboard.py", url, DASHBOARD_PAGES) for label, url in stores.items()
    }


def first_loads(browser, stores: dict[str, str], rounds: int) -> dict:
    """A fresh server and a fresh browser profile, the first page typed as soon as the server is healthy; with when
    the page handled the run's first message (Streamlit's own code loaded and started) and its last."""
    times: dict[str, list[dict]] = {}
    for _ in range(rounds):
        for name, (script, db_url, pages) in _apps(stores).items():
            with streamlit_server(name, script, db_url) as server:
                tab = Tab.open(browser, server, pages)
                idle = tab.load("")
                clock = tab.page.evaluate("window.__bench")
                times.setdefault(name, []).append(
                    {"idle_s": idle, "first_s": clock["first"] / 1000, "last_s": clock["last"] / 1000}
                )
                tab.close()
    return {
        name: {
            "median_s": _median(x["idle_s"] for x in found),
            "first_message_s": _median(x["first_s"] for x in found),
            "last_message_s": _median(x["last_s"] for x in found),
            "all_s": [x["idle_s"] for x in found],
        }
        for name, found in times.items()
    }


def memory(browser, stores: dict[str, str], sessions: int) -> dict:
    """`sessions` sessions one after another, each visiting every page and staying open; the server's memory after
    each (a second to settle first)."""
    results = {}
    for name, (script, db_url, pages) in _apps(stores).items():
        with streamlit_server(name, script, db_url) as server:
            time.sleep(1)
            after = [memory_mb(server.process.pid)]
            tabs = []
            for _ in range(sessions):
                tab = Tab.open(browser, server, pages)
                tab.load("")
                tab.visit_all()
                tabs.append(tab)
                time.sleep(1)
                after.append(memory_mb(server.process.pid))
            for tab in tabs:
                tab.close()
        half = sessions // 2
        results[name] = {
            "started": after[0],
            "one_session": after[1],
            "all_sessions": after[sessions],
            "sessions": sessions,
            "growth_per_session_mb": (after[sessions]["tree_rss_mb"] - after[half]["tree_rss_mb"]) / (sessions - half),
            "tree_rss_mb_by_sessions": [round(a["tree_rss_mb"], 1) for a in after],
        }
    return results


def run(stores: dict[str, str], rounds: int = 5, starts: int = 3, sessions: int = 20) -> dict:
    """The whole browser section; `stores` maps a label to a published SQLite store's URL."""
    if not os.path.exists(CHROMIUM):
        return {"skipped": f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk"}
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    load_before = os.getloadavg()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            print("Browser: clicks and full loads …", flush=True)
            found = {"clicks_and_loads": clicks_and_loads(browser, stores, rounds)}
            print("Browser: what Streamlit needs for some elements …", flush=True)
            found["elements"] = elements(browser, rounds)
            print("Browser: first loads after a server start …", flush=True)
            found["first_load"] = first_loads(browser, stores, starts)
            print(f"Browser: memory with {sessions} sessions …", flush=True)
            found["memory"] = memory(browser, stores, sessions)
        finally:
            browser.close()
    return found | {
        "rounds": rounds,
        "starts": starts,
        "load_average": {"before": load_before, "after": os.getloadavg()},
        "minutes": (time.perf_counter() - started) / 60,
    }


# --- the report ----------------------------------------------------------------------------------------------------
TARGETS = {"click": 1.5, "load": 1.5, "first": 2.5, "growth_mb": 20}


def _ratio(value: float, base: float, target: float) -> str:
    ratio = value / base
    return f"{ratio:.2f}×" + ("" if ratio <= target else " ✗")


def report(r: dict) -> list[str]:
    if "skipped" in r:
        return [f"Browser: skipped — {r['skipped']}."]
    stores = list(r["clicks_and_loads"])
    load = r["load_average"]
    lines = [
        f"Browser (Chromium; {r['rounds']} rounds, each next to a round of the minimal five-page app; load average "
        f"{load['before'][0]:.1f} before, {load['after'][0]:.1f} after; {r['minutes']:.0f} min). Ratios to the minimal "
        f"app's median in the same run; ✗ above the target (click and full load ≤ {TARGETS['click']}×).",
        "",
    ]
    for s in stores:
        base, ours = r["clicks_and_loads"][s]["baseline"], r["clicks_and_loads"][s]["dashboard"]
        lines += [
            f"**{s}**",
            "",
            "| page | click, again | click, first visit in the tab | full load | KiB / messages | last message at | "
            "idle after it | browser main thread |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for path, title in DASHBOARD_PAGES:
            again, first = ours["again"], ours["first"]
            p = again["profile"][path]
            lines.append(
                f"| {title} | {again['click_s'][path]:.3f} s ({_ratio(again['click_s'][path], base['again']['median_s'], TARGETS['click'])})"
                f" | {first['click_s'][path]:.3f} s ({_ratio(first['click_s'][path], base['first']['median_s'], TARGETS['click'])})"
                f" | {ours['load_s'][path]:.2f} s ({_ratio(ours['load_s'][path], base['load_median_s'], TARGETS['load'])})"
                f" | {again['kib'][path]:.0f} / {again['messages'][path]:.0f} | {p['last_s']:.3f} s"
                f" | {p['after_last_s']:.3f} s | {p['main_thread_s']:.3f} s |"
            )
        for name, label in (
            ("baseline", "minimal app (median of its pages)"),
            ("baseline_settings", "minimal app with the dashboard's .streamlit/config.toml"),
        ):
            m = r["clicks_and_loads"][s][name]
            b = m["again"]["profile"]["two"]
            lines.append(
                f"| {label} | {m['again']['median_s']:.3f} s | {m['first']['median_s']:.3f} s"
                f" | {m['load_median_s']:.2f} s | {m['again']['kib']['two']:.0f} / "
                f"{m['again']['messages']['two']:.0f} | {b['last_s']:.3f} s | {b['after_last_s']:.3f} s | "
                f"{b['main_thread_s']:.3f} s |"
            )
        lines.append("")
    e = r["elements"]
    lines += [
        "What Streamlit itself needs (bench/minimal_app/elements.py, served with the dashboard's settings: one kind "
        "of element per page under a sidebar like the dashboard's, and without any sidebar; nothing computed), against "
        "the minimal app (Streamlit's defaults) in the same run:",
        "",
        "| page | click, again | click, first visit in the tab | full load | messages | KiB | last message at | "
        "idle after it |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for _, title in ELEMENT_PAGES:
        again, first = e[title]["again"], e[title]["first"]
        lines.append(
            f"| {title} | {again['click_s']:.3f} s ({again['click_s'] / e['baseline_again_s']:.2f}×) | "
            f"{first['click_s']:.3f} s ({first['click_s'] / e['baseline_first_s']:.2f}×) | "
            f"{e[title]['load_s']:.2f} s ({e[title]['load_s'] / e['baseline_load_s']:.2f}×) | {again['messages']:.0f} | "
            f"{again['kib']:.0f} | {again['last_s']:.3f} s | {again['after_last_s']:.3f} s |"
        )
    lines.append(
        f"| minimal app (one line, no sidebar) | {e['baseline_again_s']:.3f} s | {e['baseline_first_s']:.3f} s "
        f"| {e['baseline_load_s']:.2f} s | | | | |"
    )
    first = r["first_load"]
    base = first["baseline"]["median_s"]
    lines += [
        "",
        f"First load after a server start (fresh server and browser profile, {r['starts']} starts each; target ≤ "
        f"{TARGETS['first']}×):",
        "",
        "| app | idle | ratio | first message handled at | last message at |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in ("baseline", *stores):
        x = first[name]
        lines.append(
            f"| {'minimal app' if name == 'baseline' else 'dashboard, ' + name} | {x['median_s']:.2f} s | "
            f"{_ratio(x['median_s'], base, TARGETS['first'])} | {x['first_message_s']:.2f} s | "
            f"{x['last_message_s']:.2f} s |"
        )
    lines.append("")
    mem = r["memory"]
    lines.append(
        "Server memory (RSS of the process tree): "
        + "; ".join(
            f"{name}: {m['started']['tree_rss_mb']:.0f} MB started, {m['one_session']['tree_rss_mb']:.0f} MB after one "
            f"session, {m['all_sessions']['tree_rss_mb']:.0f} MB after {m['sessions']} (PSS "
            f"{m['all_sessions']['tree_pss_mb']:.0f} MB), +{m['growth_per_session_mb']:.1f} MB per extra session"
            for name, m in mem.items()
        )
        + f" (target < {TARGETS['growth_mb']} MB)."
    )
    return lines
