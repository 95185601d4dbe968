"""ledger.dates: every way a ledger writes a date, a deadline or a period."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ledger.dates import IMMEDIATE, LONG_TERM, DateReader, find_range, parse_date, parse_range, parse_text
from ledger.vocab import ONGOING, ONGOING_WORDS, status_of

YEAR = 2019
MAY_31 = date(2019, 5, 31)
PERIOD = (date(2019, 4, 25), date(2019, 5, 10))


def test_date_cells_are_read_as_they_are():
    assert parse_date(date(2019, 5, 31), YEAR) == MAY_31


def test_datetime_cells_lose_their_time_of_day():
    assert parse_date(datetime(2019, 5, 31, 14, 30), YEAR) == MAY_31


@pytest.mark.parametrize("serial", [43616, 43616.0, 43616.5])
def test_excel_serial_numbers_are_days_since_1899_12_30(serial):
    assert parse_date(serial, YEAR) == MAY_31


@pytest.mark.parametrize(
    "text",
    [
        "2019-05-31",
        "2019/5/31",
        "2019.5.31",
        "2019年5月31日",
        "20190531",
        "2019-5-31",
        "２０１９年５月３１日",
        " 2019年5月31号 ",
    ],
)
def test_full_dates_written_as_text_are_read(text):
    assert parse_date(text, 2000) == MAY_31


def test_a_number_like_20190531_is_read_as_a_compact_date():
    assert parse_date(20190531, 2000) == MAY_31


@pytest.mark.parametrize("value", ["5月31日", "5.31", 5.31, "5/31", "5月31号"])
def test_year_less_dates_take_the_default_year(value):
    assert parse_date(value, 2020) == date(2020, 5, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5月底", date(2019, 5, 31)),
        ("6月底", date(2019, 6, 30)),
        ("2月底", date(2019, 2, 28)),
        ("2019年6月底", date(2019, 6, 30)),
        ("5月末", date(2019, 5, 31)),
    ],
)
def test_end_of_month_means_its_last_day(text, expected):
    assert parse_date(text, YEAR) == expected


@pytest.mark.parametrize("text", ["长期", "长期坚持", " 长期 ", "常态化"])
def test_long_term_words_mean_no_deadline(text):
    assert parse_date(text, YEAR) == LONG_TERM


@pytest.mark.parametrize("value", ["尽快", "下周", "2019-13-01", "2019年2月30日", "abc", "5月32日", 12345678.0, True])
def test_unreadable_dates_are_none(value):
    assert parse_date(value, YEAR) is None


def test_the_date_reader_remembers_results_and_keeps_its_default_year():
    reader = DateReader(2018)
    assert reader("5月31日") == date(2018, 5, 31)
    assert reader("5月31日") == date(2018, 5, 31)
    assert reader.default_year == 2018


def test_parse_text_reads_english_month_names():
    assert parse_text("May 31, 2019", 2000) == MAY_31


@pytest.mark.parametrize(
    "text",
    [
        "4月25日至5月10日",
        "2019.4.25-5.10",
        "2019-04-25 ~ 2019-05-10",
        "2019-04-25-2019-05-10",
        "2019年4月25日—2019年5月10日",
        "4月25日到5月10日",
    ],
)
def test_periods_in_one_cell_are_split_into_start_and_end(text):
    assert parse_range(text, YEAR) == PERIOD


def test_a_period_end_given_as_a_day_stays_in_the_start_month():
    assert parse_range("6月1日至10日", YEAR) == (date(2019, 6, 1), date(2019, 6, 10))


def test_text_that_is_no_period_gives_none():
    assert parse_range("自查自纠", YEAR) is None
    assert parse_range("5月31日", YEAR) is None


def test_a_period_in_parentheses_is_found_inside_a_phase_title():
    assert find_range("第一阶段：自查自纠（4月25日至5月10日）", YEAR) == PERIOD
    assert find_range("第二阶段: 整改落实(2019.5.11-5.31)", YEAR) == (date(2019, 5, 11), date(2019, 5, 31))


def test_a_title_without_a_period_has_no_range():
    assert find_range("第一阶段：自查自纠（重点）", YEAR) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6月底前", date(2019, 6, 30)),
        ("2019年6月底前", date(2019, 6, 30)),
        ("5月20日前", date(2019, 5, 20)),
        ("2019年5月15日前完成", date(2019, 5, 15)),
        ("年底前", date(2019, 12, 31)),
        ("2020年底", date(2020, 12, 31)),
        ("6月中旬前", date(2019, 6, 20)),
        ("二季度末", date(2019, 6, 30)),
        ("第二季度", date(2019, 6, 30)),
        ("2020年第三季度", date(2020, 9, 30)),
        ("上半年", date(2019, 6, 30)),
        ("下半年", date(2019, 12, 31)),
    ],
)
def test_deadlines_written_as_before_a_time_read_as_that_day(text, expected):
    assert parse_text(text, YEAR) == expected


@pytest.mark.parametrize("text", ["立行立改", "即知即改", "立即整改"])
def test_immediate_words_mark_an_immediate_measure(text):
    assert parse_text(text, YEAR) == IMMEDIATE


@pytest.mark.parametrize("text", ["长期坚持", "常态化", "长期"])
def test_ongoing_words_mean_no_deadline(text):
    assert parse_text(text, YEAR) == LONG_TERM


@pytest.mark.parametrize("word", ONGOING_WORDS)
def test_every_ongoing_word_is_both_a_status_and_a_deadline(word):
    assert (status_of(word), parse_text(word, YEAR)) == (ONGOING, LONG_TERM)


@pytest.mark.parametrize("text", ["长期执行", "Long Term", "longterm", "长 期", "ＬＯＮＧ-ＴＥＲＭ"])
def test_ongoing_words_are_compared_folded_as_deadlines_and_statuses_alike(text):
    assert (status_of(text), parse_text(text, YEAR)) == (ONGOING, LONG_TERM)
