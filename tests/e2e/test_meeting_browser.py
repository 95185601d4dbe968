"""End-to-end: the weekly meeting in headless Chromium — meeting mode on a projector at 1920×1080 and 1280×720,
the meeting pack downloaded from the page, the overview on a phone."""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.browser

SLIDES = [
    "整体情况",
    "整改阶段",
    "超期未完成（按责任领导）",
    "与上周相比（1/2）",  # the newly done measures do not fit under the counts and the newly overdue
    "与上周相比（2/2）",
    "上次会议要求落实情况",
    "本次会议要求",
]
SCREENSHOTS = Path(tempfile.gettempdir()) / "meeting_screens"

OVERFLOW = """() => {  // how far the page or any scrolling container of the app could scroll
  const scrollers = [document.scrollingElement, ...[...document.querySelectorAll("[data-testid='stApp'] *")]
      .filter(e => ["auto", "scroll"].includes(getComputedStyle(e).overflowY) && e.clientHeight > 300)];
  return scrollers.map(e => e.scrollHeight - e.clientHeight).reduce((a, b) => Math.max(a, b), 0);
}"""


TEXT = """() => {  // every visible text on screen: its size in pixels (SVG text scaled as drawn), and how far down it goes
  const found = [];
  const walker = document.createTreeWalker(document.querySelector("[data-testid='stMain']"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width < 1 || box.height < 1 || box.bottom <= 0 || box.top >= innerHeight) continue;
    const element = node.parentElement;
    const style = getComputedStyle(element);
    if (style.visibility === "hidden") continue;
    let size = parseFloat(style.fontSize);
    if (element instanceof SVGElement) {
      const m = element.getScreenCTM();
      size *= Math.hypot(m.a, m.b);
    }
    found.push({size, bottom: box.bottom, text: node.textContent.trim().slice(0, 20)});
  }
  return found;
}"""


def open_slide(page: Page, url: str, number: int) -> None:
    page.goto(f"{url}/meeting?slide={number}")
    settled(page, number)


def next_slide(page: Page, number: int) -> None:
    """Press 下一页 on slide `number` - 1, as the person at the projector does (a rerun, not a page load)."""
    page.get_by_role("button", name="下一页").click()
    expect(page).to_have_url(re.compile(f"[?&]slide={number}$"))
    settled(page, number)


def settled(page: Page, number: int) -> None:
    expect(page.locator("h1").first).to_have_text(SLIDES[number - 1])
    wait_for_app(page)
    page.wait_for_timeout(300)  # charts and tables finish their layout


# The share of the screen's height each slide's content reaches down to (the sample's slides), at both sizes.
FILLED = {1: 0.6, 2: 0.7, 3: 0.5, 4: 0.7, 5: 0.2, 6: 0.2, 7: 0.2}


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720)])
def test_meeting_mode_fits_the_screen_without_scrolling_in_projector_type(page: Page, app_url: str, width, height):
    """Every text on every slide, the phase chart's labels and dates included, is at least 1/30 of the screen's
    height (36 px at 1080, 24 px at 720); titles and key figures larger; nothing scrolls; the content uses the
    slide."""
    page.set_viewport_size({"width": width, "height": height})
    SCREENSHOTS.mkdir(exist_ok=True)
    for number in range(1, len(SLIDES) + 1):
        if number == 1:
            open_slide(page, app_url, number)
        else:
            next_slide(page, number)
        expect(page.get_by_test_id("stSidebar")).to_be_hidden()
        expect(page.get_by_text(f"{number} / {len(SLIDES)}", exact=True)).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / f"meeting_{width}x{height}_{number}.png"))
        assert page.evaluate(OVERFLOW) <= 1, f"slide {number} scrolls at {width}×{height}"
        expect(page.get_by_test_id("stException")).to_have_count(0)
        texts = page.evaluate(TEXT)
        small = [(t["text"], round(t["size"], 1)) for t in texts if t["size"] < height / 30]
        assert len(texts) >= 5 and small == [], f"slide {number} at {width}×{height}: {small}"
        title = page.locator("h1").first.evaluate("h => parseFloat(getComputedStyle(h).fontSize)")
        assert title >= height / 20, title
        reach = max(t["bottom"] for t in texts) / height
        assert FILLED[number] <= reach <= 1, f"slide {number} at {width}×{height} reaches {reach:.2f}"
        if number == 1:  # the key figures
            sizes = page.locator(".figure-value").evaluate_all(
                "values => values.map(v => parseFloat(getComputedStyle(v).fontSize))"
            )
            assert len(sizes) == 11 and min(sizes) >= height / 15, sizes
            expect(page.locator(".figure-value").first).to_have_text("17")
        if number == 2:  # the phases: four labelled bars, dates under them, the as-of date
            gantt = page.locator(".slide-gantt")
            expect(gantt.locator(".row")).to_have_count(4)
            expect(gantt.locator(".as-of")).to_contain_text("5/27")
            assert gantt.locator(".tick").count() >= 4


