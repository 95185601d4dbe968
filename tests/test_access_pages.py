"""Accounts on the dashboard, with Streamlit's AppTest (README "Accounts and roles", "Audit trail", "Units and the
roll-up"): logging in and out, idle sessions, a role × page × action matrix in which every refusal is a clear
message that changes nothing, the users and audit pages, the roll-up with its drill-down, viewing without a login,
and forged forwarding headers.

Real argon2 accounts in a real SQLite store: the store is built once per module and copied for each test."""

import functools
import hashlib
import io
import json
import shutil
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import openpyxl
import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from ledger import accounts, audit, metrics
from ledger.escape import markdown
from ledger.i18n import STRINGS, translate
from ledger.lights import LIGHTS
from ledger.publishing import check_upload, publish
from ledger.report import summary
from ledger.rollup import combined, rollup
from ledger.sample import history_files
from ledger.store import Store, sessions_table
from tests import apptest
from tests.apptest import log_in
from tests.cards import figures
from tests.sheets import week_five
from ui import access, navigation
from ui.versions import DOWNLOADS_OPEN_KEY, WITHDRAW_OPEN_KEY

PLAN = "全市教育系统意识形态整改方案"
A, B, C = "第一中学", "第二中学", "第三中学"
PASSWORD = "整改-督办-2019"
PEOPLE = {"admin": ("管理员", ()), "editor": ("一中编辑", (A,)), "viewer": ("查看员", ()), "inspector": ("督导组", ())}
DISABLED = "已停用的编辑"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORTED = date(2019, 6, 3)


def t(key: str, **params) -> str:
    return translate(key, "zh", **params)


# --- the store, the app and the browser's connection ---------------------------------------------------------------
@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """One plan reported by three units (第一中学 2019-05-27, 第二中学 2019-06-03, 第三中学 2019-05-20), an account per
    role (the editor for 第一中学 only), a disabled account, and an open session for each role."""
    folder = tmp_path_factory.mktemp("accounts")
    store = Store(f"sqlite:///{folder / 'ledger.db'}")
    now = datetime.now()
    plan = store.create_plan(PLAN, created_at=now)
    weeks = [data for _, data in sorted(history_files().items())]
    units, versions = {}, {}
    for name, data in ((A, weeks[3]), (B, week_five()), (C, weeks[2])):
        units[name] = accounts.add_unit(store, name, at=now, by="管理员", plan_id=plan.id).id
        files = [(f"{name}.xlsx", data)]
        versions[name] = publish(
            store,
            files,
            check_upload(store, files, REPORTED, plan_id=plan.id),
            plan=plan.id,
            uploaded_by="办公室主任",
            uploaded_at=now,
            unit_id=units[name],
        ).version.id
    for role, (name, their_units) in PEOPLE.items():
        accounts.add_user(store, name, role, PASSWORD, at=now, by="管理员", units=[units[u] for u in their_units])
    accounts.add_user(store, DISABLED, "editor", PASSWORD, at=now, by="管理员", units=[units[B]])
    accounts.set_disabled(store, DISABLED, True, at=now, by="管理员")
    tokens = {
        role: accounts.log_in(store, name, PASSWORD, address="198.51.100.1", now=now).token
        for role, (name, _) in PEOPLE.items()
    }
    store.dispose()
    return SimpleNamespace(folder=folder, plan_id=plan.id, units=units, versions=versions, tokens=tokens)


@pytest.fixture
def db(template, tmp_path, monkeypatch):
    """A copy of the module's store for this test, which the app opens (LEDGER_DB_URL); no account setting."""
    for path in template.folder.glob("ledger.db*"):
        shutil.copy(path, tmp_path / path.name)
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    monkeypatch.setenv("LEDGER_DB_URL", url)
    for name in (
        "LEDGER_PUBLIC_VIEW",
        "LEDGER_SESSION_IDLE_MINUTES",
        "LEDGER_ADMIN_PASSWORD",
        "LEDGER_ADMIN_NAME",
        "LEDGER_EDITOR_PASSWORD",
    ):
        monkeypatch.delenv(name, raising=False)
    store = Store(url)
    yield store
    store.dispose()


@pytest.fixture
def client(monkeypatch):
    """Set the browser's connection as st.context sees it: the socket's address and the request's headers.

    AppTest has no connection (its st.context.ip_address is a mock object, which client_address() reports as
    "local"); this replaces the session client's context that st.context reads, so Streamlit's own rules still
    apply (127.0.0.1 and ::1 read as None)."""

    def connect(remote_ip: str, headers: dict[str, str] | None = None) -> None:
        context = SimpleNamespace(remote_ip=remote_ip, headers=list((headers or {}).items()), cookies={})
        monkeypatch.setattr("streamlit.runtime.context._get_client_context", lambda: context)

    return connect


