"""Every page at its own address, and accessibility to WCAG 2.0 AA (GB/T 37668, README "Accessibility"): axe-core in
Chromium on every page, in Chinese and in English, with the bundled sample and with a plan reported by units (logged
in as the admin, so the roll-up, users, audit and inspection pages are there too); the charts' words for screen
readers; the keyboard.

axe-core comes from npm (tests/run.sh installs it into .cache/axe); without it the audit skips, or fails when CI=true.
A page passes when axe finds no violation of impact "serious" or "critical" among the WCAG 2.0 A and AA rules, and
no heading level skipped (axe's heading-order rule)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ledger import accounts, metrics
from ledger.i18n import translate
from ledger.publishing import check_upload, publish
from ledger.sample import history_files
from ledger.store import Store
from tests.conftest import in_ci
from tests.e2e.conftest import ADMIN, ADMIN_PASSWORD, ROOT, accounts_env, served, wait_for_app
from ui import navigation

OPEN_TO_ALL = [spec for spec in navigation.listed(published=True, units=False) if spec.needs is None]

pytestmark = pytest.mark.browser

AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
FAILING = ("serious", "critical")
ALWAYS = ("heading-order",)  # a best-practice rule, run besides the WCAG ones: a heading level skipped fails too
AXE_RUN = """() => axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]},
    rules: {"heading-order": {enabled: true}},
    resultTypes: ["violations"],
}).then(result => ({
    passed: result.passes.map(rule => rule.id),
    violations: result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
    })),
}))"""
PLAN = "全市教育系统意识形态整改方案"
REPORTED = {"第一中学": date(2019, 5, 27), "第三中学": date(2019, 5, 13)}
AT = datetime(2019, 5, 27, 17)


@pytest.fixture(scope="session")  # not the module's: the sample's audits need not run in one worker (tests/conftest.py)
def axe_script() -> Path:
    if not AXE.exists():
        message = f"{AXE} is missing: tests/run.sh installs it (npm install --prefix .cache/axe axe-core@4.14.1)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return AXE


DRAWN = """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(
    [...document.querySelectorAll("[data-testid='stPlotlyChart']")].every(c => c.querySelector(".main-svg")) &&
    [...document.querySelectorAll("[data-testid='stDataFrame']")].every(d => d.querySelector("canvas"))
))))"""  # every chart and grid drawn, and two frames painted since


def audit(page: Page, axe: Path) -> list[dict]:
    """axe's violations on the page as it stands that fail the audit, each with the elements it found."""
    wait_for_app(page)
    page.wait_for_function(DRAWN)  # charts and grids draw just after the run ends
    wait_for_app(page)
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(axe))
    result = page.evaluate(AXE_RUN)
    assert {"color-contrast", "heading-order", "document-title"} <= set(result["passed"]) | {
        v["id"] for v in result["violations"]
    }, result["passed"]  # the rules ran, on a page with text and headings
    return [v for v in result["violations"] if v["impact"] in FAILING or v["id"] in ALWAYS]


def described(found: dict[str, list[dict]]) -> str:
    lines = []
    for where, violations in found.items():
        for v in violations:
            lines.append(f"{where}: {v['id']} ({v['impact']}) {v['help']}")
            for node in v["nodes"][:5]:
                summary = " ".join(node["summary"].split())[:300]
                lines.append(f"    {node['target']}: {summary}")
            if len(v["nodes"]) > 5:
                lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def counts(found: dict[str, list[dict]]) -> str:
    """Per page, the elements in serious or critical violations and the headings out of order: for the log."""
    shown = []
    for where, violations in found.items():
        failing = sum(len(v["nodes"]) for v in violations if v["impact"] in FAILING)
        order = sum(len(v["nodes"]) for v in violations if v["id"] in ALWAYS)
        shown.append(f"{where} {failing}/{order}")
    return ", ".join(shown)


def check(found: dict[str, list[dict]], what: str) -> None:
    print(f"axe, {what}: serious or critical / heading order, per page: {counts(found)}")
    if any(found.values()):
        pytest.fail(described(found), pytrace=False)


def sidebar_paths(page: Page) -> list[str]:
    """The url paths of every page in the sidebar's navigation (its "view more" opened)."""
    nav = page.get_by_test_id("stSidebarNav")
    more = nav.get_by_test_id("stSidebarNavViewButton")
    if more.count() and "more" in more.inner_text().lower():
        more.click()
    return nav.locator("a").evaluate_all("links => links.map(a => new URL(a.href).pathname)")


