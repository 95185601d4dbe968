"""End-to-end: evidence and closure review in headless Chromium (README "Evidence and closure review").

One server on a store with a plan whose ledger reports measures 1, 2 and 3 of 7 done. An editor attaches a photo
(with GPS in it) and a PDF to measure 1 and a PDF to measure 2; an inspector opens the claims, approves measure 1
and returns measure 2 with a reason; the overview then shows the completion as reported (1 and 3: the returned
claim is not done) and as verified (1 only)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ledger import accounts, audit, evidence
from ledger.closure import measure_named, reviews
from ledger.store import Store
from tests.e2e.conftest import streamlit_server, wait_for_app
from tests.e2e.test_accounts_browser import alert, go, log_in, log_out, no_exception, pick, sign_in, t
from tests.e2e.test_browser import metric
from tests.test_evidence import PLAN, pdf, photo, publish_week
from ui.evidence import slug

pytestmark = pytest.mark.browser

ADMIN, ADMIN_PASSWORD = "局党委管理员", "整改看板-管理-2019"
EDITOR, EDITOR_PASSWORD = "党政办公室主任", "佐证-材料-上传-0603"
INSPECTOR, INSPECTOR_PASSWORD = "督导组组长", "督导-检查-审核-2019"


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('evidence') / 'ledger.db'}"
    store = Store(url)
    publish_week(store, date(2019, 5, 27), {1: "已完成", 2: "已完成", 3: "已完成"})
    now = datetime.now()
    accounts.add_user(store, EDITOR, "editor", EDITOR_PASSWORD, at=now, by="test")
    accounts.add_user(store, INSPECTOR, "inspector", INSPECTOR_PASSWORD, at=now, by="test")
    store.dispose()
    return url


@pytest.fixture(scope="module")
def app(db_url: str, request: pytest.FixtureRequest):
    failed_before = request.session.testsfailed
    env = {
        "LEDGER_DB_URL": db_url,
        "LEDGER_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "LEDGER_ADMIN_NAME": ADMIN,
        "LEDGER_PUBLIC_VIEW": "",
        "LEDGER_EDITOR_PASSWORD": "",
    }
    with streamlit_server(lambda: request.session.testsfailed > failed_before, env=env) as url:
        yield url


def measure_label(store: Store, number: str) -> str:
    found = measure_named(store, store.plan_named(PLAN).id, None, number)
    return f"{found.id} {found.text[:60]}"


def key_of(store: Store, number: str) -> str:
    """The part of the measure's widget keys (ui.evidence.slug): a locator with it finds that measure's panel only,
    never the previous measure's, still shown while the rerun that replaces it runs."""
    return slug(measure_named(store, store.plan_named(PLAN).id, None, number))


def choose(page: Page, key: str, option: str) -> None:
    """Pick `option` in a selectbox that starts empty (Escape would clear it again) and wait until it shows."""
    pick(page, key, option)
    wait_for_app(page)
    expect(page.locator(f".st-key-{key} input")).to_have_value(option)
    wait_for_app(page)


def attach(page: Page, store: Store, number: str, files: list[Path]) -> None:
    choose(page, "evidence_measure", measure_label(store, number))
    # the measure's own uploader (ui.evidence: key evidence_upload_…), not the zip import's further down
    uploader = page.locator(
        f"[class*='st-key-evidence_upload_{key_of(store, number)}_'] [data-testid='stFileUploaderDropzoneInput']"
    )
    expect(uploader).to_have_count(1)
    uploader.set_input_files(files)
    for file in files:
        expect(page.get_by_test_id("stFileChipName").filter(has_text=file.name).first).to_be_visible()
    save = page.get_by_role("button", name=t("evidence.save", measure=number))
    expect(save).to_be_enabled()  # the files reached the server and the script ran with them (ui.evidence)
    save.click()
    expect(alert(page, "Success").first).to_contain_text(t("evidence.added", n=len(files), measure=number))
    wait_for_app(page)