@pytest.fixture
def media(monkeypatch):
    """The files download buttons hand to the browser: every file stored for download, by file name; `fetch`
    produces a deferred one (data given as a function) as a click in the browser would."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    from streamlit.testing.v1 import app_test

    files: dict[str, bytes] = {}
    loaded: list[bytes] = []
    managers: list[MediaFileManager] = []

    class Storage(MemoryMediaFileStorage):
        def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
            files[filename] = path_or_data
            loaded.append(path_or_data)
            return super().load_and_get_id(path_or_data, mimetype, kind, filename)

    class Manager(MediaFileManager):
        def __init__(self, storage):
            super().__init__(storage)
            managers.append(self)

    def fetch(button) -> bytes:
        managers[-1].execute_deferred(button.proto.deferred_file_id)
        return loaded[-1]

    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", Storage)
    monkeypatch.setattr(app_test, "MediaFileManager", Manager)
    return SimpleNamespace(files=files, fetch=fetch)


# The dashboard with the history page's download and withdrawal panels opened (they are drawn only while open);
# a script run that raised fails the test.
app = functools.partial(apptest.app, state={DOWNLOADS_OPEN_KEY: True, WITHDRAW_OPEN_KEY: True}, check=True)


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def title(at: AppTest) -> str:
    return at.title[0].value


def metrics_of(at: AppTest) -> dict[str, str]:
    return figures(at)


def frame(at: AppTest, *columns: str):
    """The first table holding these columns (st.dataframe without a selection has no key AppTest can see)."""
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


def has_frame(at: AppTest, *columns: str) -> bool:
    return any(set(columns) <= set(d.value.columns) for d in at.dataframe)


def keys(elements) -> set[str]:
    return {e.key for e in elements}


def trail(store: Store, since: datetime) -> list[tuple[str, str, str, str]]:
    return [(r.who, r.action, r.target, r.address) for r in reversed(audit.records(store, since=since))]


def request(at: AppTest, edit, session: dict | None = None) -> AppTest:
    """Rerun with the widget states the browser would send, after `edit(states)` changed them, and `session`
    written into the session state: for what AppTest cannot do through its elements (a dataframe row click, a
    crafted request). Uses AppTest's private run with widget states (`_tree.get_widget_states`, `_run`)."""
    states = at._tree.get_widget_states()
    edit(states)
    for key, value in (session or {}).items():
        at.session_state[key] = value
    at._run(states)
    assert not at.exception, at.exception
    return at


def state_of(states, widget_id: str):
    found = [w for w in states.widgets if w.id == widget_id]
    return found[0] if found else states.widgets.add(id=widget_id)


def select_row(at: AppTest, key: str, row: int) -> AppTest:
    """Click a row of a selectable st.dataframe: AppTest offers no interaction for a dataframe selection, and
    writing the selection into at.session_state does not fire on_select, so send what the browser sends on a
    click — the selection as JSON in the dataframe's widget state. (Should a Streamlit upgrade break this, set
    session_state["unit"] as ui.rollup.drill_down does instead.)"""
    table_id = at.dataframe(key=key).proto.id
    return request(
        at,
        lambda states: setattr(
            state_of(states, table_id), "string_value", json.dumps({"selection": {"rows": [row], "columns": []}})
        ),
    )


def not_registered(at: AppTest, page: str) -> bool:
    """The page is not in this session's navigation (a browser asking for its address gets the default page)."""
    try:
        at.switch_page(page)
    except ValueError as refused:
        return "Could not find a navigation page" in str(refused)
    return False


# --- logging in and out ---------------------------------------------------------------------------------------------
def test_login_shows_the_dashboard_the_same_refusal_for_every_wrong_login_and_logout_returns_to_the_login_page(
    db, client
):
    client("192.0.2.10", {"X-Forwarded-For": "127.0.0.1", "X-Real-Ip": "10.0.0.1", "Forwarded": "for=10.0.0.2"})
    start = datetime.now()
    before = db.counts()
    at = app()
    assert title(at) == t("access.login_title") and not figures(at)
    assert not_registered(at, "pages/overview.py") and not_registered(at, "pages/upload.py")

    refusals = []
    for name, password in (("管理员", "不是这个密码-2019"), ("没有这个人", PASSWORD), (DISABLED, PASSWORD)):
        log_in(at, name, password)
        assert title(at) == t("access.login_title")
        assert at.text_input(key="login_password").value == ""  # never kept in the session
        refusals.append(texts(at.error))
    assert refusals == [[t("access.login_refused")]] * 3  # unknown name, wrong password, disabled: one message

    log_in(at, "管理员", PASSWORD)
    assert title(at) == t("overview.title") and metrics_of(at)[t("overview.measures")] == "51"
    assert t("access.signed_in", name="管理员", role=t("role.admin")) in texts(at.sidebar.caption)
    token = at.session_state[access.TOKEN_KEY]

    at.button(key="account_logout").click().run()
    assert title(at) == t("access.login_title") and access.TOKEN_KEY not in at.session_state
    assert not_registered(at, "pages/overview.py")
    with db.engine.connect() as conn:
        ended = conn.execute(
            sa.select(sessions_table.c.ended_at).where(
                sessions_table.c.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
            )
        ).scalar_one()
    assert ended is not None
    at.session_state[access.TOKEN_KEY] = token  # the old token, replayed, opens nothing
    at.run()
    assert title(at) == t("access.login_title")

    assert trail(db, start) == [
        ("管理员", "login_failed", "管理员", "192.0.2.10"),
        ("没有这个人", "login_failed", "没有这个人", "192.0.2.10"),
        (DISABLED, "login_failed", DISABLED, "192.0.2.10"),
        ("管理员", "login", "管理员", "192.0.2.10"),
        ("管理员", "logout", "管理员", "192.0.2.10"),
    ]
    written = json.dumps([[*r.as_json().values(), r.detail] for r in audit.records(db)], ensure_ascii=False)
    assert PASSWORD not in written and "不是这个密码" not in written  # passwords are never recorded
    assert db.counts() == before


