"""End-to-end: the dashboard in headless Chromium against the sample ledger (as of 2019-05-27)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

import pytest
from playwright.sync_api import Locator, Page, expect

from ledger.i18n import translate
from ledger.sample import TITLE
from ledger.store import Store
from tests.e2e.conftest import figure_value, served, wait_for_app
from tests.families import odd_workbook
from tests.hostile import CORPUS
from tests.sheets import week_five
from ui import navigation

pytestmark = pytest.mark.browser

BARS = ".js-plotly-plot .barlayer .point path"
PAGES = {spec.key: translate(spec.heading, "zh") for spec in navigation.PAGES}


def open_app(page: Page, url: str, title: str) -> None:
    """Go to `url` and wait until the page titled `title` has finished its run."""
    page.goto(url)
    expect(page.locator("h1")).to_have_text(title)
    wait_for_app(page)


def follow(page: Page, path: str, title: str) -> None:
    """Follow the sidebar's link to `path` (a rerun in the same session, not a page load) and wait until the page
    titled `title` has finished its run."""
    page.get_by_test_id("stSidebarNav").locator(f"a[href*='{path}']").click()
    expect(page.locator("h1")).to_have_text(title)
    wait_for_app(page)


def metric(page: Page, label: str) -> Locator:
    """The value of the figure card (ui.cards) labelled exactly `label`."""
    return figure_value(page, label)


def no_exception(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_overview_shows_headline_figures(page: Page, app_url: str):
    """Test that the app opens on the overview and shows the headline figures of the sample."""
    open_app(page, app_url, PAGES["overview"])
    expect(metric(page, "整改措施")).to_have_text("17")
    expect(metric(page, "上报完成率")).to_have_text("26.7%")
    expect(metric(page, "超期未完成")).to_have_text("4")
    expect(metric(page, "7天内到期")).to_have_text("3")
    no_exception(page)


LABELS = ".annotation-text"  # the rows' labels, drawn above their bars (ledger.figures._labels_above)


def ticks_inside(chart: Locator) -> None:
    """Every row label of the chart is drawn whole inside the chart, from its left edge: labels sit above their
    bars (annotations), so the plot keeps the chart's whole width, on a phone too."""
    boxes = chart.evaluate(
        """c => {
          const chart = c.querySelector(".main-svg").getBoundingClientRect();
          return [...c.querySelectorAll(".annotation-text")].map(t => {
            const r = t.getBoundingClientRect();
            return {text: t.textContent, left: r.left - chart.left, right: chart.right - r.right};
          });
        }"""
    )
    labels = [box for box in boxes if box["text"] and not box["text"].startswith(("统计日", "As of"))]
    assert labels and all(box["left"] >= 0 and box["right"] >= 0 for box in labels), boxes
    assert min(box["left"] for box in labels) <= 48, boxes


def test_timeline_draws_gantt_and_measures(page: Page, app_url: str):
    """Test that the timeline draws a bar per phase with the as-of line, and the toggle adds the measures."""
    open_app(page, f"{app_url}/timeline", PAGES["timeline"])
    chart = page.get_by_test_id("stPlotlyChart")
    expect(chart.locator("svg").first).to_be_visible()
    expect(chart.get_by_text("统计日 5/27")).to_be_visible()
    expect(chart.locator(BARS).nth(3)).to_be_attached()  # at least one bar per phase
    expect(chart.locator(BARS).nth(4 + 17 - 1)).not_to_be_attached()
    ticks_inside(chart)
    page.get_by_test_id("stCheckbox").get_by_text("显示各阶段的整改措施").click()
    expect(chart.locator(BARS).nth(4 + 17 - 1)).to_be_attached()  # and one per measure
    wait_for_app(page)
    ticks_inside(chart)
    no_exception(page)


def test_categories_chart_shows_every_category_whole(page: Page, app_url: str):
    """Test that the categories chart labels each of the sample's five categories in full, inside the chart."""
    open_app(page, f"{app_url}/categories", PAGES["categories"])
    chart = page.get_by_test_id("stPlotlyChart")
    labels = chart.locator(LABELS).filter(has_text="问题")
    expect(labels).to_have_count(5)
    expect(labels.first).to_have_text("思想重视不够、落实不力的问题")
    ticks_inside(chart)
    no_exception(page)


def test_language_switch_to_english(page: Page, app_url: str):
    """Test that the sidebar radio switches the UI to English and that ?lang=en opens in English."""
    open_app(page, app_url, PAGES["overview"])
    page.get_by_test_id("stSidebar").get_by_test_id("stRadioOption").filter(has_text="English").click()
    expect(page.locator("h1")).to_have_text("Rectification progress")
    expect(page).to_have_url(re.compile(r"[?&]lang=en"))
    expect(page.get_by_test_id("stSidebarNav")).to_contain_text("Timeline")
    open_app(page, f"{app_url}/?lang=en", "Rectification progress")
    expect(metric(page, "Measures")).to_have_text("17")
    follow(page, "/timeline", "Timeline")  # in English still: the language is the session's
    chart = page.get_by_test_id("stPlotlyChart")
    page.get_by_test_id("stCheckbox").click()  # the measures too: English words under each phase's name
    expect(chart.locator(BARS).nth(4 + 17 - 1)).to_be_attached()
    wait_for_app(page)
    ticks_inside(chart)
    no_exception(page)


