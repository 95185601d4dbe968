"""Password guessing is slowed down: per client and for everyone, a doubling wait after five failures, every failure
logged without the guess."""

from __future__ import annotations

import logging

import pytest
from streamlit.testing.v1 import AppTest

from ledger.throttle import Policy, Throttle

PASSWORD = "correct horse"


def test_five_failures_are_free_and_each_further_one_doubles_the_wait():
    throttle = Throttle()
    for second in range(5):
        assert throttle.wait("10.0.0.7", now=second) == 0
        throttle.failed("10.0.0.7", now=second)
    assert throttle.wait("10.0.0.7", now=4) == 2.0
    assert throttle.wait("10.0.0.7", now=6) == 0
    throttle.failed("10.0.0.7", now=6)
    assert throttle.wait("10.0.0.7", now=6) == 4.0
    assert throttle.wait("10.0.0.8", now=6) == 0  # another client is not held up


def test_the_wait_is_capped_and_old_failures_are_forgotten():
    throttle = Throttle(Policy(longest_wait_seconds=60, memory_seconds=900))
    for second in range(20):
        throttle.failed("10.0.0.7", now=second)
    assert throttle.wait("10.0.0.7", now=19) == 60
    assert throttle.wait("10.0.0.7", now=19 + 900) == 0


def test_guesses_from_many_clients_together_slow_everyone_down():
    throttle = Throttle(Policy(free_failures_overall=10))
    for n in range(11):
        throttle.failed(f"10.0.0.{n}", now=100)
    assert throttle.wait("10.0.1.1", now=100) == 4.0


def test_a_right_password_forgets_that_clients_failures_only():
    throttle = Throttle()
    for second in range(6):
        throttle.failed("a", now=second)
        throttle.failed("b", now=second)
    throttle.succeeded("a")
    assert throttle.wait("a", now=6) == 0 and throttle.wait("b", now=6) > 0


@pytest.fixture
def editor_page(tmp_path, monkeypatch):
    from ui.access import throttle

    throttle.clear()  # one throttle per server: start this test's server afresh
    monkeypatch.setenv("LEDGER_DB_URL", f"sqlite:///{tmp_path / 'ledger.db'}")
    monkeypatch.setenv("LEDGER_EDITOR_PASSWORD", PASSWORD)
    at = AppTest.from_file("../dashboard.py", default_timeout=60).run()
    yield at.switch_page("pages/upload.py").run()
    throttle.clear()


def attempt(at: AppTest, password: str) -> str:
    at.text_input(key="editor_password_input").input(password)
    at.button[0].click().run()
    return at.error[0].value if at.error else ""


def test_the_sixth_wrong_password_is_throttled_and_so_is_a_right_one_right_after(editor_page, caplog):
    at = editor_page
    caplog.set_level(logging.WARNING, logger="ui.access")
    assert [attempt(at, f"guess{n}") for n in range(5)] == ["密码不正确。"] * 5
    assert attempt(at, "guess5") == "密码错误次数过多，请 2 秒后再试。"
    assert attempt(at, PASSWORD) == "密码错误次数过多，请 2 秒后再试。"
    assert not at.file_uploader
    refusals = [r.getMessage() for r in caplog.records if "password refused" in r.getMessage()]
    assert len(refusals) == 5 and refusals[-1].endswith("(5 failures in the last 15 minutes)")
    assert not any("guess" in message for message in refusals)