@pytest.mark.parametrize(("idle_minutes", "expired"), [(4, False), (6, True)])
def test_a_session_idle_for_longer_than_the_setting_ends(db, monkeypatch, idle_minutes, expired):
    monkeypatch.setenv("LEDGER_SESSION_IDLE_MINUTES", "5")
    at = log_in(app(), "查看员", PASSWORD)
    assert title(at) == t("overview.title")
    digest = hashlib.sha256(at.session_state[access.TOKEN_KEY].encode()).hexdigest()
    with db.engine.begin() as conn:  # the browser left the page open and idle
        conn.execute(
            sessions_table.update()
            .where(sessions_table.c.token_sha256 == digest)
            .values(last_seen_at=datetime.now() - timedelta(minutes=idle_minutes))
        )
    at.run()
    with db.engine.connect() as conn:
        session = (
            conn.execute(sa.select(sessions_table).where(sessions_table.c.token_sha256 == digest)).mappings().one()
        )
    if expired:
        assert title(at) == t("access.login_title") and access.TOKEN_KEY not in at.session_state
        assert session["ended_at"] is not None
    else:  # still open, and this run counts as activity
        assert title(at) == t("overview.title") and session["ended_at"] is None
        assert datetime.now() - session["last_seen_at"] < timedelta(minutes=1)


def test_disabling_an_account_or_taking_a_role_away_takes_effect_at_the_next_rerun(db, template):
    admin = app(template.tokens["admin"], "pages/users.py")
    assert title(admin) == t("users.title") and has_frame(admin, t("users.name"), t("users.state"))
    accounts.add_user(db, "另一位管理员", "admin", PASSWORD, at=datetime.now(), by="管理员")  # never the last admin
    accounts.set_role(db, "管理员", "viewer", (), at=datetime.now(), by="另一位管理员")
    admin.run()  # the users page is gone from the navigation: the overview instead, no accounts table
    assert title(admin) == t("overview.title") and not has_frame(admin, t("users.name"), t("users.state"))
    assert not_registered(admin, "pages/users.py") and not_registered(admin, "pages/audit.py")

    viewer = app(template.tokens["viewer"])
    assert title(viewer) == t("overview.title")
    accounts.set_disabled(db, "查看员", True, at=datetime.now(), by="另一位管理员")
    viewer.run()
    assert title(viewer) == t("access.login_title") and not figures(viewer)


# --- role × page × action -------------------------------------------------------------------------------------------
NOT_HERE = {"evidence", "inspection"}  # their roles: tests/test_evidence_pages.py
PAGES = {spec.script: spec.heading for spec in navigation.PAGES if spec.key not in NOT_HERE}
MAY = {  # what each role may do beyond reading (README "Accounts and roles")
    "admin": {"upload", "plan", "users", "audit", "originals", "withdraw"},
    "editor": {"upload", "plan", "originals", "withdraw"},
    "viewer": set(),
    "inspector": {"audit", "originals"},
}


@pytest.mark.parametrize("role", list(PEOPLE))
def test_each_role_sees_what_it_may_on_every_page_and_a_clear_refusal_elsewhere(db, template, role):
    may = MAY[role]
    before = db.counts()
    plan_versions = db.versions(template.plan_id)
    at = app(template.tokens[role])
    assert t("access.signed_in", name=PEOPLE[role][0], role=t(f"role.{role}")) in texts(at.sidebar.caption)
    for page, title_key in PAGES.items():
        name = page.removeprefix("pages/").removesuffix(".py")
        if name in ("users", "audit") and name not in may:
            assert not_registered(at, page), (role, page)
            continue
        at.switch_page(page).run()
        assert not at.exception, (role, page, at.exception)
        assert title(at) == t(title_key), (role, page)
        if name == "rollup":
            assert at.dataframe(key="rollup_table").value[t("field.unit")].tolist() == [A, C, B]
        elif name == "overview":
            assert metrics_of(at)[t("overview.measures")] == "51"
        elif name == "upload":
            if "upload" in may:
                shown = [u.name for u in accounts.units(db) if role == "admin" or u.name in PEOPLE[role][1]]
                assert at.selectbox(key="upload_unit").options == shown and len(at.file_uploader) == 1
                assert "upload_by" not in keys(at.text_input)  # "uploaded by" is the logged-in person
            else:
                assert texts(at.error) == [t("account.forbidden")] and not at.file_uploader
        elif name == "plan":
            if "plan" in may:
                assert "plan_source" in keys(at.radio) and not at.error
            else:
                assert texts(at.error) == [t("account.forbidden")] and "plan_source" not in keys(at.radio)
        elif name == "users":
            table = frame(at, t("users.name"), t("users.state"))
            assert table[t("users.name")].tolist() == [u.name for u in accounts.users(db)]
            assert table[t("users.state")].tolist() == [t("users.active")] * 4 + [t("users.disabled")]
        elif name == "audit":
            assert len(frame(at, t("field.who"), t("field.address"))) == len(audit.records(db))
        elif name == "history":
            buttons = at.get("download_button")
            originals = [b for b in buttons if b.label != t("archive.download")]
            assert len(buttons) - len(originals) == (role == "admin")  # the plan's archive: admins only
            if "originals" in may:
                chosen = at.selectbox(key="download_version").value
                assert [b.label for b in originals] == [markdown(n) for n, _ in db.files(chosen)]
            else:
                assert not originals and "download_version" not in keys(at.selectbox)
            if "withdraw" in may:
                mine = [v for v in plan_versions if role == "admin" or v.unit_id == template.units[A]]
                assert at.selectbox(key="withdraw_version").options == [
                    t("version.label", n=v.number, day=v.report_date.isoformat()) for v in mine
                ]
            else:
                assert "withdraw_version" not in keys(at.selectbox) and "withdraw_button" not in keys(at.button)
    assert db.counts() == before and db.versions(template.plan_id) == plan_versions