def test_previous_and_next_move_the_slide_number_in_the_address(page: Page, app_url: str):
    open_slide(page, app_url, 1)
    page.get_by_role("button", name="下一页").click()
    expect(page.locator("h1").first).to_have_text(SLIDES[1])
    expect(page).to_have_url(f"{app_url}/meeting?slide=2")
    page.get_by_role("button", name="下一页").click()
    expect(page.locator("h1").first).to_have_text(SLIDES[2])
    page.get_by_role("button", name="上一页").click()
    expect(page).to_have_url(f"{app_url}/meeting?slide=2")


EXPORTS = [
    ("周报 PDF", ".pdf", b"%PDF"),
    ("周报 Word", ".docx", b"PK"),
    ("图片（发工作群）", ".png", b"\x89PNG"),
    ("督办单 PDF", ".pdf", b"%PDF"),
    ("督办单 Word（zip）", ".zip", b"PK"),
    ("完整台账 Excel（含灯号）", ".xlsx", b"PK"),
]


def test_each_export_downloads_from_the_overview(page: Page, app_url: str, tmp_path):
    page.goto(app_url)
    expect(page.locator("h1")).to_have_text("整改进度总览")
    wait_for_app(page)
    page.get_by_text("会议材料", exact=True).click()
    for label, suffix, magic in EXPORTS:
        with page.expect_download(timeout=30_000) as download:
            page.get_by_test_id("stDownloadButton").filter(has_text=label).get_by_role("button").click()
        name = download.value.suggested_filename
        path = tmp_path / name
        download.value.save_as(path)
        data = path.read_bytes()
        assert name.endswith(suffix) and "2019-05-27" in name, name
        assert data.startswith(magic) and len(data) > 2000, (label, len(data))
        if suffix == ".zip":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                assert len(archive.namelist()) == 5 and all(n.endswith(".docx") for n in archive.namelist())
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_the_phone_overview_shows_its_figures_two_to_a_row(phone_page: Page, app_url: str):
    phone_page.goto(app_url)
    expect(phone_page.locator("h1")).to_have_text("整改进度总览")
    wait_for_app(phone_page)
    cards = phone_page.locator(".overview_figures").get_by_test_id("figure")
    expect(cards).to_have_count(7)
    boxes = [cards.nth(i).bounding_box() for i in range(7)]
    for left, right in ((boxes[0], boxes[1]), (boxes[2], boxes[3]), (boxes[4], boxes[5])):
        assert abs(left["y"] - right["y"]) < 2 and right["x"] > left["x"] + left["width"] - 1
        assert left["width"] < 390 / 2 and right["x"] + right["width"] <= 390
    assert boxes[2]["y"] > boxes[0]["y"]
    SCREENSHOTS.mkdir(exist_ok=True)
    phone_page.screenshot(path=str(SCREENSHOTS / "overview_phone.png"))


PLOTS = """() => [...document.querySelectorAll("[data-testid='stPlotlyChart'] .js-plotly-plot")].map(chart => ({
  plot: chart.querySelector("g.cartesianlayer .bg, .nsewdrag").getBoundingClientRect().width,
  rotated: [...chart.querySelectorAll("g.xtick text")].filter(t => /rotate/.test(t.getAttribute("transform") || "")).length,
  dates: [...chart.querySelectorAll("g.xtick text")].filter(t => t.getBoundingClientRect().width > 0).length,
  labels: [...chart.querySelectorAll("g.annotation-text-g")].map(t => t.getBoundingClientRect()).slice(1),
  bars: [...chart.querySelectorAll("g.trace.bars g.point path")].map(p => p.getBoundingClientRect()),
  asOf: [...chart.querySelectorAll("g.annotation-text-g")].slice(0, 1).map(a => a.getBoundingClientRect().right),
}))"""


@pytest.mark.parametrize(
    ("path", "charts"), [("overview", 0), ("timeline", 1), ("categories", 1), ("responsibilities", 0), ("history", 1)]
)
def test_charts_on_a_phone_keep_a_plot_area_of_300_px(phone_page: Page, app_url: str, path, charts):
    """At 390 px every chart's plot area is at least 300 px wide: row labels sit above their bars, not in a left
    margin; the timeline's dates are written horizontally and its as-of marker is on screen."""
    phone_page.goto(f"{app_url}/{path}")
    wait_for_app(phone_page)
    expect(phone_page.locator("[data-testid='stPlotlyChart'] .js-plotly-plot")).to_have_count(charts)
    phone_page.wait_for_timeout(500)  # plotly's layout at the phone's width
    found = phone_page.evaluate(PLOTS)
    assert [round(chart["plot"]) >= 300 for chart in found] == [True] * charts, [c["plot"] for c in found]
    for chart in found:
        assert chart["rotated"] == 0 and chart["dates"] >= 3, chart
    if path == "timeline":
        (gantt,) = found
        labels, bars = gantt["labels"], gantt["bars"]
        assert len(labels) == 4 and all(label["right"] <= 390 for label in labels)
        tops = sorted({round(bar["top"]) for bar in bars})
        for label in labels:  # each phase's label ends above a bar and starts below the one before
            assert any(-4 <= top - label["bottom"] <= 12 for top in tops), (label, tops)
        assert gantt["asOf"] and max(gantt["asOf"]) <= 390
    SCREENSHOTS.mkdir(exist_ok=True)
    phone_page.screenshot(path=str(SCREENSHOTS / f"{path}_phone.png"), full_page=True)
