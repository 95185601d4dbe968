"""End-to-end: accounts, roles, units and the audit trail in headless Chromium (issue 9, "In Chromium").

One `streamlit run dashboard.py` for the module, started with LEDGER_ADMIN_PASSWORD on a store prepared here: a
real plan reported by two units (第一中学 last on 2019-05-27, 第三中学 on 2019-05-13). The admin adds a third unit
and its editor in the browser, the editor publishes the unit's ledger, an inspector reads the roll-up and downloads
an original, and six wrong passwords are throttled. Each test is one person in the lent desktop tab (`page`), and a
test about a second browser gives it the lent phone tab, a browser context with cookies of its own (a login lives in
the Streamlit session, so pages are reached through the sidebar, never by a reload). The audit trail is read from the
same database the server writes."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from ledger import accounts, audit
from ledger.i18n import translate
from ledger.publishing import check_upload, publish
from ledger.sample import history_files
from ledger.store import Store
from tests.e2e.conftest import ADMIN, ADMIN_PASSWORD, TIMEOUT_MS, _lent_tab, accounts_env, served, wait_for_app
from tests.sheets import week_five

pytestmark = pytest.mark.browser

PLAN = "全市教育系统意识形态整改方案"
EDITOR, EDITOR_PASSWORD = "二中办公室主任", "二中-台账-报送-0603"
INSPECTOR, INSPECTOR_PASSWORD = "督导组组长", "督导-检查-只读-2019"
GUESSED, GUESSED_PASSWORD = "三中办公室主任", "三中-台账-报送-0520"
NEW_UNIT = "第二中学"
WEEKS = {
    day: data
    for name, data in history_files().items()
    for day in [date.fromisoformat(name.rsplit("_", 1)[1].removesuffix(".xlsx"))]
}
REPORTED = {"第一中学": date(2019, 5, 27), "第三中学": date(2019, 5, 13)}  # before the server starts
EDITOR_FILE = f"{NEW_UNIT}_整改台账_2019-06-03.xlsx"
PUBLISHED: dict[str, bytes] = {f"{unit}_整改台账_{day.isoformat()}.xlsx": WEEKS[day] for unit, day in REPORTED.items()}
PUBLISHED[EDITOR_FILE] = week_five()
AT = datetime(2019, 5, 27, 17)
ROW_HEIGHT, ROW_MARKER_X = 35, 16  # st.dataframe's rows (and header) in px; the middle of its selection column


def t(key: str, **params) -> str:
    return translate(key, "zh", **params)


def pattern(key: str, **params) -> re.Pattern:
    """The message `key` with its {seconds} (say) left open as a number."""
    text = t(key, **{name: "\x00" for name in params}) if params else t(key)
    return re.compile(re.escape(text).replace("\x00", r"\d+"))


def eventually(check: Callable[[], object], what: str, timeout_s: float = TIMEOUT_MS / 1000):
    """Poll `check` until it returns something true (the server writes on its own thread); return it."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"not seen within {timeout_s} s: {what}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store with the plan and two units that have reported, written before the server starts."""
    url = f"sqlite:///{tmp_path_factory.mktemp('accounts') / 'ledger.db'}"
    store = Store(url)
    plan = store.create_plan(PLAN, created_at=AT)
    for unit, day in REPORTED.items():
        unit_id = accounts.add_unit(store, unit, at=AT, by="setup", plan_id=plan.id).id
        files = [(f"{unit}_整改台账_{day.isoformat()}.xlsx", WEEKS[day])]
        publish(
            store,
            files,
            check_upload(store, files, day, plan_id=plan.id),
            plan=plan.id,
            uploaded_by="setup",
            uploaded_at=AT,
            unit_id=unit_id,
        )
    store.dispose()
    return url


@pytest.fixture(scope="module")
def store(db_url: str) -> Iterator[Store]:
    """The test's own connection to the server's database."""
    store = Store(db_url)
    yield store
    store.dispose()


@pytest.fixture(scope="module")
def app(
    db_url: str, store: Store, browser: Browser, _tabs: dict[str, Page], request: pytest.FixtureRequest
) -> Iterator[str]:
    """The server, started with LEDGER_ADMIN_PASSWORD; the first visit (in the session's desktop tab, lent for it)
    creates the admin, then the inspector and the account whose password is guessed are added straight into the
    database."""
    with served(request, accounts_env(db_url)) as url:
        with _lent_tab(browser, _tabs, "desktop", request) as first:
            first.goto(url)
            expect(first.locator("h1")).to_have_text(t("access.login_title"))  # the store opened: the admin exists
        assert [(u.name, u.role) for u in accounts.users(store)] == [(ADMIN, "admin")]
        for name, role, password in (
            (INSPECTOR, "inspector", INSPECTOR_PASSWORD),
            (GUESSED, "editor", GUESSED_PASSWORD),
        ):
            accounts.add_user(store, name, role, password, at=datetime.now(), by="test")
        yield url


def open_login(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("h1")).to_have_text(t("access.login_title"))
    wait_for_app(page)


def submit_login(page: Page, name: str, password: str) -> None:
    page.locator(".st-key-login_name input").fill(name)
    page.locator(".st-key-login_password input").fill(password)
    page.get_by_test_id("stForm").get_by_role("button", name=t("access.login")).click()


def log_in(page: Page, url: str, name: str, password: str, role: str) -> None:
    """Open the login page, log in and wait for the sidebar badge."""
    open_login(page, url)
    sign_in(page, name, password, role)


def sign_in(page: Page, name: str, password: str, role: str) -> None:
    """Log in on the login page already shown and wait for the sidebar badge."""
    submit_login(page, name, password)
    expect(page.get_by_test_id("stSidebar")).to_contain_text(t("access.signed_in", name=name, role=t(f"role.{role}")))
    wait_for_app(page)


def log_out(page: Page) -> None:
    """Press the sidebar's log-out button and wait for the login page (in the same session: no page load)."""
    page.get_by_test_id("stSidebar").get_by_role("button", name=t("access.logout_account")).click()
    expect(page.locator("h1")).to_have_text(t("access.login_title"))
    wait_for_app(page)


def go(page: Page, label: str, title: str) -> None:
    """Follow a sidebar link (a reload would start a new session, logged out) and wait for the page."""
    nav = page.get_by_test_id("stSidebarNav")
    link = nav.locator("a").filter(has_text=label)
    more = nav.get_by_test_id("stSidebarNavViewButton")
    if not link.is_visible() and more.count():
        more.click()
    link.click()
    expect(page.locator("h1").first).to_have_text(title)
    wait_for_app(page)


def grid_rows(frame: Locator, showing: str) -> list[dict[str, str]]:
    """The rows of a st.dataframe, column → text, read from the grid's accessible table (the grid itself is drawn
    on a canvas) once a cell shows `showing`."""
    expect(frame.locator("table td").filter(has_text=re.compile(f"^{re.escape(showing)}$")).first).to_be_attached()
    return frame.locator("table").evaluate("""table => {
        const names = [...table.querySelectorAll("thead th")].map(th => th.textContent);
        return [...table.querySelectorAll("tbody tr")].map(tr => Object.fromEntries(
            [...tr.querySelectorAll("td")].map((td, i) => [names[i], td.textContent])));
    }""")


def open_list(page: Page, key: str) -> Locator:
    """Open the list of the selectbox or multiselect with this key; returns its input."""
    box = page.locator(f".st-key-{key} input[role='combobox']")
    box.focus()  # a click opens the list of a box that has the focus
    for _ in range(5):
        box.click()
        try:
            expect(box).to_have_attribute("aria-expanded", "true", timeout=2_000)
            break
        except AssertionError:
            continue
    return box


def pick(page: Page, key: str, option: str) -> None:
    """Open the list of the selectbox or multiselect with this key, type `option` and pick it with Enter, as a person
    may: a click on the option itself can miss it while the list draws itself again (it timed out once, the option
    detached on every retry for 40 s)."""
    box = open_list(page, key)
    box.press_sequentially(option)
    expect(page.get_by_role("option", name=option, exact=True)).to_be_visible()
    box.press("Enter")


def choose(page: Page, key: str, option: str) -> None:
    """Pick `option` in the selectbox or multiselect with this key, close the list and wait until the app shows it
    chosen (a multiselect's list stays open, and what is chosen is sent when it closes)."""
    pick(page, key, option)
    page.keyboard.press("Escape")
    wait_for_app(page)
    widget = page.locator(f".st-key-{key}")
    if widget.get_by_test_id("stMultiSelect").count():
        expect(widget).to_contain_text(option)  # its chip
    else:
        expect(widget.locator("input")).to_have_value(option)
    wait_for_app(page)


def expand(page: Page, label: str) -> None:
    """Open the expander in the page (not the sidebar) labelled `label`."""
    summary = page.get_by_test_id("stMain").locator("summary").filter(has_text=re.compile(f"{re.escape(label)}$"))
    summary.click()
    expect(summary.locator("xpath=..")).to_have_attribute("open", "")


def alert(page: Page, kind: str) -> Locator:
    """The text of the st.success / st.warning / st.error messages (kind "Success", "Warning", "Error") on the page,
    without their icon."""
    return page.get_by_test_id(f"stAlertContent{kind}").get_by_test_id("stMarkdownContainer")


def no_exception(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_the_admin_adds_a_unit_and_creates_its_editor(app: str, store: Store, page: Page):
    log_in(page, app, ADMIN, ADMIN_PASSWORD, "admin")
    go(page, t("page.users"), t("users.title"))
    expand(page, t("users.units_title"))
    choose(page, "new_unit_plan", PLAN)  # before typing: a text input commits (and reruns) when it loses focus
    page.locator(".st-key-new_unit_name input").fill(NEW_UNIT)
    page.locator(".st-key-add_unit button").click()
    expect(alert(page, "Success")).to_have_text(t("users.unit_added", name=NEW_UNIT))
    wait_for_app(page)
    unit = accounts.unit_named(store, NEW_UNIT)
    assert unit is not None and unit in accounts.units(store, store.plan_named(PLAN).id)

    expand(page, t("users.add"))
    expect(page.locator(".st-key-new_user_role input")).to_have_value(t("role.editor"))  # the default role
    choose(page, "new_user_units", NEW_UNIT)
    page.locator(".st-key-new_user_name input").fill(EDITOR)
    page.locator(".st-key-new_user_password input").fill(EDITOR_PASSWORD)
    page.locator(".st-key-new_user_password_again input").fill(EDITOR_PASSWORD)
    page.locator(".st-key-add_user button").click()
    expect(alert(page, "Success")).to_have_text(t("cli.user_added", name=EDITOR, role=t("role.editor")))
    wait_for_app(page)
    rows = grid_rows(page.get_by_test_id("stMain").get_by_test_id("stDataFrame"), EDITOR)
    assert {
        t("users.name"): EDITOR,
        t("users.role"): t("role.editor"),
        t("users.state"): t("users.active"),
        t("users.units"): NEW_UNIT,
    } in rows, rows
    assert [row[t("users.name")] for row in rows] == [ADMIN, INSPECTOR, GUESSED, EDITOR]
    no_exception(page)
    editor = accounts.user_named(store, EDITOR)
    assert (editor.role, editor.units, editor.disabled) == ("editor", (unit.id,), False)
    assert [r.target for r in audit.records(store, actions=["unit_added"], who=ADMIN)] == [NEW_UNIT]
    added = audit.records(store, actions=["user_added"], who=ADMIN)
    assert [(r.target, r.detail["role"], r.detail["units"]) for r in added] == [(EDITOR, "editor", [unit.id])]


def the_editor(store: Store) -> accounts.Unit:
    """The new unit and its editor, as the admin leaves them (made here when that test did not run first)."""
    unit = accounts.unit_named(store, NEW_UNIT) or accounts.add_unit(
        store, NEW_UNIT, at=datetime.now(), by=ADMIN, plan_id=store.plan_named(PLAN).id
    )
    if accounts.user_named(store, EDITOR) is None:
        accounts.add_user(store, EDITOR, "editor", EDITOR_PASSWORD, at=datetime.now(), by=ADMIN, units=[unit.id])
    return unit


def test_the_editor_publishes_their_units_ledger(app: str, store: Store, page: Page, tmp_path):
    unit = the_editor(store)
    ledger = tmp_path / EDITOR_FILE
    ledger.write_bytes(PUBLISHED[EDITOR_FILE])
    log_in(page, app, EDITOR, EDITOR_PASSWORD, "editor")
    go(page, t("page.upload"), t("upload.title"))
    expect(page.locator(".st-key-upload_target input")).to_have_value(PLAN)
    assert len(accounts.units(store, store.plan_named(PLAN).id)) == 3
    picker = open_list(page, "upload_unit")
    expect(picker).to_have_value(NEW_UNIT)
    expect(page.get_by_role("option")).to_have_text([NEW_UNIT])  # only their unit, of the plan's three
    page.get_by_role("option", name=NEW_UNIT).click()
    expect(picker).to_have_value(NEW_UNIT)

    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(ledger))
    expect(alert(page, "Success")).to_have_text(pattern("upload.verdict_ok", warnings=1))
    expect(page.get_by_label(t("upload.by"))).to_have_count(0)  # "uploaded by" is the person logged in
    page.locator(".st-key-publish button").click()
    published = eventually(lambda: audit.records(store, actions=["publish"], who=EDITOR), "the publish record")
    assert len(published) == 1 and published[0].detail["unit_id"] == unit.id
    assert published[0].detail["files"] == [EDITOR_FILE]
    version = store.version(int(published[0].target.removeprefix("version ")))
    expect(
        alert(page, "Success").filter(has_text=t("upload.published", n=version.number, day="2019-06-03", plan=PLAN))
    ).to_be_visible()
    assert (version.uploaded_by, version.unit_id, version.report_date) == (EDITOR, unit.id, date(2019, 6, 3))
    assert store.files(version.id) == [(EDITOR_FILE, PUBLISHED[EDITOR_FILE])]
    wait_for_app(page)
    no_exception(page)

    go(page, t("page.history"), t("history.title"))  # the publish chose the unit: its versions
    rows = grid_rows(page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first, EDITOR)
    assert [
        (r[t("field.unit")], r[t("history.uploaded_by")], r[t("history.files")], r[t("history.report_date")])
        for r in rows
    ] == [(NEW_UNIT, EDITOR, EDITOR_FILE, "2019-06-03")]
    no_exception(page)


def test_the_inspector_sees_the_rollup_and_downloads_an_original(app: str, store: Store, page: Page, tmp_path):
    from ledger.rollup import rollup

    frames: list[bytes] = []  # what the server sends this browser over its websocket
    page.on("websocket", lambda socket: socket.on("framereceived", lambda payload: frames.append(payload)))
    log_in(page, app, INSPECTOR, INSPECTOR_PASSWORD, "inspector")
    go(page, t("page.rollup"), t("rollup.title"))
    expected = rollup(store, store.plan_named(PLAN).id)
    missing = [r.unit.name for r in expected if r.missing]
    assert "第三中学" in missing  # reported on 2019-05-13, two weeks before the others
    expect(alert(page, "Warning")).to_have_text(t("rollup.missing_units", n=len(missing), names="、".join(missing)))
    rows = grid_rows(page.get_by_test_id("stMain").get_by_test_id("stDataFrame"), "第三中学")
    assert [r[t("field.unit")] for r in rows] == [r.unit.name for r in expected]  # sorted by need of attention
    assert {r[t("field.unit")]: r[t("rollup.flag")] for r in rows} == {
        r.unit.name: t("rollup.missing") if r.missing else "" for r in expected
    }
    reported = {r[t("field.unit")]: r[t("rollup.report_date")] for r in rows}
    assert reported["第一中学"] == "2019-05-27" and reported["第三中学"] == "2019-05-13"
    no_exception(page)

    # a click on the unit's row (its selection box, drawn on the grid's canvas) shows every page for that unit
    grid = page.get_by_test_id("stMain").get_by_test_id("stDataFrame").locator(".dvn-scroller")  # over the canvas
    row = [r[t("field.unit")] for r in rows].index("第三中学")
    grid.click(position={"x": ROW_MARKER_X, "y": ROW_HEIGHT * (row + 1.5)})  # below the header row
    expect(page.locator("h1")).to_have_text(t("overview.title"))
    expect(page.locator(".st-key-unit input")).to_have_value("第三中学")
    wait_for_app(page)

    go(page, t("page.history"), t("history.title"))
    third = store.versions(store.plan_named(PLAN).id, accounts.unit_named(store, "第三中学").id)
    (version,) = third
    (name,) = version.file_names
    # the trend chart above draws itself after the run (Plotly loads lazily): wait for it, so that the page has
    # stopped moving when the download button is clicked
    expect(page.get_by_test_id("stPlotlyChart").locator(".main-svg").first).to_be_visible()
    expand(page, t("history.download"))
    expect(page.get_by_test_id("stDownloadButton").filter(has_text=name)).to_be_visible()
    sent = b"".join(frame if isinstance(frame, bytes) else frame.encode() for frame in frames)
    assert b"/media/" not in sent and not audit.records(store, actions=["download"], who=INSPECTOR)  # nothing yet
    with page.expect_download() as download:
        page.get_by_test_id("stDownloadButton").filter(has_text=name).get_by_role("button").click()
    assert download.value.suggested_filename == name
    path = tmp_path / name
    download.value.save_as(path)
    assert path.read_bytes() == PUBLISHED[name] == store.files(version.id)[0][1]
    downloads = eventually(lambda: audit.records(store, actions=["download"], who=INSPECTOR), "the download record")
    assert [(r.who, r.action, r.target) for r in downloads] == [
        (INSPECTOR, "download", f"version {version.id}: {name}")
    ]
    wait_for_app(page)
    no_exception(page)
    assert audit.records(store, actions=["publish"], who=INSPECTOR) == []  # reads, changes nothing


def script_finished(payload: str | bytes) -> bool:
    """A websocket frame from the server saying that a script run has finished (a ForwardMsg script_finished)."""
    from google.protobuf.message import DecodeError
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    try:
        return isinstance(payload, bytes) and ForwardMsg.FromString(payload).WhichOneof("type") == "script_finished"
    except DecodeError:
        return False


def test_six_wrong_passwords_are_throttled_and_then_even_the_right_one_waits(app: str, store: Store, page: Page):
    sockets = []
    page.on("websocket", lambda socket: sockets.append(socket))
    open_login(page, app)
    page.locator(".st-key-login_name input").fill(GUESSED)
    password = page.locator(".st-key-login_password input")

    def timing() -> str:
        trail = list(reversed(audit.records(store, who=GUESSED)))
        return f"the trail: {[(r.action, r.at.isoformat(timespec='milliseconds')) for r in trail]}"

    def attempt(guess: str, answer: str | re.Pattern) -> None:
        """Submit a password (Enter submits the form) and wait for the answer of the run it started."""
        with sockets[-1].expect_event("framereceived", predicate=script_finished):
            password.fill(guess)
            password.press("Enter")
        try:
            expect(alert(page, "Error")).to_have_text(answer)
        except AssertionError as problem:
            raise AssertionError(f"{problem}\n{timing()}") from None

    for n in range(5):
        attempt(f"猜测的密码-{n}", t("access.login_refused"))
    # Back to back: the 5th failure makes the account wait Policy.first_wait_seconds (2 s); the 6th attempt and
    # then the right password fall within it, and are refused without being checked.
    attempt("猜测的密码-5", pattern("access.throttled", seconds=1))
    attempt(GUESSED_PASSWORD, pattern("access.throttled", seconds=1))
    trail = list(reversed(audit.records(store, who=GUESSED)))
    assert [r.action for r in trail][:5] == ["login_failed"] * 5, timing()
    throttled = [r for r in trail[5:] if r.action == "login_throttled"]  # one record a minute, with its count
    assert len(throttled) in (1, 2) and sum(r.detail["count"] for r in throttled) == 2, timing()
    expect(page.locator("h1")).to_have_text(t("access.login_title"))  # still not logged in
    expect(page.get_by_test_id("stSidebar")).not_to_contain_text(t("access.logout_account"))

    # once the wait is over (polled, not slept), the right password is checked again and lets them in
    address = trail[-1].address
    eventually(lambda: accounts.login_wait(store, GUESSED, address, datetime.now()) == 0, "the end of the wait", 30)
    password.fill(GUESSED_PASSWORD)
    password.press("Enter")
    expect(page.get_by_test_id("stSidebar")).to_contain_text(t("access.signed_in", name=GUESSED, role=t("role.editor")))
    assert audit.records(store, who=GUESSED, limit=1)[0].action == "login"
    no_exception(page)


def test_a_login_survives_a_reload_and_ends_for_good_at_log_out(app: str, page: Page, phone_page: Page):
    """The browser keeps the session's token in a cookie (SameSite=Strict): a reload keeps the login; another
    browser (the phone's) does not share it; after log-out a reload shows the login page again."""
    log_in(page, app, INSPECTOR, INSPECTOR_PASSWORD, "inspector")
    [cookie] = [c for c in page.context.cookies() if c["name"] == "ledger_session"]
    assert cookie["sameSite"] == "Strict" and cookie["expires"] == -1  # ends with the browser session
    page.reload()
    badge = t("access.signed_in", name=INSPECTOR, role=t("role.inspector"))
    expect(page.get_by_test_id("stSidebar")).to_contain_text(badge)
    wait_for_app(page)

    open_login(phone_page, app)  # no cookie, no login

    log_out(page)
    eventually(lambda: not [c for c in page.context.cookies() if c["name"] == "ledger_session"], "cookie cleared")
    page.reload()
    expect(page.locator("h1")).to_have_text(t("access.login_title"))
    page.context.add_cookies([cookie])  # the old token, replayed
    page.reload()
    expect(page.locator("h1")).to_have_text(t("access.login_title"))  # ended in the database: refused


def test_the_owners_browser_logs_in_at_once_while_another_browsers_guesses_make_the_account_wait(
    app: str, store: Store, page: Page, phone_page: Page
):
    """Test that a browser known from an earlier login (its device cookie) is never made to wait by guesses at the
    same account from another browser (the phone's) on the same address."""
    owner_name, owner_password = "被猜的管理员", "被猜-但不被锁-2019"
    accounts.add_user(store, owner_name, "admin", owner_password, at=datetime.now(), by="test")
    owner, attacker = page, phone_page  # two browsers, each with its own cookies
    log_in(owner, app, owner_name, owner_password, "admin")
    assert [c["name"] for c in owner.context.cookies() if c["name"] == "ledger_device"] == ["ledger_device"]
    log_out(owner)

    open_login(attacker, app)
    for n in range(7):
        submit_login(attacker, owner_name, f"猜测-{n}")
        wait_for_app(attacker)
    expect(alert(attacker, "Error")).to_have_text(pattern("access.throttled", seconds=1))
    submit_login(attacker, owner_name, owner_password)  # even the right password, from the guessing browser
    expect(alert(attacker, "Error")).to_have_text(pattern("access.throttled", seconds=1))

    # the owner, at once, from the same address: a page load, as the server reads the device cookie a browser sends
    # when its page connects
    open_login(owner, app)
    submit_login(owner, owner_name, owner_password)
    badge = t("access.signed_in", name=owner_name, role=t("role.admin"))
    expect(owner.get_by_test_id("stSidebar")).to_contain_text(badge)
    no_exception(owner)
