"""Status lights (README "Status lights"): one per measure, at their thresholds, with words and symbols."""

from datetime import date

import pytest

from ledger import config, lights, metrics
from ledger.i18n import translate
from ledger.model import Phase
from tests.sheets import load_tasks, task_row

# A 20-day phase: each day gone is 5 points of its time.
PHASE = Phase("整改落实", date(2019, 5, 11), date(2019, 5, 30), 2)
AS_OF = date(2019, 5, 21)  # 10 days gone: 50 %


def light_of(as_of=AS_OF, thresholds=metrics.DEFAULT_THRESHOLDS, review: str | None = None, **row):
    tasks = load_tasks([task_row(**row)]).tasks
    if review is not None:  # the measure's closure review (ledger.closure.review_columns)
        tasks = tasks.assign(review=review)
    return lights.lights(tasks, (PHASE,), as_of, thresholds).iloc[0]


def test_overdue_is_red_from_the_day_after_the_deadline():
    assert light_of(due=date(2019, 5, 20), progress=90) == "red"
    assert light_of(due=date(2019, 5, 21), progress=90) == "yellow"  # due today: due soon, not late


@pytest.mark.parametrize(("due", "light"), [(date(2019, 5, 27), "yellow"), (date(2019, 5, 28), "green")])
def test_due_soon_window_is_yellow_up_to_its_last_day(due, light):
    # 7-day window from 5-21: due 5-21 … 5-27 is soon, 5-28 is not (progress keeps pace)
    assert light_of(due=due, progress=60, phase="其他", start=date(2019, 5, 21)) == light


@pytest.mark.parametrize(("progress", "light"), [(30, "green"), (29, "yellow")])
def test_behind_pace_is_yellow_only_beyond_the_threshold(progress, light):
    # 50 % of the phase's time is gone; behind by exactly 20 points is still green, by 21 is yellow
    assert light_of(progress=progress, due=date(2019, 5, 30)) == light


def test_done_and_ongoing_have_their_own_marks_whatever_the_dates():
    done = {"status": "已完成", "progress": 100, "due": date(2019, 5, 1), "completed_on": date(2019, 5, 2)}
    assert light_of(review="verified", **done) == "done"
    assert light_of(status="长期坚持", due="长期", progress=10) == "ongoing"


def test_a_measure_reported_done_and_not_yet_verified_carries_the_done_mark_with_a_sign_of_its_own():
    done = {"status": "已完成", "progress": 100, "due": date(2019, 5, 1), "completed_on": date(2019, 5, 2)}
    assert light_of(**done) == "claimed"  # never reviewed: a claim
    assert light_of(review="claimed", **done) == "claimed"
    assert lights.SYMBOLS["claimed"] != lights.SYMBOLS["done"] and lights.SYMBOLS["claimed"].startswith("✓")


def test_a_measure_with_no_deadline_and_no_phase_is_green():
    assert light_of(due="", phase="", start="", progress=0) == "green"


def test_thresholds_come_from_settings_and_move_the_lights():
    settings = config.thresholds({"LEDGER_DUE_SOON_DAYS": "3", "LEDGER_BEHIND_POINTS": "40"}, {})
    assert settings == metrics.Thresholds(3, 40.0)
    assert (
        light_of(due=date(2019, 5, 27), progress=60, phase="其他", start=date(2019, 5, 21), thresholds=settings)
        == "green"
    )
    assert light_of(progress=15, due=date(2019, 5, 30)) == "yellow"  # 35 points behind: beyond 20
    assert light_of(progress=15, due=date(2019, 5, 30), thresholds=settings) == "green"  # not beyond 40
    assert light_of(progress=5, due=date(2019, 5, 30), thresholds=settings) == "yellow"


def test_secrets_are_read_when_the_environment_is_silent_and_nonsense_falls_back():
    assert config.thresholds({}, {"due_soon_days": 14, "behind_points": 10}) == metrics.Thresholds(14, 10.0)
    assert config.thresholds({"LEDGER_DUE_SOON_DAYS": "soon"}, {}) == metrics.DEFAULT_THRESHOLDS


def test_every_light_has_a_word_and_a_symbol_in_both_languages():
    for light in lights.LIGHTS:
        for lang in ("zh", "en"):
            word = translate(f"light.{light}", lang)
            assert word.startswith(lights.SYMBOLS[light]) and len(word) > 2


def test_sample_lights_add_up_to_the_measures_and_red_is_the_overdue_count(sample_ledger):
    shown = lights.lights(sample_ledger.tasks, sample_ledger.phases, sample_ledger.report_date)
    found = lights.counts(shown)
    assert sum(found.values()) == len(sample_ledger.tasks)
    assert found["red"] == len(metrics.overdue(sample_ledger.tasks, sample_ledger.report_date))
    assert found["claimed"] == int((sample_ledger.tasks["status"] == "done").sum())  # nothing verified yet
    assert found["done"] == 0
