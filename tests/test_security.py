"""The security review's findings (README "Accounts and roles", "Audit trail", "Limits"), each reproduced here as it
was found and shown to be closed: crafted addresses, look-alike and invisible account names, control characters in
the trail, names typed on the command line, admin actions without a record, the last admin."""

from __future__ import annotations

import getpass
import json
from datetime import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ledger import accounts, audit
from ledger.cli import run
from ledger.store import Store
from ledger.text import asked_number

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample_ledger.xlsx"
NOW = datetime(2026, 12, 7, 9, 0)
PASSWORD = "整改-督办-2019"


@pytest.fixture
def db(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'ledger.db'}")
    yield store
    store.dispose()


# --- 10. crafted query parameters --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["²", "٣", "5" * 5000, "-1", "1e3", " 3", "３", ""])
def test_an_address_number_is_a_few_ascii_digits_or_nothing(text):
    assert asked_number(text) is None


def test_an_address_number_of_ascii_digits_is_read():
    assert (asked_number("3"), asked_number("000000012")) == (3, 12)


@pytest.mark.parametrize(
    ("page", "name", "value"),
    [("pages/meeting.py", "slide", "²"), ("pages/meeting.py", "slide", "9" * 5000), ("pages/overview.py", "plan", "²")],
)
def test_crafted_query_parameters_are_ignored_without_an_error(page, name, value):
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.query_params[name] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception


# --- 12. look-alike and invisible account names ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["admin\u200b", "\u202enimda", "ad\x1bmin", "admin\u2066"])
def test_an_account_name_with_invisible_or_direction_characters_is_refused(db, name):
    with pytest.raises(accounts.AccountError) as refused:
        accounts.add_user(db, name, "viewer", PASSWORD, at=NOW, by="admin")
    assert refused.value.code == "account.name_hidden" and not accounts.users(db)


@pytest.mark.parametrize("name", ["ａｄｍｉｎ", "ADMIN", "ad min"])
def test_an_account_name_that_folds_to_an_existing_one_is_taken(db, name):
    accounts.add_user(db, "admin", "admin", PASSWORD, at=NOW, by="cli")
    with pytest.raises(accounts.AccountError) as refused:
        accounts.add_user(db, name, "viewer", "另一个-督办-密码-2019", at=NOW, by="admin")
    assert (refused.value.code, refused.value.params) == ("account.name_taken", {"name": "admin"})
    assert [u.name for u in accounts.users(db)] == ["admin"]


# --- 7. control characters in the trail --------------------------------------------------------------------------