@pytest.mark.parametrize(
    ("role", "page"),
    [("editor", "users"), ("viewer", "users"), ("inspector", "users"), ("editor", "audit"), ("viewer", "audit")],
)
def test_the_users_and_audit_pages_check_the_role_again_when_run_on_their_own(db, template, role, page):
    at = AppTest.from_file(f"../pages/{page}.py", default_timeout=60)
    at.session_state[access.TOKEN_KEY] = template.tokens[role]
    at.run()
    assert not at.exception
    assert texts(at.error) == [t("account.forbidden")]
    assert not at.dataframe and not at.text_input and not at.get("download_button")


def test_the_editor_of_one_unit_cannot_publish_into_another_even_by_forcing_the_picker(db, template):
    start = datetime.now()
    at = app(template.tokens["editor"], "pages/upload.py")
    picker = at.selectbox(key="upload_unit")
    assert picker.options == [A] and picker.value == template.units[A]
    at.file_uploader[0].set_value(("一中第六周.xlsx", week_five({1: {"progress": 80}}), XLSX)).run()
    picker_id, publish_id = at.selectbox(key="upload_unit").id, at.button(key="publish").id
    before = db.counts()

    def click(states):
        state_of(states, publish_id).trigger_value = True

    def without_picker(states):  # the session holds the unit; AppTest has no label to send for one not offered
        kept = [w for w in states.widgets if w.id != picker_id]
        del states.widgets[:]
        states.widgets.extend(kept)
        click(states)

    def naming_b(states):  # a crafted request: the picker set to the label of a unit it never offered
        state_of(states, picker_id).string_value = B
        click(states)

    for edit, session in ((without_picker, {"upload_unit": template.units[B]}), (naming_b, None)):
        request(at, edit, session)
        assert texts(at.error) == [t("upload.unit_forbidden")]
        assert not [m for m in texts(at.success) if m.startswith(STRINGS["upload.published"][0].split("“")[0])]
        assert db.counts() == before
        assert [v.id for v in db.versions(template.plan_id, template.units[B])] == [template.versions[B]]
        assert at.selectbox(key="upload_unit").value == template.units[A]  # the picker is back on their unit
    assert not trail(db, start)

    at.button(key="publish").click().run()  # for their own unit the same file goes through, signed by them
    [mine, *_] = db.versions(template.plan_id, template.units[A])
    assert texts(at.success) == [t("upload.published", n=mine.number, day="2019-06-03", plan=PLAN)]
    assert (mine.unit_id, mine.uploaded_by, mine.file_names) == (template.units[A], "一中编辑", ("一中第六周.xlsx",))
    assert db.counts()["ledger_versions"] == before["ledger_versions"] + 1
    assert trail(db, start) == [("一中编辑", "publish", f"version {mine.id}", "local")]


def test_the_editor_withdraws_their_own_units_version_and_is_offered_no_other(db, template):
    start = datetime.now()
    at = app(template.tokens["editor"], "pages/history.py")
    [own] = db.versions(template.plan_id, template.units[A])
    label = t("version.label", n=own.number, day=own.report_date.isoformat())
    assert at.selectbox(key="withdraw_version").options == [label]
    live = db.versions(template.plan_id)
    at.text_input(key="withdraw_reason").input("填报日期写错")
    at.button(key="withdraw_button").click().run()
    assert texts(at.success) == [t("versions.withdrawn", label=label)]
    assert [v.id for v in db.versions(template.plan_id)] == [v.id for v in live if v.id != own.id]
    assert trail(db, start) == [("一中编辑", "withdraw", f"version {own.id}", "local")]
    assert f"restore_{own.id}" not in keys(at.button)  # restoring is for admins
    assert "withdraw_version" not in keys(at.selectbox)  # nothing of theirs is left to withdraw


def forced_publish(plan_id: int, unit_id: int) -> None:
    """The upload page's Publish callback, called in a session whose page never offered the button."""
    from datetime import date

    import streamlit as st

    from ledger.publishing import check_upload
    from tests.sheets import week_five
    from ui import source, upload

    files = [("强行发布.xlsx", week_five({1: {"progress": 70}}))]
    st.session_state[upload.TARGET_KEY] = plan_id
    st.session_state[upload.UNIT_TARGET_KEY] = unit_id
    ledger = check_upload(source.store(), files, date(2019, 6, 3), plan_id=plan_id)
    upload.do_publish(files, ledger, "forced_report_date", "forced_plan_name")


def forced_withdraw(version_id: int) -> None:
    """The history page's Withdraw callback, called in a session whose page never offered the button."""
    import streamlit as st

    from ui import versions

    st.session_state["withdraw_version"] = version_id
    st.session_state["withdraw_reason"] = "强行撤回"
    versions._withdraw({})


def forced_restore(version_id: int) -> None:
    """The history page's Restore callback, called in a session whose page never offered the button."""
    from ui import versions

    versions._restore(version_id, "强行恢复")


