"""An address not open to this visitor opens the default page, not a dialog (every page at its own address, in both
languages: tests/e2e/test_accessibility.py, which audits each); a browser on this machine may edit whether it calls
the server localhost or 127.0.0.1 (ui/navigation.py, ledger.accounts.machine_address); the upload box in both
languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ledger.i18n import translate
from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.browser


def heading(page: Page, url: str, lang: str, text: str) -> None:
    page.goto(url)
    expect(page.locator("h1").first).to_have_text(text)
    wait_for_app(page)
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_an_address_not_open_to_this_visitor_opens_the_overview_not_a_dialog(page: Page, app_url: str):
    """Users and audit exist once accounts do; before that their addresses open the default page."""
    for key in ("users", "audit", "login", "rollup"):
        heading(page, f"{app_url}/{key}", "zh", translate("overview.title", "zh"))


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_a_browser_on_this_machine_may_upload_whatever_it_calls_the_server(page: Page, app_url: str, host):
    """Streamlit's dual-stack listener reports a browser at http://127.0.0.1 as ::ffff:127.0.0.1: still this
    machine, so the uploader is there (no password asked)."""
    url = app_url.replace("localhost", host)
    heading(page, f"{url}/upload", "zh", translate("upload.title", "zh"))
    expect(page.get_by_test_id("stFileUploader").first).to_be_visible()
    expect(page.get_by_test_id("stTextInput").filter(has_text=translate("access.password", "zh"))).to_have_count(0)


AFTER = "e => getComputedStyle(e, '::after').content"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_upload_box_speaks_the_ui_language_and_states_the_real_limit(page: Page, app_url: str, lang):
    from ledger.config import DEFAULT_MAX_UPLOAD_MIB

    heading(page, f"{app_url}/upload?lang={lang}", lang, translate("upload.title", lang))
    box = page.get_by_test_id("stFileUploaderDropzone").first
    button = box.locator("button [data-testid='stMarkdownContainer'] p")
    limit = box.get_by_test_id("stFileUploaderDropzoneInstructions").locator("span").first
    assert button.evaluate(AFTER) == f'"{translate("upload.box_button", lang)}"'
    assert limit.evaluate(AFTER) == f'"{translate("upload.box_limit", lang, mib=DEFAULT_MAX_UPLOAD_MIB)}"'
    # Streamlit's own English words are there but take no room: what a person sees is ours
    assert button.evaluate("e => getComputedStyle(e).fontSize") == "0px"
    assert limit.evaluate("e => getComputedStyle(e).fontSize") == "0px"
    assert box.get_by_test_id("stFileUploaderDropzoneInstructions").bounding_box()["width"] > 50
    page.screenshot(path=f"/tmp/upload_box_{lang}.png")