def test_the_audit_command_writes_control_and_direction_characters_out(db, capsys):
    forged = "\x1b[2K\r2026-12-07 09:00:00  admin  登录成功"
    accounts.log_in(db, forged, "whatever", address="198.51.100.7", now=NOW)
    accounts.log_in(db, "\u202enimda", "whatever", address="198.51.100.7", now=NOW)
    assert run(["audit", "--db", db.url]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\r" not in out and "\u202e" not in out
    assert "\\u001b[2K 2026-12-07" in out and "\\u202enimda" in out  # written out, never acted on
    assert run(["audit", "--db", db.url, "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {r["who"] for r in records} == {"\\u001b[2K 2026-12-07 09:00:00 admin 登录成功", "\\u202enimda"}
    assert all(r["action"] == "login_failed" for r in records)


# --- 11. the command line records its login, not a name typed ----------------------------------------------------


def test_publish_by_a_name_is_recorded_as_the_login_that_said_so(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    assert run(["publish", str(SAMPLE), "--db", db, "--plan", "P", "--by", "admin"]) == 0
    [record] = audit.records(Store(db), actions=["publish"])
    assert record.who == f"cli:{getpass.getuser()} as admin" and record.address == "cli"
    assert run(["publish", str(SAMPLE.parent / "sample_history" / "整改台账_2019-05-06.xlsx"), "--db", db]) == 0
    assert audit.records(Store(db), actions=["publish"])[0].who == f"cli:{getpass.getuser()}"


# --- 13. admin actions with a record; the last admin stays -------------------------------------------------------


def test_renaming_and_deleting_a_plan_are_in_the_trail(db):
    plan = db.create_plan("整改方案", created_at=NOW)
    db.rename_plan(plan.id, "二〇一九年整改方案", at=NOW, by="管理员", address="192.0.2.1")
    db.delete_plan(plan.id, at=NOW, by="管理员", address="192.0.2.1")
    renamed, deleted = reversed(audit.records(db))
    assert (renamed.who, renamed.action, renamed.target, renamed.detail) == (
        "管理员",
        "plan_renamed",
        "二〇一九年整改方案",
        {"plan_id": plan.id, "was": "整改方案"},
    )
    assert (deleted.action, deleted.target, deleted.detail) == (
        "plan_deleted",
        "二〇一九年整改方案",
        {"plan_id": plan.id, "demo": False, "versions": 0},
    )


def test_the_last_active_admin_can_be_neither_disabled_nor_demoted(db):
    accounts.add_user(db, "管理员", "admin", PASSWORD, at=NOW, by="cli")
    for change in (
        lambda: accounts.set_disabled(db, "管理员", True, at=NOW, by="管理员"),
        lambda: accounts.set_role(db, "管理员", "viewer", (), at=NOW, by="管理员"),
    ):
        with pytest.raises(accounts.AccountError) as refused:
            change()
        assert refused.value.code == "account.last_admin"
    assert accounts.user_named(db, "管理员") == accounts.User(1, "管理员", "admin", False, ())
    accounts.add_user(db, "副管理员", "admin", "另一个-督办-密码-2019", at=NOW, by="管理员")
    assert accounts.set_role(db, "管理员", "viewer", (), at=NOW, by="副管理员").role == "viewer"
    with pytest.raises(accounts.AccountError):
        accounts.set_disabled(db, "副管理员", True, at=NOW, by="副管理员")


def test_reauthentication_takes_the_admins_own_password_and_counts_a_wrong_one_as_a_failed_login(db):
    accounts.add_user(db, "管理员", "admin", PASSWORD, at=NOW, by="cli")
    assert accounts.reauthenticate(db, "管理员", PASSWORD, address="192.0.2.1", now=NOW)
    assert not accounts.reauthenticate(db, "管理员", "不对的密码", address="192.0.2.1", now=NOW)
    assert [r.action for r in audit.records(db, actions=["login_failed"])] == ["login_failed"]


# --- 9. a session's whole life ------------------------------------------------------------------------------------


def test_a_session_ends_its_lifetime_after_login_however_active(db):
    from datetime import timedelta

    accounts.add_user(db, "管理员", "admin", PASSWORD, at=NOW, by="cli")
    token = accounts.log_in(db, "管理员", PASSWORD, address="192.0.2.1", now=NOW).token
    for hours in range(1, 12):  # active every hour, never idle
        assert accounts.session_user(db, token, NOW + timedelta(hours=hours), max_hours=12) is not None
    assert accounts.session_user(db, token, NOW + timedelta(hours=12, minutes=1), max_hours=12) is None
    assert accounts.session_user(db, token, NOW + timedelta(hours=12, minutes=2), max_hours=12) is None  # ended


# --- authorization as one rule -------------------------------------------------------------------------------------
A, B = 1, 2
PEOPLE = {
    "admin": accounts.User(1, "管理员", "admin", False, ()),
    "editor of A": accounts.User(2, "一中编辑", "editor", False, (A,)),
    "editor of no unit": accounts.User(3, "编辑", "editor", False, ()),
    "viewer": accounts.User(4, "查看员", "viewer", False, ()),
    "inspector": accounts.User(5, "督导组", "inspector", False, ()),
    "disabled admin": accounts.User(6, "停用的管理员", "admin", True, ()),
    "nobody": None,
}
PLANS = {
    "plan with units A, B": accounts.Scope(10, frozenset({A, B})),
    "plan without units": accounts.Scope(11),
    "new plan": accounts.Scope(None),
}
# For each unit action (publish, withdraw, record): who may, in which plan, for which unit (A: the editor's own, B:
# another, None: the plan as a whole). Everything not listed is refused.
ALLOWED = {
    ("editor of A", "plan with units A, B", A),
    ("editor of A", "new plan", A),
    ("editor of no unit", "plan without units", None),
    ("editor of no unit", "new plan", None),
} | {("admin", plan, unit) for plan in PLANS for unit in (A, B, None)}


@pytest.mark.parametrize("action", accounts.UNIT_ACTIONS)
@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("plan", PLANS)
@pytest.mark.parametrize("unit", [A, B, None], ids=["own unit", "other unit", "no unit"])
def test_who_may_publish_withdraw_or_record_for_which_unit_of_which_plan(action, person, plan, unit):
    allowed = (person, plan, unit) in ALLOWED and not (action == "publish" and person == "inspector")
    assert accounts.may(PEOPLE[person], action, PLANS[plan], unit) is allowed


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("action", sorted(set().union(*accounts.PERMISSIONS.values()) - set(accounts.UNIT_ACTIONS)))
def test_every_other_action_follows_the_role_alone(person, action):
    user = PEOPLE[person]
    expected = user is not None and not user.disabled and action in accounts.PERMISSIONS[user.role]
    assert accounts.may(user, action) is expected
    assert accounts.may(user, action, PLANS["plan without units"], A) is expected


def test_an_editor_of_a_unit_neither_withdraws_nor_records_nor_publishes_on_a_plan_without_units(tmp_path, monkeypatch):
    from ledger.intake import load_ledger
    from ledger.publishing import publish
    from ui import access
    from ui.versions import WITHDRAW_OPEN_KEY

    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    monkeypatch.setenv("LEDGER_DB_URL", url)
    store = Store(url)
    plan = store.create_plan("无单位的方案", created_at=NOW)
    files = [(SAMPLE.name, SAMPLE.read_bytes())]
    publish(store, files, load_ledger(files, NOW.date()), plan=plan.id, uploaded_by="办公室", uploaded_at=NOW)
    unit = accounts.add_unit(store, "第一中学", at=NOW, by="cli")
    accounts.add_user(store, "管理员", "admin", PASSWORD, at=NOW, by="cli")
    accounts.add_user(store, "一中编辑", "editor", PASSWORD, at=NOW, by="cli", units=[unit.id])
    token = accounts.log_in(store, "一中编辑", PASSWORD, address="192.0.2.1", now=datetime.now()).token
    before = store.counts()

    def page(path: str, **query) -> AppTest:
        at = AppTest.from_file("../dashboard.py", default_timeout=60)
        at.session_state[access.TOKEN_KEY] = token
        at.session_state[WITHDRAW_OPEN_KEY] = True
        for name, value in {"plan": str(plan.id), **query}.items():
            at.query_params[name] = value
        at.run()
        at.switch_page(path).run()
        assert not at.exception, at.exception
        return at

    history = page("pages/history.py")
    assert not [box for box in history.selectbox if box.key == "withdraw_version"]  # nothing of theirs to withdraw
    slide = page("pages/meeting.py", slide="6")
    assert not slide.get("popover") and any(c.value == access.t("meeting.editors_only") for c in slide.caption)
    upload = page("pages/upload.py")
    upload.selectbox(key="upload_target").set_value(plan.id).run()
    assert [e.value for e in upload.error] == [access.t("upload.unit_forbidden")] and not upload.file_uploader
    assert Store(url).counts() == before


# --- 14. beyond the app: a database role that cannot touch the trail ---------------------------------------------

APP_ROLE_SQL = """
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ledger_app;
REVOKE UPDATE, DELETE, TRUNCATE ON ledger_audit FROM ledger_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ledger_app;
"""


@pytest.mark.postgres
def test_the_app_runs_as_a_postgresql_role_that_can_neither_delete_the_trail_nor_drop_its_triggers(postgres):
    """The README's recipe: the tables owned by one role, the app connected as another with INSERT and SELECT only
    on the audit trail — it publishes and records, and the trail stays whole whatever it tries."""
    import psycopg

    from ledger.publishing import check_upload, publish
    from tests.postgres import fresh_database

    owner_url = fresh_database(postgres.admin_url, "ledger_roles")
    with psycopg.connect(postgres.admin_url, autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS ledger_app")
        conn.execute("CREATE ROLE ledger_app LOGIN")
    Store(owner_url).dispose()  # the owner (here the server's admin) creates the tables, triggers and all
    with psycopg.connect(owner_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(APP_ROLE_SQL)
    app_url = owner_url.replace("postgresql+psycopg://ledger@", "postgresql+psycopg://ledger_app@")
    store = Store(app_url)  # at the current schema: opened without writing
    files = [(SAMPLE.name, SAMPLE.read_bytes())]
    plan = store.create_plan("整改方案", created_at=NOW)
    published = publish(
        store, files, check_upload(store, files, NOW.date()), plan=plan.id, uploaded_by="app", uploaded_at=NOW
    )
    assert published is not None and [r.action for r in audit.records(store)] == ["publish"]
    store.dispose()
    with psycopg.connect(app_url.replace("+psycopg", ""), autocommit=True) as conn:
        for attack in (
            "DELETE FROM ledger_audit",
            "UPDATE ledger_audit SET who = 'nobody'",
            "TRUNCATE ledger_audit",
            "DROP TRIGGER ledger_audit_no_change ON ledger_audit",
            "ALTER TABLE ledger_audit DISABLE TRIGGER ALL",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(attack)
        assert conn.execute("SELECT count(*) FROM ledger_audit").fetchone()[0] == 1