def visit(page: Page, url: str, lang: str, heading: str) -> None:
    """Open `url` in a new session, as a bookmark or a pasted link does: the page titled `heading`, in `lang`, no
    dialog (Streamlit's "Page not found"), no exception, the address kept."""
    page.goto(url)
    expect(page.locator("h1").first).to_have_text(translate(heading, lang))
    wait_for_app(page)
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert page.url.split("?")[0] == url.split("?")[0], page.url


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_opens_at_its_own_address_and_passes_axe(page: Page, app_url: str, axe_script: Path, lang: str):
    """Test that every page of the sample in the sidebar (an editor on this machine: the upload, plan and inspection
    pages too) opens at its own address in each language with no dialog, the overview at / and at /overview too, and
    that axe finds no serious or critical WCAG 2.0 A/AA violation, and no skipped heading level, on any of them."""
    visit(page, f"{app_url}/?lang={lang}", lang, "overview.title")
    paths = sidebar_paths(page)
    assert {"/", "/timeline", "/categories", "/responsibilities", "/evidence", "/inspection"} <= set(paths)
    assert {"/history", "/meeting", "/upload", "/plan"} <= set(paths)
    assert {f"/{spec.key}" for spec in OPEN_TO_ALL} - {"/overview"} <= set(paths)  # the default page is at /
    found = {"/": audit(page, axe_script)}
    for path in paths[1:]:
        visit(page, f"{app_url}{path}?lang={lang}", lang, navigation.BY_KEY[path[1:]].heading)
        found[path] = audit(page, axe_script)
    visit(page, f"{app_url}/overview?lang={lang}", lang, "overview.title")
    check(found, f"sample, {lang}")


