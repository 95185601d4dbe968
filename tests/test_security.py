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
