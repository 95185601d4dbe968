"""The closed sets the core passes around: issue codes and levels, overdue severities, deadline words."""

from __future__ import annotations

from typing import get_args

from ledger.codes import ISSUE_CODES, Level
from ledger.dates import IMMEDIATE, LONG_TERM, DueWord, parse_text
from ledger.i18n import STRINGS
from ledger.metrics import SEVERITIES, Severity


def test_every_issue_code_has_its_message():
    assert sorted(code for code in ISSUE_CODES if code not in STRINGS) == []


def test_issue_levels_are_error_and_warning():
    assert set(get_args(Level)) == {"error", "warning"}


def test_the_severity_bands_follow_each_other_and_each_has_its_message():
    assert [name for _, _, name in SEVERITIES] == list(Severity)
    assert [low for low, _, _ in SEVERITIES[1:]] == [high + 1 for _, high, _ in SEVERITIES[:-1] if high]
    assert SEVERITIES[-1][1] is None
    assert all(f"severity.{name}" in STRINGS for name in Severity)


def test_deadline_words_are_enum_members_that_equal_their_strings():
    assert parse_text("长期坚持", 2019) is LONG_TERM and parse_text("立行立改", 2019) is IMMEDIATE
    assert LONG_TERM == "long_term" and IMMEDIATE == "immediate" and set(DueWord) == {LONG_TERM, IMMEDIATE}
