"""End-to-end: a store whose plan name, ledgers, uploader, notes and meeting requirements are all Markdown and HTML
(tests.test_markup's PAYLOAD), served once for the module by a server that nothing has visited before its first
test: a deep link as the very first visit, then every page and every meeting slide shows it literally. A request for
evil.example (or anything else off our server) by any page fails the test that made it (tests/e2e/conftest.py's
`_offline`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from playwright.sync_api import Page, expect

from ledger import meeting
from ledger.intake import load_ledger
from ledger.publishing import publish
from ledger.store import Store
from tests.e2e.conftest import served, wait_for_app
from tests.e2e.test_browser import PAGES, follow, no_exception, open_app
from tests.e2e.test_meeting_browser import SLIDES
from tests.test_markup import FILE_NAME, PAYLOAD, hostile_ledger

pytestmark = pytest.mark.browser

HOSTILE = "img[src*='evil.example'], a[href*='evil.example'], a[href^='javascript']"


@pytest.fixture(scope="module")
def hostile_app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The store: a plan named PAYLOAD with two weeks of a ledger full of it, uploaded by PAYLOAD with PAYLOAD as
    the note, and a meeting requirement of PAYLOAD given by PAYLOAD on each week. Its server, not yet visited."""
    url_db = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'ledger.db'}"
    store = Store(url_db)
    plan = store.create_plan(PAYLOAD, created_at=datetime(2019, 5, 20))
    for week in (1, 2):
        files = [(FILE_NAME, hostile_ledger(week))]
        published = publish(
            store, files, load_ledger(files, date(2019, 6, 1)), plan=plan.id, uploaded_by=PAYLOAD,
            uploaded_at=datetime(2019, 5, 20 + week), note=PAYLOAD,
        )  # fmt: skip
        meeting.record(
            store, published.version, scope="measure", target="1", text=PAYLOAD, given_by=PAYLOAD,
            meeting_date=date(2019, 5, 20 + week), due=date(2019, 6, 30), recorded_by="test",
            recorded_at=datetime(2019, 5, 20 + week, 10),
        )  # fmt: skip
    store.dispose()
    with served(request, env={"LEDGER_DB_URL": url_db}) as url:
        yield url


def test_deep_link_to_timeline_on_fresh_server(page: Page, hostile_app: str):
    """Test that a first visit straight to /timeline on a fresh server (this module's first test) renders the
    timeline through dashboard.py."""
    open_app(page, f"{hostile_app}/timeline", PAGES["timeline"])
    expect(page).to_have_url(f"{hostile_app}/timeline")
    expect(page.get_by_test_id("stSidebarNav").locator("a").filter(has_text="责任落实")).to_be_visible()
    expect(page.get_by_test_id("stSidebar").get_by_text("English")).to_be_visible()
    expect(page.get_by_test_id("stPlotlyChart")).to_be_visible()
    no_exception(page)


def test_markup_written_in_a_ledger_never_becomes_an_image_or_a_link(page: Page, hostile_app: str):
    """Test that Markdown and HTML in names, file names, uploader and notes reach no page as an image, link or
    request."""
    for path, title in (
        ("", "整改进度总览"),
        ("/timeline", "整改时间轴"),
        ("/categories", "各类问题整改完成情况"),
        ("/responsibilities", "责任落实情况"),
        ("/history", "历史版本"),
    ):
        if path:  # each page drawn in full by a rerun, as a person moves between them
            follow(page, path, title)
        else:
            open_app(page, hostile_app, title)
        expect(page.locator(HOSTILE)).to_have_count(0)
        # shown as written (a word joiner after each colon keeps :shortcodes: from forming)
        expect(page.get_by_test_id("stSidebar")).to_contain_text("![u](http:\u2060//evil.example/x.png)")
        no_exception(page)


def test_a_hostile_ledger_and_requirements_show_literally_on_every_slide_at_1920x1080(page: Page, hostile_app: str):
    """Test that Markdown and HTML in a ledger, a plan's name and meeting requirements reach no slide as an image, a
    link, a style or a request (the slides' tables render Markdown in their cells)."""
    page.set_viewport_size({"width": 1920, "height": 1080})
    titles = []
    page.goto(f"{hostile_app}/meeting?slide=1")
    for number in range(1, 20):
        if number > 1:
            page.get_by_role("button", name="下一页").click()
            expect(page).to_have_url(re.compile(f"[?&]slide={number}$"))
        expect(page.get_by_text(f"{number} / ", exact=False)).to_be_visible()
        wait_for_app(page)
        titles.append(page.locator("h1").first.inner_text())
        expect(page.get_by_test_id("stMain").locator(HOSTILE)).to_have_count(0)
        expect(page.get_by_test_id("stMain").locator("strong, em, h1, h2", has_text="粗")).to_have_count(0)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        if titles[-1].startswith(("超期未完成", "上次会议要求", "本次会议要求")):  # the tables written by others
            expect(page.get_by_test_id("stTable").first).to_contain_text("![u](http:")
        if page.get_by_role("button", name="下一页").is_disabled():
            break
    assert titles[0] == SLIDES[0] and titles[-1] == SLIDES[-1] and len(titles) >= 6, titles