def test_responsibilities_lists_overdue_by_severity(page: Page, app_url: str):
    """Test that the responsibilities page counts the overdue measures by days late and offers the download."""
    open_app(page, f"{app_url}/responsibilities", PAGES["responsibilities"])
    expect(metric(page, "超期未完成")).to_have_text("4")
    expect(metric(page, "1–7天")).to_have_text("3")
    expect(metric(page, "8–30天")).to_have_text("1")
    expect(metric(page, "30天以上")).to_have_text("0")
    expect(page.get_by_test_id("stDownloadButton")).to_contain_text("下载超期和即将到期清单")
    no_exception(page)


def test_phone_viewport_shows_overview(phone_page: Page, app_url: str):
    """Test that a phone-sized viewport (390×844) shows the overview metrics without an exception."""
    open_app(phone_page, app_url, PAGES["overview"])
    expect(metric(phone_page, "整改措施")).to_be_in_viewport()
    expect(metric(phone_page, "整改措施")).to_have_text("17")
    expect(metric(phone_page, "超期未完成")).to_have_text("4")
    expect(phone_page.get_by_test_id("stExpandSidebarButton")).to_be_visible()  # the sidebar starts collapsed
    expect(phone_page.get_by_test_id("stSidebarNav")).not_to_be_in_viewport()
    no_exception(phone_page)


EDITOR_PASSWORD = "correct horse"
DEMO = 1  # the sample plan's id: a store's first start imports it before anything else is published


class Server(NamedTuple):
    url: str
    db_url: str  # its store, for a test to look up what the page cannot show (a plan's id)


@pytest.fixture(scope="module")
def editors(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server with the editor password for the tests that upload or publish, started once: each publishes into
    a new plan of its own, chosen from the sample plan's page (`?plan=1`; the first real plan is shown by default
    once there is one), so none sees another's versions and their order does not matter."""
    db_url = f"sqlite:///{tmp_path_factory.mktemp('editors') / 'ledger.db'}"
    with served(request, env={"LEDGER_EDITOR_PASSWORD": EDITOR_PASSWORD, "LEDGER_DB_URL": db_url}) as url:
        yield Server(url, db_url)


def test_editor_uploads_a_workbook_and_the_overview_changes(page: Page, editors: Server, tmp_path):
    """Test that an editor logs in, uploads next week's ledger in the browser, publishes it and the overview changes."""
    ledger = tmp_path / "整改台账_2019-06-03.xlsx"
    ledger.write_bytes(week_five())
    open_app(page, f"{editors.url}/upload?plan={DEMO}", "上传本周台账")
    expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
    page.get_by_label("编辑密码").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(ledger))
    expect(page.get_by_text("检查通过：没有错误，1 个提示。")).to_be_visible()
    page.get_by_label("上传人").fill("办公室主任")
    page.get_by_role("button", name="发布为新版本").click()
    expect(page.get_by_text(f"已发布为“{TITLE}”的第 1 版（填报日期 2019-06-03），所有页面已更新。")).to_be_visible()
    page.get_by_test_id("stSidebarNav").locator("a").filter(has_text="总览").click()
    expect(metric(page, "上报完成率")).to_have_text("40.0%")
    expect(metric(page, "超期未完成")).to_have_text("5")
    no_exception(page)


def pick(page: Page, label: str, option: str) -> None:
    """Choose `option` in the selectbox whose label holds `label`, as a person does: open it, click the option."""
    page.get_by_test_id("stSelectbox").filter(has_text=label).first.click()
    page.keyboard.type(option)  # the list is long and drawn a part at a time: narrow it to the option first
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page)


def test_an_office_confirms_the_columns_of_a_ledger_no_rule_can_guess_once(page: Page, editors: Server, tmp_path):
    """Test that an editor says in the column step which column is which, publishes, and next week's ledger of the
    same shape publishes without being asked."""
    week1, week2 = tmp_path / "推进表第一周.xlsx", tmp_path / "推进表第二周.xlsx"
    week1.write_bytes(odd_workbook(0))
    week2.write_bytes(odd_workbook(1))
    open_app(page, f"{editors.url}/upload?plan={DEMO}", "上传本周台账")
    log_in_and_upload(page, week1)
    expect(page.get_by_role("heading", name="确认各列")).to_be_visible()
    expect(page.get_by_text("发现 4 个错误", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="发布为新版本")).to_have_count(0)
    for header, field in (("谁来抓", "责任领导"), ("归口", "责任部门"), ("经手", "责任人"), ("条目", "序号")):
        pick(page, f"· {header}", field)
    expect(page.get_by_text("检查通过", exact=False)).to_be_visible()
    page.get_by_label("上传人").fill("办公室主任")
    page.get_by_role("button", name="发布为新版本").click()
    expect(page.get_by_text("已发布为“某中学整改推进表”的第 1 版", exact=False)).to_be_visible()
    # next week's file goes to the empty uploader drawn after the publish, not the one it replaces (it once did)
    expect(page.get_by_test_id("stFileChipName")).to_have_count(0)
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(week2))
    expect(page.get_by_text("检查通过", exact=False)).to_be_visible()
    expect(page.get_by_role("heading", name="确认各列")).to_have_count(0)
    page.get_by_role("button", name="发布为新版本").click()
    expect(page.get_by_text("已发布为“某中学整改推进表”的第 2 版", exact=False)).to_be_visible()
    no_exception(page)


