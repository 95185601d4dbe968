"""Accounts, logins, the audit trail and withdrawing a version (README "Accounts and roles", "Audit trail",
"Withdrawing a version"), against a real SQLite store."""

import io
import json
import re
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger import accounts, audit
from ledger.cli import run
from ledger.publishing import check_upload, publish
from ledger.sample import DEMO_PLAN_NAME, import_history
from ledger.store import NewPlan, audit_table, users_table
from tests.sheets import week_five

pytestmark = pytest.mark.sqlite_only  # `store`: a fresh SQLite store (tests/conftest.py)

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2019, 6, 3, 9, 0)
GOOD = "整改-督办-2019"


def add(store, name="办公室主任", role="editor", password=GOOD, units=()):
    return accounts.add_user(store, name, role, password, at=NOW, by="admin", address="10.0.0.1", units=units)


def test_passwords_are_hashed_with_argon2_and_never_stored_in_plain_text(store):
    add(store)
    with store.engine.connect() as conn:
        stored = conn.execute(sa.select(users_table.c.password_hash)).scalar()
        everything = " ".join(
            str(v)
            for table in ("ledger_users", "ledger_audit", "ledger_sessions")
            for row in conn.execute(sa.text(f"SELECT * FROM {table}"))
            for v in row
        )
    assert stored.startswith("$argon2id$") and GOOD not in stored
    assert GOOD not in everything


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short1!", "account.password_short"),
        ("1234567890", "account.password_common"),
        ("Password123", "account.password_common"),
        ("aaaaaaaaaaaa", "account.password_common"),
        ("办公室主任的密码2019", "account.password_name"),
    ],
)
def test_weak_passwords_are_refused_and_nothing_is_stored(store, password, code):
    with pytest.raises(accounts.AccountError) as refused:
        add(store, password=password)
    assert refused.value.code == code
    assert accounts.users(store) == []


def test_a_taken_name_and_an_unknown_role_are_refused(store):
    add(store)
    with pytest.raises(accounts.AccountError, match=r"account\.name_taken"):
        add(store)
    with pytest.raises(accounts.AccountError, match=r"account\.role"):
        add(store, name="x", role="boss")


def test_login_gives_a_session_and_the_same_refusal_for_unknown_names_wrong_passwords_and_disabled_accounts(store):
    add(store)
    good = accounts.log_in(store, "办公室主任", GOOD, address="10.0.0.2", now=NOW)
    assert good.user.name == "办公室主任" and good.user.role == "editor" and len(good.token) > 30
    assert accounts.session_user(store, good.token, NOW + timedelta(minutes=5)).name == "办公室主任"
    refusals = [
        accounts.log_in(store, "办公室主任", "wrong password", address="10.0.0.2", now=NOW),
        accounts.log_in(store, "nobody", GOOD, address="10.0.0.2", now=NOW),
    ]
    accounts.set_disabled(store, "办公室主任", True, at=NOW, by="admin")
    refusals.append(accounts.log_in(store, "办公室主任", GOOD, address="10.0.0.2", now=NOW))
    assert [r.user for r in refusals] == [None, None, None] and {r.wait_seconds for r in refusals} == {0}
    assert accounts.session_user(store, good.token, NOW) is None  # disabling ends its sessions


def test_sessions_expire_when_idle_and_end_at_log_out(store):
    add(store)
    first = accounts.log_in(store, "办公室主任", GOOD, address="a", now=NOW).token
    assert accounts.session_user(store, first, NOW + timedelta(minutes=119), idle_minutes=120) is not None
    assert accounts.session_user(store, first, NOW + timedelta(minutes=119 + 121), idle_minutes=120) is None
    second = accounts.log_in(store, "办公室主任", GOOD, address="a", now=NOW).token
    accounts.log_out(store, second, now=NOW, address="a")
    assert accounts.session_user(store, second, NOW) is None
    assert accounts.session_user(store, "forged", NOW) is None


def test_a_new_password_ends_the_other_sessions(store):
    add(store)
    token = accounts.log_in(store, "办公室主任", GOOD, address="a", now=NOW).token
    accounts.set_password(store, "办公室主任", "新的-督办-密码-2019", at=NOW, by="admin")
    assert accounts.session_user(store, token, NOW) is None
    assert accounts.log_in(store, "办公室主任", GOOD, address="a", now=NOW).user is None
    assert accounts.log_in(store, "办公室主任", "新的-督办-密码-2019", address="a", now=NOW).user is not None