def test_an_editor_attaches_an_inspector_approves_one_and_returns_another_and_the_overview_shows_both(
    app: str, db_url: str, page: Page, tmp_path: Path
):
    store = Store(db_url)
    plan_id = store.plan_named(PLAN).id
    (tmp_path / "现场照片.jpg").write_bytes(photo())
    (tmp_path / "分工文件.pdf").write_bytes(pdf())
    (tmp_path / "会议纪要.pdf").write_bytes(pdf("/Lang (zh-CN) "))

    editor = page  # then the inspector, after the editor logs out, at the same computer
    log_in(editor, app, EDITOR, EDITOR_PASSWORD, "editor")
    go(editor, t("page.evidence"), t("evidence.title"))
    expect(editor.get_by_test_id("stSidebarNav")).not_to_contain_text(t("page.inspection"))  # not an editor's page
    attach(editor, store, "1", [tmp_path / "现场照片.jpg", tmp_path / "分工文件.pdf"])
    attach(editor, store, "2", [tmp_path / "会议纪要.pdf"])
    expect(editor.get_by_role("button", name=t("evidence.approve"))).to_have_count(0)  # an editor cannot approve
    no_exception(editor)
    log_out(editor)
    stored = evidence.files(store, plan_id)
    assert [(f.measure, f.name, f.by) for f in stored] == [
        ("1", "现场照片.jpg", EDITOR),
        ("1", "分工文件.pdf", EDITOR),
        ("2", "会议纪要.pdf", EDITOR),
    ]
    assert b"GPS" not in evidence.content(store, stored[0].id) and stored[0].stripped  # the location is gone

    inspector = page
    sign_in(inspector, INSPECTOR, INSPECTOR_PASSWORD, "inspector")
    go(inspector, t("page.inspection"), t("inspection.title"))
    choose(inspector, "inspection_measure", measure_label(store, "1"))
    main = inspector.get_by_test_id("stMain")
    expect(main.get_by_text("现场照片.jpg", exact=True)).to_be_visible()
    with inspector.expect_download() as download:  # sent as an attachment, made and recorded at the click
        main.get_by_role("button", name=t("evidence.download")).first.click()
    assert download.value.suggested_filename == "现场照片.jpg"
    assert Path(download.value.path()).read_bytes() == evidence.content(store, stored[0].id)
    assert [r.target for r in audit.records(store, actions=["download"])] == [f"evidence {stored[0].id}: 现场照片.jpg"]
    wait_for_app(inspector)
    inspector.get_by_role("button", name=t("evidence.approve")).click()
    expect(alert(inspector, "Success").first).to_contain_text(
        t("cli.closure_approve", measure="1", state=t("review.verified"))
    )
    wait_for_app(inspector)
    choose(inspector, "inspection_measure", measure_label(store, "2"))
    inspector.locator(f".st-key-reason_{key_of(store, '2')} textarea").fill("会议纪要缺少签字页")
    inspector.get_by_role("button", name=t("evidence.return")).click()
    expect(alert(inspector, "Success").first).to_contain_text(
        t("cli.closure_return", measure="2", state=t("review.returned"))
    )
    wait_for_app(inspector)
    found = reviews(store, plan_id, None)
    keys = {m.id: m.key for m in (measure_named(store, plan_id, None, n) for n in "123")}
    assert (found[keys["1"]].state, found[keys["2"]].state, found[keys["3"]].state) == (
        "verified",
        "returned",
        "claimed",
    )
    assert found[keys["2"]].reason == "会议纪要缺少签字页"
    assert [r.action for r in reversed(audit.records(store)) if r.action.startswith("closure")] == [
        "closure_approved",
        "closure_returned",
    ]

    go(inspector, t("page.overview"), t("overview.title"))
    expect(metric(inspector, "上报完成率")).to_have_text("28.6%")  # 1 and 3 of 7: the returned claim is not done
    expect(metric(inspector, "核验完成率")).to_have_text("14.3%")  # 1 of 7
    no_exception(inspector)
    store.dispose()