@pytest.mark.parametrize(
    ("role", "action"),
    [
        ("viewer", "publish"),
        ("inspector", "publish"),
        ("editor", "publish"),
        ("viewer", "withdraw"),
        ("inspector", "withdraw"),
        ("editor", "withdraw"),
        ("editor", "restore"),
        ("inspector", "restore"),
        ("admin", "publish"),
        ("admin", "withdraw"),
        ("admin", "restore"),
    ],
)
def test_forcing_an_action_the_page_does_not_offer_is_refused_with_a_message_and_changes_nothing(
    db, template, role, action
):
    """Each action aims at 第二中学 (the editor is 第一中学's). The admin's runs of the same callbacks show that the
    refusals come from the role, not from the way the callback is called."""
    plan_id, unit_b, version_b = template.plan_id, template.units[B], template.versions[B]
    if action == "restore":  # an admin withdrew 第二中学's version; others may not bring it back
        db.withdraw(version_b, by="管理员", reason="填报日期写错", at=datetime.now())
    start = datetime.now()
    before, live = db.counts(), db.versions(plan_id, withdrawn=True)
    script, args, flash_key, refusal = {
        "publish": (forced_publish, (plan_id, unit_b), "_upload_flash", t("upload.unit_forbidden")),
        "withdraw": (forced_withdraw, (version_b,), "_versions_flash", t("account.forbidden")),
        "restore": (forced_restore, (version_b,), "_versions_flash", t("account.forbidden")),
    }[action]
    at = AppTest.from_function(script, args=args, default_timeout=60)
    at.session_state[access.TOKEN_KEY] = template.tokens[role]
    at.run()
    assert not at.exception, at.exception
    if role != "admin":
        if action == "publish" and role != "editor":  # may not publish at all; the editor not for 第二中学
            refusal = t("account.forbidden")
        assert at.session_state[flash_key] == ("error", refusal)
        assert db.counts() == before and db.versions(plan_id, withdrawn=True) == live
        assert not trail(db, start)
        return
    if action == "publish":
        [new, *_] = db.versions(plan_id, unit_b)
        assert at.session_state[flash_key] == (
            "success",
            t("upload.published", n=new.number, day="2019-06-03", plan=PLAN),
        )
        assert (new.unit_id, new.uploaded_by) == (unit_b, "管理员")
        assert trail(db, start) == [("管理员", "publish", f"version {new.id}", "local")]
    else:
        message = (
            t("versions.withdrawn", label=version_b)
            if action == "withdraw"
            else t("versions.restored", label="强行恢复")
        )
        assert at.session_state[flash_key] == ("success", message)
        assert db.version(version_b).withdrawn is (action == "withdraw")
        assert trail(db, start) == [("管理员", action, f"version {version_b}", "local")]


# --- the users page -------------------------------------------------------------------------------------------------
def add_account(at: AppTest, name: str, role: str, units: list[int], password: str) -> AppTest:
    at.text_input(key="new_user_name").input(name)
    at.selectbox(key="new_user_role").set_value(role)
    at.multiselect(key="new_user_units").set_value(units)
    at.text_input(key="new_user_password").input(password)
    at.text_input(key="new_user_password_again").input(password)
    at.button(key="add_user").click().run()
    assert not at.exception, at.exception
    return at