def test_six_wrong_passwords_are_throttled_per_account_and_per_address(store):
    add(store)
    for i in range(5):
        assert (
            accounts.log_in(
                store, "办公室主任", "wrong", address="10.0.0.9", now=NOW + timedelta(seconds=i)
            ).wait_seconds
            == 0
        )
    throttled = accounts.log_in(store, "办公室主任", GOOD, address="10.0.0.9", now=NOW + timedelta(seconds=5))
    assert throttled.user is None and throttled.wait_seconds > 0  # even the right password waits
    # another address still meets the account's throttle; the same address meets it for another account
    assert (
        accounts.log_in(store, "办公室主任", GOOD, address="10.0.0.10", now=NOW + timedelta(seconds=5)).wait_seconds > 0
    )
    add(store, name="党总支书记")
    assert (
        accounts.log_in(store, "党总支书记", GOOD, address="10.0.0.9", now=NOW + timedelta(seconds=5)).wait_seconds > 0
    )
    later = NOW + timedelta(minutes=20)  # failures are forgotten after 15 minutes
    assert accounts.log_in(store, "办公室主任", GOOD, address="10.0.0.9", now=later).user is not None


def test_every_action_lands_in_the_audit_trail_with_who_when_where_and_what(store):
    import_history(store, ROOT / "data")
    add(store)
    token = accounts.log_in(store, "办公室主任", GOOD, address="10.0.0.2", now=NOW).token
    accounts.log_in(store, "办公室主任", "wrong", address="10.0.0.3", now=NOW)
    accounts.log_out(store, token, now=NOW, address="10.0.0.2")
    plan = store.plan_named(DEMO_PLAN_NAME)
    files = [("台账_0603.xlsx", week_five())]
    version = publish(
        store,
        files,
        check_upload(store, files, date(2019, 6, 3), plan_id=plan.id),
        plan=plan.id,
        uploaded_by="办公室主任",
        uploaded_at=NOW,
        address="10.0.0.2",
    ).version
    store.withdraw(version.id, by="办公室主任", reason="填报日期写错", at=NOW, address="10.0.0.2")
    store.restore(version.id, by="管理员", at=NOW, address="10.0.0.4")
    audit.record(store, at=NOW, who="督导组", action="download", target="整改台账_2019-05-27.xlsx", address="10.0.0.5")
    accounts.set_role(store, "办公室主任", "viewer", (), at=NOW, by="管理员")
    accounts.set_password(store, "办公室主任", "另一个-督办-密码-2019", at=NOW, by="管理员")
    accounts.set_disabled(store, "办公室主任", True, at=NOW, by="管理员")
    trail = [(r.who, r.action, r.target, r.address) for r in reversed(audit.records(store, since=NOW))]
    assert trail == [
        ("admin", "user_added", "办公室主任", "10.0.0.1"),
        ("办公室主任", "login", "办公室主任", "10.0.0.2"),
        ("办公室主任", "login_failed", "办公室主任", "10.0.0.3"),
        ("办公室主任", "logout", "办公室主任", "10.0.0.2"),
        ("办公室主任", "publish", f"version {version.id}", "10.0.0.2"),
        ("办公室主任", "withdraw", f"version {version.id}", "10.0.0.2"),
        ("管理员", "restore", f"version {version.id}", "10.0.0.4"),
        ("督导组", "download", "整改台账_2019-05-27.xlsx", "10.0.0.5"),
        ("管理员", "role_changed", "办公室主任", ""),
        ("管理员", "password_changed", "办公室主任", ""),
        ("管理员", "user_disabled", "办公室主任", ""),
    ]
    withdrawal = next(r for r in audit.records(store, actions=["withdraw"]))
    assert withdrawal.detail["reason"] == "填报日期写错" and withdrawal.detail["files"] == ["台账_0603.xlsx"]


def test_the_audit_trail_is_append_only(store):
    audit.record(store, at=NOW, who="a", action="download", target="x")
    with store.engine.connect() as conn:
        for statement in (audit_table.update().values(who="someone else"), audit_table.delete()):
            with pytest.raises(sa.exc.DatabaseError, match="append-only"), conn.begin():
                conn.execute(statement)
    assert [r.who for r in audit.records(store)] == ["a"]


def test_no_code_path_updates_or_deletes_the_audit_trail():
    code = "\n".join(path.read_text() for folder in ("ledger", "ui", "pages") for path in (ROOT / folder).rglob("*.py"))
    assert not re.search(r"audit_table\s*\.\s*(update|delete)", code)
    assert not re.search(r"(UPDATE|DELETE FROM|TRUNCATE)\s+ledger_audit", code, re.IGNORECASE)