def log_in_and_upload(page: Page, path) -> None:
    if page.get_by_label("编辑密码").count():
        page.get_by_label("编辑密码").fill(EDITOR_PASSWORD)
        page.get_by_role("button", name="登录").click()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))


def test_hostile_uploads_are_refused_and_the_server_still_serves_everyone(
    page: Page, phone_page: Page, editors: Server, tmp_path
):
    """Test that a far-cell workbook and a zip bomb are refused on the Upload page and another session (someone on
    a phone, with cookies of their own) is served."""
    far, bomb = tmp_path / "远处的单元格.xlsx", tmp_path / "压缩炸弹.xlsx"
    far.write_bytes(CORPUS["far cell XFD150000"][1]())
    bomb.write_bytes(CORPUS["zip bomb"][1]())
    url = editors.url
    open_app(page, f"{url}/upload?plan={DEMO}", "上传本周台账")
    log_in_and_upload(page, far)
    refusal = page.get_by_test_id("stAlertContentError")
    expect(refusal.filter(has_text="单元格 XFD150000")).to_be_visible()  # the far cell, named
    page.get_by_test_id("stFileChipDeleteBtn").first.click()
    expect(refusal).to_have_count(0)  # the rerun without the file has drawn the page: the next file goes to it
    wait_for_app(page)
    log_in_and_upload(page, bomb)
    expect(refusal.filter(has_text="解压后有 300 MB")).to_be_visible()
    no_exception(page)
    open_app(phone_page, f"{url}/?plan={DEMO}", PAGES["overview"])
    expect(metric(phone_page, "整改措施")).to_have_text("17")


SMALL_PLAN = """XX局党委关于巡察反馈问题的整改方案
一、制度执行不严格的问题
问题表现：会议记录不完整，制度执行不到位。
整改措施
1.完善会议记录制度（责任领导：党委书记；责任部门：办公室；完成时限：2020年6月20日）
2.开展制度执行情况自查（责任领导：纪委书记；责任部门：纪检室；完成时限：2020年6月30日）
二、作风不实的问题
1.建立领导干部联系基层制度（责任领导：局长；责任部门：人事科；完成时限：2020年7月15日）
三、整改步骤
第一阶段：动员部署（2020年6月1日至6月10日）。召开动员会。
第二阶段：集中整改（2020年6月11日至7月31日）。逐项整改。
2020年5月20日
XX局党委
"""


def test_an_office_imports_its_plan_publishes_it_and_switches_plans(page: Page, editors: Server, tmp_path):
    """Test that an editor imports a plan document, downloads the ledger, publishes the plan and switches plans."""
    document = tmp_path / "整改方案.docx"
    from tests.sheets import docx

    document.write_bytes(docx(*SMALL_PLAN.splitlines()))
    open_app(page, f"{editors.url}/plan?plan={DEMO}", "从整改方案开始")
    page.get_by_label("编辑密码").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(document))
    expect(metric(page, "整改措施")).to_have_text("3")
    expect(metric(page, "整改阶段")).to_have_text("2")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载预填好的整改台账（Excel）").click()
    assert download.value.suggested_filename == "XX局党委关于巡察反馈问题的整改方案整改台账.xlsx"
    page.get_by_role("button", name="发布整改方案（第一版）").click()
    expect(
        page.get_by_text("已发布为“XX局党委关于巡察反馈问题的整改方案”的第 1 版（填报日期 2020-05-20）")
    ).to_be_visible()
    page.get_by_test_id("stSidebarNav").locator("a").filter(has_text="总览").click()
    expect(metric(page, "整改措施")).to_have_text("3")
    store = Store(editors.db_url)  # the new plan's id: the plans of the other tests on this server come first
    plan = store.plan_named("XX局党委关于巡察反馈问题的整改方案")
    store.dispose()
    assert plan is not None and plan.id != DEMO
    expect(page).to_have_url(re.compile(rf"[?&]plan={plan.id}\b"))
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text="整改方案").first.click()
    page.get_by_role("option", name="【示例】意识形态工作责任制专项整治方案").click()
    expect(metric(page, "整改措施")).to_have_text("17")
    expect(page).to_have_url(re.compile(rf"[?&]plan={DEMO}\b"))
    no_exception(page)