def test_the_admin_adds_an_editor_resets_a_password_disables_enables_and_changes_a_role(db, template, client):
    client("192.0.2.20")
    start = datetime.now()
    at = app(template.tokens["admin"], "pages/users.py")
    unit_b = template.units[B]
    for weak, refusal in (
        ("1234567890", t("account.password_common")),
        ("short-1", t("account.password_short", n=accounts.MIN_PASSWORD)),
        ("二中编辑的密码-2019", t("account.password_name")),
    ):
        add_account(at, "二中编辑", "editor", [unit_b], weak)
        assert texts(at.error) == [refusal] and accounts.user_named(db, "二中编辑") is None
    assert not trail(db, start)

    new = "二中-整改-督办-2019"
    add_account(at, "二中编辑", "editor", [unit_b], new)
    assert texts(at.success) == [t("cli.user_added", name="二中编辑", role=t("role.editor"))]
    assert accounts.user_named(db, "二中编辑") == accounts.User(
        accounts.user_named(db, "二中编辑").id, "二中编辑", "editor", False, (unit_b,)
    )
    table = frame(at, t("users.name"), t("users.state")).set_index(t("users.name"))
    assert table.loc["二中编辑"].tolist() == [t("role.editor"), t("users.active"), B]
    assert at.text_input(key="new_user_name").value == "" and at.text_input(key="new_user_password").value == ""

    at.selectbox(key="edit_user").set_value("二中编辑").run()
    reset = "重置后的-督办-密码-2019"
    at.text_input(key="reset_password").input(reset)
    at.button(key="reset_password_button").click().run()  # without the admin's own password: refused
    assert texts(at.error) == [t("account.reauth")]
    assert accounts.log_in(db, "二中编辑", new, address="x", now=datetime.now()).user is not None
    at.text_input(key="reset_password").input(reset)
    at.text_input(key="users_own_password").input(PASSWORD)
    at.button(key="reset_password_button").click().run()
    assert texts(at.success) == [t("cli.password_set", name="二中编辑")]

    at.text_input(key="users_own_password").input(PASSWORD)
    at.button(key="disable_user").click().run()
    assert texts(at.success) == [t("cli.user_disabled_msg", name="二中编辑")]
    assert accounts.user_named(db, "二中编辑").disabled
    assert frame(at, t("users.name"), t("users.state")).set_index(t("users.name")).loc[
        "二中编辑", t("users.state")
    ] == t("users.disabled")
    at.button(key="enable_user").click().run()
    assert texts(at.success) == [t("cli.user_enabled_msg", name="二中编辑")]
    assert not accounts.user_named(db, "二中编辑").disabled

    at.selectbox(key="edit_role").set_value("inspector")
    at.multiselect(key="edit_units").set_value([])
    at.text_input(key="users_own_password").input(PASSWORD)
    at.button(key="save_role").click().run()
    assert texts(at.success) == [t("users.role_saved", name="二中编辑")]
    changed = accounts.user_named(db, "二中编辑")
    assert (changed.role, changed.units, changed.disabled) == ("inspector", (), False)

    at.selectbox(key="edit_user").set_value("管理员").run()  # nobody locks themselves out
    at.button(key="disable_user").click().run()
    assert texts(at.error) == [t("users.not_yourself")] and not accounts.user_named(db, "管理员").disabled

    at.text_input(key="new_unit_name").input("第四中学")
    at.selectbox(key="new_unit_plan").set_value(template.plan_id)
    at.button(key="add_unit").click().run()
    assert texts(at.success) == [t("users.unit_added", name="第四中学")]
    assert [u.name for u in accounts.units(db, template.plan_id)] == [A, C, B, "第四中学"]

    address = "192.0.2.20"
    assert trail(db, start) == [
        ("管理员", "user_added", "二中编辑", address),
        ("管理员", "login_failed", "管理员", address),  # the empty confirmation counts as a wrong password
        ("二中编辑", "login", "二中编辑", "x"),  # the old password still worked: nothing had changed
        ("管理员", "password_changed", "二中编辑", address),
        ("管理员", "user_disabled", "二中编辑", address),
        ("管理员", "user_enabled", "二中编辑", address),
        ("管理员", "role_changed", "二中编辑", address),
        ("管理员", "unit_added", "第四中学", address),
    ]
    [added] = audit.records(db, since=start, actions=["user_added"])
    [role_change] = audit.records(db, since=start, actions=["role_changed"])
    assert added.detail == {"role": "editor", "units": [unit_b]}
    assert role_change.detail == {"role": "inspector", "units": [], "was": "editor", "units_were": [unit_b]}
    assert accounts.log_in(db, "二中编辑", new, address="x", now=datetime.now()).user is None
    assert accounts.log_in(db, "二中编辑", reset, address="x", now=datetime.now()).user.role == "inspector"


# --- the audit page -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["admin", "inspector"])
def test_the_audit_page_filters_by_action_and_person_and_exports_what_it_shows(db, template, media, role):
    at = app(template.tokens[role], "pages/audit.py")
    everything = audit.records(db)
    table = frame(at, t("field.who"), t("field.address"))
    assert list(table.columns) == [t(f"field.{c}") for c in ("at", "who", "action", "target", "address")]
    assert table[t("field.who")].tolist() == [r.who for r in everything]
    assert table[t("field.action")].tolist() == [t(f"audit.{r.action}") for r in everything]
    assert t("audit.count", n=len(everything), limit=audit.SHOWN) in texts(at.caption)

    at.multiselect(key="audit_actions").set_value(["login"]).run()
    table = frame(at, t("field.who"), t("field.address"))
    assert table[t("field.action")].tolist() == [t("audit.login")] * 4
    assert sorted(table[t("field.who")]) == sorted(name for name, _ in PEOPLE.values())
    assert set(table[t("field.address")]) == {"198.51.100.1"}

    at.text_input(key="audit_who").input("督导组").run()
    table = frame(at, t("field.who"), t("field.address"))
    assert table[[t("field.who"), t("field.action"), t("field.target")]].values.tolist() == [
        ["督导组", t("audit.login"), "督导组"]
    ]
    assert t("audit.count", n=1, limit=audit.SHOWN) in texts(at.caption)

    [export] = [b for b in at.get("download_button") if b.key == "audit_download"]
    assert export.label == t("audit.export")
    start = datetime.now()
    sheet = openpyxl.load_workbook(io.BytesIO(media.fetch(export))).worksheets[0]  # made, and recorded, when asked
    assert sheet.title == t("audit.title")
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        [t(f"field.{c}") for c in ("at", "who", "action", "target", "address")],
        table.astype(str).values.tolist()[0],
    ]

    name = PEOPLE[role][0]
    assert trail(db, start) == [(name, "download", f"audit_{date.today().isoformat()}.xlsx", "local")]
    export.click().run()  # the click itself sends nothing and records nothing more: the file was the record
    assert len(trail(db, start)) == 1


def test_the_inspector_downloads_an_original_file_and_the_download_is_recorded(db, template, media):
    start = datetime.now()
    at = app(template.tokens["inspector"], "pages/history.py")
    at.selectbox(key="download_version").set_value(template.versions[C]).run()
    [original] = at.get("download_button")
    assert original.label == markdown(f"{C}.xlsx")
    assert f"{C}.xlsx" not in media.files and not trail(db, start)  # no file, nor its address, before it is asked for
    assert media.fetch(original) == db.files(template.versions[C])[0][1]
    assert trail(db, start) == [("督导组", "download", f"version {template.versions[C]}: {C}.xlsx", "local")]