def publish_week_five(store, at=NOW):
    plan = store.plan_named(DEMO_PLAN_NAME)
    files = [("台账_0603.xlsx", week_five())]
    return publish(
        store,
        files,
        check_upload(store, files, date(2019, 6, 3), plan_id=plan.id),
        plan=plan.id,
        uploaded_by="办公室主任",
        uploaded_at=at,
    )


def test_a_withdrawn_version_leaves_the_figures_and_the_same_file_can_be_published_again(store):
    import_history(store, ROOT / "data")
    plan = store.plan_named(DEMO_PLAN_NAME)
    first = publish_week_five(store).version
    assert store.newest_report_id(plan.id) == first.id
    stamp = store.changes_stamp(plan.id)
    store.withdraw(first.id, by="办公室主任", reason="填报日期写错", at=NOW)
    assert store.changes_stamp(plan.id) != stamp
    assert store.newest_report_id(plan.id) != first.id
    assert first.id not in [v.id for v in store.versions(plan.id)]
    assert first.id in [v.id for v in store.versions(plan.id, withdrawn=True)]
    assert first.id not in set(store.history(plan.id, ("key",))["version_id"])
    assert store.files(first.id) == [("台账_0603.xlsx", week_five())]  # the file stays
    again = publish_week_five(store)
    assert again.created and again.version.id != first.id and again.version.number == first.number + 1
    with pytest.raises(Exception, match=r"store\.restore_duplicate"):
        store.restore(first.id, by="管理员", at=NOW)
    store.withdraw(again.version.id, by="管理员", reason="重复", at=NOW)
    assert store.restore(first.id, by="管理员", at=NOW).withdrawn is False
    assert store.newest_report_id(plan.id) == first.id


def test_cli_users_withdraw_restore_and_audit(store, capsys, monkeypatch):
    import_history(store, ROOT / "data")
    url = store.url
    monkeypatch.setattr(sys, "stdin", io.StringIO(GOOD + "\n"))
    assert run(["users", "add", "管理员", "--role", "admin", "--db", url]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("123\n"))
    assert run(["users", "add", "弱密码", "--db", url]) == 1
    assert "至少 10 个字符" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO(GOOD + "\n"))
    assert run(["users", "add", "一校编辑", "--role", "editor", "--units", "第一中学,第二中学", "--db", url]) == 0
    capsys.readouterr()
    assert run(["users", "--json", "--db", url]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"name": "管理员", "role": "admin", "disabled": False, "units": []},
        {"name": "一校编辑", "role": "editor", "disabled": False, "units": ["第一中学", "第二中学"]},
    ]
    assert run(["users", "disable", "一校编辑", "--db", url]) == 0
    version = publish_week_five(store).version
    assert run(["withdraw", str(version.id), "--reason", "填报日期写错", "--db", url]) == 0
    assert run(["withdraw", str(version.id), "--reason", "again", "--db", url]) == 1
    assert run(["restore", str(version.id), "--db", url]) == 0
    assert run(["restore", "9999", "--db", url]) == 1
    capsys.readouterr()
    assert run(["audit", "--db", url, "--since", "2019-06-03", "--json"]) == 0
    trail = json.loads(capsys.readouterr().out)
    assert set(trail[0]) == {"at", "who", "action", "target", "address"}
    assert [r["action"] for r in trail][:4] == ["restore", "withdraw", "publish", "user_disabled"]
    assert trail[1]["target"] == f"version {version.id}" and trail[1]["who"].startswith("cli:")


def test_a_plan_import_and_a_meeting_requirement_land_in_the_audit_trail(store):
    from ledger import meeting

    files = [("整改方案台账.xlsx", week_five())]
    ledger = check_upload(store, files, date(2019, 6, 3))
    version = publish(
        store,
        files,
        ledger,
        plan=NewPlan("全市教育系统整改方案", NOW),
        uploaded_by="办公室主任",
        uploaded_at=NOW,
        address="10.0.0.2",
        audit_action="plan_import",
    ).version
    requirement = meeting.record(
        store,
        version,
        scope="measure",
        target="1",
        text="本周内补齐佐证材料",
        given_by="党总支书记",
        meeting_date=date(2019, 6, 3),
        due=None,
        recorded_by="办公室主任",
        recorded_at=NOW,
        address="10.0.0.2",
    )
    trail = [(r.who, r.action, r.target, r.address) for r in reversed(audit.records(store, since=NOW))]
    assert trail == [
        ("办公室主任", "plan_import", f"version {version.id}", "10.0.0.2"),
        ("办公室主任", "requirement", f"requirement {requirement.id}", "10.0.0.2"),
    ]
    recorded = audit.records(store, actions=["requirement"])[0]
    assert recorded.detail["text"] == "本周内补齐佐证材料" and recorded.detail["target"] == "1"
