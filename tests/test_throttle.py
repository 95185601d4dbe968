"""Password guessing is slowed down (README "Accounts and roles"): per key, a doubling wait after five failures, counted
in the database in the same step as the check, so parallel guesses are all counted; a right answer takes back what an
address was counted and clears the account's; attempts refused while waiting are counted per minute, not each
written; every failure logged without the guess."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from ledger import throttle
from ledger.store import Store
from ledger.throttle import Policy, attempt, succeeded, wait_for

PASSWORD = "correct horse"
START = datetime(2026, 12, 7, 9, 0, 0)


def at(seconds: float) -> datetime:
    return START + timedelta(seconds=seconds)


@pytest.fixture
def db(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'ledger.db'}")
    yield store
    store.dispose()


def test_five_failures_are_free_and_each_further_one_doubles_the_wait(db):
    for second in range(5):
        assert attempt(db, [("address:10.0.0.7", 5)], at(second)).allowed
    assert attempt(db, [("address:10.0.0.7", 5)], at(4)).wait_seconds == 2.0
    assert attempt(db, [("address:10.0.0.7", 5)], at(6)).allowed  # the wait is over: tried, and counted
    assert attempt(db, [("address:10.0.0.7", 5)], at(6)).wait_seconds == 4.0
    assert attempt(db, [("address:10.0.0.8", 5)], at(6)).allowed  # another client is not held up


def test_the_wait_is_capped_and_old_failures_are_forgotten():
    policy = Policy(longest_wait_seconds=60, memory_seconds=900)
    assert wait_for(20, 19, 5, policy, 19) == 60
    assert wait_for(4, 19, 5, policy, 19) == 0


def test_an_attempt_refused_while_waiting_counts_nothing_and_old_failures_are_forgotten(db):
    for second in range(5):
        attempt(db, [("account:a", 5)], at(second))
    refused = attempt(db, [("account:a", 5)], at(5))
    assert not refused.allowed
    assert attempt(db, [("account:a", 5)], at(4 + 2)).allowed  # still six failures, not seven
    assert attempt(db, [("account:a", 5)], at(6 + 1000)).allowed  # forgotten after the memory window


def test_a_right_answer_clears_the_account_and_takes_back_only_its_own_attempt_from_the_address(db):
    for second in range(4):  # four guesses from this address at someone else's account
        attempt(db, [("account:other", 5), ("address:x", 5)], at(second))
    mine = attempt(db, [("account:me", 5), ("address:x", 5)], at(5))
    succeeded(db, mine, forget=["account:me"])
    assert attempt(db, [("account:other", 5), ("address:x", 5)], at(6)).allowed  # the fifth: the address's
    assert not attempt(db, [("account:other", 5), ("address:x", 5)], at(6)).allowed  # record was not wiped


def test_a_right_answer_after_the_wait_does_not_make_the_next_person_from_the_address_wait(db):
    for second in range(5):  # five guesses from an office's address: the sixth attempt must wait 2 s
        attempt(db, [("address:x", 5)], at(second))
    assert not attempt(db, [("address:x", 5)], at(5)).allowed
    mine = attempt(db, [("account:me", 5), ("address:x", 5)], at(7))  # after the wait: a right password
    succeeded(db, mine, forget=["account:me"])
    assert attempt(db, [("account:colleague", 5), ("address:x", 5)], at(7.5)).allowed  # not held up by mine
    assert not attempt(db, [("account:guesser", 5), ("address:x", 5)], at(7.5)).allowed  # the record is kept


@pytest.mark.parametrize("url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_twenty_parallel_guesses_at_one_account_are_all_counted_and_only_five_are_checked(store):
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda _: attempt(store, [("account:admin", 5)], START), range(20)))
    assert sum(r.allowed for r in results) == 5 and sum(not r.allowed for r in results) == 15


def test_refused_attempts_are_counted_per_account_address_and_minute(db):
    counts = [throttle.throttled(db, "admin", "10.0.0.7", at(second)) for second in range(30)]
    assert counts == list(range(1, 31))
    assert throttle.throttled(db, "admin", "10.0.0.7", at(61)) == 1  # a new minute
    assert throttle.throttled_count(db, "admin", "10.0.0.7", START) == 30


@pytest.fixture
def editor_page(tmp_path, monkeypatch):
    monkeypatch.setenv("LEDGER_DB_URL", f"sqlite:///{tmp_path / 'ledger.db'}")
    monkeypatch.setenv("LEDGER_EDITOR_PASSWORD", PASSWORD)
    at = AppTest.from_file("../dashboard.py", default_timeout=60).run()
    return at.switch_page("pages/upload.py").run()


def guess(at: AppTest, password: str) -> str:
    at.text_input(key="editor_password_input").input(password)
    at.button[0].click().run()
    return at.error[0].value if at.error else ""


def test_the_sixth_wrong_password_is_throttled_and_so_is_a_right_one_right_after(editor_page, caplog):
    at = editor_page
    caplog.set_level(logging.WARNING, logger="ui.access")
    assert [guess(at, f"guess{n}") for n in range(5)] == ["密码不正确。"] * 5
    assert guess(at, "guess5") == "密码错误次数过多，请 2 秒后再试。"
    assert guess(at, PASSWORD) == "密码错误次数过多，请 2 秒后再试。"
    assert not at.file_uploader
    refusals = [r.getMessage() for r in caplog.records if "password refused" in r.getMessage()]
    assert len(refusals) == 5 and not any("guess" in message for message in refusals)


# --- accounts: a browser that logged in before is never locked out by guessing elsewhere ------------------------


OWNER = "管理员"
SECRET = "整改-督办-2019"


def owner_store(db):
    from ledger import accounts

    accounts.add_user(db, OWNER, "admin", SECRET, at=START, by="cli")
    return accounts.log_in(db, OWNER, SECRET, address="192.0.2.1", now=START).device


def test_guessing_the_admins_password_elsewhere_never_makes_the_admins_own_browser_wait(db):
    from ledger import accounts

    device = owner_store(db)
    for n in range(30):  # a patient attacker, from the owner's own address too (a shared proxy)
        accounts.log_in(db, OWNER, f"guess {n}", address="192.0.2.1", now=at(60 + n * 30))
    attacker = accounts.log_in(db, OWNER, SECRET, address="192.0.2.1", now=at(60 + 30 * 30))
    assert attacker.user is None and attacker.wait_seconds > 0  # an unknown browser: throttled, not even checked
    owner = accounts.log_in(db, OWNER, SECRET, address="192.0.2.1", now=at(60 + 30 * 30), devices=[device])
    assert owner.user is not None and owner.user.name == OWNER


def test_guessing_at_new_names_from_many_addresses_never_makes_a_known_browser_wait(db):
    from ledger import accounts

    device = owner_store(db)
    for n in range(60):  # 60 failures over 12 addresses with new names: everyone unknown waits
        accounts.log_in(db, f"user{n}", "guess", address=f"198.51.100.{n % 12}", now=at(100))
    assert accounts.log_in(db, OWNER, SECRET, address="203.0.113.9", now=at(100)).wait_seconds > 0
    assert accounts.log_in(db, OWNER, SECRET, address="203.0.113.9", now=at(100), devices=[device]).user is not None


def test_a_device_token_is_bound_to_its_account_signed_and_expires(db):
    from ledger import accounts

    device = owner_store(db)
    assert accounts.device_nonce(db, device, OWNER, at(1)) is not None
    assert accounts.device_nonce(db, device, "另一个账号", at(1)) is None  # bound to the account it was issued for
    assert accounts.device_nonce(db, device, OWNER, at(91 * 86_400)) is None  # 90 days by default
    body, mac = device.split(".")
    assert accounts.device_nonce(db, f"{body}.{'0' * len(mac)}", OWNER, at(1)) is None  # a forged signature


def test_a_known_browsers_own_failures_still_make_it_wait(db):
    from ledger import accounts

    device = owner_store(db)
    for n in range(5):
        assert accounts.log_in(db, OWNER, f"typo {n}", address="192.0.2.1", now=at(10), devices=[device]).user is None
    assert accounts.log_in(db, OWNER, SECRET, address="192.0.2.1", now=at(10), devices=[device]).wait_seconds == 2.0


def test_six_hundred_guesses_in_half_a_minute_leave_a_few_failures_and_one_throttled_record(db):
    from ledger import accounts, audit

    owner_store(db)
    for n in range(600):
        accounts.log_in(db, OWNER, "guess", address="198.51.100.7", now=at(60 + n * 0.05))  # 30 seconds
    failed = audit.records(db, actions=["login_failed"])
    assert len(failed) == 8  # five free, then one after 2 s, 4 s and 8 s: the others were not even checked
    assert len(audit.records(db, actions=["login_throttled"])) == 1  # one record for the minute ...
    assert throttle.throttled_count(db, accounts.fold(OWNER), "198.51.100.7", at(60)) == 592  # ... counting them


def test_password_checks_run_at_most_two_at_a_time(db, monkeypatch):
    import threading
    import time

    from ledger import accounts

    owner_store(db)
    running, peak, lock = [0], [0], threading.Lock()
    real = accounts._verify

    def counted(stored, password):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        try:
            return real(stored, password)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(accounts, "_verify", counted)
    throttle.set_verify_slots(2)
    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(lambda n: accounts.log_in(db, f"u{n}", "x", address=f"10.0.{n}.1", now=START), range(20)))
    assert peak[0] == 2