def test_a_download_asked_for_after_the_role_was_taken_away_gives_nothing_and_records_nothing(db, template, media):
    start = datetime.now()
    at = app(template.tokens["inspector"], "pages/history.py")
    at.selectbox(key="download_version").set_value(template.versions[C]).run()
    [original] = at.get("download_button")
    accounts.set_role(db, "督导组", "viewer", (), at=datetime.now(), by="管理员")  # the button is still on screen
    assert media.fetch(original) == b"" and not [r for r in trail(db, start) if r[1] == "download"]


# --- the roll-up and its drill-down ---------------------------------------------------------------------------------
def test_the_units_page_sorts_by_need_flags_missing_reports_and_all_units_together_add_up(db, template):
    rows = rollup(db, template.plan_id)
    at = app(template.tokens["viewer"], "pages/rollup.py")
    table = at.dataframe(key="rollup_table").value
    assert table[t("field.unit")].tolist() == [r.unit.name for r in rows] == [A, C, B]
    assert table[t("rollup.flag")].tolist() == [t("rollup.missing"), t("rollup.missing"), ""]
    assert table[t("rollup.report_date")].tolist() == ["2019-05-27", "2019-05-20", "2019-06-03"]
    assert table[t("overview.overdue")].tolist() == [r.overdue for r in rows] == [4, 1, 5]
    assert t("rollup.missing_units", n=2, names=f"{A}、{C}") in texts(at.warning)
    assert "rank" not in " ".join(table.columns).lower() and "排名" not in " ".join(table.columns)

    at.switch_page("pages/overview.py").run()  # all units together
    assert at.selectbox(key="unit").value == 0
    assert metrics_of(at)[t("overview.measures")] == str(sum(r.figures["tasks"] for r in rows)) == "51"
    at.switch_page("pages/responsibilities.py").run()
    together = combined(db, template.plan_id)
    late = metrics.overdue(together.tasks, together.report_date)
    detail = frame(at, t("field.days_overdue"), t("field.severity"))
    assert detail[t("field.unit")].tolist() == late["unit"].tolist() and set(late["unit"]) == {A, B, C}
    assert t("field.unit") in frame(at, t("responsibilities.count"), t("responsibilities.max_days")).columns
    assert metrics_of(at)[t("responsibilities.overdue")] == str(len(late))


def test_clicking_a_unit_on_the_units_page_shows_only_that_unit_on_every_page(db, template):
    rows = rollup(db, template.plan_id)
    at = app(template.tokens["viewer"], "pages/rollup.py")
    select_row(at, "rollup_table", 1)  # 第三中学, the second row
    assert title(at) == t("overview.title")
    assert at.session_state["unit"] == template.units[C] and at.selectbox(key="unit").value == template.units[C]

    alone = summary(db.ledger(rows[1].version.id))
    shown = metrics_of(at)
    assert shown[t("overview.measures")] == str(alone["tasks"]) == "17"
    assert shown[t("overview.completion")] == f"{alone['completion_pct']:.1f}%"
    assert shown[t("overview.overdue")] == str(len(alone["overdue"]))
    assert shown[t("overview.due_soon", days=7)] == str(len(alone["due_soon"]))
    assert {name: shown[t(f"light.{name}")] for name in LIGHTS} == {name: str(alone["lights"][name]) for name in LIGHTS}

    at.switch_page("pages/responsibilities.py").run()
    detail = frame(at, t("field.days_overdue"), t("field.severity"))
    assert t("field.unit") not in detail.columns
    assert detail[t("field.measure")].tolist() == [r["measure"] for r in alone["overdue"]]
    assert detail[t("field.id")].tolist() == [str(r["id"]) for r in alone["overdue"]]

    at.switch_page("pages/history.py").run()
    versions = frame(at, t("history.version"), t("history.uploaded_by"))
    assert versions[t("field.unit")].tolist() == [C]

    at.switch_page("pages/rollup.py").run()
    next(b for b in at.button if b.label == t("rollup.show_all")).click().run()
    assert at.session_state["unit"] == 0
    at.switch_page("pages/overview.py").run()
    assert metrics_of(at)[t("overview.measures")] == "51"


# --- viewing without a login ----------------------------------------------------------------------------------------
def test_with_public_view_anyone_sees_the_dashboard_but_uploading_needs_a_login(db, monkeypatch):
    monkeypatch.setenv("LEDGER_PUBLIC_VIEW", "1")
    before = db.counts()
    at = app()
    assert title(at) == t("overview.title") and metrics_of(at)[t("overview.measures")] == "51"
    assert "account_logout" not in keys(at.button)
    assert not_registered(at, "pages/users.py") and not_registered(at, "pages/audit.py")
    at.switch_page("pages/history.py").run()
    assert not at.get("download_button") and "withdraw_version" not in keys(at.selectbox)
    at.switch_page("pages/upload.py").run()
    assert texts(at.info) == [t("access.login_needed")] and not at.file_uploader
    assert {"login_name", "login_password"} <= keys(at.text_input)
    at.switch_page("pages/plan.py").run()
    assert texts(at.info) == [t("access.login_needed")] and "plan_source" not in keys(at.radio)
    assert db.counts() == before

    at.switch_page("pages/upload.py").run()  # logging in right there opens the uploader
    log_in(at, "一中编辑", PASSWORD)
    assert at.selectbox(key="upload_unit").options == [A] and len(at.file_uploader) == 1