@pytest.fixture(scope="module")
def units_app(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[str]:
    """A server on a store with a plan reported by two units and an admin account (LEDGER_ADMIN_PASSWORD)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('a11y') / 'ledger.db'}"
    weeks = {
        date.fromisoformat(name.rsplit("_", 1)[1].removesuffix(".xlsx")): data for name, data in history_files().items()
    }
    store = Store(url)
    plan = store.create_plan(PLAN, created_at=AT)
    for unit, day in REPORTED.items():
        unit_id = accounts.add_unit(store, unit, at=AT, by="setup", plan_id=plan.id).id
        files = [(f"{unit}_整改台账_{day.isoformat()}.xlsx", weeks[day])]
        check = check_upload(store, files, day, plan_id=plan.id)
        publish(store, files, check, plan=plan.id, uploaded_by="setup", uploaded_at=AT, unit_id=unit_id)
    store.dispose()
    with served(request, accounts_env(url)) as base:
        yield base


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_of_a_plan_reported_by_units_passes_axe(page: Page, units_app: str, axe_script: Path, lang: str):
    """Test that the login page, and every page the admin of a plan reported by units reaches from the sidebar (the
    roll-up, users, audit trail and inspection among them), pass axe in each language, and that each sidebar link
    opens its own page (its title) without an exception, the meeting page left as a user leaves it."""
    page.goto(f"{units_app}/?lang={lang}")
    expect(page.locator("h1")).to_have_text(translate("access.login_title", lang))
    found = {"/login": audit(page, axe_script)}
    page.locator(".st-key-login_name input").fill(ADMIN)
    page.locator(".st-key-login_password input").fill(ADMIN_PASSWORD)
    page.get_by_test_id("stForm").get_by_role("button", name=translate("access.login", lang)).click()
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible()
    wait_for_app(page)
    if lang == "en":  # the login keeps the language (it once fell back to Chinese)
        expect(page.locator("h1").first).to_have_text(re.compile("[A-Za-z]"))
    paths = sidebar_paths(page)
    assert {"/", "/rollup", "/users", "/audit", "/inspection", "/meeting"} <= set(paths), paths
    nav = page.get_by_test_id("stSidebarNav")
    for path in paths:  # by the sidebar: a reload would start a new session, logged out
        link = nav.locator("a").nth(paths.index(path))
        more = nav.get_by_test_id("stSidebarNavViewButton")
        if not link.is_visible() and more.count():
            more.click()
        link.click()
        expect(page).to_have_url(re.compile(f"{re.escape(path)}(\\?.*)?$"))
        heading = navigation.BY_KEY[path.strip("/") or "overview"].heading
        expect(page.locator("h1").first).to_have_text(translate(heading, lang))  # the page the link names
        found[path] = audit(page, axe_script)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        if path == "/meeting":  # meeting mode hides the sidebar: leave it the way a user does
            page.get_by_text(translate("slides.exit", lang)).click()
            expect(nav).to_be_visible()
            wait_for_app(page)
    check(found, f"units, {lang}")


FOCUSED = """() => {
    const e = document.activeElement;
    const shown = el => {
        const s = getComputedStyle(el);
        return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
    };
    const marked = [e, e.parentElement, e.parentElement?.parentElement].filter(Boolean).some(shown);
    const where = e.closest("[data-testid='stSidebar']") ? "sidebar" : e.closest("[data-testid='stMain']") ? "main" : "";
    return {tag: e.tagName, where, testid: e.closest("[data-testid]")?.dataset.testid || "", text: (e.innerText || "").trim(),
            label: e.getAttribute("aria-label") || "", marked};
}"""


def test_the_keyboard_reaches_every_control_of_the_overview_with_a_visible_focus(page: Page, app_url: str):
    """Test that Tab alone reaches the sidebar's page links, its language, version and date controls, the main
    area's figure help marks, table and expanders, each with an outline or ring that shows the focus."""
    page.goto(app_url)
    expect(page.locator("h1")).to_have_text(translate("overview.title", "zh"))
    wait_for_app(page)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")  # a screen reader reads Chinese as Chinese
    page.wait_for_timeout(300)
    stops = []
    for _ in range(80):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stops and (stop["tag"] == "BODY" or stop["testid"] == "stSkipToContent"):  # round the page once
            break
        stops.append(stop)
    # The grid draws its focused cell's ring on its canvas, whether the focus sits on the canvas or, after a few Tabs
    # inside the grid (it varies from run to run), on a cell of the table it keeps for screen readers (glide-cell-…)
    in_grid = [
        stop for stop in stops if stop["testid"] == "data-grid-canvas" or stop["testid"].startswith("glide-cell-")
    ]
    unmarked = [stop for stop in stops if not stop["marked"] and stop["testid"] != "stMain" and stop not in in_grid]
    assert in_grid and unmarked == [], unmarked  # the table is reached too
    links = [stop["text"].split()[-1] for stop in stops if stop["testid"] == "stSidebarNavLink"]
    assert links == [translate(f"page.{name}", "zh") for name in PAGE_ORDER], links
    reached = {(stop["where"], stop["testid"]) for stop in stops}
    assert {("sidebar", "stRadioOption"), ("sidebar", "stSelectbox"), ("sidebar", "stExpander")} <= reached
    assert ("sidebar", "stDateInputCalendarButton") in reached
    assert {("main", "stExpander"), ("main", "stBaseButton-elementToolbar")} <= reached
    helps = [stop["label"] for stop in stops if stop["where"] == "main" and stop["testid"] == "figure"]
    limits = metrics.DEFAULT_THRESHOLDS
    light_help = translate("overview.lights_help", "zh", days=limits.due_soon_days, points=f"{limits.behind_points:g}")
    assert light_help in helps, helps  # each light's (?) mark, read out
    page.keyboard.press("Shift+Tab")  # back to the last stop, which still shows its focus
    assert page.evaluate(FOCUSED)["marked"]


PAGE_ORDER = (
    "overview",
    "timeline",
    "categories",
    "responsibilities",
    "evidence",
    "inspection",
    "history",
    "meeting",
    "upload",
    "plan",
)


def test_each_chart_is_also_in_words_for_screen_readers(page: Page, app_url: str):
    """Test that each chart has its figures in words after it, in the page but not drawn: the categories' names
    with their measures and percentages, the timeline's phases, the trend's values per report date."""
    words = page.locator(".chart-words")
    page.goto(f"{app_url}/categories")
    wait_for_app(page)
    expect(words).to_have_count(1)
    expect(words).to_contain_text(
        "思想重视不够、落实不力的问题：措施 5 项（已完成 1、进行中 2、未开始 2、长期坚持 0），上报完成率 20%"
    )
    assert words.bounding_box()["width"] <= 1  # for screen readers only
    page.goto(f"{app_url}/timeline?lang=en")
    wait_for_app(page)
    expect(words).to_contain_text("(2019-05-11 to 2019-05-31): Current, 9 measures, 22% done, 76% of the time gone")
    page.goto(f"{app_url}/history")
    wait_for_app(page)
    expect(words).to_contain_text("图表“完成率变化趋势”：全部：")
    expect(words).to_contain_text("2019-05-27 为 26.7%")