# --- forged forwarding headers --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("remote_ip", "headers", "address", "loopback"),
    [
        ("127.0.0.1", {}, "local", True),
        ("::1", {}, "local", True),
        ("::ffff:127.0.0.1", {}, "local", True),  # a dual-stack listener's browser at http://127.0.0.1
        ("127.0.0.2", {}, "local", True),
        ("::ffff:203.0.113.7", {}, "::ffff:203.0.113.7", False),
        ("203.0.113.7", {}, "203.0.113.7", False),
        ("203.0.113.7", {"X-Forwarded-For": "127.0.0.1"}, "203.0.113.7", False),
        ("203.0.113.7", {"X-Real-Ip": "127.0.0.1"}, "203.0.113.7", False),
        ("203.0.113.7", {"Forwarded": "for=127.0.0.1;proto=http"}, "203.0.113.7", False),
        (
            "203.0.113.7",
            {"X-Forwarded-For": "127.0.0.1, ::1", "X-Real-Ip": "::1", "Forwarded": 'for="[::1]"'},
            "203.0.113.7",
            False,
        ),
        # a proxy on this machine forwards a browser from elsewhere: not a local browser, whatever the header says
        ("127.0.0.1", {"X-Forwarded-For": "203.0.113.7"}, "local", False),
        ("127.0.0.1", {"x-real-ip": "10.1.2.3"}, "local", False),
        ("::1", {"forwarded": "for=198.51.100.9"}, "local", False),
    ],
)
def test_forwarding_headers_never_change_the_client_address_and_can_only_take_local_editing_away(
    client, remote_ip, headers, address, loopback
):
    client(remote_ip, headers)
    assert access.client_address() == address
    assert access.is_loopback_client() is loopback


def test_before_any_account_a_forged_header_never_opens_editing_to_a_remote_browser(tmp_path, monkeypatch, client):
    """Before any account exists, with no editor password, only a browser on this machine may edit."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    monkeypatch.setenv("LEDGER_DB_URL", url)
    for name in ("LEDGER_ADMIN_PASSWORD", "LEDGER_EDITOR_PASSWORD", "LEDGER_PUBLIC_VIEW"):
        monkeypatch.delenv(name, raising=False)
    seen, counts = {}, []
    for case, remote_ip, headers in (
        ("local", "127.0.0.1", {}),
        (
            "remote claiming local",
            "203.0.113.7",
            {"X-Forwarded-For": "127.0.0.1", "X-Real-Ip": "127.0.0.1", "Forwarded": "for=127.0.0.1"},
        ),
        ("proxied", "127.0.0.1", {"X-Forwarded-For": "203.0.113.7"}),
    ):
        client(remote_ip, headers)
        at = app(page="pages/upload.py")
        seen[case] = (len(at.file_uploader), texts(at.warning))
        store = Store(url)
        counts.append(store.counts())
        store.dispose()
    assert seen == {
        "local": (1, []),
        "remote claiming local": (0, [t("access.no_password")]),
        "proxied": (0, [t("access.no_password")]),
    }
    assert counts[0] == counts[1] == counts[2]


def test_a_forged_header_neither_names_the_audit_address_nor_escapes_the_login_throttle(db, client, monkeypatch):
    start = datetime.now()

    class Clock(datetime):  # every attempt at the same instant, so the wait is exactly the policy's first one
        @classmethod
        def now(cls, tz=None):
            return start

    monkeypatch.setattr(access, "datetime", Clock)
    messages = []
    at = app()
    for i in range(6):  # a new forged address each time, and a new name, so only the address can be counted
        client(
            "198.51.100.23",
            {"X-Forwarded-For": f"10.0.0.{i}", "X-Real-Ip": f"10.0.1.{i}", "Forwarded": f"for=10.0.2.{i}"},
        )
        messages.append(texts(log_in(at, f"猜测{i}", "不是密码-2019").error))
    assert messages == [[t("access.login_refused")]] * 5 + [[t("access.throttled", seconds=2)]]
    assert [(action, address) for _, action, _, address in trail(db, start)] == [
        *[("login_failed", "198.51.100.23")] * 5,
        ("login_throttled", "198.51.100.23"),
    ]


# --- the first admin ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("password", "created"), [("首位-管理员-2019", True), ("1234567890", False)])
def test_the_first_admin_comes_from_the_setting_and_a_weak_one_is_refused(tmp_path, monkeypatch, password, created):
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    monkeypatch.setenv("LEDGER_DB_URL", url)
    monkeypatch.setenv("LEDGER_ADMIN_PASSWORD", password)
    for name in ("LEDGER_ADMIN_NAME", "LEDGER_PUBLIC_VIEW"):
        monkeypatch.delenv(name, raising=False)
    at = app()
    store = Store(url)
    if created:
        assert title(at) == t("access.login_title")
        assert [(u.name, u.role) for u in accounts.users(store)] == [("admin", "admin")]
        assert [(r.who, r.action, r.target, r.address) for r in audit.records(store, actions=["user_added"])] == [
            ("LEDGER_ADMIN_PASSWORD", "user_added", "admin", "server")
        ]
        assert title(log_in(at, "admin", password)) == t("overview.title")
    else:
        assert title(at) == t("overview.title") and not accounts.any_account(store)
    store.dispose()
